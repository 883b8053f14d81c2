import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type LocalApi, type Profile } from '../../server/index.ts';
import { runAction, type RunOptions } from '../../tools/run-action.ts';
import { closeLocalApi, EXAMPLE, untilStatus } from './local-api.ts';

// The same workflow on each provider the local API can play: Azure's v1 API (its own spec checked
// on every request and answer) and a compatible provider that keeps no job metadata.

const servers: LocalApi[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(closeLocalApi));
});

async function provider(profile: Profile, runningMs = 600): Promise<LocalApi> {
  const api = await startServer({
    profile,
    fileProcessingMs: 50,
    jobPlan: { validatingMs: 150, queuedMs: 150, runningMs },
  });
  servers.push(api);
  return api;
}

function fineTune(api: LocalApi, extra: Partial<RunOptions> = {}) {
  return runAction({
    files: { 'data/train.jsonl': EXAMPLE('train.jsonl') },
    ...extra,
    inputs: {
      'api-key': api.apiKey,
      'base-url': api.url,
      // The local API's address says nothing of whom it plays.
      provider: api.profile,
      model: 'gpt-4o-mini-2024-07-18',
      'training-file': 'data/train.jsonl',
      'poll-interval': '100ms',
      'max-poll-interval': '400ms',
      'wait-timeout': '90s',
      ...extra.inputs,
    },
  });
}

describe('azure', () => {
  it('trains to success on the asked-for tier with the key in the api-key header, and outputs the provider and the best model', async () => {
    const api = await provider('azure');
    const run = await fineTune(api, { inputs: { 'training-type': 'developer' } });
    expect(run.log).not.toContain('::error::');
    expect(run.code).toBe(0);
    expect(run.outputs.provider).toBe('azure');
    expect(run.outputs['fine-tuned-model']).toMatch(/^gpt-4o-mini-2024-07-18\.ft-[0-9a-f]{32}$/);
    expect(run.outputs['best-checkpoint-model']).not.toBe('');
    expect(run.summary).toContain('| Provider | azure |');
    // Every request went in with the key in Azure's header, none as a Bearer token.
    expect(new Set(api.requests.map((request) => request.credential))).toEqual(new Set(['api-key']));
    // The training tier, in the field Azure reads it from.
    const create = api.requests.find(
      (request) => request.method === 'POST' && request.route === '/fine_tuning/jobs',
    );
    expect((create?.body as { trainingType?: string }).trainingType).toBe('developer');
    // No Uploads API there: the file went up in one request.
    expect(api.count('POST', '/files')).toBe(1);
  });
});

describe('compatible', () => {
  it('trains to success with the provider’s own hyperparameters, warning that re-runs cannot be matched', async () => {
    const api = await provider('compatible');
    const run = await fineTune(api, { inputs: { hyperparameters: '{n_epochs: 2, lora_r: 16}' } });
    expect(run.log).not.toContain('::error::');
    expect(run.code).toBe(0);
    expect(run.outputs.provider).toBe('compatible');
    expect(run.log).toContain('::notice::hyperparameters: lora_r passed to provider compatible as given');
    expect(run.log).toMatch(/::warning title=Job metadata dropped::ftjob-\S+ came back without its metadata/);
    expect(api.jobs()[0].method).toMatchObject({ supervised: { hyperparameters: { lora_r: 16 } } });
  });

  it('says plainly that the provider serves no pause, and changes nothing', async () => {
    const api = await provider('compatible', 60_000);
    const started = await fineTune(api, { inputs: { wait: 'false' } });
    const jobId = started.outputs['job-id'];
    await untilStatus(api, jobId, 'running');
    const run = await runAction({
      inputs: {
        'api-key': api.apiKey,
        'base-url': api.url,
        provider: 'compatible',
        mode: 'pause',
        'job-id': jobId,
      },
    });
    expect(run.code).toBe(1);
    expect(run.log).toMatch(
      /::error::The API at 127\.0\.0\.1:\d+ does not serve pause \(provider compatible\): HTTP 404/,
    );
    expect(api.jobs().find((job) => job.id === jobId)?.status).toBe('running');
  });

  it('with other teams’ jobs beside it: a run, its SIGINT and a killed step’s post step touch only its own job', async () => {
    const api = await provider('compatible', 60_000);
    const theirs = api.seedOtherTeamsJobs();
    const ours = () => api.jobs().filter((job) => !theirs.some((other) => other.id === job.id));
    const main = await fineTune(api, {
      started: async (child: ChildProcess) => {
        for (let i = 0; i < 400 && ours().length === 0; i++) await new Promise((r) => setTimeout(r, 25));
        await untilStatus(api, ours()[0].id, 'running');
        child.kill('SIGKILL');
      },
    });
    // Its job id was saved the moment it was known, tags or not.
    expect(main.state['job-id']).toBe(ours()[0].id);
    const post = await fineTune(api, { entry: 'post', workspace: main.workspace, runnerDir: main.runnerDir });
    expect(post.code).toBe(0);
    expect(ours().map((job) => job.status)).toEqual(['cancelled']);

    const interrupted = await fineTune(api, {
      started: async (child: ChildProcess) => {
        for (let i = 0; i < 400 && ours().length < 2; i++) await new Promise((r) => setTimeout(r, 25));
        await untilStatus(api, ours()[0].id, 'running');
        child.kill('SIGINT');
      },
    });
    expect(interrupted.code).toBe(1);
    expect(ours().map((job) => job.status)).toEqual(['cancelled', 'cancelled']);
    const after = new Map(api.jobs().map((job) => [job.id, job]));
    for (const job of theirs) expect(after.get(job.id)).toEqual(job);
  });
});
