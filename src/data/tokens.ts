import type { MethodType } from '../facts/methods.js';
import { imageTokens } from './images.js';
import type { Encoding } from '../facts/models.js';

export type CountTokens = (text: string) => number;
type Json = Record<string, unknown>;

/**
 * Loads an encoding of OpenAI's (gpt-tokenizer ships them). Imported lazily: the ranks are
 * megabytes that only a run validating local data needs, so other runs start fast.
 */
export async function loadTokenizer(name: Encoding): Promise<CountTokens> {
  const encoding =
    name === 'cl100k_base'
      ? await import('gpt-tokenizer/encoding/cl100k_base')
      : await import('gpt-tokenizer/encoding/o200k_base');
  // The special tokens are refused per line by the check (findSpecialToken) with the line's number;
  // here they count as the text they are, so a count never throws.
  const asText = { disallowedSpecial: new Set<string>() };
  return (text) => encoding.countTokens(text, asText);
}

/**
 * The special tokens of cl100k_base and o200k_base (the same set in both, as gpt-tokenizer ships
 * them). The API refuses an example whose text holds one; the tokenizer would read it as the
 * control token rather than text.
 */
const SPECIAL_TOKENS: readonly string[] = [
  '<|endoftext|>',
  '<|fim_prefix|>',
  '<|fim_middle|>',
  '<|fim_suffix|>',
  '<|im_start|>',
  '<|im_end|>',
  '<|im_sep|>',
  '<|endofprompt|>',
];

/**
 * Where a parsed example holds a special token in a string, and which: the first one found, with
 * its path (`messages[1].content`). Walked with an explicit stack: an example may nest deeper than
 * the call stack goes.
 */
export function findSpecialToken(example: unknown): { path: string; token: string } | undefined {
  const stack: Array<[unknown, string]> = [[example, '']];
  while (stack.length > 0) {
    const [value, at] = stack.pop()!;
    if (typeof value === 'string') {
      if (!value.includes('<|')) continue;
      const token = SPECIAL_TOKENS.find((special) => value.includes(special));
      if (token) return { path: at, token };
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i -= 1) stack.push([value[i], `${at}[${i}]`]);
    } else if (typeof value === 'object' && value !== null) {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i -= 1) {
        stack.push([(value as Json)[keys[i]], at ? `${at}.${keys[i]}` : keys[i]]);
      }
    }
  }
  return undefined;
}

class Raw {
  constructor(readonly text: string) {}
}

/**
 * JSON.stringify for parsed JSON that may nest deeper than JSON.stringify's recursion can go (a
 * tool schema thousands of levels deep): the same text, built with an explicit stack then.
 */
export function toJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  const out: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item instanceof Raw) out.push(item.text);
    else if (Array.isArray(item)) {
      stack.push(new Raw(']'));
      for (let i = item.length - 1; i >= 0; i -= 1) {
        stack.push(item[i]);
        if (i > 0) stack.push(new Raw(','));
      }
      stack.push(new Raw('['));
    } else if (typeof item === 'object' && item !== null) {
      const keys = Object.keys(item);
      stack.push(new Raw('}'));
      for (let i = keys.length - 1; i >= 0; i -= 1) {
        stack.push((item as Json)[keys[i]]);
        stack.push(new Raw(`${i > 0 ? ',' : ''}${JSON.stringify(keys[i])}:`));
      }
      stack.push(new Raw('{'));
    } else out.push(JSON.stringify(item));
  }
  return out.join('');
}

/**
 * Epochs the API picks for `n_epochs: auto` (the rule OpenAI documents for chat fine-tuning data):
 * 3, raised so that small sets see about 100 examples in all (25 epochs at most), lowered so that
 * large sets see about 25,000 (1 epoch at least).
 */
export function autoEpochs(examples: number): number {
  if (examples <= 0) return 3;
  if (examples * 3 < 100) return Math.min(25, Math.floor(100 / examples));
  if (examples * 3 > 25_000) return Math.max(1, Math.floor(25_000 / examples));
  return 3;
}

/** Why `autoEpochs` chose its number: read from its result, so the two cannot disagree. */
export function autoEpochsReason(examples: number): string {
  const n = examples.toLocaleString('en-US');
  const epochs = autoEpochs(examples);
  if (epochs > 3) return `n_epochs auto: raised from 3 so that ${n} examples give about 100 in all`;
  if (epochs < 3) return `n_epochs auto: lowered from 3 so that ${n} examples give about 25,000 in all`;
  return `n_epochs auto: the API's 3 for ${n} examples`;
}

// Per OpenAI's counting recipe for chat: each message costs 3 tokens of framing, the reply 3 more.
const PER_MESSAGE = 3;
const PER_REPLY = 3;

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => {
      const text = (part as Json)?.[(part as Json)?.['type'] === 'refusal' ? 'refusal' : 'text'];
      return typeof text === 'string' ? text : '';
    })
    .join('');
}

/** Image parts whose size was assumed, tallied across the messages of one example. */
interface Tally {
  assumedImageSizes: number;
}

function messagesTokens(messages: unknown, count: CountTokens, tally: Tally): number {
  if (!Array.isArray(messages)) return 0;
  let total = PER_REPLY;
  for (const message of messages as Json[]) {
    const content = message?.['content'];
    total += PER_MESSAGE + count(String(message?.['role'] ?? '')) + count(contentText(content));
    // A data URL's text is no token of the example: the image is billed by its size instead.
    if (Array.isArray(content)) {
      for (const part of content as Json[]) {
        if (part?.['type'] !== 'image_url') continue;
        const image = imageTokens(part);
        total += image.tokens;
        if (image.assumed) tally.assumedImageSizes += 1;
      }
    }
    if (typeof message?.['name'] === 'string') total += 1 + count(message['name']);
    if (message?.['tool_calls'] !== undefined) total += count(toJson(message['tool_calls']));
    if (message?.['function_call'] !== undefined) total += count(toJson(message['function_call']));
  }
  return total;
}

