import nock from 'nock';
import type { FineTuningJob } from 'openai/resources/fine-tuning/jobs/jobs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cancelLeftBehind } from '../../src/jobs/cleanup.js';
import { JobClient } from '../../src/api/client.js';
import { createOnce } from '../../src/jobs/create-once.js';
import { jobTags, readRunTag, tagMetadata } from '../../src/jobs/tags.js';
import { captureStdout } from '../helpers/capture.js';
import { makeJob, succeededJob } from '../helpers/jobs.js';
import { API, CONNECTION } from '../helpers/connection.js';

const JOBS = '/v1/fine_tuning/jobs';
const client = new JobClient(CONNECTION, { maxRetries: 0 });
const run = { repository: 'octo-org/models', runId: '77', attempt: '2', job: 'train', action: 'fine-tune' };
const settings = { model: 'gpt-4o-mini-2024-07-18', method: { type: 'supervised' as const, supervised: {} } };
const tags = jobTags(settings, { training: 'a'.repeat(64) }, run);
/** What the job an earlier attempt of this run created for this step carries: the same intent. */
const earlierAttempt = tagMetadata(jobTags(settings, { training: 'a'.repeat(64) }, { ...run, attempt: '1' }));
const params = { ...settings, training_file: 'file-train' };
const retry = { deadline: Date.now() + 60_000, maxAttempts: 5 };
const list = (data: FineTuningJob[]) => [200, { object: 'list', data, has_more: false }] as const;
let stdout: ReturnType<typeof captureStdout>;

beforeAll(() => nock.disableNetConnect());
beforeEach(() => (stdout = captureStdout()));
afterEach(() => {
  stdout.restore();
  nock.cleanAll();
});

describe('jobTags', () => {
  it('gives the same intent to every attempt of a run, and a different one to another run or other settings', () => {
    const again = jobTags(settings, { training: 'a'.repeat(64) }, { ...run, attempt: '3' });
    const otherRun = jobTags(settings, { training: 'a'.repeat(64) }, { ...run, runId: '78' });
    const otherData = jobTags(settings, { training: 'b'.repeat(64) }, run);
    expect(again.intent).toBe(tags.intent);
    expect(again.run).not.toBe(tags.run);
    expect(otherRun.intent).not.toBe(tags.intent);
    expect(otherRun.settings).toBe(tags.settings);
    expect(otherData.settings).not.toBe(tags.settings);
    // The same training asked for by another repository is another team's, never the same job.
    const otherRepository = jobTags(
      settings,
      { training: 'a'.repeat(64) },
      { ...run, repository: 'other/repo' },
    );
    expect(otherRepository.settings).not.toBe(tags.settings);
    expect(otherRepository.intent).not.toBe(tags.intent);
  });

  it('puts the commit in the run tag only: the same data from another commit is the same training', () => {
    const sha = '0123456789abcdef0123456789abcdef01234567';
    const fromCommit = jobTags(settings, { training: 'a'.repeat(64) }, run, sha);
    expect(fromCommit).toEqual({ ...tags, run: `${tags.run}@${sha}` });
    expect(readRunTag(fromCommit.run)).toEqual({
      path: tags.run,
      repository: 'octo-org/models',
      commit: sha,
    });
    expect(readRunTag(tags.run)).toEqual({ path: tags.run, repository: 'octo-org/models' });
    // Anyone's text after the run is passed on as it is, for the git module to refuse.
    expect(readRunTag(`${tags.run}@--upload-pack=x`)?.commit).toBe('--upload-pack=x');
    expect(readRunTag('x](https://evil.example/)')).toBeUndefined();
  });

  it('does not depend on the order of keys in the settings', () => {
    const reordered = jobTags(
      { method: { supervised: {}, type: 'supervised' }, model: 'gpt-4o-mini-2024-07-18' },
      { training: 'a'.repeat(64) },
      run,
    );
    expect(reordered.intent).toBe(tags.intent);
  });
});

