import OpenAI from 'openai';
import type { FineTuningJob, FineTuningJobEvent } from 'openai/resources/fine-tuning/jobs/jobs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../server/index.ts';
import {
  chatJsonl,
  clientFor,
  processedTrainingFile,
  raw,
  startFast,
  TERMINAL,
  uploadText,
  waitFor,
} from './helpers.ts';

let api: LocalApi;
let client: OpenAI;

beforeEach(async () => {
  api = await startFast();
  client = clientFor(api);
});

afterEach(async () => {
  expect(api.contractViolations).toEqual([]);
  await api.close();
});

const finished = (id: string) =>
  waitFor(
    () => client.fineTuning.jobs.retrieve(id),
    (job) => TERMINAL.includes(job.status),
  );
const statusOf = (id: string, status: string) =>
  waitFor(
    () => client.fineTuning.jobs.retrieve(id),
    (job) => job.status === status,
  );

async function allEvents(jobId: string): Promise<FineTuningJobEvent[]> {
  return (await client.fineTuning.jobs.listEvents(jobId, { limit: 1000 })).data;
}

describe('a job that succeeds', () => {
  it('goes through validating, queued, running to succeeded with a model, events, checkpoints and results', async () => {
    // Running long enough to be seen between two polls on a busy machine, which a CI runner may be.
    api.setJobPlan({ runningMs: 1_000 });
    const training = await processedTrainingFile(client, 20);
    const created = await client.fineTuning.jobs.create({
      model: 'gpt-4o-mini',
      training_file: training.id,
      suffix: 'demo',
    });

    expect(created).toMatchObject({
      object: 'fine_tuning.job',
      model: 'gpt-4o-mini-2024-07-18',
      status: 'validating_files',
      training_file: training.id,
      validation_file: null,
      fine_tuned_model: null,
      finished_at: null,
      trained_tokens: null,
      result_files: [],
      error: null,
      hyperparameters: { n_epochs: 'auto', batch_size: 'auto', learning_rate_multiplier: 'auto' },
      method: {
        type: 'supervised',
        supervised: {
          hyperparameters: { n_epochs: 'auto', batch_size: 'auto', learning_rate_multiplier: 'auto' },
        },
      },
    });
    expect(created.id).toMatch(/^ftjob-\w{24}$/);

    const running = await statusOf(created.id, 'running');
    // 20 examples: the documented default picks 100 / 20 = 5 epochs.
    expect(running.hyperparameters).toEqual({ n_epochs: 5, batch_size: 1, learning_rate_multiplier: 1.8 });
    expect(running.method?.supervised?.hyperparameters).toEqual(running.hyperparameters);

    const job = await finished(created.id);
    expect(job.status).toBe('succeeded');
    expect(job.fine_tuned_model).toMatch(/^ft:gpt-4o-mini-2024-07-18:personal:demo:\w{8}$/);
    expect(job.finished_at).toBeGreaterThanOrEqual(job.created_at);
    expect(job.trained_tokens).toBeGreaterThan(0);
    expect(job.trained_tokens! % 5).toBe(0);

    const messages = (await allEvents(job.id)).map((e) => e.message).reverse();
    expect(messages.slice(0, 5)).toEqual([
      `Created fine-tuning job: ${job.id}`,
      `Validating training file: ${training.id}`,
      'Files validated, moving job to queued state',
      'Fine-tuning job started',
      'Step 20/100: training loss=' + messages[4].split('=')[1],
    ]);
    expect(messages.at(-1)).toBe('The job has successfully completed');
    expect(messages).toContain(`New fine-tuned model created: ${job.fine_tuned_model}`);

    const metrics = (await allEvents(job.id)).filter((e) => e.type === 'metrics');
    expect(metrics.map((e) => (e.data as { step: number }).step)).toEqual([100, 80, 60, 40, 20]);
    expect(metrics[0].data).toMatchObject({
      step: 100,
      total_steps: 100,
      train_loss: expect.any(Number),
      train_mean_token_accuracy: expect.any(Number),
    });

    const checkpoints = (await client.fineTuning.jobs.checkpoints.list(job.id)).data;
    expect(checkpoints.map((c) => c.step_number)).toEqual([100, 67, 33]);
    expect(checkpoints[0].fine_tuned_model_checkpoint).toBe(job.fine_tuned_model);
    expect(checkpoints[1].fine_tuned_model_checkpoint).toMatch(
      /^ft:gpt-4o-mini-2024-07-18:personal:demo:\w{8}:ckpt-step-67$/,
    );
    expect(messages).toContain(
      `Checkpoint created at step 67 with Snapshot ID: ${checkpoints[1].fine_tuned_model_checkpoint}`,
    );
    expect(checkpoints[2].metrics).toEqual({
      step: 33,
      train_loss: expect.any(Number),
      train_mean_token_accuracy: expect.any(Number),
    });

    const [resultId] = job.result_files;
    expect(await client.files.retrieve(resultId)).toMatchObject({
      purpose: 'fine-tune-results',
      filename: 'step_metrics.csv',
      status: 'processed',
    });
    const csv = Buffer.from(await (await client.files.content(resultId)).text(), 'base64').toString('utf8');
    const rows = csv.trim().split('\n');
    expect(rows[0]).toBe(
      'step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy,train_mean_reward,full_valid_loss,full_valid_mean_token_accuracy',
    );
    expect(rows).toHaveLength(101);
    const last = rows[100].split(',');
    expect(last[0]).toBe('100');
    expect(Number(last[1])).toBeCloseTo((metrics[0].data as { train_loss: number }).train_loss, 4);

    await expect(client.models.retrieve(job.fine_tuned_model!)).resolves.toMatchObject({
      id: job.fine_tuned_model,
      object: 'model',
    });
  });

  it('reports validation metrics when given a validation file', async () => {
    const training = await processedTrainingFile(client, 20);
    const validation = await processedTrainingFile(client, 5);
    const created = await client.fineTuning.jobs.create({
      model: 'gpt-4o-mini-2024-07-18',
      training_file: training.id,
      validation_file: validation.id,
    });
    const job = await finished(created.id);

    const events = await allEvents(job.id);
    expect(events.at(-2)?.message).toBe(
      `Validating training file: ${training.id} and validation file: ${validation.id}`,
    );
    const final = events.find((e) => e.type === 'metrics')!;
    expect(final.message).toMatch(
      /^Step 100\/100: training loss=\d\.\d\d, validation loss=\d\.\d\d, full validation loss=\d\.\d\d$/,
    );
    const [last] = (await client.fineTuning.jobs.checkpoints.list(job.id)).data;
    expect(Object.keys(last.metrics).sort()).toEqual(
      [
        'full_valid_loss',
        'full_valid_mean_token_accuracy',
        'step',
        'train_loss',
        'train_mean_token_accuracy',
        'valid_loss',
        'valid_mean_token_accuracy',
      ].sort(),
    );
  });

  it('keeps explicit hyperparameters and trains the DPO method', async () => {
    const training = await processedTrainingFile(client, 10);
    const created = await client.fineTuning.jobs.create({
      model: 'gpt-4.1-mini',
      training_file: training.id,
      method: { type: 'dpo', dpo: { hyperparameters: { beta: 0.2, n_epochs: 2 } } },
    });
    const job = await finished(created.id);
    expect(job.method).toEqual({
      type: 'dpo',
      dpo: { hyperparameters: { beta: 0.2, n_epochs: 2, batch_size: 1, learning_rate_multiplier: 1.8 } },
    });
    expect(job.hyperparameters).toEqual({ n_epochs: 2, batch_size: 1, learning_rate_multiplier: 1.8 });
  });

  it('reports estimated_finish while running when the plan asks for it', async () => {
    api.setJobPlan({ estimatedFinish: true, runningMs: 200 });
    const training = await processedTrainingFile(client);
    const created = await client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: training.id });
    expect(created.estimated_finish).toBeNull();
    const running = await statusOf(created.id, 'running');
    expect(running.estimated_finish).toBeGreaterThanOrEqual(running.created_at);
    expect((await finished(created.id)).estimated_finish).toBeNull();
  });
});

