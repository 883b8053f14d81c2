// Tokens as the action's data check counts them (src/data/tokens.ts, with gpt-tokenizer), so that
// the `trained_tokens` of a job and the usage of a chat completion agree with the action's estimates
// on the same data. The rules are ported rather than imported: Node runs this server by stripping
// types, and src/ is written for tsc (parameter properties, `.js` specifiers), so it cannot be
// loaded here. test/server/tokens.test.ts holds the two to the same counts. One departure: an image
// part counts as nothing here (src/ prices it by its size, which this stand-in does not read).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { MethodType } from './models.ts';

export type Encoding = 'o200k_base' | 'cl100k_base';

interface Tokenizer {
  encode(text: string, options?: { disallowedSpecial?: Set<string> }): number[];
  decode(tokens: number[]): string;
  countTokens(text: string, options?: { disallowedSpecial?: Set<string> }): number;
}

const tokenizers = new Map<Encoding, Tokenizer>();

/**
 * Loads both encodings once per process (they are megabytes); every server awaits it at start, so
 * that counting is synchronous afterwards.
 */
export async function loadTokenizers(): Promise<void> {
  if (tokenizers.size === 2) return;
  const [o200k, cl100k] = await Promise.all([
    import('gpt-tokenizer/encoding/o200k_base'),
    import('gpt-tokenizer/encoding/cl100k_base'),
  ]);
  tokenizers.set('o200k_base', o200k);
  tokenizers.set('cl100k_base', cl100k);
}

function tokenizer(encoding: Encoding): Tokenizer {
  const loaded = tokenizers.get(encoding);
  if (!loaded) throw new Error('loadTokenizers() must finish before tokens are counted');
  return loaded;
}

// Special tokens count as the text they are, as the action's count does.
const AS_TEXT = { disallowedSpecial: new Set<string>() };

/** The encoding a model counts with: OpenAI's older models (and models trained from them) use cl100k_base. */
export function encodingFor(model: string): Encoding {
  return /(^|[:/])(gpt-3\.5|gpt-35|gpt-4-\d|gpt-4$|gpt-4:|babbage|davinci)/.test(model)
    ? 'cl100k_base'
    : 'o200k_base';
}

export type CountTokens = (text: string) => number;

export function counter(encoding: Encoding): CountTokens {
  const { countTokens } = tokenizer(encoding);
  return (text) => countTokens(text, AS_TEXT);
}

/** `text` cut to at most `max` tokens of `encoding`, and whether anything was cut. */
export function truncate(text: string, max: number, encoding: Encoding): { text: string; cut: boolean } {
  const { encode, decode } = tokenizer(encoding);
  const tokens = encode(text, AS_TEXT);
  if (tokens.length <= max) return { text, cut: false };
  return { text: decode(tokens.slice(0, max)), cut: true };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The text of a message's content: a string, or its text (and refusal) parts joined. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => {
      const text = isObject(part) ? part[part.type === 'refusal' ? 'refusal' : 'text'] : undefined;
      return typeof text === 'string' ? text : '';
    })
    .join('');
}

// OpenAI's counting recipe for chat: each message costs 3 tokens of framing, the reply 3 more.
const PER_MESSAGE = 3;
const PER_REPLY = 3;

/** The prompt tokens of a list of chat messages. */
export function messagesTokens(messages: unknown, count: CountTokens): number {
  if (!Array.isArray(messages)) return 0;
  let total = PER_REPLY;
  for (const message of messages as unknown[]) {
    if (!isObject(message)) {
      total += PER_MESSAGE;
      continue;
    }
    total += PER_MESSAGE + count(String(message.role ?? '')) + count(contentText(message.content));
    if (typeof message.name === 'string') total += 1 + count(message.name);
    if (message.tool_calls !== undefined) total += count(JSON.stringify(message.tool_calls));
    if (message.function_call !== undefined) total += count(JSON.stringify(message.function_call));
  }
  return total;
}

