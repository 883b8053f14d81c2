import { countTokens as cl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FineTuneConfig } from '../../src/inputs/types.js';
import { preflight } from '../../src/data/preflight.js';
import { modelRules } from '../../src/data/models.js';
import { trainingPrice } from '../../src/data/prices.js';
import { captureStdout } from '../helpers/capture.js';
import { fineTuneConfig } from '../helpers/config.js';

type Json = Record<string, unknown>;
type Count = (text: string) => number;

const GIVEN = 'data/train.jsonl';
const GIVEN_VALID = 'data/valid.jsonl';

const example = (i: number, system = true): Json => ({
  messages: [
    ...(system ? [{ role: 'system', content: 'Answer briefly.' }] : []),
    { role: 'user', content: `What is ${i} + ${i}? Show the sum only.` },
    { role: 'assistant', content: String(2 * i) },
  ],
});

/** OpenAI's chat counting recipe, independent of src: 3 per message + role + content, 3 per reply. */
function recipe(value: Json, count: Count): number {
  const messages = (list: unknown) =>
    (list as Json[]).reduce((sum, m) => sum + 3 + count(m.role as string) + count(m.content as string), 3);
  if ('input' in value) {
    return (
      messages((value.input as Json).messages) +
      messages(value.preferred_output) +
      messages(value.non_preferred_output)
    );
  }
  return messages(value.messages);
}

let dir: string;
let stdout: ReturnType<typeof captureStdout>;
let fileNumber = 0;

function write(lines: Array<string | Json>): string {
  const file = path.join(dir, `data-${++fileNumber}.jsonl`);
  writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return file;
}

function config(trainPath: string, overrides: Partial<FineTuneConfig> = {}): FineTuneConfig {
  return fineTuneConfig({ path: trainPath, given: GIVEN }, overrides);
}

const supervised = (n_epochs?: number | 'auto'): FineTuneConfig['job'] => ({
  model: 'gpt-4o-mini-2024-07-18',
  method: {
    type: 'supervised',
    supervised: n_epochs === undefined ? {} : { hyperparameters: { n_epochs } },
  },
});

/** The workflow commands printed, one per line. */
const commands = (kind: 'error' | 'warning') =>
  stdout
    .text()
    .split(/\r?\n/)
    .filter((l) => l.startsWith(`::${kind}`));

async function rejection(promise: Promise<unknown>): Promise<Error & { input?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { input?: string };
  }
  throw new Error('expected preflight to throw');
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'preflight-'));
  stdout = captureStdout();
});
afterEach(() => stdout.restore());

