// Large-file uploads through the Uploads API, against the real local API (not mocks): what the
// server assembles, what it was sent, and what is left behind when an upload fails.
import { TRAITS } from '../../src/api/provider.js';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startServer, type LocalApi } from '../../server/index.ts';
import { JobClient } from '../../src/api/client.js';
import { hashFile } from '../../src/data/hash.js';
import { uploadInParts, type PartsOptions } from '../../src/data/parts.js';
import { identify, prepareFile, uploadName } from '../../src/data/upload.js';

const KiB = 1024;
const PART = 64 * KiB;
const PARTS_ROUTE = '/uploads/{upload_id}/parts';
const COMPLETE_ROUTE = '/uploads/{upload_id}/complete';

// One server for the file, each test looking only at what it sent: closing a server waits for
// connections still mid-request, and the parts these tests cut off on purpose leave some behind.
let api: LocalApi;
let client: JobClient;
let dir: string;
/** Where this test's requests and files begin in the server's records. */
let mark = { requests: 0, files: 0 };

beforeAll(async () => {
  api = await startServer({ fileProcessingMs: 10, maxPartBytes: PART });
  client = new JobClient(
    { apiKey: api.apiKey, baseURL: api.url, provider: 'openai' as const, organization: null, project: null },
    { maxRetries: 0 },
  );
});

afterAll(async () => {
  await api.close();
});

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'parts-'));
  mark = { requests: api.requests.length, files: api.files().length };
});

afterEach(() => {
  vi.restoreAllMocks();
  api.clearFaults();
  expect(api.contractViolations).toEqual([]);
});

/** This test's requests with this method whose route template or path is `route`. */
function requestsTo(method: string, route: string) {
  return api.requests
    .slice(mark.requests)
    .filter((r) => r.method === method && (r.route === route || r.path === route));
}

/** Files this test made. */
const newFiles = () => api.files().slice(mark.files);

let made = 0;

/**
 * Training data of about `bytes` bytes whose every line differs, so parts out of order would show,
 * and unlike any earlier file, so none is taken for one already uploaded.
 */
function trainingFile(name: string, bytes: number): { file: string; content: Buffer } {
  const lines: string[] = [];
  let size = 0;
  for (let i = made++ * 1_000_000; size < bytes; i++) {
    const line =
      JSON.stringify({
        messages: [
          { role: 'user', content: `What is ${i} squared?` },
          { role: 'assistant', content: `${i} squared is ${i * i}.` },
        ],
      }) + '\n';
    lines.push(line);
    size += line.length;
  }
  const content = Buffer.from(lines.join(''));
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return { file, content };
}

function options(change: Partial<PartsOptions> = {}): PartsOptions {
  return { deadline: Date.now() + 20_000, maxAttempts: 5, partSize: PART, ...change };
}

interface Try {
  start: number;
  ok: boolean;
  id?: string;
}

/**
 * Watches every part the action sends (each try of each byte range, and how it ended) without
 * changing it; `before` runs ahead of a try, to hold one back.
 */
function watchParts(before?: (start: number) => Promise<void>) {
  const original = JobClient.prototype.addUploadPart;
  const tries: Try[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  vi.spyOn(JobClient.prototype, 'addUploadPart').mockImplementation(async function (
    this: JobClient,
    uploadId,
    filePath,
    start,
    end,
  ) {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      await before?.(start);
      const part = await original.call(this, uploadId, filePath, start, end);
      tries.push({ start, ok: true, id: part.id });
      return part;
    } catch (error) {
      tries.push({ start, ok: false });
      throw error;
    } finally {
      inFlight--;
    }
  });
  return {
    tries,
    maxInFlight: () => maxInFlight,
    triesOf: (start: number) => tries.filter((t) => t.start === start).length,
  };
}

// OpenAI refuses to download fine-tune files, and so does the local API; it hands the bytes it keeps to tests.
function contentOf(fileId: string): Promise<Buffer> {
  return api.fileContent(fileId);
}

function completeBody(): { part_ids: string[]; md5?: string } {
  const complete = requestsTo('POST', COMPLETE_ROUTE);
  expect(complete).toHaveLength(1);
  return complete[0].body as { part_ids: string[]; md5?: string };
}

