import type { EvalEstimate, ModelTokens } from '../eval/estimate.js';
import type { EvalReport, Regression } from '../eval/report.js';
import type { Interval } from '../eval/stats.js';
import { dollars } from '../data/prices.js';
import { INFERENCE_PRICES_READ, INFERENCE_PRICES_SOURCE } from '../facts/inference-prices.js';
import { cell, code } from '../github/markdown.js';

/** One model's share of the estimate, with its dollars where its price is known. */
export interface PricedTokens extends ModelTokens {
  model: string;
  /** Undefined: no inference price is known for this model here. */
  dollars?: number;
}

/** What the evaluation will spend, known before anything is spent. */
export interface EvaluationCost {
  estimate: Pick<EvalEstimate, 'examples' | 'longestReference' | 'total'>;
  byModel: PricedTokens[];
  /** The dollars of the models whose price is known. */
  dollars: number;
  /** Models without a known price: their tokens are not in `dollars`. */
  unpriced: string[];
}

/** What the evaluation learned, for the outputs and the summary. */
export interface EvaluationRecord {
  cost: EvaluationCost;
  candidate?: string;
  baseline?: string;
  /** Why this baseline (or none). */
  baselineWhy?: string;
  report?: EvalReport;
  reportPath?: string;
  passed?: boolean;
  /** Azure: `deployment-name` now serves the candidate. Nothing promotes elsewhere. */
  promoted: boolean;
  recordedAnswers?: string;
}

const figure = (value: number) => value.toFixed(3);
const interval = ([low, high]: Interval) => `${figure(low)} to ${figure(high)}`;
const percent = (value: number | undefined) => (value === undefined ? 'n/a' : `${(value * 100).toFixed(1)}%`);
const count = (value: number) => value.toLocaleString('en-US');
/** What a regressed example shows of a text: enough to recognize it. */
const QUOTED_CHARS = 100;
const REGRESSED_SHOWN = 5;
/** A model's name (the API's text): one line, as inline code. */
const name = (text: string) => code(text.replace(/\s+/g, ' '));

export function costText(cost: EvaluationCost): string {
  const { total, examples } = cost.estimate;
  const tokens = `${count(examples)} examples, ${count(total.requests)} requests, about ${count(total.inputTokens)} input and ${count(total.outputTokens)} output tokens`;
  const priced =
    cost.unpriced.length === cost.byModel.length
      ? 'no inference price is known for these models here, so no dollar figure'
      : `${cost.dollars < 0.01 ? 'under $0.01' : `about ${dollars(cost.dollars)}`} (prices of ${INFERENCE_PRICES_READ}, ${INFERENCE_PRICES_SOURCE})` +
        (cost.unpriced.length > 0
          ? `, not counting ${cost.unpriced.map(name).join(', ')}, whose price is not known here`
          : '');
  return `${tokens}; ${priced}`;
}

/** Text from a prompt, a reference or an answer: one line, cut, as inline code that renders nothing. */
function quoted(text: string | undefined): string {
  if (text === undefined) return '';
  return cell(code(text.replace(/\s+/g, ' ').trim(), QUOTED_CHARS));
}

function promptText(regression: Regression): string {
  const last = regression.prompt.at(-1);
  const content = last?.content;
  return typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content.map((part) => ('text' in part ? part.text : '')).join('')
      : '';
}

/** The evaluation's section of the job summary. */
export function evaluationSection(evaluation: EvaluationRecord): string {
  const lines = ['### Evaluation', '', `Estimated before it ran: ${costText(evaluation.cost)}.`, ''];
  const report = evaluation.report;
  if (!report) return [...lines, 'The evaluation did not finish.', ''].join('\n');
  const { summary, gate } = report;
  const verdict = gate.passed ? '**Passed**' : `**Failed**: ${gate.reasons.join('; ')}`;
  lines.push(
    `Gate: ${verdict}. ${evaluation.promoted ? 'deployment-name now serves the candidate' : 'Nothing was promoted'}.`,
    '',
  );
  const candidate = summary.candidate;
  const baseline = summary.baseline;
  lines.push(
    `Candidate ${name(candidate.model)}: ${figure(candidate.score)} (95% interval ${interval(candidate.interval)})` +
      (baseline
        ? `; baseline ${name(baseline.model)}: ${figure(baseline.score)} (${interval(baseline.interval)}); difference ${figure(summary.difference!.score)} (${interval(summary.difference!.interval)})`
        : `; no baseline${evaluation.baselineWhy ? ` (${evaluation.baselineWhy})` : ''}`) +
      `, over ${count(summary.examples)} examples.`,
    '',
  );
  if (baseline && evaluation.baselineWhy) lines.push(`Baseline: ${evaluation.baselineWhy}.`, '');
  lines.push(
    '| grader | candidate mean | pass rate | 95% interval | baseline mean | pass rate | 95% interval |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const [name, ours] of Object.entries(candidate.graders)) {
    const theirs = baseline?.graders[name];
    lines.push(
      `| ${cell(code(name))} | ${figure(ours.mean)} | ${percent(ours.passRate)} | ${interval(ours.interval)} | ` +
        (theirs
          ? `${figure(theirs.mean)} | ${percent(theirs.passRate)} | ${interval(theirs.interval)} |`
          : '| | |'),
    );
  }
  const regressed = report.regressed.slice(0, REGRESSED_SHOWN);
  if (regressed.length > 0) {
    lines.push(
      '',
      `#### Regressed most (${regressed.length} of ${report.regressed.length} listed in the report)`,
      '',
      '| line | prompt (last message) | reference | candidate | score | baseline | score |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const r of regressed) {
      lines.push(
        `| ${r.line} | ${quoted(promptText(r))} | ${quoted(r.reference)} | ${quoted(r.candidate.answer)} | ${figure(r.candidate.score)} | ${quoted(r.baseline?.answer)} | ${figure(r.baseline!.score)} |`,
      );
    }
  }
  if (evaluation.reportPath) lines.push('', "Every example is in the `eval-report` output's JSON file.");
  if (evaluation.recordedAnswers)
    lines.push('', 'The answers were recorded as an eval file (`record-answers`).');
  lines.push('');
  return lines.join('\n');
}
