// An account shared with other teams: a jobs list that may ignore the metadata filter, as Azure's
// v1 API does, and other teams' jobs that must come out of a test exactly as they went in.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import {
  OTHER_REPOSITORY_RUN,
  type JobStatus,
  type LocalApi,
  type ServerOptions,
  type WireJob,
} from '../../server/index.ts';
import { clientFor, processedTrainingFile, raw, startFast, waitFor } from './helpers.ts';

let api: LocalApi | undefined;
let client: OpenAI;

async function start(options: ServerOptions = {}): Promise<LocalApi> {
  api = await startFast(options);
  client = clientFor(api);
  return api;
}

afterEach(async () => {
  if (!api) return;
  expect(api.contractViolations).toEqual([]);
  await api.close();
  api = undefined;
});

const OURS = { gha_intent: 'our-intent', gha_settings: 'our-settings', gha_run: 'our-org/our-repo/1' };
/** Longer than a whole job of the suite's plan takes from creation to success. */
const LONGER_THAN_A_JOB_MS = 400;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function createOurs(): Promise<WireJob> {
  const training = await processedTrainingFile(client);
  return client.fineTuning.jobs.create({
    model: 'gpt-4o-mini',
    training_file: training.id,
    metadata: OURS,
  }) as Promise<WireJob>;
}

