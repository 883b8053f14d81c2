import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nock from 'nock';
import type { FineTuningJob } from 'openai/resources/fine-tuning/jobs/jobs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JobClient } from '../../src/api/client.js';
import { createOnce } from '../../src/jobs/create-once.js';
import { jobTags } from '../../src/jobs/tags.js';
import { startActionsCache, type ActionsCacheServer } from '../../server/actions-cache.ts';
import { captureStdout } from '../helpers/capture.js';
import { makeJob } from '../helpers/jobs.js';
import { API, CONNECTION } from '../helpers/connection.js';

// A provider or gateway that keeps jobs but drops their metadata (LiteLLM's OpenAI pass-through):
// nothing on a job marks it as this run's, so a re-run finds attempt 1's job through the note
// attempt 1 left in the Actions cache, or says plainly that a second job may follow.

const JOBS = '/v1/fine_tuning/jobs';
const client = new JobClient(CONNECTION, { maxRetries: 0 });
const run = { repository: 'octo-org/models', runId: '77', attempt: '1', job: 'train', action: 'fine-tune' };
const settings = { model: 'gpt-4o-mini-2024-07-18', method: { type: 'supervised' as const, supervised: {} } };
const tags = jobTags(settings, { training: 'a'.repeat(64) }, run);
const params = { ...settings, training_file: 'file-train', metadata: { team: 'search' } };
const retry = { deadline: Date.now() + 60_000, maxAttempts: 3 };
const list = (data: FineTuningJob[]) => [200, { object: 'list', data, has_more: false }] as const;
/** What the gateway answers: the job, without any of the metadata it was sent. */
const dropped = (overrides: Partial<FineTuningJob> = {}) => makeJob({ metadata: null, ...overrides });
const CACHE_ENV = ['ACTIONS_RESULTS_URL', 'ACTIONS_RUNTIME_TOKEN', 'ACTIONS_CACHE_SERVICE_V2'] as const;

let stdout: ReturnType<typeof captureStdout>;
let cache: ActionsCacheServer | undefined;

/** The runner's cache service for this job, as GitHub gives it to every step of every attempt. */
async function withCache(): Promise<ActionsCacheServer> {
  cache = await startActionsCache();
  process.env.ACTIONS_RESULTS_URL = cache.url;
  process.env.ACTIONS_RUNTIME_TOKEN = cache.token;
  process.env.ACTIONS_CACHE_SERVICE_V2 = 'true';
  return cache;
}

