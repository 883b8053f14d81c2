import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalApi, WireJob } from '../../server/index.ts';
import { runAction, type RunOptions } from '../../tools/run-action.ts';
import {
  apiCall,
  closeLocalApi,
  connect,
  fineTuneExample,
  startJob,
  startLocalApi,
  untilStatus,
} from './local-api.ts';

// An account shared with other teams, as the action meets it on Azure's v1 API, which ignores the
// jobs list's metadata filter and answers every job: whatever path a run takes, every job that is
// not the run's own is left exactly as it was. Every path runs there; on OpenAI's API, with the
// filter honoured and ignored, a first run is the smoke test (the unit tests in
// foreign-jobs.test.ts hold each path against a list that ignores the filter).
// Each test has a local API of its own, so the tests run side by side: they mostly wait on timers.

const servers: LocalApi[] = [];
afterAll(async () => {
  await Promise.all(servers.splice(0).map(closeLocalApi));
});

const JOB_ROUTE = /^\/fine_tuning\/jobs\/(ftjob-[^/]+)/;

/** Other teams' jobs, seeded as the test goes, each as it was when seeded. */
class OtherTeams {
  private readonly seeded = new Map<string, WireJob>();
  constructor(private readonly api: LocalApi) {}

  /** Seeds the standard set (running, queued, succeeded; untagged, tagged, tagged as another repo's). */
  seed(): void {
    for (const job of this.api.seedOtherTeamsJobs()) this.seeded.set(job.id, job);
  }

  /** Every one of them is as it was, and no request but a read was ever sent about one. */
  expectUntouched(): void {
    const now = this.api.jobs().filter((job) => this.seeded.has(job.id));
    expect(new Map(now.map((job) => [job.id, job]))).toEqual(this.seeded);
    const changes = this.api.requests.filter((request) => {
      const id = JOB_ROUTE.exec(request.path)?.[1];
      return id !== undefined && this.seeded.has(id) && request.method !== 'GET';
    });
    expect(changes.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  }

  /** The jobs that are not theirs. */
  ours(): WireJob[] {
    return this.api.jobs().filter((job) => !this.seeded.has(job.id));
  }
}

/** Where the shared account is: OpenAI's API with its jobs list's filter honoured or ignored, or Azure's, which has none. */
interface Where {
  profile: 'openai' | 'azure';
  filter: 'honoured' | 'ignored';
}

async function account(where: Where, runningMs = 600) {
  const api = await startLocalApi(
    { runningMs },
    {},
    { profile: where.profile, metadataFilter: where.filter },
  );
  servers.push(api);
  const others = new OtherTeams(api);
  others.seed();
  return { api, others };
}

// A run that follows another team's never-ending job fails on its assertions, not the test's timeout.
const fineTune = (api: LocalApi, extra: Partial<RunOptions> = {}) =>
  fineTuneExample(api, { ...extra, inputs: { 'wait-timeout': '90s', ...extra.inputs } });

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 800; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`never happened: ${what}`);
}

async function firstRun(where: Where): Promise<void> {
  const { api, others } = await account(where);
  const run = await fineTune(api);
  expect(run.code).toBe(0);
  const ours = others.ours();
  expect(ours).toHaveLength(1);
  expect(run.outputs['job-id']).toBe(ours[0].id);
  expect(ours[0].metadata?.gha_run).toBe('octo-org/models/actions/runs/424242/attempts/1');
  expect(run.outputs.status).toBe('succeeded');
  others.expectUntouched();
}

describe.concurrent.each<Where>([
  { profile: 'openai', filter: 'honoured' },
  { profile: 'openai', filter: 'ignored' },
])("other teams' jobs, on $profile's API with the metadata filter $filter", (where) => {
  it('a first run creates its own job and attaches to none of theirs', () => firstRun(where));
});

