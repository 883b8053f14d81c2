import { NotFoundError } from 'openai/core/error';
import type { FineTuningJob, JobClient } from '../api/client.js';
import { describeError } from '../api/errors.js';
import { TAG } from './tags.js';

/** The job a mode was given by id, or an error that says plainly there is no such job. */
export async function findJob(client: JobClient, jobId: string): Promise<FineTuningJob> {
  try {
    return await client.retrieveJob(jobId);
  } catch (error) {
    if (error instanceof NotFoundError) {
      throw new Error(`No fine-tuning job '${jobId}' was found: ${describeError(error)}`);
    }
    throw error;
  }
}

/** Whether the job's own metadata carries every one of the tags. */
export function carriesTags(job: FineTuningJob, tags: Record<string, string>): boolean {
  const own = job.metadata ?? {};
  return Object.entries(tags).every(([key, value]) => own[key] === value);
}

/**
 * Jobs carrying every one of the tags, newest first. The server is asked to filter, but each job
 * is kept only if its own metadata carries the tags: a server that ignores the filter (Azure's v1
 * API, other compatible ones) answers every job of a shared account, other teams' included, and
 * acting on one of those would attach to, reuse or cancel someone else's work.
 */
export async function findTaggedJobs(
  client: JobClient,
  tags: Record<string, string>,
): Promise<FineTuningJob[]> {
  const candidates = await client.listJobsByMetadata(tags);
  return candidates.filter((job) => carriesTags(job, tags));
}

/**
 * The newest succeeded job of a lineage (its `gha_lineage` tag, checked on the job itself): the
 * model a plan compares with and an evaluation's default baseline. `except` is never it.
 */
export async function lastSucceeded(
  client: JobClient,
  lineage: string,
  except?: string,
): Promise<FineTuningJob | undefined> {
  const jobs = await findTaggedJobs(client, { [TAG.lineage]: lineage });
  const ended = (job: FineTuningJob) => job.finished_at ?? job.created_at;
  return jobs
    .filter((job) => job.status === 'succeeded' && job.fine_tuned_model && job.id !== except)
    .sort((a, b) => ended(b) - ended(a))[0];
}
