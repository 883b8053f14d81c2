import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { jobTags, tagMetadata } from '../../src/jobs/tags.js';
import * as core from '../helpers/core.js';
import { makeJob, othersJobs } from '../helpers/jobs.js';
import { recordRequests } from '../helpers/requests.js';

// The post step, which the runner runs after the main step however it ended: it must cancel the
// job a killed fine-tune or wait step left behind, and touch nothing else. @actions/core is
// replaced by spies (inputs and the main step's state from maps), the API by nock.

vi.mock('@actions/core', () => import('../helpers/core.js'));
const { run } = await import('../../src/post.js');

const API = 'https://api.test';
const JOBS = '/v1/fine_tuning/jobs';
const INPUTS = { 'api-key': 'sk-unit-test', 'base-url': `${API}/v1` };
const settings = { model: 'gpt-4o-mini-2024-07-18', method: { type: 'supervised' as const, supervised: {} } };
const step = { repository: 'octo-org/models', runId: '77', attempt: '2', job: 'train', action: 'fine-tune' };
const tags = jobTags(settings, { training: 'a'.repeat(64) }, step);
const list = (data: unknown[]) => [200, { object: 'list', data, has_more: false }] as const;

let requests: ReturnType<typeof recordRequests>;

beforeAll(() => nock.disableNetConnect());
beforeEach(() => {
  core.reset();
  requests = recordRequests();
});
afterEach(() => {
  requests.restore();
  nock.cleanAll();
});

describe('post step', () => {
  it('does nothing when the main step ended on its own terms', async () => {
    core.reset({ ...INPUTS, mode: 'fine-tune' }, { 'job-id': 'ftjob-test1', done: 'true' });
    await run();
    expect(requests.sent()).toEqual([]);
    expect(core.warning).not.toHaveBeenCalled();
  });

  for (const mode of ['pause', 'resume', 'cancel']) {
    it(`does nothing after a ${mode} step, even with a job id in the state`, async () => {
      core.reset({ ...INPUTS, mode, 'job-id': 'ftjob-test1' }, { 'job-id': 'ftjob-test1' });
      await run();
      // A cancelled pause (or resume) must never turn into a cancel.
      expect(requests.sent()).toEqual([]);
      expect(core.warning).not.toHaveBeenCalled();
    });
  }

  for (const mode of ['fine-tune', 'wait']) {
    it(`cancels the job a ${mode} step left running when it did not finish`, async () => {
      core.reset({ ...INPUTS, mode }, { 'job-id': 'ftjob-test1' });
      nock(API)
        .get(`${JOBS}/ftjob-test1`)
        .reply(200, makeJob({ status: 'running' }))
        .post(`${JOBS}/ftjob-test1/cancel`)
        .reply(200, makeJob({ status: 'cancelled' }));
      await run();
      expect(requests.sent()).toEqual([`GET ${JOBS}/ftjob-test1`, `POST ${JOBS}/ftjob-test1/cancel`]);
      expect(core.info).toHaveBeenCalledWith(
        'The main step did not finish; job ftjob-test1 is now cancelled (cancel-on-abort)',
      );
      expect(core.warning).not.toHaveBeenCalled();
    });
  }

  it('leaves the job running when cancel-on-abort is false', async () => {
    core.reset({ ...INPUTS, mode: 'fine-tune', 'cancel-on-abort': 'false' }, { 'job-id': 'ftjob-test1' });
    await run();
    expect(requests.sent()).toEqual([]);
    expect(core.info).toHaveBeenCalledWith(
      'The main step did not finish; cancel-on-abort is false, so its job is left as it is',
    );
  });

  it('with only the intent and run saved, cancels only the job whose own metadata carries them', async () => {
    core.reset({ ...INPUTS, mode: 'fine-tune' }, { intent: tags.intent, run: tags.run });
    const mine = makeJob({ id: 'ftjob-mine', status: 'queued', metadata: tagMetadata(tags) });
    // The same step's job from the attempt before: not this attempt's to cancel.
    const earlierAttempt = makeJob({
      id: 'ftjob-earlier-attempt',
      status: 'running',
      metadata: tagMetadata({ ...tags, run: 'octo-org/models/actions/runs/77/attempts/1' }),
    });
    nock(API)
      .get(JOBS)
      .query(true)
      .reply(...list([...othersJobs(), earlierAttempt, mine]))
      .post(`${JOBS}/ftjob-mine/cancel`)
      .reply(200, { ...mine, status: 'cancelled' });
    await run();
    expect(requests.sent()).toEqual([`GET ${JOBS}`, `POST ${JOBS}/ftjob-mine/cancel`]);
    expect(core.info).toHaveBeenCalledWith(
      'The main step did not finish; job ftjob-mine is now cancelled (cancel-on-abort)',
    );
    expect(core.warning).not.toHaveBeenCalled();
  });

  it('with only the intent and run saved, cancels nothing when no job carries them', async () => {
    core.reset({ ...INPUTS, mode: 'wait' }, { intent: tags.intent, run: tags.run });
    nock(API)
      .get(JOBS)
      .query(true)
      .reply(...list(othersJobs()));
    await run();
    expect(requests.sent()).toEqual([`GET ${JOBS}`]);
    expect(core.info).toHaveBeenCalledWith(
      'The main step did not finish and had created no job; nothing to cancel',
    );
  });

  it('warns, without failing, when the cancel cannot be sent', async () => {
    core.reset({ ...INPUTS, mode: 'fine-tune' }, { 'job-id': 'ftjob-test1' });
    nock(API)
      .get(`${JOBS}/ftjob-test1`)
      .reply(401, {
        error: {
          message: 'Incorrect API key provided: sk-unit-test',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      });
    await run();
    expect(core.setFailed).not.toHaveBeenCalled();
    expect(core.warning).toHaveBeenCalledTimes(1);
    const warning = String(core.warning.mock.calls[0][0]);
    expect(warning).toContain(
      'Could not cancel the job the main step left behind: HTTP 401 (invalid_api_key)',
    );
    // The key never reaches the log, even where the API echoes it.
    expect(warning).not.toContain('sk-unit-test');
  });
});
