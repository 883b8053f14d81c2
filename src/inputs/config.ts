import type { Connection } from '../api/client.js';
import type { RunContext } from '../github/context.js';
import { InputError } from '../facts/input-error.js';
import { readMaxBilledTokens, readMaxCost, readPrice } from './budget.js';
import { readConnection } from './connection.js';
import { readDeploy } from './deployment.js';
import { readCancelOnAbort, readFollowOptions } from './follow.js';
import { readDataSource, readJobId, readJobSettings, readMethod, readModel } from './job.js';
import { readPlan } from './plan.js';
import { choice, flag } from './read.js';
import type { CleanupConfig, Config, FineTuneConfig } from './types.js';

// The only entry to the inputs: each mode's config assembled from the readers of each concern.
// Everything after it works from the typed Config, so a bad input fails here, before any request.

export async function readConfig(env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  const mode = choice('mode');
  if (mode === 'plan') return readPlan(env, runContext);
  const connection = readConnection(env);
  if (mode === 'cancel' || mode === 'pause' || mode === 'resume')
    return { mode, connection, jobId: readJobId() };
  if (mode === 'wait') {
    const deploy = readDeploy(connection);
    return {
      mode,
      connection,
      jobId: readJobId(),
      cancelOnAbort: readCancelOnAbort(),
      followOptions: readFollowOptions(),
      ...(deploy ? { deploy } : {}),
    };
  }
  return readFineTune(connection, env);
}

/** Undefined for the modes that never leave a job behind (cancel, pause, resume). */
export function readCleanupConfig(env: NodeJS.ProcessEnv = process.env): CleanupConfig | undefined {
  const mode = choice('mode');
  if (mode !== 'fine-tune' && mode !== 'wait') return undefined;
  const connection = readConnection(env);
  const deploy = readDeploy(connection);
  return { connection, cancelOnAbort: readCancelOnAbort(), ...(deploy ? { deploy } : {}) };
}

/**
 * The workflow run, for the job's tags. Loaded here, not with the entry: @actions/github brings
 * Octokit along with its context, and only a fine-tune run needs the context before its first
 * request (`npm run bench` measures start-up).
 */
async function runContext(): Promise<RunContext> {
  const { readRunContext } = await import('../github/context.js');
  return readRunContext();
}

async function readFineTune(connection: Connection, env: NodeJS.ProcessEnv): Promise<FineTuneConfig> {
  const model = readModel();
  const training = readDataSource('training-file', env);
  if (!training)
    throw new InputError('training-file', 'is required: a JSONL path or an uploaded file id (file-...)');
  const validation = readDataSource('validation-file', env);
  const { method, rules, built } = await readMethod(model, connection.provider, env);
  const job = await readJobSettings(model, built, connection.provider);
  const deploy = readDeploy(connection);
  const validate = flag('validate');
  const counted = { method, training, validate, rules };
  const maxBilledTokens = readMaxBilledTokens(counted);
  const price = readPrice(method, rules);
  const maxCost = readMaxCost(counted, price);
  return {
    mode: 'fine-tune',
    connection,
    run: await runContext(),
    cancelOnAbort: readCancelOnAbort(),
    training,
    ...(validation ? { validation } : {}),
    job,
    modelRules: rules,
    ...(price ? { price } : {}),
    validate,
    skipIfUnchanged: flag('skip-if-unchanged'),
    ...(maxBilledTokens !== undefined ? { maxBilledTokens } : {}),
    ...(maxCost !== undefined ? { maxCost } : {}),
    waitForJob: flag('wait'),
    followOptions: readFollowOptions(),
    ...(deploy ? { deploy } : {}),
  };
}
