import type { MethodType } from '../facts/methods.js';
import { code } from '../github/markdown.js';
import { checkImagePart } from './images.js';
import { trainsOnCompletions } from './models.js';
import { toJson } from './tokens.js';

// What the API accepts in one line of a fine-tuning file, per method. Each check returns the
// problems it finds (errors: the API would reject the example; warnings: legal, likely a mistake)
// and the text the example trains on, for token counting.

interface ExampleCheck {
  errors: string[];
  warnings: string[];
  messages: number;
  /** Image parts in user messages. */
  images: number;
}

type Json = Record<string, unknown>;
const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);
// Legacy function calling, deprecated for tools but still accepted by the API. Left out of the
// roles an error lists, so that a message with a wrong role is pointed to the current ones.
const LEGACY_ROLES = new Set(['function']);
const PART_TYPES = new Set(['text', 'image_url']);

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** `images` collects the path of each image part of a user message, for the per-example checks. */
function checkContent(message: Json, at: string, errors: string[], images: string[]): void {
  const content = message['content'];
  if (typeof content === 'string') return;
  const role = message['role'];
  if (content === null || content === undefined) {
    // Only an assistant message that calls a tool or function may leave its content out; a
    // function message's content is required but may be null.
    if (role === 'assistant' && (Array.isArray(message['tool_calls']) || isObject(message['function_call'])))
      return;
    if (role === 'function' && content === null) return;
    errors.push(`${at}.content is missing`);
    return;
  }
  if (role === 'function') {
    errors.push(`${at}.content must be a string or null, not ${kind(content)}`);
    return;
  }
  if (!Array.isArray(content)) {
    errors.push(`${at}.content must be a string or a list of parts, not ${kind(content)}`);
    return;
  }
  content.forEach((part, i) => {
    // A refusal is something only the assistant says.
    if (role === 'assistant' && isObject(part) && part['type'] === 'refusal') {
      if (typeof part['refusal'] !== 'string') errors.push(`${at}.content[${i}].refusal must be a string`);
    } else if (!isObject(part) || typeof part['type'] !== 'string' || !PART_TYPES.has(part['type'])) {
      errors.push(
        `${at}.content[${i}] must be a part of type ${role === 'assistant' ? 'text, image_url or refusal' : 'text or image_url'}`,
      );
    } else if (part['type'] === 'text' && typeof part['text'] !== 'string') {
      errors.push(`${at}.content[${i}].text must be a string`);
    } else if (part['type'] === 'image_url' && role !== 'user') {
      errors.push(`${at}.content[${i}] is an image, which only a user message may hold`);
    } else if (part['type'] === 'image_url') {
      images.push(`${at}.content[${i}]`);
      checkImagePart(part, `${at}.content[${i}]`, errors);
    }
  });
}

function checkToolCalls(message: Json, at: string, errors: string[]): void {
  const calls = message['tool_calls'];
  if (calls === undefined) return;
  if (message['role'] !== 'assistant') errors.push(`${at}.tool_calls is allowed on assistant messages only`);
  if (!Array.isArray(calls) || calls.length === 0) {
    errors.push(`${at}.tool_calls must be a non-empty list`);
    return;
  }
  calls.forEach((call, i) => {
    const fn = isObject(call) ? call['function'] : undefined;
    if (
      !isObject(call) ||
      typeof call['id'] !== 'string' ||
      !isObject(fn) ||
      typeof fn['name'] !== 'string'
    ) {
      errors.push(`${at}.tool_calls[${i}] needs an id and a function with a name`);
    } else if (typeof fn['arguments'] !== 'string') {
      errors.push(`${at}.tool_calls[${i}].function.arguments must be a JSON string`);
    }
  });
}

function checkFunctionCall(message: Json, at: string, errors: string[]): void {
  const call = message['function_call'];
  if (call === undefined) return;
  if (message['role'] !== 'assistant')
    errors.push(`${at}.function_call is allowed on assistant messages only`);
  if (!isObject(call) || typeof call['name'] !== 'string') {
    errors.push(`${at}.function_call needs a name`);
  } else if (typeof call['arguments'] !== 'string') {
    errors.push(`${at}.function_call.arguments must be a JSON string`);
  }
}

/** Checks a list of chat messages; returns how many assistant messages carry weight. */
function checkMessages(value: unknown, at: string, errors: string[], images: string[]): number {
  if (!Array.isArray(value) || value.length === 0) {
    errors.push(`${at} must be a non-empty list of messages`);
    return 0;
  }
  let learned = 0;
  value.forEach((message, i) => {
    const here = `${at}[${i}]`;
    if (!isObject(message)) {
      errors.push(`${here} must be an object, not ${kind(message)}`);
      return;
    }
    const role = message['role'];
    if (typeof role !== 'string' || !(ROLES.has(role) || LEGACY_ROLES.has(role))) {
      errors.push(`${here}.role must be one of ${[...ROLES].join(', ')}, not ${code(toJson(role ?? null))}`);
      return;
    }
    checkContent(message, here, errors, images);
    checkToolCalls(message, here, errors);
    checkFunctionCall(message, here, errors);
    if (role === 'function' && typeof message['name'] !== 'string') {
      errors.push(`${here} (a function message) needs the name of the function`);
    }
    if (role === 'tool' && typeof message['tool_call_id'] !== 'string') {
      errors.push(`${here} (a tool message) needs a tool_call_id`);
    }
    const weight = message['weight'];
    if (weight !== undefined) {
      if (role !== 'assistant') errors.push(`${here}.weight is allowed on assistant messages only`);
      else if (weight !== 0 && weight !== 1) errors.push(`${here}.weight must be 0 or 1`);
    }
    if (role === 'assistant' && weight !== 0) learned += 1;
  });
  return learned;
}

