import * as core from '@actions/core';
import { JobClient } from './api/client.js';
import { describeError } from './api/errors.js';
import { getIntent, getJobId, getRun, isDone } from './github/state.js';
import { redact } from './github/secrets.js';
import { readCleanupConfig } from './inputs/config.js';
import { cancelLeftBehind } from './jobs/cleanup.js';
import { logText } from './github/log.js';

/**
 * The post step: a backstop for a fine-tune or wait step that was killed before it could clean
 * up. When the main step ended on its own terms it does nothing; otherwise it cancels the job the
 * main step created or followed (found by its tags, if its id never arrived) while it is still in
 * progress. Other modes never leave a job for it.
 */
export async function run(): Promise<void> {
  if (isDone()) return;
  const target = { jobId: getJobId(), intent: getIntent(), run: getRun() };
  if (!target.jobId && !target.intent) return;
  try {
    const config = readCleanupConfig();
    if (!config) return;
    if (!config.cancelOnAbort) {
      core.info('The main step did not finish; cancel-on-abort is false, so its job is left as it is');
      return;
    }
    const jobs = await cancelLeftBehind(new JobClient(config.connection).forCleanup(), target);
    if (jobs.length === 0)
      core.info('The main step did not finish and had created no job; nothing to cancel');
    for (const job of jobs) {
      core.info(
        `The main step did not finish; job ${logText(job.id)} is now ${logText(job.status)} (cancel-on-abort)`,
      );
    }
  } catch (error) {
    core.warning(redact(`Could not cancel the job the main step left behind: ${describeError(error)}`));
  }
}
