import type { GateInput, GateResult } from './gate.js';
import type { Grader } from './graders.js';
import type { EvalRecord } from './record.js';
import type { EvalResult } from './run.js';
import type { EvalSummary } from './summary.js';

/** A record with how far the candidate's score fell below the baseline's on it. */
export type Regression = EvalRecord & { drop: number };

/** The JSON written to the `eval-report` file. */
export interface EvalReport {
  /** Bumped when a field changes meaning, so that a later step can tell. */
  version: 1;
  graders: readonly Grader[];
  summary: EvalSummary;
  gate: GateResult & Pick<GateInput, 'minScore' | 'maxRegression'>;
  /** The examples on which the candidate fell furthest below the baseline, worst first. */
  regressed: Regression[];
  /** Every example: the prompt, the reference, both answers and each grader's score. */
  examples: EvalRecord[];
}

/** The examples where the candidate scored furthest below the baseline, worst first; ties by line. */
export function regressedMost(records: readonly EvalRecord[], count: number): Regression[] {
  return records
    .filter((record) => record.baseline !== undefined && record.baseline.score > record.candidate.score)
    .map((record) => ({ ...record, drop: record.baseline!.score - record.candidate.score }))
    .sort((a, b) => b.drop - a.drop || a.line - b.line)
    .slice(0, count);
}

/** How many regressed examples the report lists; the summary may show fewer. */
const REGRESSED_IN_REPORT = 20;

export function buildReport(
  result: EvalResult,
  graders: readonly Grader[],
  decision: GateResult,
  rules: Pick<GateInput, 'minScore' | 'maxRegression'>,
): EvalReport {
  return {
    version: 1,
    graders,
    summary: result.summary,
    gate: { ...decision, ...rules },
    regressed: regressedMost(result.records, REGRESSED_IN_REPORT),
    examples: result.records,
  };
}
