// What the azure profile adds around the data plane: Azure's key header and error envelope, a
// stand-in for the Microsoft Entra token endpoint (client credentials with a federated client
// assertion, as a GitHub OIDC token is exchanged), and a stand-in for the Azure Resource Manager
// deployments of a Cognitive Services account, which turn a fine-tuned model into an endpoint.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, type ErrorBody } from './errors.ts';
import type { Dialect, RequestLogEntry } from './http.ts';
import { randomToken } from './ids.ts';

/** The audience a GitHub OIDC token must name to be exchanged for an Entra token. */
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';
const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const DATA_PLANE_AUDIENCE = 'https://cognitiveservices.azure.com';
const MANAGEMENT_AUDIENCE = 'https://management.azure.com/';
/** The scopes the stand-in issues tokens for, and the audience each token then names. */
const SCOPES: Record<string, string> = {
  'https://cognitiveservices.azure.com/.default': DATA_PLANE_AUDIENCE,
  'https://management.azure.com/.default': MANAGEMENT_AUDIENCE,
};

/** One request to the token endpoint, issued or refused. */
export interface TokenRequest {
  at: number;
  tenant: string;
  clientId: string | null;
  scope: string | null;
  /** The `sub` of the client assertion (a GitHub OIDC token's `repo:OWNER/REPO:...`), if it had one. */
  subject: string | null;
  status: number;
  /** Entra's error code (`invalid_client`, ...) for a refused request. */
  error: string | null;
  /** The `expires_in` answered for an issued token. */
  expiresIn: number | null;
}

interface IssuedToken {
  audience: string;
  expiresMs: number;
}

type TokenCheck = 'valid' | 'unknown' | 'expired' | 'wrong-audience';

/** The Microsoft Entra token endpoint, for the client-credentials grant with a client assertion. */
export class EntraStandIn {
  readonly requests: TokenRequest[] = [];
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly lifetimeSeconds: number;

  constructor(lifetimeSeconds: number) {
    if (!Number.isInteger(lifetimeSeconds) || lifetimeSeconds < 1)
      throw new RangeError(
        `tokenLifetimeSeconds must be a whole number of seconds >= 1, got ${lifetimeSeconds}`,
      );
    this.lifetimeSeconds = lifetimeSeconds;
  }

  issue(tenant: string, form: URLSearchParams, now: number): { status: number; json: unknown } {
    const record: TokenRequest = {
      at: now,
      tenant,
      clientId: form.get('client_id'),
      scope: form.get('scope'),
      subject: null,
      status: 200,
      error: null,
      expiresIn: null,
    };
    this.requests.push(record);
    const refuse = (status: number, error: string, code: number, description: string) => {
      record.status = status;
      record.error = error;
      return { status, json: entraError(error, code, description, now) };
    };

    for (const name of ['grant_type', 'client_id', 'scope', 'client_assertion_type', 'client_assertion']) {
      if (!form.get(name))
        return refuse(
          400,
          'invalid_request',
          900144,
          `The request body must contain the following parameter: '${name}'.`,
        );
    }
    if (form.get('grant_type') !== 'client_credentials')
      return refuse(
        400,
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${form.get('grant_type')}'.`,
      );
    const audience = SCOPES[form.get('scope')!];
    if (!audience)
      return refuse(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${form.get('scope')} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    if (form.get('client_assertion_type') !== CLIENT_ASSERTION_TYPE)
      return refuse(
        400,
        'invalid_request',
        50027,
        `Invalid client_assertion_type '${form.get('client_assertion_type')}'; expected '${CLIENT_ASSERTION_TYPE}'.`,
      );
    const claims = jwtClaims(form.get('client_assertion')!);
    if (!claims) return refuse(401, 'invalid_client', 50027, 'JWT token is invalid or malformed.');
    record.subject = typeof claims.sub === 'string' ? claims.sub : null;
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(TOKEN_EXCHANGE_AUDIENCE))
      return refuse(
        401,
        'invalid_client',
        700212,
        `No matching federated identity record found for presented assertion audience '${String(claims.aud)}'. Please note that the matching is done using a case-sensitive comparison. Check your federated identity credential Audience field.`,
      );
    if (typeof claims.exp === 'number' && claims.exp * 1000 <= now)
      return refuse(401, 'invalid_client', 700024, 'Client assertion is not within its valid time range.');

    const issuedAt = Math.floor(now / 1000);
    const expiresMs = now + this.lifetimeSeconds * 1000;
    const token = unsignedJwt({
      aud: audience,
      iss: `https://sts.windows.net/${tenant}/`,
      iat: issuedAt,
      nbf: issuedAt,
      exp: Math.floor(expiresMs / 1000),
      appid: record.clientId,
      tid: tenant,
      sub: randomUUID(),
    });
    this.tokens.set(token, { audience, expiresMs });
    record.expiresIn = this.lifetimeSeconds;
    return {
      status: 200,
      json: {
        token_type: 'Bearer',
        expires_in: this.lifetimeSeconds,
        ext_expires_in: this.lifetimeSeconds,
        access_token: token,
      },
    };
  }