describe('a job that fails', () => {
  it('fails at the end of training with the planned error and an error event', async () => {
    const error = {
      code: 'invalid_training_file',
      message: 'Training file has 3 example(s), but must have at least 10 examples',
      param: 'training_file',
    };
    api.setJobPlan({ outcome: 'failed', error });
    const training = await processedTrainingFile(client);
    const job = await finished(
      (await client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: training.id })).id,
    );

    expect(job).toMatchObject({
      status: 'failed',
      error,
      fine_tuned_model: null,
      result_files: [],
      trained_tokens: null,
    });
    expect(job.finished_at).not.toBeNull();
    const [latest] = await allEvents(job.id);
    expect(latest).toMatchObject({ level: 'error', message: error.message });
    const steps = (await allEvents(job.id))
      .filter((e) => e.type === 'metrics')
      .map((e) => (e.data as { step: number }).step);
    expect(steps).not.toContain(100);
  });

  it('fails while validating files when planned so, never starting', async () => {
    api.setJobPlan({ outcome: 'failed', failAt: 'validating_files' });
    const training = await processedTrainingFile(client);
    const job = await finished(
      (await client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: training.id })).id,
    );

    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ code: 'invalid_training_file', param: 'training_file' });
    expect((await allEvents(job.id)).map((e) => e.message)).not.toContain('Fine-tuning job started');
  });

  it('applies a plan change only to jobs created after it', async () => {
    const training = await processedTrainingFile(client);
    const before = await client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: training.id });
    api.setJobPlan({ outcome: 'failed' });
    const after = await client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: training.id });

    expect((await finished(before.id)).status).toBe('succeeded');
    expect((await finished(after.id)).status).toBe('failed');
  });
});

