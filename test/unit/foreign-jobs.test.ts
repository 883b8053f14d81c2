import nock from 'nock';
import type { FineTuningJob } from 'openai/resources/fine-tuning/jobs/jobs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JobClient } from '../../src/api/client.js';
import { cancelLeftBehind } from '../../src/jobs/cleanup.js';
import { createOnce } from '../../src/jobs/create-once.js';
import { findTaggedJobs } from '../../src/jobs/lookup.js';
import { jobTags, tagMetadata } from '../../src/jobs/tags.js';
import { captureStdout, runnerFiles } from '../helpers/capture.js';
import { makeJob, othersJobs } from '../helpers/jobs.js';
import { recordRequests } from '../helpers/requests.js';
import { API, CONNECTION } from '../helpers/connection.js';

// A shared account on a server that ignores the list's metadata filter (Azure's v1 API has none):
// every lookup by tag is answered with every team's jobs. The action must act only on jobs whose
// own metadata carries its tags: never attach to, reuse or cancel another team's job.

const JOBS = '/v1/fine_tuning/jobs';
const client = new JobClient(CONNECTION, { maxRetries: 0 });
const run = { repository: 'octo-org/models', runId: '77', attempt: '2', job: 'train', action: 'fine-tune' };
const settings = { model: 'gpt-4o-mini-2024-07-18', method: { type: 'supervised' as const, supervised: {} } };
const tags = jobTags(settings, { training: 'a'.repeat(64) }, run);
const params = { ...settings, training_file: 'file-train' };
const retry = { deadline: Date.now() + 60_000, maxAttempts: 5 };
const page = (data: FineTuningJob[], hasMore = false) =>
  [200, { object: 'list', data, has_more: hasMore }] as const;

/** This step's job, as this attempt created it. */
const mine = (fields: Partial<FineTuningJob> = {}) =>
  makeJob({ id: 'ftjob-mine', status: 'running', metadata: tagMetadata(tags), ...fields });
/** Jobs that carry some of this step's tags, but not all that a lookup asks for. */
const nearMisses = [
  // The same step's job from the attempt before (same intent, other run).
  makeJob({
    id: 'ftjob-earlier-attempt',
    status: 'running',
    metadata: tagMetadata({ ...tags, run: 'octo-org/models/actions/runs/77/attempts/1' }),
  }),
  // Another workflow run training the same model on the same data (same settings, other intent).
  makeJob({
    id: 'ftjob-same-settings',
    status: 'queued',
    metadata: tagMetadata({
      ...tags,
      intent: 'd'.repeat(32),
      run: 'octo-org/models/actions/runs/80/attempts/1',
    }),
  }),
];

let stdout: ReturnType<typeof captureStdout>;
let requests: ReturnType<typeof recordRequests>;
/** Requests nock had no answer for: anything the test did not expect the action to send. */
let unexpected: string[];
const noMatch = (req: { method?: string; path?: string; url?: string }) =>
  void unexpected.push(`${req.method} ${req.path ?? req.url}`);

beforeAll(() => nock.disableNetConnect());
beforeEach(() => {
  runnerFiles();
  stdout = captureStdout();
  requests = recordRequests();
  unexpected = [];
  nock.emitter.on('no match', noMatch);
});
afterEach(() => {
  nock.emitter.off('no match', noMatch);
  requests.restore();
  stdout.restore();
  nock.cleanAll();
});

describe('findTaggedJobs', () => {
  it('asks the server to filter, and keeps only jobs whose own metadata carries every tag', async () => {
    const withMore = mine({ id: 'ftjob-mine-too', metadata: { ...tagMetadata(tags), team: 'ml' } });
    nock(API)
      .get(JOBS)
      .query({ 'metadata[gha_intent]': tags.intent, 'metadata[gha_run]': tags.run, limit: '100' })
      .reply(...page([...othersJobs(), ...nearMisses, mine(), withMore]));
    const found = await findTaggedJobs(client, { gha_intent: tags.intent, gha_run: tags.run });
    expect(found.map((job) => job.id)).toEqual(['ftjob-mine', 'ftjob-mine-too']);
  });

  it('finds nothing among other teams’ jobs alone', async () => {
    nock(API)
      .get(JOBS)
      .query(true)
      .reply(...page(othersJobs()));
    expect(await findTaggedJobs(client, { gha_settings: tags.settings })).toEqual([]);
  });

  it('reads on past a first page of other teams’ jobs', async () => {
    const others = othersJobs();
    nock(API)
      .get(JOBS)
      .query({ 'metadata[gha_intent]': tags.intent, limit: '100' })
      .reply(...page(others, true))
      .get(JOBS)
      .query({ 'metadata[gha_intent]': tags.intent, limit: '100', after: others.at(-1)!.id })
      .reply(...page([mine()]));
    const found = await findTaggedJobs(client, { gha_intent: tags.intent });
    expect(found.map((job) => job.id)).toEqual(['ftjob-mine']);
    expect(nock.isDone()).toBe(true);
  });

  it('stops after 1000 jobs of an account that has more', async () => {
    let pages = 0;
    nock(API)
      .persist()
      .get(JOBS)
      .query(true)
      .reply(() => {
        pages += 1;
        const jobs = Array.from({ length: 100 }, (_, i) => makeJob({ id: `ftjob-others-${pages}-${i}` }));
        // 2000 jobs in all, so that reading them all would show as 20 pages rather than as a hang.
        return page(jobs, pages < 20);
      });
    expect(await findTaggedJobs(client, { gha_intent: tags.intent })).toEqual([]);
    expect(pages).toBe(10);
  });
});

