import * as core from '@actions/core';
import { JobClient } from './api/client.js';
import { describeError } from './api/errors.js';
import { EntraToken, ENTRA_SCOPE } from './api/sign-in.js';
import { removeCandidate } from './azure/promotion.js';
import { getCandidateDeployment, getIntent, getJobId, getRun, isDone } from './github/state.js';
import { redact } from './github/secrets.js';
import { readCleanupConfig } from './inputs/config.js';
import type { CleanupConfig } from './inputs/types.js';
import { cancelLeftBehind } from './jobs/cleanup.js';
import { logText } from './github/log.js';

/**
 * The post step: a backstop for a fine-tune or wait step that was killed before it could clean
 * up. It deletes the candidate deployment (Azure) the main step saved and did not see deleted,
 * however that step ended. When the main step ended on its own terms it does nothing more;
 * otherwise it cancels the job the main step created or followed (found by its tags, if its id
 * never arrived) while it is still in progress. Other modes never leave a job for it.
 */
export async function run(): Promise<void> {
  const candidate = getCandidateDeployment();
  const target = { jobId: getJobId(), intent: getIntent(), run: getRun() };
  const jobLeft = !isDone() && (target.jobId !== undefined || target.intent !== undefined);
  if (!candidate && !jobLeft) return;
  let config: CleanupConfig | undefined;
  try {
    config = readCleanupConfig();
  } catch (error) {
    core.warning(redact(`Could not clean up after the main step: ${describeError(error)}`));
    return;
  }
  if (!config) return;
  if (candidate) await deleteCandidate(config, candidate);
  if (jobLeft) await cancelJob(config, target);
}

/** The candidate deployment is this run's own (its name carries the run and attempt): always deleted. */
async function deleteCandidate(config: CleanupConfig, name: string): Promise<void> {
  if (!config.deploy) {
    core.warning(
      `The candidate deployment '${name}' was left, but deployment-name is not set here to find it`,
    );
    return;
  }
  const token = EntraToken.for(config.deploy.signIn, ENTRA_SCOPE.management);
  core.info(`The main step left the candidate deployment '${name}': deleting it`);
  await removeCandidate({ ...config.deploy, name }, () => token.get());
}

async function cancelJob(
  config: CleanupConfig,
  target: { jobId?: string; intent?: string; run?: string },
): Promise<void> {
  if (!config.cancelOnAbort) {
    core.info('The main step did not finish; cancel-on-abort is false, so its job is left as it is');
    return;
  }
  try {
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
