// Means and their 95% intervals by the paired bootstrap (Efron and Tibshirani, "An Introduction
// to the Bootstrap", 1993; Koehn, "Statistical Significance Tests for Machine Translation
// Evaluation", 2004, for the paired form): the examples are drawn with replacement, the same draw
// for the candidate and the baseline, and the interval is the 2.5th to the 97.5th percentile of
// the means over the draws.

export type Interval = [number, number];

/** Draws per interval: enough for percentiles stable to about a point on a 0..1 mean. */
const BOOTSTRAP_RESAMPLES = 1000;
/** A fixed seed: the same scores give the same interval on every run, so a re-run reads the same. */
const BOOTSTRAP_SEED = 0x5eed;

export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return values.length === 0 ? 0 : sum / values.length;
}

/** mulberry32: a small seeded generator of numbers in [0, 1), plenty for resampling. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The q-th quantile of sorted values, interpolated between neighbours (numpy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

/**
 * The 95% interval of the mean of each series, all series resampled with the same draws of
 * example indices: the series are per-example figures of the same examples (the candidate's
 * scores, the baseline's, their differences), so each draw keeps them paired.
 */
export function pairedBootstrap(
  series: ReadonlyArray<readonly number[]>,
  resamples = BOOTSTRAP_RESAMPLES,
  seed = BOOTSTRAP_SEED,
): Interval[] {
  const n = series[0]?.length ?? 0;
  if (n === 0) return series.map(() => [0, 0]);
  const random = seededRandom(seed);
  const means = series.map(() => new Float64Array(resamples));
  const sums = new Float64Array(series.length);
  for (let r = 0; r < resamples; r += 1) {
    sums.fill(0);
    for (let i = 0; i < n; i += 1) {
      const pick = Math.floor(random() * n);
      for (let s = 0; s < series.length; s += 1) sums[s] += series[s][pick];
    }
    for (let s = 0; s < series.length; s += 1) means[s][r] = sums[s] / n;
  }
  return means.map((values) => {
    const sorted = Array.from(values).sort((a, b) => a - b);
    return [quantile(sorted, 0.025), quantile(sorted, 0.975)];
  });
}
