import * as core from './runner.js';
import { cancelLeftBehind } from './cleanup.js';
import { JobClient } from './client.js';
import { readCleanupConfig } from './config.js';
import { describeError } from './errors.js';
import { redact } from './secret.js';
import { readLeftBehind } from './state.js';

/**
 * The post step: a backstop for a main step that was killed before it could clean up. When the
 * main step ended on its own terms it does nothing; otherwise it cancels the job the main step
 * recorded (or tagged, if its id never arrived) while that job is still in progress.
 */
export async function post(): Promise<void> {
  const left = readLeftBehind();
  if (left.done || (!left.jobId && !left.intent)) return;
  try {
    const config = readCleanupConfig();
    if (!config.cancelOnAbort) {
      core.info('The main step did not finish; cancel-on-abort is false, so its job is left as it is');
      return;
    }
    const client = new JobClient(config.connection).forCleanup();
    const jobs = await cancelLeftBehind(client, left);
    if (jobs.length === 0)
      core.info('The main step did not finish and had created no job; nothing to cancel');
    for (const job of jobs) {
      core.info(`The main step did not finish; job ${job.id} is now ${job.status} (cancel-on-abort)`);
    }
  } catch (error) {
    core.warning(redact(`Could not cancel the job the main step left behind: ${describeError(error)}`));
  }
}
