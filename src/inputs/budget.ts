import { billedByTheHourMessage, trainingPrice, type KnownPrice } from '../data/prices.js';
import type { ModelRules } from '../data/models.js';
import type { DataSource } from '../data/source.js';
import { InputError } from '../facts/input-error.js';
import type { MethodType } from '../facts/methods.js';
import { amount, integer } from './read.js';

// What the run may spend: the training price for the estimate, and the ceilings on the estimate.

/** What the ceilings are judged against. */
export interface Counted {
  method: MethodType;
  training: DataSource;
  validate: boolean;
  rules: ModelRules;
}

/**
 * The estimate comes from counting the local data, so a ceiling on it needs data that is counted;
 * every way of not counting it is an error rather than a ceiling that silently never applies.
 */
function checkCounted(
  name: 'max-billed-tokens' | 'max-cost',
  { method, training, validate, rules }: Counted,
): void {
  if (method === 'reinforcement') throw new InputError(name, billedByTheHourMessage(rules));
  if (!validate) throw new InputError(name, 'needs validate: true, since the estimate comes from the check');
  if (training.kind !== 'path') {
    throw new InputError(name, 'needs training-file to be a local JSONL file, whose tokens can be counted');
  }
}

export function readMaxBilledTokens(counted: Counted): number | undefined {
  const limit = integer('max-billed-tokens', 1, Infinity);
  if (limit !== undefined) checkCounted('max-billed-tokens', counted);
  return limit;
}

/** The input's price when given, else the built-in table's. */
export function readPrice(method: MethodType, rules: ModelRules): KnownPrice | undefined {
  const perMillion = amount('price-per-million-tokens');
  if (perMillion === undefined) return trainingPrice(rules);
  if (method === 'reinforcement')
    throw new InputError('price-per-million-tokens', billedByTheHourMessage(rules));
  return trainingPrice(rules, perMillion);
}

export function readMaxCost(counted: Counted, price: KnownPrice | undefined): number | undefined {
  const limit = amount('max-cost');
  if (limit === undefined) return undefined;
  checkCounted('max-cost', counted);
  if (!price) {
    throw new InputError(
      'max-cost',
      `needs a training price, and none is built in for ${counted.rules.model} on provider ${counted.rules.provider}: set price-per-million-tokens`,
    );
  }
  return limit;
}
