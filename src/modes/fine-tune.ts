import * as core from '@actions/core';
import type { JobClient } from '../client.js';
import type { FineTuneConfig } from '../config.js';
import { checkJsonl } from '../data/validate.js';
import { prepareFile } from '../data/upload.js';
import { InputError } from '../errors.js';
import { recordJob, type RunRecord } from '../report/record.js';
import { followJob, type FollowContext } from './follow.js';

/** Validate, upload, create, then (unless wait is false) follow the job to its end. */
export async function fineTune(
  config: FineTuneConfig,
  client: JobClient,
  record: RunRecord,
  context: FollowContext,
): Promise<void> {
  const sources = [
    ['training-file', config.training],
    ...(config.validation ? [['validation-file', config.validation] as const] : []),
  ] as const;

  // Every local file is checked before the first upload, so bad data costs no request.
  if (config.validate) {
    for (const [input, source] of sources) {
      if (source.kind !== 'path') continue;
      try {
        const { examples } = await checkJsonl(source.path);
        core.info(`${input}: ${source.given} holds ${examples} examples`);
      } catch (error) {
        throw new InputError(input, `(${source.given}): ${(error as Error).message}`);
      }
    }
  }

  const timing = { pollIntervalMs: config.waiting.pollIntervalMs, ...context };
  const training = await prepareFile(client, 'training-file', config.training, timing);
  record.trainingFileId = training.id;
  if (config.validation) {
    record.validationFileId = (await prepareFile(client, 'validation-file', config.validation, timing)).id;
  }

  const job = await client.createJob({
    ...config.job,
    training_file: training.id,
    ...(record.validationFileId ? { validation_file: record.validationFileId } : {}),
  });
  recordJob(record, job);
  core.info(`Created fine-tuning job ${job.id} (${job.status})`);

  if (!config.wait) {
    record.notes.push('wait is false: the step returned once the job was created.');
    return;
  }
  await followJob(client, job, config.waiting, record, context);
}
