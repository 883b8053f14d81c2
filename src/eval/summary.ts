import type { Grader } from './graders.js';
import type { EvalRecord } from './record.js';
import { mean, pairedBootstrap, type Interval } from './stats.js';

interface GraderSummary {
  mean: number;
  interval: Interval;
  /** The share of examples whose score reaches the grader's pass_threshold; absent without one. */
  passRate?: number;
  /** Examples the grader could not score (a judge's reply without a score), counted as 0. */
  errors: number;
}

interface ModelSummary {
  model: string;
  /** The mean of the examples' scores: `eval-score` / `baseline-score`. */
  score: number;
  interval: Interval;
  graders: Record<string, GraderSummary>;
}

export interface EvalSummary {
  examples: number;
  candidate: ModelSummary;
  baseline?: ModelSummary;
  /** The candidate's mean minus the baseline's, overall and per grader, with paired intervals. */
  difference?: {
    score: number;
    interval: Interval;
    graders: Record<string, { mean: number; interval: Interval }>;
  };
}

const hasThreshold = (grader: Grader) =>
  grader.type === 'string_check' ||
  ((grader.type === 'text_similarity' || grader.type === 'score_model') &&
    grader.pass_threshold !== undefined);

/** Means, pass rates and paired-bootstrap intervals of a finished evaluation. */
export function summarize(
  records: readonly EvalRecord[],
  graders: readonly Grader[],
  candidate: string,
  baseline?: string,
): EvalSummary {
  const names = graders.map((grader) => grader.name);
  const side = (pick: (record: EvalRecord) => EvalRecord['candidate'] | undefined) => ({
    overall: records.map((record) => pick(record)!.score),
    graders: names.map((name) => records.map((record) => pick(record)!.graders[name].score)),
  });
  const ours = side((record) => record.candidate);
  const theirs = baseline === undefined ? undefined : side((record) => record.baseline);
  const minus = (a: number[], b: number[]) => a.map((value, i) => value - b[i]);
  const series = [ours.overall, ...ours.graders];
  if (theirs) {
    series.push(theirs.overall, ...theirs.graders);
    series.push(
      minus(ours.overall, theirs.overall),
      ...ours.graders.map((values, g) => minus(values, theirs.graders[g])),
    );
  }
  const intervals = pairedBootstrap(series);
  const width = names.length + 1;

  const model = (
    name: string,
    pick: (record: EvalRecord) => EvalRecord['candidate'] | undefined,
    offset: number,
  ): ModelSummary => ({
    model: name,
    score: mean(series[offset]),
    interval: intervals[offset],
    graders: Object.fromEntries(
      graders.map((grader, g) => {
        const results = records.map((record) => pick(record)!.graders[grader.name]);
        const summary: GraderSummary = {
          mean: mean(series[offset + 1 + g]),
          interval: intervals[offset + 1 + g],
          errors: results.filter((result) => result.error !== undefined).length,
        };
        if (hasThreshold(grader))
          summary.passRate = results.filter((result) => result.passed).length / results.length;
        return [grader.name, summary];
      }),
    ),
  });

  const summary: EvalSummary = {
    examples: records.length,
    candidate: model(candidate, (r) => r.candidate, 0),
  };
  if (baseline !== undefined) {
    summary.baseline = model(baseline, (r) => r.baseline, width);
    summary.difference = {
      score: mean(series[2 * width]),
      interval: intervals[2 * width],
      graders: Object.fromEntries(
        names.map((name, g) => [
          name,
          { mean: mean(series[2 * width + 1 + g]), interval: intervals[2 * width + 1 + g] },
        ]),
      ),
    };
  }
  return summary;
}
