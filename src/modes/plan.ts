import * as core from '@actions/core';
import { estimateCost } from './evaluation.js';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { FineTuningJob, JobClient } from '../api/client.js';
import { describeError } from '../api/errors.js';
import { compareExamples, readExamples, type ExampleSet } from '../data/compare.js';
import { hashFile } from '../data/hash.js';
import { modelRules } from '../data/models.js';
import { fineTunedRetiresOn, retirementNotice } from '../data/retirement.js';
import { checkFiles, estimate, refuseInvalid } from '../data/preflight.js';
import { tokenCost } from '../data/prices.js';
import type { LocalFile } from '../data/source.js';
import type { PlanConfig } from '../inputs/types.js';
import { logText } from '../github/log.js';
import { code, ERROR_CHARS } from '../github/markdown.js';
import { lastSucceeded } from '../jobs/lookup.js';
import { lineageTag, readRunTag, taggedCommit, TAG } from '../jobs/tags.js';
import { readAtCommit } from '../git/history.js';
import { serverUrl } from '../github/context.js';
import { renderPlan, type Comparison, type PlanReport } from '../report/plan.js';
import type { RunRecord } from '../report/record.js';

/**
 * plan: check the data as the fine-tune step would, estimate its cost, compare it with the last
 * model of the same lineage, and keep one comment on the pull request saying what a merge would
 * do. It only reads: nothing is uploaded or created. Invalid data fails the step once the comment
 * says where.
 */
export async function plan(
  config: PlanConfig,
  client: JobClient | undefined,
  record: RunRecord,
): Promise<void> {
  const files = await core.group('Check the data', () => checkFiles(config, config.training));
  const report: PlanReport = {
    decision: 'invalid',
    model: config.job.model,
    method: config.job.method?.type ?? 'supervised',
    provider: config.provider,
    files,
  };
  record.plan = report;
  // The run's own start is its clock, so a test pins every date with the record it passes.
  const notice = retirementNotice(config.modelRules, new Date(record.startedAt));
  if (notice?.warning) {
    core.warning(notice.warning, { title: 'Model retirement' });
    report.retirementWarning = notice.warning;
  }
  if (notice?.retiresOn) report.retiresOn = notice.retiresOn;
  const invalid = files.some((file) => file.report.errorCount > 0);
  if (!invalid) {
    report.data = record.data = estimate(config, files);
    if (client) {
      // A comparison that fails (a revoked key, an API that is down) leaves a plan that is still
      // worth a comment: it says why the comparison is missing, and the step goes on.
      try {
        const comparison = await core.group('Compare with the last model', () => compare(config, client));
        if (comparison) report.comparison = comparison;
        else report.noComparison = 'no earlier job of this model and method in this repository succeeded';
      } catch (error) {
        report.noComparison = `earlier jobs could not be read (${code(describeError(error), ERROR_CHARS)})`;
        core.warning(`The plan is not compared with the last model: ${describeError(error)}`);
      }
    } else {
      report.noComparison =
        'no API key or keyless sign-in was available to read earlier jobs (a pull request from a fork gets no secrets)';
    }
    report.decision = config.skipIfUnchanged && report.comparison?.sameData ? 'skip' : 'train';
    if (config.evaluation && report.decision === 'train') {
      // The baseline the evaluation would meet: the last model when there is one, else the base.
      const choice = config.evaluation.baseline;
      const baseline =
        choice.kind === 'none'
          ? undefined
          : choice.kind === 'model'
            ? choice.model
            : (report.comparison?.job.fine_tuned_model ?? config.job.model);
      const candidate = {
        model: `${config.job.model} (fine-tuned)`,
        pricedAs: config.job.model,
        fineTuned: true,
      };
      report.evaluation = await core.group('Estimate the evaluation', () =>
        estimateCost(config.evaluation!, config.provider, candidate, baseline ?? undefined),
      );
    }
  }
  core.info(`Plan: ${report.decision}`);
  record.planMarkdown = renderPlan(report);
  await comment(config, record);
  if (invalid) refuseInvalid(files);
}

