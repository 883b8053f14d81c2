import * as core from '@actions/core';
import { evaluationSection } from './evaluation.js';
import type { FineTuningJob, FineTuningJobCheckpoint } from '../api/client.js';
import { describeImages } from '../data/images.js';
import type { DataReport } from '../data/preflight.js';
import { dollars } from '../data/prices.js';
import { HOSTING_PRICES_CHECKED, HOSTING_PRICES_SOURCE, hostingPerHour } from '../facts/hosting.js';
import { serverPage } from '../github/context.js';
import { redact } from '../github/secrets.js';
import { readRunTag, TAG } from '../jobs/tags.js';
import { failureReason } from '../jobs/status.js';
import { lossChart } from './chart.js';
import { cell, code, ERROR_CHARS } from '../github/markdown.js';
import { commitLink, formatDuration, stopsServing } from './format.js';
import { bestLoss, bestModel, dataCommit, type RunRecord } from './record.js';

// The job summary: what a person reads on the run page instead of the log. Each section is its
// own function; renderSummary puts them in the order a reader asks their questions.

const STATUS_ICON: Record<string, string> = { succeeded: '✅', failed: '❌', cancelled: '⛔' };
/** What the heading calls the job, by mode: "Fine-tuning job: succeeded". */
const HEADING: Record<string, string> = {
  'fine-tune': 'Fine-tuning job',
  wait: 'Fine-tuning job',
  cancel: 'Fine-tuning job, after cancel',
  pause: 'Fine-tuning job, after pause',
  resume: 'Fine-tuning job, after resume',
};
const count = (value: number) => Math.round(value).toLocaleString('en-US');
const time = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Every cell escaped here: a `|` splits a cell even inside a code span. */
function table(header: string[], body: string[][]): string {
  return [header, header.map(() => '---'), ...body.map((row) => row.map(cell))]
    .map((row) => `| ${row.join(' | ')} |`)
    .join('\n');
}

function rows(pairs: Array<[string, string | undefined]>): string {
  return table(
    ['', ''],
    pairs.filter(([, value]) => value !== undefined && value !== '').map(([k, v]) => [k, v!]),
  );
}

function usedHyperparameters(job: FineTuningJob): Record<string, unknown> {
  const type = job.method?.type;
  const perMethod = type ? job.method?.[type]?.hyperparameters : undefined;
  return { ...(perMethod ?? job.hyperparameters ?? {}) };
}

/** The job on OpenAI's dashboard (only when the job lives there) and its W&B project. */
function links(job: FineTuningJob, baseURL: string | undefined): string | undefined {
  const found: string[] = [];
  if (baseURL && new URL(baseURL).hostname === 'api.openai.com') {
    found.push(`[Open on the OpenAI dashboard](https://platform.openai.com/finetune/${job.id})`);
  }
  for (const { wandb } of job.integrations ?? []) {
    const run = wandb.name ?? job.id;
    // Without an entity the project's address is the W&B account's own, which only W&B knows.
    found.push(
      wandb.entity
        ? `[W&B run ${code(run)} in ${code(wandb.project)}](https://wandb.ai/${encodeURIComponent(wandb.entity)}/${encodeURIComponent(wandb.project)})`
        : `W&B run ${code(run)} in project ${code(wandb.project)}`,
    );
  }
  return found.length > 0 ? found.join(' · ') : undefined;
}

/** The workflow run that created the job, from its own tag, as a link to that run. */
function createdBy(job: FineTuningJob): string | undefined {
  // The run's part of the tag is `owner/repo/actions/runs/<id>/attempts/<n>`, a path on the GitHub server.
  const run = readRunTag(job.metadata?.[TAG.run]);
  return run && `[${code(run.path)}](${serverPage(run.path.split('/').map(encodeURIComponent).join('/'))})`;
}

