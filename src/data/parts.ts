import * as core from '@actions/core';
import { stat } from 'node:fs/promises';
import { APIUserAbortError } from 'openai/core/error';
import type { FileObject, JobClient } from '../api/client.js';
import { describeError } from '../api/errors.js';
import { isTransientApiError, retrying } from '../api/retry.js';
import { hashFile } from './hash.js';
import { logText } from '../github/log.js';

const MiB = 1024 * 1024;
/**
 * The part size used. Node's fetch keeps a streamed request body in memory until its request ends
 * (nodejs/undici#4058), so a part's bytes times the parts in flight is what an upload holds: parts
 * well below the API's largest (64 MB, in the binary sense the official SDKs use) keep that small
 * whatever the file's size.
 */
export const PART_BYTES = 16 * MiB;
/** Parts sent at once: enough to fill a runner's uplink, few enough that memory stays flat. */
export const DEFAULT_PART_CONCURRENCY = 4;

export interface PartsOptions {
  /** Epoch milliseconds: no part or retry starts after it, and parts in flight are stopped. */
  deadline: number;
  /** The run being cancelled: parts in flight are stopped and the upload is cancelled. */
  signal?: AbortSignal;
  /** Tries per request (each part, and the complete), as for every other upload. */
  maxAttempts: number;
  /** Bytes per part; the last one holds the rest. Default `PART_BYTES`. */
  partSize?: number;
  /** Parts in flight at once. Default 4. */
  concurrency?: number;
  /** MD5 of the file, when it was already read for another reason; otherwise computed here. */
  md5?: string;
  /**
   * Called after a complete failed for want of an answer: the file it may have made, if found.
   * A second complete of an Upload that did complete would be refused.
   */
  recover?: () => Promise<FileObject | undefined>;
}

/** [start, end) byte ranges of `partSize` covering `bytes`, in file order. */
function partRanges(bytes: number, partSize: number): Array<[number, number]> {
  if (!(Number.isInteger(partSize) && partSize > 0))
    throw new RangeError(`part size must be a whole number of bytes above 0, got ${partSize}`);
  const ranges: Array<[number, number]> = [];
  for (let start = 0; start < bytes; start += partSize)
    ranges.push([start, Math.min(bytes, start + partSize)]);
  return ranges;
}

/**
 * Uploads a file through the Uploads API: one Upload, its parts streamed from disk a few at a time
 * (each retried on its own from a fresh read of its range), then completed with the parts in file
 * order and the file's MD5, which the API checks. Memory holds a few stream buffers, whatever the
 * file's size. If anything fails (a part out of tries, a permanent error, the deadline, the run
 * being cancelled), the Upload is cancelled before the error is thrown, so nothing is left pending.
 */
export async function uploadInParts(
  client: JobClient,
  filePath: string,
  filename: string,
  options: PartsOptions,
): Promise<FileObject> {
  const partSize = options.partSize ?? PART_BYTES;
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_PART_CONCURRENCY);
  const { size: bytes } = await stat(filePath);
  const ranges = partRanges(bytes, partSize);
  const md5 = options.md5 ?? (await hashFile(filePath)).md5;

  const upload = await client.createUpload({ bytes, filename });
  // An Upload takes no parts an hour after its creation, so that is a deadline too.
  const expiresAt = upload.expires_at * 1000;
  const deadline = Math.min(options.deadline, expiresAt);
  core.info(
    `${logText(filename)}: ${bytes} bytes, sent as ${logText(upload.id)} in ${ranges.length} parts of up to ${size(partSize)}`,
  );

  // Stops every request still in flight once a part has failed, the deadline has passed or the run
  // is cancelled, instead of letting them run on towards an upload that will be cancelled.
  const stop = new AbortController();
  const timeUp = AbortSignal.timeout(Math.max(0, deadline - Date.now()));
  const halt = AbortSignal.any([stop.signal, timeUp, ...(options.signal ? [options.signal] : [])]);
  const bounded = client.withSignal(halt);
  const retry = { deadline, signal: halt, maxAttempts: options.maxAttempts };

  const ids = new Array<string>(ranges.length);
  let next = 0;
  let sent = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!halt.aborted && next < ranges.length) {
      const index = next++;
      const [start, end] = ranges[index];
      try {
        const part = await retrying(() => bounded.addUploadPart(upload.id, filePath, start, end), retry);
        ids[index] = part.id;
        sent++;
        core.debug(`${logText(upload.id)}: bytes ${start}-${end - 1} are ${logText(part.id)}`);
        // About every tenth of the file, so that a long upload shows it is moving.
        if (Math.floor((sent * 10) / ranges.length) > Math.floor(((sent - 1) * 10) / ranges.length))
          core.info(`${logText(filename)}: ${sent} of ${ranges.length} parts sent`);
      } catch (error) {
        // The first failure is the cause; the aborts it then triggers in other workers are not.
        failure ??= { error };
        stop.abort();
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, ranges.length) }, worker));
    if (failure) throw failure.error;
    if (halt.aborted) throw new APIUserAbortError();
    return await retrying(
      async () => {
        const done = await bounded.completeUpload(upload.id, ids, md5);
        if (!done.file) throw new Error(`${upload.id} was completed, but the API named no file for it`);
        return done.file;
      },
      { ...retry, recover: options.recover },
    );
  } catch (error) {
    stop.abort();
    await cancelQuietly(client, upload.id);
    if (options.signal?.aborted)
      throw new Error(`stopped while uploading ${filename}; ${upload.id} was cancelled`, { cause: error });
    if (timeUp.aborted && (error instanceof APIUserAbortError || isTransientApiError(error))) {
      const why =
        deadline < options.deadline
          ? `${upload.id} expired (an hour after it was created)`
          : 'wait-timeout ran out';
      throw new Error(`${why} while uploading ${filename}; ${upload.id} was cancelled`, { cause: error });
    }
    throw error;
  }
}

function size(bytes: number): string {
  return bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes} bytes`;
}

/** Best effort: an Upload left pending only expires, so a failed cancel must not hide the cause. */
async function cancelQuietly(client: JobClient, uploadId: string): Promise<void> {
  try {
    await client.forCleanup().cancelUpload(uploadId);
  } catch (error) {
    core.warning(`Could not cancel ${uploadId} (it expires on its own): ${describeError(error)}`);
  }
}
