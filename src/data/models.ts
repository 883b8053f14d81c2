import type { MethodType } from '../facts/methods.js';
import type { Provider } from '../facts/providers.js';
import {
  IMAGES_PER_EXAMPLE,
  MODEL_TABLES,
  UNKNOWN_EXAMPLE_TOKENS,
  type Encoding,
  type ModelInfo,
} from '../facts/models.js';

// Looking a model up in the tables of facts/models.ts: what the data check needs to know of it, and
// what to say when the tables do not know it or it does not train with the method.

/**
 * The base model a name stands for: a fine-tuned model trains like its base, whether OpenAI names
 * it (`ft:gpt-4o-mini-...:org::id`) or Azure does (`gpt-4o-mini-2024-07-18.ft-<hex>`).
 */
function baseModel(model: string): string {
  const name = model.startsWith('ft:') ? model.slice(3).split(':')[0] : model;
  return name.replace(/\.ft-[0-9a-f]+(?:-[\w-]*)?$/, '');
}

/** What the check knows of the model to train. */
export interface ModelRules {
  model: string;
  provider: Provider;
  /** The table's row, when the model is in it. */
  info?: ModelInfo;
  encoding: Encoding;
  exampleTokens: number;
  /** Counts are an estimate and the size limit is not enforced: the model is not in the table. */
  approximate: boolean;
  /**
   * How many images one example may hold: 0 for a model that is not fine-tuned on images. A model
   * not in the table gets the provider's limit: its images are the provider's to refuse.
   */
  imagesPerExample: number;
}

/** The row for a name: the snapshot itself, or the alias without a date (`gpt-4o-mini`). */
function findRow(table: readonly ModelInfo[], base: string): ModelInfo | undefined {
  return (
    table.find((row) => row.name === base) ??
    table.find((row) => row.name.startsWith(`${base}-`) && /^-\d/.test(row.name.slice(base.length)))
  );
}

export function modelRules(model: string, provider: Provider): ModelRules {
  const info = findRow(MODEL_TABLES[provider], baseModel(model));
  return {
    model,
    provider,
    ...(info ? { info } : {}),
    // An unknown model is counted as OpenAI's newest encoding counts: the closest guess for the
    // OpenAI family and a fair one for open models, whose tokenizers run at similar rates.
    encoding: info?.encoding ?? 'o200k_base',
    exampleTokens: info?.exampleTokens ?? UNKNOWN_EXAMPLE_TOKENS,
    approximate: info === undefined,
    imagesPerExample: info?.vision === false ? 0 : IMAGES_PER_EXAMPLE[provider],
  };
}

/**
 * Whether the model trains on prompt/completion lines rather than chat messages: the completion
 * models are the same in every table, so no provider is needed to tell.
 */
export function trainsOnCompletions(model: string): boolean {
  return findRow(MODEL_TABLES.openai, baseModel(model))?.completions === true;
}

/** Levenshtein distance; the tables are a dozen short names, so the plain table is enough. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

/** The known names closest to a model's, nearest first, with how far each is. */
function ranked(model: string, provider: Provider, count: number): Array<{ name: string; d: number }> {
  const base = baseModel(model).toLowerCase();
  return MODEL_TABLES[provider]
    .map((row) => ({ name: row.name, d: distance(base, row.name) }))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, count);
}

/** The known names closest to a model's, nearest first, for a "did you mean" hint. */
export function nearestModels(model: string, provider: Provider, count = 3): string[] {
  return ranked(model, provider, count).map((row) => row.name);
}

/**
 * What to tell the user about a model the table does not know, or undefined when it is known. On
 * OpenAI and Azure an unknown name is most likely a typo or a model too new for this table; at a
 * compatible provider most models are open ones, and only a name close to a known one is pointed
 * to it.
 */
export function unknownModelMessage(rules: ModelRules): string | undefined {
  if (!rules.approximate) return undefined;
  const nearby = ranked(rules.model, rules.provider, 3);
  const nearest = nearby.map((row) => row.name);
  const close = nearby.filter(({ name, d }) => d <= Math.max(3, name.length / 4)).map((row) => row.name);
  const counted = `token counts are approximate (counted as OpenAI's ${rules.encoding} counts) and an example over ${rules.exampleTokens.toLocaleString('en-US')} tokens is a warning, not an error`;
  if (rules.provider === 'compatible') {
    const hint = close.length > 0 ? ` If you meant one of OpenAI's: ${close.join(', ')}.` : '';
    return `${rules.model} is not one of OpenAI's models this action knows, so ${counted}.${hint}`;
  }
  return `${rules.model} is not a model ${rules.provider === 'azure' ? 'Azure OpenAI' : 'OpenAI'} fine-tunes, as far as this action knows; the nearest known: ${nearest.join(', ')}. Its ${counted}.`;
}

/**
 * Why the model cannot be trained with the method (or on images), or undefined when it can or is
 * not known. Only the table's own rows are judged: an unknown model is the provider's to refuse.
 */
export function methodProblem(rules: ModelRules, method: MethodType): string | undefined {
  const info = rules.info;
  if (!info || info.methods.includes(method)) return undefined;
  const takers = MODEL_TABLES[rules.provider]
    .filter((row) => row.methods.includes(method))
    .map((row) => row.name);
  const where = rules.provider === 'azure' ? 'on Azure OpenAI' : 'on OpenAI';
  return `${method} is not available for ${info.name} ${where} (it trains with ${info.methods.join(', ')}); ${method} trains ${takers.length > 0 ? takers.join(', ') : 'no model this action knows'} (${info.source.split('; ')[0]})`;
}
