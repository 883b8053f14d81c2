import nock from 'nock';
import type { FineTuningJob } from 'openai/resources/fine-tuning/jobs/jobs';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as core from '../helpers/core.js';
import { makeJob, succeededJob } from '../helpers/jobs.js';
import { recordRequests } from '../helpers/requests.js';

// The main step end to end inside one process: @actions/core is replaced by spies (inputs from a
// map), the API by nock. What is checked is what the workflow sees: outputs, the failure message,
// the summary, the state left for the post step, and the requests the API received.

vi.mock('@actions/core', () => import('../helpers/core.js'));
const { run } = await import('../../src/main.js');

const API = 'https://api.test';
const JOB = '/v1/fine_tuning/jobs/ftjob-test1';
const CONNECTION = { 'api-key': 'sk-unit-test', 'base-url': `${API}/v1` };
/** Fast polling, for the modes that follow a job. */
const FAST = { 'poll-interval': '10ms', 'max-poll-interval': '20ms' };
const empty = { object: 'list', data: [], has_more: false };

let requests: ReturnType<typeof recordRequests>;

/** Answers retrieves of ftjob-test1 with each job in turn (the last one repeats), events with none. */
function jobSequence(...jobs: FineTuningJob[]) {
  let i = 0;
  nock(API)
    .persist()
    .get(JOB)
    .reply(() => [200, jobs[Math.min(i++, jobs.length - 1)]])
    .get(`${JOB}/events`)
    .query(true)
    .reply(200, empty)
    .get(`${JOB}/checkpoints`)
    .query(true)
    .reply(200, empty);
}

/** Emits SIGINT, as the runner does when the run is cancelled, once the API has the request. */
function interruptOnRequest(scope: nock.Scope) {
  scope.once('request', () => process.emit('SIGINT'));
}

/** The keys the main step saved for its post step. */
const savedKeys = () => core.saveState.mock.calls.map(([name]) => name);

beforeAll(() => nock.disableNetConnect());
beforeEach(() => {
  core.reset();
  requests = recordRequests();
});
afterEach(() => {
  requests.restore();
  nock.cleanAll();
});