/** The step's log as it stood when the create request arrived (undefined: none arrived). */
function logAtCreate(): { text?: string } {
  const seen: { text?: string } = {};
  nock(API)
    .get(JOBS)
    .query(true)
    .reply(...list([]))
    .post(JOBS)
    .reply(() => {
      seen.text = stdout.text();
      return [200, dropped()];
    });
  return seen;
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
beforeEach(() => {
  stdout = captureStdout();
  process.env.RUNNER_TEMP = mkdtempSync(path.join(tmpdir(), 'runner-temp-'));
  process.env.GITHUB_WORKSPACE = mkdtempSync(path.join(tmpdir(), 'workspace-'));
});
afterEach(async () => {
  stdout.restore();
  nock.cleanAll();
  for (const name of CACHE_ENV) delete process.env[name];
  await cache?.close();
  cache = undefined;
});

describe('a provider that drops job metadata', () => {
  it('says what was lost, and that with no cache a re-run would create a second job', async () => {
    nock(API)
      .get(JOBS)
      .query(true)
      .reply(...list([]))
      .post(JOBS)
      .reply(200, dropped());
    const created = await createOnce(client, { params, tags, attempt: 1 }, retry);
    expect(created.job.id).toBe('ftjob-test1');
    const log = stdout.text();
    expect(log).toMatch(/::warning title=Job metadata dropped::ftjob-test1 came back without its metadata/);
    expect(log).toContain("dropped the action's tags and your metadata (team)");
    expect(log).toContain('a re-run of this run would create a second job');
  });

  it('leaves a note in the Actions cache that a re-run attempt attaches through, creating nothing', async () => {
    const service = await withCache();
    nock(API)
      .get(JOBS)
      .query(true)
      .reply(...list([]))
      .post(JOBS)
      .reply(200, dropped({ id: 'ftjob-first' }));
    await createOnce(client, { params, tags, attempt: 1 }, retry);
    expect(service.keys()).toEqual([`openai-fine-tune-action-job-${tags.intent}`]);
    expect(stdout.text()).toContain(
      'a re-run of this run finds the job through a note left in the Actions cache',
    );

    // Attempt 2: the same intent; the gateway's list finds nothing, the note names attempt 1's job.
    const again = jobTags(settings, { training: 'a'.repeat(64) }, { ...run, attempt: '2' });
    nock(API)
      .get(JOBS)
      .query(true)
      .reply(...list([]))
      .get(`${JOBS}/ftjob-first`)
      .reply(200, dropped({ id: 'ftjob-first', status: 'running' }));
    const created = await createOnce(client, { params, tags: again, attempt: 2 }, retry);
    expect(created.job.id).toBe('ftjob-first');
    expect(created.attached).toContain('was created by an earlier attempt of this run');
    expect(nock.isDone()).toBe(true); // no create was sent: a POST would have found no interceptor
  });

  it('creates anew when the noted job failed', async () => {
    await withCache();
    nock(API)
      .get(JOBS)
      .query(true)
      .reply(...list([]))
      .post(JOBS)
      .reply(200, dropped({ id: 'ftjob-first' }));
    await createOnce(client, { params, tags, attempt: 1 }, retry);
    nock(API)
      .get(JOBS)
      .query(true)
      .reply(...list([]))
      .get(`${JOBS}/ftjob-first`)
      .reply(200, dropped({ id: 'ftjob-first', status: 'failed' }))
      .post(JOBS)
      .reply(200, dropped({ id: 'ftjob-second' }));
    const created = await createOnce(client, { params, tags, attempt: 2 }, retry);
    expect(created.job.id).toBe('ftjob-second');
    expect(created.attached).toBeUndefined();
  });

  it('on a re-run without the Actions cache, says before creating that a second job may follow', async () => {
    const atCreate = logAtCreate();
    await createOnce(client, { params, tags, attempt: 2 }, { ...retry, maxAttempts: 1 });
    expect(atCreate.text).toContain('a second job may follow');
    expect(stdout.text()).toMatch(
      /::warning title=Exactly once not guaranteed::No note of an earlier attempt's job could be read \(the Actions cache is not available to this step\)/,
    );
  });

  it('on a re-run whose cache read is refused, the refusal is in the log before the create', async () => {
    const service = await withCache();
    service.setDenied(true);
    const atCreate = logAtCreate();
    await createOnce(client, { params, tags, attempt: 2 }, { ...retry, maxAttempts: 1 });
    expect(atCreate.text).toMatch(/::warning::Failed to restore/);
  });

  it('after a lost create answer, says a second job may be running', async () => {
    nock(API)
      .get(JOBS)
      .query(true)
      .reply(...list([]))
      .post(JOBS)
      .replyWithError('socket hang up')
      .get(JOBS)
      .query(true)
      .reply(...list([]))
      .post(JOBS)
      .reply(200, dropped({ id: 'ftjob-retried' }));
    const created = await createOnce(client, { params, tags, attempt: 1 }, retry);
    expect(created.job.id).toBe('ftjob-retried');
    expect(stdout.text()).toMatch(/::warning title=A second job may exist::/);
  });
});

describe('a provider that refuses a job while its file is processed', () => {
  const notReady = (code: string | null) => ({
    error: {
      message:
        'File file-train is still being processed and is not ready to be used for fine-tuning. Please try again later.',
      type: 'invalid_request_error',
      param: null,
      code,
    },
  });

  for (const code of ['file_not_ready', null]) {
    it(`creates the job once the file is ready (code ${code ?? 'absent, message only'})`, async () => {
      nock(API)
        .get(JOBS)
        .query(true)
        .reply(...list([]))
        .post(JOBS)
        .times(2)
        .reply(400, notReady(code))
        .post(JOBS)
        .reply(200, makeJob({ id: 'ftjob-ready' }));
      const created = await createOnce(client, { params, tags, attempt: 1 }, retry);
      expect(created.job.id).toBe('ftjob-ready');
      expect(nock.isDone()).toBe(true);
      expect(stdout.text().match(/The provider is still processing the data/g)).toHaveLength(2);
    });
  }

  it('gives up at the deadline with the provider’s words', async () => {
    nock(API)
      .get(JOBS)
      .query(true)
      .reply(...list([]))
      .post(JOBS)
      .reply(400, notReady('file_not_ready'));
    await expect(
      createOnce(client, { params, tags, attempt: 1 }, { deadline: Date.now() + 100, maxAttempts: 3 }),
    ).rejects.toThrow('not ready to be used for fine-tuning');
  });

  it('does not retry another 400', async () => {
    nock(API)
      .get(JOBS)
      .query(true)
      .reply(...list([]))
      .post(JOBS)
      .reply(400, {
        error: { message: 'invalid model', type: 'invalid_request_error', param: 'model', code: null },
      });
    await expect(createOnce(client, { params, tags, attempt: 1 }, retry)).rejects.toThrow('invalid model');
    expect(stdout.text()).not.toContain('still processing');
  });
});
