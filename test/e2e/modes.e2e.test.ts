import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../server/index.ts';
import { runAction } from '../../tools/run-action.ts';
import { closeLocalApi, connect, EXAMPLE, startJob, startLocalApi, untilStatus } from './local-api.ts';

let api: LocalApi;
beforeEach(async () => {
  api = await startLocalApi();
});
afterEach(() => closeLocalApi(api));

const fast = { 'poll-interval': '100ms', 'max-poll-interval': '400ms' };
const data = { 'data/train.jsonl': EXAMPLE('train.jsonl'), 'data/valid.jsonl': EXAMPLE('valid.jsonl') };

function fineTune(inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
  return runAction({
    files: data,
    env,
    inputs: {
      ...connect(api),
      ...fast,
      model: 'gpt-4o-mini-2024-07-18',
      'training-file': 'data/train.jsonl',
      ...inputs,
    },
  });
}

describe('the summary a person reads', () => {
  it('shows the timeline, the checkpoints table, a Mermaid loss chart, the last events and a W&B link', async () => {
    // Phases far longer than the poll gap, so the wait sees every status even on a busy machine.
    api.setJobPlan({ validatingMs: 1_000, queuedMs: 1_000 });
    const run = await fineTune({
      'max-poll-interval': '100ms',
      'validation-file': 'data/valid.jsonl',
      integrations: '[{type: wandb, wandb: {project: support-bot, entity: acme}}]',
    });
    expect(run.code).toBe(0);
    const summary = run.summary;
    expect(summary).toMatch(
      /### Timeline\n\n\| status \| since \| for \|\n\| --- \| --- \| --- \|\n\| created \|/,
    );
    for (const status of ['validating_files', 'queued', 'running', 'succeeded'])
      expect(summary).toContain(`| ${status} | 20`);

    const checkpoints = JSON.parse(run.outputs.checkpoints) as Array<{
      model: string;
      step: number;
      metrics: Record<string, number>;
    }>;
    expect(checkpoints.length).toBeGreaterThan(0);
    // The full validation loss, which picks the best checkpoint, shows where a validation file gave one.
    expect(summary).toMatch(
      /### Checkpoints\n\n\| step \| train loss \| train accuracy \| valid loss \| valid accuracy \|( full valid loss \|)? model \|/,
    );
    for (const checkpoint of checkpoints) {
      expect(summary).toContain(`| ${checkpoint.step} | ${checkpoint.metrics.train_loss.toFixed(4)} |`);
      expect(summary).toContain(`\`${checkpoint.model}\``);
    }

    expect(summary).toMatch(
      /### Loss\n\n```mermaid\n(%%\{.*\}%%\n)?xychart-beta\n[\s\S]*\n  line \[[\d., ]+\]\n  line \[[\d., ]+\]\n```/,
    );
    expect(summary).toContain('[W&B run');
    expect(summary).toContain('](https://wandb.ai/acme/support-bot)');
    // The local API is not OpenAI's, so there is no dashboard link to it.
    expect(summary).not.toContain('platform.openai.com');
    expect(summary).toMatch(/### Last events\n\n(- .*\n)*- \S+ `The job has successfully completed`/);
  });

  it('says why a job failed and what to do about it', async () => {
    api.setJobPlan({
      outcome: 'failed',
      error: {
        code: 'invalid_training_file',
        message: 'Example 3 has no assistant message',
        param: 'training_file',
      },
    });
    const run = await fineTune();
    expect(run.code).toBe(1);
    expect(run.summary).toContain(
      '### Why it failed\n\n`[invalid_training_file] Example 3 has no assistant message (param: training_file)`',
    );
    expect(run.summary).toMatch(/### What to do\n\nThe training data was refused\./);
  });

  it('groups the log by phase', async () => {
    const run = await fineTune();
    const groups = [...run.log.matchAll(/^::group::(.*)$/gm)].map((m) => m[1]);
    expect(groups).toEqual([
      'Check the data',
      'Identify the data',
      'Upload',
      'Create the job',
      `Wait for ${run.outputs['job-id']}`,
    ]);
    expect(run.log.match(/^::endgroup::$/gm)).toHaveLength(groups.length);
  });
});

describe('wait', () => {
  it('collects a job that an earlier run started and detached from', async () => {
    const started = await fineTune({ wait: 'false' });
    expect(started.code).toBe(0);
    const collected = await runAction({
      inputs: { ...connect(api), ...fast, mode: 'wait', 'job-id': started.outputs['job-id'] },
    });
    expect(collected.code).toBe(0);
    expect(collected.outputs.status).toBe('succeeded');
    expect(collected.outputs['fine-tuned-model']).toMatch(/^ft:gpt-4o-mini-2024-07-18:/);
    expect(JSON.parse(collected.outputs.checkpoints).length).toBeGreaterThan(0);
    expect(collected.summary).toContain('## ✅ Fine-tuning job: succeeded');
    // The job's own base model, gpt-4o-mini on OpenAI, whose models stop serving on that day.
    expect(collected.outputs['model-retires-on']).toBe('2027-01-14');
    expect(api.jobs()).toHaveLength(1);
  });

  it('fails clearly for an unknown job id', async () => {
    const run = await runAction({ inputs: { ...connect(api), mode: 'wait', 'job-id': 'ftjob-nope' } });
    expect(run.code).toBe(1);
    expect(run.log).toContain("::error::No fine-tuning job 'ftjob-nope' was found");
  });

  // The one on-timeout run end to end; each on-timeout choice is held in unit/fine-tune.test.ts.
  it('stops at wait-timeout and acts by on-timeout: cancel cancels the job, then fails, with job-id and status set', async () => {
    api.setJobPlan({ runningMs: 60_000 });
    const job = await startJob(api);
    const run = await runAction({
      inputs: {
        ...connect(api),
        ...fast,
        mode: 'wait',
        'job-id': job.id,
        'wait-timeout': '1s',
        'on-timeout': 'cancel',
      },
    });
    expect(run.code).toBe(1);
    expect(api.jobs()[0].status).toBe('cancelled');
    expect(api.count('POST', '/fine_tuning/jobs/{fine_tuning_job_id}/cancel')).toBe(1);
    expect(run.outputs).toMatchObject({ 'job-id': job.id, status: 'cancelled' });
    expect(run.log).toMatch(/^::error::wait-timeout \(1s\) ran out/m);
  });
});

describe('pause and resume', () => {
  it('pauses a running job and resumes it, reporting before and after', async () => {
    api.setJobPlan({ runningMs: 60_000 });
    const job = await startJob(api);
    await untilStatus(api, job.id, 'running');
    const paused = await runAction({ inputs: { ...connect(api), mode: 'pause', 'job-id': job.id } });
    expect(paused.code).toBe(0);
    expect(paused.outputs).toMatchObject({ 'initial-status': 'running', 'final-status': 'paused' });
    expect(api.jobs()[0].status).toBe('paused');

    const resumed = await runAction({ inputs: { ...connect(api), mode: 'resume', 'job-id': job.id } });
    expect(resumed.code).toBe(0);
    expect(resumed.outputs['initial-status']).toBe('paused');
    expect(resumed.outputs['final-status']).toMatch(/queued|running/);
  });

  it('does nothing, and succeeds, when there is nothing to pause or resume', async () => {
    api.setJobPlan({ runningMs: 100 });
    const job = await startJob(api);
    await untilStatus(api, job.id, 'succeeded');
    for (const mode of ['pause', 'resume']) {
      const run = await runAction({ inputs: { ...connect(api), mode, 'job-id': job.id } });
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({ 'initial-status': 'succeeded', 'final-status': 'succeeded' });
    }
    expect(api.count('POST', '/fine_tuning/jobs/{fine_tuning_job_id}/pause')).toBe(0);
    expect(api.count('POST', '/fine_tuning/jobs/{fine_tuning_job_id}/resume')).toBe(0);
  });
});

describe('skip-if-unchanged', () => {
  it('reuses the model of an earlier succeeded run of the same data and settings, starting nothing', async () => {
    const first = await fineTune({ 'skip-if-unchanged': 'true' });
    expect(first.outputs.reused).toBe('false');
    const uploads = api.count('POST', '/files');
    const second = await fineTune({ 'skip-if-unchanged': 'true' }, { GITHUB_RUN_ID: '500001' });
    expect(second.code).toBe(0);
    expect(second.outputs.reused).toBe('true');
    expect(second.outputs['fine-tuned-model']).toBe(first.outputs['fine-tuned-model']);
    expect(api.jobs()).toHaveLength(1);
    expect(api.count('POST', '/files')).toBe(uploads);
    expect(second.summary).toContain('| Reused | yes');
  });

  it('trains again when the data changed', async () => {
    await fineTune({ 'skip-if-unchanged': 'true' });
    const changed = await runAction({
      files: { 'data/train.jsonl': EXAMPLE('train.jsonl').replace('Paris.', 'Paris, on the Seine.') },
      env: { GITHUB_RUN_ID: '500002' },
      inputs: {
        ...connect(api),
        ...fast,
        model: 'gpt-4o-mini-2024-07-18',
        'training-file': 'data/train.jsonl',
        'skip-if-unchanged': 'true',
      },
    });
    expect(changed.outputs.reused).toBe('false');
    expect(api.jobs()).toHaveLength(2);
  });

  it('follows a job an earlier run is still training on the same data, instead of starting a second', async () => {
    api.setJobPlan({ runningMs: 1_500 });
    const detached = await fineTune({ wait: 'false', 'skip-if-unchanged': 'true' });
    const second = await fineTune({ 'skip-if-unchanged': 'true' }, { GITHUB_RUN_ID: '500003' });
    expect(second.code).toBe(0);
    expect(second.outputs['job-id']).toBe(detached.outputs['job-id']);
    expect(second.outputs.status).toBe('succeeded');
    expect(api.jobs()).toHaveLength(1);
  });
});
