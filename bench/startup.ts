import { spawn } from 'node:child_process';
import path from 'node:path';
import { startServer, type LocalApi } from '../server/index.ts';
import type { Figure } from './measure.ts';
import { selfSignedCertificate } from '../server/tls.ts';

// Start-up times on a shared 2-core machine scatter by a third from run to run; the median of 15
// pairs moved by about 5% between runs here, where 7 moved by 30%.
const RUNS = 15;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function exited(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(command, args, { env, stdio: 'ignore' });
  await new Promise((resolve) => child.on('close', resolve));
}

/** Milliseconds from spawning the bundle (mode wait, whose first act is to retrieve the job) to its first request. */
async function firstRequestMs(root: string, api: LocalApi, env: NodeJS.ProcessEnv): Promise<number> {
  const seen = api.requests.length;
  const started = Date.now();
  await exited(process.execPath, [path.join(root, 'dist', 'index.js')], {
    ...env,
    PATH: process.env.PATH ?? '',
    INPUT_MODE: 'wait',
    'INPUT_JOB-ID': 'ftjob-startup',
    'INPUT_API-KEY': api.apiKey,
    'INPUT_BASE-URL': api.url,
  });
  return api.requests[seen].startedAt - started;
}

/**
 * From process start to the first HTTP request the bundle sends, against the whole life of
 * `node -e 0`: the median of several runs of each, taken in turns so that all see the same
 * machine. The target is over the local API's plain HTTP; the same over HTTPS, as against the
 * real API, is reported beside it.
 */
export async function benchStartup(root: string, dir: string): Promise<Figure[]> {
  const certificate = await selfSignedCertificate(dir);
  const api = await startServer();
  const tlsApi = await startServer({ tls: certificate });
  try {
    const action: number[] = [];
    const overTls: number[] = [];
    const node: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      action.push(await firstRequestMs(root, api, {}));
      overTls.push(await firstRequestMs(root, tlsApi, { NODE_EXTRA_CA_CERTS: certificate.certFile }));
      const nodeStarted = performance.now();
      await exited(process.execPath, ['-e', '0'], { PATH: process.env.PATH ?? '' });
      node.push(performance.now() - nodeStarted);
    }
    const detail = (ms: number[]) =>
      `first_request_ms=${Math.round(median(ms))} node_e_0_ms=${Math.round(median(node))} runs=${RUNS}`;
    return [
      {
        name: 'startup_ratio',
        value: median(action) / median(node),
        target: { kind: 'max', value: 3 },
        detail: detail(action),
      },
      { name: 'startup_https_ratio', value: median(overTls) / median(node), detail: detail(overTls) },
    ];
  } finally {
    await api.close();
    await tlsApi.close();
  }
}
