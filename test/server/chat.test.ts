// Chat completions from the local API: deterministic answers (a fine-tuned model's trained answers,
// a fixed reply otherwise), usage counted, the token cap honoured, checked against the hand-written
// contract; faults and latency for the evaluation's tests and benchmark.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../src/data/tokens.ts';
import { FIXED_REPLY, type LocalApi, type ServerOptions } from '../../server/index.ts';
import { clientFor, raw, startFast, uploadText, waitFor } from './helpers.ts';

let api: LocalApi;

afterEach(async () => {
  expect(api.contractViolations).toEqual([]);
  await api.close();
});

async function start(options: ServerOptions = {}): Promise<OpenAI> {
  api = await startFast(options);
  return clientFor(api);
}

const EXAMPLES = [
  {
    messages: [
      { role: 'system', content: 'You answer about shipping.' },
      { role: 'user', content: 'How long does shipping take?' },
      { role: 'assistant', content: 'Shipping takes three to five working days within the EU.' },
    ],
  },
  {
    messages: [
      { role: 'user', content: 'Can I return an item?' },
      { role: 'assistant', content: 'Yes, within thirty days, unused.' },
    ],
  },
];

async function trainedModel(client: OpenAI): Promise<string> {
  const file = await uploadText(client, EXAMPLES.map((e) => JSON.stringify(e)).join('\n') + '\n');
  await waitFor(
    () => client.files.retrieve(file.id),
    (f) => f.status === 'processed',
  );
  const created = await client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: file.id });
  const job = await waitFor(
    () => client.fineTuning.jobs.retrieve(created.id),
    (j) => j.status === 'succeeded',
  );
  return job.fine_tuned_model!;
}

const ask = (content: string, system?: string) => [
  ...(system === undefined ? [] : [{ role: 'system' as const, content: system }]),
  { role: 'user' as const, content },
];

