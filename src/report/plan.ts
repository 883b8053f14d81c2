import type { FineTuningJob } from '../api/client.js';
import { costText, type EvaluationCost } from './evaluation.js';
import type { Provider } from '../api/provider.js';
import type { ExampleChanges } from '../data/compare.js';
import type { CheckedFile, DataReport } from '../data/preflight.js';
import { dollars } from '../data/prices.js';
import type { MethodType } from '../facts/methods.js';
import { serverPage } from '../github/context.js';
import { cell, code, ERROR_CHARS } from '../github/markdown.js';
import { commitLink, PROVIDER_NAMES, stopsServing } from './format.js';
import type { DataCommit } from './record.js';

// The plan a pull request gets: valid or not (and where), tokens and dollars, what changed since
// the last model, and what merging will do. The same text goes to the comment and the summary.

/** What a merge would do: train, start nothing (skip-if-unchanged), or nothing at all (invalid data). */
type PlanDecision = 'train' | 'skip' | 'invalid';

/** The last model of the same lineage, and how the proposed data differs from what trained it. */
export interface Comparison {
  job: FineTuningJob;
  /** The run that trained it, as `owner/repo/actions/runs/N/attempts/M`, when the job says. */
  run?: string;
  /** The commit the job's data came from, when its tag names a commit id. */
  commit?: DataCommit;
  /** Training and validation data byte for byte the same as the job's. */
  sameData: boolean;
  /** By example; undefined when the job's training file could no longer be read. */
  changes?: ExampleChanges;
  examplesBefore?: number;
  /** Why the job's data could not be compared. */
  unreadable?: string;
  /** What the job was billed for, at today's price. */
  costBefore?: number;
  /** The day its model stops serving, when the provider has said. */
  retiresOn?: string;
}

export interface PlanReport {
  decision: PlanDecision;
  model: string;
  method: MethodType;
  provider: Provider;
  files: CheckedFile[];
  /** The estimate, for valid data only. */
  data?: DataReport;
  comparison?: Comparison;
  /** Why nothing was compared (no credentials, no earlier job). */
  noComparison?: string;
  /** With eval-file: what the evaluation after the training will spend. */
  evaluation?: EvaluationCost;
  /** The base model's retirement warning, as the fine-tune step would give it. */
  retirementWarning?: string;
  /** The day a model trained now would stop serving, when the provider has said. */
  retiresOn?: string;
}

/** Problems listed in the comment; the rest are counted, and all are annotated in the run. */
const LISTED_PROBLEMS = 20;

const count = (value: number) => value.toLocaleString('en-US');

function problems(files: CheckedFile[]): string {
  const rows = files
    .flatMap(({ given, report }) =>
      report.errors.map(({ line, message }) => `| ${code(given)} | ${line || ''} | ${cell(message)} |`),
    )
    .slice(0, LISTED_PROBLEMS);
  const more = files.reduce((sum, file) => sum + file.report.errorCount, 0) - rows.length;
  const table = ['| file | line | problem |', '| --- | --- | --- |', ...rows].join('\n');
  return more > 0
    ? `${table}\n\n${count(more)} more problems are annotated on their lines in the run.`
    : table;
}

function estimateText(data: DataReport): string {
  const price = data.price?.price;
  if (data.billedTokens === undefined) {
    return `Billed by the hour of training${price && 'perHour' in price ? ` at **${dollars(price.perHour)} per hour**` : ''}, not by the token: no cost is estimated from the data.`;
  }
  const about = data.approximate ? 'about ' : '';
  const tokens = `**${about}${count(data.billedTokens)}** billed tokens (${count(data.files[0].report.tokens.total)} training tokens x ${data.epochs} epochs${data.autoEpochs ? ', auto' : ''})`;
  return data.cost !== undefined && price && 'perMillionTokens' in price
    ? `${tokens}, **${about}${dollars(data.cost)}** at ${dollars(price.perMillionTokens)} per million tokens (${data.price!.source}).`
    : `${tokens}; no training price is known for this model here (set \`price-per-million-tokens\`).`;
}

