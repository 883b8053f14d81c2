import { countTokens as cl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkExample, graderFields } from '../../src/data/formats.js';
import {
  autoEpochs,
  autoEpochsReason,
  exampleTokens,
  findSpecialToken,
  loadTokenizer,
  toJson,
} from '../../src/data/tokens.js';
import { MAX_REINFORCEMENT_EXAMPLES, MIN_TRAINING_EXAMPLES, validateFile } from '../../src/data/validate.js';
import { validateOptions } from '../helpers/validate.js';
import type { MethodType } from '../../src/facts/methods.js';

type Json = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Building examples

const sys = (content = 'Answer briefly.') => ({ role: 'system', content });
const user = (content = 'What is 2 + 2?') => ({ role: 'user', content });
const bot = (content = '4', extra: Json = {}) => ({ role: 'assistant', content, ...extra });
const call = (id = 'call_1', name = 'add', args: unknown = '{"a":2,"b":2}') => ({
  id,
  type: 'function',
  function: { name, arguments: args },
});
const chat = (...messages: unknown[]) => ({ messages });

const ROLE_LIST = 'system, developer, user, assistant, tool';

// ---------------------------------------------------------------------------------------------
// formats: what one line may hold, per method

describe('checkExample: supervised', () => {
  const valid: Array<[string, unknown, number]> = [
    ['system, user, assistant', chat(sys(), user(), bot()), 3],
    [
      'a developer message in place of system',
      chat({ role: 'developer', content: 'Be terse.' }, user(), bot()),
      3,
    ],
    [
      'a tool round trip (assistant calls with no content, tool answers with its call id)',
      chat(
        sys(),
        user(),
        { role: 'assistant', tool_calls: [call()] },
        { role: 'tool', tool_call_id: 'call_1', content: '4' },
        bot('It is 4.'),
      ),
      5,
    ],
    [
      'assistant content null beside tool_calls',
      chat(sys(), user(), { role: 'assistant', content: null, tool_calls: [call()] }),
      3,
    ],
    [
      'content as text and image_url parts',
      chat(
        sys(),
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this picture?' },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
          ],
        },
        bot('A cat.'),
      ),
      3,
    ],
    [
      'weights 0 and 1 on assistant messages',
      chat(sys(), user(), bot('3', { weight: 0 }), user('Again?'), bot('4', { weight: 1 })),
      5,
    ],
    [
      'tools as a list and parallel_tool_calls as a boolean',
      {
        ...chat(sys(), user(), bot()),
        tools: [{ type: 'function', function: { name: 'add', parameters: { type: 'object' } } }],
        parallel_tool_calls: false,
      },
      3,
    ],
  ];
  it.each(valid)('accepts %s', (_, example, messages) => {
    expect(checkExample('supervised', example, [])).toEqual({
      errors: [],
      warnings: [],
      messages,
      images: expect.any(Number),
    });
  });

  const invalid: Array<[string, unknown, string[]]> = [
    [
      'an unknown role',
      chat(sys(), { role: 'bot', content: 'hi' }, bot()),
      [`messages[1].role must be one of ${ROLE_LIST}, not \`"bot"\``],
    ],
    [
      'a message without a role',
      chat(sys(), { content: 'hi' }, bot()),
      [`messages[1].role must be one of ${ROLE_LIST}, not \`null\``],
    ],
    [
      'a message that is not an object',
      chat(sys(), 'hi', bot()),
      ['messages[1] must be an object, not a string'],
    ],
    ['missing content', chat(sys(), { role: 'user' }, bot()), ['messages[1].content is missing']],
    [
      'missing content on an assistant without tool_calls',
      chat(sys(), user(), { role: 'assistant' }),
      ['messages[2].content is missing'],
    ],
    [
      'content that is a number',
      chat(sys(), user(), bot(4 as never)),
      ['messages[2].content must be a string or a list of parts, not a number'],
    ],
    [
      'content that is an object',
      chat(sys(), { role: 'user', content: { text: 'hi' } }, bot()),
      ['messages[1].content must be a string or a list of parts, not an object'],
    ],
    [
      'a part of an unknown type',
      chat(sys(), { role: 'user', content: [{ type: 'audio', data: 'x' }] }, bot()),
      ['messages[1].content[0] must be a part of type text or image_url'],
    ],
    [
      'a part that is a bare string',
      chat(sys(), { role: 'user', content: ['hi'] }, bot()),
      ['messages[1].content[0] must be a part of type text or image_url'],
    ],
    [
      'a text part without text',
      chat(sys(), { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text' }] }, bot()),
      ['messages[1].content[1].text must be a string'],
    ],
    [
      'an image_url part whose image_url is a string',
      chat(
        sys(),
        { role: 'user', content: [{ type: 'image_url', image_url: 'https://example.com/a.png' }] },
        bot(),
      ),
      ['messages[1].content[0].image_url must be an object with a url'],
    ],
    [
      'a tool call without an id',
      chat(sys(), user(), {
        role: 'assistant',
        tool_calls: [{ type: 'function', function: { name: 'add', arguments: '{}' } }],
      }),
      ['messages[2].tool_calls[0] needs an id and a function with a name'],
    ],
    [
      'a tool call without a function name',
      chat(sys(), user(), {
        role: 'assistant',
        tool_calls: [call(), { id: 'call_2', type: 'function', function: { arguments: '{}' } }],
      }),
      ['messages[2].tool_calls[1] needs an id and a function with a name'],
    ],
    [
      'a tool call whose arguments are an object',
      chat(sys(), user(), { role: 'assistant', tool_calls: [call('call_1', 'add', { a: 2, b: 2 })] }),
      ['messages[2].tool_calls[0].function.arguments must be a JSON string'],
    ],
    [
      'tool_calls that is an empty list',
      chat(sys(), user(), { role: 'assistant', content: 'x', tool_calls: [] }),
      ['messages[2].tool_calls must be a non-empty list'],
    ],
    [
      'tool_calls on a user message',
      chat(sys(), { role: 'user', content: 'hi', tool_calls: [call()] }, bot()),
      ['messages[1].tool_calls is allowed on assistant messages only'],
    ],
    [
      'a tool message without tool_call_id',
      chat(sys(), user(), { role: 'assistant', tool_calls: [call()] }, { role: 'tool', content: '4' }, bot()),
      ['messages[3] (a tool message) needs a tool_call_id'],
    ],
    [
      'a weight other than 0 or 1',
      chat(sys(), user(), bot('4', { weight: 0.5 })),
      ['messages[2].weight must be 0 or 1'],
    ],
    [
      'a weight given as a string',
      chat(sys(), user(), bot('4', { weight: '1' })),
      ['messages[2].weight must be 0 or 1'],
    ],
    [
      'a weight on a user message',
      chat(sys(), { role: 'user', content: 'hi', weight: 1 }, bot()),
      ['messages[1].weight is allowed on assistant messages only'],
    ],
    [
      'no assistant message',
      chat(sys(), user()),
      ['has no assistant message to learn from (all are missing or have weight 0)'],
    ],
    [
      'only assistant messages with weight 0',
      chat(sys(), user(), bot('3', { weight: 0 }), user('Again?'), bot('4', { weight: 0 })),
      ['has no assistant message to learn from (all are missing or have weight 0)'],
    ],
    [
      'tools that is not a list',
      { ...chat(sys(), user(), bot()), tools: { type: 'function' } },
      ['tools must be a list'],
    ],
    [
      'parallel_tool_calls that is not a boolean',
      { ...chat(sys(), user(), bot()), parallel_tool_calls: 'yes' },
      ['parallel_tool_calls must be true or false'],
    ],
    [
      'no messages field',
      { prompt: 'a', completion: 'b' },
      [
        'is prompt/completion data, which only babbage-002 and davinci-002 train on; a chat model needs chat messages',
      ],
    ],
    ['an empty messages list', chat(), ['messages must be a non-empty list of messages']],
    ['messages that is a string', { messages: 'hi' }, ['messages must be a non-empty list of messages']],
    [
      'several problems at once, all reported',
      chat({ role: 'narrator', content: 'x' }, { role: 'user' }, bot('4', { weight: 2 })),
      [
        `messages[0].role must be one of ${ROLE_LIST}, not \`"narrator"\``,
        'messages[1].content is missing',
        'messages[2].weight must be 0 or 1',
      ],
    ],
  ];
  it.each(invalid)('rejects %s', (_, example, errors) => {
    const check = checkExample('supervised', example, []);
    expect(check.errors).toEqual(errors);
    expect(check.warnings).toEqual([]);
  });

  it('only warns when there is no system or developer message', () => {
    expect(checkExample('supervised', chat(user(), bot()), [])).toEqual({
      errors: [],
      warnings: ['has no system message'],
      messages: 2,
      images: 0,
    });
  });
});

