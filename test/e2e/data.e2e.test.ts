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
      '::error title=Invalid fine-tuning example,file=data/train.jsonl,line=4::line 4 messages[0].role must be one of system, developer, user, assistant, tool, not "robot"',
    );
    expect(run.log).toContain(
      '::error title=Invalid fine-tuning example,file=data/train.jsonl,line=22::line 22 is not valid JSON',
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
});
