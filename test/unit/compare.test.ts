import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { compareExamples, readExamples } from '../../src/data/compare.js';
import type { MethodType } from '../../src/facts/methods.js';

type Json = Record<string, unknown>;

const chat = (question: string, answer: string, system = 'Be brief.'): Json => ({
  messages: [
    { role: 'system', content: system },
    { role: 'user', content: question },
    { role: 'assistant', content: answer },
  ],
});

const read = (examples: Array<Json | string>, method: MethodType = 'supervised') =>
  readExamples(
    Readable.from([examples.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('\n') + '\n']),
    method,
  );

describe('comparing data by example', () => {
  it('counts added, removed, changed (same prompt, other answer) and unchanged examples', async () => {
    const before = await read([chat('a?', 'A'), chat('b?', 'B'), chat('c?', 'C')]);
    const after = await read([chat('c?', 'C'), chat('a?', 'A, better'), chat('d?', 'D'), chat('e?', 'E')]);
    expect(compareExamples(before, after)).toEqual({ added: 2, removed: 1, changed: 1, unchanged: 1 });
    expect(before.examples).toBe(3);
    expect(after.examples).toBe(4);
  });

  it('sees nothing changed when lines only move or are written differently', async () => {
    const before = await read([chat('a?', 'A'), chat('b?', 'B')]);
    const after = await read([
      JSON.stringify(chat('b?', 'B'), null, 0).replace(/,/g, ', '),
      chat('a?', 'A'),
      '',
    ]);
    expect(compareExamples(before, after)).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 2 });
    // Yet the bytes differ: skip-if-unchanged would train again.
    expect(before.sha256).not.toBe(after.sha256);
  });

  it('matches a repeated prompt answer by answer', async () => {
    const before = await read([chat('a?', 'A1'), chat('a?', 'A2'), chat('a?', 'A3')]);
    const after = await read([chat('a?', 'A2'), chat('a?', 'A9')]);
    expect(compareExamples(before, after)).toEqual({ added: 0, removed: 1, changed: 1, unchanged: 1 });
  });

  it('treats a changed system or user message as a different prompt', async () => {
    const before = await read([chat('a?', 'A')]);
    const after = await read([chat('a?', 'A', 'Be verbose.')]);
    expect(compareExamples(before, after)).toEqual({ added: 1, removed: 1, changed: 0, unchanged: 0 });
  });

  it('knows the prompt of each method: a dpo input, a completion prompt, a reinforcement conversation', async () => {
    const dpo = (input: string, preferred: string) => ({
      input: { messages: [{ role: 'user', content: input }] },
      preferred_output: [{ role: 'assistant', content: preferred }],
      non_preferred_output: [{ role: 'assistant', content: 'no' }],
    });
    expect(
      compareExamples(await read([dpo('q', 'yes')], 'dpo'), await read([dpo('q', 'yes!')], 'dpo')),
    ).toMatchObject({ changed: 1 });
    expect(
      compareExamples(
        await read([{ prompt: '1+1=', completion: '2' }]),
        await read([{ prompt: '1+1=', completion: ' 2' }]),
      ),
    ).toMatchObject({ changed: 1 });
    const rft = (answer: string) => ({ messages: [{ role: 'user', content: '2+2?' }], answer });
    expect(
      compareExamples(await read([rft('4')], 'reinforcement'), await read([rft('four')], 'reinforcement')),
    ).toMatchObject({ changed: 1 });
  });

  it("hashes the stream's bytes as they are", async () => {
    const text = `${JSON.stringify(chat('a?', 'A'))}\r\n${JSON.stringify(chat('b?', 'B'))}`;
    const set = await readExamples(Readable.from([text.slice(0, 10), text.slice(10)]), 'supervised');
    expect(set.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(set.examples).toBe(2);
  });
});
