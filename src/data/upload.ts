import * as core from '@actions/core';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { FileObject, JobClient } from '../client.js';
import type { DataSource } from '../config.js';
import { retrying } from '../retry.js';
import { sleep } from '../sleep.js';
import { sha256File } from './hash.js';

export interface FileReady {
  id: string;
  /** What the data is, whatever its id: the content hash of a local file, else the given id. */
  identity: string;
}

export interface UploadTiming {
  pollIntervalMs: number;
  deadline: number;
  signal?: AbortSignal;
  maxAttempts: number;
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

async function findUploaded(client: JobClient, name: string, bytes: number): Promise<FileObject | undefined> {
  const files = await client.fineTuneFiles();
  return files.find((file) => file.filename === name && file.bytes === bytes && file.status !== 'error');
}

async function upload(client: JobClient, input: string, filePath: string, timing: UploadTiming) {
  const sha256 = await sha256File(filePath);
  const name = uploadName(filePath, sha256);
  const bytes = statSync(filePath).size;
  const earlier = await findUploaded(client, name, bytes);
  if (earlier) {
    core.info(`${input}: ${path.basename(filePath)} was already uploaded as ${earlier.id}; using it again`);
    return { file: earlier, identity: sha256 };
  }
  const file = await retrying(() => client.uploadFile(filePath, name), {
    ...timing,
    recover: () => findUploaded(client, name, bytes),
  });
  core.info(`${input}: uploaded ${path.basename(filePath)} as ${file.id} (${file.bytes} bytes)`);
  return { file, identity: sha256 };
}

/**
 * Makes a data source usable by a job: uploads a local file (an id is used as it is), then waits
 * until the API has processed it, failing with the API's reason when processing ends in error.
 */
export async function prepareFile(
  client: JobClient,
  input: string,
  source: DataSource,
  timing: UploadTiming,
): Promise<FileReady> {
  let { file, identity } =
    source.kind === 'id'
      ? { file: await client.retrieveFile(source.id), identity: source.id }
      : await upload(client, input, source.path, timing);
  if (source.kind === 'id') core.info(`${input}: using uploaded file ${file.id} (${file.filename})`);
  while (file.status !== 'processed') {
    if (file.status === 'error') {
      throw new Error(
        `${input}: the API could not process ${file.id}: ${file.status_details ?? 'no details given'}`,
      );
    }
    const left = timing.deadline - Date.now();
    if (left <= 0)
      throw new Error(`${input}: file ${file.id} was still ${file.status} when wait-timeout ran out`);
    await sleep(Math.min(timing.pollIntervalMs, left), timing.signal);
    if (timing.signal?.aborted) throw new Error(`${input}: stopped while file ${file.id} was processing`);
    file = await client.retrieveFile(file.id);
  }
  return { id: file.id, identity };
}
