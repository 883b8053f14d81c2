// A loss chart for the job summary, drawn from the job's result file (step_metrics.csv).

/** One row of the result file: `step` plus whichever metrics the row has a number for. */
export interface MetricRow {
  step: number;
  train_loss?: number;
  train_accuracy?: number;
  valid_loss?: number;
  valid_mean_token_accuracy?: number;
  train_mean_reward?: number;
  full_valid_loss?: number;
  full_valid_mean_token_accuracy?: number;
  [column: string]: number | undefined;
}

const headerOf = (text: string): string[] =>
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/, 1)[0]
    .split(',')
    .map((cell) => cell.trim());

const looksLikeCsv = (text: string) => headerOf(text).includes('step');

/**
 * The result file's CSV text. The API serves it base64-encoded (and may one day stop), so both
 * forms are accepted; anything else throws rather than yielding an empty chart silently.
 */
export function decodeResultFile(content: string): string {
  if (looksLikeCsv(content)) return content;
  const compact = content.replace(/\s+/g, '');
  // Buffer.from(..., 'base64') skips characters outside the alphabet instead of failing, so
  // text that merely happens to decode must be told apart by the header it decodes to.
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) {
    const decoded = Buffer.from(compact, 'base64').toString('utf8');
    if (looksLikeCsv(decoded)) return decoded;
  }
  throw new Error('The result file is neither a metrics CSV with a "step" column nor base64 of one.');
}

/** The CSV's rows keyed by its header; cells that are empty or not finite numbers are left out. */
export function parseMetrics(csv: string): MetricRow[] {
  const [headerLine, ...lines] = csv.split(/\r?\n/);
  const header = headerOf(headerLine);
  const rows: MetricRow[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const cells = line.split(',');
    const row: Record<string, number> = {};
    header.forEach((column, i) => {
      const cell = cells[i]?.trim();
      // Number('') is 0, so an empty cell must be caught before converting.
      if (!cell) return;
      const value = Number(cell);
      if (Number.isFinite(value)) row[column] = value;
    });
    if (row.step !== undefined) rows.push(row as MetricRow);
  }
  return rows;
}

// Intl, unlike Number#toString, never switches to exponent notation (1.2e-7), which xychart's
// number syntax does not accept. Four digits are plenty for a picture; axis bounds get more so
// that rounding cannot pull a bound inside the values it must hold.
// Made on first use: building a formatter loads locale data, which every start would otherwise
// pay before its first request, chart or not (`npm run bench` measures start-up).
let formats: { loss: Intl.NumberFormat; bound: Intl.NumberFormat } | undefined;
function format() {
  formats ??= {
    loss: new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4, useGrouping: false }),
    bound: new Intl.NumberFormat('en-US', { maximumSignificantDigits: 12, useGrouping: false }),
  };
  return formats;
}

const PALETTE = [
  { name: 'Blue', hex: '#1f77b4' },
  { name: 'Orange', hex: '#ff7f0e' },
];

/**
 * For `count` evenly spaced steps from the first to the last of sorted `steps`, the index of the
 * nearest row. Mermaid's linear x-axis puts the k-th value at the k-th evenly spaced position, so
 * each point must be the row nearest that position: where rows are sparse a row repeats, rather
 * than every later point sliding left of its step.
 */
function nearestAtEvenSteps(steps: number[], count: number): number[] {
  const first = steps[0];
  const span = steps[steps.length - 1] - first;
  const picked: number[] = [];
  let j = 0;
  for (let i = 0; i < count; i++) {
    const target = first + (span * i) / (count - 1);
    while (j + 1 < steps.length && steps[j + 1] <= target) j++;
    picked.push(j + 1 < steps.length && steps[j + 1] - target < target - steps[j] ? j + 1 : j);
  }
  return picked;
}

/** A y-axis range holding every value with a little margin, on round numbers, not below 0 unless a value is. */
function lossRange(values: number[]): [number, number] {
  const min = Math.min(...values);
  const max = Math.max(...values);
  // A flat line still needs a range with some height for Mermaid to draw it.
  const margin = max > min ? (max - min) * 0.05 : Math.max(Math.abs(max) * 0.1, 0.1);
  const unit = 10 ** (Math.floor(Math.log10(max - min + 2 * margin)) - 1);
  const low = Math.floor((min - margin) / unit) * unit;
  const high = Math.ceil((max + margin) / unit) * unit;
  return [min >= 0 ? Math.max(0, low) : low, high];
}

/**
 * Markdown for the job summary: a Mermaid xychart of training (and validation) loss by step, at
 * most `maxPoints` points per line, with a note naming the lines. Undefined when fewer than two
 * rows have a training loss, since one point makes no line.
 */
export function lossChart(rows: MetricRow[], maxPoints = 100): string | undefined {
  if (!Number.isInteger(maxPoints) || maxPoints < 2)
    throw new RangeError(`maxPoints must be an integer of at least 2, got ${maxPoints}`);
  const sorted = [...rows].sort((a, b) => a.step - b.step);
  const training = sorted.filter((row) => row.train_loss !== undefined);
  if (training.length < 2) return undefined;

  // Validation is measured only every so many steps. Restricting the chart to the steps that
  // have both would throw away most of the training curve, so the last validation loss is
  // carried forward instead: each point shows the latest measurement at or before its step,
  // taken from every row, not only the rows kept. Before the first measurement the line starts
  // flat at that measurement, because xychart cannot leave a gap.
  const validationAt = new Map<number, number>();
  const firstValidation = sorted.find((row) => row.valid_loss !== undefined);
  const hasValidation = firstValidation !== undefined;
  let lastValidation = firstValidation?.valid_loss;
  for (const row of sorted) {
    lastValidation = row.valid_loss ?? lastValidation;
    if (lastValidation !== undefined) validationAt.set(row.step, lastValidation);
  }

  const kept = nearestAtEvenSteps(
    training.map((row) => row.step),
    Math.min(maxPoints, training.length),
  ).map((i) => training[i]);
  // The range is taken over the printed, rounded values so that none can fall outside it.
  const printed = (values: number[]) => values.map((value) => format().loss.format(value));
  const trainLoss = printed(kept.map((row) => row.train_loss!));
  const validLoss = hasValidation ? printed(kept.map((row) => validationAt.get(row.step)!)) : [];
  const [low, high] = lossRange([...trainLoss, ...validLoss].map(Number));
  const series = (values: string[]) => `  line [${values.join(', ')}]`;

  // A band axis would print every one of up to maxPoints step labels on top of each other; a
  // linear one gets a handful of round ticks.
  const first = kept[0].step;
  const last = kept[kept.length - 1].step;
  const lines = [
    '```mermaid',
    // xychart draws no legend, so the colours are fixed (the theme's default palette differs
    // between GitHub's light and dark modes) for the note below to name them.
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${PALETTE.map((c) => c.hex).join(', ')}"}}}}%%`,
    'xychart-beta',
    '  title "Loss by step"',
    `  x-axis "step" ${format().bound.format(first)} --> ${format().bound.format(last)}`,
    `  y-axis "loss" ${format().bound.format(low)} --> ${format().bound.format(high)}`,
    series(trainLoss),
    ...(hasValidation ? [series(validLoss)] : []),
    '```',
    hasValidation
      ? `${PALETTE[0].name} (first line): training loss; ${PALETTE[1].name.toLowerCase()} (second line): validation loss as last measured${firstValidation.step > first ? ` (first measured at step ${firstValidation.step})` : ''}.`
      : `${PALETTE[0].name} line: training loss.`,
  ];
  return lines.join('\n');
}
