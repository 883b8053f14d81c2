import type { Provider } from './providers.js';

// What training costs, per provider and model, in US dollars. Supervised and DPO jobs are billed per
// training token (tokens x epochs); reinforcement jobs by the hour of training, which no count of
// the data can foresee. Prices change: the `price-per-million-tokens` input overrides this table.

export type Price = { perMillionTokens: number } | { perHour: number };

/** When the table was last compared with its sources. */
export const PRICES_CHECKED = '2026-12-01';

export const OPENAI_PRICING = 'https://openai.com/api/pricing/ (fine-tuning, training)';
export const OPENAI_RFT_BILLING =
  'https://help.openai.com/en/articles/11323177-billing-guide-for-the-reinforcement-fine-tuning-api';
export const AZURE_RFT_BILLING =
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

/** Each provider's training prices by the model's snapshot name; a compatible provider's are unknown. */
export const PRICE_TABLES: Record<Provider, Record<string, Price>> = {
  openai: OPENAI,
  azure: AZURE,
  compatible: {},
};
