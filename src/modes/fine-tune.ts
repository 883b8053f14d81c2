import * as core from '@actions/core';
import type { JobClient } from '../client.js';
import type { FineTuneConfig } from '../config.js';
import { createOnce } from '../create-once.js';
import { prepareFile } from '../data/upload.js';
import { preflight } from '../data/preflight.js';
import { jobTags } from '../intent.js';
import { recordJob, type RunRecord } from '../report/record.js';
import { followJob, type FollowContext } from './follow.js';

/** How many times one upload or one create is tried before the step gives up on it. */
const MAX_ATTEMPTS = 8;

/** Validate, upload, create (once per intent), then unless wait is false follow the job to its end. */
export async function fineTune(
  config: FineTuneConfig,
  client: JobClient,
  record: RunRecord,
  context: FollowContext,
): Promise<void> {
  // Every local file is checked before the first request, so bad data costs nothing.
  record.data = await preflight(config);

  const retry = { ...context, maxAttempts: MAX_ATTEMPTS };
  const timing = { ...retry, pollIntervalMs: config.waiting.pollIntervalMs };
  const training = await prepareFile(client, 'training-file', config.training, timing);
  record.trainingFileId = training.id;
  const validation = config.validation
    ? await prepareFile(client, 'validation-file', config.validation, timing)
    : undefined;
  record.validationFileId = validation?.id;

  const tags = jobTags(
    config.job,
    { training: training.identity, validation: validation?.identity },
    config.run,
  );
  record.tags = tags;
  const { job, attached } = await createOnce(
    client,
    { ...config.job, training_file: training.id, ...(validation ? { validation_file: validation.id } : {}) },
    tags,
    retry,
  );
  recordJob(record, job);
  if (attached) {
    core.info(`No new job created: ${attached}; following it instead`);
    record.notes.push(`No new job was created: ${attached}.`);
  } else {
    core.info(`Created fine-tuning job ${job.id} (${job.status})`);
  }

  if (!config.wait) {
    record.notes.push('wait is false: the step returned once the job was created.');
    return;
  }
  await followJob(client, job, config.waiting, record, context);
}
