import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { MethodType } from '../method.js';
import { checkExample } from './formats.js';
import { exampleTokens, type CountTokens } from './tokens.js';

export interface ValidateOptions {
  method: MethodType;
  role: 'training' | 'validation';
  count: CountTokens;
  tokenLimit: number;
  graderFields: readonly string[];
  /** Hashes of the training examples, to spot validation examples that repeat them. */
  trainingHashes?: ReadonlySet<number>;
  /** Count every example's tokens exactly instead of a sample (slower; used to prove the estimate). */
  exact?: boolean;
}

export interface Finding {
  /** 1-based; 0 for the file as a whole. */
  line: number;
  message: string;
}

export interface Summary {
  min: number;
  mean: number;
  p95: number;
  max: number;
}

export interface FileReport {
  examples: number;
  errorCount: number;
  /** The first errors, in file order (a broken file must not flood memory or the log). */
  errors: Finding[];
  /** Each kind of warning once, with how often it occurred and where first. */
  warnings: Array<Finding & { count: number }>;
  messages: Summary;
  tokens: Summary & { total: number; exactlyCounted: number };
  hashes: Set<number>;
}

/** The API's minimum number of training examples. */
export const MIN_TRAINING_EXAMPLES = 10;
const KEPT_ERRORS = 50;
/** Examples counted exactly before sampling starts, then one in SAMPLE_EVERY. */
const EXACT_FIRST = 1_000;
const SAMPLE_EVERY = 16;

/**
 * Duplicates are found by a 48-bit slice of each example's MD5, so the validator keeps a number
 * per example, not the example; a collision would only mean a spurious "duplicate" warning.
 */
function digest48(text: string): number {
  return createHash('md5').update(text).digest().readUIntBE(0, 6);
}

function summarize(values: Float64Array | number[]): Summary {
  if (values.length === 0) return { min: 0, mean: 0, p95: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];
  return { min: sorted[0], mean: sum / sorted.length, p95, max: sorted[sorted.length - 1] };
}

/**
 * Checks a JSONL file line by line (never whole in memory) against the method's format, and
 * counts its tokens. Tokenizing every example of a large file would cost many times the parse,
 * so after the first EXACT_FIRST examples only one in SAMPLE_EVERY is tokenized; the others are
 * estimated from their length at the tokens-per-character rate of those counted, and any example
 * whose estimate comes near the model's limit is counted exactly, so no limit check is guessed.
 */
export async function validateFile(filePath: string, options: ValidateOptions): Promise<FileReport> {
  const lines = createInterface({ input: createReadStream(filePath), crlfDelay: Infinity });
  const errors: Finding[] = [];
  const warnings = new Map<string, Finding & { count: number }>();
  const firstSeen = new Map<number, number>();
  const messageCounts: number[] = [];
  // Exact counts are stored as they are; estimates as minus the line length, resolved at the end.
  const tokenValues: number[] = [];
  let errorCount = 0;
  let countedTokens = 0;
  let countedChars = 0;
  let exactlyCounted = 0;
  let lineNumber = 0;

  const fail = (line: number, message: string) => {
    errorCount += 1;
    if (errors.length < KEPT_ERRORS) errors.push({ line, message });
  };
  const warn = (line: number, message: string) => {
    const seen = warnings.get(message);
    if (seen) seen.count += 1;
    else warnings.set(message, { line, message, count: 1 });
  };

  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') {
      warn(lineNumber, 'blank line (skipped)');
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      fail(lineNumber, 'is not valid JSON');
      continue;
    }
    const check = checkExample(options.method, value, options.graderFields);
    for (const message of check.errors) fail(lineNumber, message);
    for (const message of check.warnings) warn(lineNumber, message);
    if (check.errors.length > 0) continue;

    const hash = digest48(line);
    const first = firstSeen.get(hash);
    if (first !== undefined) warn(lineNumber, 'repeats an earlier example');
    else firstSeen.set(hash, lineNumber);
    if (options.trainingHashes?.has(hash)) warn(lineNumber, 'also appears in the training file');

    const index = messageCounts.length;
    messageCounts.push(check.messages);
    const rate = countedChars > 0 ? countedTokens / countedChars : 0;
    const nearLimit = line.length * rate > options.tokenLimit * 0.8;
    if (options.exact || index < EXACT_FIRST || index % SAMPLE_EVERY === 0 || nearLimit) {
      const tokens = exampleTokens(options.method, value as Record<string, unknown>, options.count);
      countedTokens += tokens;
      countedChars += line.length;
      exactlyCounted += 1;
      tokenValues.push(tokens);
      if (tokens > options.tokenLimit) {
        fail(
          lineNumber,
          `has ${tokens.toLocaleString('en-US')} tokens; an example may hold ${options.tokenLimit.toLocaleString('en-US')}`,
        );
      }
    } else {
      tokenValues.push(-line.length);
    }
  }

  const examples = messageCounts.length;
  if (options.role === 'training' && errorCount === 0 && examples < MIN_TRAINING_EXAMPLES) {
    fail(0, `holds ${examples} examples; the API needs at least ${MIN_TRAINING_EXAMPLES}`);
  }
  const rate = countedChars > 0 ? countedTokens / countedChars : 0;
  const resolved = Float64Array.from(tokenValues, (value) =>
    value >= 0 ? value : Math.round(-value * rate),
  );
  let total = 0;
  for (const value of resolved) total += Math.min(value, options.tokenLimit);
  return {
    examples,
    errorCount,
    errors,
    warnings: [...warnings.values()],
    messages: summarize(messageCounts),
    tokens: { ...summarize(resolved), total, exactlyCounted },
    hashes: new Set(firstSeen.keys()),
  };
}