describe('POST /chat/completions', () => {
  it('a fine-tuned model answers a trained prompt with its trained answer, anything else with the fixed reply', async () => {
    const client = await start();
    const model = await trainedModel(client);

    const whole = await client.chat.completions.create({
      model,
      messages: ask('How long does shipping take?', 'You answer about shipping.'),
      temperature: 0,
    });
    expect(whole).toMatchObject({
      object: 'chat.completion',
      model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Shipping takes three to five working days within the EU.',
            refusal: null,
          },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
    });
    expect(whole.id).toMatch(/^chatcmpl-/);
    // Matched by the last user message when the rest of the prompt differs.
    const byUser = await client.chat.completions.create({
      model,
      messages: ask('Can I return an item?', 'Another system prompt.'),
    });
    expect(byUser.choices[0].message.content).toBe('Yes, within thirty days, unused.');
    const other = await client.chat.completions.create({
      model,
      messages: ask('What is the capital of Peru?'),
    });
    expect(other.choices[0].message.content).toBe(FIXED_REPLY);
  });

  it('a base model answers the fixed reply as its snapshot; usage is counted', async () => {
    const client = await start();
    const answer = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: ask('How long does shipping take?'),
    });
    expect(answer.model).toBe('gpt-4o-mini-2024-07-18');
    expect(answer.choices[0].message.content).toBe(FIXED_REPLY);
    // Counted as the action counts: 3 tokens per message and 3 for the reply, around role and text.
    const count = await loadTokenizer('o200k_base');
    const prompt = 3 + 3 + count('user') + count('How long does shipping take?');
    const completion = count(FIXED_REPLY);
    expect(answer.usage).toEqual({
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
    });
  });

  it('cuts an answer to max_completion_tokens (or max_tokens) and says so', async () => {
    const client = await start();
    const model = await trainedModel(client);
    const messages = ask('How long does shipping take?', 'You answer about shipping.');
    const cut = await client.chat.completions.create({ model, messages, max_completion_tokens: 3 });
    expect(cut.choices[0].finish_reason).toBe('length');
    expect(cut.usage?.completion_tokens).toBe(3);
    expect(
      'Shipping takes three to five working days within the EU.'.startsWith(cut.choices[0].message.content!),
    ).toBe(true);
    const legacy = await client.chat.completions.create({ model, messages, max_tokens: 3 });
    expect(legacy.choices[0].message.content).toBe(cut.choices[0].message.content);
    const roomy = await client.chat.completions.create({ model, messages, max_completion_tokens: 100 });
    expect(roomy.choices[0].finish_reason).toBe('stop');
  });

  it('answers 404 model_not_found for a model it does not know', async () => {
    const client = await start();
    await expect(
      client.chat.completions.create({
        model: 'ft:gpt-4o-mini-2024-07-18:personal::nope',
        messages: ask('hi'),
      }),
    ).rejects.toMatchObject({
      status: 404,
      code: 'model_not_found',
      param: 'model',
      message: expect.stringContaining(
        'The model `ft:gpt-4o-mini-2024-07-18:personal::nope` does not exist or you do not have access to it.',
      ),
    });
  });

  it('refuses what the contract refuses, as the API words it, and streaming', async () => {
    await start();
    const post = (body: unknown) =>
      raw(api, '/chat/completions', { method: 'POST', body: JSON.stringify(body) });
    const errorOf = async (body: unknown) => {
      const response = await post(body);
      return { status: response.status, error: ((await response.json()) as { error: unknown }).error };
    };
    expect(await errorOf({ model: 'gpt-4o-mini' })).toMatchObject({
      status: 400,
      error: { code: 'missing_required_parameter', param: 'messages' },
    });
    expect(await errorOf({ model: 'gpt-4o-mini', messages: ask('x'), temprature: 0 })).toMatchObject({
      status: 400,
      error: { code: 'unknown_parameter', message: 'Unrecognized request argument supplied: temprature' },
    });
    expect(await errorOf({ model: 'gpt-4o-mini', messages: ask('x'), temperature: 3 })).toMatchObject({
      status: 400,
      error: { param: 'temperature' },
    });
    expect(
      await errorOf({ model: 'gpt-4o-mini', messages: [{ role: 'robot', content: 'x' }] }),
    ).toMatchObject({
      status: 400,
      error: { param: 'messages[0].role' },
    });
    expect(await errorOf({ model: 'gpt-4o-mini', messages: ask('x'), stream: true })).toMatchObject({
      status: 400,
      error: { param: 'stream', code: 'unsupported_value' },
    });
    // Refused requests are violations of the contract, recorded as such; nothing else is.
    expect(api.contractViolations).toHaveLength(4);
    api.contractViolations.length = 0;
  });

  it('answers n identical choices', async () => {
    const client = await start();
    const answer = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: ask('x'), n: 2 });
    expect(answer.choices.map((c) => [c.index, c.message.content])).toEqual([
      [0, FIXED_REPLY],
      [1, FIXED_REPLY],
    ]);
    const count = await loadTokenizer('o200k_base');
    expect(answer.usage?.completion_tokens).toBe(2 * count(FIXED_REPLY));
  });

  it('takes chatLatencyMs to answer each request, concurrently', async () => {
    const client = await start({ chatLatencyMs: 200 });
    const began = Date.now();
    await Promise.all(
      Array.from({ length: 4 }, () =>
        client.chat.completions.create({ model: 'gpt-4o-mini', messages: ask('x') }),
      ),
    );
    const took = Date.now() - began;
    expect(took).toBeGreaterThanOrEqual(200);
    expect(
      api.requests.filter((r) => r.route === '/chat/completions').every((r) => r.durationMs >= 200),
    ).toBe(true);
  });

  it('draws injected faults like any route: a 429 with Retry-After', async () => {
    const client = await start({
      faults: { rate: 1, kinds: ['429'], routes: ['/chat/completions'], retryAfterMs: 1500 },
    });
    const response = await raw(api, '/chat/completions', {
      method: 'POST',
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: ask('x') }),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(response.headers.get('retry-after-ms')).toBe('1500');
    api.clearFaults();
    await expect(
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: ask('x') }),
    ).resolves.toMatchObject({
      object: 'chat.completion',
    });
  });
});
