// First: it must run before the SDK loads (see the module).
import './http/globals.js';
import * as core from './runner.js';
import { cancelLeftBehind } from './cleanup.js';
import { JobClient } from './client.js';
import { readConfig, type Config } from './config.js';
import { describeError } from './errors.js';
import { fineTune } from './modes/fine-tune.js';
import { manage } from './modes/manage.js';
import { waitFor } from './modes/wait.js';
import { writeOutputs } from './report/outputs.js';
import { newRecord, recordJob, type RunRecord } from './report/record.js';
import { isPostStep, markDone, markMainStarted } from './state.js';
import { isTerminal } from './status.js';

// Entry point for both steps. Main: inputs become one typed config, the mode does its work
// through the job client, then outputs and the summary are written from what the mode recorded,
// on success or failure. Post: clean up after a main step that never finished.

async function runMode(config: Config, record: RunRecord, abort: AbortSignal): Promise<void> {
  // fine-tune and wait follow a job (and carry wait options); cancel, pause and resume make one change.
  if (!('waiting' in config)) {
    await manage(config, new JobClient(config.connection, { signal: abort }), record);
    return;
  }
  const deadline = record.startedAt + config.waiting.timeoutMs;
  // Every request stops at the deadline or when the run is cancelled, retries and all.
  const signal = AbortSignal.any([abort, AbortSignal.timeout(Math.max(0, deadline - Date.now()))]);
  const client = new JobClient(config.connection, { signal });
  const context = { deadline, signal: abort };
  if (config.mode === 'wait') await waitFor(config, client, record, context);
  else await fineTune(config, client, record, context);
}

/**
 * The run was cancelled (SIGINT, then SIGTERM 7.5 s later): cancel the job this step started, if
 * it is still in progress, and say what became of it.
 */
async function cancelOnAbort(config: Config, record: RunRecord): Promise<string> {
  if (!('waiting' in config)) return 'The run was cancelled';
  // A job this run only reused or attached to was not this run's to start, but a run that was
  // following it is gone, so it is cancelled alike: cancel-on-abort: false leaves it running.
  const target = { jobId: record.job?.id, intent: record.tags?.intent, run: record.tags?.run };
  if (!config.cancelOnAbort) {
    return `The run was cancelled; ${target.jobId ?? 'the job'} was left running (cancel-on-abort is false)`;
  }
  const jobs = await cancelLeftBehind(new JobClient(config.connection).forCleanup(), target);
  for (const job of jobs) recordJob(record, job);
  if (jobs.length === 0) return 'The run was cancelled before any job was created';
  return `The run was cancelled; ${jobs.map((job) => `job ${job.id} is now ${job.status}`).join(', ')} (cancel-on-abort)`;
}

async function main(): Promise<void> {
  markMainStarted();
  const startedAt = Date.now();
  const record = newRecord(startedAt);
  const abort = new AbortController();
  const stop = (name: string) => {
    if (!abort.signal.aborted) core.info(`Received ${name}: stopping`);
    abort.abort();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  let failure: string | undefined;
  let config: Config | undefined;
  try {
    config = await readConfig();
    record.mode = config.mode;
    record.baseURL = config.connection.baseURL;
    await runMode(config, record, abort.signal);
  } catch (error) {
    failure = describeError(error);
  }
  if (abort.signal.aborted && config) {
    try {
      failure = await cancelOnAbort(config, record);
    } catch (error) {
      failure = `The run was cancelled, and cancelling its job failed: ${describeError(error)}`;
    }
  }
  writeOutputs(record);
  try {
    // Loaded when needed, like every module the first request does not need: a smaller entry
    // chunk compiles faster, and start-up is what every run of the action pays (npm run bench).
    const { writeSummary } = await import('./report/summary.js');
    writeSummary(record, failure);
  } catch (error) {
    core.warning(`Could not write the job summary: ${describeError(error)}`);
  }
  // Left undone only when a cancelled run's job may still be running: the post step tries again.
  if (!abort.signal.aborted || !record.job || isTerminal(record.job.status)) markDone();
  if (failure) core.setFailed(failure);
}

if (isPostStep()) await (await import('./post.js')).post();
else await main();
