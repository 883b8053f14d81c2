import * as core from '../runner.js';
import { NotFoundError } from 'openai';
import type { JobClient } from '../client.js';
import type { WaitConfig } from '../config.js';
import { describeError } from '../errors.js';
import { recordJob, type RunRecord } from '../report/record.js';
import { followJob, type FollowContext } from './follow.js';

/** Attaches to a job an earlier run started (or detached from) and follows it like fine-tune. */
export async function waitFor(
  config: WaitConfig,
  client: JobClient,
  record: RunRecord,
  context: FollowContext,
): Promise<void> {
  const job = await core.group('Find the job', async () => {
    try {
      return await client.retrieveJob(config.jobId);
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw new Error(`No fine-tuning job '${config.jobId}' was found: ${describeError(error)}`);
      }
      throw error;
    }
  });
  recordJob(record, job);
  await core.group(`Wait for ${job.id}`, () => followJob(client, job, config.waiting, record, context));
}