describe('preflight: invalid data', () => {
  it('annotates the first 10 errors on their lines, says how many more, and fails naming the training file', async () => {
    const lines: Array<string | Json> = Array.from({ length: 30 }, (_, i) => example(i));
    for (let i = 1; i < 30; i += 2) lines[i] = `{"messages": [ broken ${i}`; // lines 2, 4, ..., 30: 15 errors
    lines[2] = {
      messages: [
        { role: 'robot', content: 'beep' },
        { role: 'assistant', content: 'x' },
      ],
    }; // line 3
    const error = await rejection(preflight(config(write(lines))));

    expect(error).toMatchObject({ name: 'InputError', input: 'training-file' });
    expect(error.message).toBe(
      `Input 'training-file' (${GIVEN}) has 16 problems; the first: line 2 is not valid JSON (unexpected 'b' at column 16)`,
    );
    const errors = commands('error');
    expect(errors).toHaveLength(11);
    expect(errors[0]).toBe(
      `::error title=Invalid fine-tuning example,file=${GIVEN},line=2,col=16::line 2 is not valid JSON (unexpected 'b' at column 16)`,
    );
    expect(errors[1]).toBe(
      `::error title=Invalid fine-tuning example,file=${GIVEN},line=3::line 3 messages[0].role must be one of system, developer, user, assistant, tool, not \`"robot"\``,
    );
    const annotatedLines = errors
      .slice(0, 10)
      .map((e) => Number(/,line=(\d+)(?:,col=\d+)?::line \1 /.exec(e)?.[1]));
    expect(annotatedLines).toEqual([2, 3, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(errors[10]).toBe(`::error file=${GIVEN}::6 more errors in ${GIVEN} are not shown`);
    // Nothing was summed up as if the file were fine.
    expect(stdout.text()).not.toContain('Estimated billed tokens');
  });

  it('does not add the "more errors" line when there are 10 or fewer, and says "problem" for one', async () => {
    const lines: Array<string | Json> = Array.from({ length: 12 }, (_, i) => example(i));
    lines[3] = {
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'yo', weight: 3 },
      ],
    };
    const error = await rejection(preflight(config(write(lines))));
    expect(error.message).toBe(
      `Input 'training-file' (${GIVEN}) has 1 problem; the first: line 4 messages[1].weight must be 0 or 1`,
    );
    expect(commands('error')).toEqual([
      `::error title=Invalid fine-tuning example,file=${GIVEN},line=4::line 4 messages[1].weight must be 0 or 1`,
    ]);
  });

  it('fails a training file of fewer than 10 examples with a file-level annotation', async () => {
    const error = await rejection(preflight(config(write([example(1), example(2), example(3)]))));
    expect(error).toMatchObject({ name: 'InputError', input: 'training-file' });
    expect(error.message).toBe(
      `Input 'training-file' (${GIVEN}) has 1 problem; the first: holds 3 examples; the API needs at least 10`,
    );
    const [annotation, ...rest] = commands('error');
    expect(rest).toEqual([]);
    // On the file as a whole: no line property.
    expect(annotation).toMatch(
      new RegExp(
        `^::error title=Fine-tuning data,file=${GIVEN}::${GIVEN} holds 3 examples; the API needs at least 10$`,
      ),
    );
    expect(annotation).not.toContain(',line=');
  });

  it('fails naming the validation file when only it is invalid (and a small validation file is fine)', async () => {
    const train = write(Array.from({ length: 12 }, (_, i) => example(i)));
    const cfg = (validation: string) =>
      config(train, { validation: { kind: 'path', path: validation, given: GIVEN_VALID } });

    const small = await preflight(cfg(write([example(100), example(101)])));
    expect(small?.files.map((f) => [f.input, f.given, f.report.examples])).toEqual([
      ['training-file', GIVEN, 12],
      ['validation-file', GIVEN_VALID, 2],
    ]);

    const error = await rejection(preflight(cfg(write([example(100), 'oops', { messages: [] }]))));
    expect(error).toMatchObject({ name: 'InputError', input: 'validation-file' });
    expect(error.message).toBe(
      `Input 'validation-file' (${GIVEN_VALID}) has 2 problems; the first: line 2 is not valid JSON (unexpected 'o' at column 1)`,
    );
    expect(commands('error')).toEqual([
      `::error title=Invalid fine-tuning example,file=${GIVEN_VALID},line=2,col=1::line 2 is not valid JSON (unexpected 'o' at column 1)`,
      `::error title=Invalid fine-tuning example,file=${GIVEN_VALID},line=3::line 3 messages must be a non-empty list of messages`,
    ]);
  });

  it("checks reinforcement data against the grader's item fields", async () => {
    const lines = Array.from({ length: 10 }, (_, i) => ({
      messages: [{ role: 'user', content: `${i} * 3?` }],
      ...(i === 6 ? {} : { answer: String(3 * i) }),
    }));
    const grader = {
      type: 'string_check' as const,
      name: 'exact',
      input: '{{ sample.output_text }}',
      reference: '{{ item.answer }}',
      operation: 'eq' as const,
    };
    const error = await rejection(
      preflight(
        config(write(lines), {
          job: {
            model: 'o4-mini-2025-04-16',
            method: { type: 'reinforcement', reinforcement: { grader } },
          },
        }),
      ),
    );
    expect(error.message).toBe(
      `Input 'training-file' (${GIVEN}) has 1 problem; the first: line 7 lacks \`answer\`, which the grader refers to as \`item.answer\``,
    );
  });

  it("applies the model's per-example token limit", async () => {
    const long: Json = {
      messages: [
        { role: 'system', content: 'Summarize.' },
        { role: 'user', content: 'lorem ipsum dolor sit amet '.repeat(3_300) },
        { role: 'assistant', content: 'Placeholder text.' },
      ],
    };
    const tokens = recipe(long, cl100k);
    expect(tokens).toBeGreaterThan(16_385);
    expect(recipe(long, o200k)).toBeLessThan(65_536);
    const lines = [...Array.from({ length: 10 }, (_, i) => example(i)), long];

    const error = await rejection(preflight(config(write(lines), { job: { model: 'gpt-3.5-turbo-0125' } })));
    expect(error.message).toBe(
      `Input 'training-file' (${GIVEN}) has 1 problem; the first: line 11 has ${tokens.toLocaleString('en-US')} tokens; an example may hold 16,385`,
    );
    // The same file suits gpt-4o-mini, whose examples may hold 65,536 tokens.
    const report = await preflight(config(write(lines)));
    expect(report?.files[0].report.tokens.max).toBe(recipe(long, o200k));
  });
});

