// Inspects file content as it streams to disk, so that uploads of any size are measured and
// checked without ever being held whole in memory.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** What was measured; the JSONL figures stay zero/null when the analyzer was told not to look. */
export interface ContentStats {
  bytes: number;
  /** Non-blank lines: the training examples of a JSONL file. */
  examples: number;
  /** Why the content is not valid JSONL, or `null` when every line is a JSON object. */
  jsonlProblem: string | null;
  md5: string | null;
}

const NEWLINE = 0x0a;
// One JSONL example larger than this is not a training example but a file without newlines;
// refusing to buffer it keeps memory bounded.
const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** A pass-through stream that measures what flows through it; read `stats` after it finishes. */
export class ContentAnalyzer extends Transform {
  private bytes = 0;
  private lines = 0;
  private examples = 0;
  private problem: string | null = null;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overlong = false;
  private readonly hash: Hash | null;
  private readonly jsonl: boolean;

  /** `jsonl: false` only counts bytes (for content whose format does not matter); `md5` hashes it. */
  constructor(options: { jsonl?: boolean; md5?: boolean } = {}) {
    super();
    this.jsonl = options.jsonl ?? true;
    this.hash = options.md5 ? createHash('md5') : null;
  }

  get stats(): ContentStats {
    let jsonlProblem = this.problem;
    if (this.jsonl && jsonlProblem === null && this.examples === 0)
      jsonlProblem = 'Invalid file format. The file contains no examples.';
    return {
      bytes: this.bytes,
      examples: this.examples,
      jsonlProblem,
      md5: this.hash ? this.hash.copy().digest('hex') : null,
    };
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash?.update(chunk);
    if (!this.jsonl) {
      done(null, chunk);
      return;
    }
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      this.buffer(chunk.subarray(start, nl));
      this.endLine();
      start = nl + 1;
    }
    if (start < chunk.length) this.buffer(chunk.subarray(start));
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.pendingBytes > 0 || this.overlong) this.endLine();
    done();
  }

  private buffer(piece: Buffer): void {
    if (this.overlong || piece.length === 0) return;
    if (this.pendingBytes + piece.length > MAX_LINE_BYTES) {
      this.overlong = true;
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    this.pending.push(piece);
    this.pendingBytes += piece.length;
  }

  private endLine(): void {
    this.lines++;
    const lineNumber = this.lines;
    if (this.overlong) {
      this.overlong = false;
      this.examples++;
      this.problem ??= `Invalid file format. Line ${lineNumber} is longer than ${MAX_LINE_BYTES} bytes.`;
      return;
    }
    const text = Buffer.concat(this.pending, this.pendingBytes).toString('utf8').trim();
    this.pending = [];
    this.pendingBytes = 0;
    if (text === '') return;
    this.examples++;
    // After the first bad line the verdict is settled; parsing the rest would only cost time.
    if (this.problem === null) this.problem = jsonObjectProblem(text, lineNumber);
  }
}

/** Measures content already in memory by the same rules as a stream (small generated files). */
export function measure(content: string, options: { jsonl?: boolean } = {}): ContentStats {
  const analyzer = new ContentAnalyzer(options);
  const ignore = () => undefined;
  analyzer._transform(Buffer.from(content), 'utf8', ignore);
  analyzer._flush(ignore);
  return analyzer.stats;
}

function jsonObjectProblem(text: string, lineNumber: number): string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `Invalid file format. Line ${lineNumber} is not valid JSON.`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `Invalid file format. Line ${lineNumber} is not a JSON object.`;
  }
  return null;
}
