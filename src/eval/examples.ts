import { createInterface } from 'node:readline';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { graderTemplates, type Grader } from './graders.js';
import { lookup, templateVariables, type Item } from './template.js';

/** One held-out example of the eval file. */
export interface EvalExample {
  /** Its line in the file, from 1. */
  line: number;
  /** The messages the models answer: the line's messages before its final assistant message. */
  prompt: ChatCompletionMessageParam[];
  /** The final assistant message's text, when the line ends with one: `{{item.reference}}`. */
  reference?: string;
  /** What `{{item.<field>}}` reads: the line's own fields, and `reference`. */
  item: Item;
}

type Json = Record<string, unknown>;
const isMapping = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A message's text: its string content, or its text parts joined. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (isMapping(part) && typeof part['text'] === 'string' ? part['text'] : ''))
    .join('');
}

/** The item fields the graders read, each once, as paths. */
function itemFields(graders: readonly Grader[]): Array<{ text: string; path: string[] }> {
  const fields = new Map<string, string[]>();
  for (const template of graders.flatMap(graderTemplates))
    for (const variable of templateVariables(template))
      if (variable.namespace === 'item') fields.set(variable.text, variable.path);
  return [...fields].map(([text, path]) => ({ text, path }));
}

/** One line read into an example; throws, without the line number, when it cannot be one. */
function parseExample(text: string, line: number, fields: ReturnType<typeof itemFields>): EvalExample {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('is not valid JSON');
  }
  if (!isMapping(value)) throw new Error('must be a JSON object with messages');
  const messages = value['messages'];
  if (!Array.isArray(messages) || messages.length === 0 || !messages.every(isMapping))
    throw new Error('must have messages: a non-empty list of message objects');
  const last = messages.at(-1)!;
  const answered = last['role'] === 'assistant';
  const prompt = (answered ? messages.slice(0, -1) : messages) as unknown as ChatCompletionMessageParam[];
  if (prompt.length === 0) throw new Error('has no prompt: only an assistant message');
  const reference = answered ? contentText(last['content']) : undefined;
  const item: Item = reference === undefined ? { ...value } : { ...value, reference };
  for (const field of fields) {
    if (lookup(item, field.path) !== undefined) continue;
    if (field.path.length === 1 && field.path[0] === 'reference')
      throw new Error(
        'has no final assistant message, whose text is the reference answer ({{item.reference}})',
      );
    throw new Error(`has no ${field.path.join('.')}, which the graders read ({{${field.text}}})`);
  }
  return { line, prompt, reference, item };
}

/**
 * The examples of an eval file, one JSONL line at a time (blank lines skipped), so memory does not
 * grow with the file. Every line is checked against what the graders read; a bad line throws an
 * Error naming its line number.
 */
export async function* readExamples(
  input: NodeJS.ReadableStream,
  graders: readonly Grader[],
): AsyncGenerator<EvalExample> {
  const fields = itemFields(graders);
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    line += 1;
    if (text.trim() === '') continue;
    let example: EvalExample;
    try {
      example = parseExample(text, line, fields);
    } catch (error) {
      throw new Error(`line ${line} ${(error as Error).message}`);
    }
    yield example;
  }
}
