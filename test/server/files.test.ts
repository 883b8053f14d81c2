import OpenAI, { toFile } from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../server/index.ts';
import {
  azureClientFor,
  chatJsonl,
  clientFor,
  processedTrainingFile,
  raw,
  startFast,
  uploadText,
  waitFor,
} from './helpers.ts';

let api: LocalApi;
let client: OpenAI;

beforeEach(async () => {
  api = await startFast({ fileProcessingMs: 60 });
  client = clientFor(api);
});

afterEach(async () => {
  expect(api.contractViolations).toEqual([]);
  await api.close();
});

describe('POST /files', () => {
  it('stores a JSONL file, reports it uploaded, then processed', async () => {
    const text = chatJsonl(12);
    const file = await uploadText(client, text, 'train.jsonl');

    expect(file).toMatchObject({
      object: 'file',
      bytes: Buffer.byteLength(text),
      filename: 'train.jsonl',
      purpose: 'fine-tune',
      status: 'uploaded',
    });
    expect(file.id).toMatch(/^file-\w+$/);
    const processed = await waitFor(
      () => client.files.retrieve(file.id),
      (f) => f.status !== 'uploaded',
    );
    expect(processed.status).toBe('processed');
    expect(processed.status_details).toBeUndefined();
    expect((await api.fileContent(file.id)).toString('utf8')).toBe(text);
  });

  it('marks fine-tune data that is not JSONL as error, saying why', async () => {
    const bad = await uploadText(client, '{"messages": []}\nnot json\n', 'bad.jsonl');
    const wrongName = await uploadText(client, chatJsonl(3), 'train.csv');

    const [badDone, nameDone] = await Promise.all(
      [bad, wrongName].map((f) =>
        waitFor(
          () => client.files.retrieve(f.id),
          (x) => x.status !== 'uploaded',
        ),
      ),
    );
    expect(badDone).toMatchObject({
      status: 'error',
      status_details: 'Invalid file format. Line 2 is not valid JSON.',
    });
    expect(nameDone).toMatchObject({
      status: 'error',
      status_details: 'Invalid file format for Fine-Tuning API. Must be .jsonl',
    });
  });

  it('accepts any content for other purposes', async () => {
    const file = await uploadText(client, 'plain text, not JSON', 'notes.txt', 'user_data');
    const done = await waitFor(
      () => client.files.retrieve(file.id),
      (f) => f.status !== 'uploaded',
    );
    expect(done).toMatchObject({ purpose: 'user_data', status: 'processed' });
  });

  it('sets expires_at from expires_after', async () => {
    const file = await client.files.create({
      file: await toFile(Buffer.from('{}\n'), 'batch.jsonl'),
      purpose: 'batch',
      expires_after: { anchor: 'created_at', seconds: 7200 },
    });
    expect(file.expires_at).toBe(file.created_at + 7200);
    expect((await client.files.retrieve(file.id)).expires_at).toBe(file.created_at + 7200);
  });

  it('answers 413 for a file over the size limit and keeps nothing', async () => {
    await api.close();
    api = await startFast({ maxFileBytes: 100 });
    client = clientFor(api);

    await expect(uploadText(client, chatJsonl(10))).rejects.toMatchObject({
      status: 413,
      code: 'file_too_large',
      param: 'file',
    });
    expect(api.files()).toEqual([]);
  });
});

describe('listing, retrieving and deleting files', () => {
  it('lists newest first by default, filters by purpose and pages with after', async () => {
    const a = await uploadText(client, chatJsonl(1), 'a.jsonl');
    const b = await uploadText(client, 'x', 'b.txt', 'user_data');
    const c = await uploadText(client, chatJsonl(2), 'c.jsonl');

    const all = await client.files.list();
    expect(all.data.map((f) => f.id)).toEqual([c.id, b.id, a.id]);
    const fineTune = await client.files.list({ purpose: 'fine-tune' });
    expect(fineTune.data.map((f) => f.id)).toEqual([c.id, a.id]);
    const first = await client.files.list({ limit: 2, order: 'asc' });
    expect(first.data.map((f) => f.id)).toEqual([a.id, b.id]);
    expect(first.has_more).toBe(true);
    const second = await client.files.list({ limit: 2, order: 'asc', after: b.id });
    expect(second.data.map((f) => f.id)).toEqual([c.id]);
    expect(second.has_more).toBe(false);
  });

  it('answers an empty list with null cursor ids', async () => {
    const body = await (await raw(api, '/files')).json();
    expect(body).toEqual({ object: 'list', data: [], first_id: null, last_id: null, has_more: false });
  });

  it('deletes a file, after which it is gone everywhere', async () => {
    const file = await uploadText(client, chatJsonl(1));

    await expect(client.files.delete(file.id)).resolves.toEqual({
      id: file.id,
      object: 'file',
      deleted: true,
    });
    await expect(client.files.retrieve(file.id)).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining(`No such File object: ${file.id}`),
    });
    await expect(client.files.content(file.id)).rejects.toMatchObject({ status: 404 });
    await expect(client.files.delete(file.id)).rejects.toMatchObject({ status: 404 });
    expect(api.files()).toEqual([]);
  });

  it('refuses to download assistants files, as the API does', async () => {
    const file = await uploadText(client, 'doc', 'doc.txt', 'assistants');
    await expect(client.files.content(file.id)).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('Not allowed to download files of purpose: assistants'),
    });
  });

  it('refuses to download fine-tune files, as OpenAI does, and serves result files', async () => {
    const file = await processedTrainingFile(client, 5);
    const response = await raw(api, `/files/${file.id}/content`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        message: 'Not allowed to download files of purpose: fine-tune',
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
    const job = await client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: file.id });
    const done = await waitFor(
      () => client.fineTuning.jobs.retrieve(job.id),
      (j) => j.status === 'succeeded',
    );
    const csv = await (await client.files.content(done.result_files[0])).text();
    expect(Buffer.from(csv, 'base64').toString('utf8')).toMatch(/^step,/);
    expect(api.contractViolations).toEqual([]);
  });

  it.each(['azure', 'compatible'] as const)('%s serves fine-tune files', async (profile) => {
    const other = await startFast({ profile });
    try {
      const otherClient = profile === 'azure' ? azureClientFor(other) : clientFor(other);
      const text = chatJsonl(2);
      const file = await uploadText(otherClient, text);
      expect(await (await otherClient.files.content(file.id)).text()).toBe(text);
    } finally {
      await other.close();
    }
  });
});
