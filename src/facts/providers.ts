// The providers the action talks to. What each does differently lives in api/provider.ts; the
// names are here because the model and price tables are kept per provider.

export const PROVIDERS = ['openai', 'azure', 'compatible'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** The host suffixes of Azure OpenAI and Microsoft Foundry resources. */
export const AZURE_HOSTS = ['.openai.azure.com', '.services.ai.azure.com', '.cognitiveservices.azure.com'];
