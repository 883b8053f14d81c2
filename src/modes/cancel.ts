import * as core from '@actions/core';
import { NotFoundError } from 'openai';
import type { JobClient } from '../client.js';
import type { CancelConfig } from '../config.js';
import { describeError } from '../errors.js';
import { recordJob, type RunRecord } from '../report/record.js';
import { isTerminal } from '../status.js';

/** Cancels the job only while it is in progress; a job that already ended is reported, not touched. */
export async function cancel(config: CancelConfig, client: JobClient, record: RunRecord): Promise<void> {
  let job;
  try {
    job = await client.retrieveJob(config.jobId);
  } catch (error) {
    if (error instanceof NotFoundError) {
      throw new Error(`No fine-tuning job '${config.jobId}' was found: ${describeError(error)}`);
    }
    throw error;
  }
  record.initialStatus = job.status;
  recordJob(record, job);
  if (isTerminal(job.status)) {
    core.info(`Job ${job.id} is already ${job.status}; nothing to cancel`);
    record.notes.push(`The job had already ended (${job.status}), so no cancel was sent.`);
    return;
  }
  core.info(`Job ${job.id} is ${job.status}; cancelling it`);
  recordJob(record, await client.cancelJob(job.id));
  core.info(`Job ${job.id} is now ${record.job?.status}`);
}
