import { OPENAI_NEW_JOBS_END } from './retirements.js';

/**
 * What a refused create means on OpenAI now: self-serve fine-tuning is winding down, and the same
 * workflow runs on Azure's v1 API.
 */
export const OPENAI_WIND_DOWN =
  'OpenAI has been restricting new self-serve fine-tuning jobs since 2026-05 and stops accepting ' +
  `them on ${OPENAI_NEW_JOBS_END}, so this account may no longer create them. The same workflow runs on Azure ` +
  'OpenAI: set base-url to https://YOUR-RESOURCE.openai.azure.com/openai/v1 and api-key to its key ' +
  '(see "Moving to Azure OpenAI" in the README)';