function overview(record: RunRecord, job: FineTuningJob, now: number): string {
  const end = job.finished_at ? job.finished_at * 1000 : now;
  const succeeded = job.status === 'succeeded';
  return rows([
    ['Job', code(job.id)],
    ['Provider', record.provider],
    ['Status before', record.initialStatus],
    ['Status', job.status],
    [
      'Reused',
      record.reused ? 'yes: the same model, data and settings had already trained this model' : undefined,
    ],
    ['Base model', code(job.model)],
    ['Fine-tuned model', succeeded && job.fine_tuned_model ? code(job.fine_tuned_model) : undefined],
    [
      'Model stops serving',
      // A failed or cancelled job made no model to stop serving.
      record.retiresOn && !['failed', 'cancelled'].includes(job.status)
        ? stopsServing(record.retiresOn, record.provider)
        : undefined,
    ],
    ['Method', job.method?.type],
    ['Duration', formatDuration(end - job.created_at * 1000) + (job.finished_at ? '' : ' so far')],
    ['Trained tokens', job.trained_tokens != null ? count(job.trained_tokens) : undefined],
    ['Training file', code(job.training_file)],
    ['Validation file', job.validation_file ? code(job.validation_file) : undefined],
    ['Result file', job.result_files[0] ? code(job.result_files[0]) : undefined],
    ['Seed', String(job.seed)],
    ['Created by', createdBy(job)],
    ['Data from commit', commitLink(dataCommit(record))],
    [
      'Deployment',
      record.deployment &&
        `[${code(record.deployment.name)}](https://portal.azure.com/#resource${record.deployment.id}) serving ${code(record.deployment.model)}`,
    ],
    ['Hosting', record.deployment && hosting(record.deployment.sku)],
  ]);
}

/** What keeping the deployment costs by the hour beside its tokens, where the table knows its SKU. */
function hosting(sku: string | undefined): string {
  const perHour = sku === undefined ? undefined : hostingPerHour(sku);
  // ARM's SKU name is the API's text: shown as code, in one cell.
  const named = sku === undefined ? 'its SKU' : code(sku);
  if (perHour === undefined)
    return `not known here for ${named}: see [Azure's pricing](${HOSTING_PRICES_SOURCE})`;
  const fee =
    perHour === 0
      ? `no hourly fee for ${named} (tokens only)`
      : `${dollars(perHour)} per hour for ${named}, beside its tokens`;
  return `${fee}, as of ${HOSTING_PRICES_CHECKED} ([source](${HOSTING_PRICES_SOURCE}))`;
}

/** When each status began and how long it lasted: created, what the wait saw, finished. */
function timeline(record: RunRecord, job: FineTuningJob, now: number): string | undefined {
  const seen = record.timeline ?? [];
  if (seen.length === 0) return undefined;
  const points = [
    { status: 'created', at: job.created_at * 1000 },
    ...seen.map((s) => ({ status: s.status, at: s.seenAt })),
  ];
  // The API's own finish time is more exact than when a poll noticed it.
  const last = points.at(-1)!;
  if (job.finished_at && last.status === job.status)
    last.at = Math.max(job.finished_at * 1000, points.at(-2)!.at);
  const body = points.map((point, i) => {
    const next = points[i + 1]?.at ?? (job.finished_at ? undefined : now);
    return [point.status, time(point.at), next === undefined ? '' : formatDuration(next - point.at)];
  });
  return ['### Timeline', table(['status', 'since', 'for'], body)].join('\n\n');
}

function metric(value: unknown, digits: number): string {
  return typeof value === 'number' ? value.toFixed(digits) : '';
}

const LOSS_NAMES = { full_valid_loss: 'full valid loss', valid_loss: 'valid loss' } as const;