/**
 * The last model's copy of one data file: from the repository's own history at the commit its job
 * records (the same path as this plan's file), else, where the provider hands fine-tune files
 * back, downloaded. Either way streamed: a file may be gigabytes.
 */
async function readBefore(
  config: PlanConfig,
  client: JobClient,
  job: FineTuningJob,
  local: LocalFile,
  fileId: string,
): Promise<Readable> {
  const commit = readRunTag(job.metadata?.[TAG.run])?.commit;
  let why: string;
  if (commit === undefined) {
    why = `${job.id} records no commit (trained from a file id, a file changed before upload, or by an older version of the action)`;
  } else {
    try {
      return await readAtCommit(local.path, commit, { token: config.githubToken, serverUrl: serverUrl() });
    } catch (error) {
      why = describeError(error);
    }
  }
  if (!client.traits.trainingFileDownloads) {
    throw new Error(`${why}; and this provider does not hand back files uploaded for fine-tuning`);
  }
  try {
    return await client.fileStream(fileId);
  } catch (error) {
    throw new Error(`${why}; downloading ${fileId} failed too: ${describeError(error)}`);
  }
}

async function compare(config: PlanConfig, client: JobClient): Promise<Comparison | undefined> {
  const job = await lastSucceeded(client, lineageTag(config.job, config.run.repository));
  if (!job) return undefined;
  const method = config.job.method?.type ?? 'supervised';
  const comparison: Comparison = { job, sameData: false };
  // The last job's own base model: an alias then may name another snapshot than this plan's.
  const retiresOn = fineTunedRetiresOn(modelRules(job.model, config.provider));
  if (retiresOn) comparison.retiresOn = retiresOn;
  const run = readRunTag(job.metadata?.[TAG.run]);
  if (run) comparison.run = run.path;
  const commit = taggedCommit(job.metadata?.[TAG.run]);
  if (commit) comparison.commit = commit;
  const price = config.price?.price;
  if (job.trained_tokens != null && price && 'perMillionTokens' in price) {
    comparison.costBefore = tokenCost(job.trained_tokens, price.perMillionTokens);
  }
  let before: ExampleSet;
  try {
    before = await readExamples(
      await readBefore(config, client, job, config.training, job.training_file),
      method,
    );
  } catch (error) {
    comparison.unreadable = describeError(error);
    core.warning(`The last model's training data could not be read: ${comparison.unreadable}`);
    return comparison;
  }
  const after = await readExamples(createReadStream(config.training.path), method);
  comparison.examplesBefore = before.examples;
  comparison.changes = compareExamples(before, after);
  // The same bytes in both files, validation included, is what skip-if-unchanged needs to start nothing.
  let sameValidation = !job.validation_file && !config.validation;
  if (job.validation_file && config.validation) {
    try {
      const then = await readBefore(config, client, job, config.validation, job.validation_file);
      sameValidation =
        (await readExamples(then, method)).sha256 === (await hashFile(config.validation.path)).sha256;
    } catch (error) {
      core.warning(`Could not read the last model's validation data: ${describeError(error)}`);
    }
  }
  comparison.sameData = before.sha256 === after.sha256 && sameValidation;
  return comparison;
}

/**
 * One comment on the pull request, kept up to date. A run that cannot comment (no token, not a
 * pull request, a read-only token) still plans: the plan is in the summary, and the reason in a
 * warning, never a failed step.
 */
async function comment(config: PlanConfig, record: RunRecord): Promise<void> {
  if (!config.githubToken) {
    core.warning('No github-token: the plan is in the step summary, not on the pull request');
    return;
  }
  const { githubClient, pullRequestTarget, upsertComment } = await import('../github/comment.js');
  const target = await pullRequestTarget();
  if (!target) {
    core.info('Not a pull request run: the plan is in the step summary only');
    return;
  }
  try {
    record.commentUrl = await upsertComment(
      await githubClient(config.githubToken),
      target,
      record.planMarkdown!,
    );
    core.info(`The plan is on the pull request: ${logText(record.commentUrl)}`);
  } catch (error) {
    core.warning(describeError(error), { title: 'The plan could not be commented' });
  }
}
