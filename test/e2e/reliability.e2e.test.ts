import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../server/index.ts';
import { closeLocalApi, fineTuneExample, startLocalApi, untilStatus } from './local-api.ts';

// What the action promises under failures and re-runs, proven against the bundle and the local API.

const servers: LocalApi[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(closeLocalApi));
});

async function server(...args: Parameters<typeof startLocalApi>): Promise<LocalApi> {
  const api = await startLocalApi(...args);
  servers.push(api);
  return api;
}

const fineTune = fineTuneExample;

const fineTuneUploads = (api: LocalApi) => api.files().filter((file) => file.purpose === 'fine-tune').length;

async function firstJob(api: LocalApi): Promise<string> {
  for (let i = 0; i < 400 && api.jobs().length === 0; i++) await new Promise((r) => setTimeout(r, 25));
  return api.jobs()[0].id;
}

/**
 * How many differently seeded runs face random faults: a few by default, so that `npm test` stays
 * quick; `RELIABILITY_SEEDS=20 npm exec -- vitest run test/e2e/reliability.e2e.test.ts` tries more.
 */
const SEEDS = Number(process.env.RELIABILITY_SEEDS) || 5;

describe('under failures', () => {
  it(
    `succeeds in ${SEEDS} differently seeded runs with 30% of requests failing, one upload and one job each`,
    async () => {
      const seeds = Array.from({ length: SEEDS }, (_, i) => i + 1);
      const results: Array<{
        seed: number;
        code: number | null;
        uploads: number;
        jobs: number;
        faults: number;
      }> = [];
      // Five at a time: each run mostly sleeps.
      for (let i = 0; i < seeds.length; i += 5) {
        await Promise.all(
          seeds.slice(i, i + 5).map(async (seed) => {
            const api = await server({}, { seed, rate: 0.3, retryAfterMs: 20 });
            const run = await fineTune(api, { inputs: { 'wait-timeout': '3m' } });
            results.push({
              seed,
              code: run.code,
              uploads: fineTuneUploads(api),
              jobs: api.jobs().length,
              faults: api.requests.filter((r) => r.fault).length,
            });
          }),
        );
      }
      results.sort((a, b) => a.seed - b.seed);
      expect(results.map(({ seed, code, uploads, jobs }) => ({ seed, code, uploads, jobs }))).toEqual(
        seeds.map((seed) => ({ seed, code: 0, uploads: 1, jobs: 1 })),
      );
      // The faults really happened: about three in ten requests of every run.
      expect(results.every((r) => r.faults > 0)).toBe(true);
    },
    60_000 * Math.ceil(SEEDS / 5),
  );

  it('makes exactly one job when the answer to the create request is lost', async () => {
    const api = await server({}, { lostCreates: 1 });
    const run = await fineTune(api);
    expect(run.code).toBe(0);
    expect(api.requests.filter((r) => r.fault === 'lost')).toHaveLength(1);
    expect(api.jobs()).toHaveLength(1);
    expect(run.outputs['job-id']).toBe(api.jobs()[0].id);
    expect(run.log).toContain(`The answer to the create request was lost, but it made ${api.jobs()[0].id}`);
  });

  it('fails after one request on insufficient_quota, with the API message', async () => {
    const api = await server({}, { insufficientQuota: true });
    const run = await fineTune(api);
    expect(run.code).toBe(1);
    expect(run.log).toMatch(/::error::HTTP 429 \(insufficient_quota\): You exceeded your current quota/);
    expect(api.requests).toHaveLength(1);
  });
});

