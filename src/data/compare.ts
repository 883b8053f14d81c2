import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { MethodType } from '../facts/methods.js';

// What changed between the data a model was trained on and the data a pull request proposes, by
// example rather than by line: an example is known by what it asks (its prompt), and changed when
// what it teaches (its answer) differs. Moving lines about changes nothing.

type Json = Record<string, unknown>;

/** A file's examples as numbers, never the examples themselves: a file may hold millions. */
export interface ExampleSet {
  sha256: string;
  examples: number;
  /** The digest of each example's prompt, with the digests of the whole examples that ask it. */
  byPrompt: Map<number, number[]>;
}

export interface ExampleChanges {
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
}

/** 48 bits of SHA-1: a number rather than a string per example; a collision only miscounts one. */
const digest48 = (text: string): number => createHash('sha1').update(text).digest().readUIntBE(0, 6);

/**
 * What an example asks, by method: the messages other than the assistant's (and the tools they may
 * call), a DPO example's input, a completion model's prompt. A reinforcement example's other
 * fields are what the grader checks against, so they are its answer.
 */
function prompt(method: MethodType, example: Json): unknown {
  if (method === 'dpo') return example['input'];
  if (typeof example['prompt'] === 'string' && !('messages' in example)) return example['prompt'];
  const messages = Array.isArray(example['messages']) ? (example['messages'] as Json[]) : [];
  if (method === 'reinforcement') return messages;
  return {
    messages: messages.filter((message) => message?.['role'] !== 'assistant'),
    tools: example['tools'],
    functions: example['functions'],
  };
}

/** Reads a JSONL stream once: its SHA-256 and its examples by prompt. Lines that do not parse are skipped. */
export async function readExamples(stream: Readable, method: MethodType): Promise<ExampleSet> {
  const sha256 = createHash('sha256');
  stream.on('data', (chunk: Buffer) => sha256.update(chunk));
  const byPrompt = new Map<number, number[]>();
  let examples = 0;
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    let example: unknown;
    try {
      example = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof example !== 'object' || example === null || Array.isArray(example)) continue;
    examples += 1;
    const key = digest48(JSON.stringify(prompt(method, example as Json)) ?? '');
    const whole = digest48(JSON.stringify(example));
    const list = byPrompt.get(key);
    if (list) list.push(whole);
    else byPrompt.set(key, [whole]);
  }
  return { sha256: sha256.digest('hex'), examples, byPrompt };
}

/**
 * Examples added, removed, changed (the same prompt, another answer) and unchanged. A prompt asked
 * several times is matched answer by answer: equal answers first, then the rest pair up as changed.
 */
export function compareExamples(before: ExampleSet, after: ExampleSet): ExampleChanges {
  const changes: ExampleChanges = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  for (const [key, now] of after.byPrompt) {
    const then = [...(before.byPrompt.get(key) ?? [])];
    let unmatched = 0;
    for (const whole of now) {
      const at = then.indexOf(whole);
      if (at === -1) unmatched += 1;
      else {
        then.splice(at, 1);
        changes.unchanged += 1;
      }
    }
    const paired = Math.min(unmatched, then.length);
    changes.changed += paired;
    changes.added += unmatched - paired;
    changes.removed += then.length - paired;
  }
  for (const [key, then] of before.byPrompt) {
    if (!after.byPrompt.has(key)) changes.removed += then.length;
  }
  return changes;
}