function comparisonText(plan: PlanReport): string {
  const c = plan.comparison;
  if (!c) return `Not compared: ${plan.noComparison ?? 'no earlier model'}.`;
  // The run tag is the run's own path on GitHub: `owner/repo/actions/runs/N/attempts/M`.
  const by = c.run
    ? ` (trained by [this run](${serverPage(c.run.split('/').map(encodeURIComponent).join('/'))}))`
    : '';
  const from = c.commit ? ` from commit ${commitLink(c.commit)}` : '';
  const lines = [
    `Compared with ${code(c.job.id)}, which trained ${code(c.job.fine_tuned_model ?? '')}${from}${by}.`,
  ];
  if (c.unreadable)
    lines.push(
      `Its training data could not be read, so examples were not compared: ${code(c.unreadable, ERROR_CHARS)}.`,
    );
  const after = plan.data?.files[0].report.examples;
  const rows = [
    '| | last model | this pull request |',
    '| --- | --- | --- |',
    `| examples | ${c.examplesBefore !== undefined ? count(c.examplesBefore) : '?'} | ${after !== undefined ? count(after) : '?'} |`,
    `| billed tokens | ${c.job.trained_tokens != null ? count(c.job.trained_tokens) : '?'} (trained) | ${plan.data?.billedTokens !== undefined ? `${count(plan.data.billedTokens)} (estimated)` : '-'} |`,
  ];
  if (c.costBefore !== undefined || plan.data?.cost !== undefined) {
    rows.push(
      `| cost | ${c.costBefore !== undefined ? dollars(c.costBefore) : '?'} | ${plan.data?.cost !== undefined ? dollars(plan.data.cost) : '?'} |`,
    );
  }
  lines.push(rows.join('\n'));
  if (c.changes) {
    const { added, removed, changed, unchanged } = c.changes;
    lines.push(
      c.sameData
        ? 'The data is the same, byte for byte.'
        : `Examples: **${count(added)} added**, **${count(removed)} removed**, **${count(changed)} changed** (the same prompt, another answer), ${count(unchanged)} unchanged.`,
    );
  }
  return lines.join('\n\n');
}

function mergeText(plan: PlanReport): string {
  if (plan.decision === 'invalid') return 'Nothing would train: the data fails the check (see above).';
  if (plan.decision === 'skip') {
    return `**skip**: the same model, method and data already trained ${code(plan.comparison!.job.fine_tuned_model ?? plan.comparison!.job.id)}; with \`skip-if-unchanged\` the fine-tune step starts nothing.`;
  }
  const cost = plan.data?.cost !== undefined ? `, about ${dollars(plan.data.cost)}` : '';
  const why = plan.comparison?.sameData
    ? ' The data is unchanged, but without `skip-if-unchanged` the fine-tune step trains again.'
    : '';
  return `**train**: the fine-tune step will train a new ${code(plan.model)} model${cost}.${why}`;
}

/** When the model a merge trains, and the last model, stop serving; and the warning, if any. */
function retirementText(plan: PlanReport): string | undefined {
  const dates = [
    plan.decision === 'train' && plan.retiresOn
      ? `The model a merge trains stops serving on ${stopsServing(plan.retiresOn, plan.provider)}.`
      : undefined,
    plan.comparison?.retiresOn
      ? `The last model, ${code(plan.comparison.job.fine_tuned_model ?? plan.comparison.job.id)}, stops serving on ${stopsServing(plan.comparison.retiresOn, plan.provider)}.`
      : undefined,
  ].filter((line) => line !== undefined);
  // The warning is the action's own text, from its own table: a GitHub alert, as on the run page.
  const warning = plan.retirementWarning && `> [!WARNING]\n> ${plan.retirementWarning}`;
  const parts = [dates.join(' '), warning].filter(Boolean);
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

export function renderPlan(plan: PlanReport): string {
  const where = `${code(plan.model)}, ${plan.method}, on ${PROVIDER_NAMES[plan.provider]}`;
  const parts = [`### Fine-tuning plan: ${plan.decision}`, where];
  if (plan.decision === 'invalid') {
    parts.push('#### The data fails the check', problems(plan.files));
  } else {
    const table = [
      '| file | examples | tokens |',
      '| --- | --- | --- |',
      ...plan.files.map(
        ({ given, report }) =>
          `| ${code(given)} | ${count(report.examples)} | ${count(report.tokens.total)} |`,
      ),
    ].join('\n');
    parts.push('#### Data', table, estimateText(plan.data!));
    if (plan.evaluation) parts.push(`Then the evaluation (\`eval-file\`): ${costText(plan.evaluation)}.`);
    parts.push('#### Since the last model', comparisonText(plan));
  }
  parts.push('#### What merging does', mergeText(plan));
  const retirement = retirementText(plan);
  if (retirement) parts.push(retirement);
  return parts.join('\n\n');
}
