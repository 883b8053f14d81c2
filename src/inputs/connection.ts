import type { Connection } from '../api/client.js';
import { providerOf, TRAITS, type Provider } from '../api/provider.js';
import { DEFAULT_AUDIENCE, type Keyless } from '../api/sign-in.js';
import { InputError } from '../facts/input-error.js';
import { protectSecret } from '../github/secrets.js';
import { choice, text, url } from './read.js';

// Where the API is and how to sign in to it: the key, or a keyless sign-in with the OIDC token.

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** Where the API is, and which provider that makes it. */
interface Endpoint {
  baseURL: string;
  provider: Provider;
}

export function readEndpoint(env: NodeJS.ProcessEnv): Endpoint {
  const baseURL = url('base-url', env.OPENAI_BASE_URL || DEFAULT_BASE_URL);
  const named = choice('provider');
  return { baseURL, provider: named === 'auto' || !named ? providerOf(baseURL) : named };
}

export function readConnection(env: NodeJS.ProcessEnv): Connection;
export function readConnection(
  env: NodeJS.ProcessEnv,
  endpoint: Endpoint,
  optional: true,
): Connection | undefined;
/** `optional`: no credentials at all is no connection, not an error (a plan on a fork's pull request). */
export function readConnection(
  env: NodeJS.ProcessEnv,
  endpoint?: Endpoint,
  optional = false,
): Connection | undefined {
  const givenKey = text('api-key');
  // Masked before anything else can log: every later log line, output and error passes the mask.
  if (givenKey) protectSecret(givenKey);
  const { baseURL, provider } = endpoint ?? readEndpoint(env);
  const organization = text('organization') || null;
  const project = text('project') || null;
  if (!TRAITS[provider].organizations) {
    if (organization) throw new InputError('organization', `applies to OpenAI, not provider ${provider}`);
    if (project) throw new InputError('project', `applies to OpenAI, not provider ${provider}`);
  }
  const keyless = readKeyless(provider);
  if (keyless && givenKey) {
    throw new InputError('api-key', 'is set beside a keyless sign-in: give one or the other');
  }
  if (keyless) return { apiKey: '', keyless, baseURL, provider, organization, project };
  const apiKey = givenKey || (env.OPENAI_API_KEY ?? '').trim();
  if (apiKey === '' && optional) return undefined;
  if (apiKey === '') {
    throw new InputError(
      'api-key',
      'is required: pass a secret, set OPENAI_API_KEY, or sign in without a key (azure-client-id and azure-tenant-id, or workload-identity-provider-id and workload-service-account-id)',
    );
  }
  // A key from the environment is masked here; one given as the input already was, first thing.
  if (!givenKey) protectSecret(apiKey);
  return { apiKey, baseURL, provider, organization, project };
}

type PairedInput =
  'workload-identity-provider-id' | 'workload-service-account-id' | 'azure-client-id' | 'azure-tenant-id';

/** Two inputs given together or not at all. */
function pair(first: PairedInput, second: PairedInput): [string, string] | undefined {
  const [a, b] = [text(first), text(second)];
  if (!a && !b) return undefined;
  if (!a) throw new InputError(first, `is required with ${second}`);
  if (!b) throw new InputError(second, `is required with ${first}`);
  return [a, b];
}

/** A sign-in with the workflow's OIDC token instead of a key, when its inputs are given. */
function readKeyless(provider: Provider): Keyless | undefined {
  const openai = pair('workload-identity-provider-id', 'workload-service-account-id');
  const azure = pair('azure-client-id', 'azure-tenant-id');
  const audience = text('oidc-audience');
  if (openai && azure) {
    throw new InputError(
      'azure-client-id',
      'and workload-identity-provider-id are both set: choose one sign-in',
    );
  }
  if (openai) {
    if (provider !== 'openai') {
      throw new InputError('workload-identity-provider-id', `signs in to OpenAI, not provider ${provider}`);
    }
    return {
      kind: 'openai-workload-identity',
      identityProviderId: openai[0],
      serviceAccountId: openai[1],
      audience: audience || DEFAULT_AUDIENCE['openai-workload-identity'],
    };
  }
  if (azure) {
    if (provider !== 'azure')
      throw new InputError('azure-client-id', `signs in to Azure, not provider ${provider}`);
    return {
      kind: 'entra',
      clientId: azure[0],
      tenantId: azure[1],
      authorityHost: url('azure-authority-host'),
      audience: audience || DEFAULT_AUDIENCE.entra,
    };
  }
  if (audience)
    throw new InputError('oidc-audience', 'applies only to a keyless sign-in, and none is configured');
  return undefined;
}
