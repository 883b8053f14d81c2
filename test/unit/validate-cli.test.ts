import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { validateCommand } from '../../src/cli/validate.js';
import type { CheckDocument } from '../../src/report/data-check.js';

// The command-line validator in-process, as `npm run validate -- ...` runs it: what a person sees in
// a terminal, what a workflow step sees, and what a tool reads.

const chat = (i: number) =>
  JSON.stringify({
    messages: [
      { role: 'system', content: 'Answer briefly.' },
      { role: 'user', content: `What is ${i} + ${i}?` },
      { role: 'assistant', content: `${2 * i}` },
    ],
  });

let dir: string;
let out: string[];
let err: string[];
const stdout = () => out.join('');
const stderr = () => err.join('');

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'validate-cli-'));
  out = [];
  err = [];
  vi.spyOn(process.stdout, 'write').mockImplementation(
    (chunk: string | Uint8Array) => (out.push(String(chunk)), true),
  );
  vi.spyOn(process.stderr, 'write').mockImplementation(
    (chunk: string | Uint8Array) => (err.push(String(chunk)), true),
  );
});
afterEach(() => vi.restoreAllMocks());

function file(name: string, lines: string[]): string {
  const target = path.join(dir, name);
  writeFileSync(target, lines.join('\n') + '\n');
  return target;
}

const valid = () =>
  file(
    'train.jsonl',
    Array.from({ length: 20 }, (_, i) => chat(i)),
  );
// Line 3 stops the JSON parser at its 7th character, line 5 is an empty conversation.
const invalid = () =>
  file('bad.jsonl', [
    chat(1),
    chat(2),
    '{"a": x}',
    chat(4),
    '{"messages": []}',
    ...Array.from({ length: 10 }, (_, i) => chat(i + 5)),
  ]);

describe('in a terminal', () => {
  it('points at path:line:column with no workflow commands, and names no action input', async () => {
    const bad = invalid();
    expect(await validateCommand([bad], {})).toBe(1);
    expect(stdout()).toContain(`${bad}:3:7: error: is not valid JSON (unexpected 'x' at column 7)\n`);
    expect(stdout()).toMatch(new RegExp(`^${bad.replace(/[.\\/]/g, '\\$&')}:5: error: `, 'm'));
    expect(stdout() + stderr()).not.toContain('::');
    expect(stderr()).toBe(`${bad}: 2 errors\n`);
    expect(stdout() + stderr()).not.toContain("Input '");
  });

  it('prints the counts and an estimate that says why it assumed its epochs', async () => {
    const train = valid();
    expect(await validateCommand([train], {})).toBe(0);
    expect(stdout()).toContain(`${train}: 20 examples; tokens per example min `);
    expect(stdout()).toMatch(
      /Estimated billed tokens: [\d,]+ \([\d,]+ training tokens x 5 epochs; n_epochs auto: raised from 3 so that 20 examples give about 100 in all\)/,
    );
    out = [];
    expect(await validateCommand([train, '--epochs', '2'], {})).toBe(0);
    expect(stdout()).toMatch(/x 2 epochs; set by --epochs\)/);
    expect(stderr()).toBe('');
  });

  it('names a ceiling by its flag', async () => {
    expect(await validateCommand([valid(), '--max-billed-tokens', '10'], {})).toBe(1);
    expect(stderr()).toMatch(/^--max-billed-tokens is 10, but this job would bill about [\d,]+ tokens/);
  });

  it('suggests the model a misspelt name meant', async () => {
    expect(await validateCommand([valid(), '--model', 'gpt-4o-mnii'], {})).toBe(0);
    expect(stdout()).toContain(
      'warning: gpt-4o-mnii is not a model OpenAI fine-tunes, as far as this action knows; did you mean gpt-4o-mini-2024-07-18?',
    );
  });

  it('says a missing file or a folder in a sentence', async () => {
    expect(await validateCommand([path.join(dir, 'nope.jsonl')], {})).toBe(1);
    expect(stderr()).toBe(
      `${path.join(dir, 'nope.jsonl')}: no such file (looked for ${path.join(dir, 'nope.jsonl')})\n`,
    );
    err = [];
    expect(await validateCommand([valid(), '--validation', dir], {})).toBe(1);
    expect(stderr()).toBe(`${dir} is a folder, not a JSONL file\n`);
  });

  it('shows its help with exit code 0, and a usage mistake with 2', async () => {
    expect(await validateCommand(['--help'], {})).toBe(0);
    expect(stdout()).toMatch(/^usage: npm run validate -- \[options\] TRAINING\.jsonl\n/);
    expect(stderr()).toBe('');
    expect(await validateCommand([], {})).toBe(2);
    expect(stderr()).toMatch(/^name one training file\nusage: /);
    expect(await validateCommand([valid(), '--bogus'], {})).toBe(2);
    expect(await validateCommand([valid(), '--format', 'xml'], {})).toBe(2);
    // A mistyped ceiling is a mistake, never a ceiling silently left out.
    expect(await validateCommand([valid(), '--max-billed-tokens', '10k'], {})).toBe(2);
    expect(stderr()).toContain('--max-billed-tokens must be a whole number');
  });
});