/** The upload's state as the API holds it: a pending one would take a cancel; others say why not. */
async function statusOf(uploadId: string): Promise<string> {
  const response = await fetch(`${api.url}/uploads/${uploadId}/cancel`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.apiKey}` },
  });
  if (response.ok) return 'pending';
  const { error } = (await response.json()) as { error: { message: string } };
  return /its status is (\w+)/.exec(error.message)?.[1] ?? error.message;
}

function uploadIdSent(): string {
  const uploads = new Set(requestsTo('POST', PARTS_ROUTE).map((r) => r.path.split('/')[2]));
  expect(uploads.size).toBe(1);
  return [...uploads][0];
}

const starts = (bytes: number) => Array.from({ length: Math.ceil(bytes / PART) }, (_, i) => i * PART);

describe('uploadInParts', () => {
  it('sends a few hundred KB in 64 KB parts, four at a time, and the API assembles exactly the original bytes', async () => {
    const { file, content } = trainingFile('train.jsonl', 300 * KiB);
    // Answers slow enough that parts overlap, as they do over a real network.
    api.setFaults({ delayMs: 40 });
    // The first part is held back until every other part is sent, so that it finishes last:
    // part_ids must still follow the file.
    const others = starts(content.length).length - 1;
    const watch = watchParts(async (start) => {
      while (start === 0 && watch.tries.filter((t) => t.ok).length < others)
        await new Promise((resolve) => setTimeout(resolve, 5));
    });

    const uploaded = await uploadInParts(client, file, 'train-big.jsonl', options());

    expect(uploaded).toMatchObject({ object: 'file', bytes: content.length, filename: 'train-big.jsonl' });
    expect((await contentOf(uploaded.id)).equals(content)).toBe(true);
    expect(watch.maxInFlight()).toBe(4);
    expect(watch.tries.at(-1)?.start).toBe(0);
    const inFileOrder = [...watch.tries].sort((a, b) => a.start - b.start).map((t) => t.id);
    const sent = completeBody();
    expect(sent.part_ids).toEqual(inFileOrder);
    expect(sent.part_ids).toHaveLength(5);
    expect(sent.md5).toBe(createHash('md5').update(content).digest('hex'));
    expect(requestsTo('POST', '/uploads').length).toBe(1);
  });

  it('refuses data that changed after it was hashed: the API checks the md5, the upload is cancelled, the caller gets why', async () => {
    const { file, content } = trainingFile('train.jsonl', 200 * KiB);
    const { md5 } = await hashFile(file);
    // Same size, different bytes: only the checksum can tell.
    content[10] = content[10] === 0x61 ? 0x62 : 0x61;
    writeFileSync(file, content);

    await expect(uploadInParts(client, file, 'train.jsonl', options({ md5 }))).rejects.toMatchObject({
      status: 400,
      param: 'md5',
    });
    expect(completeBody().md5).toBe(md5);
    expect(await statusOf(uploadIdSent())).toBe('cancelled');
    expect(newFiles()).toEqual([]);
  });

  it('sends a dropped part again on its own: only that part twice, every other part once', async () => {
    const { file, content } = trainingFile('train.jsonl', 300 * KiB);
    // Seed 35 at rate 0.2 faults the first request the parts route sees and none of the next 11.
    api.setFaults({ rate: 0.2, seed: 35, kinds: ['drop'], routes: [PARTS_ROUTE] });
    const watch = watchParts();

    const uploaded = await uploadInParts(client, file, 'train.jsonl', options());

    expect((await contentOf(uploaded.id)).equals(content)).toBe(true);
    expect(requestsTo('POST', PARTS_ROUTE).filter((r) => r.fault === 'drop')).toHaveLength(1);
    const failed = watch.tries.filter((t) => !t.ok);
    expect(failed).toHaveLength(1);
    for (const start of starts(content.length)) {
      expect(watch.triesOf(start)).toBe(start === failed[0].start ? 2 : 1);
    }
    expect(requestsTo('POST', PARTS_ROUTE).length).toBe(6);
    expect(requestsTo('POST', '/uploads').length).toBe(1);
  });

  it('fails at once on a part the API refuses for good, cancels the upload, and the caller gets the API error', async () => {
    const { file, content } = trainingFile('train.jsonl', 600 * KiB);
    const watch = watchParts();

    // Parts larger than the API takes: 413, which no retry can fix.
    const failure = uploadInParts(client, file, 'train.jsonl', options({ partSize: 96 * KiB }));

    await expect(failure).rejects.toMatchObject({ status: 413, param: 'data' });
    expect(watch.tries.every((t) => !t.ok)).toBe(true);
    // No range was tried twice, and no new part started after the first refusal came back.
    expect(new Set(watch.tries.map((t) => t.start)).size).toBe(watch.tries.length);
    expect(watch.tries.length).toBeLessThan(Math.ceil(content.length / (96 * KiB)));
    expect(await statusOf(uploadIdSent())).toBe('cancelled');
    expect(requestsTo('POST', COMPLETE_ROUTE).length).toBe(0);
    expect(newFiles()).toEqual([]);
  });

  it.each([
    ['the deadline passes', /^wait-timeout ran out while uploading train\.jsonl; upload_\w+ was cancelled$/],
    ['the run is cancelled', /^stopped while uploading train\.jsonl; upload_\w+ was cancelled$/],
  ])('when %s with parts in flight, stops them at once and cancels the upload', async (when, message) => {
    const { file } = trainingFile('train.jsonl', 300 * KiB);
    const watch = watchParts();
    // From the moment the upload exists, every answer takes 600 ms.
    const createUpload = JobClient.prototype.createUpload;
    vi.spyOn(JobClient.prototype, 'createUpload').mockImplementation(async function (this: JobClient, p) {
      const upload = await createUpload.call(this, p);
      api.setFaults({ delayMs: 600 });
      return upload;
    });
    let limits = options({ deadline: Date.now() + 300 });
    if (when === 'the run is cancelled') {
      limits = options({ signal: AbortSignal.timeout(300) });
    }

    const started = Date.now();
    await expect(uploadInParts(client, file, 'train.jsonl', limits)).rejects.toThrow(message);

    // Cut off at ~300 ms, plus one (slow) cancel: not left to run until the parts' answers came.
    expect(Date.now() - started).toBeLessThan(1500);
    expect(watch.tries).toHaveLength(4);
    expect(watch.tries.every((t) => !t.ok)).toBe(true);
    api.clearFaults();
    expect(await statusOf(uploadIdSent())).toBe('cancelled');
    expect(requestsTo('POST', COMPLETE_ROUTE).length).toBe(0);
  });
});

describe('prepareFile', () => {
  const timing = { pollIntervalMs: 10, deadline: Date.now() + 60_000, maxAttempts: 5, partSize: PART };

  it('sends a file above partsAbove in parts and one at or below it with POST /files, both under the content-addressed name', async () => {
    const big = trainingFile('big.jsonl', 200 * KiB);
    const small = trainingFile('small.jsonl', 100 * KiB);

    const bigData = await identify(
      'training-file',
      { kind: 'path', path: big.file, given: 'big.jsonl' },
      TRAITS.openai,
    );
    const viaUploads = await prepareFile(client, 'training-file', bigData, {
      ...timing,
      partsAbove: big.content.length - 1,
    });
    expect(requestsTo('POST', '/uploads').length).toBe(1);
    expect(requestsTo('POST', '/files').length).toBe(0);

    const smallData = await identify(
      'validation-file',
      {
        kind: 'path',
        path: small.file,
        given: 'small.jsonl',
      },
      TRAITS.openai,
    );
    const viaFiles = await prepareFile(client, 'validation-file', smallData, {
      ...timing,
      partsAbove: small.content.length,
    });
    expect(requestsTo('POST', '/uploads').length).toBe(1);
    expect(requestsTo('POST', '/files').length).toBe(1);

    const files = new Map(newFiles().map((f) => [f.id, f]));
    const bigHash = (await hashFile(big.file)).sha256;
    expect(bigData.identity).toBe(bigHash);
    expect(files.get(viaUploads)).toMatchObject({
      filename: uploadName(big.file, bigHash),
      status: 'processed',
      bytes: big.content.length,
    });
    expect(files.get(viaFiles)).toMatchObject({
      filename: uploadName(small.file, (await hashFile(small.file)).sha256),
      status: 'processed',
    });
    expect((await contentOf(viaUploads)).equals(big.content)).toBe(true);
  });

  it('uses a file sent in parts earlier again instead of sending it twice', async () => {
    const big = trainingFile('big.jsonl', 200 * KiB);
    const data = await identify(
      'training-file',
      { kind: 'path', path: big.file, given: 'big.jsonl' },
      TRAITS.openai,
    );

    const first = await prepareFile(client, 'training-file', data, { ...timing, partsAbove: PART });
    const again = await prepareFile(client, 'training-file', data, { ...timing, partsAbove: PART });

    expect(again).toBe(first);
    expect(requestsTo('POST', '/uploads').length).toBe(1);
    expect(requestsTo('POST', PARTS_ROUTE).length).toBe(4);
  });
});
