import nock from 'nock';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Answerer, answerCap } from '../../src/api/answers.js';
import { JobClient } from '../../src/api/client.js';
import { API, CONNECTION } from '../helpers/connection.js';

// The evaluation's answers through the job client's chat completions: what is sent (temperature 0,
// the cap), what a reasoning model's refusal of temperature does, 429s, the abort, and sign-in.

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

const completion = (content: string | null, model = 'gpt-4o-mini-2024-07-18') => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model,
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content, refusal: null },
      finish_reason: 'stop',
      logprobs: null,
    },
  ],
});
const PROMPT = [{ role: 'user' as const, content: 'How long does shipping take?' }];
const answererFor = (client: JobClient) => new Answerer((body, signal) => client.chat(body, signal));

describe('Answerer through JobClient.chat', () => {
  it("asks at temperature 0 with the completion-token cap, on the connection's key, and returns the text", async () => {
    const bodies: unknown[] = [];
    nock(API, { reqheaders: { authorization: 'Bearer sk-unit-test' } })
      .post('/v1/chat/completions', (body) => (bodies.push(body), true))
      .reply(200, completion('Three to five days.'));
    const answer = await answererFor(new JobClient(CONNECTION)).answer('gpt-4o-mini', PROMPT, answerCap(10));
    expect(answer).toBe('Three to five days.');
    expect(bodies).toEqual([
      { model: 'gpt-4o-mini', messages: PROMPT, temperature: 0, max_completion_tokens: 84 },
    ]);
  });

  it('asks a model that refuses temperature once more without it (and without the cap), and never with it again', async () => {
    const bodies: Array<Record<string, unknown>> = [];
    nock(API)
      .post('/v1/chat/completions', (body) => (bodies.push(body), true))
      .reply(400, {
        error: {
          message:
            "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.",
          type: 'invalid_request_error',
          param: 'temperature',
          code: 'unsupported_value',
        },
      })
      .post('/v1/chat/completions', (body) => (bodies.push(body), true))
      .times(2)
      .reply(200, completion('Soon.', 'o4-mini'));
    const answerer = answererFor(new JobClient(CONNECTION, { maxRetries: 0 }));
    expect(await answerer.answer('o4-mini', PROMPT, 100)).toBe('Soon.');
    expect(await answerer.answer('o4-mini', PROMPT, 100)).toBe('Soon.');
    expect(bodies.map((body) => [body['temperature'], body['max_completion_tokens']])).toEqual([
      [0, 100],
      [undefined, undefined],
      [undefined, undefined],
    ]);
  });

  it('fails on any other 400 at once, without asking again', async () => {
    nock(API)
      .post('/v1/chat/completions')
      .reply(400, {
        error: { message: 'bad messages', type: 'invalid_request_error', param: 'messages', code: null },
      });
    await expect(answererFor(new JobClient(CONNECTION)).answer('m', PROMPT, 10)).rejects.toThrow(
      'bad messages',
    );
  });

  it("waits out a 429's Retry-After and asks again", async () => {
    nock(API)
      .post('/v1/chat/completions')
      .reply(
        429,
        { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } },
        {
          'retry-after-ms': '300',
        },
      )
      .post('/v1/chat/completions')
      .reply(200, completion('Later.'));
    const started = Date.now();
    expect(await answererFor(new JobClient(CONNECTION)).answer('gpt-4o-mini', PROMPT, 10)).toBe('Later.');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it("a judge gets the grader's own sampling parameters in the API's spelling", async () => {
    const bodies: unknown[] = [];
    nock(API)
      .post('/v1/chat/completions', (body) => (bodies.push(body), true))
      .reply(200, completion('0.8'));
    const reply = await answererFor(new JobClient(CONNECTION)).judge('gpt-4.1', PROMPT, {
      temperature: 0.2,
      seed: 7,
      max_completions_tokens: 16,
    });
    expect(reply).toBe('0.8');
    expect(bodies).toEqual([
      { model: 'gpt-4.1', messages: PROMPT, temperature: 0.2, seed: 7, max_completion_tokens: 16 },
    ]);
  });

  it('stops a request in flight when the signal aborts', async () => {
    // A real socket that never answers: nock's delayed replies trip undici when fetch is aborted.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    nock.enableNetConnect('127.0.0.1');
    try {
      const { port } = silent.address() as AddressInfo;
      const client = new JobClient({ ...CONNECTION, baseURL: `http://127.0.0.1:${port}/v1` });
      const stop = new AbortController();
      const pending = answererFor(client).answer('gpt-4o-mini', PROMPT, 10, stop.signal);
      setTimeout(() => stop.abort(new Error('cancelled')), 50);
      const started = Date.now();
      await expect(pending).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      nock.disableNetConnect();
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('on Azure sends the key in the api-key header, as every other request', async () => {
    nock('https://res.openai.azure.com', {
      reqheaders: { 'api-key': 'azure-key' },
      badheaders: ['authorization'],
    })
      .post('/openai/v1/chat/completions')
      .reply(200, completion('Yes.'));
    const client = new JobClient({
      ...CONNECTION,
      apiKey: 'azure-key',
      baseURL: 'https://res.openai.azure.com/openai/v1',
      provider: 'azure',
    });
    expect(await answererFor(client).answer('my-deployment', PROMPT, 10)).toBe('Yes.');
  });

  it('keyless: signs in with the workflow identity exchange, as for the job', async () => {
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = 'http://oidc.test/token?api-version=2.0';
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'runtime-request-token';
    nock('http://oidc.test').get('/token').query(true).reply(200, { value: 'github.oidc.token' });
    nock('https://auth.openai.com')
      .post('/oauth/token')
      .reply(200, { access_token: 'openai-access-token', token_type: 'Bearer', expires_in: 3600 });
    nock('https://api.openai.com', { reqheaders: { authorization: 'Bearer openai-access-token' } })
      .post('/v1/chat/completions')
      .reply(200, completion('Signed in.'));
    const client = new JobClient({
      ...CONNECTION,
      apiKey: '',
      baseURL: 'https://api.openai.com/v1',
      keyless: {
        kind: 'openai-workload-identity',
        identityProviderId: 'idp-1',
        serviceAccountId: 'svc-1',
        audience: 'https://api.openai.com/v1',
      },
    });
    try {
      expect(await answererFor(client).answer('gpt-4o-mini', PROMPT, 10)).toBe('Signed in.');
    } finally {
      delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
      delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    }
  });
});
