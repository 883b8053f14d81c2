import type { Provider } from '../api/provider.js';
import type { ModelRules } from './models.js';

// What training costs, per provider and model, in US dollars. Supervised and DPO jobs are billed per
// training token (tokens x epochs); reinforcement jobs by the hour of training, which no count of
// the data can foresee. Prices change: the `price-per-million-tokens` input overrides this table.

export type Price = { perMillionTokens: number } | { perHour: number };

export interface KnownPrice {
  price: Price;
  source: string;
}

/** When the table was last compared with its sources. */
export const PRICES_CHECKED = '2026-12-01';

const OPENAI_PRICING = 'https://openai.com/api/pricing/ (fine-tuning, training)';
const OPENAI_RFT_BILLING =
  'https://help.openai.com/en/articles/11323177-billing-guide-for-the-reinforcement-fine-tuning-api';
const AZURE_RFT_BILLING =
  'https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning-cost-management';

// DPO is billed per training token at the model's training price, as supervised jobs are.
const OPENAI: Record<string, Price> = {
  'gpt-4.1-2025-04-14': { perMillionTokens: 25 },
  'gpt-4.1-mini-2025-04-14': { perMillionTokens: 5 },
  'gpt-4.1-nano-2025-04-14': { perMillionTokens: 1.5 },
  'gpt-4o-2024-08-06': { perMillionTokens: 25 },
  'gpt-4o-mini-2024-07-18': { perMillionTokens: 3 },
  'gpt-3.5-turbo-0125': { perMillionTokens: 8 },
  'gpt-3.5-turbo-1106': { perMillionTokens: 8 },
  'gpt-3.5-turbo-0613': { perMillionTokens: 8 },
  'davinci-002': { perMillionTokens: 6 },
  'babbage-002': { perMillionTokens: 0.4 },
  'o4-mini-2025-04-16': { perHour: 100 },
};

/**
 * Azure prices its training tokens per region and training tier on a page this table cannot
 * follow (Microsoft's own guide calls its token figures examples), so only the hourly rate of
 * reinforcement, which Microsoft's cost guide states, is built in; set price-per-million-tokens
 * for a dollar estimate of other jobs there.
 */
const AZURE: Record<string, Price> = {
  'o4-mini-2025-04-16': { perHour: 100 },
};

/** The built-in price of the model's training, or undefined when the table has none. */
export function builtInPrice(rules: ModelRules): KnownPrice | undefined {
  const name = rules.info?.name;
  if (!name) return undefined;
  const table: Record<Provider, Record<string, Price>> = { openai: OPENAI, azure: AZURE, compatible: {} };
  const price = Object.hasOwn(table[rules.provider], name) ? table[rules.provider][name] : undefined;
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
export function notByTheToken(rules: ModelRules): string {
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