describe('checkExample: dpo', () => {
  const out = (content: unknown = 'Paris.') => [{ role: 'assistant', content }];
  const dpo = (overrides: Json = {}) => ({
    input: { messages: [sys('Answer in one word.'), user('Capital of France?')] },
    preferred_output: out('Paris.'),
    non_preferred_output: out('The capital of France is Paris, a city on the Seine.'),
    ...overrides,
  });

  it('accepts input.messages with one preferred and one non-preferred assistant message', () => {
    // input messages plus the two outputs.
    expect(checkExample('dpo', dpo(), [])).toEqual({ errors: [], warnings: [], messages: 4, images: 0 });
    expect(checkExample('dpo', dpo({ input: { messages: [user()] } }), [])).toEqual({
      errors: [],
      warnings: [],
      messages: 3,
      images: 0,
    });
  });

  const invalid: Array<[string, Json, string[]]> = [
    ['no input', { input: undefined }, ['input must be an object with messages']],
    ['input that is a list of messages', { input: [user()] }, ['input must be an object with messages']],
    ['input without messages', { input: {} }, ['input.messages must be a non-empty list of messages']],
    [
      'an input message with an unknown role',
      { input: { messages: [{ role: 'human', content: 'hi' }] } },
      [`input.messages[0].role must be one of ${ROLE_LIST}, not \`"human"\``],
    ],
    [
      'no preferred_output',
      { preferred_output: undefined },
      ['preferred_output must be a list holding one assistant message'],
    ],
    [
      'preferred_output as a bare message',
      { preferred_output: { role: 'assistant', content: 'Paris.' } },
      ['preferred_output must be a list holding one assistant message'],
    ],
    [
      'preferred_output with two messages',
      { preferred_output: [...out('Paris.'), ...out('Paris!')] },
      ['preferred_output must be a list holding one assistant message'],
    ],
    [
      'non_preferred_output from the user',
      { non_preferred_output: [user('Lyon.')] },
      ['non_preferred_output must be a list holding one assistant message'],
    ],
    [
      'an output without content',
      { preferred_output: [{ role: 'assistant' }] },
      ['preferred_output[0].content is missing'],
    ],
    [
      'an output whose content is a number',
      { non_preferred_output: out(7) },
      ['non_preferred_output[0].content must be a string or a list of parts, not a number'],
    ],
    [
      'identical outputs',
      { non_preferred_output: out('Paris.') },
      ['preferred_output and non_preferred_output are the same'],
    ],
  ];
  it.each(invalid)('rejects %s', (_, overrides, errors) => {
    const check = checkExample('dpo', dpo(overrides), []);
    expect(check.errors).toEqual(errors);
    expect(check.warnings).toEqual([]);
  });
});

describe('checkExample: reinforcement', () => {
  const grader = {
    type: 'string_check',
    name: 'exact',
    input: '{{ sample.output_text }}',
    reference: '{{ item.reference_answer }}',
    operation: 'eq',
  };
  const fields = graderFields(grader);
  const rft = (overrides: Json = {}) => ({
    messages: [{ role: 'developer', content: 'Solve it.' }, user('What is 6 * 7?')],
    reference_answer: '42',
    ...overrides,
  });

  it('reads the item fields a grader refers to, once each, and none from sample.*', () => {
    expect(fields).toEqual(['reference_answer']);
    const multi = {
      type: 'multi',
      name: 'both',
      graders: {
        a: { ...grader, reference: '{{item.reference_answer}}' },
        b: {
          type: 'text_similarity',
          name: 'b',
          input: '{{ sample.output_text }}',
          reference: '{{ item.topic }}',
        },
        c: grader,
      },
      calculate_output: 'a + b',
    };
    expect(graderFields(multi)).toEqual(['reference_answer', 'topic']);
    expect(graderFields(undefined)).toEqual([]);
  });

  it('accepts messages ending on the prompt with every field the grader needs', () => {
    expect(checkExample('reinforcement', rft(), fields)).toEqual({
      errors: [],
      warnings: [],
      messages: 2,
      images: 0,
    });
    // No system message is only a supervised warning.
    expect(checkExample('reinforcement', rft({ messages: [user()] }), fields).warnings).toEqual([]);
  });

  const invalid: Array<[string, Json, readonly string[], string[]]> = [
    [
      'a last message from the assistant',
      { messages: [user(), bot('42')] },
      fields,
      ['the last message must not be an assistant message: the model writes the answer'],
    ],
    ['no messages', { messages: undefined }, fields, ['messages must be a non-empty list of messages']],
    [
      'a message with an unknown role',
      { messages: [{ role: 'robot', content: 'x' }] },
      fields,
      [`messages[0].role must be one of ${ROLE_LIST}, not \`"robot"\``],
    ],
    [
      'a field the grader refers to',
      { reference_answer: undefined },
      fields,
      ['lacks `reference_answer`, which the grader refers to as `item.reference_answer`'],
    ],
    [
      'two fields the grader refers to',
      { reference_answer: undefined },
      ['reference_answer', 'topic'],
      ['lacks `reference_answer`, `topic`, which the grader refers to as `item.reference_answer`'],
    ],
  ];
  it.each(invalid)('rejects %s', (_, overrides, needed, errors) => {
    const example = JSON.parse(JSON.stringify(rft(overrides))) as Json; // drops the undefined keys
    expect(checkExample('reinforcement', example, needed).errors).toEqual(errors);
  });
});

describe('checkExample: lines that are not JSON objects', () => {
  const cases: Array<[unknown, string]> = [
    [[], 'is a list, not a JSON object'],
    ['just text', 'is a string, not a JSON object'],
    [42, 'is a number, not a JSON object'],
    [true, 'is a boolean, not a JSON object'],
    [null, 'is null, not a JSON object'],
  ];
  const methods: MethodType[] = ['supervised', 'dpo', 'reinforcement'];
  it.each(
    methods.flatMap((method) => cases.map(([value, error]) => [method, JSON.stringify(value), value, error])),
  )('%s: %s', (method, _, value, error) => {
    expect(checkExample(method as MethodType, value, [])).toEqual({
      errors: [error],
      warnings: [],
      messages: 0,
      images: 0,
    });
  });
});

