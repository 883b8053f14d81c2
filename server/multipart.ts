// Receives a multipart/form-data request, streaming each file part to a temporary file on disk
// through a ContentAnalyzer, so a gigabyte upload costs no more memory than a small one.
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { ContentAnalyzer, type ContentStats } from './analyze.ts';
import { ApiError, invalidRequest } from './errors.ts';
import { randomToken } from './ids.ts';

export interface ReceivedFile {
  field: string;
  filename: string;
  /** Where the bytes are; whoever keeps the file moves it away before the form is disposed. */
  path: string;
  stats: ContentStats;
}

export interface MultipartForm {
  fields: Record<string, string>;
  files: ReceivedFile[];
  /** Deletes temporary files that nobody moved away. */
  dispose(): Promise<void>;
}

export interface ReceiveOptions {
  tempDir: string;
  maxFileBytes: number;
  /** Whether file content is checked as JSONL while it streams (see ContentAnalyzer). */
  jsonl: boolean;
}

export async function receiveMultipart(
  req: IncomingMessage,
  options: ReceiveOptions,
): Promise<MultipartForm> {
  const paths: string[] = [];
  const dispose = async () => {
    await Promise.all(paths.map((path) => rm(path, { force: true })));
  };
  try {
    return { ...(await parse(req, options, paths)), dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

function parse(
  req: IncomingMessage,
  options: ReceiveOptions,
  paths: string[],
): Promise<Omit<MultipartForm, 'dispose'>> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      // One byte over the limit is enough to know the file is too large; busboy discards the rest.
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: options.maxFileBytes + 1, fieldSize: 1024 * 1024 },
      });
    } catch {
      req.resume();
      reject(invalidRequest('Expected a multipart/form-data request body.'));
      return;
    }
    const fields: Record<string, string> = {};
    const files: ReceivedFile[] = [];
    const writes: Promise<void>[] = [];
    let tooLarge: string | null = null;

    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (field, stream, info) => {
      const path = join(options.tempDir, `incoming-${randomToken(16)}`);
      paths.push(path);
      const analyzer = new ContentAnalyzer({ jsonl: options.jsonl });
      stream.on('limit', () => {
        tooLarge = field;
      });
      writes.push(
        pipeline(stream, analyzer, createWriteStream(path)).then(() => {
          files.push({ field, filename: info.filename ?? 'upload', path, stats: analyzer.stats });
        }),
      );
    });
    parser.on('error', () =>
      reject(invalidRequest('The multipart/form-data request body could not be parsed.')),
    );
    parser.on('close', () => {
      Promise.all(writes).then(() => {
        if (tooLarge !== null) {
          const message = `File is too large: the maximum size is ${options.maxFileBytes} bytes.`;
          reject(new ApiError(413, message, { param: tooLarge, code: 'file_too_large' }));
        } else {
          resolve({ fields, files });
        }
      }, reject);
    });
    req.pipe(parser);
  });
}
