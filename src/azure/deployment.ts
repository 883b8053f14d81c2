// On Azure a fine-tuned model serves nothing until an account deployment points at it. Deployments
// are Azure Resource Manager resources, not part of the v1 data plane the job client talks to, so
// this module speaks to ARM directly: one PUT that creates or updates the deployment, then GETs on
// the same resource until ARM reports a terminal provisioning state.
import * as core from '@actions/core';
import { noAnswerReason } from '../api/errors.js';
import { backoffMs, sleep } from '../api/retry.js';
import { redact } from '../github/secrets.js';
import { logText } from '../github/log.js';

/** The `deployment-sku` input's values. */
export const DEPLOYMENT_SKUS = ['developer', 'standard', 'global-standard'] as const;
export type DeploymentSku = (typeof DEPLOYMENT_SKUS)[number];

/**
 * What each `deployment-sku` value is called in ARM, and the api-version to ask for it with.
 *
 * SKU names: "SKU name in code" in Microsoft's deployment types page
 * (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/deployment-types, MicrosoftDocs/azure-ai-docs
 * articles/ai-foundry/openai/how-to/deployment-types.md): `Standard`, `GlobalStandard`, and for
 * fine-tuned models only `DeveloperTier`. The fine-tuning guides' examples write them in lower case;
 * the page's spelling is the one sent.
 *
 * api-versions: the production deployment guide
 * (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning-deploy) deploys across
 * tenants and deletes with the GA Resource Manager version 2024-10-01. The only REST example Microsoft
 * gives for a Developer deployment (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tune-test)
 * uses 2025-07-01-preview, so that SKU is sent with the version it is documented with.
 */
export const ARM_SKUS: Record<DeploymentSku, { name: string; apiVersion: string }> = {
  developer: { name: 'DeveloperTier', apiVersion: '2025-07-01-preview' },
  standard: { name: 'Standard', apiVersion: '2024-10-01' },
  'global-standard': { name: 'GlobalStandard', apiVersion: '2024-10-01' },
};

/** Public Azure's Resource Manager, and the scope an Entra token for it is asked with. */
export const AZURE_MANAGEMENT_URL = 'https://management.azure.com';

/**
 * A fine-tuned model (or checkpoint) is registered as its own model, always at version 1: both
 * fine-tuning deployment guides above send `version: '1'` with the `.ft-` name.
 */
const FINE_TUNED_MODEL_VERSION = '1';

export interface DeploymentTarget {
  /** ARM's endpoint, such as AZURE_MANAGEMENT_URL. */
  managementUrl: string;
  subscriptionId: string;
  resourceGroup: string;
  /** The Azure OpenAI (or AI Foundry) account, as ARM names it. */
  account: string;
  /** The deployment's name: what inference requests pass as `model`. */
  name: string;
}

export interface DeploymentRequest extends DeploymentTarget {
  /** The fine-tuned model (`base.ft-<hex>[-suffix]`) or checkpoint (`ftchkpt-<hex>`) to serve. */
  model: string;
  sku: DeploymentSku;
  /** In the SKU's units: for Standard and GlobalStandard, thousands of tokens per minute. */
  capacity: number;
}

export interface DeployOptions {
  /** Epoch milliseconds by which the deployment must be ready; no request or wait runs past it. */
  deadline: number;
  signal?: AbortSignal;
  /** The gap between two looks at a deployment still provisioning. */
  pollIntervalMs: number;
}

/** A deployment as ARM shows it; only the fields this module reads or reports. */
export interface ArmDeployment {
  id: string;
  name?: string;
  sku?: { name: string; capacity?: number };
  properties?: {
    model?: { format?: string; name?: string; version?: string };
    provisioningState?: string;
  };
}

export interface DeploymentResult {
  /** The ARM resource id, which the portal and `az resource show --ids` take. */
  id: string;
  name: string;
  provisioningState: string;
  /** Whether this run created the deployment (ARM's 201) rather than updated one (200). */
  created: boolean;
  deployment: ArmDeployment;
}

/** Why a deployment did not become ready, so a caller can tell a refusal from a timeout. */
export type DeploymentFailure = 'refused' | 'failed' | 'unreachable' | 'timeout' | 'aborted';

export class DeploymentError extends Error {
  override readonly name = 'DeploymentError';
  constructor(
    message: string,
    readonly reason: DeploymentFailure,
    /** ARM's error code (`DeploymentModelNotSupported`, ...), when it gave one. */
    readonly code?: string,
    /** The HTTP status of the refused request. */
    readonly status?: number,
    /** The last provisioning state seen, for a deployment that failed or was still provisioning. */
    readonly provisioningState?: string,
  ) {
    super(message);
  }
}

const AZURE_HOSTS = ['.openai.azure.com', '.services.ai.azure.com', '.cognitiveservices.azure.com'];

