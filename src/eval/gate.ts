export interface GateInput {
  /** The candidate's mean score, 0 to 1. */
  candidate: number;
  /** The baseline's mean score; absent when there is no baseline (`baseline-model: none`). */
  baseline?: number;
  /** `min-score`: the candidate's mean must reach it, when given. */
  minScore?: number;
  /** `max-regression`: how far the candidate's mean may fall below the baseline's (default 0). */
  maxRegression?: number;
}

export interface GateResult {
  passed: boolean;
  /** Why it failed, one sentence per rule broken; empty when it passed. */
  reasons: string[];
}

// Means are sums of floating-point scores: a candidate that answers exactly as the baseline must
// not fail by a rounding error.
const EPSILON = 1e-9;

const show = (value: number) => value.toFixed(4).replace(/\.?0+$/, '');

/**
 * The gate: passes when the candidate's mean reaches `min-score` (when given) and is no more than
 * `max-regression` below the baseline's (when there is a baseline).
 */
export function gate({ candidate, baseline, minScore, maxRegression = 0 }: GateInput): GateResult {
  const reasons: string[] = [];
  if (minScore !== undefined && candidate < minScore - EPSILON)
    reasons.push(`the candidate's mean score ${show(candidate)} is below min-score ${show(minScore)}`);
  if (baseline !== undefined && candidate < baseline - maxRegression - EPSILON) {
    reasons.push(
      `the candidate's mean score ${show(candidate)} is ${show(baseline - candidate)} below the baseline's ` +
        `${show(baseline)}, more than max-regression ${show(maxRegression)} allows`,
    );
  }
  return { passed: reasons.length === 0, reasons };
}
