import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../server/index.ts';
import { runAction } from '../../tools/run-action.ts';
import { closeLocalApi, connect, EXAMPLE, startLocalApi } from './local-api.ts';

let api: LocalApi;
beforeEach(async () => {
  api = await startLocalApi();
});
afterEach(() => closeLocalApi(api));

function fineTune(files: Record<string, string>, inputs: Record<string, string> = {}) {
  return runAction({
    files,
    inputs: {
      ...connect(api),
      model: 'gpt-4o-mini-2024-07-18',
      'training-file': 'data/train.jsonl',
      'poll-interval': '100ms',
      ...inputs,
    },
  });
}

describe('data checked before any money is spent, end to end', () => {
  it('annotates each broken example on its file and line, and sends nothing', async () => {
    const good = EXAMPLE('train.jsonl').split('\n').filter(Boolean);
    const broken = [
      ...good.slice(0, 3),
      '{"messages": [{"role": "robot", "content": "hi"}]}',
      ...good.slice(3),
      'not json',
    ];
    const run = await fineTune({ 'data/train.jsonl': broken.join('\n') + '\n' });
    expect(run.code).toBe(1);
    expect(run.log).toContain(
      '::error title=Invalid fine-tuning example,file=data/train.jsonl,line=4::line 4 messages[0].role must be one of system, developer, user, assistant, tool, not `"robot"`',
    );
    expect(run.log).toContain(
      "::error title=Invalid fine-tuning example,file=data/train.jsonl,line=22,col=2::line 22 is not valid JSON (unexpected 'o' at column 2)",
    );
    expect(run.log).toContain(
      "::error::Input 'training-file' (data/train.jsonl) has 2 problems; the first: line 4",
    );
    expect(api.requests).toEqual([]);
  });

  it('fails before uploading when the estimate is over max-billed-tokens', async () => {
    const run = await fineTune(
      { 'data/train.jsonl': EXAMPLE('train.jsonl') },
      { 'max-billed-tokens': '1000' },
    );
    expect(run.code).toBe(1);
    expect(run.log).toMatch(
      /::error::Input 'max-billed-tokens' is 1,000, but this job would bill about [\d,]+ tokens \([\d,]+ training tokens x 5 epochs\); nothing was uploaded/,
    );
    expect(api.requests).toEqual([]);
  });

  it('reports the statistics and the estimate in the summary and as an output', async () => {
    const run = await fineTune(
      { 'data/train.jsonl': EXAMPLE('train.jsonl'), 'data/valid.jsonl': EXAMPLE('valid.jsonl') },
      {
        'validation-file': 'data/valid.jsonl',
        hyperparameters: '{n_epochs: 2}',
        'max-billed-tokens': '100000',
      },
    );
    expect(run.code).toBe(0);
    const estimate = Number(run.outputs['estimated-billed-tokens']);
    expect(estimate).toBeGreaterThan(20 * 2 * 20);
    expect(run.summary).toContain('### Data');
    expect(run.summary).toMatch(
      /\| `data\/train.jsonl` \| 20 \| 3\.0 \| \d+ \/ \d+ \/ \d+ \/ \d+ \| [\d,]+ \|/,
    );
    expect(run.summary).toContain(`Estimated billed tokens: **${estimate.toLocaleString('en-US')}**`);
    expect(run.summary).toContain('x 2 epochs)');
    // Every example of a small file is counted: nothing there is an estimate.
    expect(run.summary).not.toContain('estimated:');
  });

  it('says which figures are estimates when a large file is counted from a sample', async () => {
    const lines = EXAMPLE('train.jsonl').trim().split('\n');
    // Distinct examples, so that none is a repeat; well past the ones counted before sampling starts.
    const many = Array.from({ length: 3_000 }, (_, i) => {
      const example = JSON.parse(lines[i % lines.length]) as { messages: Array<{ content: string }> };
      example.messages[0].content += ` (${i})`;
      return JSON.stringify(example);
    }).join('\n');
    const run = await fineTune(
      { 'data/train.jsonl': many + '\n' },
      { hyperparameters: '{n_epochs: 1}', wait: 'false' },
    );
    expect(run.code).toBe(0);
    expect(run.summary).toMatch(
      /\| `data\/train.jsonl` \| 3,000 \| 3\.0 \| [\d,]+ \/ [\d,]+ \/ [\d,]+ \/ [\d,]+ \(estimated: [\d,]+ of 3,000 examples counted\) \|/,
    );
  });

  it('shows the cost in dollars, outputs it, and fails before uploading over max-cost', async () => {
    const data = { 'data/train.jsonl': EXAMPLE('train.jsonl') };
    const priced = await fineTune(data, { hyperparameters: '{n_epochs: 2}', wait: 'false' });
    expect(priced.code).toBe(0);
    const billed = Number(priced.outputs['estimated-billed-tokens']);
    // gpt-4o-mini-2024-07-18 trains at $3 per million tokens in the built-in table.
    const cost = (Math.round((billed * 3) / 10_000) / 100).toFixed(2);
    expect(priced.outputs['estimated-cost']).toBe(cost);
    expect(priced.summary).toContain(
      `Estimated cost: **$${cost}** at $3.00 per million tokens (https://openai.com/api/pricing/`,
    );

    const before = api.requests.length;
    const over = await fineTune(data, {
      hyperparameters: '{n_epochs: 2}',
      'price-per-million-tokens': '100000',
      'max-cost': '10',
    });
    expect(over.code).toBe(1);
    expect(over.log).toMatch(
      /::error::Input 'max-cost' is \$10\.00, but this job would cost about \$[\d,.]+ \([\d,]+ billed tokens at \$100,000\.00 per million, from the price-per-million-tokens input\); nothing was uploaded/,
    );
    expect(api.requests.length).toBe(before);
  });
});

