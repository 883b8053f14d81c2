import * as core from '../runner.js';
import type { JobClient } from '../client.js';
import type { WaitConfig } from '../config.js';
import { recordJob, type RunRecord } from '../report/record.js';
import { findJob } from './find-job.js';
import { followJob, type FollowContext } from './follow.js';

/** Attaches to a job an earlier run started (or detached from) and follows it like fine-tune. */
export async function waitFor(
  config: WaitConfig,
  client: JobClient,
  record: RunRecord,
  context: FollowContext,
): Promise<void> {
  const job = await core.group('Find the job', () => findJob(client, config.jobId));
  recordJob(record, job);
  await followJob(client, job, config.waiting, record, context);
}