describe('main step', () => {
  it('fails on a bad input, naming it, before sending any request', async () => {
    core.reset({ ...CONNECTION, mode: 'wait', 'job-id': 'ftjob-test1', 'poll-interval': 'often' });
    await run();
    expect(core.setFailed).toHaveBeenCalledTimes(1);
    expect(core.setFailed.mock.calls[0][0]).toMatch(/^Input 'poll-interval' .*got 'often'/);
    expect(requests.sent()).toEqual([]);
    // The inputs were never read, so there is no output to give, only the error in the summary.
    expect(core.setOutput).not.toHaveBeenCalled();
    expect(core.summaryText()).toContain("Input 'poll-interval'");
    expect(core.state.get('done')).toBe('true');
  });

  it('cancel on a running job: outputs before and after, and leaves no job for the post step', async () => {
    core.reset({ ...CONNECTION, mode: 'cancel', 'job-id': 'ftjob-test1' });
    nock(API)
      .get(JOB)
      .reply(200, makeJob({ status: 'running' }))
      .post(`${JOB}/cancel`)
      .reply(200, makeJob({ status: 'cancelled' }));
    await run();
    expect(core.setFailed).not.toHaveBeenCalled();
    expect(core.outputs()).toMatchObject({
      'job-id': 'ftjob-test1',
      'initial-status': 'running',
      'final-status': 'cancelled',
      status: 'cancelled',
    });
    expect(requests.sent()).toEqual([`GET ${JOB}`, `POST ${JOB}/cancel`]);
    expect(savedKeys()).not.toContain('job-id');
    expect(core.state.get('done')).toBe('true');
  });

  it('pause cancelled mid-request: the job is not cancelled, and nothing is left for the post step', async () => {
    core.reset({ ...CONNECTION, mode: 'pause', 'job-id': 'ftjob-test1' });
    nock(API)
      .get(JOB)
      .reply(200, makeJob({ status: 'running' }));
    const pause = nock(API)
      .post(`${JOB}/pause`)
      .delay(10_000)
      .reply(200, makeJob({ status: 'paused' as FineTuningJob['status'] }));
    interruptOnRequest(pause);
    const started = Date.now();
    await run();
    // The request in flight was given up at once, not answered 10 s later.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(core.info).toHaveBeenCalledWith('Received SIGINT: stopping');
    expect(core.setFailed).toHaveBeenCalledWith('The run was cancelled');
    // A cancelled pause must never turn into a cancel, though the job is still running.
    expect(requests.sent()).toEqual([`GET ${JOB}`, `POST ${JOB}/pause`]);
    expect(core.outputs()).toMatchObject({ 'job-id': 'ftjob-test1', 'initial-status': 'running' });
    expect(savedKeys()).not.toContain('job-id');
    expect(core.state.get('done')).toBe('true');
  });

  it('wait cancelled while following: cancels the job (cancel-on-abort) and says so', async () => {
    core.reset({ ...CONNECTION, ...FAST, mode: 'wait', 'job-id': 'ftjob-test1' });
    const events = nock(API).get(`${JOB}/events`).query(true).delay(10_000).reply(200, empty);
    interruptOnRequest(events);
    nock(API)
      .get(JOB)
      .reply(200, makeJob({ status: 'running' }))
      .get(JOB)
      .reply(200, makeJob({ status: 'running' }))
      .post(`${JOB}/cancel`)
      .reply(200, makeJob({ status: 'cancelled' }));
    await run();
    expect(requests.sent()).toContain(`POST ${JOB}/cancel`);
    expect(core.setFailed).toHaveBeenCalledWith(
      'The run was cancelled; job ftjob-test1 is now cancelled (cancel-on-abort)',
    );
    expect(core.outputs()).toMatchObject({ 'job-id': 'ftjob-test1', status: 'cancelled' });
    expect(core.state.get('job-id')).toBe('ftjob-test1');
    // The job has ended, so the post step has nothing left to do.
    expect(core.state.get('done')).toBe('true');
  });

  it('wait cancelled with cancel-on-abort false: leaves the job running, and the post step its id', async () => {
    core.reset({ ...CONNECTION, ...FAST, mode: 'wait', 'job-id': 'ftjob-test1', 'cancel-on-abort': 'false' });
    nock(API)
      .get(JOB)
      .reply(200, makeJob({ status: 'running' }));
    const events = nock(API).get(`${JOB}/events`).query(true).delay(10_000).reply(200, empty);
    interruptOnRequest(events);
    await run();
    expect(requests.sent()).toEqual([`GET ${JOB}`, `GET ${JOB}/events`]);
    expect(core.setFailed).toHaveBeenCalledWith(
      'The run was cancelled; ftjob-test1 was left running (cancel-on-abort is false)',
    );
    expect(core.state.get('job-id')).toBe('ftjob-test1');
    // The job may still be running: the post step looks again (and reads cancel-on-abort itself).
    expect(core.state.has('done')).toBe(false);
  });

  it('wait whose wait-timeout runs out while the API gives no answer: says which limit, and why', async () => {
    core.reset({ ...CONNECTION, ...FAST, mode: 'wait', 'job-id': 'ftjob-test1', 'wait-timeout': '300ms' });
    nock(API).persist().get(JOB).replyWithError('socket hang up');
    await run();
    expect(core.setFailed).toHaveBeenCalledTimes(1);
    expect(core.setFailed.mock.calls[0][0]).toMatch(
      /^wait-timeout \(300ms\) ran out while the API gave no answer: .*socket hang up/,
    );
    // The retries were said in the log as they happened.
    expect(core.logged().join('\n')).toMatch(/No answer from api\.test .*; trying again/);
  });

  it('wait on a job that succeeds: sets fine-tuned-model and succeeds', async () => {
    core.reset({ ...CONNECTION, ...FAST, mode: 'wait', 'job-id': 'ftjob-test1' });
    jobSequence(makeJob({ status: 'running' }), succeededJob());
    nock(API).get('/v1/files/file-result/content').reply(200, 'step,train_loss\n1,0.9\n2,0.5\n');
    await run();
    expect(core.setFailed).not.toHaveBeenCalled();
    expect(core.outputs()).toMatchObject({
      'job-id': 'ftjob-test1',
      status: 'succeeded',
      'fine-tuned-model': 'ft:gpt-4o-mini-2024-07-18:org-test::abc123',
      'trained-tokens': '12345',
      'result-file-id': 'file-result',
      // api.test is a compatible provider, whose schedule is not known.
      'model-retires-on': '',
    });
    expect(core.summaryText()).toContain('## ✅ Fine-tuning job: succeeded');
    // A wait run follows its job, so the post step would know which one; it ended, so it is done.
    expect(core.state.get('job-id')).toBe('ftjob-test1');
    expect(core.state.get('done')).toBe('true');
    expect(requests.sent()).not.toContain(`POST ${JOB}/cancel`);
  });

  it("wait on OpenAI: outputs and summarises when the model stops serving, by the job's own base model", async () => {
    // No model input in wait: the run that created the job chose gpt-3.5-turbo-0125.
    core.reset({ ...CONNECTION, ...FAST, provider: 'openai', mode: 'wait', 'job-id': 'ftjob-test1' });
    jobSequence(
      succeededJob({
        model: 'gpt-3.5-turbo-0125',
        fine_tuned_model: 'ft:gpt-3.5-turbo-0125:org-test::abc123',
      }),
    );
    nock(API).get('/v1/files/file-result/content').reply(200, 'step,train_loss\n1,0.9\n');
    await run();
    expect(core.setFailed).not.toHaveBeenCalled();
    expect(core.outputs()['model-retires-on']).toBe('2026-10-23');
    expect(core.summaryText()).toMatch(
      /\| Model stops serving \| 2026-10-23 \(OpenAI's schedule, checked \d{4}-\d{2}-\d{2}\) \|/,
    );
  });
});