/** Each checkpoint's metrics, with the loss the best one is chosen by beside it. */
function checkpoints(
  list: FineTuningJobCheckpoint[] | undefined,
  best: string | undefined,
): string | undefined {
  if (!list || list.length === 0) return undefined;
  // The full validation loss is measured over the whole validation file, at some steps only.
  const full = list.some((c) => typeof c.metrics.full_valid_loss === 'number');
  const chosenBy = bestLoss(list);
  const body = [...list]
    .sort((a, b) => a.step_number - b.step_number)
    .map((c) => [
      String(c.step_number),
      metric(c.metrics.train_loss, 4),
      metric(c.metrics.train_mean_token_accuracy, 3),
      metric(c.metrics.valid_loss, 4),
      metric(c.metrics.valid_mean_token_accuracy, 3),
      ...(full ? [metric(c.metrics.full_valid_loss, 4)] : []),
      code(c.fine_tuned_model_checkpoint) +
        (c.fine_tuned_model_checkpoint === best && chosenBy ? ` (best: lowest ${LOSS_NAMES[chosenBy]})` : ''),
    ]);
  const header = ['step', 'train loss', 'train accuracy', 'valid loss', 'valid accuracy'];
  if (full) header.push('full valid loss');
  return ['### Checkpoints', table([...header, 'model'], body)].join('\n\n');
}

/** Past the first examples only a sample is counted: the figures are estimates, and say so. */
function sampled(tokens: { exactlyCounted: number }, examples: number): string {
  return tokens.exactlyCounted < examples
    ? ` (estimated: ${count(tokens.exactlyCounted)} of ${count(examples)} examples counted)`
    : '';
}

/** Tokens, epochs and dollars; for reinforcement, the hourly rate it is billed at instead. */
function estimateLine(data: DataReport): string {
  const price = data.price?.price;
  if (data.billedTokens === undefined) {
    const rate =
      price && 'perHour' in price ? ` at **${dollars(price.perHour)} per hour** (${data.price!.source})` : '';
    return `Billed by the hour of training${rate}, not by the token: the data cannot say how long the job will train, so no cost is estimated.`;
  }
  const epochs = `${data.epochs} epochs${data.autoEpochs ? ' (auto)' : ''}`;
  const tokens = `Estimated billed tokens: **${count(data.billedTokens)}** (${count(data.files[0].report.tokens.total)} training tokens x ${epochs}).`;
  const cost =
    data.cost !== undefined && price && 'perMillionTokens' in price
      ? ` Estimated cost: **${dollars(data.cost)}** at ${dollars(price.perMillionTokens)} per million tokens (${data.price!.source}).`
      : ' No training price is known for this model here: set `price-per-million-tokens` for a cost estimate.';
  const approximate = data.approximate
    ? " Approximate: the model is not one whose tokenizer and limits this action knows, so tokens were counted as OpenAI's o200k_base counts them."
    : '';
  return tokens + cost + approximate;
}

function dataSection(data: DataReport): string {
  const body = data.files.map(({ given, report }) => {
    const t = report.tokens;
    return [
      code(given),
      count(report.examples),
      report.messages.mean.toFixed(1),
      `${count(t.min)} / ${count(t.mean)} / ${count(t.p95)} / ${count(t.max)}` + sampled(t, report.examples),
      count(t.total),
    ];
  });
  const parts = [
    '### Data',
    table(
      ['file', 'examples', 'messages per example', 'tokens per example (min / mean / p95 / max)', 'tokens'],
      body,
    ),
    estimateLine(data),
  ];
  const images = data.files
    .filter(({ report }) => report.images > 0)
    .map(
      ({ given, report }) => `- ${code(given)}: ${describeImages(report.images, report.assumedImageSizes)}`,
    );
  if (images.length > 0) parts.push(images.join('\n'));
  const warnings = data.files.flatMap(({ given, report }) =>
    report.warnings.map(
      (w) =>
        `- ${code(given)}: ${cell(w.message)} (${w.count === 1 ? `line ${w.line}` : `${count(w.count)} examples, first at line ${w.line}`})`,
    ),
  );
  if (warnings.length > 0) parts.push(warnings.join('\n'));
  return parts.join('\n\n');
}

