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
export function baseModel(model: string): string {
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

/**
 * Edit distance counting a swap of two neighbouring letters as one edit (optimal string alignment),
 * the commonest typo; the tables are a dozen short names, so the plain table is enough.
 */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/** A snapshot's name without its date: `gpt-4o-mini-2024-07-18` and `gpt-4-0613` become `gpt-4o-mini`, `gpt-4`. */
const withoutDate = (name: string) => name.replace(/-\d{4}(?:-\d{2}-\d{2})?$/, '');
/** A family's version, which no typo changes: `gpt-5-mini` is another model than `gpt-4o-mini`. */
const version = (name: string) => name.replace(/\D/g, '').replace(/^0+/, '');

/**
 * The known names a model's name is most likely a misspelling of, nearest first: within a couple of
 * edits of a snapshot's full name (a date mistyped), or of its name without the date when the
 * version is the same (`gpt-4o-mnii`, `gpt-35-turbo` on OpenAI). Empty when no name is that close.
 */
export function nearestModels(model: string, provider: Provider, count = 3): string[] {
  const given = baseModel(model).toLowerCase();
  const alias = withoutDate(given);
  // A few edits in a short name make another name, not a typo.
  const near = Math.max(1, Math.floor(alias.length / 5));
  return MODEL_TABLES[provider]
    .map((row, order) => {
      const spelled = distance(given, row.name);
      const family = withoutDate(row.name);
      const aliased = version(family) === version(alias) ? distance(alias, family) : Infinity;
      return {
        name: row.name,
        order,
        d: Math.min(spelled <= 2 ? spelled : Infinity, aliased <= near ? aliased : Infinity),
      };
    })
    .filter((row) => row.d !== Infinity)
    .sort((a, b) => a.d - b.d || a.order - b.order)
    .slice(0, count)
    .map((row) => row.name);
}

/**
 * What to tell the user about a model the table does not know, or undefined when it is known. On
 * OpenAI and Azure an unknown name is most likely a typo or a model too new for this table: the
 * names it is likely a misspelling of, else every model the provider fine-tunes. At a compatible
 * provider most models are open ones, and only a name close to one of OpenAI's is pointed to it.
 */
export function unknownModelMessage(rules: ModelRules): string | undefined {
  if (!rules.approximate) return undefined;
  const nearest = nearestModels(rules.model, rules.provider);
  const counted = `token counts are approximate (counted as OpenAI's ${rules.encoding} counts) and an example over ${rules.exampleTokens.toLocaleString('en-US')} tokens is a warning, not an error`;
  if (rules.provider === 'compatible') {
    const hint = nearest.length > 0 ? ` If you meant one of OpenAI's: ${nearest.join(', ')}.` : '';
    return `${rules.model} is not one of OpenAI's models this action knows, so ${counted}.${hint}`;
  }
  const who = rules.provider === 'azure' ? 'Azure OpenAI' : 'OpenAI';
  const instead =
    nearest.length > 0
      ? `did you mean ${nearest.length === 1 ? nearest[0] : `one of ${nearest.join(', ')}`}?`
      : `${who} fine-tunes ${MODEL_TABLES[rules.provider].map((row) => row.name).join(', ')}.`;
  return `${rules.model} is not a model ${who} fine-tunes, as far as this action knows; ${instead} Its ${counted}.`;
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