/**
 * The account name from an Azure base URL such as https://contoso.openai.azure.com/openai/v1 ->
 * contoso (also *.services.ai.azure.com, *.cognitiveservices.azure.com); undefined otherwise.
 *
 * The host carries the account's custom subdomain, which the portal sets to the account's name but
 * an account created through ARM may have chosen otherwise: a guess to offer, not a certainty.
 */
export function accountFromBaseURL(baseURL: string): string | undefined {
  let host: string;
  try {
    host = new URL(baseURL).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  for (const suffix of AZURE_HOSTS) {
    if (!host.endsWith(suffix)) continue;
    const label = host.slice(0, -suffix.length);
    return /^[a-z0-9][a-z0-9-]*$/.test(label) ? label : undefined;
  }
  return undefined;
}

/** The deployment's ARM URL, without the api-version. */
export function deploymentUrl(target: DeploymentTarget): string {
  const segment = encodeURIComponent;
  return (
    `${target.managementUrl.replace(/\/+$/, '')}/subscriptions/${segment(target.subscriptionId)}` +
    `/resourceGroups/${segment(target.resourceGroup)}/providers/Microsoft.CognitiveServices` +
    `/accounts/${segment(target.account)}/deployments/${segment(target.name)}`
  );
}

const TERMINAL_STATES = new Set(['succeeded', 'failed', 'canceled']);

/**
 * Creates or updates the deployment and waits until ARM says Succeeded; throws a DeploymentError
 * with ARM's code and message on failure or when `deadline`/`signal` stop it. `token` is asked
 * before every request, so a long wait can outlive one token: it should cache and renew.
 */
export async function deploy(
  request: DeploymentRequest,
  token: () => Promise<string>,
  options: DeployOptions,
): Promise<DeploymentResult> {
  if (!Number.isInteger(request.capacity) || request.capacity < 1)
    throw new RangeError(`deployment capacity must be a whole number >= 1, got ${request.capacity}`);
  const sku = ARM_SKUS[request.sku];
  if (!sku) throw new RangeError(`unknown deployment SKU ${String(request.sku)}`);
  const url = `${deploymentUrl(request)}?api-version=${sku.apiVersion}`;
  const arm = new ArmClient(token, options, request.name);

  core.info(
    `Deploying ${logText(request.model)} as '${request.name}' in account ${request.account} (${sku.name}, capacity ${request.capacity})`,
  );
  const put = await arm.send('PUT', url, {
    sku: { name: sku.name, capacity: request.capacity },
    properties: {
      model: { format: 'OpenAI', name: request.model, version: FINE_TUNED_MODEL_VERSION },
    },
  });
  const created = put.status === 201;
  const operationUrl = sameOrigin(put.headers.get('azure-asyncoperation'), request.managementUrl);
  let deployment = asDeployment(put.body);
  for (;;) {
    const state = deployment.properties?.provisioningState ?? 'Unknown';
    if (state !== arm.state) {
      core.info(`Deployment '${request.name}' is ${logText(state)}`);
      arm.state = state;
    }
    if (TERMINAL_STATES.has(state.toLowerCase())) {
      if (state.toLowerCase() === 'succeeded') {
        const id = deployment.id ?? new URL(url).pathname;
        return {
          id,
          name: request.name,
          provisioningState: state,
          created,
          deployment: { ...deployment, id },
        };
      }
      const why = operationUrl ? await arm.operationError(operationUrl) : undefined;
      throw new DeploymentError(
        redact(
          `Deployment '${request.name}' of ${request.model} ended ${state}` +
            (why ? `: ${why.code ? `(${why.code}) ` : ''}${why.message}` : ''),
        ),
        'failed',
        why?.code,
        undefined,
        state,
      );
    }
    await arm.pause();
    deployment = asDeployment((await arm.send('GET', url)).body);
  }
}

/**
 * The status resource ARM names for a long-running operation: only it says why a deployment ended
 * Failed, which the deployment itself does not. Followed only on ARM's own host, so the token goes
 * nowhere else.
 */
function sameOrigin(link: string | null, managementUrl: string): string | undefined {
  if (!link) return undefined;
  try {
    return new URL(link).origin === new URL(managementUrl).origin ? link : undefined;
  } catch {
    return undefined;
  }
}

function asDeployment(body: unknown): Partial<ArmDeployment> {
  return body && typeof body === 'object' ? (body as Partial<ArmDeployment>) : {};
}

interface ArmAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

const MAX_ATTEMPTS = 5;

/** ARM requests for one deployment, retried where ARM says or implies another try may succeed. */
class ArmClient {
  /** The provisioning state last seen, for a timeout's or an abort's message. */
  state: string | undefined;

  constructor(
    private readonly token: () => Promise<string>,
    private readonly options: DeployOptions,
    private readonly name: string,
  ) {}

  /** The answer to a 2xx request; throws DeploymentError for any other outcome. */
  async send(method: 'PUT' | 'GET', url: string, body?: unknown): Promise<ArmAnswer> {
    for (let attempt = 0; ; attempt++) {
      this.stopIfOver();
      // Outside the try: a token that cannot be had is the caller's failure, not ARM's, and is not retried.
      const bearer = await this.token();
      let response: Response;
      let text: string;
      try {
        response = await fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${bearer}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: this.requestSignal(),
        });
        text = await response.text();
      } catch (error) {
        this.stopIfOver(error instanceof Error && error.name === 'TimeoutError');
        const reason = noAnswerReason(error) ?? String(error);
        const failure = new DeploymentError(
          `Deployment '${this.name}': Azure Resource Manager gave no answer to ${method} after ${attempt + 1} ${attempt ? 'tries' : 'try'} (${reason})`,
          'unreachable',
        );
        await this.retryOrThrow(failure, attempt, undefined, `no answer (${reason})`);
        continue;
      }
      const json = parseJson(text);
      if (response.ok) return { status: response.status, headers: response.headers, body: json };

      const armError = errorOf(json);
      const failure = new DeploymentError(
        redact(
          `Deployment '${this.name}': Azure Resource Manager answered ${method} with HTTP ${response.status}` +
            `${armError.code ? ` (${armError.code})` : ''}: ${armError.message ?? (text.trim() || response.statusText)}`,
        ),
        'refused',
        armError.code,
        response.status,
      );
      if (!isTransient(response.status)) throw failure;
      await this.retryOrThrow(
        failure,
        attempt,
        retryAfterMs(response.headers.get('retry-after')),
        `HTTP ${response.status}${armError.code ? ` (${armError.code})` : ''}`,
      );
    }
  }

  /**
   * Waits before another try, or throws `failure` when the tries are spent or the wait would pass
   * the deadline: a try that cannot start in time ends with the last answer, which says more than
   * a timeout would.
   */
  private async retryOrThrow(
    failure: DeploymentError,
    attempt: number,
    askedMs: number | undefined,
    why: string,
  ): Promise<void> {
    const gap = askedMs ?? backoffMs(attempt);
    if (attempt + 1 >= MAX_ATTEMPTS || Date.now() + gap >= this.options.deadline) throw failure;
    core.info(`Azure Resource Manager: ${logText(why)}; trying again in ${(gap / 1000).toFixed(1)} s`);
    await sleep(gap, this.options.signal);
    this.stopIfOver();
  }

  /** ARM's reason for a failed long-running operation, if its status resource can be read. */
  async operationError(url: string): Promise<{ code?: string; message: string } | undefined> {
    try {
      const { body } = await this.send('GET', url);
      const error = errorOf(body);
      return error.message ? { code: error.code, message: error.message } : undefined;
    } catch (error) {
      core.info(`Could not read why the deployment failed: ${logText((error as Error).message)}`);
      return undefined;
    }
  }

  /** Waits one poll interval, cut short by the deadline; throws once the deadline or signal has come. */
  async pause(): Promise<void> {
    const left = this.options.deadline - Date.now();
    if (left > 0) await sleep(Math.min(this.options.pollIntervalMs, left), this.options.signal);
    this.stopIfOver();
  }

  /** Throws once the signal has aborted or the deadline has come (`timedOut`: a request was cut at it). */
  private stopIfOver(timedOut = false): void {
    const state = this.state;
    const during = state ? ` while it was ${state}` : '';
    if (this.options.signal?.aborted)
      throw new DeploymentError(
        `Deployment '${this.name}': stopped${during}`,
        'aborted',
        undefined,
        undefined,
        state,
      );
    if (timedOut || Date.now() >= this.options.deadline)
      throw new DeploymentError(
        `Deployment '${this.name}' was not ready by the deadline${during}; ARM may still finish it`,
        'timeout',
        undefined,
        undefined,
        state,
      );
  }

  /** The caller's signal, and the deadline, so a request that hangs ends with the wait. */
  private requestSignal(): AbortSignal {
    const untilDeadline = AbortSignal.timeout(Math.max(1, this.options.deadline - Date.now()));
    return this.options.signal ? AbortSignal.any([this.options.signal, untilDeadline]) : untilDeadline;
  }
}

/** 429 and the 5xx that describe a passing state of the server (not 501 or 505, which never pass). */
function isTransient(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}

/** ARM's `{ error: { code, message } }`, as far as the body has it. */
function errorOf(body: unknown): { code?: string; message?: string } {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return {
    code: typeof error?.code === 'string' ? error.code : undefined,
    message: typeof error?.message === 'string' ? error.message : undefined,
  };
}