// ---------------------------------------------------------------------------------------------
// tokens: encodings, limits, epochs, counting

describe('loadTokenizer', () => {
  it('loads the encoding asked for', async () => {
    // A text the two encodings split differently, so the wrong one would show.
    const text =
      'Die Straßenbahn fährt um 12:45 nach Zürich — 東京タワーはどこですか？ fn main() { println!("hi"); }';
    expect(cl100k(text)).not.toBe(o200k(text));
    expect((await loadTokenizer('o200k_base'))(text)).toBe(o200k(text));
    expect((await loadTokenizer('cl100k_base'))(text)).toBe(cl100k(text));
  });
});

describe('autoEpochs', () => {
  /** The rule as OpenAI's data-preparation notebook writes it, for comparison over a range. */
  function documented(n: number): number {
    if (n * 3 < 100) return Math.min(25, Math.floor(100 / n));
    if (n * 3 > 25_000) return Math.max(1, Math.floor(25_000 / n));
    return 3;
  }

  it.each([
    [1, 25], // min(25, 100)
    [4, 25], // min(25, 25)
    [5, 20],
    [10, 10],
    [33, 3], // 99 < 100: floor(100 / 33) = 3
    [34, 3], // 102: the normal 3
    [8_333, 3], // 24,999: still 3
    [8_334, 2], // 25,002 > 25,000: floor(25,000 / 8,334) = 2
    [12_500, 2],
    [12_501, 1],
    [25_000, 1],
    [30_000, 1], // floor would give 0; at least 1
  ])('%i examples -> %i epochs', (n, epochs) => expect(autoEpochs(n)).toBe(epochs));

  it('follows the documented rule for every size up to 40,000', () => {
    const wrong: number[] = [];
    for (let n = 1; n <= 40_000; n++) if (autoEpochs(n) !== documented(n)) wrong.push(n);
    expect(wrong).toEqual([]);
  });

  it.each([
    [20, 'raised from 3'],
    [30, "the API's 3"], // floor(100 / 30) is 3: nothing was raised
    [1_000, "the API's 3"],
    [9_000, 'lowered from 3'],
  ])('says why for %i examples: %s', (n, why) => expect(autoEpochsReason(n)).toContain(why));
});

/**
 * OpenAI's counting recipe for chat, written out independently of src: 3 tokens per message,
 * its role and content text, 1 + the name, the tool calls as JSON; 3 for the reply; tools as JSON.
 */
/**
 * The cookbook's count of function definitions (How_to_count_tokens_with_tiktoken.ipynb, section
 * 7), written out for the simple shapes the fixtures use: 7 tokens to start each function, 3 per
 * property list and per property, -3 per enum plus 3 per value, 12 at the end.
 */
function cookbookTools(functions: Json[], count: (text: string) => number, funcInit = 7): number {
  let total = 12;
  for (const f of functions) {
    total += funcInit + count(`${f.name as string}:${((f.description as string) ?? '').replace(/\.$/, '')}`);
    const properties = ((f.parameters as Json | undefined)?.properties ?? {}) as Record<string, Json>;
    if (Object.keys(properties).length > 0) total += 3;
    for (const [key, p] of Object.entries(properties)) {
      total += 3;
      if (Array.isArray(p.enum))
        total += -3 + p.enum.reduce((sum: number, v: string) => sum + 3 + count(v), 0);
      total += count(
        `${key}:${(p.type as string) ?? ''}:${((p.description as string) ?? '').replace(/\.$/, '')}`,
      );
    }
  }
  return total;
}

/** A 1024x1024 image at high detail, the size a remote URL's image is counted at: 4 tiles. */
const REMOTE_IMAGE = 170 * 4 + 85;

function recipeTokens(example: Json, count: (text: string) => number): number {
  const messages = (list: unknown) => {
    let total = 3;
    for (const m of list as Json[]) {
      const content = m.content;
      const text =
        typeof content === 'string'
          ? content
          : Array.isArray(content)
            ? content.map((p: Json) => (p.type === 'text' ? (p.text as string) : '')).join('')
            : '';
      total += 3 + count(m.role as string) + count(text);
      if (Array.isArray(content))
        total += content.filter((p: Json) => p.type === 'image_url').length * REMOTE_IMAGE;
      if (typeof m.name === 'string') total += 1 + count(m.name);
      if (m.tool_calls) total += count(JSON.stringify(m.tool_calls));
    }
    return total;
  };
  if ('input' in example) {
    return (
      messages((example.input as Json).messages) +
      messages(example.preferred_output) +
      messages(example.non_preferred_output)
    );
  }
  const tools = example.tools as Json[] | undefined;
  return (
    messages(example.messages) +
    (tools
      ? cookbookTools(
          tools.map((t) => t.function as Json),
          count,
        )
      : 0)
  );
}

describe('exampleTokens', () => {
  it('counts a chat example by the recipe: framing, roles, text parts, names, tool calls, tools', () => {
    const example = {
      messages: [
        sys('You are a calculator.'),
        {
          role: 'user',
          name: 'ada',
          content: [
            { type: 'text', text: 'Add ' },
            { type: 'text', text: 'two and two.' },
          ],
        },
        { role: 'assistant', tool_calls: [call()] },
        { role: 'tool', tool_call_id: 'call_1', content: '4' },
        bot('Four.'),
      ],
      tools: [{ type: 'function', function: { name: 'add', parameters: { type: 'object' } } }],
    };
    const expected = recipeTokens(example, o200k);
    expect(expected).toBeGreaterThan(40);
    expect(exampleTokens('supervised', example, o200k)).toBe(expected);
    // A plain three-message example, by hand: 3 + 3 * 3 framing, then role and content of each.
    const plain = chat(sys('Hi.'), user('Hello there'), bot('Hey'));
    const byHand =
      3 +
      9 +
      o200k('system') +
      o200k('Hi.') +
      o200k('user') +
      o200k('Hello there') +
      o200k('assistant') +
      o200k('Hey');
    expect(exampleTokens('supervised', plain, o200k)).toBe(byHand);
  });

  it('counts a dpo example as its input and both outputs', () => {
    const example = {
      input: { messages: [user('Capital of France?')] },
      preferred_output: [bot('Paris.')],
      non_preferred_output: [bot('It is Paris, on the Seine.')],
    };
    expect(exampleTokens('dpo', example, cl100k)).toBe(recipeTokens(example, cl100k));
  });
});

// ---------------------------------------------------------------------------------------------
// validateFile: whole files, streamed

let dir: string;
let fileNumber = 0;
function writeLines(lines: string[], eol = '\n'): string {
  const file = path.join(dir, `data-${++fileNumber}.jsonl`);
  writeFileSync(file, lines.join(eol) + eol);
  return file;
}
const options = validateOptions;
const line = (i: number) => JSON.stringify(chat(sys(), user(`What is ${i} + ${i}?`), bot(String(2 * i))));
const goodLines = (n: number, from = 0) => Array.from({ length: n }, (_, i) => line(from + i));

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'validate-'));
});

