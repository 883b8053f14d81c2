import type { CheckedFile, DataReport } from '../data/preflight.js';
import { describeImages } from '../data/images.js';

// What the command-line validator prints: lines a person reads in a terminal, where an editor or
// `grep` finds `path:line:column:` (the form compilers use), and one JSON document for tools.

/** Each problem of a file as `path:line[:column]: level: message`, errors first, in file order. */
export function problemLines(file: CheckedFile): string[] {
  const { given, report } = file;
  const where = (line: number, column?: number) =>
    line === 0 ? given : `${given}:${line}${column ? `:${column}` : ''}`;
  const lines = report.errors.map(({ line, column, message }) => `${where(line, column)}: error: ${message}`);
  const unshown = report.errorCount - report.errors.length;
  if (unshown > 0) lines.push(`${given}: error: ${unshown} more errors are not shown`);
  for (const { line, message, count } of report.warnings) {
    const others = count > 1 ? ` (${count} examples, the first here)` : '';
    lines.push(`${where(line)}: warning: ${message}${others}`);
  }
  return lines;
}

/** A valid file's examples and tokens in one line; past the first examples only a sample is counted. */
export function statsLine({ given, report }: CheckedFile): string {
  const t = report.tokens;
  const estimated =
    t.exactlyCounted < report.examples
      ? ` (estimated: ${t.exactlyCounted} of ${report.examples} counted)`
      : '';
  const images = describeImages(report.images, report.assumedImageSizes);
  return `${given}: ${report.examples} examples; tokens per example${estimated} min ${t.min}, mean ${Math.round(t.mean)}, p95 ${t.p95}, max ${t.max}; ${t.total} in all${images && `; ${images}`}`;
}

export interface CheckDocument {
  valid: boolean;
  /** Of the model and the settings, not of a file (a model this action does not know). */
  warnings: string[];
  files: Array<{
    path: string;
    role: 'training' | 'validation';
    examples: number;
    tokens: { total: number; min: number; mean: number; p95: number; max: number; estimated: boolean };
    problems: Array<{
      line: number;
      column?: number;
      level: 'error' | 'warning';
      message: string;
      count?: number;
    }>;
    /** Errors in all; `problems` holds the first of them. */
    errors: number;
  }>;
  /** What the job would bill: absent when a file is invalid. */
  estimate?: {
    epochs: number;
    epochsReason: string;
    billedTokens?: number;
    approximate: boolean;
    cost?: number;
    priceSource?: string;
    text: string;
  };
}

/** The whole check as one document for tools (`--format json`). */
export function checkDocument(
  files: CheckedFile[],
  warnings: string[],
  estimate?: { report: DataReport; epochsReason: string; text: string },
): CheckDocument {
  const document: CheckDocument = {
    valid: files.every(({ report }) => report.errorCount === 0),
    warnings,
    files: files.map(({ given, input, report }) => ({
      path: given,
      role: input === 'training-file' ? 'training' : 'validation',
      examples: report.examples,
      tokens: {
        total: report.tokens.total,
        min: report.tokens.min,
        mean: report.tokens.mean,
        p95: report.tokens.p95,
        max: report.tokens.max,
        estimated: report.tokens.exactlyCounted < report.examples,
      },
      problems: [
        ...report.errors.map(({ line, column, message }) => ({
          line,
          ...(column ? { column } : {}),
          level: 'error' as const,
          message,
        })),
        ...report.warnings.map(({ line, message, count }) => ({
          line,
          level: 'warning' as const,
          message,
          count,
        })),
      ],
      errors: report.errorCount,
    })),
  };
  if (estimate) {
    const { report } = estimate;
    document.estimate = {
      epochs: report.epochs,
      epochsReason: estimate.epochsReason,
      ...(report.billedTokens !== undefined ? { billedTokens: report.billedTokens } : {}),
      approximate: report.approximate,
      ...(report.cost !== undefined ? { cost: report.cost } : {}),
      ...(report.price ? { priceSource: report.price.source } : {}),
      text: estimate.text,
    };
  }
  return document;
}