describe.concurrent("other teams' jobs, on Azure's API, which ignores the metadata filter", () => {
  const where: Where = { profile: 'azure', filter: 'ignored' };

  it('a first run creates its own job and attaches to none of theirs', () => firstRun(where));

  it('a re-run attempt attaches to its own earlier job, not to a newer one of theirs', async () => {
    const { api, others } = await account(where);
    const first = await fineTune(api);
    expect(first.code).toBe(0);
    // Newer than the first run's job: a list that ignores the filter answers these first.
    others.seed();
    const second = await fineTune(api, { env: { GITHUB_RUN_ATTEMPT: '2' } });
    expect(second.code).toBe(0);
    expect(others.ours()).toHaveLength(1);
    expect(second.outputs['job-id']).toBe(first.outputs['job-id']);
    expect(second.outputs['fine-tuned-model']).toBe(first.outputs['fine-tuned-model']);
    others.expectUntouched();
  });

  it('skip-if-unchanged reuses only a job of its own, never their succeeded ones', async () => {
    const { api, others } = await account(where);
    const inputs = { 'skip-if-unchanged': 'true' };
    const first = await fineTune(api, { inputs });
    expect(first.code).toBe(0);
    expect(first.outputs.reused).toBe('false');
    expect(others.ours()).toHaveLength(1);

    others.seed();
    const again = await fineTune(api, { inputs, env: { GITHUB_RUN_ID: '424243' } });
    expect(again.code).toBe(0);
    expect(again.outputs.reused).toBe('true');
    expect(again.outputs['job-id']).toBe(first.outputs['job-id']);
    expect(again.outputs['fine-tuned-model']).toBe(first.outputs['fine-tuned-model']);
    expect(others.ours()).toHaveLength(1);
    others.expectUntouched();
  });

  it('SIGINT cancels its own job only', async () => {
    const { api, others } = await account(where, 60_000);
    const run = await fineTune(api, {
      started: async (child: ChildProcess) => {
        await until(() => others.ours().length === 1, 'the run created its job');
        await untilStatus(api, others.ours()[0].id, 'running');
        child.kill('SIGINT');
      },
    });
    expect(run.code).toBe(1);
    expect(others.ours().map((job) => job.status)).toEqual(['cancelled']);
    others.expectUntouched();
  });

  it('after the main step is killed with its job id known, the post step cancels that job only', async () => {
    const { api, others } = await account(where, 60_000);
    const main = await fineTune(api, {
      started: async (child: ChildProcess) => {
        await until(() => others.ours().length === 1, 'the run created its job');
        await untilStatus(api, others.ours()[0].id, 'running');
        child.kill('SIGKILL');
      },
    });
    expect(main.state['job-id']).toBe(others.ours()[0].id);
    others.seed();
    const post = await fineTune(api, {
      entry: 'post',
      workspace: main.workspace,
      runnerDir: main.runnerDir,
    });
    expect(post.code).toBe(0);
    expect(others.ours().map((job) => job.status)).toEqual(['cancelled']);
    others.expectUntouched();
  });

  it('after the main step is killed before its job id arrived, the post step finds that job by its own tags', async () => {
    const { api, others } = await account(where, 60_000);
    api.setFaults({ delayMs: 500 });
    const main = await fineTune(api, {
      started: async (child: ChildProcess) => {
        // Every answer is held back a while: the create makes the job, and the step is killed
        // before the answer naming it arrives.
        await until(() => others.ours().length === 1, 'the create reached the API');
        child.kill('SIGKILL');
      },
    });
    api.clearFaults();
    expect(main.state['job-id']).toBeUndefined();
    expect(main.state.intent).toBeDefined();
    others.seed();
    const post = await fineTune(api, {
      entry: 'post',
      workspace: main.workspace,
      runnerDir: main.runnerDir,
    });
    expect(post.code).toBe(0);
    expect(others.ours().map((job) => job.status)).toEqual(['cancelled']);
    others.expectUntouched();
  });

  for (const mode of ['pause', 'resume'] as const) {
    it(`a ${mode} run cancelled mid-request never cancels the job, nor touches theirs`, async () => {
      const { api, others } = await account(where, 60_000);
      const job = await startJob(api);
      await untilStatus(api, job.id, 'running');
      if (mode === 'resume') await apiCall(api, 'POST', `/fine_tuning/jobs/${job.id}/pause`);
      // Slow answers, so that the run is cancelled while its request is in flight.
      api.setFaults({ delayMs: 1_500 });
      const inputs = { ...connect(api), mode, 'job-id': job.id };
      const main = await runAction({
        inputs,
        started: async (child: ChildProcess) => {
          await until(
            () => api.countHandled('GET', '/fine_tuning/jobs/{fine_tuning_job_id}') > 0,
            'the job was read',
          );
          child.kill('SIGINT');
        },
      });
      api.clearFaults();
      expect(main.code).toBe(1);
      expect(main.state['job-id']).toBeUndefined();
      const post = await runAction({
        inputs,
        entry: 'post',
        workspace: main.workspace,
        runnerDir: main.runnerDir,
      });
      expect(post.code).toBe(0);
      expect(api.requests.filter((r) => r.path.endsWith('/cancel'))).toEqual([]);
      expect(api.jobs().find((j) => j.id === job.id)?.status).not.toBe('cancelled');
      others.expectUntouched();
    });
  }
});