/** The jobs list as `GET /fine_tuning/jobs?<query>` answers it, ids only. */
async function listed(local: LocalApi, query = ''): Promise<string[]> {
  const response = await raw(local, `/fine_tuning/jobs?limit=100${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: WireJob[] }).data.map((job) => job.id);
}

const retrieve = (id: string) => client.fineTuning.jobs.retrieve(id) as Promise<WireJob>;
const ids = (jobs: WireJob[]) => jobs.map((job) => job.id);

describe('the metadata filter of the jobs list', () => {
  it('is honoured by default', async () => {
    const local = await start();
    const others = local.seedOtherTeamsJobs();
    const ours = await createOurs();

    expect(await listed(local, `&metadata[gha_intent]=${OURS.gha_intent}`)).toEqual([ours.id]);
    const page = await client.fineTuning.jobs.list({ metadata: { gha_run: OURS.gha_run } });
    expect(page.data.map((job) => job.id)).toEqual([ours.id]);
    expect(await listed(local, '&metadata=null')).toEqual(
      ids(others.filter((job) => job.metadata === null)).reverse(),
    );
    const both = await raw(local, '/fine_tuning/jobs?metadata=null&metadata[team]=search');
    expect(both.status).toBe(400);
  });

  it('is ignored when the server is told to, answering every job as Azure does', async () => {
    const local = await start({ metadataFilter: 'ignored' });
    const others = local.seedOtherTeamsJobs();
    const ours = await createOurs();
    const everything = [ours.id, ...ids(others).reverse()];

    expect(await listed(local)).toEqual(everything);
    expect(await listed(local, `&metadata[gha_intent]=${OURS.gha_intent}`)).toEqual(everything);
    expect(await listed(local, '&metadata[team]=nobody')).toEqual(everything);
    expect(await listed(local, '&metadata=null')).toEqual(everything);
    expect(await listed(local, '&metadata=null&metadata[team]=search')).toEqual(everything);
    const page = await client.fineTuning.jobs.list({ metadata: { gha_intent: OURS.gha_intent }, limit: 2 });
    expect(page.data.map((job) => job.id)).toEqual(everything.slice(0, 2));
    expect(page.has_more).toBe(true);

    // The parameters did reach the server; it answered past them.
    expect(local.requests.at(-1)?.query).toEqual({ 'metadata[gha_intent]': OURS.gha_intent, limit: '2' });
  });

  it('refuses a mode it does not know', async () => {
    await expect(startFast({ metadataFilter: 'sometimes' as 'ignored' })).rejects.toThrow(RangeError);
  });
});

describe('seeded jobs', () => {
  const STATUSES: JobStatus[] = [
    'validating_files',
    'queued',
    'running',
    'paused',
    'succeeded',
    'failed',
    'cancelled',
  ];

  it('stay in their status whatever time passes, looking like real jobs there', async () => {
    const local = await start();
    const seeded = STATUSES.map((status) => local.seedJob({ status, metadata: { team: 'search' } }));
    expect(seeded.map((job) => job.status)).toEqual(STATUSES);
    const events = await Promise.all(
      seeded.map(async (job) => (await client.fineTuning.jobs.listEvents(job.id, { limit: 100 })).data),
    );

    await sleep(LONGER_THAN_A_JOB_MS);
    for (const [i, job] of seeded.entries()) {
      expect(await retrieve(job.id)).toEqual(job);
      expect((await client.fineTuning.jobs.listEvents(job.id, { limit: 100 })).data).toEqual(events[i]);
    }
    expect(local.jobs()).toEqual([...seeded].reverse());

    const [validating, queued, running, paused, succeeded, failed, cancelled] = seeded;
    for (const job of [validating, queued]) {
      expect(job.hyperparameters).toEqual({
        n_epochs: 'auto',
        batch_size: 'auto',
        learning_rate_multiplier: 'auto',
      });
    }
    for (const job of [running, paused, succeeded]) {
      expect(job.hyperparameters.n_epochs).toEqual(expect.any(Number));
    }
    for (const job of [validating, queued, running, paused]) {
      expect(job).toMatchObject({ finished_at: null, fine_tuned_model: null, trained_tokens: null });
    }
    expect(failed.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect(cancelled.finished_at).toBeGreaterThanOrEqual(cancelled.created_at);

    expect(succeeded.model).toBe('gpt-4o-mini-2024-07-18');
    expect(succeeded.fine_tuned_model).toMatch(/^ft:gpt-4o-mini-2024-07-18:personal::\w{8}$/);
    expect(succeeded.trained_tokens).toBeGreaterThan(0);
    expect(succeeded.finished_at).toBeGreaterThanOrEqual(succeeded.created_at);
    await expect(client.models.retrieve(succeeded.fine_tuned_model!)).resolves.toMatchObject({
      id: succeeded.fine_tuned_model,
    });
    await expect(client.files.retrieve(succeeded.result_files[0])).resolves.toMatchObject({
      purpose: 'fine-tune-results',
      status: 'processed',
    });
    const [latest] = events[STATUSES.indexOf('succeeded')];
    expect(latest.message).toBe('The job has successfully completed');
    const checkpoints = await client.fineTuning.jobs.checkpoints.list(succeeded.id);
    expect(checkpoints.data[0].fine_tuned_model_checkpoint).toBe(succeeded.fine_tuned_model);

    for (const job of seeded) {
      await expect(client.files.retrieve(job.training_file)).resolves.toMatchObject({
        purpose: 'fine-tune',
        status: 'processed',
        filename: 'train.jsonl',
      });
    }
  });

  it('are cancelled, paused and resumed like any job, and those requests are logged', async () => {
    const local = await start();
    const running = local.seedJob({ status: 'running' });
    const queued = local.seedJob({ status: 'queued' });
    const succeeded = local.seedJob({ status: 'succeeded' });

    expect(((await client.fineTuning.jobs.pause(running.id)) as WireJob).status).toBe('paused');
    await sleep(LONGER_THAN_A_JOB_MS);
    expect((await retrieve(running.id)).status).toBe('paused');
    expect((await client.fineTuning.jobs.resume(running.id)).status).toBe('queued');
    // Back in training, where a seeded job stays.
    await waitFor(
      () => retrieve(running.id),
      (job) => job.status === 'running',
    );
    await sleep(LONGER_THAN_A_JOB_MS);
    expect((await retrieve(running.id)).status).toBe('running');

    await expect(client.fineTuning.jobs.pause(queued.id)).rejects.toMatchObject({ status: 400 });
    expect((await client.fineTuning.jobs.cancel(queued.id)).status).toBe('cancelled');
    await expect(client.fineTuning.jobs.cancel(succeeded.id)).rejects.toMatchObject({ status: 400 });
    expect(await retrieve(succeeded.id)).toEqual(succeeded);

    const acted = local.requests
      .filter((entry) => entry.method === 'POST')
      .map((entry) => `${entry.path} ${entry.status}`);
    expect(acted).toEqual([
      `/fine_tuning/jobs/${running.id}/pause 200`,
      `/fine_tuning/jobs/${running.id}/resume 200`,
      `/fine_tuning/jobs/${queued.id}/pause 400`,
      `/fine_tuning/jobs/${queued.id}/cancel 200`,
      `/fine_tuning/jobs/${succeeded.id}/cancel 400`,
    ]);
    expect(local.count('POST', '/fine_tuning/jobs/{fine_tuning_job_id}/cancel')).toBe(2);
  });

  it('are listed by created_at among the jobs created through the API', async () => {
    const local = await start();
    const ours = await createOurs();
    const older = local.seedJob({ status: 'running', createdAt: ours.created_at - 3600 });
    const newer = local.seedJob({ status: 'running' });

    expect(newer.created_at).toBeGreaterThanOrEqual(ours.created_at);
    expect(await listed(local)).toEqual([newer.id, ours.id, older.id]);
    expect(older.created_at).toBe(ours.created_at - 3600);
  });

  it('refuse a status, time, metadata or model the API would not have, storing nothing', async () => {
    const local = await start();
    expect(() => local.seedJob({ status: 'done' as JobStatus })).toThrow(RangeError);
    expect(() => local.seedJob({ status: 'running', createdAt: Number.NaN })).toThrow(RangeError);
    const metadata = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']));
    expect(() => local.seedJob({ status: 'running', metadata })).toThrow(/too many properties/);
    expect(() => local.seedJob({ status: 'running', model: 'gpt-9' })).toThrow(/not available/);
    expect(local.jobs()).toEqual([]);
    expect(local.files()).toEqual([]);
  });
});

describe("the standard set of other teams' jobs", () => {
  it('has running, queued and succeeded jobs, each untagged, with a team tag, and with our tag keys', async () => {
    const local = await start();
    const set = local.seedOtherTeamsJobs();

    for (const status of ['running', 'queued', 'succeeded']) {
      const jobs = set.filter((job) => job.status === status);
      expect(jobs.map((job) => job.metadata)).toEqual([
        null,
        { team: 'search' },
        {
          gha_intent: expect.stringMatching(/^[0-9a-f]{32}$/),
          gha_settings: expect.stringMatching(/^[0-9a-f]{32}$/),
          gha_run: OTHER_REPOSITORY_RUN,
        },
      ]);
    }
    expect(set.map((job) => job.status).sort()).toEqual(
      [...Array(3).fill('queued'), ...Array(3).fill('running'), ...Array(3).fill('succeeded')].sort(),
    );
    const intents = set.map((job) => job.metadata?.gha_intent).filter((intent) => intent !== undefined);
    expect(new Set(intents).size).toBe(intents.length);

    // Newest first: the first answer of a list that ignores the filter is a running job with our keys.
    const [first] = local.jobs();
    expect(first).toMatchObject({ status: 'running', metadata: { gha_run: OTHER_REPOSITORY_RUN } });

    await sleep(LONGER_THAN_A_JOB_MS);
    for (const job of set) expect(await retrieve(job.id)).toEqual(job);
  });

  it('seeded again after our job, comes before it in a list that ignores the filter', async () => {
    const local = await start({ metadataFilter: 'ignored' });
    const before = local.seedOtherTeamsJobs();
    const ours = await createOurs();
    const after = local.seedOtherTeamsJobs();

    const answer = await listed(local, `&metadata[gha_intent]=${OURS.gha_intent}`);
    expect(answer).toEqual([...ids(after).reverse(), ours.id, ...ids(before).reverse()]);
    expect((await retrieve(answer[0])).status).toBe('running');
    expect(after.every((job) => job.created_at >= ours.created_at)).toBe(true);
  });
});
