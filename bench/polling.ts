import { startServer } from '../server/index.ts';
import { runAction } from '../tools/run-action.ts';
import { measure, peakMemory, type Figure } from './measure.ts';
import { selfSignedCertificate, type LocalCertificate } from '../server/tls.ts';

const VALIDATING_MS = 1_500;
const QUEUED_MS = 1_500;
const RUNNING_MS = 27_000;
const JOB_MS = VALIDATING_MS + QUEUED_MS + RUNNING_MS;

interface Waited {
  retrievals: number;
  calls: number;
  delayMs: number;
  peakRssMb: number;
}

/**
 * One 30 s job on the local server, followed by the bundle with poll-interval 250ms, max 60s;
 * over HTTPS, as against the real API, when a certificate is given.
 */
async function followOneJob(root: string, estimatedFinish: boolean, tls?: LocalCertificate): Promise<Waited> {
  const api = await startServer({
    fileProcessingMs: 0,
    jobPlan: { validatingMs: VALIDATING_MS, queuedMs: QUEUED_MS, runningMs: RUNNING_MS, estimatedFinish },
    ...(tls ? { tls } : {}),
  });
  const memory = peakMemory();
  try {
    const run = await runAction({
      workspace: root,
      prefix: memory.prefix,
      inputs: {
        'api-key': api.apiKey,
        'base-url': api.url,
        model: 'gpt-4o-mini-2024-07-18',
        'training-file': 'examples/data/train.jsonl',
        // Memory while waiting, not while validating: the tokenizer is not loaded for this.
        validate: 'false',
        'poll-interval': '250ms',
        'max-poll-interval': '60s',
      },
      ...(tls ? { env: { NODE_EXTRA_CA_CERTS: tls.certFile } } : {}),
    });
    if (run.code !== 0) throw new Error(`the action failed:\n${run.log}`);
    const create = api.requests.find((r) => r.method === 'POST' && r.route === '/fine_tuning/jobs')!;
    const createdAt = create.startedAt + create.durationMs;
    const finishedAt = createdAt + JOB_MS;
    const retrieve = (r: (typeof api.requests)[number]) =>
      r.method === 'GET' && r.route === '/fine_tuning/jobs/{fine_tuning_job_id}';
    const noticing = api.requests.find((r) => retrieve(r) && r.startedAt >= finishedAt)!;
    const noticedAt = noticing.startedAt + noticing.durationMs;
    const waiting = api.requests.filter((r) => r.startedAt >= createdAt && r.startedAt <= noticing.startedAt);
    return {
      retrievals: waiting.filter(retrieve).length,
      calls: waiting.length,
      delayMs: noticedAt - finishedAt,
      peakRssMb: memory.readMb(),
    };
  } finally {
    await api.close();
  }
}

/**
 * A plain loop that polls at a fixed interval, reading the status and the events each time,
 * notices the end as late as our wait did only if its interval equals our delay: it then spends
 * two calls per interval over the whole job.
 */
const fixedIntervalCalls = (delayMs: number) => 2 * Math.ceil(JOB_MS / Math.max(delayMs, 1));

export async function benchPolling(root: string, dir: string): Promise<Figure[]> {
  const withEstimate = await followOneJob(root, true);
  const withoutEstimate = await followOneJob(root, false);
  const overTls = await followOneJob(root, true, await selfSignedCertificate(dir));
  const baseline = await measure(process.execPath, ['-e', '0']);
  const baselineMb = baseline.maxRssKb / 1024;
  const figures: Figure[] = [];
  for (const [label, waited, limits] of [
    ['with_estimate', withEstimate, { retrievals: 15, calls: 30, delayMs: 1_000 }],
    ['without_estimate', withoutEstimate, { retrievals: 40, calls: 80, delayMs: 0.1 * JOB_MS }],
  ] as const) {
    figures.push(
      {
        name: `poll_${label}_retrievals`,
        value: waited.retrievals,
        target: { kind: 'max', value: limits.retrievals },
      },
      { name: `poll_${label}_calls`, value: waited.calls, target: { kind: 'max', value: limits.calls } },
      {
        name: `poll_${label}_end_noticed_ms`,
        value: waited.delayMs,
        target: { kind: 'max', value: limits.delayMs },
      },
      {
        name: `poll_${label}_calls_saved_ratio`,
        value: fixedIntervalCalls(waited.delayMs) / waited.calls,
        detail: `fixed_interval_calls=${fixedIntervalCalls(waited.delayMs)} at the same ${Math.round(waited.delayMs)} ms delay`,
      },
    );
  }
  const peak = Math.max(withEstimate.peakRssMb, withoutEstimate.peakRssMb);
  figures.push({
    name: 'wait_memory_ratio',
    value: peak / baselineMb,
    target: { kind: 'max', value: 2 },
    detail: `action_peak_rss_mb=${Math.round(peak)} node_e_0_rss_mb=${Math.round(baselineMb)}`,
  });
  figures.push({
    name: 'wait_memory_https_ratio',
    value: overTls.peakRssMb / baselineMb,
    detail: `action_peak_rss_mb=${Math.round(overTls.peakRssMb)} over HTTPS, with estimated_finish`,
  });
  return figures;
}