describe('preflight: warnings', () => {
  it('annotates each kind of warning once, with its count and first line', async () => {
    const lines: Array<string | Json> = Array.from({ length: 12 }, (_, i) => example(i));
    lines.splice(4, 0, example(2)); // line 5 repeats line 3
    lines.push(example(50, false), '', example(51, false), example(52, false)); // 14, blank 15, 16, 17
    const report = await preflight(config(write(lines)));
    expect(report?.files[0].report.errorCount).toBe(0);
    expect(commands('error')).toEqual([]);
    expect(commands('warning')).toEqual([
      `::warning title=Fine-tuning data,file=${GIVEN},line=5::repeats an earlier example (line 5)`,
      `::warning title=Fine-tuning data,file=${GIVEN},line=14::has no system message (3 examples, the first at line 14)`,
      `::warning title=Fine-tuning data,file=${GIVEN},line=15::blank line (skipped) (line 15)`,
    ]);
  });

  it('annotates validation examples that repeat training ones, on the validation file', async () => {
    const train = write(Array.from({ length: 12 }, (_, i) => example(i)));
    const valid = write([example(100), example(4), example(101), example(7)]);
    await preflight(config(train, { validation: { kind: 'path', path: valid, given: GIVEN_VALID } }));
    expect(commands('warning')).toEqual([
      `::warning title=Fine-tuning data,file=${GIVEN_VALID},line=2::also appears in the training file (2 examples, the first at line 2)`,
    ]);
  });
});

