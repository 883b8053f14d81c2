import { NotFoundError } from 'openai/core/error';
import type { FineTuningJob, JobClient } from '../client.js';
import { describeError } from '../errors.js';

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
