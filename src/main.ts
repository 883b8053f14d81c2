import * as core from '@actions/core';
import { APIUserAbortError } from 'openai/core/error';
import { JobClient } from './api/client.js';
import { isTerminal } from './jobs/status.js';
import { describeError } from './api/errors.js';
import { setDone, setIsPost } from './github/state.js';
import { readConfig } from './inputs/config.js';
import { isFollowing, type Config } from './inputs/types.js';
import { cancelLeftBehind } from './jobs/cleanup.js';
import { fineTune } from './modes/fine-tune.js';
import { manage } from './modes/manage.js';
import { waitFor } from './modes/wait.js';
import { announceJob, writeOutputs } from './report/outputs.js';
import { formatDuration } from './report/format.js';
import { newRecord, type RunRecord } from './report/record.js';

// The main step: inputs become one typed config, the mode does its work through the job client,
// then outputs and the summary are written from what the mode recorded, on success or failure.

async function runMode(config: Config, record: RunRecord, abort: AbortSignal): Promise<void> {
  if (config.mode === 'plan') {
    // Loaded only for plans: the comparison and the pull-request comment are theirs alone.
    const { plan } = await import('./modes/plan.js');
    const client = config.connection ? new JobClient(config.connection, { signal: abort }) : undefined;
    await plan(config, client, record);
    return;
  }
  if (config.mode === 'evaluate') {
    // Reads and chat completions only, every request bounded by wait-timeout and the run's cancel.
    const { evaluateModel } = await import('./modes/evaluate.js');
    const timeUp = AbortSignal.timeout(config.timeoutMs);
    const client = new JobClient(config.connection, { signal: AbortSignal.any([abort, timeUp]) });
    try {
      await evaluateModel(config, client, record, abort);
    } catch (error) {
      if (!timeUp.aborted || abort.aborted) throw error;
      throw new Error(`wait-timeout (${formatDuration(config.timeoutMs)}) ran out during the evaluation`);
    }
    return;
  }
  if (!isFollowing(config)) {
    await manage(config, new JobClient(config.connection, { signal: abort }), record);
    return;
  }
  const deadline = record.startedAt + config.followOptions.timeoutMs;
  // Every request stops at the deadline or when the run is cancelled, retries and all.
  const timeUp = AbortSignal.timeout(Math.max(0, deadline - Date.now()));
  const client = new JobClient(config.connection, { signal: AbortSignal.any([abort, timeUp]) });
  const context = { deadline, signal: abort };
  try {
    if (config.mode === 'wait') await waitFor(config, client, record, context);
    else await fineTune(config, client, record, context);
  } catch (error) {
    // A request cut off by the deadline says only that it was aborted: say which limit, and why
    // the API had not answered when that was so.
    if (!(error instanceof APIUserAbortError) || !timeUp.aborted || abort.aborted) throw error;
    const limit = `wait-timeout (${formatDuration(config.followOptions.timeoutMs)}) ran out`;
    throw new Error(
      client.lastNoAnswer
        ? `${limit} while the API gave no answer: ${client.lastNoAnswer}`
        : `${limit} before the API answered`,
    );
  }
}

/**
 * The run was cancelled (SIGINT, then SIGTERM 7.5 s later): cancel the job this step created or
 * followed, if it is still in progress, and say what became of it. cancel, pause and resume runs
 * leave their job as it is: a cancelled pause must not become a cancel.
 */
async function cancelOnAbort(config: Config, record: RunRecord): Promise<string> {
  if (!isFollowing(config)) return 'The run was cancelled';
  // A job this run only reused or attached to was not this run's to start, but a run that was
  // following it is gone, so it is cancelled alike: cancel-on-abort: false leaves it running.
  const target = { jobId: record.job?.id, intent: record.tags?.intent, run: record.tags?.run };
  if (!config.cancelOnAbort) {
    return `The run was cancelled; ${target.jobId ?? 'the job'} was left running (cancel-on-abort is false)`;
  }
  const jobs = await cancelLeftBehind(new JobClient(config.connection).forCleanup(), target);
  // A job found by its tags was not known before: its id becomes the output now.
  if (!record.job && jobs[0]) announceJob(config.mode, jobs[0]);
  if (jobs.length > 0) record.job = jobs[jobs.length - 1];
  if (jobs.length === 0) return 'The run was cancelled before any job was created';
  return `The run was cancelled; ${jobs.map((job) => `job ${job.id} is now ${job.status}`).join(', ')} (cancel-on-abort)`;
}

/**
 * The whole main step; never throws: a failure is the step's, reported with setFailed. Resolves to
 * whether the step succeeded, for a runner that stubs setFailed (`npm run local-action`).
 */
export async function run(): Promise<boolean> {
  setIsPost();
  const record = newRecord(Date.now());
  const abort = new AbortController();
  const stop = (name: string) => {
    if (!abort.signal.aborted) core.info(`Received ${name}: stopping`);
    abort.abort();
  };
  const onInterrupt = () => stop('SIGINT');
  const onTerminate = () => stop('SIGTERM');
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onTerminate);

  let failure: string | undefined;
  let config: Config | undefined;
  try {
    config = await readConfig();
    record.mode = config.mode;
    record.baseURL = config.connection?.baseURL;
    record.provider = config.connection?.provider ?? (config.mode === 'plan' ? config.provider : undefined);
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
  process.off('SIGINT', onInterrupt);
  process.off('SIGTERM', onTerminate);
  writeOutputs(record);
  try {
    // Loaded at the end: the summary, its chart and the run's context are not needed before.
    const { writeSummary } = await import('./report/summary.js');
    await writeSummary(record, failure);
  } catch (error) {
    core.warning(`Could not write the job summary: ${describeError(error)}`);
  }
  // Left undone only when a followed job may still be running after a cancelled run: the post
  // step tries again.
  const following = config !== undefined && isFollowing(config);
  if (!abort.signal.aborted || !following || !record.job || isTerminal(record.job.status)) setDone();
  if (failure) core.setFailed(failure);
  return failure === undefined;
}
