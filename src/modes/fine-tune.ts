import * as core from '@actions/core';
import type { FineTuningJob, JobClient } from '../api/client.js';
import type { FineTuneConfig } from '../inputs/config.js';
import { createOnce } from '../jobs/create-once.js';
import { identify, prepareFile } from '../data/upload.js';
import { jobTags, TAG } from '../jobs/tags.js';
import { findTaggedJobs } from '../jobs/lookup.js';
import { recordJob, type RunRecord } from '../report/record.js';
import { isTerminal } from '../api/client.js';
import { deployIfAsked } from './deploy.js';
import { fileCommit } from '../git/commit.js';
import { followJob, type FollowContext } from './follow.js';

/** How many times one upload or one create is tried before the step gives up on it. */
const MAX_ATTEMPTS = 8;

/**
 * skip-if-unchanged: a job of an earlier run that trained (or is training) the same model on the
 * same data with the same settings. Succeeded beats in progress: it costs nothing more to use.
 */
async function earlierTraining(client: JobClient, settings: string): Promise<FineTuningJob | undefined> {
  const jobs = await findTaggedJobs(client, { [TAG.settings]: settings });
  return jobs.find((job) => job.status === 'succeeded') ?? jobs.find((job) => !isTerminal(job.status));
}

/** The commit the training file's data is at, for the job's tags; none for an uploaded file id. */
async function trainingCommit(config: FineTuneConfig): Promise<string | undefined> {
  if (config.training.kind !== 'path') return undefined;
  const found = await fileCommit(config.training.path);
  if ('commit' in found) {
    core.info(`The training data is at commit ${found.commit}`);
    return found.commit;
  }
  core.info(`The job records no commit for the training data: ${found.none}`);
  return undefined;
}

/**
 * Validate, upload, create (once per intent), then unless wait is false follow the job to its
 * end, and on Azure deploy its model when asked. Each phase is a collapsible group in the log.
 */
export async function fineTune(
  config: FineTuneConfig,
  client: JobClient,
  record: RunRecord,
  context: FollowContext,
): Promise<void> {
  await train(config, client, record, context);
  if (config.evaluation) {
    const { evaluateAfterJob } = await import('./evaluation.js');
    await evaluateAfterJob(config, client, record, context.signal);
  }
  await deployIfAsked(config.deploy, record, context);
}

/** The job for this data: one reused, one followed, or one created and followed. */
async function train(
  config: FineTuneConfig,
  client: JobClient,
  record: RunRecord,
  context: FollowContext,
): Promise<void> {
  // Every local file is checked before the first request, so bad data costs nothing.
  // The validator and its tokenizer load only for local data that is to be checked.
  if (config.validate && config.training.kind === 'path') {
    const { preflight } = await import('../data/preflight.js');
    record.data = await core.group('Check the data', () => preflight(config));
  }
  if (config.evaluation) {
    // Before the upload too: max-cost covers the training and the evaluation together.
    const { estimateBeforeTraining } = await import('./evaluation.js');
    await core.group('Estimate the evaluation', () => estimateBeforeTraining(config, client, record));
  }

  const known = await core.group('Identify the data', async () => ({
    training: await identify('training-file', config.training, client.traits),
    validation: config.validation
      ? await identify('validation-file', config.validation, client.traits)
      : undefined,
    commit: await trainingCommit(config),
  }));
  const commit = known.commit;
  const tags = jobTags(
    config.job,
    { training: known.training.identity, validation: known.validation?.identity },
    config.run,
    commit,
  );
  record.tags = tags;

  if (config.skipIfUnchanged) {
    const earlier = await earlierTraining(client, tags.settings);
    if (earlier?.status === 'succeeded') {
      recordJob(record, earlier);
      record.reused = true;
      record.checkpoints = await client.checkpoints(earlier.id);
      const by = earlier.metadata?.[TAG.run] ?? 'an earlier run';
      core.info(
        `Unchanged since ${earlier.id} (${by}) trained ${earlier.fine_tuned_model}; starting nothing`,
      );
      record.notes.push(
        `skip-if-unchanged: the same model, data and settings already trained ${earlier.id}; nothing was started.`,
      );
      return;
    }
    if (earlier) {
      recordJob(record, earlier);
      record.notes.push(
        `skip-if-unchanged: ${earlier.id} is already training the same model, data and settings; following it.`,
      );
      core.info(
        `${earlier.id} is already training the same model, data and settings (${earlier.status}); following it`,
      );
      if (config.follow) await followJob(client, earlier, config.following, record, context);
      return;
    }
  }

  const retry = { ...context, maxAttempts: MAX_ATTEMPTS };
  const timing = { ...retry, pollIntervalMs: config.following.pollIntervalMs };
  await core.group('Upload', async () => {
    record.trainingFileId = await prepareFile(client, 'training-file', known.training, timing);
    if (known.validation)
      record.validationFileId = await prepareFile(client, 'validation-file', known.validation, timing);
  });

  const { job } = await core.group('Create the job', async () => {
    const params = {
      ...config.job,
      training_file: record.trainingFileId!,
      ...(record.validationFileId ? { validation_file: record.validationFileId } : {}),
    };
    const created = await createOnce(client, { params, tags, attempt: Number(config.run.attempt) }, retry);
    recordJob(record, created.job);
    if (commit && !created.attached) record.commit = { repository: config.run.repository, sha: commit };
    if (created.attached) {
      core.info(`No new job created: ${created.attached}; following it instead`);
      record.notes.push(`No new job was created: ${created.attached}.`);
    } else {
      core.info(`Created fine-tuning job ${created.job.id} (${created.job.status})`);
    }
    return created;
  });

  if (!config.follow) {
    record.notes.push('wait is false: the step returned once the job was created.');
    return;
  }
  await followJob(client, job, config.following, record, context);
}
