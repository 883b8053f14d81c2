// The compatible profile: an OpenAI-compatible provider that drops what OpenAI's API has beyond the
// basics (metadata on jobs, the metadata filter, file statuses, uploads, pause and resume) and takes
// LoRA hyperparameters that OpenAI's would refuse.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalApi, ServerOptions, WireJob } from '../../server/index.ts';
import { chatJsonl, clientFor, errorOf, raw, startFast, TERMINAL, uploadText, waitFor } from './helpers.ts';

let api: LocalApi | undefined;

afterEach(async () => {
  if (!api) return;
  expect(api.contractViolations).toEqual([]);
  await api.close();
  api = undefined;
});

async function start(options: ServerOptions = {}): Promise<{ local: LocalApi; client: OpenAI }> {
  api = await startFast({ profile: 'compatible', ...options });
  return { local: api, client: clientFor(api) };
}

const LORA = { n_epochs: 2, lora_r: 16, lora_alpha: 32, lora_dropout: 0.05, packing: true };

describe('the compatible profile', () => {
  it('serves /v1 with a Bearer key, files without a status, and jobs without their metadata', async () => {
    const { local, client } = await start();
    expect(local.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(local.authorityUrl).toBeNull();

    const file = await uploadText(client, chatJsonl(20));
    expect(file.status).toBeNull();
    expect((await client.files.retrieve(file.id)).status).toBeNull();
    expect((await client.files.list()).data.map((f) => f.status)).toEqual([null]);

    // No status to wait for: the file is taken at once.
    const created = await client.fineTuning.jobs.create({
      model: 'gpt-4o-mini',
      training_file: file.id,
      metadata: { gha_intent: 'ours' },
      method: { type: 'supervised', supervised: { hyperparameters: LORA as never } },
    });
    expect(created.metadata).toBeNull();
    expect(created.method?.supervised?.hyperparameters).toMatchObject(LORA);
    const job = await waitFor(
      () => client.fineTuning.jobs.retrieve(created.id),
      (j) => TERMINAL.includes(j.status),
    );
    expect(job).toMatchObject({ status: 'succeeded', metadata: null });
    expect(job.fine_tuned_model).toMatch(/^ft:gpt-4o-mini-2024-07-18:personal::\w{8}$/);
    expect(local.jobs()[0].metadata).toBeNull();
  });

  it('refuses a file that fails processing when a job is created on it', async () => {
    const { client } = await start();
    const file = await uploadText(client, 'not json\n');
    expect(file.status).toBeNull();
    await expect(
      client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: file.id }),
    ).rejects.toMatchObject({ status: 400, param: 'training_file' });
  });

  it('takes only the LoRA settings beyond the method hyperparameters', async () => {
    const { client } = await start();
    const file = await uploadText(client, chatJsonl(5));
    const legacy = await client.fineTuning.jobs.create({
      model: 'gpt-4o-mini',
      training_file: file.id,
      hyperparameters: { lora_r: 8 } as never,
    });
    expect(legacy.method?.supervised?.hyperparameters).toMatchObject({ lora_r: 8 });
    await expect(
      client.fineTuning.jobs.create({
        model: 'gpt-4o-mini',
        training_file: file.id,
        method: { type: 'supervised', supervised: { hyperparameters: { warmup_ratio: 0.1 } as never } },
      }),
    ).rejects.toMatchObject({
      status: 400,
      code: 'unknown_parameter',
      param: 'method.supervised.hyperparameters.warmup_ratio',
    });
  });

  it('ignores the metadata filter unless told to honour it, whatever jobs show', async () => {
    const { local } = await start();
    const theirs = local.seedOtherTeamsJobs();
    expect(theirs.every((job) => job.metadata === null)).toBe(true);
    const response = await raw(local, '/fine_tuning/jobs?limit=100&metadata[team]=search');
    expect(((await response.json()) as { data: WireJob[] }).data).toHaveLength(theirs.length);
    await api!.close();

    const honouring = await start({ metadataFilter: 'honoured' });
    const seeded = honouring.local.seedOtherTeamsJobs();
    const filtered = await raw(honouring.local, '/fine_tuning/jobs?limit=100&metadata[team]=search');
    expect(((await filtered.json()) as { data: WireJob[] }).data.map((job) => job.id).sort()).toEqual(
      seeded
        .filter((_, i) => i % 3 === 1)
        .map((job) => job.id)
        .sort(),
    );
  });

  it('serves neither uploads nor pause and resume', async () => {
    const { local } = await start();
    const [running] = local.seedOtherTeamsJobs().filter((job) => job.status === 'running');
    const uploads = await raw(local, '/uploads', {
      method: 'POST',
      body: JSON.stringify({ filename: 'a.jsonl', purpose: 'fine-tune', bytes: 3, mime_type: 'text/jsonl' }),
    });
    expect(uploads.status).toBe(404);
    expect(await errorOf(uploads)).toMatchObject({ message: 'Invalid URL (POST /v1/uploads)' });
    for (const action of ['pause', 'resume']) {
      const response = await raw(local, `/fine_tuning/jobs/${running.id}/${action}`, { method: 'POST' });
      expect(response.status).toBe(404);
    }
    expect(local.jobs().find((job) => job.id === running.id)?.status).toBe('running');
  });
});

describe('the openai profile, for contrast', () => {
  it('refuses the LoRA settings as unknown hyperparameters', async () => {
    api = await startFast();
    const client = clientFor(api);
    const file = await uploadText(client, chatJsonl(5));
    await waitFor(
      () => client.files.retrieve(file.id),
      (f) => f.status === 'processed',
    );
    await expect(
      client.fineTuning.jobs.create({
        model: 'gpt-4o-mini',
        training_file: file.id,
        method: { type: 'supervised', supervised: { hyperparameters: { lora_r: 8 } as never } },
      }),
    ).rejects.toMatchObject({ status: 400, code: 'unknown_parameter' });
  });
});
