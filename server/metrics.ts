// Synthetic but plausible training metrics: a loss that falls and an accuracy that rises with a
// little deterministic noise, the same for a given job and step wherever they are reported
// (metric events, checkpoints, the results CSV).

export interface StepMetrics {
  step: number;
  train_loss: number;
  train_mean_token_accuracy: number;
  valid_loss?: number;
  valid_mean_token_accuracy?: number;
  full_valid_loss?: number;
  full_valid_mean_token_accuracy?: number;
}

/** Which validation figures a step carries: none, a validation batch, or also the full set. */
export type Evaluation = 'none' | 'batch' | 'full';

export function metricsAt(step: number, total: number, seed: number, evaluation: Evaluation): StepMetrics {
  const progress = 1 - Math.exp((-4 * step) / total);
  const noise = (salt: number) => noiseAt(seed, step, salt);
  const metrics: StepMetrics = {
    step,
    train_loss: round(0.05 + 1.9 * (1 - progress) + 0.08 * noise(1)),
    train_mean_token_accuracy: round(Math.min(1, 0.55 + 0.44 * progress + 0.02 * noise(2))),
  };
  if (evaluation !== 'none') {
    metrics.valid_loss = round(0.1 + 2 * (1 - progress) + 0.1 * noise(3));
    metrics.valid_mean_token_accuracy = round(Math.min(1, 0.5 + 0.45 * progress + 0.03 * noise(4)));
  }
  if (evaluation === 'full') {
    metrics.full_valid_loss = round(0.12 + 2 * (1 - progress) + 0.05 * noise(5));
    metrics.full_valid_mean_token_accuracy = round(Math.min(1, 0.5 + 0.44 * progress + 0.01 * noise(6)));
  }
  return metrics;
}

/** The text of a metrics event, as the API words it: "Step 3/30: training loss=0.52". */
export function metricsMessage(metrics: StepMetrics, total: number): string {
  let message = `Step ${metrics.step}/${total}: training loss=${metrics.train_loss.toFixed(2)}`;
  if (metrics.valid_loss !== undefined) message += `, validation loss=${metrics.valid_loss.toFixed(2)}`;
  if (metrics.full_valid_loss !== undefined)
    message += `, full validation loss=${metrics.full_valid_loss.toFixed(2)}`;
  return message;
}

/** `count` steps spread evenly over 1..total, always ending at `total`. */
export function spreadSteps(total: number, count: number): number[] {
  const steps = new Set<number>();
  const n = Math.min(count, total);
  for (let i = 1; i <= n; i++) steps.add(Math.max(1, Math.round((i * total) / n)));
  return [...steps];
}

const RESULTS_CSV_HEADER =
  'step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy,train_mean_reward,full_valid_loss,full_valid_mean_token_accuracy';

// The real file has a row per step; beyond this many steps rows are sampled so that a huge
// dataset does not produce a results file of hundreds of megabytes.
const MAX_CSV_ROWS = 10_000;

/** The results file's CSV; `evaluationAt` says which figures each step has. */
export function resultsCsv(total: number, seed: number, evaluationAt: (step: number) => Evaluation): string {
  const stride = Math.ceil(total / MAX_CSV_ROWS);
  const steps: number[] = [];
  for (let step = stride; step < total; step += stride) steps.push(step);
  steps.push(total);
  const rows = [RESULTS_CSV_HEADER];
  for (const step of steps) {
    const m = metricsAt(step, total, seed, evaluationAt(step));
    const cells = [
      step,
      m.train_loss,
      m.train_mean_token_accuracy,
      m.valid_loss,
      m.valid_mean_token_accuracy,
      undefined, // train_mean_reward: only reinforcement jobs have rewards
      m.full_valid_loss,
      m.full_valid_mean_token_accuracy,
    ];
    rows.push(
      cells.map((v) => (v === undefined ? '' : Number.isInteger(v) ? String(v) : v.toFixed(5))).join(','),
    );
  }
  return rows.join('\n') + '\n';
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

// A small integer hash mapped to [-1, 1): cheap, stateless and reproducible per (seed, step, salt).
function noiseAt(seed: number, step: number, salt: number): number {
  let h = (seed ^ Math.imul(step, 0x9e3779b1) ^ Math.imul(salt, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 31 - 1;
}