describe('re-runs', () => {
  it('a re-run attempt of a successful run creates no job and outputs the same model', async () => {
    const api = await server();
    const first = await fineTune(api);
    expect(first.code).toBe(0);
    const second = await fineTune(api, { env: { GITHUB_RUN_ATTEMPT: '2' } });
    expect(second.code).toBe(0);
    expect(api.jobs()).toHaveLength(1);
    expect(fineTuneUploads(api)).toBe(1);
    expect(second.outputs['fine-tuned-model']).toBe(first.outputs['fine-tuned-model']);
    expect(second.outputs['job-id']).toBe(first.outputs['job-id']);
    expect(second.log).toContain(
      `No new job created: \`${first.outputs['job-id']}\` (\`succeeded\`) was already created by \`octo-org/models/actions/runs/424242/attempts/1\``,
    );
    expect(second.summary).toContain('No new job was created');
  });

  it('a re-run attempt after a failed job creates a new one', async () => {
    const api = await server({ outcome: 'failed' });
    expect((await fineTune(api)).code).toBe(1);
    api.setJobPlan({ outcome: 'succeeded' });
    const second = await fineTune(api, { env: { GITHUB_RUN_ATTEMPT: '2' } });
    expect(second.code).toBe(0);
    expect(api.jobs()).toHaveLength(2);
  });

  it('another run of the same workflow creates its own job', async () => {
    const api = await server();
    await fineTune(api);
    await fineTune(api, { env: { GITHUB_RUN_ID: '424243' } });
    expect(api.jobs()).toHaveLength(2);
  });
});

describe('when the run is cancelled', () => {
  it('SIGINT during the wait cancels the remote job within 7 s and the step reports it', async () => {
    const api = await server({ runningMs: 60_000 });
    let signalledAt = 0;
    const run = await fineTune(api, {
      started: async (child: ChildProcess) => {
        const id = await firstJob(api);
        await untilStatus(api, id, 'running');
        signalledAt = Date.now();
        child.kill('SIGINT');
      },
    });
    const cancel = api.requests.find((r) => r.route === '/fine_tuning/jobs/{fine_tuning_job_id}/cancel');
    expect(cancel).toBeDefined();
    expect(cancel!.startedAt - signalledAt).toBeLessThan(7_000);
    expect(api.jobs()[0].status).toBe('cancelled');
    expect(run.code).toBe(1);
    expect(run.log).toContain('Received SIGINT: stopping');
    expect(run.log).toContain(
      `::error::The run was cancelled; job ${api.jobs()[0].id} is now cancelled (cancel-on-abort)`,
    );
    expect(run.outputs.status).toBe('cancelled');
    expect(run.state.done).toBe('true');
  });

  it('with cancel-on-abort false, SIGINT leaves the job running', async () => {
    const api = await server({ runningMs: 60_000 });
    const run = await fineTune(api, {
      inputs: { 'cancel-on-abort': 'false' },
      started: async (child: ChildProcess) => {
        await untilStatus(api, await firstJob(api), 'running');
        child.kill('SIGINT');
      },
    });
    expect(run.code).toBe(1);
    expect(api.jobs()[0].status).toBe('running');
    expect(run.log).toContain('was left running (cancel-on-abort is false)');
  });

  it('when the main step is killed outright, the post step cancels the job', async () => {
    const api = await server({ runningMs: 60_000 });
    const main = await fineTune(api, {
      started: async (child: ChildProcess) => {
        await untilStatus(api, await firstJob(api), 'running');
        child.kill('SIGKILL');
      },
    });
    expect(main.signal).toBe('SIGKILL');
    expect(api.jobs()[0].status).toBe('running');
    expect(main.state['job-id']).toBe(api.jobs()[0].id);

    const post = await fineTune(api, { entry: 'post', workspace: main.workspace, runnerDir: main.runnerDir });
    expect(post.code).toBe(0);
    expect(api.jobs()[0].status).toBe('cancelled');
    expect(post.log).toContain(`job ${api.jobs()[0].id} is now cancelled (cancel-on-abort)`);
  });

  it('the post step does nothing after a main step that finished on its own terms', async () => {
    const api = await server({ runningMs: 60_000 });
    const main = await fineTune(api, { inputs: { wait: 'false' } });
    expect(main.code).toBe(0);
    const before = api.requests.length;
    const post = await fineTune(api, { entry: 'post', workspace: main.workspace, runnerDir: main.runnerDir });
    expect(post.code).toBe(0);
    expect(api.requests.length).toBe(before);
    expect(api.jobs()[0].status).not.toBe('cancelled');
  });
});
