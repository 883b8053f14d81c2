import * as core from '@actions/core';
import type { JobClient } from '../api/client.js';
import type { WaitConfig } from '../inputs/types.js';
import { announceJob } from '../report/outputs.js';
import type { RunRecord } from '../report/record.js';
import { findJob } from '../jobs/lookup.js';
import { modelRules } from '../data/models.js';
import { fineTunedRetiresOn } from '../data/retirement.js';
import { deployIfAsked } from './deploy.js';
import { followJob, type FollowContext } from './follow.js';

/** Attaches to a job an earlier run started (or detached from) and follows it like fine-tune. */
export async function waitFor(
  config: WaitConfig,
  client: JobClient,
  record: RunRecord,
  context: FollowContext,
): Promise<void> {
  const job = await core.group('Find the job', () => findJob(client, config.jobId));
  record.job = job;
  announceJob(config.mode, job);
  // The job's own base model: the run that created it chose it, not this one.
  record.retiresOn = fineTunedRetiresOn(modelRules(job.model, config.connection.provider));
  await followJob(client, job, config.followOptions, record, context);
  // With eval-file the evaluation decides what serves: on Azure it deploys only a model that passed.
  if (config.evaluation) {
    const { evaluateAfterJob } = await import('./evaluation.js');
    await evaluateAfterJob(config, client, record, context);
  } else await deployIfAsked(config.deploy, record, context);
}
