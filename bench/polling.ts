import { startServer } from '../server/index.ts';
import { selfSignedCertificate } from '../server/tls.ts';
import { runAction } from '../tools/run-action.ts';
import type { Figure } from './measure.ts';
import { waitMemory } from './waiting.ts';

const VALIDATING_MS = 1_500;
const QUEUED_MS = 1_500;
const RUNNING_MS = 27_000;
const JOB_MS = VALIDATING_MS + QUEUED_MS + RUNNING_MS;

const PLAN = { validatingMs: VALIDATING_MS, queuedMs: QUEUED_MS, runningMs: RUNNING_MS };
/** What the user's own action costs is the yardstick: the action may take a fifth more memory. */
const WITHIN = 1.2;

interface Waited {
  retrievals: number;
  calls: number;
  delayMs: number;
}

/** One job of JOB_MS on the local server, created and followed by the bundle with poll-interval 250ms, max 60s. */
async function followOneJob(root: string, estimatedFinish: boolean): Promise<Waited> {
  const api = await startServer({ fileProcessingMs: 0, jobPlan: { ...PLAN, estimatedFinish } });
  try {
    const run = await runAction({
      workspace: root,
      inputs: {
        'api-key': api.apiKey,
        'base-url': api.url,
        provider: 'openai',
        model: 'gpt-4o-mini-2024-07-18',
        'training-file': 'examples/data/train.jsonl',
        validate: 'false',
        'poll-interval': '250ms',
        'max-poll-interval': '60s',
      },
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

/** Jobs followed for each figure: the end falls at another point of a whole second in each. */
const RUNS = 3;

/** The worst of a few runs side by side (each mostly sleeps), with every run's figures. */
async function followJobs(root: string, estimatedFinish: boolean): Promise<Waited & { runs: Waited[] }> {
  const runs = await Promise.all(Array.from({ length: RUNS }, () => followOneJob(root, estimatedFinish)));
  const worst = (key: keyof Waited) => Math.max(...runs.map((run) => run[key]));
  return { retrievals: worst('retrievals'), calls: worst('calls'), delayMs: worst('delayMs'), runs };
}

export async function benchPolling(root: string, dir: string): Promise<Figure[]> {
  const [withEstimate, withoutEstimate] = await Promise.all([
    followJobs(root, true),
    followJobs(root, false),
  ]);
  const certificate = await selfSignedCertificate(dir);
  // Memory is measured apart from the runs above, which also upload and create: here the action
  // only waits (mode wait), as the baseline does. Over HTTP and HTTPS at once: both mostly sleep.
  const [plain, overTls] = await Promise.all([
    waitMemory(root, dir, { ...PLAN, estimatedFinish: false }),
    waitMemory(root, dir, { ...PLAN, estimatedFinish: false }, certificate),
  ]);
  const figures: Figure[] = [];
  // The baseline is what the wait loop did before it moved onto the toolkit: 15 reads and the end
  // noticed 0.7 s late with `estimated_finish`, 0.7 s late from the steps alone; a second is the
  // margin for a loaded machine.
  for (const [label, waited, limits] of [
    ['with_estimate', withEstimate, { retrievals: 15, calls: 30, delayMs: 1_000 }],
    ['without_estimate', withoutEstimate, { retrievals: 40, calls: 80, delayMs: 1_000 }],
  ] as const) {
    const each = (key: keyof Waited) => `${key}=${waited.runs.map((run) => Math.round(run[key])).join(',')}`;
    figures.push(
      {
        name: `poll_${label}_retrievals`,
        value: waited.retrievals,
        target: { kind: 'max', value: limits.retrievals },
        detail: `worst of ${RUNS} ${each('retrievals')}`,
      },
      { name: `poll_${label}_calls`, value: waited.calls, target: { kind: 'max', value: limits.calls } },
      {
        name: `poll_${label}_end_noticed_ms`,
        value: waited.delayMs,
        target: { kind: 'max', value: limits.delayMs },
        detail: `worst of ${RUNS} ${each('delayMs')}`,
      },
      {
        name: `poll_${label}_calls_saved_ratio`,
        value: fixedIntervalCalls(waited.delayMs) / waited.calls,
        detail: `fixed_interval_calls=${fixedIntervalCalls(waited.delayMs)} at the same ${Math.round(waited.delayMs)} ms delay`,
      },
    );
  }
  const detail = (memory: { actionMb: number; baselineMb: number }) =>
    `action_peak_rss_mb=${Math.round(memory.actionMb)} baseline_peak_rss_mb=${Math.round(memory.baselineMb)} job_s=${JOB_MS / 1000}`;
  figures.push(
    {
      name: 'wait_memory_ratio',
      value: plain.actionMb / plain.baselineMb,
      target: { kind: 'max', value: WITHIN },
      detail: detail(plain),
    },
    {
      name: 'wait_memory_https_ratio',
      value: overTls.actionMb / overTls.baselineMb,
      detail: detail(overTls),
    },
  );
  return figures;
}
