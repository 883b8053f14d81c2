import nock from 'nock';
import type { FineTuningJob } from 'openai/resources/fine-tuning/jobs/jobs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JobClient } from '../../src/api/client.js';
import { manage } from '../../src/modes/manage.js';
import { writeOutputs } from '../../src/report/outputs.js';
import { newRecord } from '../../src/report/record.js';
import { captureStdout, runnerFiles } from '../helpers/capture.js';
import { makeJob, succeededJob } from '../helpers/jobs.js';
import { API, CONNECTION } from '../helpers/connection.js';

const client = new JobClient(CONNECTION, { maxRetries: 0 });
let stdout: ReturnType<typeof captureStdout>;
let files: ReturnType<typeof runnerFiles>;

async function runCancel(jobId = 'ftjob-test1') {
  const record = newRecord(Date.now());
  record.mode = 'cancel';
  try {
    await manage({ mode: 'cancel', connection: CONNECTION, jobId }, client, record);
  } finally {
    writeOutputs(record);
  }
  return files.outputs();
}

beforeAll(() => nock.disableNetConnect());
beforeEach(() => {
  files = runnerFiles();
  stdout = captureStdout();
});
afterEach(() => {
  stdout.restore();
  nock.cleanAll();
});

describe('cancel', () => {
  const inProgress: FineTuningJob['status'][] = ['validating_files', 'queued', 'running'];
  for (const status of [...inProgress, 'paused' as FineTuningJob['status']]) {
    it(`cancels a job that is ${status} and reports before and after`, async () => {
      const sent = nock(API)
        .get('/v1/fine_tuning/jobs/ftjob-test1')
        .reply(200, makeJob({ status }))
        .post('/v1/fine_tuning/jobs/ftjob-test1/cancel')
        .reply(200, makeJob({ status: 'cancelled' }));
      const outputs = await runCancel();
      expect(sent.isDone()).toBe(true);
      expect(outputs).toMatchObject({
        'job-id': 'ftjob-test1',
        'initial-status': status,
        'final-status': 'cancelled',
        status: 'cancelled',
      });
      expect(JSON.parse(outputs.job).status).toBe('cancelled');
    });
  }

  for (const job of [succeededJob(), makeJob({ status: 'failed' }), makeJob({ status: 'cancelled' })]) {
    it(`sends no cancel for a job that is already ${job.status}, and reports it as both statuses`, async () => {
      nock(API).get('/v1/fine_tuning/jobs/ftjob-test1').reply(200, job);
      // Any cancel request would find no interceptor and fail the run.
      const outputs = await runCancel();
      expect(outputs).toMatchObject({ 'initial-status': job.status, 'final-status': job.status });
      expect(stdout.text()).toContain(`the job had already ended (${job.status}), so no cancel was sent`);
    });
  }

  it('fails with a clear message for an unknown job id', async () => {
    nock(API)
      .get('/v1/fine_tuning/jobs/ftjob-nope')
      .reply(404, {
        error: {
          message: 'Could not find fine tune: ftjob-nope',
          type: 'invalid_request_error',
          param: 'fine_tune_id',
          code: 'fine_tune_not_found',
        },
      });
    await expect(runCancel('ftjob-nope')).rejects.toThrow(
      "No fine-tuning job 'ftjob-nope' was found: HTTP 404 (fine_tune_not_found): Could not find fine tune: ftjob-nope",
    );
  });
});
