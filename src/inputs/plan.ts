import { InputError } from '../facts/input-error.js';
import { protectSecret } from '../github/secrets.js';
import type { LocalFile } from '../data/source.js';
import { readConnection, readEndpoint } from './connection.js';
import { readPrice } from './budget.js';
import { readEvaluation } from './evaluation.js';
import { readDataSource, readMethod, readModel } from './job.js';
import { flag, text } from './read.js';
import type { PlanConfig } from './types.js';
import type { RunContext } from '../github/context.js';

// The inputs a plan reads: the fine-tune step's model and data, and where to comment.

function readLocal(name: 'training-file' | 'validation-file', env: NodeJS.ProcessEnv): LocalFile | undefined {
  const source = readDataSource(name, env);
  if (source?.kind === 'id') {
    throw new InputError(
      name,
      `must be a local JSONL file in mode plan, which checks the data: got the uploaded file ${source.id}`,
    );
  }
  return source;
}

export async function readPlan(env: NodeJS.ProcessEnv, run: () => Promise<RunContext>): Promise<PlanConfig> {
  const githubToken = text('github-token');
  // Masked first thing, like the API key: the comment's body and every log line pass the mask.
  if (githubToken) protectSecret(githubToken);
  // Read once, for the connection and for the provider a plan without credentials still prices for.
  const endpoint = readEndpoint(env);
  const connection = readConnection(env, endpoint, true);
  const { provider } = endpoint;
  const model = readModel();
  const training = readLocal('training-file', env);
  if (!training)
    throw new InputError('training-file', 'is required: the JSONL path the fine-tune step trains on');
  const validation = readLocal('validation-file', env);
  const { method, rules, built } = await readMethod(model, provider, env);
  const price = readPrice(method, rules);
  const evaluation = await readEvaluation('plan', env);
  return {
    mode: 'plan',
    ...(connection ? { connection } : {}),
    provider,
    run: await run(),
    training,
    ...(validation ? { validation } : {}),
    job: { model, method: built },
    modelRules: rules,
    ...(price ? { price } : {}),
    skipIfUnchanged: flag('skip-if-unchanged'),
    githubToken,
    ...(evaluation ? { evaluation } : {}),
  };
}
