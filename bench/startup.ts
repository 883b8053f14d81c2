import { spawn } from 'node:child_process';
import path from 'node:path';
import { startServer, type LocalApi } from '../server/index.ts';
import { selfSignedCertificate } from '../server/tls.ts';
import { baselineBundle } from './baseline.ts';
import { median, type Figure } from './measure.ts';

// Start-up times on a shared 2-core machine scatter widely from run to run; the median of 15 runs
// of each, taken in turns, holds still between bench runs where a median of 7 does not.
const RUNS = 15;
/** What the user's own action costs is the yardstick: the action may take a fifth longer. */
const WITHIN = 1.2;

/**
 * Milliseconds from spawning `script` to the first request it sends. Both the action (mode wait)
 * and the baseline begin by retrieving the job, which this API does not have: each then exits.
 */
async function firstRequestMs(
  script: string,
  inputs: Record<string, string>,
  api: LocalApi,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const seen = api.requests.length;
  const variables: NodeJS.ProcessEnv = { ...env, PATH: process.env.PATH ?? '' };
  for (const [name, value] of Object.entries(inputs)) variables[`INPUT_${name.toUpperCase()}`] = value;
  const started = Date.now();
  const child = spawn(process.execPath, [script], { env: variables, stdio: 'ignore' });
  await new Promise((resolve) => child.on('close', resolve));
  const first = api.requests[seen];
  if (!first) throw new Error(`${script} exited without sending a request`);
  return first.startedAt - started;
}

/**
 * From process start to the first HTTP request: the bundle against the baseline (the same SDK
 * making the same request from a minimal @actions/core action), each run in turn so that both see
 * the same machine. The target is over the local API's plain HTTP; the same over HTTPS, as against
 * the real API, is reported beside it.
 */
export async function benchStartup(root: string, dir: string): Promise<Figure[]> {
  const baseline = await baselineBundle(root, dir);
  const action = path.join(root, 'dist', 'index.js');
  const certificate = await selfSignedCertificate(dir);
  const api = await startServer();
  const tlsApi = await startServer({ tls: certificate });
  const tls = { NODE_EXTRA_CA_CERTS: certificate.certFile };
  const inputs = (on: LocalApi) => ({
    'api-key': on.apiKey,
    'base-url': on.url,
    provider: 'openai',
    'job-id': 'ftjob-startup',
  });
  try {
    const ms = {
      action: [] as number[],
      baseline: [] as number[],
      actionTls: [] as number[],
      baselineTls: [] as number[],
    };
    for (let i = 0; i < RUNS; i++) {
      ms.action.push(await firstRequestMs(action, { mode: 'wait', ...inputs(api) }, api, {}));
      ms.baseline.push(await firstRequestMs(baseline, inputs(api), api, {}));
      ms.actionTls.push(await firstRequestMs(action, { mode: 'wait', ...inputs(tlsApi) }, tlsApi, tls));
      ms.baselineTls.push(await firstRequestMs(baseline, inputs(tlsApi), tlsApi, tls));
    }
    const figure = (name: string, ours: number[], theirs: number[], target: boolean): Figure => ({
      name,
      value: median(ours) / median(theirs),
      ...(target ? { target: { kind: 'max' as const, value: WITHIN } } : {}),
      detail: `action_first_request_ms=${Math.round(median(ours))} baseline_first_request_ms=${Math.round(median(theirs))} runs=${RUNS}`,
    });
    return [
      figure('startup_ratio', ms.action, ms.baseline, true),
      figure('startup_https_ratio', ms.actionTls, ms.baselineTls, false),
    ];
  } finally {
    await api.close();
    await tlsApi.close();
  }
}
