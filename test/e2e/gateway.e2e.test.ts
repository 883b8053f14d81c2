import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startActionsCache, type ActionsCacheServer } from '../../server/actions-cache.ts';
import { startServer, type FaultPlan, type LocalApi, type Profile } from '../../server/index.ts';
import { runAction, type RunOptions } from '../../tools/run-action.ts';
import { closeLocalApi, EXAMPLE, untilStatus } from './local-api.ts';

// Behind a gateway that drops job metadata (LiteLLM's OpenAI pass-through), and at a compatible
// provider that refuses a job while its file is processed: exactly one job per run still, kept
// through the note a first attempt leaves in the Actions cache, or said plainly where it cannot be.

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const CREATE = '/fine_tuning/jobs';

async function gateway(faults: Partial<FaultPlan> = {}, profile: Profile = 'openai'): Promise<LocalApi> {
  const api = await startServer({
    profile,
    dropMetadata: true,
    fileProcessingMs: 50,
    jobPlan: { validatingMs: 150, queuedMs: 150, runningMs: 600 },
    faults,
  });
  servers.push({ close: () => closeLocalApi(api) });
  return api;
}

async function actionsCache(): Promise<ActionsCacheServer> {
  const cache = await startActionsCache();
  servers.push(cache);
  return cache;
}

/** One attempt of run 424242; every attempt of a run on a runner has the same RUNNER_TEMP. */
function attempt(
  api: LocalApi,
  n: number,
  temp: string,
  cache?: ActionsCacheServer,
  extra: Partial<RunOptions> = {},
) {
  return runAction({
    files: { 'data/train.jsonl': EXAMPLE('train.jsonl') },
    ...extra,
    env: {
      GITHUB_RUN_ATTEMPT: String(n),
      RUNNER_TEMP: temp,
      ...(cache
        ? {
            ACTIONS_RESULTS_URL: cache.url,
            ACTIONS_RUNTIME_TOKEN: cache.token,
            ACTIONS_CACHE_SERVICE_V2: 'true',
          }
        : {}),
      ...extra.env,
    },
    inputs: {
      'api-key': api.apiKey,
      'base-url': api.url,
      provider: api.profile,
      model: 'gpt-4o-mini-2024-07-18',
      'training-file': 'data/train.jsonl',
      metadata: '{team: search}',
      'poll-interval': '100ms',
      'max-poll-interval': '400ms',
      'wait-timeout': '60s',
      ...extra.inputs,
    },
  });
}

const runnerTemp = () => mkdtempSync(path.join(tmpdir(), 'runner-temp-'));

describe('behind a gateway that drops metadata', () => {
  it('a re-run attempt attaches to the first attempt’s job through its note in the Actions cache', async () => {
    const api = await gateway();
    const cache = await actionsCache();
    const temp = runnerTemp();
    const first = await attempt(api, 1, temp, cache, { inputs: { wait: 'false' } });
    expect(first.code).toBe(0);
    expect(first.log).toMatch(
      /::warning title=Job metadata dropped::ftjob-\S+ came back without its metadata/,
    );
    expect(first.log).toContain("dropped the action's tags and your metadata (team)");
    expect(first.log).toContain(
      'a re-run of this run finds the job through a note left in the Actions cache',
    );
    expect(cache.keys()).toHaveLength(1);

    const second = await attempt(api, 2, temp, cache);
    expect(second.code).toBe(0);
    expect(api.count('POST', CREATE)).toBe(1);
    expect(second.outputs['job-id']).toBe(first.outputs['job-id']);
    expect(second.outputs.status).toBe('succeeded');
    expect(second.log).toContain('was created by an earlier attempt of this run');
  });

  it('without the Actions cache, a re-run says before creating that a second job may follow', async () => {
    const api = await gateway();
    const temp = runnerTemp();
    const first = await attempt(api, 1, temp, undefined, { inputs: { wait: 'false' } });
    expect(first.log).toContain('a re-run of this run would create a second job');
    const second = await attempt(api, 2, temp, undefined, { inputs: { wait: 'false' } });
    expect(second.code).toBe(0);
    const warned = second.log.indexOf('a second job may follow');
    const created = second.log.indexOf('Created fine-tuning job');
    expect(warned).toBeGreaterThan(-1);
    expect(warned).toBeLessThan(created);
    expect(api.count('POST', CREATE)).toBe(2);
  });

  it('says a second job may exist when a create’s answer was lost', async () => {
    const api = await gateway({ lostCreates: 1 });
    const run = await attempt(api, 1, runnerTemp(), undefined, { inputs: { wait: 'false' } });
    expect(run.code).toBe(0);
    expect(api.count('POST', CREATE)).toBe(2);
    expect(run.log).toMatch(/::warning title=A second job may exist::/);
  });

  it('on SIGINT cancels the job it created by its id, metadata or not', async () => {
    const api = await gateway();
    api.setJobPlan({ runningMs: 60_000 });
    const run = await attempt(api, 1, runnerTemp(), undefined, {
      started: async (child) => {
        for (let i = 0; i < 400 && api.jobs().length === 0; i++) await new Promise((r) => setTimeout(r, 25));
        await untilStatus(api, api.jobs()[0]!.id, 'running');
        child.kill('SIGINT');
      },
    });
    expect(run.code).toBe(1);
    expect(api.jobs().map((job) => job.status)).toEqual(['cancelled']);
  });
});

describe('a compatible provider that refuses a job until its file is ready', () => {
  it('creates the job once the file is ready and trains, with null file statuses', async () => {
    const api = await gateway({ fileNotReadyAttempts: 2 }, 'compatible');
    const run = await attempt(api, 1, runnerTemp());
    expect(run.log).not.toContain('::error::');
    expect(run.code).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(run.log.match(/The provider is still processing the data/g)).toHaveLength(2);
    expect(api.jobs()).toHaveLength(1);
  });
});
