// What a gateway or a loose provider does to a client that follows OpenAI's API: a gateway that
// drops request metadata (LiteLLM's OpenAI pass-through), and a provider without file statuses that
// refuses a job while it still processes the file (400 file_not_ready).
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalApi, ServerOptions } from '../../server/index.ts';
import { chatJsonl, clientFor, errorOf, raw, startFast, uploadText, waitFor } from './helpers.ts';

let api: LocalApi;

afterEach(async () => {
  expect(api.contractViolations).toEqual([]);
  await api.close();
});

async function start(options: ServerOptions) {
  api = await startFast(options);
  return clientFor(api);
}

const NOT_READY = (id: string) =>
  `File ${id} is still being processed and is not ready to be used for fine-tuning. Please try again later.`;

describe('behind a gateway that drops metadata', () => {
  it('creates jobs without their metadata, which the metadata filter then cannot find', async () => {
    const client = await start({ dropMetadata: true });
    const file = await uploadText(client, chatJsonl(5));
    await waitFor(
      () => client.files.retrieve(file.id),
      (f) => f.status === 'processed',
    );
    const metadata = { gha_intent: 'abc', team: 'search' };
    const job = await client.fineTuning.jobs.create({
      model: 'gpt-4o-mini',
      training_file: file.id,
      metadata,
    });

    expect(job.metadata).toBeNull();
    expect(api.jobs()[0].metadata).toBeNull();
    expect((await client.fineTuning.jobs.list({ metadata: { gha_intent: 'abc' } })).data).toEqual([]);
    expect((await client.fineTuning.jobs.list()).data.map((j) => j.id)).toEqual([job.id]);
    // The log keeps what the client sent, so a test can see the action did send its tags.
    expect(
      api.requests.find((r) => r.route === '/fine_tuning/jobs' && r.method === 'POST')?.body,
    ).toMatchObject({
      metadata,
    });
    // Behind the gateway is OpenAI's API, which refuses to download training files.
    expect((await raw(api, `/files/${file.id}/content`)).status).toBe(400);
  });

  it('keeps metadata without it', async () => {
    const client = await start({});
    const file = await uploadText(client, chatJsonl(5));
    await waitFor(
      () => client.files.retrieve(file.id),
      (f) => f.status === 'processed',
    );
    const job = await client.fineTuning.jobs.create({
      model: 'gpt-4o-mini',
      training_file: file.id,
      metadata: { team: 'search' },
    });
    expect(job.metadata).toEqual({ team: 'search' });
  });
});

describe('a provider that refuses a job until its file is ready', () => {
  it('refuses the first attempts on each file with 400 file_not_ready, then creates the job', async () => {
    const client = await start({ profile: 'compatible', faults: { fileNotReadyAttempts: 2 } });
    const file = await uploadText(client, chatJsonl(5));
    expect(file.status).toBeNull();
    const create = () =>
      raw(api, '/fine_tuning/jobs', {
        method: 'POST',
        body: JSON.stringify({ model: 'gpt-4o-mini', training_file: file.id }),
      });

    for (let attempt = 0; attempt < 2; attempt++) {
      const refused = await create();
      expect(refused.status).toBe(400);
      expect(await errorOf(refused)).toEqual({
        message: NOT_READY(file.id),
        type: 'invalid_request_error',
        param: 'training_file',
        code: 'file_not_ready',
      });
    }
    expect((await create()).status).toBe(200);
    // Another file has attempts of its own.
    const second = await uploadText(client, chatJsonl(5));
    await expect(
      client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: second.id }),
    ).rejects.toMatchObject({ status: 400, code: 'file_not_ready' });
    expect(api.jobs()).toHaveLength(1);
  });

  it('refuses for fileNotReadyMs after the upload', async () => {
    const client = await start({ profile: 'compatible', faults: { fileNotReadyMs: 400 } });
    const file = await uploadText(client, chatJsonl(5));
    await expect(
      client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: file.id }),
    ).rejects.toMatchObject({
      status: 400,
      code: 'file_not_ready',
      message: expect.stringContaining(NOT_READY(file.id)),
    });
    await new Promise((resolve) => setTimeout(resolve, 450));
    await expect(
      client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: file.id }),
    ).resolves.toMatchObject({ status: 'validating_files' });
  });
});
