// Which fine-tuning API the action talks to, and what that one does differently. Decided once from
// the inputs; the job client and the upload read these traits, so no mode asks which provider it is.

import { AZURE_HOSTS, type Provider } from '../facts/providers.js';

export { PROVIDERS, type Provider } from '../facts/providers.js';

/** `provider: auto`: by the base URL's host, as the interface lays down. */
export function providerOf(baseURL: string): Provider {
  const host = new URL(baseURL).hostname.toLowerCase();
  if (host === 'api.openai.com') return 'openai';
  if (AZURE_HOSTS.some((suffix) => host.endsWith(suffix))) return 'azure';
  return 'compatible';
}

export interface ProviderTraits {
  /** How the key is sent: OpenAI's Bearer token, or Azure's `api-key` header. */
  keyHeader: 'bearer' | 'api-key';
  /** Whether the OpenAI-Organization and OpenAI-Project headers mean anything there. */
  organizations: boolean;
  /** Whether the Uploads API (files sent in parts) is served; without it one `POST /files` takes all. */
  uploadsApi: boolean;
  /** The largest file one `POST /files` takes. */
  maxFileBytes: number;
  /**
   * Whether a hyperparameter the action does not know is a mistake (OpenAI's and Azure's sets are
   * documented) or the provider's own setting, such as a LoRA rank, passed through as given.
   */
  ownHyperparameters: boolean;
  /**
   * Whether a file uploaded for fine-tuning can be downloaded again (`GET /files/{id}/content`).
   * OpenAI refuses: `400 Not allowed to download files of purpose: fine-tune`.
   */
  trainingFileDownloads: boolean;
}

const MB = 1024 * 1024;

export const TRAITS: Record<Provider, ProviderTraits> = {
  openai: {
    keyHeader: 'bearer',
    organizations: true,
    uploadsApi: true,
    maxFileBytes: 512 * MB,
    ownHyperparameters: false,
    trainingFileDownloads: false,
  },
  // Microsoft's v1 spec has no /uploads path and takes the key in an `api-key` header.
  azure: {
    keyHeader: 'api-key',
    organizations: false,
    uploadsApi: false,
    maxFileBytes: 512 * MB,
    ownHyperparameters: false,
    // Microsoft's v1 spec has the file-content operation; tried only after the history, as a fallback.
    trainingFileDownloads: true,
  },
  // Gateways and open-model hosts vary; only what every one of them serves is assumed.
  compatible: {
    keyHeader: 'bearer',
    organizations: true,
    uploadsApi: false,
    maxFileBytes: 512 * MB,
    ownHyperparameters: true,
    // Tried as a fallback only: a gateway in front of OpenAI refuses as OpenAI does.
    trainingFileDownloads: true,
  },
};