describe('in a workflow', () => {
  it("annotates as the action does when GITHUB_ACTIONS is true, or when asked, and fails in the action's words", async () => {
    const bad = invalid();
    for (const [args, env] of [
      [[bad], { GITHUB_ACTIONS: 'true' }],
      [[bad, '--format', 'github'], {}],
    ] as const) {
      out = [];
      err = [];
      expect(await validateCommand([...args], env)).toBe(1);
      expect(stdout()).toContain(
        `::error title=Invalid fine-tuning example,file=${bad},line=3,col=7::line 3 is not valid JSON (unexpected 'x' at column 7)`,
      );
      expect(stderr()).toMatch(
        /^Input 'training-file' \(.*bad\.jsonl\) has 2 problems; the first: line 3 is not valid JSON/,
      );
    }
  });
});

describe('for tools', () => {
  it('prints one JSON document: per file its path, examples, tokens and problems, and the estimate', async () => {
    const train = valid();
    expect(await validateCommand([train, '--format', 'json', '--model', 'gpt-4o-mnii'], {})).toBe(0);
    const document = JSON.parse(stdout()) as CheckDocument;
    expect(document).toMatchObject({
      valid: true,
      files: [
        {
          path: train,
          role: 'training',
          examples: 20,
          problems: [],
          errors: 0,
          tokens: { estimated: false },
        },
      ],
      estimate: { epochs: 5, approximate: true },
    });
    expect(document.warnings[0]).toContain('did you mean gpt-4o-mini-2024-07-18?');
    expect(document.estimate?.billedTokens).toBe(document.files[0].tokens.total * 5);
    expect(document.estimate?.epochsReason).toBe(
      'n_epochs auto: raised from 3 so that 20 examples give about 100 in all',
    );
  });

  it('lists each problem with its line, level and message, and fails', async () => {
    const bad = invalid();
    expect(await validateCommand([bad, '--format', 'json'], {})).toBe(1);
    const document = JSON.parse(stdout()) as CheckDocument;
    expect(document.valid).toBe(false);
    expect(document.estimate).toBeUndefined();
    expect(document.files[0].errors).toBe(2);
    expect(document.files[0].problems[0]).toEqual({
      line: 3,
      column: 7,
      level: 'error',
      message: "is not valid JSON (unexpected 'x' at column 7)",
    });
    expect(document.files[0].problems[1]).toMatchObject({ line: 5, level: 'error' });
  });
});

describe('paths', () => {
  it('are read from where `npm run validate` was called, and only for that script', async () => {
    valid();
    expect(await validateCommand(['train.jsonl'], { npm_lifecycle_event: 'validate', INIT_CWD: dir })).toBe(
      0,
    );
    err = [];
    // A process under another npm script (a test) inherits INIT_CWD: it reads from its own folder.
    expect(await validateCommand(['train.jsonl'], { npm_lifecycle_event: 'test', INIT_CWD: dir })).toBe(1);
    expect(stderr()).toMatch(/^train\.jsonl: no such file/);
  });
});