describe('createOnce', () => {
  it('looks the intent up, finds nothing, and creates one job tagged with it', async () => {
    let body: { metadata?: Record<string, string> } = {};
    nock(API)
      .get(JOBS)
      .query({ 'metadata[gha_intent]': tags.intent, limit: '100' })
      .reply(...list([]))
      .post(JOBS, (b: typeof body) => ((body = b), true))
      .reply(200, makeJob());
    const created = await createOnce(client, { params, tags, attempt: Number(run.attempt) }, retry);
    expect(created.attached).toBeUndefined();
    expect(body.metadata).toEqual({
      gha_intent: tags.intent,
      gha_settings: tags.settings,
      gha_run: 'octo-org/models/actions/runs/77/attempts/2',
      gha_lineage: tags.lineage,
    });
  });

  for (const earlier of [makeJob({ status: 'running' }), succeededJob()]) {
    it(`attaches to the ${earlier.status} job of an earlier attempt instead of creating another`, async () => {
      const tagged = { ...earlier, metadata: earlierAttempt };
      nock(API)
        .get(JOBS)
        .query(true)
        .reply(...list([tagged]));
      const created = await createOnce(client, { params, tags, attempt: Number(run.attempt) }, retry);
      expect(created.job.id).toBe(earlier.id);
      expect(created.attached).toBe(
        `\`ftjob-test1\` (\`${earlier.status}\`) was already created by \`octo-org/models/actions/runs/77/attempts/1\``,
      );
    });
  }

  it('creates a new job when the earlier attempt’s job failed or was cancelled', async () => {
    nock(API)
      .get(JOBS)
      .query(true)
      .reply(
        ...list([
          makeJob({ id: 'ftjob-old', status: 'failed', metadata: earlierAttempt }),
          makeJob({ id: 'ftjob-older', status: 'cancelled', metadata: earlierAttempt }),
        ]),
      )
      .post(JOBS)
      .reply(200, makeJob({ id: 'ftjob-new' }));
    const created = await createOnce(client, { params, tags, attempt: Number(run.attempt) }, retry);
    expect(created.job.id).toBe('ftjob-new');
    expect(created.attached).toBeUndefined();
  });

  it('after a lost answer, finds the job the create made instead of creating a second', async () => {
    const unanswered: string[] = [];
    const record = (req: Request) => void unanswered.push(`${req.method} ${req.url}`);
    nock.emitter.on('no match', record);
    nock(API)
      .get(JOBS)
      .query(true)
      .reply(...list([makeJob({ id: 'ftjob-old', status: 'failed', metadata: earlierAttempt })]))
      .post(JOBS)
      .replyWithError('socket hang up') // nock 15 hangs fetch on an error object; a string works
      .get(JOBS)
      .query(true)
      .reply(
        ...list([
          makeJob({ id: 'ftjob-made', status: 'validating_files', metadata: tagMetadata(tags) }),
          makeJob({ id: 'ftjob-old', status: 'failed', metadata: earlierAttempt }),
        ]),
      );
    try {
      const created = await createOnce(client, { params, tags, attempt: Number(run.attempt) }, retry);
      expect(created.job.id).toBe('ftjob-made');
      expect(created.attached).toBe("the create request's answer was lost; it had made `ftjob-made`");
      // A second create would have found no interceptor.
      expect(unanswered).toEqual([]);
      expect(nock.isDone()).toBe(true);
    } finally {
      nock.emitter.off('no match', record);
    }
  });

  it('after a lost answer with no job made, sends the create again', async () => {
    nock(API)
      .get(JOBS)
      .query(true)
      .times(2)
      .reply(...list([]))
      .post(JOBS)
      .reply(
        503,
        { error: { message: 'busy', type: 'server_error', param: null, code: null } },
        { 'retry-after-ms': '1' },
      )
      .post(JOBS)
      .reply(200, makeJob({ id: 'ftjob-second-try' }));
    const created = await createOnce(client, { params, tags, attempt: Number(run.attempt) }, retry);
    expect(created.job.id).toBe('ftjob-second-try');
    expect(nock.isDone()).toBe(true);
  });
});

describe('cancelLeftBehind', () => {
  it('cancels a job known by id while it is in progress', async () => {
    nock(API)
      .get(`${JOBS}/ftjob-test1`)
      .reply(200, makeJob({ status: 'running' }))
      .post(`${JOBS}/ftjob-test1/cancel`)
      .reply(200, makeJob({ status: 'cancelled' }));
    const jobs = await cancelLeftBehind(client, { jobId: 'ftjob-test1' });
    expect(jobs.map((job) => job.status)).toEqual(['cancelled']);
  });

  it('leaves a finished job alone', async () => {
    nock(API).get(`${JOBS}/ftjob-test1`).reply(200, succeededJob());
    expect((await cancelLeftBehind(client, { jobId: 'ftjob-test1' })).map((job) => job.status)).toEqual([
      'succeeded',
    ]);
  });

  it('without an id, finds the jobs by this attempt’s tags', async () => {
    nock(API)
      .get(JOBS)
      .query({ 'metadata[gha_intent]': tags.intent, 'metadata[gha_run]': tags.run, limit: '100' })
      .reply(...list([makeJob({ status: 'queued', metadata: tagMetadata(tags) })]))
      .post(`${JOBS}/ftjob-test1/cancel`)
      .reply(200, makeJob({ status: 'cancelled' }));
    const jobs = await cancelLeftBehind(client, { intent: tags.intent, run: tags.run });
    expect(jobs.map((job) => job.status)).toEqual(['cancelled']);
  });

  it('reports how a job ended when it finished between the look and the cancel', async () => {
    nock(API)
      .get(`${JOBS}/ftjob-test1`)
      .reply(200, makeJob({ status: 'running' }))
      .post(`${JOBS}/ftjob-test1/cancel`)
      .reply(400, {
        error: {
          message: 'Job has already completed',
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      })
      .get(`${JOBS}/ftjob-test1`)
      .reply(200, succeededJob());
    expect((await cancelLeftBehind(client, { jobId: 'ftjob-test1' })).map((job) => job.status)).toEqual([
      'succeeded',
    ]);
  });
});