describe('job creation checks', () => {
  it('refuses a training file that is not processed yet', async () => {
    // Its own server, whose files take a minute: the suite's 10 ms could pass before the create
    // request on a loaded machine.
    const slow = await startFast({ fileProcessingMs: 60_000 });
    try {
      const slowClient = clientFor(slow);
      const fresh = await uploadText(slowClient, chatJsonl(10));
      await expect(
        slowClient.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: fresh.id }),
      ).rejects.toMatchObject({
        status: 400,
        param: 'training_file',
        message: `400 File ${fresh.id} is not ready`,
      });
      expect(slow.jobs()).toEqual([]);
      expect(slow.contractViolations).toEqual([]);
    } finally {
      await slow.close();
    }
  });

  it('refuses training files that are missing, of the wrong purpose or invalid', async () => {
    const model = 'gpt-4o-mini';
    await expect(client.fineTuning.jobs.create({ model, training_file: 'file-nope' })).rejects.toMatchObject({
      status: 400,
      param: 'training_file',
      message: '400 invalid training_file: file-nope',
    });

    const batch = await uploadText(client, chatJsonl(10), 'batch.jsonl', 'batch');
    await waitFor(
      () => client.files.retrieve(batch.id),
      (f) => f.status === 'processed',
    );
    await expect(client.fineTuning.jobs.create({ model, training_file: batch.id })).rejects.toMatchObject({
      status: 400,
      param: 'training_file',
      message: expect.stringContaining("has purpose 'batch'"),
    });

    const training = await processedTrainingFile(client);
    const broken = await uploadText(client, 'nope\n');
    await waitFor(
      () => client.files.retrieve(broken.id),
      (f) => f.status === 'error',
    );
    await expect(
      client.fineTuning.jobs.create({ model, training_file: training.id, validation_file: broken.id }),
    ).rejects.toMatchObject({
      status: 400,
      param: 'validation_file',
    });
    expect(api.jobs()).toEqual([]);
  });

  it('refuses models that cannot be fine-tuned, or not with that method', async () => {
    const training = await processedTrainingFile(client);
    await expect(
      client.fineTuning.jobs.create({ model: 'gpt-9', training_file: training.id }),
    ).rejects.toMatchObject({
      status: 400,
      param: 'model',
      code: 'model_not_available',
    });
    await expect(
      client.fineTuning.jobs.create({
        model: 'babbage-002',
        training_file: training.id,
        method: { type: 'dpo' },
      }),
    ).rejects.toMatchObject({ status: 400, param: 'method.type' });
  });
});

describe('cancel, pause and resume', () => {
  it('cancels a running job, then refuses to cancel it again', async () => {
    api.setJobPlan({ runningMs: 2000 });
    const training = await processedTrainingFile(client);
    const { id } = await client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: training.id });
    await statusOf(id, 'running');

    const cancelled = await client.fineTuning.jobs.cancel(id);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.fine_tuned_model).toBeNull();
    await expect(client.fineTuning.jobs.cancel(id)).rejects.toMatchObject({
      status: 400,
      message: `400 Cannot cancel job ${id}: it has already finished with status cancelled.`,
    });
    expect((await client.fineTuning.jobs.retrieve(id)).status).toBe('cancelled');
  });

  it('refuses to cancel a job that already succeeded', async () => {
    const training = await processedTrainingFile(client);
    const { id } = await client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: training.id });
    await finished(id);
    await expect(client.fineTuning.jobs.cancel(id)).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('already finished with status succeeded'),
    });
  });

  it('pauses a running job, which then makes no progress, and resumes it to success', async () => {
    api.setJobPlan({ runningMs: 200 });
    const training = await processedTrainingFile(client);
    const { id } = await client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: training.id });
    await expect(client.fineTuning.jobs.pause(id)).rejects.toMatchObject({ status: 400 });
    await statusOf(id, 'running');

    const paused = await client.fineTuning.jobs.pause(id);
    expect(paused.status as string).toBe('paused');
    const eventsAtPause = (await allEvents(id)).length;
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(((await client.fineTuning.jobs.retrieve(id)) as { status: string }).status).toBe('paused');
    // The pause itself is the only event since: training time does not pass while paused.
    expect((await allEvents(id)).length).toBe(eventsAtPause);
    await expect(client.fineTuning.jobs.pause(id)).rejects.toMatchObject({ status: 400 });

    const resumed = await client.fineTuning.jobs.resume(id);
    expect(resumed.status).toBe('queued');
    await expect(client.fineTuning.jobs.resume(id)).rejects.toMatchObject({ status: 400 });
    const job = await finished(id);
    expect(job.status).toBe('succeeded');
    const messages = (await allEvents(id)).map((e) => e.message);
    expect(messages.filter((m) => m === 'Fine-tuning job started')).toHaveLength(1);
    expect(messages).toContain('Fine-tuning job paused');
    expect(messages).toContain('Fine-tuning job resumed');
  });
});

