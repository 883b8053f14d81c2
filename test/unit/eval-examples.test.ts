import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { estimateEvaluation } from '../../src/eval/estimate.js';
import { readExamples, type EvalExample } from '../../src/eval/examples.js';
import { DEFAULT_GRADER, parseGraders, type Grader } from '../../src/eval/graders.js';

type Json = Record<string, unknown>;

const chat = (question: string, answer?: string, extra: Json = {}): Json => ({
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: question },
    ...(answer === undefined ? [] : [{ role: 'assistant', content: answer }]),
  ],
  ...extra,
});

async function read(
  lines: Array<Json | string>,
  graders: Grader[] = [DEFAULT_GRADER],
): Promise<EvalExample[]> {
  const text =
    lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n';
  const out: EvalExample[] = [];
  for await (const example of readExamples(Readable.from([text]), graders)) out.push(example);
  return out;
}

describe('reading the eval file', () => {
  it("takes a chat example's prompt before its final answer, the answer as the reference, other fields as item", async () => {
    const [example] = await read([chat('Capital of France?', 'Paris', { topic: { name: 'geo' } })]);
    expect(example).toEqual({
      line: 1,
      prompt: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Capital of France?' },
      ],
      reference: 'Paris',
      item: { ...chat('Capital of France?', 'Paris', { topic: { name: 'geo' } }), reference: 'Paris' },
    });
  });

  it('gives each example as its line arrives, before the file ends', async () => {
    const input = new PassThrough();
    const examples = readExamples(input, [DEFAULT_GRADER]);
    input.write(JSON.stringify(chat('a?', 'A')) + '\n');
    const first = await examples.next();
    expect(first.value).toMatchObject({ line: 1, reference: 'A' });
    input.end(JSON.stringify(chat('b?', 'B')) + '\n');
    expect((await examples.next()).value).toMatchObject({ line: 2, reference: 'B' });
    expect((await examples.next()).done).toBe(true);
  });

  it("joins an answer's text parts and skips blank lines, counting them", async () => {
    const answer = {
      messages: [
        { role: 'user', content: 'Hi' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Hel' },
            { type: 'text', text: 'lo' },
          ],
        },
      ],
    };
    const examples = await read(['', answer, '   ', chat('b?', 'B')]);
    expect(examples.map((e) => [e.line, e.reference])).toEqual([
      [2, 'Hello'],
      [4, 'B'],
    ]);
  });

  it('refuses, with the default grader, a line without a final assistant message, naming the line', async () => {
    await expect(read([chat('a?', 'A'), chat('b?')])).rejects.toThrow(
      'line 2 has no final assistant message, whose text is the reference answer ({{item.reference}})',
    );
  });

  it('takes a line without an answer when the graders read other fields, and refuses one that lacks them', async () => {
    const graders = parseGraders({
      type: 'string_check',
      input: '{{sample.output_text}}',
      reference: '{{item.expected.city}}',
      operation: 'ilike',
    });
    const [example] = await read([chat('Capital?', undefined, { expected: { city: 'Paris' } })], graders);
    expect(example.reference).toBeUndefined();
    expect(example.prompt).toHaveLength(2);
    await expect(read([chat('a?', 'A')], graders)).rejects.toThrow(
      'line 1 has no expected.city, which the graders read ({{item.expected.city}})',
    );
  });

  it.each([
    ['{"messages": [', 'line 1 is not valid JSON'],
    ['[1, 2]', 'line 1 must be a JSON object with messages'],
    ['{"prompt": "x"}', 'line 1 must have messages'],
    [
      JSON.stringify({ messages: [{ role: 'assistant', content: 'A' }] }),
      'line 1 has no prompt: only an assistant message',
    ],
  ])('refuses %s', async (line, message) => {
    await expect(read([line])).rejects.toThrow(message);
  });
});

describe('estimating the evaluation', () => {
  // One token per word: the sums stay readable.
  const count = (text: string) => text.split(/\s+/).filter(Boolean).length;

  it('counts each prompt for both models, answers as long as the references, and each judge call', async () => {
    const examples = await read([chat('one two three', 'a b'), chat('four', 'c d e f')]);
    const judge = parseGraders({
      type: 'score_model',
      name: 'judge',
      model: 'judge-model',
      input: [{ role: 'user', content: 'Rate {{sample.output_text}}' }],
    });
    const estimate = await estimateEvaluation(examples, {
      graders: judge,
      count,
      candidate: 'ft:new',
      baseline: 'base',
    });
    // A prompt: 3 (reply) + per message 3 + role + words: system "Be brief." 3+1+2, user 3+1+n
    const prompts = [3 + 6 + 4 + 3, 3 + 6 + 4 + 1];
    expect(estimate.byModel['ft:new']).toEqual({
      requests: 2,
      inputTokens: prompts[0] + prompts[1],
      outputTokens: 2 + 4,
    });
    expect(estimate.byModel['base']).toEqual(estimate.byModel['ft:new']);
    // Judge: 3 + user (3 + 1 + "Rate" + the reference) + its own instruction (3 + 1 + 11 words)
    const judged = (reference: number) => 3 + (4 + 1 + reference) + (4 + 11);
    expect(estimate.byModel['judge-model']).toEqual({
      requests: 4,
      inputTokens: 2 * (judged(2) + judged(4)),
      outputTokens: 16,
    });
    expect(estimate.longestReference).toBe(4);
    expect(estimate.total.requests).toBe(8);
    expect(estimate.examples).toBe(2);
  });

  it('counts one model when there is no baseline', async () => {
    const estimate = await estimateEvaluation(await read([chat('q', 'a')]), {
      graders: [DEFAULT_GRADER],
      count,
      candidate: 'm',
    });
    expect(Object.keys(estimate.byModel)).toEqual(['m']);
  });
});