describe('preflight: the billed-token estimate', () => {
  const twelve = () => Array.from({ length: 12 }, (_, i) => example(i * 37));
  const total = (lines: Json[], count: Count = o200k) => lines.reduce((sum, l) => sum + recipe(l, count), 0);

  it('bills the training tokens times the requested epochs, and not the validation tokens', async () => {
    const lines = twelve();
    const train = write(lines);
    const valid = write([example(1000), example(1001), example(1002)]);
    const report = await preflight(
      config(train, {
        job: supervised(2),
        validation: { kind: 'path', path: valid, given: GIVEN_VALID },
      }),
    );
    const tokens = total(lines);
    expect(report?.files[0].report.tokens.total).toBe(tokens);
    expect(report?.files[1].report.tokens.total).toBe(total([example(1000), example(1001), example(1002)]));
    expect(report).toMatchObject({ epochs: 2, autoEpochs: false, billedTokens: tokens * 2 });
    expect(stdout.text()).toContain(
      `training-file: ${GIVEN} holds 12 valid examples, about ${tokens} tokens`,
    );
    expect(stdout.text()).toContain(
      `Estimated billed tokens: ${(tokens * 2).toLocaleString('en-US')} (${tokens} training tokens x 2 epochs; set by n_epochs)`,
    );
  });

  it.each([
    ['no hyperparameters', undefined, 12, 8, 'raised from 3 so that 12 examples give about 100 in all'], // floor(100 / 12)
    ['n_epochs auto', 'auto' as const, 12, 8, 'raised from 3 so that 12 examples give about 100 in all'],
    ['n_epochs auto on 40 examples', 'auto' as const, 40, 3, "the API's 3 for 40 examples"],
  ])('works out the epochs the API picks for %s, and says why', async (_, n_epochs, n, epochs, why) => {
    const lines = Array.from({ length: n }, (_, i) => example(i));
    const report = await preflight(config(write(lines), { job: supervised(n_epochs) }));
    expect(report).toMatchObject({ epochs, autoEpochs: true, billedTokens: total(lines) * epochs });
    expect(stdout.text()).toContain(`training tokens x ${epochs} epochs; n_epochs auto: ${why})`);
  });

  it('checks prompt/completion data for babbage-002 and davinci-002, and refuses chat data for them', async () => {
    const lines = Array.from({ length: 10 }, (_, i) => ({
      prompt: `${i} + ${i} =`,
      completion: ` ${2 * i}`,
    }));
    const job = (model: string): FineTuneConfig['job'] => ({
      model,
      method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 2 } } },
    });
    const report = await preflight(config(write(lines), { job: job('babbage-002') }));
    const tokens = lines.reduce((sum, l) => sum + cl100k(l.prompt) + cl100k(l.completion), 0);
    expect(report).toMatchObject({ epochs: 2, billedTokens: tokens * 2 });

    const chatData = Array.from({ length: 10 }, (_, i) => example(i));
    const error = await rejection(preflight(config(write(chatData), { job: job('davinci-002') })));
    expect(error.message).toBe(
      `Input 'training-file' (${GIVEN}) has 10 problems; the first: line 1 is chat data (messages), but davinci-002 trains on prompt/completion lines: {"prompt": "...", "completion": "..."}`,
    );
    const forChat = await rejection(preflight(config(write(lines), { job: job('gpt-4o-mini-2024-07-18') })));
    expect(forChat.message).toContain(
      'line 1 is prompt/completion data, which only babbage-002 and davinci-002 train on; gpt-4o-mini-2024-07-18 needs chat messages',
    );
  });

  it('counts with the encoding of the model', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => ({
      messages: [
        { role: 'system', content: 'Réponds brièvement, s’il te plaît — en français.' },
        { role: 'user', content: `Combien font ${i} × ${i} ? 東京タワー` },
        { role: 'assistant', content: `${i * i}.` },
      ],
    }));
    expect(total(lines, cl100k)).not.toBe(total(lines, o200k));
    const report = await preflight(
      config(write(lines), {
        job: {
          model: 'gpt-3.5-turbo-0125',
          method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 1 } } },
        },
      }),
    );
    expect(report?.billedTokens).toBe(total(lines, cl100k));
  });

  it('takes images only for a model that fine-tunes on them, and reports how many were counted at an assumed size', async () => {
    const withImage = (i: number): Json => ({
      messages: [
        { role: 'system', content: 'Describe the picture.' },
        {
          role: 'user',
          content: [{ type: 'image_url', image_url: { url: `https://example.com/${i}.png` } }],
        },
        { role: 'assistant', content: 'A cat.' },
      ],
    });
    const lines = [example(0), withImage(1), ...Array.from({ length: 10 }, (_, i) => example(i + 2))];
    const mini = await rejection(preflight(config(write(lines))));
    expect(mini.message).toBe(
      `Input 'training-file' (${GIVEN}) has 1 problem; the first: line 2 messages[1].content[0] is an image, but gpt-4o-mini-2024-07-18 cannot be fine-tuned on images`,
    );
    const report = await preflight(config(write(lines), { job: { model: 'gpt-4o-2024-08-06' } }));
    expect(report?.files[0].report).toMatchObject({ images: 1, assumedImageSizes: 1 });
  });

  it('reads n_epochs from the dpo method and counts both outputs', async () => {
    const lines = Array.from({ length: 10 }, (_, i) => ({
      input: { messages: [{ role: 'user', content: `Name a prime above ${i * 10}.` }] },
      preferred_output: [{ role: 'assistant', content: 'Here is one: 101.' }],
      non_preferred_output: [{ role: 'assistant', content: `${i * 10}` }],
    }));
    const report = await preflight(
      config(write(lines), {
        job: {
          model: 'gpt-4o-mini-2024-07-18',
          method: { type: 'dpo', dpo: { hyperparameters: { n_epochs: 4 } } },
        },
      }),
    );
    expect(report).toMatchObject({ epochs: 4, autoEpochs: false, billedTokens: total(lines) * 4 });
  });

  describe('max-billed-tokens', () => {
    it('fails before upload when the estimate is over the limit, with both numbers', async () => {
      const lines = twelve();
      const billed = total(lines) * 8; // auto epochs for 12 examples
      expect(billed).toBeGreaterThan(1_000); // so the thousands separator shows
      const error = await rejection(
        preflight(config(write(lines), { job: supervised(), maxBilledTokens: billed - 1 })),
      );
      expect(error).toMatchObject({ name: 'InputError', input: 'max-billed-tokens' });
      expect(error.message).toBe(
        `Input 'max-billed-tokens' is ${(billed - 1).toLocaleString('en-US')}, but this job would bill about ${billed.toLocaleString('en-US')} tokens (${total(lines)} training tokens x 8 epochs); nothing was uploaded`,
      );
    });

    it.each([0, 1, 1_000_000])('passes when the limit is the estimate + %i', async (margin) => {
      const lines = twelve();
      const billed = total(lines) * 2;
      const report = await preflight(
        config(write(lines), { job: supervised(2), maxBilledTokens: billed + margin }),
      );
      expect(report?.billedTokens).toBe(billed);
    });
  });
});

