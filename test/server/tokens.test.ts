// The local API counts tokens by the action's own rules (src/data/tokens.ts), so that a job's
// trained_tokens and the plan's estimate agree on the same data.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { exampleTokens as actionTokens, loadTokenizer } from '../../src/data/tokens.ts';
import type { LocalApi } from '../../server/index.ts';
import { encodingFor, exampleTokens, loadTokenizers, type Encoding } from '../../server/tokens.ts';
import { clientFor, startFast, uploadText, waitFor } from './helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CORPUS = path.join(ROOT, 'test/fixtures/corpus');

/** Every fixture line but the vision ones: this stand-in does not price images by their size. */
function fixtures(): Array<{ name: string; method: 'supervised' | 'dpo'; examples: unknown[] }> {
  const files = [
    ...readdirSync(CORPUS)
      .filter((name) => name.endsWith('.jsonl') && !name.startsWith('vision'))
      .map((name) => path.join(CORPUS, name)),
    ...['train.jsonl', 'valid.jsonl', 'dpo-train.jsonl'].map((name) =>
      path.join(ROOT, 'examples/data', name),
    ),
  ];
  return files.map((file) => {
    const examples = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as unknown];
        } catch {
          return [];
        }
      })
      .filter((example) => typeof example === 'object' && example !== null && !Array.isArray(example));
    return {
      name: path.basename(file),
      method: path.basename(file).startsWith('dpo') ? 'dpo' : 'supervised',
      examples,
    };
  });
}

const TOOLS_EXAMPLE = {
  messages: [
    { role: 'user', content: 'Weather in Oslo?', name: 'ada' },
    {
      role: 'assistant',
      tool_calls: [
        { id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
      ],
    },
    { role: 'tool', tool_call_id: 'c1', content: '{"c":3}' },
    { role: 'assistant', content: [{ type: 'text', text: 'It is 3 C.' }] },
  ],
  tools: [
    {
      type: 'function',
      function: {
        name: 'weather',
        description: 'Gets the weather.',
        parameters: {
          type: 'object',
          properties: {
            city: { type: 'string', description: 'A city.' },
            unit: { type: 'string', enum: ['c', 'f'] },
            days: { type: 'integer', minimum: 1 },
          },
          required: ['city'],
          additionalProperties: false,
        },
      },
    },
  ],
};

beforeAll(loadTokenizers);

describe('token counts', () => {
  it.each(['o200k_base', 'cl100k_base'] as const)(
    'agree with the action on every fixture example (%s)',
    async (encoding: Encoding) => {
      const count = await loadTokenizer(encoding);
      let compared = 0;
      for (const { name, method, examples } of fixtures()) {
        for (const example of [...examples, ...(method === 'supervised' ? [TOOLS_EXAMPLE] : [])]) {
          const expected = actionTokens(method, example as Record<string, unknown>, count, encoding);
          expect({ name, tokens: exampleTokens(method, example, encoding) }).toEqual({
            name,
            tokens: expected,
          });
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(50);
    },
  );

  it('picks the encoding of the model and of models trained from it', () => {
    expect(encodingFor('gpt-4o-mini-2024-07-18')).toBe('o200k_base');
    expect(encodingFor('ft:gpt-4.1-2025-04-14:personal::abc')).toBe('o200k_base');
    expect(encodingFor('gpt-3.5-turbo-0125')).toBe('cl100k_base');
    expect(encodingFor('ft:gpt-3.5-turbo-0125:personal::abc')).toBe('cl100k_base');
    expect(encodingFor('gpt-35-turbo-0125.ft-0123')).toBe('cl100k_base');
    expect(encodingFor('gpt-4-0613')).toBe('cl100k_base');
    expect(encodingFor('davinci-002')).toBe('cl100k_base');
  });
});

describe('trained_tokens', () => {
  let api: LocalApi;
  afterEach(async () => {
    expect(api.contractViolations).toEqual([]);
    await api.close();
  });

  it("is the action's count of the training file times the epochs, not a share of its characters", async () => {
    api = await startFast();
    const client = clientFor(api);
    const text = readFileSync(path.join(ROOT, 'examples/data/train.jsonl'), 'utf8');
    const file = await uploadText(client, text);
    await waitFor(
      () => client.files.retrieve(file.id),
      (f) => f.status === 'processed',
    );
    const created = await client.fineTuning.jobs.create({
      model: 'gpt-4o-mini',
      training_file: file.id,
      method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 2 } } },
    });
    const job = await waitFor(
      () => client.fineTuning.jobs.retrieve(created.id),
      (j) => j.status === 'succeeded',
    );

    const count = await loadTokenizer('o200k_base');
    const perEpoch = text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .reduce((sum, line) => sum + actionTokens('supervised', JSON.parse(line), count, 'o200k_base'), 0);
    expect(job.trained_tokens).toBe(perEpoch * 2);
    expect(job.trained_tokens).not.toBe(
      text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .reduce((sum, line) => sum + Math.ceil(line.length / 4), 0) * 2,
    );
  });
});
