import type { ModelRules } from './models.js';
import {
  AZURE_RFT_BILLING,
  OPENAI_PRICING,
  OPENAI_RFT_BILLING,
  PRICE_TABLES,
  PRICES_CHECKED,
  type Price,
} from '../facts/prices.js';

// A model's training price from the table in facts/prices.ts, or the input's, and what it comes to.

export interface KnownPrice {
  price: Price;
  source: string;
}

/** The built-in price of the model's training, or undefined when the table has none. */
export function builtInPrice(rules: ModelRules): KnownPrice | undefined {
  const name = rules.info?.name;
  if (!name) return undefined;
  const table = PRICE_TABLES[rules.provider];
  const price = Object.hasOwn(table, name) ? table[name] : undefined;
  if (!price) return undefined;
  const source =
    'perHour' in price
      ? rules.provider === 'azure'
        ? AZURE_RFT_BILLING
        : OPENAI_RFT_BILLING
      : OPENAI_PRICING;
  return { price, source: `${source}, checked ${PRICES_CHECKED}` };
}

/** The price to estimate with: the `price-per-million-tokens` input when given, else the table's. */
export function trainingPrice(rules: ModelRules, perMillionTokens?: number): KnownPrice | undefined {
  if (perMillionTokens !== undefined) {
    return { price: { perMillionTokens }, source: 'the price-per-million-tokens input' };
  }
  return builtInPrice(rules);
}

/**
 * Why a token price or a ceiling on the estimate does not apply to reinforcement, which is billed
 * by the hour of training: the step refuses them rather than a ceiling that could never hold.
 */
export function billedByTheHourMessage(rules: ModelRules): string {
  const known = builtInPrice(rules);
  const rate =
    known && 'perHour' in known.price
      ? ` (${dollars(known.price.perHour)} per hour for ${rules.info!.name})`
      : '';
  return `does not apply to method reinforcement, which is billed by the hour of training${rate}, not by the token: no count of the data can bound it`;
}

/** Dollars, rounded to cents, for billed tokens at a price per million. */
export function tokenCost(billedTokens: number, perMillionTokens: number): number {
  return Math.round((billedTokens * perMillionTokens) / 10_000) / 100;
}

export const dollars = (amount: number): string =>
  `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
