import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../server/index.ts';
import { clientFor, errorOf, raw, startFast } from './helpers.ts';

let api: LocalApi;
let client: OpenAI;

beforeEach(async () => {
  api = await startFast({ apiKey: 'sk-local-right-key' });
  client = clientFor(api);
});

afterEach(async () => {
  expect(api.contractViolations).toEqual([]);
  await api.close();
});

describe('authentication', () => {
  it('answers 401 invalid_api_key for a wrong key, echoing only a masked part of it', async () => {
    const wrong = clientFor(api, 'sk-wrong-secret-key-1234567890');
    const error = await wrong.files.list().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error).toMatchObject({
      status: 401,
      code: 'invalid_api_key',
      type: 'invalid_request_error',
      param: null,
    });
    const message = (error as InstanceType<typeof OpenAI.AuthenticationError>).error as { message: string };
    // 30 characters: the first 8 and last 4 are shown, the 18 between are starred.
    expect(message.message).toBe(
      `Incorrect API key provided: sk-wrong${'*'.repeat(18)}7890. You can find your API key at https://platform.openai.com/account/api-keys.`,
    );
    expect(message.message).not.toContain('secret');
  });

  it('answers 401 when no key is sent, even for an upload, and stores nothing', async () => {
    const form = new FormData();
    form.set('purpose', 'fine-tune');
    form.set('file', new Blob(['{}\n']), 'train.jsonl');
    const response = await fetch(`${api.url}/files`, { method: 'POST', body: form });

    expect(response.status).toBe(401);
    expect((await errorOf(response)).message).toMatch(/^You didn't provide an API key\./);
    expect(api.files()).toEqual([]);
  });
});

describe('not found', () => {
  it('answers 404 fine_tune_not_found for an unknown job on every job endpoint', async () => {
    const expected = { status: 404, code: 'fine_tune_not_found', param: 'fine_tune_id' };
    await expect(client.fineTuning.jobs.retrieve('ftjob-missing')).rejects.toMatchObject(expected);
    await expect(client.fineTuning.jobs.cancel('ftjob-missing')).rejects.toMatchObject(expected);
    await expect(client.fineTuning.jobs.listEvents('ftjob-missing')).rejects.toMatchObject(expected);
    await expect(client.fineTuning.jobs.checkpoints.list('ftjob-missing')).rejects.toMatchObject(expected);
    const body = await (await raw(api, '/fine_tuning/jobs/ftjob-missing')).json();
    expect(body).toEqual({
      error: {
        message: 'Could not find fine tune: ftjob-missing',
        type: 'invalid_request_error',
        param: 'fine_tune_id',
        code: 'fine_tune_not_found',
      },
    });
  });

  it('answers 404 for unknown files and models, and for paths the API does not have', async () => {
    await expect(client.files.retrieve('file-missing')).rejects.toMatchObject({ status: 404, param: 'id' });
    await expect(client.models.retrieve('gpt-nonexistent')).rejects.toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
    const response = await raw(api, '/assistants');
    expect(response.status).toBe(404);
    expect((await errorOf(response)).message).toBe('Invalid URL (GET /v1/assistants)');
  });

  it('knows the base models that can be fine-tuned', async () => {
    await expect(client.models.retrieve('gpt-4o-mini-2024-07-18')).resolves.toMatchObject({
      object: 'model',
      owned_by: 'system',
    });
  });
});

describe('malformed requests', () => {
  it('answers 400 with the API wording for a body that is not JSON', async () => {
    const response = await raw(api, '/fine_tuning/jobs', {
      method: 'POST',
      body: '{not json',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toMatch(/^We could not parse the JSON body of your request\./);
  });

  it('answers 400 for an unknown paging cursor instead of an empty page', async () => {
    await expect(client.fineTuning.jobs.list({ after: 'ftjob-unknown' })).rejects.toMatchObject({
      status: 400,
      param: 'after',
    });
  });
});
