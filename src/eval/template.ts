// OpenAI's grader templates: `{{ sample.output_text }}` and `{{ item.<field> }}`, nested fields
// by dots (`item.meta.topic`) or indices (`item.tags[0]`), as OpenAI's graders guide describes.

const VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;

export type Item = Record<string, unknown>;

interface Variable {
  /** As written between the braces, trimmed: `item.meta.topic`. */
  text: string;
  namespace: 'item' | 'sample';
  path: string[];
}

function parseVariable(text: string): Variable {
  const match = /^(item|sample)((?:\.[^.[\]\s]+|\[\d+\])+)$/.exec(text);
  if (!match) throw new Error(`the template {{${text}}} must name item.<field> or sample.output_text`);
  const path = [...match[2].matchAll(/\.([^.[\]\s]+)|\[(\d+)\]/g)].map((part) => part[1] ?? part[2]);
  const variable = { text, namespace: match[1] as Variable['namespace'], path };
  // Answers are text: output_json and output_tools, which OpenAI fills from structured outputs and
  // tool calls, have nothing to hold here.
  if (variable.namespace === 'sample' && (path.length !== 1 || path[0] !== 'output_text'))
    throw new Error(`the template {{${text}}} is not supported: the answer is sample.output_text`);
  return variable;
}

/** The variables a template names; throws on one that is not item.<field> or sample.output_text. */
export function templateVariables(template: string): Variable[] {
  return [...template.matchAll(VARIABLE)].map((match) => parseVariable(match[1]));
}

/** The value a variable names in an item, or undefined when the item has none. */
export function lookup(item: Item, path: string[]): unknown {
  let value: unknown = item;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The template with each variable replaced; a value that is not text is written as JSON. */
export function render(template: string, item: Item, outputText: string): string {
  return template.replace(VARIABLE, (_, text: string) => {
    const variable = parseVariable(text);
    if (variable.namespace === 'sample') return outputText;
    const value = lookup(item, variable.path);
    if (value === undefined || value === null) throw new Error(`the item has no value for {{${text}}}`);
    return asText(value);
  });
}