/** What a user can do about the commonest reasons a job fails. */
function advice(job: FineTuningJob): string {
  const code = job.error?.code ?? '';
  if (/file|data|example|format/i.test(code)) {
    return 'The training data was refused. Run the action with `validate: true` (or `node dist/validate/index.js` on the file) to see each problem on its line, fix the file, and re-run: a re-run after a failed job creates a new one.';
  }
  if (/quota|billing|limit/i.test(code)) {
    return "The organization's quota or billing stopped the job. Check the billing settings of the organization and project the key belongs to, then re-run.";
  }
  if (/model/i.test(code)) {
    return 'The base model was refused. Check that `model` names a model your organization can fine-tune, with the method you chose.';
  }
  return 'Read the last events below for the cause, fix it, and re-run the workflow: a re-run after a failed job creates a new one.';
}

function failureSection(job: FineTuningJob): string {
  return ['### Why it failed', code(failureReason(job), ERROR_CHARS), '### What to do', advice(job)].join(
    '\n\n',
  );
}

function events(record: RunRecord): string | undefined {
  const list = record.recentEvents ?? [];
  if (list.length === 0) return undefined;
  const lines = list.map(
    (e) => `- ${time(e.created_at * 1000)} ${e.level === 'info' ? '' : `**${e.level}** `}${code(e.message)}`,
  );
  return ['### Last events', lines.join('\n')].join('\n\n');
}

/** The summary as Markdown: a person should see at a glance what ran and how it ended. */
export function renderSummary(record: RunRecord, failure: string | undefined, now = Date.now()): string {
  // A plan's summary is its pull-request comment, word for word, with where the comment is.
  if (record.planMarkdown !== undefined) {
    const where = record.commentUrl ? `On the pull request: ${record.commentUrl}` : undefined;
    return [record.planMarkdown, where, failure ? `### Error\n\n${code(failure, ERROR_CHARS)}` : undefined]
      .filter((part) => part !== undefined)
      .join('\n\n');
  }
  const job = record.job;
  const passed = record.evaluation?.passed;
  const judged = record.mode === 'evaluate' && passed !== undefined;
  const status =
    job?.status ?? (judged ? (passed ? 'succeeded' : 'failed') : failure ? 'not started' : 'unknown');
  const icon = STATUS_ICON[status] ?? (failure ? '❌' : '⏳');
  const heading = (record.mode && HEADING[record.mode]) ?? 'Fine-tuning action';
  const parts: Array<string | undefined> = [
    record.mode === 'evaluate'
      ? `## ${icon} Evaluation: ${judged ? (passed ? 'the gate passed' : 'the gate failed') : status}`
      : `## ${icon} ${heading}: ${status}`,
  ];
  if (job) {
    parts.push(links(job, record.baseURL), overview(record, job, now), timeline(record, job, now));
    const hyperparameters = Object.entries(usedHyperparameters(job));
    if (hyperparameters.length > 0) {
      parts.push(
        '### Hyperparameters used',
        table(
          ['name', 'value'],
          hyperparameters.map(([k, v]) => [k, String(v)]),
        ),
      );
    }
    parts.push(checkpoints(record.checkpoints, bestModel(record)));
    const chart = record.metrics ? lossChart(record.metrics) : undefined;
    if (chart) parts.push('### Loss', chart);
    if (job.status === 'failed') parts.push(failureSection(job));
  } else if (record.trainingFileId) {
    parts.push(
      rows([
        ['Training file', code(record.trainingFileId)],
        ['Validation file', record.validationFileId && code(record.validationFileId)],
      ]),
    );
  }
  if (record.data) parts.push(dataSection(record.data));
  if (record.evaluation) parts.push(evaluationSection(record.evaluation));
  if (record.notes.length > 0) parts.push(record.notes.map((note) => `- ${note}`).join('\n'));
  if (failure && job?.status !== 'failed') parts.push('### Error', code(failure, ERROR_CHARS));
  parts.push(events(record));
  return parts.filter((part) => part !== undefined).join('\n\n') + '\n';
}

export async function writeSummary(record: RunRecord, failure: string | undefined): Promise<void> {
  await core.summary.addRaw(redact(renderSummary(record, failure))).write();
}