// Function definitions are counted by the method of OpenAI's cookbook, which matches the API's
// prompt_tokens for its example tools (How to count tokens with tiktoken, section 7:
// https://github.com/openai/openai-cookbook/blob/main/examples/How_to_count_tokens_with_tiktoken.ipynb):
// per function a fixed start plus `name:description`; per property `name:type:description`, each
// enum value, and fixed framing; a fixed end per list. A description loses one final period. The
// start is 7 tokens for the gpt-4o models and 10 for gpt-3.5-turbo and gpt-4: here, by encoding.
// What the method does not cover (a property's nested schema, keywords of the parameters other
// than type, properties and required, a tool that is not a function) is counted as its JSON text,
// which over-counts it rather than under-counting it; that also keeps a schema of any depth
// countable, since toJson never recurses.
const TOOL = { propInit: 3, propKey: 3, enumInit: -3, enumItem: 3, funcEnd: 12 } as const;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const withoutPeriod = (text: unknown) =>
  typeof text !== 'string' ? '' : text.endsWith('.') ? text.slice(0, -1) : text;
const schemaText = (value: unknown) =>
  value === undefined ? '' : typeof value === 'string' ? value : toJson(value);

function propertyTokens(name: string, property: unknown, count: CountTokens): number {
  if (!isObject(property)) return TOOL.propKey + count(`${name}::`) + count(toJson(property));
  const { type, description, enum: values, ...rest } = property;
  let total = TOOL.propKey + count(`${name}:${schemaText(type)}:${withoutPeriod(description)}`);
  if (Array.isArray(values)) {
    total += TOOL.enumInit;
    for (const value of values) total += TOOL.enumItem + count(schemaText(value));
  }
  if (Object.keys(rest).length > 0) total += count(toJson(rest));
  return total;
}

function functionTokens(fn: unknown, count: CountTokens, funcInit: number): number {
  if (!isObject(fn) || typeof fn['name'] !== 'string') return count(toJson(fn));
  let total = funcInit + count(`${fn['name']}:${withoutPeriod(fn['description'])}`);
  const parameters = fn['parameters'];
  if (!isObject(parameters)) return parameters === undefined ? total : total + count(toJson(parameters));
  const { type: _type, required: _required, properties, ...rest } = parameters;
  if (isObject(properties)) {
    const names = Object.keys(properties);
    if (names.length > 0) total += TOOL.propInit;
    for (const name of names) total += propertyTokens(name, properties[name], count);
  } else if (properties !== undefined) total += count(toJson(properties));
  if (Object.keys(rest).length > 0) total += count(toJson(rest));
  return total;
}

/** `tools` (function entries) or legacy `functions` (`asTools` false), by the cookbook's method. */
function toolsTokens(list: unknown, asTools: boolean, count: CountTokens, encoding?: Encoding): number {
  if (!Array.isArray(list)) return list === undefined ? 0 : count(toJson(list));
  if (list.length === 0) return 0;
  const funcInit = encoding === 'cl100k_base' ? 10 : 7;
  let total = TOOL.funcEnd;
  for (const entry of list) {
    if (!asTools) total += functionTokens(entry, count, funcInit);
    else if (isObject(entry) && entry['type'] === 'function')
      total += functionTokens(entry['function'], count, funcInit);
    else total += count(toJson(entry));
  }
  return total;
}

interface ExampleSize {
  /** The tokens the example is billed for. */
  tokens: number;
  /**
   * Each sequence the model trains on, which is what the per-example limit applies to: the whole
   * example, except for dpo, where the input is trained once with each output.
   */
  sequences: number[];
  /** Images counted at an assumed size, their own not being known here (at a remote URL). */
  assumedImageSizes: number;
}

/**
 * The tokens of one valid example, as billed and as trained. `encoding` picks the framing of tool
 * definitions (see toolsTokens); without it, the gpt-4o models' framing.
 */
export function exampleSize(
  method: MethodType,
  example: Json,
  count: CountTokens,
  encoding?: Encoding,
): ExampleSize {
  const tally: Tally = { assumedImageSizes: 0 };
  if (method === 'dpo') {
    const input = messagesTokens((example['input'] as Json)['messages'], count, tally);
    const preferred = messagesTokens(example['preferred_output'], count, tally);
    const rejected = messagesTokens(example['non_preferred_output'], count, tally);
    // Billed as the input and both outputs: OpenAI does not document whether the input is billed
    // once or once per output, and this is the smaller guess.
    return {
      tokens: input + preferred + rejected,
      sequences: [input + preferred, input + rejected],
      ...tally,
    };
  }
  if (!('messages' in example) && typeof example['prompt'] === 'string') {
    const tokens = count(example['prompt']) + count(String(example['completion'] ?? ''));
    return { tokens, sequences: [tokens], ...tally };
  }
  const tokens =
    messagesTokens(example['messages'], count, tally) +
    toolsTokens(example['tools'], true, count, encoding) +
    toolsTokens(example['functions'], false, count, encoding);
  return { tokens, sequences: [tokens], ...tally };
}

/** The tokens one valid example is billed for. */
export function exampleTokens(
  method: MethodType,
  example: Json,
  count: CountTokens,
  encoding?: Encoding,
): number {
  return exampleSize(method, example, count, encoding).tokens;
}