describe('preflight: the cost in dollars', () => {
  const twelve = () => Array.from({ length: 12 }, (_, i) => example(i * 37));
  const total = (lines: Json[]) => lines.reduce((sum, l) => sum + recipe(l, o200k), 0);
  const gpt4oMini = modelRules('gpt-4o-mini-2024-07-18', 'openai');

  it("prices the billed tokens at the model's built-in price, and says which", async () => {
    const lines = twelve();
    const billed = total(lines) * 2;
    const price = trainingPrice(gpt4oMini);
    const report = await preflight(config(write(lines), { job: supervised(2), ...(price ? { price } : {}) }));
    // gpt-4o-mini trains at $3 per million tokens (OpenAI's price list).
    expect(report?.cost).toBe(Math.round((billed * 3) / 10_000) / 100);
    expect(report?.price?.source).toMatch(/^https:\/\/openai\.com\/api\/pricing\//);
    expect(stdout.text()).toContain(
      `; estimated cost: $${report!.cost!.toFixed(2)} at $3.00 per million tokens`,
    );
  });

  it('takes the price-per-million-tokens input over the table', async () => {
    const lines = twelve();
    const billed = total(lines) * 2;
    const report = await preflight(
      config(write(lines), { job: supervised(2), price: trainingPrice(gpt4oMini, 1_000)! }),
    );
    // $1,000 per million is a tenth of a cent per token, rounded to cents.
    expect(report?.cost).toBe(Math.round(billed / 10) / 100);
    expect(stdout.text()).toContain('at $1,000.00 per million tokens (the price-per-million-tokens input)');
  });

  it('says when no price is known, and estimates no dollars', async () => {
    const report = await preflight(config(write(twelve()), { job: supervised(2) }));
    expect(report?.cost).toBeUndefined();
    expect(stdout.text()).toContain(
      'no training price is known for this model here (set price-per-million-tokens',
    );
  });

  it('fails before upload when the cost is over max-cost, with both amounts', async () => {
    const lines = twelve();
    const billed = total(lines) * 2;
    const price = trainingPrice(gpt4oMini, 1_000)!;
    const cost = Math.round(billed / 10) / 100;
    const error = await rejection(
      preflight(config(write(lines), { job: supervised(2), price, maxCost: cost - 0.01 })),
    );
    expect(error).toMatchObject({ name: 'InputError', input: 'max-cost' });
    expect(error.message).toBe(
      `Input 'max-cost' is $${(cost - 0.01).toFixed(2)}, but this job would cost about $${cost.toFixed(2)} (${billed.toLocaleString('en-US')} billed tokens at $1,000.00 per million, from the price-per-million-tokens input); nothing was uploaded`,
    );
    const within = await preflight(config(write(lines), { job: supervised(2), price, maxCost: cost }));
    expect(within?.cost).toBe(cost);
  });

  it('gives reinforcement its hourly rate and no token figure', async () => {
    const rules = modelRules('o4-mini-2025-04-16', 'openai');
    const lines = Array.from({ length: 12 }, (_, i) => ({
      messages: [{ role: 'user', content: `What is ${i} + ${i}?` }],
      answer: String(2 * i),
    }));
    const report = await preflight(
      config(write(lines), {
        job: {
          model: 'o4-mini-2025-04-16',
          method: {
            type: 'reinforcement',
            reinforcement: {
              grader: {
                type: 'string_check',
                name: 'exact',
                input: '{{sample.output_text}}',
                reference: '{{item.answer}}',
                operation: 'eq',
              },
            },
          },
        },
        modelRules: rules,
        price: trainingPrice(rules)!,
      }),
    );
    expect(report?.billedTokens).toBeUndefined();
    expect(report?.cost).toBeUndefined();
    expect(report?.price?.price).toEqual({ perHour: 100 });
    expect(stdout.text()).toContain(
      'Reinforcement fine-tuning is billed by the hour of training ($100.00 per hour), not by the token: no cost is estimated from the data',
    );
    expect(stdout.text()).not.toContain('Estimated billed tokens');
  });
});

describe('preflight: when it does not run', () => {
  it('returns undefined with validate: false, without reading the file', async () => {
    const missing = path.join(dir, 'does-not-exist.jsonl');
    expect(await preflight(config(missing, { validate: false }))).toBeUndefined();
    expect(stdout.text()).toBe('');
  });

  it('returns undefined for an uploaded training file id, even with a local validation file', async () => {
    const valid = write(['not json']);
    const cfg = config('', {
      training: { kind: 'id', id: 'file-abc123' },
      validation: { kind: 'path', path: valid, given: GIVEN_VALID },
    });
    expect(await preflight(cfg)).toBeUndefined();
    expect(stdout.text()).toBe('');
  });

  it('runs for the same file once validate is true (the cases above are not vacuous)', async () => {
    const bad = write(['not json']);
    await expect(preflight(config(bad))).rejects.toMatchObject({ input: 'training-file' });
  });
});
