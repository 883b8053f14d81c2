import * as core from '@actions/core';
import { APIError } from 'openai/core/error';
import type { FineTuningJob, JobClient, JobSettings } from '../api/client.js';
import { describeError } from '../api/errors.js';
import type { FineTuneConfig } from '../inputs/types.js';
import { createOnce } from '../jobs/create-once.js';
import { holdsData, identify, prepareFile, type KnownData } from '../data/upload.js';
import type { ModelRules } from '../data/models.js';
import { retiredModelRefusal, retirementNotice } from '../data/retirement.js';
import { logText } from '../github/log.js';
import { code } from '../github/markdown.js';
import { trainsAsAsked } from '../jobs/same-training.js';
import { jobTags, TAG } from '../jobs/tags.js';
import { findTaggedJobs } from '../jobs/lookup.js';
import { announceJob } from '../report/outputs.js';
import type { RunRecord } from '../report/record.js';
import { isTerminal } from '../jobs/status.js';
import { deployIfAsked } from './deploy.js';
import { fileCommit } from '../git/commit.js';
import { followJob, type FollowContext } from './follow.js';

/** How many times one upload or one create is tried before the step gives up on it. */
const MAX_ATTEMPTS = 8;

/**
 * skip-if-unchanged: a job of an earlier run that trained (or is training) the same model on the
 * same data with the same settings. Succeeded beats in progress: it costs nothing more to use. A
 * failed or cancelled job trained nothing, so it is never used. The tags only say what a job was
 * made for; its own model, method, hyperparameters and training file must say the same.
 */
async function earlierTraining(
  client: JobClient,
  settings: JobSettings,
  tag: string,
  training: KnownData,
): Promise<FineTuningJob | undefined> {
  const tagged = await findTaggedJobs(client, { [TAG.settings]: tag });
  const candidates = [
    ...tagged.filter((job) => job.status === 'succeeded'),
    ...tagged.filter((job) => !isTerminal(job.status)),
  ];
  for (const job of candidates) {
    if (trainsAsAsked(job, settings) && (await holdsData(client, job.training_file, training))) return job;
    core.info(
      `${logText(job.id)} carries this training’s tags, but its own settings or training file differ: not used`,
    );
  }
  return undefined;
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
 * Warns before anything is uploaded when the base model's training ends, or the model this run
 * makes would stop serving, soon (or already has), and records the day that model stops serving.
 * It only warns: providers extend dates and sell continued access, so the provider refuses, not us.
 */
function noticeRetirement(config: FineTuneConfig, record: RunRecord, now: Date): void {
  const notice = retirementNotice(config.modelRules, now);
  if (notice?.warning) core.warning(notice.warning, { title: 'Model retirement' });
  if (notice?.retiresOn) record.retiresOn = notice.retiresOn;
}

/**
 * A refused create as the step's error, with the date when the table says the base model is
 * retired. A refusal the client has already explained (OpenAI's 403: the wind-down) is not an
 * APIError any more and is kept as it is, so the wind-down is not said twice.
 */
function explainRefusal(error: unknown, rules: ModelRules, now: Date): unknown {
  const why = error instanceof APIError ? retiredModelRefusal(rules, error, now) : undefined;
  if (!why) return error;
  const said = describeError(error);
  return new Error(`${said}${/[.!?]$/.test(said) ? '' : '.'} ${why}`, { cause: error });
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
  // With eval-file the evaluation decides what serves: on Azure it deploys only a model that passed.
  if (config.evaluation) {
    const { evaluateAfterJob } = await import('./evaluation.js');
    await evaluateAfterJob(config, client, record, context);
  } else await deployIfAsked(config.deploy, record, context);
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
  // The run's own start is its clock, so a test pins every date with the record it passes.
  const now = new Date(record.startedAt);
  noticeRetirement(config, record, now);
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
    const earlier = await earlierTraining(client, config.job, tags.settings, known.training);
    if (earlier?.status === 'succeeded') {
      record.job = earlier;
      announceJob(config.mode, earlier);
      record.reused = true;
      record.checkpoints = await client.checkpoints(earlier.id);
      const by = earlier.metadata?.[TAG.run] ?? 'an earlier run';
      core.info(
        `Unchanged since ${logText(earlier.id)} (${logText(by)}) trained ${logText(earlier.fine_tuned_model)}; starting nothing`,
      );
      record.notes.push(
        `skip-if-unchanged: the same model, data and settings already trained ${code(earlier.id)}; nothing was started.`,
      );
      return;
    }
    if (earlier) {
      record.job = earlier;
      announceJob(config.mode, earlier);
      record.notes.push(
        `skip-if-unchanged: ${code(earlier.id)} is already training the same model, data and settings; following it.`,
      );
      core.info(
        `${logText(earlier.id)} is already training the same model, data and settings (${logText(earlier.status)}); following it`,
      );
      if (config.waitForJob) await followJob(client, earlier, config.followOptions, record, context);
      return;
    }
  }

  const retry = { ...context, maxAttempts: MAX_ATTEMPTS };
  const timing = { ...retry, pollIntervalMs: config.followOptions.pollIntervalMs };
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
    const created = await createOnce(
      client,
      { params, tags, attempt: Number(config.run.attempt) },
      retry,
    ).catch((error: unknown) => {
      throw explainRefusal(error, config.modelRules, now);
    });
    record.job = created.job;
    announceJob(config.mode, created.job);
    if (commit && !created.attached) record.commit = { repository: config.run.repository, sha: commit };
    if (created.attached) {
      core.info(`No new job created: ${logText(created.attached)}; following it instead`);
      record.notes.push(`No new job was created: ${created.attached}.`);
    } else {
      core.info(`Created fine-tuning job ${logText(created.job.id)} (${logText(created.job.status)})`);
    }
    return created;
  });

  if (!config.waitForJob) {
    record.notes.push('wait is false: the step returned once the job was created.');
    return;
  }
  await followJob(client, job, config.followOptions, record, context);
}
