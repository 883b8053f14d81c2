import * as core from '@actions/core';
import path from 'node:path';
import type { JobClient } from '../client.js';
import type { DataSource } from '../config.js';
import { sleep } from '../sleep.js';

export interface FileReady {
  /** The input the file came from, for messages. */
  input: string;
  id: string;
}

export interface UploadTiming {
  pollIntervalMs: number;
  deadline: number;
  signal?: AbortSignal;
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
  let file;
  if (source.kind === 'id') {
    file = await client.retrieveFile(source.id);
    core.info(`${input}: using uploaded file ${file.id} (${file.filename})`);
  } else {
    file = await client.uploadFile(source.path);
    core.info(`${input}: uploaded ${path.basename(source.path)} as ${file.id} (${file.bytes} bytes)`);
  }
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
  return { input, id: file.id };
}