describe('validateFile: findings', () => {
  it("reports errors at the file's own 1-based line numbers, counting blank lines, which it warns about", async () => {
    const file = writeLines([
      line(1), // 1
      '', // 2
      line(2), // 3
      '{"messages": [', // 4: broken JSON
      '   ', // 5: whitespace only
      JSON.stringify(chat(sys(), user())), // 6: no assistant
      line(3), // 7
      '[1, 2]', // 8
    ]);
    const report = await validateFile(file, options({ role: 'validation' }));
    expect(report.errors).toEqual([
      { line: 4, column: 15, message: 'is not valid JSON (the line ends inside a value)' },
      { line: 6, message: 'has no assistant message to learn from (all are missing or have weight 0)' },
      { line: 8, message: 'is a list, not a JSON object' },
    ]);
    expect(report.errorCount).toBe(3);
    expect(report.warnings).toEqual([{ line: 2, message: 'blank line (skipped)', count: 2 }]);
    expect(report.examples).toBe(3);
  });

  it('reads CRLF files with the same line numbers', async () => {
    const file = writeLines([line(1), '', 'nope', line(2)], '\r\n');
    const report = await validateFile(file, options({ role: 'validation' }));
    expect(report.errors).toEqual([
      { line: 3, column: 2, message: "is not valid JSON (unexpected 'o' at column 2)" },
    ]);
    expect(report.examples).toBe(2);
  });

  it('warns once per kind, with how often and where first', async () => {
    const lines = goodLines(12);
    lines.splice(6, 0, lines[2]); // line 7 repeats line 3
    lines.push(lines[2], lines[0]); // lines 14 and 15 repeat lines 3 and 1
    lines.push(JSON.stringify(chat(user('a'), bot('b'))), JSON.stringify(chat(user('c'), bot('d')))); // 16, 17
    const report = await validateFile(writeLines(lines), options());
    expect(report.errorCount).toBe(0);
    expect(report.examples).toBe(17);
    expect(report.warnings).toEqual([
      { line: 7, message: 'repeats an earlier example', count: 3 },
      { line: 16, message: 'has no system message', count: 2 },
    ]);
    expect(report.hashes.size).toBe(14);
  });

  it('warns about validation examples that also appear in the training file', async () => {
    const training = await validateFile(writeLines(goodLines(20)), options());
    expect(training.warnings).toEqual([]);
    const validation = [...goodLines(3, 100), line(5), ...goodLines(2, 200), line(17), line(5)];
    const report = await validateFile(
      writeLines(validation),
      options({ role: 'validation', trainingHashes: training.hashes }),
    );
    expect(report.warnings).toEqual([
      { line: 4, message: 'also appears in the training file', count: 3 },
      { line: 8, message: 'repeats an earlier example', count: 1 },
    ]);
    // Without the training hashes, only the repeat within the file is seen.
    const alone = await validateFile(writeLines(validation), options({ role: 'validation' }));
    expect(alone.warnings).toEqual([{ line: 8, message: 'repeats an earlier example', count: 1 }]);
  });

  it('keeps the first 50 errors in file order but counts them all', async () => {
    const lines = Array.from({ length: 120 }, (_, i) =>
      i % 2 === 0 ? `not json ${i}` : JSON.stringify(chat(sys(), { role: 'robot', content: `${i}` }, bot())),
    );
    lines.push(...goodLines(5));
    const report = await validateFile(writeLines(lines), options());
    expect(report.errorCount).toBe(120);
    expect(report.errors).toHaveLength(50);
    expect(report.errors.map((e) => e.line)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(report.errors[0]).toEqual({
      line: 1,
      column: 2,
      message: "is not valid JSON (unexpected 'o' at column 2)",
    });
    expect(report.errors[1]).toEqual({
      line: 2,
      message: `messages[1].role must be one of ${ROLE_LIST}, not \`"robot"\``,
    });
    expect(report.examples).toBe(5);
  });

  it(`needs ${MIN_TRAINING_EXAMPLES} training examples (an error for the file, line 0), but not in a validation file`, async () => {
    expect(MIN_TRAINING_EXAMPLES).toBe(10);
    const nine = writeLines(goodLines(9));
    const report = await validateFile(nine, options());
    expect(report.errorCount).toBe(1);
    expect(report.errors).toEqual([{ line: 0, message: 'holds 9 examples; the API needs at least 10' }]);
    // Blank lines are not examples.
    const padded = await validateFile(writeLines([...goodLines(9), '', '']), options());
    expect(padded.errors).toEqual([{ line: 0, message: 'holds 9 examples; the API needs at least 10' }]);

    const asValidation = await validateFile(nine, options({ role: 'validation' }));
    expect(asValidation.errorCount).toBe(0);
    expect(asValidation.errors).toEqual([]);
    expect(asValidation.examples).toBe(9);

    const ten = await validateFile(writeLines(goodLines(10)), options());
    expect(ten.errorCount).toBe(0);

    const empty = path.join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    expect((await validateFile(empty, options())).errors).toEqual([
      { line: 0, message: 'holds 0 examples; the API needs at least 10' },
    ]);
  });

  it('checks each line with the method it is given', async () => {
    const grader = {
      type: 'string_check',
      name: 'g',
      input: '{{sample.output_text}}',
      reference: '{{item.answer}}',
      operation: 'eq',
    };
    const lines = Array.from({ length: 10 }, (_, i) =>
      JSON.stringify({ messages: [user(`${i} * 2?`)], ...(i === 4 ? {} : { answer: String(2 * i) }) }),
    );
    const report = await validateFile(
      writeLines(lines),
      options({ method: 'reinforcement', graderFields: graderFields(grader) }),
    );
    expect(report.errors).toEqual([
      { line: 5, message: 'lacks `answer`, which the grader refers to as `item.answer`' },
    ]);
  });
});

/** Nearest-rank summary, computed here rather than by src. */
function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = values.reduce((a, b) => a + b, 0);
  return {
    min: sorted[0],
    mean: sum / values.length,
    p95: sorted[Math.ceil(0.95 * sorted.length) - 1],
    max: sorted[sorted.length - 1],
    total: sum,
  };
}

