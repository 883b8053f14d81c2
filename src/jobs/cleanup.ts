import { BadRequestError } from 'openai/core/error';
import type { FineTuningJob, JobClient } from '../api/client.js';
import { TAG } from './tags.js';
import { findTaggedJobs } from './lookup.js';
import { isTerminal } from './status.js';

interface CleanupTarget {
  jobId?: string;
  /** Without an id: the jobs tagged with this intent by this run attempt. */
  intent?: string;
  run?: string;
}

/**
 * Cancels the jobs a run attempt leaves in progress and returns each job as it ends up. A job is
 * found by its id, or, when its id never arrived (the step was stopped mid-create), by its tags.
 */
export async function cancelLeftBehind(client: JobClient, target: CleanupTarget): Promise<FineTuningJob[]> {
  let jobs: FineTuningJob[] = [];
  if (target.jobId) jobs = [await client.retrieveJob(target.jobId)];
  else if (target.intent && target.run) {
    jobs = await findTaggedJobs(client, { [TAG.intent]: target.intent, [TAG.run]: target.run });
  }
  const after: FineTuningJob[] = [];
  for (const job of jobs) {
    if (isTerminal(job.status)) {
      after.push(job);
      continue;
    }
    try {
      after.push(await client.cancelJob(job.id));
    } catch (error) {
      // It ended between the look and the cancel: report how it ended instead.
      if (!(error instanceof BadRequestError)) throw error;
      after.push(await client.retrieveJob(job.id));
    }
  }
  return after;
}