  check(token: string, audience: string, now: number): TokenCheck {
    const issued = this.tokens.get(token);
    if (!issued) return 'unknown';
    if (issued.audience !== audience) return 'wrong-audience';
    return now >= issued.expiresMs ? 'expired' : 'valid';
  }

  /** The audience a token was issued for, or `null` for a token the stand-in never issued. */
  audienceOf(token: string): string | null {
    return this.tokens.get(token)?.audience ?? null;
  }
}

/** Azure OpenAI's data plane: a key in `api-key` (or as a Bearer token), or an Entra token. */
export function azureDialect(apiKey: string, basePath: string, entra: EntraStandIn): Dialect {
  return {
    basePath,
    authenticate(req, now) {
      const key = req.headers['api-key'];
      if (typeof key === 'string') {
        if (key.trim() === apiKey) return 'api-key';
        throw accessDenied();
      }
      const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1].trim();
      if (bearer === undefined) throw accessDenied();
      // Microsoft's spec also declares the key in the authorization header (ApiKeyAuth_).
      if (bearer === apiKey) return 'bearer-key';
      if (entra.check(bearer, DATA_PLANE_AUDIENCE, now) === 'valid') return 'entra-token';
      throw new ApiError(
        401,
        'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.',
        { code: '401' },
      );
    },
    invalidUrl: () => new ApiError(404, 'Resource not found', { code: '404' }),
    errorBody: azureErrorBody,
    headers: () => ({ 'apim-request-id': randomUUID(), 'x-request-id': randomUUID() }),
  };
}

function accessDenied(): ApiError {
  return new ApiError(
    401,
    'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
    { code: '401' },
  );
}

/**
 * Azure's envelope (`AzureErrorResponse`): `code` and `message`, `param` when there is one. The
 * spec allows `type` only as `error`, so OpenAI's type is not carried over; an error without a
 * code gets its status, as Azure's own 401 and 404 answers have.
 */
function azureErrorBody(body: ErrorBody, status: number): unknown {
  const { code, message, param } = body.error;
  return { error: { code: code ?? String(status), message, ...(param === null ? {} : { param }) } };
}

export interface DeploymentModel {
  format: string;
  name: string;
  version: string;
}

/** An account deployment as Azure Resource Manager shows it. */
export interface Deployment {
  id: string;
  type: 'Microsoft.CognitiveServices/accounts/deployments';
  name: string;
  sku: { name: string; capacity?: number };
  properties: { model: DeploymentModel; provisioningState: 'Creating' | 'Updating' | 'Succeeded' };
  systemData: { createdAt: string; lastModifiedAt: string };
}

interface StoredDeployment {
  id: string;
  name: string;
  sku: { name: string; capacity?: number };
  model: DeploymentModel;
  /** The model served until an update (a PUT that changes the model) has provisioned. */
  previous: DeploymentModel | null;
  createdMs: number;
  modifiedMs: number;
  updating: boolean;
}

/** The deployments of Cognitive Services accounts, keyed by resource id. */
export class DeploymentStore {
  private readonly byId = new Map<string, StoredDeployment>();
  private readonly provisioningMs: number;
  private readonly deployable: (model: string) => boolean;

  constructor(provisioningMs: number, deployable: (model: string) => boolean) {
    if (!(provisioningMs >= 0))
      throw new RangeError(`deploymentProvisioningMs must be >= 0, got ${provisioningMs}`);
    this.provisioningMs = provisioningMs;
    this.deployable = deployable;
  }

  list(now: number): Deployment[] {
    return [...this.byId.values()].map((deployment) => this.view(deployment, now));
  }

