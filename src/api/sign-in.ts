import * as core from '@actions/core';
import { OpenAIError } from 'openai/core/error';
import { protectSecret } from '../github/secrets.js';
import { AZURE_MANAGEMENT_URL } from '../facts/deployment.js';

// Signing in without a stored key: the workflow's GitHub OIDC token (`core.getIDToken`, which
// needs `permissions: id-token: write`) is exchanged for a short-lived credential, through the
// openai SDK's own workload identity support for OpenAI, and through a federated credential of a
// Microsoft Entra ID app for Azure.

/** OpenAI workload identity federation: the SDK exchanges the OIDC token and renews what it gets. */
interface OpenAIWorkloadIdentity {
  kind: 'openai-workload-identity';
  identityProviderId: string;
  serviceAccountId: string;
  audience: string;
}

/** Microsoft Entra ID: the OIDC token is the client assertion of a federated app registration. */
export interface EntraSignIn {
  kind: 'entra';
  clientId: string;
  tenantId: string;
  /** `https://login.microsoftonline.com`, or another cloud's authority. */
  authorityHost: string;
  audience: string;
}

export type Keyless = OpenAIWorkloadIdentity | EntraSignIn;

/** The audience each sign-in's documentation sets up its trust with. */
export const DEFAULT_AUDIENCE: Record<Keyless['kind'], string> = {
  'openai-workload-identity': 'https://api.openai.com/v1',
  entra: 'api://AzureADTokenExchange',
};

/** The scopes an Entra token is asked for: the Azure OpenAI data plane, or Resource Manager. */
export const ENTRA_SCOPE = {
  dataPlane: 'https://cognitiveservices.azure.com/.default',
  management: `${AZURE_MANAGEMENT_URL}/.default`,
} as const;

/**
 * A sign-in that could not be made, in the action's own words. An OpenAIError because the SDK
 * passes those through from an `apiKey` function as they are, and wraps any other error in its
 * own "Failed to get token from 'apiKey' function: ..." frame.
 */
class SignInError extends OpenAIError {
  override name = 'SignInError';
}

/**
 * A GitHub OIDC token for `audience`, masked before anything can print it. Asked for afresh each
 * time: GitHub's tokens live minutes, far shorter than a wait.
 */
export async function githubIdToken(audience: string): Promise<string> {
  let token: string;
  try {
    token = await core.getIDToken(audience);
  } catch (error) {
    throw new SignInError(
      `Could not get the workflow's OIDC token (keyless sign-in needs \`permissions: id-token: write\`): ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
  protectSecret(token);
  return token;
}

/** How long before its expiry a token is renewed: minutes, or half its life when that is shorter. */
const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * A Microsoft Entra access token for one scope, renewed before it expires: an access token lasts
 * about an hour, a wait for a job much longer. Every client of a run shares it.
 */
export class EntraToken {
  private static readonly shared = new Map<string, EntraToken>();
  private cached: { token: string; renewAt: number } | undefined;
  private pending: Promise<string> | undefined;

  private constructor(
    private readonly signIn: EntraSignIn,
    private readonly scope: string,
  ) {}

  static for(signIn: EntraSignIn, scope: string): EntraToken {
    const key = JSON.stringify([signIn, scope]);
    let token = EntraToken.shared.get(key);
    if (!token) EntraToken.shared.set(key, (token = new EntraToken(signIn, scope)));
    return token;
  }

  async get(): Promise<string> {
    if (this.cached && Date.now() < this.cached.renewAt) return this.cached.token;
    // Requests that need a token at once share one sign-in.
    this.pending ??= this.signInAgain().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async signInAgain(): Promise<string> {
    const { authorityHost, tenantId, clientId, audience } = this.signIn;
    const url = `${authorityHost.replace(/\/+$/, '')}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
    const form = new URLSearchParams({
      client_id: clientId,
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await githubIdToken(audience),
      scope: this.scope,
    });
    const response = await fetch(url, { method: 'POST', body: form });
    const body = (await response.json().catch(() => ({}))) as {
      access_token?: string;
      expires_in?: number;
      error?: string;
      error_description?: string;
    };
    if (!response.ok || !body.access_token) {
      // Entra's description starts with its AADSTS code and reason; the trace ids after it are noise.
      const reason = body.error_description?.split(/\r?\n/)[0] ?? `HTTP ${response.status}`;
      throw new SignInError(
        `Microsoft Entra ID refused the sign-in of app ${clientId}: ${body.error ?? 'error'}: ${reason}`,
      );
    }
    protectSecret(body.access_token);
    const lifetimeMs = (body.expires_in ?? 3600) * 1000;
    const renewAt = Date.now() + lifetimeMs - Math.min(RENEW_BEFORE_MS, lifetimeMs / 2);
    this.cached = { token: body.access_token, renewAt };
    core.debug(
      `Signed in to Microsoft Entra ID for ${this.scope}; renewing after ${new Date(renewAt).toISOString()}`,
    );
    return body.access_token;
  }
}