function checkSupervised(example: Json, errors: string[], warnings: string[], images: string[]): number {
  const messages = example['messages'];
  const learned = checkMessages(messages, 'messages', errors, images);
  if (Array.isArray(messages) && messages.length > 0 && errors.length === 0) {
    if (learned === 0)
      errors.push('has no assistant message to learn from (all are missing or have weight 0)');
    if (!messages.some((m) => isObject(m) && (m['role'] === 'system' || m['role'] === 'developer'))) {
      warnings.push('has no system message');
    }
  }
  if (example['tools'] !== undefined && !Array.isArray(example['tools'])) errors.push('tools must be a list');
  if (example['functions'] !== undefined && !Array.isArray(example['functions']))
    errors.push('functions must be a list');
  const parallel = example['parallel_tool_calls'];
  if (parallel !== undefined && typeof parallel !== 'boolean')
    errors.push('parallel_tool_calls must be true or false');
  return Array.isArray(messages) ? messages.length : 0;
}

const isCompletionLine = (example: Json) =>
  !('messages' in example) && ('prompt' in example || 'completion' in example);

/** The legacy format of the completion models: one prompt and the completion to learn. */
function checkCompletion(example: Json, model: string, errors: string[]): number {
  if ('messages' in example) {
    errors.push(
      `is chat data (messages), but ${model} trains on prompt/completion lines: {"prompt": "...", "completion": "..."}`,
    );
    return 0;
  }
  if (typeof example['prompt'] !== 'string') errors.push('prompt must be a string');
  if (typeof example['completion'] !== 'string') errors.push('completion must be a string');
  return 0;
}

function checkOutput(value: unknown, at: string, errors: string[], images: string[]): void {
  if (
    !Array.isArray(value) ||
    value.length !== 1 ||
    !isObject(value[0]) ||
    value[0]['role'] !== 'assistant'
  ) {
    errors.push(`${at} must be a list holding one assistant message`);
    return;
  }
  checkContent(value[0], `${at}[0]`, errors, images);
}

function checkDpo(example: Json, errors: string[], images: string[]): number {
  const input = example['input'];
  if (!isObject(input)) {
    errors.push('input must be an object with messages');
    return 0;
  }
  checkMessages(input['messages'], 'input.messages', errors, images);
  checkOutput(example['preferred_output'], 'preferred_output', errors, images);
  checkOutput(example['non_preferred_output'], 'non_preferred_output', errors, images);
  if (
    errors.length === 0 &&
    toJson(example['preferred_output']) === toJson(example['non_preferred_output'])
  ) {
    errors.push('preferred_output and non_preferred_output are the same');
  }
  const messages = input['messages'];
  return (Array.isArray(messages) ? messages.length : 0) + 2;
}

function checkReinforcement(
  example: Json,
  errors: string[],
  images: string[],
  graderFields: readonly string[],
): number {
  const messages = example['messages'];
  checkMessages(messages, 'messages', errors, images);
  if (
    Array.isArray(messages) &&
    isObject(messages.at(-1)) &&
    (messages.at(-1) as Json)['role'] === 'assistant'
  ) {
    errors.push('the last message must not be an assistant message: the model writes the answer');
  }
  const missing = graderFields.filter((field) => !(field in example));
  if (missing.length > 0)
    errors.push(
      `lacks ${missing.map((f) => code(f)).join(', ')}, which the grader refers to as ${code(`item.${missing[0]}`)}`,
    );
  return Array.isArray(messages) ? messages.length : 0;
}

/**
 * `model` picks the supervised format: prompt/completion for the completion models, chat for the
 * rest (and when no model is given). `imagesPerExample`: how many images an example may hold, 0
 * when the model is not fine-tuned on images.
 */
export function checkExample(
  method: MethodType,
  value: unknown,
  graderFields: readonly string[],
  model?: string,
  imagesPerExample = 10,
): ExampleCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  const images: string[] = [];
  if (!isObject(value))
    return { errors: [`is ${kind(value)}, not a JSON object`], warnings, messages: 0, images: 0 };
  let messages: number;
  if (method === 'supervised' && model !== undefined && trainsOnCompletions(model))
    messages = checkCompletion(value, model, errors);
  else if (method === 'supervised' && isCompletionLine(value)) {
    errors.push(
      `is prompt/completion data, which only babbage-002 and davinci-002 train on; ${model ?? 'a chat model'} needs chat messages`,
    );
    messages = 0;
  } else if (method === 'supervised') messages = checkSupervised(value, errors, warnings, images);
  else if (method === 'dpo') messages = checkDpo(value, errors, images);
  else messages = checkReinforcement(value, errors, images, graderFields);
  if (images.length > 0 && imagesPerExample === 0)
    errors.push(`${images[0]} is an image, but ${model ?? 'this model'} cannot be fine-tuned on images`);
  else if (images.length > imagesPerExample)
    errors.push(`holds ${images.length} images; an example may hold at most ${imagesPerExample}`);
  return { errors, warnings, messages, images: images.length };
}

/** The `item.<field>` names a grader's templates refer to, which every example must then hold. */
export function graderFields(grader: unknown): string[] {
  const text = JSON.stringify(grader ?? null);
  return [...new Set([...text.matchAll(/\{\{\s*item\.([A-Za-z0-9_]+)/g)].map((m) => m[1]))];
}
