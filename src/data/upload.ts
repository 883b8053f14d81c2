import * as core from '@actions/core';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FileObject, JobClient } from '../api/client.js';
import type { ProviderTraits } from '../api/provider.js';
import type { DataSource } from './source.js';
import { retrying, sleep } from '../api/retry.js';
import { hashFile, type FileDigests } from './hash.js';
import { DEFAULT_PART_CONCURRENCY, PART_BYTES, uploadInParts } from './parts.js';
import { logText } from '../github/log.js';

const MiB = 1024 * 1024;
/** The largest Upload the API assembles (8 GB). */
export const MAX_UPLOAD_BYTES = 8 * 1024 * MiB;

/** A data source and what it holds: the content hash of a local file, else the given file id. */
export interface KnownData {
  source: DataSource;
  identity: string;
  digests?: FileDigests;
}

interface UploadTiming {
  pollIntervalMs: number;
  deadline: number;
  signal?: AbortSignal;
  maxAttempts: number;
  /**
   * Files larger than this are sent in parts through the Uploads API where the provider serves
   * it, smaller ones (and every file elsewhere) in one
   * `POST /files`. Default one part (`PART_BYTES`): every request's body is then held by fetch
   * only a part at a time.
   */
  partsAbove?: number;
  /** Bytes per part of such an upload. Default `PART_BYTES`. */
  partSize?: number;
  /** Parts of such an upload in flight at once. Default 4. */
  partConcurrency?: number;
}

/**
 * The name a local file is uploaded under: its own name with the start of its SHA-256, so that
 * the same content can be recognised among uploaded files (a re-run, or a retry whose answer was
 * lost) and used again instead of uploaded twice.
 */
export function uploadName(filePath: string, sha256: string): string {
  const ext = path.extname(filePath);
  return `${path.basename(filePath, ext)}-${sha256.slice(0, 16)}${ext}`;
}

/** A file that is still of use: not refused by the API's processing, nor on its way out (Azure). */
const usable = (file: FileObject) => !['error', 'deleting', 'deleted'].includes(file.status as string);

/**
 * An earlier upload of the same content: the name holds the start of its SHA-256, and the size,
 * purpose and status must agree too. The name alone is anyone's to give a file in a shared account.
 */
async function findUploaded(client: JobClient, name: string, bytes: number): Promise<FileObject | undefined> {
  const files = await client.fineTuneFiles();
  return files.find(
    (file) => file.filename === name && file.bytes === bytes && file.purpose === 'fine-tune' && usable(file),
  );
}

/** Whether an uploaded file holds this data: the given id itself, or an upload of the same content. */
export async function holdsData(client: JobClient, fileId: string, data: KnownData): Promise<boolean> {
  if (data.source.kind === 'id' || !data.digests) return fileId === data.identity;
  const file = await client.retrieveFile(fileId);
  return (
    file.filename === uploadName(data.source.path, data.digests.sha256) && file.bytes === data.digests.bytes
  );
}

/**
 * Learns what a data source holds before anything is sent: the identity that names the upload,
 * finds an identical earlier one, and tags the job (and lets skip-if-unchanged decide early).
 */
export async function identify(
  input: string,
  source: DataSource,
  traits: ProviderTraits,
): Promise<KnownData> {
  if (source.kind === 'id') return { source, identity: source.id };
  const { size } = await stat(source.path);
  // Checked before the file is read in full: hashing 8 GB only to be refused would waste minutes.
  const name = path.basename(source.path);
  if (traits.uploadsApi && size > MAX_UPLOAD_BYTES) {
    throw new Error(
      `${input}: ${name} is ${size} bytes; the API takes files of at most 8 GB (${MAX_UPLOAD_BYTES} bytes)`,
    );
  }
  if (!traits.uploadsApi && size > traits.maxFileBytes) {
    throw new Error(
      `${input}: ${name} is ${size} bytes, and this provider takes a file in one upload of at most ` +
        `${traits.maxFileBytes} bytes (it has no Uploads API for larger ones): split the data into ` +
        `smaller training and validation files, or upload it with the provider's own tools and pass the file id`,
    );
  }
  const digests = await hashFile(source.path);
  return { source, identity: digests.sha256, digests };
}

async function upload(
  client: JobClient,
  input: string,
  filePath: string,
  digests: FileDigests,
  timing: UploadTiming,
) {
  const { sha256, md5, bytes } = digests;
  const name = uploadName(filePath, sha256);
  const earlier = await findUploaded(client, name, bytes);
  if (earlier) {
    const made = new Date(earlier.created_at * 1000).toISOString();
    core.info(
      `${input}: ${logText(path.basename(filePath))} was already uploaded as ${logText(earlier.id)} (${logText(earlier.filename)}, ${earlier.bytes} bytes, made ${made}); using it again`,
    );
    return earlier;
  }
  const recover = () => findUploaded(client, name, bytes);
  const file =
    client.traits.uploadsApi && bytes > (timing.partsAbove ?? PART_BYTES)
      ? await uploadInParts(client, filePath, name, {
          deadline: timing.deadline,
          signal: timing.signal,
          maxAttempts: timing.maxAttempts,
          partSize: timing.partSize ?? PART_BYTES,
          concurrency: timing.partConcurrency ?? DEFAULT_PART_CONCURRENCY,
          md5,
          recover,
        })
      : await retrying(() => client.uploadFile(filePath, name), { ...timing, recover });
  core.info(
    `${input}: uploaded ${logText(path.basename(filePath))} as ${logText(file.id)} (${file.bytes} bytes)`,
  );
  return file;
}

/**
 * Makes a data source usable by a job: uploads a local file (an id is used as it is), then waits
 * until the API has processed it, failing with the API's reason when processing ends in error.
 */
export async function prepareFile(
  client: JobClient,
  input: string,
  data: KnownData,
  timing: UploadTiming,
): Promise<string> {
  const { source, digests } = data;
  let file =
    source.kind === 'path' && digests
      ? await upload(client, input, source.path, digests, timing)
      : await client.retrieveFile(data.identity);
  if (source.kind === 'id')
    core.info(`${input}: using uploaded file ${logText(file.id)} (${logText(file.filename)})`);
  // Some compatible providers leave `status` empty: a file they took without error is ready. Azure
  // answers `pending` and `running` before `processed`, waited for like OpenAI's `uploaded`.
  while (file.status !== 'processed' && file.status != null) {
    if (file.status === 'error') {
      throw new Error(
        `${input}: the API could not process ${file.id}: ${file.status_details ?? 'no details given'}`,
      );
    }
    // Azure's statuses for a file on its way out: it will never be processed.
    const status: string = file.status;
    if (status === 'deleting' || status === 'deleted')
      throw new Error(`${input}: file ${file.id} was deleted`);
    const left = timing.deadline - Date.now();
    if (left <= 0)
      throw new Error(`${input}: file ${file.id} was still ${file.status} when wait-timeout ran out`);
    await sleep(Math.min(timing.pollIntervalMs, left), timing.signal);
    if (timing.signal?.aborted) throw new Error(`${input}: stopped while file ${file.id} was processing`);
    file = await client.retrieveFile(file.id);
  }
  return file.id;
}
