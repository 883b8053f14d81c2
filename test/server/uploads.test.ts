import { createHash } from 'node:crypto';
import OpenAI, { toFile } from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../server/index.ts';
import { chatJsonl, clientFor, startFast, waitFor } from './helpers.ts';

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

async function startUpload(bytes: number) {
  return client.uploads.create({
    bytes,
    filename: 'big.jsonl',
    mime_type: 'text/jsonl',
    purpose: 'fine-tune',
  });
}

async function addPart(uploadId: string, data: Buffer) {
  return client.uploads.parts.create(uploadId, { data: await toFile(data, 'part') });
}

describe('Uploads API', () => {
  it('assembles parts in the order given, checks md5 and creates a usable file', async () => {
    const content = Buffer.from(chatJsonl(30));
    const pieces = [content.subarray(0, 500), content.subarray(500, 1200), content.subarray(1200)];
    const upload = await startUpload(content.length);
    expect(upload).toMatchObject({
      object: 'upload',
      status: 'pending',
      bytes: content.length,
      filename: 'big.jsonl',
      purpose: 'fine-tune',
    });
    expect(upload.expires_at - upload.created_at).toBe(3600);

    // Sent out of order, as parallel uploaders do; part_ids restores the order.
    const third = await addPart(upload.id, pieces[2]);
    const first = await addPart(upload.id, pieces[0]);
    const second = await addPart(upload.id, pieces[1]);
    expect(first).toMatchObject({ object: 'upload.part', upload_id: upload.id });

    const md5 = createHash('md5').update(content).digest('hex');
    const done = await client.uploads.complete(upload.id, { part_ids: [first.id, second.id, third.id], md5 });

    expect(done.status).toBe('completed');
    expect(done.file).toMatchObject({
      object: 'file',
      bytes: content.length,
      filename: 'big.jsonl',
      purpose: 'fine-tune',
    });
    const processed = await waitFor(
      () => client.files.retrieve(done.file!.id),
      (f) => f.status !== 'uploaded',
    );
    expect(processed.status).toBe('processed');
    expect((await api.fileContent(done.file!.id)).equals(content)).toBe(true);
  });

  it('refuses to complete with a wrong md5, and the upload stays pending', async () => {
    const upload = await startUpload(4);
    const part = await addPart(upload.id, Buffer.from('{}\n\n'));

    await expect(
      client.uploads.complete(upload.id, { part_ids: [part.id], md5: 'f'.repeat(32) }),
    ).rejects.toMatchObject({
      status: 400,
      param: 'md5',
    });
    const retry = await client.uploads.complete(upload.id, { part_ids: [part.id] });
    expect(retry.status).toBe('completed');
  });

  it('refuses to complete when the parts do not add up to the declared bytes', async () => {
    const upload = await startUpload(10);
    const part = await addPart(upload.id, Buffer.from('{}\n'));

    await expect(client.uploads.complete(upload.id, { part_ids: [part.id] })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining(
        '(3) does not match the number of bytes the Upload was created with (10)',
      ),
    });
    await expect(client.uploads.complete(upload.id, { part_ids: ['part_unknown'] })).rejects.toMatchObject({
      status: 400,
      param: 'part_ids[0]',
    });
  });

  it('cancels a pending upload; a cancelled or completed upload takes no more parts', async () => {
    const cancelled = await client.uploads.cancel((await startUpload(3)).id);
    expect(cancelled.status).toBe('cancelled');
    await expect(addPart(cancelled.id, Buffer.from('{}\n'))).rejects.toMatchObject({ status: 400 });

    const upload = await startUpload(3);
    await client.uploads.complete(upload.id, {
      part_ids: [(await addPart(upload.id, Buffer.from('{}\n'))).id],
    });
    await expect(addPart(upload.id, Buffer.from('{}\n'))).rejects.toMatchObject({ status: 400 });
    await expect(client.uploads.cancel(upload.id)).rejects.toMatchObject({ status: 400 });
  });

  it('rejects a part over the part size limit', async () => {
    await api.close();
    api = await startFast({ maxPartBytes: 8 });
    client = clientFor(api);

    const upload = await startUpload(20);
    await expect(addPart(upload.id, Buffer.alloc(20, 'a'))).rejects.toMatchObject({
      status: 413,
      param: 'data',
    });
    const small = await addPart(upload.id, Buffer.alloc(8, 'a'));
    expect(small.upload_id).toBe(upload.id);
  });

  it('answers 404 for an unknown upload', async () => {
    await expect(client.uploads.cancel('upload_missing')).rejects.toMatchObject({ status: 404 });
  });
});