// Function definitions by the method of OpenAI's cookbook (How to count tokens with tiktoken,
// section 7), as src/data/tokens.ts counts them; see the comments there.
const TOOL = { propInit: 3, propKey: 3, enumInit: -3, enumItem: 3, funcEnd: 12 } as const;
const withoutPeriod = (text: unknown) =>
  typeof text !== 'string' ? '' : text.endsWith('.') ? text.slice(0, -1) : text;
const schemaText = (value: unknown) =>
  value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);

function propertyTokens(name: string, property: unknown, count: CountTokens): number {
  if (!isObject(property)) return TOOL.propKey + count(`${name}::`) + count(JSON.stringify(property));
  const { type, description, enum: values, ...rest } = property;
  let total = TOOL.propKey + count(`${name}:${schemaText(type)}:${withoutPeriod(description)}`);
  if (Array.isArray(values)) {
    total += TOOL.enumInit;
    for (const value of values) total += TOOL.enumItem + count(schemaText(value));
  }
  if (Object.keys(rest).length > 0) total += count(JSON.stringify(rest));
  return total;
}

function functionTokens(fn: unknown, count: CountTokens, funcInit: number): number {
  if (!isObject(fn) || typeof fn.name !== 'string') return count(JSON.stringify(fn));
  let total = funcInit + count(`${fn.name}:${withoutPeriod(fn.description)}`);
  const parameters = fn.parameters;
  if (!isObject(parameters))
    return parameters === undefined ? total : total + count(JSON.stringify(parameters));
  const { type: _type, required: _required, properties, ...rest } = parameters;
  if (isObject(properties)) {
    const names = Object.keys(properties);
    if (names.length > 0) total += TOOL.propInit;
    for (const name of names) total += propertyTokens(name, properties[name], count);
  } else if (properties !== undefined) total += count(JSON.stringify(properties));
  if (Object.keys(rest).length > 0) total += count(JSON.stringify(rest));
  return total;
}

function toolsTokens(list: unknown, asTools: boolean, count: CountTokens, encoding: Encoding): number {
  if (!Array.isArray(list)) return list === undefined ? 0 : count(JSON.stringify(list));
  if (list.length === 0) return 0;
  const funcInit = encoding === 'cl100k_base' ? 10 : 7;
  let total = TOOL.funcEnd;
  for (const entry of list as unknown[]) {
    if (!asTools) total += functionTokens(entry, count, funcInit);
    else if (isObject(entry) && entry.type === 'function')
      total += functionTokens(entry.function, count, funcInit);
    else total += count(JSON.stringify(entry));
  }
  return total;
}

/** The tokens one training example is billed for, by the action's rules; 0 for a line that is not one. */
export function exampleTokens(method: MethodType, example: unknown, encoding: Encoding): number {
  if (!isObject(example)) return 0;
  const count = counter(encoding);
  if (method === 'dpo') {
    const input = isObject(example.input) ? example.input.messages : undefined;
    return (
      messagesTokens(input, count) +
      messagesTokens(example.preferred_output, count) +
      messagesTokens(example.non_preferred_output, count)
    );
  }
  if (!('messages' in example) && typeof example.prompt === 'string')
    return count(example.prompt) + count(String(example.completion ?? ''));
  return (
    messagesTokens(example.messages, count) +
    toolsTokens(example.tools, true, count, encoding) +
    toolsTokens(example.functions, false, count, encoding)
  );
}

function parsed(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** The tokens of every example of a JSONL text held in memory (small generated files). */
export function textTokens(text: string, method: MethodType, encoding: Encoding): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.trim() !== '') total += exampleTokens(method, parsed(line), encoding);
  }
  return total;
}

/** The tokens of every example of a JSONL file, read line by line (files may be gigabytes). */
export async function fileTokens(
  path: string,
  method: MethodType,
  encoding: Encoding,
  signal: AbortSignal,
): Promise<number> {
  const stream = createReadStream(path, { encoding: 'utf8', signal });
  let total = 0;
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    if (line.trim() !== '') total += exampleTokens(method, parsed(line), encoding);
  }
  return total;
}
