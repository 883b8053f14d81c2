import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../server/index.ts';
import { closeLocalApi, connect, startJob, startLocalApi, untilStatus } from './local-api.ts';
import { runAction } from '../../tools/run-action.ts';

let api: LocalApi;
beforeEach(async () => {
  api = await startLocalApi({ runningMs: 60_000 });
});
afterEach(() => closeLocalApi(api));

const CANCEL_ROUTE = '/fine_tuning/jobs/{fine_tuning_job_id}/cancel';

describe('cancel, end to end', () => {
  it('cancels a running job and reports running -> cancelled', async () => {
    const job = await startJob(api);
    await untilStatus(api, job.id, 'running');
    const run = await runAction({ inputs: { ...connect(api), mode: 'cancel', 'job-id': job.id } });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({
      'job-id': job.id,
      'initial-status': 'running',
      'final-status': 'cancelled',
      status: 'cancelled',
    });
    expect(api.jobs()[0].status).toBe('cancelled');
    expect(run.summary).toContain('| Status before | running |');
  });

  it('sends no cancel to a job that already succeeded and reports it as both statuses', async () => {
    api.setJobPlan({ runningMs: 100 });
    const job = await startJob(api);
    await untilStatus(api, job.id, 'succeeded');
    const run = await runAction({ inputs: { ...connect(api), mode: 'cancel', 'job-id': job.id } });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ 'initial-status': 'succeeded', 'final-status': 'succeeded' });
    expect(api.count('POST', CANCEL_ROUTE)).toBe(0);
    expect(run.log).toContain('the job had already ended (succeeded), so no cancel was sent');
  });

  it('fails with a clear message for an unknown job id', async () => {
    const run = await runAction({
      inputs: { ...connect(api), mode: 'cancel', 'job-id': 'ftjob-doesnotexist' },
    });
    expect(run.code).toBe(1);
    expect(run.log).toContain(
      "::error::No fine-tuning job 'ftjob-doesnotexist' was found: HTTP 404 (fine_tune_not_found): Could not find fine tune: ftjob-doesnotexist",
    );
    expect(api.count('POST', CANCEL_ROUTE)).toBe(0);
  });
});
