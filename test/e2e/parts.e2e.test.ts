// Files far larger than any buffer the action should hold, uploaded to the local API while the
// uploading process's memory is watched: whatever the file's size, memory must not grow with it.
// Each upload runs in a fresh Node process, so that memory one case freed (which a process keeps)
// cannot hide what the next one holds. The upload code runs from src/ rather than the bundle,
// which only switches to parts above 512 MB.
import { execFile } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type LocalApi } from '../../server/index.ts';
import { PART_BYTES } from '../../src/data/parts.ts';

const MiB = 1024 * 1024;
const FILE_BYTES = 400 * MiB;
/**
 * What memory may grow by: half the file. fetch holds the body of each part in flight until its
 * request ends, and the collector lets spent read buffers pile up a while before it reclaims them;
 * neither depends on the file's size. An upload that held the file would grow by all of it.
 */
const MAX_GROWTH = FILE_BYTES / 2;
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

let api: LocalApi;
let dir: string;
let uploader: string;

// Node runs src/ as it is: types stripped (and transformed, for parameter properties), and the
// `.js` in its imports resolved to the `.ts` file beside it, as the bundler does.
const RESOLVE_TS = `data:text/javascript,${encodeURIComponent(
  `export async function resolve(specifier, context, next) {
     try { return await next(specifier, context); }
     catch (error) {
       if (!specifier.startsWith('.') || !specifier.endsWith('.js')) throw error;
       return next(specifier.slice(0, -3) + '.ts', context);
     }
   }`,
)}`;
const REGISTER = `data:text/javascript,${encodeURIComponent(
  `import { register } from 'node:module'; register(${JSON.stringify(RESOLVE_TS)});`,
)}`;

const UPLOADER = `
import { JobClient } from ${JSON.stringify(pathToFileURL(path.join(SRC, 'api/client.ts')).href)};
import { identify, prepareFile } from ${JSON.stringify(pathToFileURL(path.join(SRC, 'data/upload.ts')).href)};
const [baseURL, apiKey, file, options] = process.argv.slice(2);
const client = new JobClient({ apiKey, baseURL, provider: 'openai', organization: null, project: null }, { maxRetries: 0 });
const before = process.memoryUsage.rss();
let peak = before;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
const started = Date.now();
const data = await identify('training-file', { kind: 'path', path: file, given: 'large.jsonl' }, client.traits);
const id = await prepareFile(client, 'training-file', data, {
  deadline: Date.now() + 60_000, pollIntervalMs: 20, maxAttempts: 3, ...JSON.parse(options),
});
const elapsed = Date.now() - started;
clearInterval(sampler);
// The kernel's own high-water mark catches a spike between two samples.
peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
console.log('RESULT ' + JSON.stringify({ id, before, peak, elapsed }));
`;

beforeAll(async () => {
  api = await startServer({ fileProcessingMs: 10 });
  dir = mkdtempSync(path.join(tmpdir(), 'upload-memory-'));
  uploader = path.join(dir, 'uploader.mts');
  writeFileSync(uploader, UPLOADER);
});

afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
  expect(api.contractViolations).toEqual([]);
});

/** About `bytes` of JSONL, a block at a time; long lines keep the API's line checks quick. */
function writeLargeFile(file: string, bytes: number, label: string): number {
  const line = JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(2000) }] }) + '\n';
  const block = Buffer.from(line.repeat(Math.ceil(MiB / line.length)));
  const fd = openSync(file, 'w');
  // A different first line for each case, so that none is taken for an earlier upload.
  let written = writeSync(fd, JSON.stringify({ case: label }) + '\n');
  for (let i = 0; written < bytes; i++) {
    written += writeSync(fd, `{"block":${i}}\n`);
    written += writeSync(fd, block);
  }
  closeSync(fd);
  return written;
}

interface Measured {
  id: string;
  before: number;
  peak: number;
  elapsed: number;
}

async function uploadInChild(file: string, options: object): Promise<Measured> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--experimental-transform-types',
      '--no-warnings',
      '--import',
      REGISTER,
      uploader,
      api.url,
      api.apiKey,
      file,
      JSON.stringify(options),
    ],
    { env: { PATH: process.env.PATH ?? '' }, maxBuffer: 16 * MiB },
  );
  const result = stdout.split('\n').find((line) => line.startsWith('RESULT '));
  if (!result) throw new Error(`the uploader printed no result:\n${stdout}`);
  return JSON.parse(result.slice('RESULT '.length)) as Measured;
}

it.each([
  // Many rounds of four parts: nothing may pile up from one round to the next.
  {
    label: 'in 8 MiB parts',
    options: { partsAbove: 0, partSize: 8 * MiB },
    route: '/uploads/{upload_id}/parts',
  },
  // What the action does by default with a file larger than one part.
  { label: 'with the default settings', options: {}, route: '/uploads/{upload_id}/parts' },
])(
  'sends a 400 MiB file $label with memory growing by less than half of it',
  async ({ label, options, route }) => {
    const file = path.join(dir, `${label.replace(/\W+/g, '-')}.jsonl`);
    const bytes = writeLargeFile(file, FILE_BYTES, label);
    const sentBefore = api.count('POST', route);

    const { id, before, peak, elapsed } = await uploadInChild(file, options);
    rmSync(file);

    const growth = peak - before;
    console.log(
      `${(bytes / MiB).toFixed(0)} MiB ${label}: ${elapsed} ms, RSS ${(before / MiB).toFixed(0)} -> ` +
        `peak ${(peak / MiB).toFixed(0)} MiB (+${(growth / MiB).toFixed(0)} MiB)`,
    );
    expect(api.files().find((f) => f.id === id)).toMatchObject({ bytes, status: 'processed' });
    const partSize = (options as { partSize?: number }).partSize ?? PART_BYTES;
    expect(api.count('POST', route) - sentBefore).toBe(Math.ceil(bytes / partSize));
    expect(growth).toBeLessThan(MAX_GROWTH);
  },
);