describe('validateFile: statistics', () => {
  const examples: Json[] = [
    chat(sys(), user('Translate "good morning" to French.'), bot('Bonjour.')),
    chat(user('hi'), bot('hello')),
    chat(
      sys('You are a meticulous assistant who explains arithmetic step by step.'),
      user('What is 17 * 23?'),
      bot('17 * 23 = 17 * 20 + 17 * 3 = 340 + 51 = 391.'),
      user('And 391 / 17?'),
      bot('23.'),
    ),
    {
      ...chat(
        sys(),
        user('Add 2 and 2'),
        { role: 'assistant', tool_calls: [call()] },
        { role: 'tool', tool_call_id: 'call_1', content: '4' },
        bot('4'),
      ),
      tools: [{ type: 'function', function: { name: 'add' } }],
    },
    chat(
      { role: 'developer', content: 'Reply in JSON.' },
      user('Name three colours.'),
      bot('{"colours": ["red", "green", "blue"]}'),
    ),
    chat(
      sys(),
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Describe:' },
          { type: 'image_url', image_url: { url: 'https://example.com/x.png' } },
        ],
      },
      bot('A red square on white.'),
    ),
    chat(sys(), user('東京の天気は？'), bot('晴れです。')),
    chat(
      sys(),
      user('Write a haiku about rain.'),
      bot('Soft rain on the roof\nthe gutters hum their old song\nthe street smells of stone'),
    ),
    chat(sys(), user('x'), bot('y', { weight: 0 }), user('z'), bot('w')),
    chat(sys(), user('Long question: ' + 'why is the sky blue? '.repeat(12)), bot('Rayleigh scattering.')),
    chat(sys(), user('Count to five.'), bot('1, 2, 3, 4, 5')),
    chat(sys(), user('Say nothing.'), bot('')),
  ];
  const expectedTokens = examples.map((e) => recipeTokens(e, o200k));
  const expectedMessages = examples.map((e) => (e.messages as unknown[]).length);

  it.each([true, false])('match an independent count (exact: %s)', async (exact) => {
    const report = await validateFile(writeLines(examples.map((e) => JSON.stringify(e))), options({ exact }));
    expect(report.errorCount).toBe(0);
    expect(report.examples).toBe(examples.length);
    const t = stats(expectedTokens);
    expect(report.tokens).toEqual({ ...t, exactlyCounted: examples.length });
    const { total: _, ...m } = stats(expectedMessages);
    expect(report.messages).toEqual(m);
    // Sanity of the fixture: the summaries are not all one number.
    expect(t.min).toBeLessThan(t.p95);
    expect(m.min).toBe(2);
    expect(m.max).toBe(5);
  });

  it('takes p95 as the nearest rank: of 20 examples, the 19th smallest', async () => {
    // Replies of 1..20 repetitions of a one-token word: every example a different size.
    const lines = Array.from({ length: 20 }, (_, i) =>
      JSON.stringify(chat(sys(), user('Repeat.'), bot(' yes'.repeat(20 - i)))),
    );
    const tokens = lines.map((l) => recipeTokens(JSON.parse(l), o200k));
    const sorted = [...tokens].sort((a, b) => a - b);
    expect(new Set(tokens).size).toBe(20);
    const report = await validateFile(writeLines(lines), options());
    expect(report.tokens.p95).toBe(sorted[18]);
    expect(report.tokens.max).toBe(sorted[19]);
    expect(report.tokens.min).toBe(sorted[0]);
  });

  it('counts with the tokenizer it is given', async () => {
    const file = writeLines(examples.map((e) => JSON.stringify(e)));
    const report = await validateFile(file, options({ count: cl100k }));
    expect(report.tokens.total).toBe(stats(examples.map((e) => recipeTokens(e, cl100k))).total);
    expect(report.tokens.total).not.toBe(stats(expectedTokens).total);
  });

  it('rejects an example over the token limit, naming its count', async () => {
    const long = chat(
      sys(),
      user('Tell me a story.'),
      bot('Once upon a time, a small robot learned to paint. '.repeat(100)),
    );
    const tokens = recipeTokens(long, o200k);
    expect(tokens).toBeGreaterThan(1_000);
    const lines = goodLines(11);
    lines.splice(4, 0, JSON.stringify(long)); // line 5
    const report = await validateFile(writeLines(lines), options({ tokenLimit: 1_000 }));
    expect(report.errorCount).toBe(1);
    expect(report.errors).toEqual([
      { line: 5, message: `has ${tokens.toLocaleString('en-US')} tokens; an example may hold 1,000` },
    ]);
    expect(report.errors[0].message).toMatch(/^has \d,\d{3} tokens; /);
    // At exactly the limit, it passes.
    const atLimit = await validateFile(writeLines(lines), options({ tokenLimit: tokens }));
    expect(atLimit.errorCount).toBe(0);
    expect(atLimit.tokens.max).toBe(tokens);
  });

  it('only warns of an example over the limit when the counts are an estimate (a tokenizer not known)', async () => {
    const long = chat(
      sys(),
      user('Tell me a story.'),
      bot('Once upon a time, a robot painted. '.repeat(100)),
    );
    const lines = goodLines(11);
    lines.splice(2, 0, JSON.stringify(long)); // line 3
    const report = await validateFile(writeLines(lines), options({ tokenLimit: 200, strictLimit: false }));
    expect(report.errorCount).toBe(0);
    expect(report.warnings).toEqual([
      expect.objectContaining({
        line: 3,
        message: expect.stringMatching(
          /^has [\d,]+ tokens; an example may hold 200 \(approximately: this model's tokenizer is not known\)$/,
        ),
      }),
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// The sampled estimate on a large file

/** A small seeded generator, so the data set is the same on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the a model answer question data training token example because however quickly server request ' +
  'response latency function variable compute gradient epoch batch learning rate customer invoice refund ' +
  'shipping order account password reset weather forecast rain sunny temperature recipe flour sugar butter ' +
  'oven minutes internationalization misconfiguration asynchronous serialization kubernetes postgres'
).split(' ');
const EXTRAS = [
  '42',
  '3.14159',
  '2024-07-18',
  'e.g.',
  '(see above)',
  '—',
  'naïve',
  'café',
  '東京',
  'Straße',
  '{"ok": true}',
  'x = y + 1;',
  '#',
  '%',
];

function generateChat(rand: () => number): string {
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const sentence = (words: number) => {
    const parts: string[] = [];
    for (let w = 0; w < words; w++) parts.push(rand() < 0.1 ? pick(EXTRAS) : pick(WORDS));
    const text = parts.join(rand() < 0.05 ? '  ' : ' ');
    return text[0].toUpperCase() + text.slice(1) + pick(['.', '?', '!', '...', ':']);
  };
  const paragraph = (max: number) =>
    Array.from({ length: 1 + Math.floor(rand() * max) }, () => sentence(3 + Math.floor(rand() * 25))).join(
      ' ',
    );
  const messages: Json[] = [];
  if (rand() < 0.8) messages.push(sys(paragraph(2)));
  const turns = 1 + Math.floor(rand() * 3);
  for (let t = 0; t < turns; t++) {
    messages.push(user(`#${10_000 + Math.floor(rand() * 90_000)} ` + paragraph(rand() < 0.1 ? 8 : 3)));
    messages.push(bot(paragraph(rand() < 0.15 ? 12 : 3)));
  }
  return JSON.stringify({ messages });
}

describe('validateFile: the sampled token estimate', () => {
  it('comes within 1% of the exact total on ~6,000 varied examples while counting far fewer', async () => {
    const rand = random(20240718);
    const lines = Array.from({ length: 6_000 }, () => generateChat(rand));
    const file = writeLines(lines);

    const exact = await validateFile(file, options({ exact: true }));
    const sampled = await validateFile(file, options());

    expect(exact.errorCount).toBe(0);
    expect(exact.examples).toBe(6_000);
    expect(exact.tokens.exactlyCounted).toBe(6_000);
    // The exact report agrees with counting every line here.
    expect(exact.tokens.total).toBe(lines.reduce((sum, l) => sum + recipeTokens(JSON.parse(l), o200k), 0));
    // The data is varied: tokens per character differ well from line to line.
    const rates = lines.slice(0, 500).map((l) => recipeTokens(JSON.parse(l), o200k) / l.length);
    expect(Math.max(...rates) / Math.min(...rates)).toBeGreaterThan(1.3);
    expect(exact.tokens.max / exact.tokens.min).toBeGreaterThan(10);

    expect(sampled.examples).toBe(6_000);
    // The first 1,000 exactly, then only a sample.
    expect(sampled.tokens.exactlyCounted).toBeGreaterThanOrEqual(1_000);
    expect(sampled.tokens.exactlyCounted).toBeLessThan(2_000);
    const error = Math.abs(sampled.tokens.total - exact.tokens.total) / exact.tokens.total;
    expect(error).toBeLessThan(0.01);
    expect(sampled.tokens.total).not.toBe(exact.tokens.total); // it really estimated
    // Everything that does not depend on token counts is the same.
    expect(sampled.messages).toEqual(exact.messages);
    expect(sampled.warnings).toEqual(exact.warnings);
  });

  it('still counts exactly, and rejects, a long example past the first 1,000 that is not sampled', async () => {
    const lines = goodLines(1_100);
    const long = JSON.stringify(
      chat(sys(), user('Go on.'), bot('and then the next thing happened, '.repeat(40))),
    );
    const index = 1_001; // not a multiple of 8: not in the sample
    lines[index] = long;
    const tokens = recipeTokens(JSON.parse(long), o200k);
    expect(tokens).toBeGreaterThan(200);
    const report = await validateFile(writeLines(lines), options({ tokenLimit: 200 }));
    expect(report.errors).toEqual([
      { line: index + 1, message: `has ${tokens} tokens; an example may hold 200` },
    ]);
  });

  it('stays within 1% when the language changes part way through the file', async () => {
    const english = (i: number) =>
      JSON.stringify(
        chat(sys(), user(`Tell me about item ${i}.`), bot('It is a small red box made of wood. '.repeat(3))),
      );
    const chinese = (i: number) =>
      JSON.stringify(chat(sys(), user(`请介绍第${i}项。`), bot('这是一个用木头做的小红盒子。'.repeat(3))));
    const lines = [
      ...Array.from({ length: 3_000 }, (_, i) => english(i)),
      ...Array.from({ length: 3_000 }, (_, i) => chinese(i)),
    ];
    const file = writeLines(lines);
    const exact = await validateFile(file, options({ exact: true }));
    const sampled = await validateFile(file, options());
    expect(Math.abs(sampled.tokens.total - exact.tokens.total) / exact.tokens.total).toBeLessThan(0.01);
  });

  it('counts exactly, and rejects, an unsampled example whose characters tokenize densely', async () => {
    const lines = goodLines(1_100);
    const dense = JSON.stringify(
      chat(sys(), user('请继续。'), bot('这是一个用木头做的小红盒子，'.repeat(25))),
    );
    const index = 1_001;
    lines[index] = dense;
    const tokens = recipeTokens(JSON.parse(dense), o200k);
    expect(tokens).toBeGreaterThan(200);
    const report = await validateFile(writeLines(lines), options({ tokenLimit: 200 }));
    expect(report.errors).toEqual([
      { line: index + 1, message: `has ${tokens} tokens; an example may hold 200` },
    ]);
  });
});

describe('validateFile: edges', () => {
  it('reads past a UTF-8 byte-order mark on the first line, with a warning', async () => {
    const file = writeLines(goodLines(10));
    writeFileSync(file, '\ufeff' + goodLines(10).join('\n') + '\n');
    const report = await validateFile(file, options());
    expect(report.errorCount).toBe(0);
    expect(report.examples).toBe(10);
    expect(report.warnings).toEqual([
      { line: 1, message: 'starts with a byte-order mark (read past it)', count: 1 },
    ]);
  });

  it('rejects an empty validation file', async () => {
    const report = await validateFile(writeLines([]), options({ role: 'validation' }));
    expect(report.errors).toEqual([{ line: 0, message: 'holds no examples' }]);
  });
});

describe('validateFile: as strict as the API and no stricter', () => {
  const deep = (depth: number) => JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth)) as Json;
  const deepText = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

  it('rejects a special token at its line, sampled or not, escaped or not, and the count never throws', async () => {
    const lines = goodLines(1_100);
    // Line 3 is counted exactly; line 1,003 lies past the exact first 1,000 and off the sample.
    lines[2] = JSON.stringify(chat(sys(), user('Say <|endoftext|> twice'), bot('No')));
    lines[1002] = JSON.stringify(chat(sys(), user(), bot('<|im_start|>4')));
    // As a serializer that escapes characters may write one.
    lines[1004] = JSON.stringify(chat(sys(), user('<|fim_prefix|>'), bot())).replace('|f', '\\u007cf');
    const report = await validateFile(writeLines(lines), options());
    expect(report.errors).toEqual([
      {
        line: 3,
        message: '`messages[1].content` holds the special token `<|endoftext|>`, which the API refuses',
      },
      {
        line: 1003,
        message: '`messages[2].content` holds the special token `<|im_start|>`, which the API refuses',
      },
      {
        line: 1005,
        message: '`messages[1].content` holds the special token `<|fim_prefix|>`, which the API refuses',
      },
    ]);
    expect(report.examples).toBe(1_097);
  });

  it('finds special tokens in text parts, tool calls and tools, but not in text that only looks like one', () => {
    expect(findSpecialToken(chat(user('a | b <| c |>'), bot()))).toBeUndefined();
    expect(
      findSpecialToken(chat({ role: 'user', content: [{ type: 'text', text: 'x<|endofprompt|>' }] })),
    ).toEqual({ path: 'messages[0].content[0].text', token: '<|endofprompt|>' });
    expect(
      findSpecialToken({ ...chat(user(), bot()), tools: [{ function: { description: '<|fim_middle|>' } }] }),
    ).toEqual({ path: 'tools[0].function.description', token: '<|fim_middle|>' });
    expect(findSpecialToken({ a: deep(10_000), b: '<|im_end|>' })).toEqual({
      path: 'b',
      token: '<|im_end|>',
    });
  });

  it.each(['o200k_base', 'cl100k_base'] as const)(
    '%s: the loaded tokenizer counts special tokens as text',
    async (encoding) => {
      const count = await loadTokenizer(encoding);
      expect(count('a <|endoftext|> b')).toBeGreaterThan(3);
    },
  );

  it('makes an example the checker trips on one error at its line, and goes on', async () => {
    const count = (text: string) => {
      if (text.includes('boom')) throw new Error('the counter broke');
      return o200k(text);
    };
    const lines = goodLines(12);
    lines[4] = JSON.stringify(chat(sys(), user('boom'), bot()));
    const report = await validateFile(writeLines(lines), options({ count }));
    expect(report.errors).toEqual([{ line: 5, message: 'could not be checked: `the counter broke`' }]);
    expect(report.examples).toBe(11);
    expect(report.tokens.exactlyCounted).toBe(11);
  });

  it('counts a tool schema nested 10,000 levels deep, and names a deeply nested role at its line', async () => {
    const lines = goodLines(12);
    lines[3] = `{"messages":${JSON.stringify([sys(), user(), bot()])},"tools":[{"type":"function","function":{"name":"f","parameters":${deepText(10_000)}}}]}`;
    lines[6] = `{"messages":[{"role":${deepText(10_000)},"content":"x"},{"role":"assistant","content":"y"}]}`;
    const report = await validateFile(writeLines(lines), options());
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0].line).toBe(7);
    expect(report.errors[0].message).toMatch(
      /^messages\[0\]\.role must be one of .*, not `\{"a":\{"a":.*…`$/,
    );
    expect(report.examples).toBe(11);
    // The schema's unknown keyword (`a`) is beyond the cookbook's method: counted as its JSON text.
    const tool = 7 + o200k('f:') + o200k(deepText(10_000)) + 12;
    expect(report.tokens.max).toBe(recipeTokens(chat(sys(), user(), bot()), o200k) + tool);
  });

  it('compares deeply nested dpo outputs without overflowing', async () => {
    const output = (text: string) => [
      { role: 'assistant', content: [{ type: 'text', text, image_url: deep(10_000) }] },
    ];
    const same = {
      input: { messages: [user()] },
      preferred_output: output('a'),
      non_preferred_output: output('a'),
    };
    expect(checkExample('dpo', same, []).errors).toEqual([
      'preferred_output and non_preferred_output are the same',
    ]);
    const differ = { ...same, non_preferred_output: output('b') };
    expect(checkExample('dpo', differ, []).errors).toEqual([]);
  });

  it('writes JSON as JSON.stringify does, at any depth', () => {
    const value = { a: [1, 'two', null, true, { 'b"c': [] }], d: {}, e: 'é\n' };
    expect(toJson(value)).toBe(JSON.stringify(value));
    expect(toJson(deep(20_000))).toBe(deepText(20_000));
    expect(toJson([[[deep(20_000), 2]], {}])).toBe(`[[[${deepText(20_000)},2]],{}]`);
  });

  it('rejects bytes that are not UTF-8 at their line, and reads characters cut by a chunk boundary', async () => {
    const text = goodLines(12);
    // Long lines of multibyte characters: some of them straddle the stream's chunk boundaries.
    text[8] = JSON.stringify(chat(sys(), user('é€😀'.repeat(20_000)), bot()));
    text[9] = JSON.stringify(chat(sys(), user('€é'.repeat(30_001)), bot()));
    const bytes = Buffer.from(text.join('\n') + '\n');
    const file = writeLines([]);
    const at = (line: number) => {
      let offset = 0;
      for (let i = 0; i < line - 1; i += 1) offset = bytes.indexOf(0x0a, offset) + 1;
      return offset;
    };
    const broken = Buffer.from(bytes);
    broken[at(2) + 40] = 0xff; // never valid in UTF-8
    broken[at(5) + 40] = 0xc3; // a lead byte with no continuation
    writeFileSync(file, broken);
    const report = await validateFile(file, options());
    expect(report.errors).toEqual([
      { line: 2, message: 'is not valid UTF-8 text' },
      { line: 5, message: 'is not valid UTF-8 text' },
    ]);
    expect(report.examples).toBe(10);
  });

  it('breaks lines at a lone CR as at LF and CRLF', async () => {
    const file = writeLines([]);
    writeFileSync(file, [line(1), line(2), 'nope', line(3)].join('\r') + '\r\n' + line(4) + '\n');
    const report = await validateFile(file, options({ role: 'validation' }));
    expect(report.errors).toEqual([
      { line: 3, column: 2, message: "is not valid JSON (unexpected 'o' at column 2)" },
    ]);
    expect(report.examples).toBe(4);
  });
});

// ---------------------------------------------------------------------------------------------
// Legacy function calling, refusals, prompt/completion models, dpo sequences, reinforcement sizes

const fnCall = { name: 'add', arguments: '{"a":2,"b":2}' };
const functions = [{ name: 'add', parameters: { type: 'object', properties: { a: {}, b: {} } } }];
const legacy = (): Json => ({
  functions,
  messages: [
    sys(),
    user(),
    { role: 'assistant', function_call: fnCall },
    { role: 'function', name: 'add', content: '4' },
    bot('It is 4.'),
  ],
});
const refusing = (): Json =>
  chat(sys(), user('How do I pick a lock?'), {
    role: 'assistant',
    content: [{ type: 'refusal', refusal: 'I can’t help with that.' }],
  });

describe('checkExample: legacy function calling and refusal parts', () => {
  it('accepts functions, an assistant function_call without content, and a function message with a name', () => {
    expect(checkExample('supervised', legacy(), [])).toEqual({
      errors: [],
      warnings: [],
      messages: 5,
      images: 0,
    });
    // A function message's content is required but may be null; the call's content may be null.
    const nulls = legacy();
    (nulls.messages as Json[])[2] = { role: 'assistant', content: null, function_call: fnCall };
    (nulls.messages as Json[])[3] = { role: 'function', name: 'add', content: null };
    expect(checkExample('supervised', nulls, []).errors).toEqual([]);
  });

  it('accepts refusal parts in an assistant message, beside text parts', () => {
    expect(checkExample('supervised', refusing(), [])).toEqual({
      errors: [],
      warnings: [],
      messages: 3,
      images: 0,
    });
    const mixed = chat(sys(), user(), {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Partly: ' },
        { type: 'refusal', refusal: 'not that.' },
      ],
    });
    expect(checkExample('supervised', mixed, []).errors).toEqual([]);
  });

  const invalid: Array<[string, (example: Json) => void, string[]]> = [
    [
      'a function message without a name',
      (e) => ((e.messages as Json[])[3] = { role: 'function', content: '4' }),
      ['messages[3] (a function message) needs the name of the function'],
    ],
    [
      'a function message without content',
      (e) => ((e.messages as Json[])[3] = { role: 'function', name: 'add' }),
      ['messages[3].content is missing'],
    ],
    [
      'a function message whose content is a list of parts',
      (e) =>
        ((e.messages as Json[])[3] = {
          role: 'function',
          name: 'add',
          content: [{ type: 'text', text: '4' }],
        }),
      ['messages[3].content must be a string or null, not a list'],
    ],
    [
      'a function_call without a name',
      (e) => ((e.messages as Json[])[2] = { role: 'assistant', function_call: { arguments: '{}' } }),
      ['messages[2].function_call needs a name'],
    ],
    [
      'a function_call whose arguments are an object',
      (e) =>
        ((e.messages as Json[])[2] = { role: 'assistant', function_call: { name: 'add', arguments: {} } }),
      ['messages[2].function_call.arguments must be a JSON string'],
    ],
    [
      'a function_call on a user message',
      (e) => ((e.messages as Json[])[1] = { role: 'user', content: 'hi', function_call: fnCall }),
      ['messages[1].function_call is allowed on assistant messages only'],
    ],
    ['functions that is not a list', (e) => (e.functions = functions[0]), ['functions must be a list']],
  ];
  it.each(invalid)('rejects %s', (_, change, errors) => {
    const example = legacy();
    change(example);
    expect(checkExample('supervised', example, []).errors).toEqual(errors);
  });

  it('rejects a refusal part outside an assistant message, or without its text', () => {
    expect(
      checkExample(
        'supervised',
        chat(sys(), { role: 'user', content: [{ type: 'refusal', refusal: 'no' }] }, bot()),
        [],
      ).errors,
    ).toEqual(['messages[1].content[0] must be a part of type text or image_url']);
    expect(
      checkExample(
        'supervised',
        chat(sys(), user(), { role: 'assistant', content: [{ type: 'refusal' }] }),
        [],
      ).errors,
    ).toEqual(['messages[2].content[0].refusal must be a string']);
    expect(
      checkExample('supervised', chat(sys(), user(), { role: 'assistant', content: [{ type: 'audio' }] }), [])
        .errors,
    ).toEqual(['messages[2].content[0] must be a part of type text, image_url or refusal']);
  });

  it('counts functions by the cookbook, function_call as its JSON, and refusal text as text', () => {
    const messages = legacy().messages as Json[];
    const byHand =
      3 +
      5 * 3 +
      o200k('system') +
      o200k('Answer briefly.') +
      o200k('user') +
      o200k('What is 2 + 2?') +
      o200k('assistant') +
      o200k(JSON.stringify(fnCall)) +
      o200k('function') +
      1 +
      o200k('add') +
      o200k('4') +
      o200k('assistant') +
      o200k('It is 4.') +
      cookbookTools(functions, o200k);
    expect(messages).toHaveLength(5);
    expect(exampleTokens('supervised', legacy(), o200k)).toBe(byHand);

    const refusal =
      3 + 3 * 3 + o200k('system') + o200k('Answer briefly.') + o200k('user') + o200k('How do I pick a lock?');
    expect(exampleTokens('supervised', refusing(), o200k)).toBe(
      refusal + o200k('assistant') + o200k('I can’t help with that.'),
    );
  });
});

describe('prompt/completion data for babbage-002 and davinci-002', () => {
  const pc = (i: number) => ({ prompt: `Q: what is ${i} + ${i}?\nA:`, completion: ` ${2 * i}\n` });

  it('accepts prompt/completion lines for the completion models, fine-tuned ones included', () => {
    for (const model of ['babbage-002', 'davinci-002', 'ft:davinci-002:org::abc123']) {
      expect(checkExample('supervised', pc(1), [], model)).toEqual({
        errors: [],
        warnings: [],
        messages: 0,
        images: 0,
      });
    }
  });

  it('rejects chat data for a completion model, naming the model and the format it needs', () => {
    expect(checkExample('supervised', chat(sys(), user(), bot()), [], 'babbage-002').errors).toEqual([
      'is chat data (messages), but babbage-002 trains on prompt/completion lines: {"prompt": "...", "completion": "..."}',
    ]);
    expect(checkExample('supervised', { prompt: 'Q', completion: 7 }, [], 'davinci-002').errors).toEqual([
      'completion must be a string',
    ]);
    expect(checkExample('supervised', {}, [], 'davinci-002').errors).toEqual([
      'prompt must be a string',
      'completion must be a string',
    ]);
  });

  it('rejects prompt/completion data for a chat model, naming the model', () => {
    expect(checkExample('supervised', pc(1), [], 'gpt-4o-mini-2024-07-18').errors).toEqual([
      'is prompt/completion data, which only babbage-002 and davinci-002 train on; gpt-4o-mini-2024-07-18 needs chat messages',
    ]);
  });

  it('validates a file by the model it is given, counting prompt and completion tokens', async () => {
    const examples = Array.from({ length: 10 }, (_, i) => pc(i));
    const file = writeLines(examples.map((e) => JSON.stringify(e)));
    const report = await validateFile(file, options({ model: 'davinci-002', count: cl100k }));
    expect(report.errors).toEqual([]);
    expect(report.tokens.total).toBe(
      examples.reduce((sum, e) => sum + cl100k(e.prompt) + cl100k(e.completion), 0),
    );

    const asChat = await validateFile(file, options({ model: 'gpt-4o-mini-2024-07-18' }));
    expect(asChat.errorCount).toBe(10);
    const chatFile = writeLines(goodLines(10));
    const chatForBabbage = await validateFile(chatFile, options({ model: 'babbage-002', count: cl100k }));
    expect(chatForBabbage.errorCount).toBe(10);
    expect(chatForBabbage.errors[0].message).toMatch(/^is chat data \(messages\), but babbage-002 trains on/);
  });
});

describe('validateFile: dpo length per trained sequence', () => {
  const dpoLine = (input: string, preferred: string, rejected: string) => ({
    input: { messages: [user(input)] },
    preferred_output: [bot(preferred)],
    non_preferred_output: [bot(rejected)],
  });
  const measure = (e: ReturnType<typeof dpoLine>) => {
    const input = 3 + 3 + o200k('user') + o200k(e.input.messages[0].content);
    const output = (m: Json[]) => 3 + 3 + o200k('assistant') + o200k(m[0].content as string);
    return { input, preferred: output(e.preferred_output), rejected: output(e.non_preferred_output) };
  };

  it('checks the limit on the input with each output, not with both, and bills as before', async () => {
    const long = dpoLine(
      'Tell me about painting robots.',
      'A robot learned to paint. '.repeat(30),
      'No.'.repeat(60),
    );
    const m = measure(long);
    const sequence = Math.max(m.input + m.preferred, m.input + m.rejected);
    const all = m.input + m.preferred + m.rejected;
    expect(sequence).toBeLessThan(all);
    const lines = [...Array.from({ length: 10 }, (_, i) => dpoLine(`Q${i}?`, `A${i}.`, `B${i}.`)), long];
    // Each trained sequence fits although the whole example does not.
    const fits = await validateFile(
      writeLines(lines.map((l) => JSON.stringify(l))),
      options({ method: 'dpo', tokenLimit: sequence }),
    );
    expect(fits.errors).toEqual([]);
    expect(fits.tokens.max).toBe(all);
    expect(fits.tokens.total).toBe(
      lines.reduce((sum, l) => {
        const x = measure(l);
        return sum + x.input + x.preferred + x.rejected;
      }, 0),
    );
    // One token less and the longer sequence is over.
    const over = await validateFile(
      writeLines(lines.map((l) => JSON.stringify(l))),
      options({ method: 'dpo', tokenLimit: sequence - 1 }),
    );
    expect(over.errors).toEqual([
      {
        line: 11,
        message: `has ${sequence.toLocaleString('en-US')} tokens in its input with its longer output; an example may hold ${(sequence - 1).toLocaleString('en-US')}`,
      },
    ]);
  });
});

describe('validateFile: reinforcement file sizes', () => {
  const rl = (i: number) => JSON.stringify({ messages: [user(`${i} * 2?`)], answer: String(2 * i) });
  const rlLines = (n: number) => Array.from({ length: n }, (_, i) => rl(i));

  it('takes at most 50,000 training and 1,000 validation examples (an error for the file, line 0)', async () => {
    expect(MAX_REINFORCEMENT_EXAMPLES).toEqual({ training: 50_000, validation: 1_000 });
    const rlOptions = (role: 'training' | 'validation') => options({ method: 'reinforcement', role });

    const training = await validateFile(writeLines(rlLines(50_001)), rlOptions('training'));
    expect(training.errors).toEqual([
      {
        line: 0,
        message: 'holds 50,001 examples; reinforcement fine-tuning takes at most 50,000 in a training file',
      },
    ]);
    expect((await validateFile(writeLines(rlLines(50_000)), rlOptions('training'))).errorCount).toBe(0);

    const validation = await validateFile(writeLines(rlLines(1_001)), rlOptions('validation'));
    expect(validation.errors).toEqual([
      {
        line: 0,
        message: 'holds 1,001 examples; reinforcement fine-tuning takes at most 1,000 in a validation file',
      },
    ]);
    expect((await validateFile(writeLines(rlLines(1_000)), rlOptions('validation'))).errorCount).toBe(0);
    // Other methods have no such cap here.
    expect(
      (await validateFile(writeLines(goodLines(1_001)), options({ role: 'validation' }))).errorCount,
    ).toBe(0);
  }, 30_000);
});