describe('createOnce, when the list answers other teams’ jobs', () => {
  it('creates its own job and attaches to none of theirs', async () => {
    let body: { metadata?: Record<string, string> } = {};
    nock(API)
      .get(JOBS)
      .query(true)
      .reply(...page([...othersJobs(), nearMisses[1]]))
      .post(JOBS, (b: typeof body) => ((body = b), true))
      .reply(200, mine({ status: 'validating_files' }));
    const created = await createOnce(client, { params, tags, attempt: 1 }, retry);
    expect(created.job.id).toBe('ftjob-mine');
    expect(created.attached).toBeUndefined();
    expect(body.metadata).toEqual(tagMetadata(tags));
    expect(requests.sent()).toEqual([`GET ${JOBS}`, `POST ${JOBS}`]);
    expect(unexpected).toEqual([]);
  });

  it('after a lost create answer, does not take another team’s new job for the one it made', async () => {
    const others = othersJobs();
    // Jobs that appeared on the account while the create's answer was lost, none of them this step's.
    const appeared = [
      makeJob({ id: 'ftjob-others-new', status: 'validating_files', metadata: { team: 'search' } }),
      makeJob({ id: 'ftjob-others-new-untagged', status: 'validating_files' }),
      nearMisses[1],
    ];
    nock(API)
      .get(JOBS)
      .query(true)
      .reply(...page(others))
      .post(JOBS)
      .replyWithError('socket hang up') // nock 15 hangs fetch on an error object; a string works
      .get(JOBS)
      .query(true)
      .reply(...page([...appeared, ...others]))
      .post(JOBS)
      .reply(200, mine({ status: 'validating_files' }));
    const created = await createOnce(client, { params, tags, attempt: 1 }, retry);
    // Nothing carrying its tags was found, so the create was sent again and made its own job.
    expect(created.job.id).toBe('ftjob-mine');
    expect(created.attached).toBeUndefined();
    expect(requests.sent()).toEqual([`GET ${JOBS}`, `POST ${JOBS}`, `GET ${JOBS}`, `POST ${JOBS}`]);
    expect(nock.isDone()).toBe(true);
  });

  it('after a lost create answer, finds the job it made among other teams’ jobs', async () => {
    const others = othersJobs();
    nock(API)
      .get(JOBS)
      .query(true)
      .reply(...page(others))
      .post(JOBS)
      .replyWithError('socket hang up')
      .get(JOBS)
      .query(true)
      .reply(
        ...page([
          makeJob({ id: 'ftjob-others-new', status: 'validating_files' }),
          mine({ status: 'validating_files' }),
          ...others,
        ]),
      );
    const created = await createOnce(client, { params, tags, attempt: 1 }, retry);
    expect(created.job.id).toBe('ftjob-mine');
    expect(created.attached).toBe("the create request's answer was lost; it had made `ftjob-mine`");
    // A second create would have found no interceptor.
    expect(unexpected).toEqual([]);
    expect(nock.isDone()).toBe(true);
  });
});

describe('cancelLeftBehind by tags, when the list answers other teams’ jobs', () => {
  it('cancels none of them', async () => {
    const listed = nock(API)
      .get(JOBS)
      .query(true)
      .reply(...page([...othersJobs(), ...nearMisses]));
    // Had any been picked, its cancel would have found no interceptor and failed the call.
    const jobs = await cancelLeftBehind(client, { intent: tags.intent, run: tags.run });
    expect(jobs).toEqual([]);
    expect(listed.isDone()).toBe(true);
    expect(requests.sent()).toEqual([`GET ${JOBS}`]);
    expect(unexpected).toEqual([]);
  });

  it('cancels only this attempt’s own job among them', async () => {
    nock(API)
      .get(JOBS)
      .query(true)
      .reply(...page([...othersJobs(), ...nearMisses, mine({ status: 'queued' })]))
      .post(`${JOBS}/ftjob-mine/cancel`)
      .reply(200, mine({ status: 'cancelled' }));
    const jobs = await cancelLeftBehind(client, { intent: tags.intent, run: tags.run });
    expect(jobs.map((job) => `${job.id} ${job.status}`)).toEqual(['ftjob-mine cancelled']);
    expect(requests.sent()).toEqual([`GET ${JOBS}`, `POST ${JOBS}/ftjob-mine/cancel`]);
    expect(unexpected).toEqual([]);
  });
});