describe('listing jobs', () => {
  it('lists newest first, filters by metadata and pages with after', async () => {
    const training = await processedTrainingFile(client);
    const create = (metadata: Record<string, string> | null) =>
      client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: training.id, metadata });
    const a1 = await create({ team: 'a', run: '1' });
    const b = await create({ team: 'b' });
    const a2 = await create({ team: 'a', run: '2' });
    const none = await create(null);

    expect((await client.fineTuning.jobs.list()).data.map((j) => j.id)).toEqual([
      none.id,
      a2.id,
      b.id,
      a1.id,
    ]);
    const teamA = await client.fineTuning.jobs.list({ metadata: { team: 'a' } });
    expect(teamA.data.map((j) => j.id)).toEqual([a2.id, a1.id]);
    expect(teamA.data[0].metadata).toEqual({ team: 'a', run: '2' });
    expect(
      (await client.fineTuning.jobs.list({ metadata: { team: 'a', run: '1' } })).data.map((j) => j.id),
    ).toEqual([a1.id]);
    const withoutMetadata = (await (await raw(api, '/fine_tuning/jobs?metadata=null')).json()) as {
      data: FineTuningJob[];
    };
    expect(withoutMetadata.data.map((j) => j.id)).toEqual([none.id]);

    const first = await client.fineTuning.jobs.list({ limit: 3 });
    expect(first.data.map((j) => j.id)).toEqual([none.id, a2.id, b.id]);
    expect(first.has_more).toBe(true);
    const second = await client.fineTuning.jobs.list({ limit: 3, after: b.id });
    expect(second.data.map((j) => j.id)).toEqual([a1.id]);
    expect(second.has_more).toBe(false);
  });

  it('refuses more than 16 metadata pairs', async () => {
    const training = await processedTrainingFile(client);
    const metadata = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']));
    await expect(
      client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: training.id, metadata }),
    ).rejects.toMatchObject({
      status: 400,
      param: 'metadata',
    });
  });
});

describe('events paging', () => {
  it('returns each event exactly once when paging with after, newest first', async () => {
    api.setJobPlan({ metricEvents: 20 });
    const training = await processedTrainingFile(client);
    const { id } = await client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: training.id });
    await finished(id);
    const all = await allEvents(id);
    expect(all.length).toBeGreaterThan(25);

    const paged: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await client.fineTuning.jobs.listEvents(id, { limit: 4, ...(after ? { after } : {}) });
      paged.push(...page.data.map((e) => e.id));
      if (!page.has_more) break;
      after = page.data.at(-1)!.id;
    }
    expect(paged).toEqual(all.map((e) => e.id));

    const iterated: string[] = [];
    for await (const event of client.fineTuning.jobs.listEvents(id, { limit: 3 })) iterated.push(event.id);
    expect(iterated).toEqual(paged);
    expect((await client.fineTuning.jobs.listEvents(id)).data).toHaveLength(20);
  });

  it('pages checkpoints the same way', async () => {
    api.setJobPlan({ checkpoints: 5 });
    const training = await processedTrainingFile(client);
    const { id } = await client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: training.id });
    await finished(id);
    const first = await client.fineTuning.jobs.checkpoints.list(id, { limit: 3 });
    expect(first.data.map((c) => c.step_number)).toEqual([100, 80, 60]);
    expect(first.has_more).toBe(true);
    const rest = await client.fineTuning.jobs.checkpoints.list(id, { limit: 3, after: first.data[2].id });
    expect(rest.data.map((c) => c.step_number)).toEqual([40, 20]);
    expect(rest.has_more).toBe(false);
  });
});
