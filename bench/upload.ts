import { spawn } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { startServer, type LocalApi, type RequestLogEntry } from '../server/index.ts';
import { runAction } from '../tools/run-action.ts';
import { chatDataset } from './data.ts';
import { peakMemory, type Figure } from './measure.ts';

const MB = 1024 * 1024;
/** Peak memory the action may take to upload any file, whatever its size. */
const PEAK_LIMIT_MB = 400;
/**
 * How much more the 1 GB upload may peak than the 256 MB one and still count as flat: a quarter.
 * That allows for the garbage collector running at other moments in a longer upload, and for
 * however the two sizes are sent (whole or in parts), while memory that grew with the file would
 * show as four times the bytes held, far past it.
 */
const FLAT_WITHIN = 1.25;

/** curl sending the same bytes to the same server in one multipart POST /files: the floor. */
async function curlUpload(api: LocalApi, file: string): Promise<number> {
  const started = performance.now();
  const child = spawn(
    'curl',
    [
      '-sS',
      '-f',
      '-o',
      '/dev/null',
      '-H',
      `Authorization: Bearer ${api.apiKey}`,
      '-F',
      'purpose=fine-tune',
      '-F',
      `file=@${file};filename=curl.jsonl`,
      `${api.url}/files`,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`curl failed with ${code}`);
  return performance.now() - started;
}

interface Uploaded {
  sizeMb: number;
  curlMs: number;
  /** From the first request carrying the file's bytes to the end of the last one. */
  sendMs: number;
  /** The whole step from its first request, hashing included. */
  stepMs: number;
  /** The server joining the parts on complete: its work (and the real API's), not the sender's. */
  joinMs: number;
  parts: number;
  peakRssMb: number;
}

const span = (requests: RequestLogEntry[]) =>
  Math.max(...requests.map((r) => r.startedAt + r.durationMs)) -
  Math.min(...requests.map((r) => r.startedAt));

/**
 * `file` uploaded by the bundle as the runner runs it (fine-tune, validate false, wait false), its
 * peak memory measured, and by curl to the same server. The action chooses how to send it (one
 * POST /files, or Upload parts); the figures say which it did.
 */
async function uploadOnce(dir: string, file: string): Promise<Uploaded> {
  const api = await startServer({
    maxFileBytes: 2048 * MB,
    fileProcessingMs: 0,
    storageDir: path.join(dir, 'server'),
  });
  try {
    const curlMs = await curlUpload(api, file);
    const before = api.requests.length;
    const memory = peakMemory();
    const run = await runAction({
      workspace: dir,
      prefix: memory.prefix,
      inputs: {
        'api-key': api.apiKey,
        'base-url': api.url,
        provider: 'openai',
        model: 'gpt-4o-mini-2024-07-18',
        'training-file': path.basename(file),
        validate: 'false',
        wait: 'false',
      },
    });
    if (run.code !== 0) throw new Error(`the action failed:\n${run.log}`);
    const requests = api.requests.slice(before);
    const parts = requests.filter((r) => r.route === '/uploads/{upload_id}/parts');
    const carrying =
      parts.length > 0 ? parts : requests.filter((r) => r.method === 'POST' && r.route === '/files');
    if (carrying.length === 0) throw new Error('the action sent the file in no request this bench knows');
    return {
      sizeMb: statSync(file).size / MB,
      curlMs,
      sendMs: span(carrying),
      stepMs: span(requests),
      joinMs: requests.find((r) => r.route === '/uploads/{upload_id}/complete')?.durationMs ?? 0,
      parts: parts.length,
      peakRssMb: memory.readMb(),
    };
  } finally {
    await api.close();
    rmSync(path.join(dir, 'server'), { recursive: true, force: true });
  }
}

/**
 * A 256 MB and a 1 GB file sent by the bundle to the local server: the peak memory of each,
 * whether it stays flat as the file grows fourfold, and the upload's speed against curl sending the
 * same bytes in one request.
 */
export async function benchUpload(dir: string): Promise<Figure[]> {
  const small = await uploadOnce(dir, await chatDataset(dir, 'chat-256mb.jsonl', 256 * MB));
  const large = await uploadOnce(dir, await chatDataset(dir, 'chat-1gb.jsonl', 1024 * MB));
  const mbs = (mb: number, ms: number) => Math.round(mb / (ms / 1000));
  const how = (upload: Uploaded) => (upload.parts > 0 ? `upload_parts=${upload.parts}` : 'one_post_files');
  const peak = (name: string, upload: Uploaded): Figure => ({
    name,
    value: upload.peakRssMb,
    target: { kind: 'max', value: PEAK_LIMIT_MB },
    detail: `file_mb=${Math.round(upload.sizeMb)} ${how(upload)}`,
  });
  return [
    {
      name: 'upload_throughput_ratio',
      value: large.curlMs / large.sendMs,
      target: { kind: 'min', value: 0.7 },
      detail: `action_mb_s=${mbs(large.sizeMb, large.sendMs)} curl_mb_s=${mbs(large.sizeMb, large.curlMs)} ${how(large)} file_mb=${Math.round(large.sizeMb)} server_join_ms=${Math.round(large.joinMs)}`,
    },
    {
      name: 'upload_step_ratio',
      value: large.curlMs / large.stepMs,
      detail: `whole step from its first request, hashing included: ${Math.round(large.stepMs)} ms`,
    },
    {
      name: 'upload_256mb_throughput_ratio',
      value: small.curlMs / small.sendMs,
      detail: `action_mb_s=${mbs(small.sizeMb, small.sendMs)} curl_mb_s=${mbs(small.sizeMb, small.curlMs)} ${how(small)} file_mb=${Math.round(small.sizeMb)}`,
    },
    peak('upload_256mb_peak_rss_mb', small),
    peak('upload_1gb_peak_rss_mb', large),
    {
      name: 'upload_memory_flat_ratio',
      value: large.peakRssMb / small.peakRssMb,
      target: { kind: 'max', value: FLAT_WITHIN },
      detail: `peak_1gb_mb=${Math.round(large.peakRssMb)} peak_256mb_mb=${Math.round(small.peakRssMb)}`,
    },
  ];
}