  put(id: string, name: string, body: unknown, now: number): { status: number; json: unknown } {
    const request = body as {
      sku?: { name?: unknown; capacity?: unknown };
      properties?: { model?: Partial<Record<keyof DeploymentModel, unknown>> };
    };
    const sku = request?.sku;
    const model = request?.properties?.model;
    if (
      typeof sku?.name !== 'string' ||
      (sku.capacity !== undefined && !(Number.isInteger(sku.capacity) && Number(sku.capacity) > 0))
    )
      return armError(
        400,
        'InvalidResourceProperties',
        'The specified SKU is invalid: sku.name is required and sku.capacity must be a positive integer.',
      );
    if (
      typeof model?.name !== 'string' ||
      typeof model.format !== 'string' ||
      typeof model.version !== 'string'
    )
      return armError(
        400,
        'InvalidResourceProperties',
        'properties.model requires format, name and version.',
      );
    if (model.format !== 'OpenAI' || !this.deployable(model.name))
      return armError(
        400,
        'DeploymentModelNotSupported',
        `The model 'Format:${model.format},Name:${model.name},Version:${model.version}' of account deployment is not supported.`,
      );
    const existing = this.byId.get(id.toLowerCase());
    const stored: StoredDeployment = {
      id,
      name,
      sku:
        sku.capacity === undefined ? { name: sku.name } : { name: sku.name, capacity: Number(sku.capacity) },
      model: { format: model.format, name: model.name, version: model.version },
      previous: existing ? this.servedModel(existing, now) : null,
      createdMs: existing?.createdMs ?? now,
      modifiedMs: now,
      updating: existing !== undefined,
    };
    this.byId.set(id.toLowerCase(), stored);
    return { status: existing ? 200 : 201, json: this.view(stored, now) };
  }

  get(id: string, name: string, now: number): { status: number; json: unknown } {
    const stored = this.byId.get(id.toLowerCase());
    if (!stored) return armError(404, 'DeploymentNotFound', `Deployment '${name}' not found.`);
    return { status: 200, json: this.view(stored, now) };
  }

  /**
   * The model a data-plane request naming deployment `name` reaches now: the new model once an
   * update has provisioned, the old one until then; a deployment still being created answers as
   * Azure does, 404 `DeploymentNotFound`. Deployment names are looked up across accounts: the
   * stand-in has one data plane.
   */
  serving(name: string, now: number): string {
    const stored = [...this.byId.values()].find((deployment) => deployment.name === name);
    const model = stored && this.servedModel(stored, now);
    if (!model)
      throw new ApiError(
        404,
        'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
        { code: 'DeploymentNotFound' },
      );
    return model.name;
  }

  private servedModel(stored: StoredDeployment, now: number): DeploymentModel | null {
    return now >= stored.modifiedMs + this.provisioningMs ? stored.model : stored.previous;
  }

  delete(id: string): { status: number; json: unknown } {
    return { status: this.byId.delete(id.toLowerCase()) ? 200 : 204, json: null };
  }

  private view(stored: StoredDeployment, now: number): Deployment {
    const ready = now >= stored.modifiedMs + this.provisioningMs;
    return {
      id: stored.id,
      type: 'Microsoft.CognitiveServices/accounts/deployments',
      name: stored.name,
      sku: { ...stored.sku },
      properties: {
        model: { ...stored.model },
        provisioningState: ready ? 'Succeeded' : stored.updating ? 'Updating' : 'Creating',
      },
      systemData: {
        createdAt: new Date(stored.createdMs).toISOString(),
        lastModifiedAt: new Date(stored.modifiedMs).toISOString(),
      },
    };
  }
}

function armError(status: number, code: string, message: string): { status: number; json: unknown } {
  return { status, json: { error: { code, message } } };
}

const TOKEN_ROUTE = '/{tenant}/oauth2/v2.0/token';
const DEPLOYMENT_ROUTE =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.CognitiveServices/accounts/{accountName}/deployments/{deploymentName}';
const DEPLOYMENTS_ROUTE =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.CognitiveServices/accounts/{accountName}/deployments';

const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;
// Resource Manager matches its literal segments without regard to case.
const DEPLOYMENTS_PATH =
  /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.CognitiveServices\/accounts\/[^/]+\/deployments)(?:\/([^/]+))?$/i;
const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Answers token and deployment requests, logging them beside the data plane's; returns false for
 * any other request, which the data plane then handles.
 */
