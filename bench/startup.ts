import { spawn } from 'node:child_process';
import path from 'node:path';
import { startServer } from '../server/index.ts';
import type { Figure } from './measure.ts';

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

/**
 * From process start to the first HTTP request the bundle sends (mode wait, whose first act is to
 * retrieve the job), against the whole life of `node -e 0`: the median of several runs of each,
 * taken in turns so that both see the same machine.
 */
export async function benchStartup(root: string): Promise<Figure[]> {
  const api = await startServer();
  try {
    const env = {
      PATH: process.env.PATH ?? '',
      INPUT_MODE: 'wait',
      'INPUT_JOB-ID': 'ftjob-startup',
      'INPUT_API-KEY': api.apiKey,
      'INPUT_BASE-URL': api.url,
    };
    const action: number[] = [];
    const node: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const seen = api.requests.length;
      const started = Date.now();
      await exited(process.execPath, [path.join(root, 'dist', 'index.js')], env);
      action.push(api.requests[seen].startedAt - started);
      const nodeStarted = performance.now();
      await exited(process.execPath, ['-e', '0'], env);
      node.push(performance.now() - nodeStarted);
    }
    const ratio = median(action) / median(node);
    return [
      {
        name: 'startup_ratio',
        value: ratio,
        target: { kind: 'max', value: 3 },
        detail: `first_request_ms=${Math.round(median(action))} node_e_0_ms=${Math.round(median(node))} runs=${RUNS}`,
      },
    ];
  } finally {
    await api.close();
  }
}
