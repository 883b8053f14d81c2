// What asking a model costs, in US dollars per million tokens, for the evaluation's estimate: the
// prompts it sends (input) and the answers it gets (output). A fine-tuned model is billed at its own
// rate, above its base model's. Providers change prices and publish them on pages this table
// cannot follow: a model missing here leaves the estimate in tokens, without dollars, and says so.
//
// A leaf module: it imports nothing of the action's.

/**
 * When the figures were last checked. OpenAI's pricing page cannot be read from where this table is
 * kept: the base rates agree with copies of the page published by others in 2026, and the
 * fine-tuned rates are OpenAI's published ones as known here, not confirmed again (docs/evaluation.md).
 */
export const INFERENCE_PRICES_READ = '2026-12-05';

export const INFERENCE_PRICES_SOURCE =
  'https://openai.com/api/pricing/ (text tokens, standard tier; fine-tuning: inference)';

interface InferencePrice {
  inputPerMillion: number;
  outputPerMillion: number;
}

interface Row {
  base: InferencePrice;
  /** What a model fine-tuned from this one costs to ask. */
  fineTuned: InferencePrice;
}

const price = (inputPerMillion: number, outputPerMillion: number): InferencePrice => ({
  inputPerMillion,
  outputPerMillion,
});

/**
 * OpenAI's API, by snapshot. Azure prices per region and deployment type, and a compatible
 * provider by its own list: neither is built in.
 */
const OPENAI: Record<string, Row> = {
  'gpt-4.1-2025-04-14': { base: price(2, 8), fineTuned: price(3, 12) },
  'gpt-4.1-mini-2025-04-14': { base: price(0.4, 1.6), fineTuned: price(0.8, 3.2) },
  'gpt-4.1-nano-2025-04-14': { base: price(0.1, 0.4), fineTuned: price(0.2, 0.8) },
  'gpt-4o-2024-08-06': { base: price(2.5, 10), fineTuned: price(3.75, 15) },
  'gpt-4o-mini-2024-07-18': { base: price(0.15, 0.6), fineTuned: price(0.3, 1.2) },
  'gpt-3.5-turbo-0125': { base: price(0.5, 1.5), fineTuned: price(3, 6) },
  'o4-mini-2025-04-16': { base: price(1.1, 4.4), fineTuned: price(4, 16) },
};

/**
 * The price of asking a model on a provider: `snapshot` is the base model's snapshot (the model
 * table resolves aliases and fine-tuned names to it); `fineTuned` whether the model asked is a
 * fine-tuned one. Undefined when the table has no figure.
 */
export function inferencePrice(
  provider: string,
  snapshot: string | undefined,
  fineTuned: boolean,
): InferencePrice | undefined {
  if (provider !== 'openai' || snapshot === undefined || !Object.hasOwn(OPENAI, snapshot)) return undefined;
  const row = OPENAI[snapshot];
  return fineTuned ? row.fineTuned : row.base;
}