export function azureSideRoutes(
  entra: EntraStandIn,
  deployments: DeploymentStore,
  requests: RequestLogEntry[],
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const tenant = TOKEN_PATH.exec(url.pathname)?.[1];
    const arm = DEPLOYMENTS_PATH.exec(url.pathname);
    if ((tenant === undefined || method !== 'POST') && !arm) return false;

    const startedAt = Date.now();
    const text = await readText(req);
    const entry: RequestLogEntry = {
      method,
      path: url.pathname,
      route:
        tenant !== undefined ? TOKEN_ROUTE : arm![2] === undefined ? DEPLOYMENTS_ROUTE : DEPLOYMENT_ROUTE,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      body: null,
      startedAt,
      durationMs: 0,
    };
    let reply: { status: number; json: unknown };
    if (tenant !== undefined) {
      const form = new URLSearchParams(text ?? '');
      // The assertion is a credential; the log keeps who presented it, not the token itself.
      entry.body = Object.fromEntries([...form].filter(([name]) => name !== 'client_assertion'));
      reply = entra.issue(decodeURIComponent(tenant), form, startedAt);
    } else {
      reply = deploymentRequest(
        method,
        arm!,
        url.searchParams,
        text,
        req.headers.authorization,
        startedAt,
        entry,
      );
    }
    entry.status = reply.status;
    entry.durationMs = Date.now() - startedAt;
    requests.push(entry);
    const body = reply.json === null ? '' : JSON.stringify(reply.json);
    res.writeHead(reply.status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'x-ms-request-id': randomUUID(),
    });
    res.end(body);
    return true;
  };

  function deploymentRequest(
    method: string,
    arm: RegExpExecArray,
    query: URLSearchParams,
    text: string | null,
    authorization: string | undefined,
    now: number,
    entry: RequestLogEntry,
  ): { status: number; json: unknown } {
    const refused = managementAuth(authorization, now);
    if (refused) return refused;
    entry.credential = 'entra-token';
    const apiVersion = query.get('api-version');
    if (apiVersion === null)
      return armError(
        400,
        'MissingApiVersionParameter',
        'The api-version query parameter (?api-version=) is required for all requests.',
      );
    if (!API_VERSION.test(apiVersion))
      return armError(
        400,
        'InvalidApiVersionParameter',
        `The api-version '${apiVersion}' is invalid. The supported versions are dates such as '2024-10-01'.`,
      );
    const [, collection, encodedName] = arm;
    if (encodedName === undefined) {
      if (method !== 'GET') return methodNotAllowed(method);
      return {
        status: 200,
        json: {
          value: deployments
            .list(now)
            .filter((d) => d.id.toLowerCase().startsWith(`${collection.toLowerCase()}/`)),
        },
      };
    }
    const name = decodeURIComponent(encodedName);
    const id = `${collection}/${name}`;
    switch (method) {
      case 'PUT': {
        let body: unknown;
        try {
          body = JSON.parse(text ?? '');
        } catch {
          return armError(
            400,
            'InvalidRequestContent',
            'The request content was invalid and could not be deserialized.',
          );
        }
        entry.body = body;
        return deployments.put(id, name, body, now);
      }
      case 'GET':
        return deployments.get(id, name, now);
      case 'DELETE':
        return deployments.delete(id);
      default:
        return methodNotAllowed(method);
    }
  }

  function managementAuth(
    authorization: string | undefined,
    now: number,
  ): { status: number; json: unknown } | null {
    const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1].trim();
    if (token === undefined)
      return armError(
        401,
        'AuthenticationFailed',
        "Authentication failed. The 'Authorization' header is missing.",
      );
    switch (entra.check(token, MANAGEMENT_AUDIENCE, now)) {
      case 'valid':
        return null;
      case 'expired':
        return armError(
          401,
          'ExpiredAuthenticationToken',
          'The access token expiry UTC time is earlier than current UTC time.',
        );
      case 'wrong-audience':
        return armError(
          401,
          'InvalidAuthenticationTokenAudience',
          `The access token has been obtained for wrong audience or resource '${entra.audienceOf(token)}'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.`,
        );
      default:
        return armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.');
    }
  }
}

function methodNotAllowed(method: string): { status: number; json: unknown } {
  return armError(
    405,
    'MethodNotAllowed',
    `The requested resource does not support http method '${method}'.`,
  );
}

async function readText(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return size === 0 ? null : Buffer.concat(chunks).toString('utf8');
}

function entraError(error: string, code: number, description: string, now: number): unknown {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date(now)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return {
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  };
}

/** The claims of a JWT, unverified; `null` when it is not shaped as one. */
function jwtClaims(token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    return claims && typeof claims === 'object' && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function unsignedJwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ typ: 'JWT', alg: 'RS256', kid: 'local-entra' })}.${encode(claims)}.${randomToken(43)}`;
}
