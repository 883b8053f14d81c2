import { isUtf8 } from 'node:buffer';
import { hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { code } from '../github/markdown.js';
import type { MethodType } from '../facts/methods.js';
import { checkExample } from './formats.js';
import type { Encoding } from '../facts/models.js';
import { exampleSize, findSpecialToken, type CountTokens } from './tokens.js';

export interface ValidateOptions {
  method: MethodType;
  role: 'training' | 'validation';
  /**
   * The model to train, which decides the supervised format (chat, or prompt/completion) and the
   * framing counted for tool definitions.
   */
  model?: string;
  /** How many images an example may hold; 0: the model is not fine-tuned on images. */
  imagesPerExample: number;
  count: CountTokens;
  /** The encoding `count` counts with, which also decides how tool definitions are framed. */
  encoding?: Encoding;
  tokenLimit: number;
  /**
   * Whether an example over `tokenLimit` is an error. Not when the counts are only an estimate (a
   * model whose tokenizer is not known): then it is a warning, never a refusal on a guess.
   */
  strictLimit: boolean;
  graderFields: readonly string[];
  /** Hashes of the training examples, to spot validation examples that repeat them. */
  trainingHashes?: ReadonlySet<number>;
  /** Count every example's tokens exactly instead of a sample (slower; used to prove the estimate). */
  exact?: boolean;
}

interface Finding {
  /** 1-based; 0 for the file as a whole. */
  line: number;
  /** 1-based, where the JSON parser stopped on a line that is not JSON, when it says. */
  column?: number;
  message: string;
}

interface Summary {
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
  /** Image parts in the valid examples. */
  images: number;
  /** Of those, the ones counted at an assumed size (at a remote URL, so not known here). */
  assumedImageSizes: number;
  hashes: Set<number>;
}

/** The API's minimum number of training examples. */
export const MIN_TRAINING_EXAMPLES = 10;
/** The most examples reinforcement fine-tuning takes per file (OpenAI's reinforcement fine-tuning guide). */
export const MAX_REINFORCEMENT_EXAMPLES = { training: 50_000, validation: 1_000 } as const;
const KEPT_ERRORS = 50;
/** Examples counted exactly before sampling starts, then one in SAMPLE_EVERY. */
const EXACT_FIRST = 1_000;
const SAMPLE_EVERY = 32;
const BLOCK = 256;

/**
 * Duplicates are found by a 48-bit slice of each example's SHA-1, so the validator keeps a number
 * per example, not the example; a collision would only mean a spurious "duplicate" warning.
 */
function digest48(bytes: Buffer): number {
  // The one-shot hash(): a Hash object per line costs more than the hashing itself.
  return hash('sha1', bytes, 'buffer').readUIntBE(0, 6);
}

const LF = 0x0a;
const CR = 0x0d;
const startsWithBom = (bytes: Buffer) =>
  bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;

function summarize(values: Float64Array | number[]): Summary {
  if (values.length === 0) return { min: 0, mean: 0, p95: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];
  return { min: sorted[0], mean: sum / sorted.length, p95, max: sorted[sorted.length - 1] };
}

/**
 * Why and where JSON.parse stopped, from V8's message, without the line's own text (which V8 quotes
 * and which must never reach a log raw). V8 gives a position for most mistakes; for an unexpected
 * token it quotes the text around it instead, up to 10 characters either side, marked `...` where cut,
 * and the position is found from that. The message in any other form gives no column.
 */
const PADDING = ' '.repeat(24);

function whereJsonStops(line: string, message: string): { reason?: string; column?: number } {
  const at = /^(.*?) (?:in JSON )?at position (\d+)/.exec(message);
  if (at)
    return {
      reason: `${at[1][0].toLowerCase()}${at[1].slice(1)} at column ${Number(at[2]) + 1}`,
      column: Number(at[2]) + 1,
    };
  if (message === 'Unexpected end of JSON input')
    return { reason: 'the line ends inside a value', column: line.length + 1 };
  const token = /^Unexpected token '(.+?)', (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/.exec(message);
  if (!token) return {};
  const [, character, before, context, after] = token;
  let position: number | undefined;
  if (before) position = line.includes(context) ? line.indexOf(context) + 10 : undefined;
  else if (after) position = context.length - 10;
  else if (!line.endsWith(PADDING)) {
    // A short line is quoted whole, which says nothing of where; padded with spaces (nothing to
    // JSON) it is quoted up to 10 characters past the token, which does.
    try {
      JSON.parse(line + PADDING);
    } catch (error) {
      return whereJsonStops(line + PADDING, (error as Error).message);
    }
  }
  const shown = /^[\x21-\x7e]$/.test(character) ? `'${character}'` : 'character';
  if (position === undefined || position < 0 || line[position] !== character)
    return { reason: `unexpected ${shown}` };
  return { reason: `unexpected ${shown} at column ${position + 1}`, column: position + 1 };
}

/**
 * Checks a JSONL file line by line (never whole in memory) against the method's format, and
 * counts its tokens. Tokenizing every example of a large file would cost many times the parse,
 * so after the first EXACT_FIRST examples only one in SAMPLE_EVERY is tokenized; each other one
 * is estimated from its length at the tokens-per-character rate of the samples in its own block
 * of BLOCK examples, so a file whose language or style changes part way is estimated from the
 * part it is in. No limit check is guessed: a token is at least one byte, so an example whose
 * UTF-8 size could exceed the limit is always counted exactly.
 */
export async function validateFile(filePath: string, options: ValidateOptions): Promise<FileReport> {
  const errors: Finding[] = [];
  const warnings = new Map<string, Finding & { count: number }>();
  const firstSeen = new Map<number, number>();
  const messageCounts: number[] = [];
  // Exact counts are stored as they are; estimates as minus the line length, resolved at the end
  // from the sampled rate of their block.
  const tokenValues: number[] = [];
  const blockTokens: number[] = [];
  const blockChars: number[] = [];
  let errorCount = 0;
  let countedTokens = 0;
  let countedChars = 0;
  let exactlyCounted = 0;
  let images = 0;
  let assumedImageSizes = 0;
  // The counted examples' tokens as billed, less what the API would cut off beyond the limit.
  let cappedCounted = 0;
  let lineNumber = 0;

  const fail = (line: number, message: string, column?: number) => {
    errorCount += 1;
    if (errors.length < KEPT_ERRORS) errors.push({ line, message, ...(column ? { column } : {}) });
  };
  const warn = (line: number, message: string) => {
    const seen = warnings.get(message);
    if (seen) seen.count += 1;
    else warnings.set(message, { line, message, count: 1 });
  };

  // Everything that may throw runs before the report's state changes, so a line that throws
  // leaves no half-counted example behind.
  const examine = (bytes: Buffer) => {
    // Decoding would turn bytes that are not UTF-8 into U+FFFD and count those; the API refuses them.
    if (!isUtf8(bytes)) {
      fail(lineNumber, 'is not valid UTF-8 text');
      return;
    }
    const line = bytes.toString('utf8');
    if (line.trim() === '') {
      warn(lineNumber, 'blank line (skipped)');
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      const { reason, column } = whereJsonStops(line, (error as Error).message);
      fail(lineNumber, `is not valid JSON${reason ? ` (${reason})` : ''}`, column);
      return;
    }
    const check = checkExample(
      options.method,
      value,
      options.graderFields,
      options.model,
      options.imagesPerExample,
    );
    for (const message of check.errors) fail(lineNumber, message);
    for (const message of check.warnings) warn(lineNumber, message);
    // Every line, sampled or not: a special token is a refusal, not a count. A token's `|` may
    // come escaped (\u007c) and only a line holding one is walked, which keeps the scan cheap.
    const special =
      (line.includes('|') || line.includes('\\u007')) && typeof value === 'object'
        ? findSpecialToken(value)
        : undefined;
    if (special) {
      fail(
        lineNumber,
        `${code(special.path)} holds the special token ${code(special.token)}, which the API refuses`,
      );
    }
    if (check.errors.length > 0 || special) return;

    const index = messageCounts.length;
    // UTF-8 takes at most 3 bytes per UTF-16 unit: only a line that long can hold `tokenLimit` tokens.
    const couldExceed = line.length * 3 > options.tokenLimit && bytes.length > options.tokenLimit;
    // An image's tokens have nothing to do with its line's length (a data URL is long, a remote URL
    // short), so an example with images is always counted, and left out of the sampled rate.
    const counted =
      options.exact || index < EXACT_FIRST || index % SAMPLE_EVERY === 0 || couldExceed || check.images > 0;
    const size = counted
      ? exampleSize(options.method, value as Record<string, unknown>, options.count, options.encoding)
      : undefined;
    const tokens = size?.tokens ?? 0;
    const hash = digest48(bytes);

    const first = firstSeen.get(hash);
    if (first !== undefined) warn(lineNumber, 'repeats an earlier example');
    else firstSeen.set(hash, lineNumber);
    if (options.trainingHashes?.has(hash)) warn(lineNumber, 'also appears in the training file');
    messageCounts.push(check.messages);
    images += check.images;
    if (counted) {
      if (check.images === 0) {
        const block = Math.floor(index / BLOCK);
        blockTokens[block] = (blockTokens[block] ?? 0) + tokens;
        blockChars[block] = (blockChars[block] ?? 0) + line.length;
        countedTokens += tokens;
        countedChars += line.length;
      }
      assumedImageSizes += size!.assumedImageSizes;
      exactlyCounted += 1;
      tokenValues.push(tokens);
      const limit = options.tokenLimit;
      const longest = Math.max(...size!.sequences);
      cappedCounted += size!.sequences.reduce((sum, s) => sum - Math.max(0, s - limit), tokens);
      if (longest > limit) {
        const what =
          options.method === 'dpo'
            ? `has ${longest.toLocaleString('en-US')} tokens in its input with its longer output`
            : `has ${longest.toLocaleString('en-US')} tokens`;
        const message = `${what}; an example may hold ${limit.toLocaleString('en-US')}`;
        if (options.strictLimit) fail(lineNumber, message);
        else warn(lineNumber, `${message} (approximately: this model's tokenizer is not known)`);
      }
    } else {
      tokenValues.push(-line.length);
    }
  };

  const onLine = (bytes: Buffer) => {
    lineNumber += 1;
    if (lineNumber === 1 && startsWithBom(bytes)) {
      // Some editors start a UTF-8 file with one; it is not part of the first example.
      warn(1, 'starts with a byte-order mark (read past it)');
      bytes = bytes.subarray(3);
    }
    try {
      examine(bytes);
    } catch (error) {
      // One example that trips the checker is one error, never a run that stops.
      fail(
        lineNumber,
        `could not be checked: ${code(error instanceof Error ? error.message : String(error))}`,
      );
    }
  };

  // Line breaks as readline took them (LF, CRLF or a lone CR), split from bytes rather than
  // decoded text so that each line's encoding can be checked.
  const onPiece = (bytes: Buffer) => {
    const end = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
    let start = 0;
    for (let cr = bytes.indexOf(CR); cr !== -1 && cr < end; cr = bytes.indexOf(CR, start)) {
      onLine(bytes.subarray(start, cr));
      start = cr + 1;
    }
    onLine(bytes.subarray(start, end));
  };

  // A line cut by a chunk's end is kept as the pieces it came in, joined once its end arrives.
  let carry: Buffer[] = [];
  for await (const chunk of createReadStream(filePath) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let lf = chunk.indexOf(LF); lf !== -1; lf = chunk.indexOf(LF, start)) {
      const piece = chunk.subarray(start, lf);
      start = lf + 1;
      if (carry.length === 0) onPiece(piece);
      else {
        carry.push(piece);
        onPiece(Buffer.concat(carry));
        carry = [];
      }
    }
    if (start < chunk.length) carry.push(chunk.subarray(start));
  }
  if (carry.length > 0) onPiece(Buffer.concat(carry));

  const examples = messageCounts.length;
  if (options.role === 'training' && errorCount === 0 && examples < MIN_TRAINING_EXAMPLES) {
    fail(0, `holds ${examples} examples; the API needs at least ${MIN_TRAINING_EXAMPLES}`);
  }
  if (options.role === 'validation' && errorCount === 0 && examples === 0) fail(0, 'holds no examples');
  const most = MAX_REINFORCEMENT_EXAMPLES[options.role];
  if (options.method === 'reinforcement' && examples > most) {
    fail(
      0,
      `holds ${examples.toLocaleString('en-US')} examples; reinforcement fine-tuning takes at most ${most.toLocaleString('en-US')} in a ${options.role} file`,
    );
  }
  const overall = countedChars > 0 ? countedTokens / countedChars : 0;
  const rateOf = (block: number) => (blockChars[block] ? blockTokens[block] / blockChars[block] : overall);
  const resolved = Float64Array.from(tokenValues, (value, index) =>
    value >= 0 ? value : Math.round(-value * rateOf(Math.floor(index / BLOCK))),
  );
  let total = cappedCounted;
  resolved.forEach((value, index) => {
    if (tokenValues[index] < 0) total += Math.min(value, options.tokenLimit);
  });
  return {
    examples,
    errorCount,
    errors,
    warnings: [...warnings.values()],
    messages: summarize(messageCounts),
    tokens: { ...summarize(resolved), total, exactlyCounted },
    images,
    assumedImageSizes,
    hashes: new Set(firstSeen.keys()),
  };
}