describe('the command-line validator and the action agree', () => {
  const cli = (args: string[]) =>
    promisify(execFile)(process.execPath, [path.resolve('dist/validate/index.js'), ...args]).then(
      ({ stdout }) => ({ code: 0, out: stdout }),
      (error: { code: number; stdout: string; stderr: string }) => ({
        code: error.code,
        out: error.stdout + error.stderr,
      }),
    );
  const trainFile = () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cli-')), 'train.jsonl');
    writeFileSync(file, EXAMPLE('train.jsonl'));
    return file;
  };

  it('on tokens and dollars', async () => {
    const run = await fineTune(
      { 'data/train.jsonl': EXAMPLE('train.jsonl') },
      { hyperparameters: '{n_epochs: 2}', wait: 'false' },
    );
    const printed = await cli([trainFile(), '--model', 'gpt-4o-mini-2024-07-18', '--epochs', '2']);
    expect(printed.code).toBe(0);
    expect(printed.out).toContain(
      `Estimated billed tokens: ${Number(run.outputs['estimated-billed-tokens']).toLocaleString('en-US')} (`,
    );
    expect(printed.out).toContain(
      `; estimated cost: $${run.outputs['estimated-cost']} at $3.00 per million tokens`,
    );
  });

  it.each([
    [
      'a method the model does not train with',
      { method: 'dpo', model: 'o4-mini-2025-04-16' },
      ['--method', 'dpo', '--model', 'o4-mini-2025-04-16'],
      'method',
      'dpo is not available for o4-mini-2025-04-16 on OpenAI',
    ],
    [
      'a cost ceiling on reinforcement',
      {
        method: 'reinforcement',
        model: 'o4-mini-2025-04-16',
        grader: '{type: string_check, name: g, input: "{{sample.output_text}}", reference: x, operation: eq}',
        'max-cost': '50',
      },
      ['--method', 'reinforcement', '--model', 'o4-mini-2025-04-16', '--max-cost', '50'],
      'max-cost',
      'does not apply to method reinforcement, which is billed by the hour of training ($100.00 per hour for o4-mini-2025-04-16)',
    ],
  ])('on %s', async (_why, inputs, args, input, says) => {
    const run = await fineTune({ 'data/train.jsonl': EXAMPLE('train.jsonl') }, inputs);
    expect(run.code).toBe(1);
    expect(run.log).toContain(`::error::Input '${input}' ${says}`);
    const printed = await cli([trainFile(), ...args]);
    expect(printed.code).toBe(1);
    expect(printed.out).toContain(`--${input} ${says}`);
  });

  it('on a model it does not know', async () => {
    const run = await fineTune(
      { 'data/train.jsonl': EXAMPLE('train.jsonl') },
      { model: 'gpt-4o-mini-2024-07-19', wait: 'false' },
    );
    const printed = await cli([trainFile(), '--model', 'gpt-4o-mini-2024-07-19', '--format', 'github']);
    const warning =
      '::warning title=Unknown model::gpt-4o-mini-2024-07-19 is not a model OpenAI fine-tunes, as far as this action knows; did you mean gpt-4o-mini-2024-07-18?';
    expect(run.log).toContain(warning);
    expect(printed.out).toContain(warning);
  });
});
