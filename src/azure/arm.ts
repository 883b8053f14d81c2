// Azure Resource Manager requests for one deployment: a bearer token per request, ARM's errors read
// into DeploymentError, and the shared retry policy (api/retry.ts) under ARM's own rule.
import * as core from '@actions/core';
import { noAnswerReason } from '../api/errors.js';
import { backoffMs, isTransientArmStatus, retryAfterMs, sleep } from '../api/retry.js';
import { redact } from '../github/secrets.js';

export interface DeployOptions {
  /** Epoch milliseconds by which the deployment must be ready; no request or wait runs past it. */
  deadline: number;
  signal?: AbortSignal;
  /** The gap between two looks at a deployment still provisioning. */
  pollIntervalMs: number;
}

/** Why a deployment did not become ready, so a caller can tell a refusal from a timeout. */
type DeploymentFailure = 'refused' | 'failed' | 'unreachable' | 'timeout' | 'aborted';

interface DeploymentFailureDetails {
  reason: DeploymentFailure;
  /** ARM's error code (`DeploymentModelNotSupported`, ...), when it gave one. */
  code?: string;
  /** The HTTP status of the refused request. */
  status?: number;
  /** The last provisioning state seen, for a deployment that failed or was still provisioning. */
  provisioningState?: string;
}

export class DeploymentError extends Error {
  override readonly name = 'DeploymentError';
  readonly reason: DeploymentFailure;
  readonly code?: string;
  readonly status?: number;
  readonly provisioningState?: string;

  constructor(message: string, details: DeploymentFailureDetails) {
    super(message);
    this.reason = details.reason;
    if (details.code !== undefined) this.code = details.code;
    if (details.status !== undefined) this.status = details.status;
    if (details.provisioningState !== undefined) this.provisioningState = details.provisioningState;
  }
}

interface ArmAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

const MAX_ATTEMPTS = 5;

/** ARM requests for one deployment, retried where ARM says or implies another try may succeed. */
export class ArmClient {
  /** The provisioning state last seen, for a timeout's or an abort's message. */
  state: string | undefined;

  constructor(
    private readonly token: () => Promise<string>,
    private readonly options: DeployOptions,
    private readonly name: string,
    /** What the deadline was for, in its message: `ready`, or `gone` for a deletion. */
    private readonly goal = 'ready',
  ) {}

  /** The answer to a 2xx request; throws DeploymentError for any other outcome. */
  async send(method: 'PUT' | 'GET' | 'DELETE', url: string, body?: unknown): Promise<ArmAnswer> {
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
          { reason: 'unreachable' },
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
        { reason: 'refused', code: armError.code, status: response.status },
      );
      if (!isTransientArmStatus(response.status)) throw failure;
      await this.retryOrThrow(
        failure,
        attempt,
        retryAfterMs(response.headers),
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
    core.info(`Azure Resource Manager: ${why}; trying again in ${(gap / 1000).toFixed(1)} s`);
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
      core.info(`Could not read why the deployment failed: ${(error as Error).message}`);
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
      throw new DeploymentError(`Deployment '${this.name}': stopped${during}`, {
        reason: 'aborted',
        provisioningState: state,
      });
    if (timedOut || Date.now() >= this.options.deadline)
      throw new DeploymentError(
        `Deployment '${this.name}' was not ${this.goal} by the deadline${during}; ARM may still finish it`,
        { reason: 'timeout', provisioningState: state },
      );
  }

  /** The caller's signal, and the deadline, so a request that hangs ends with the wait. */
  private requestSignal(): AbortSignal {
    const untilDeadline = AbortSignal.timeout(Math.max(1, this.options.deadline - Date.now()));
    return this.options.signal ? AbortSignal.any([this.options.signal, untilDeadline]) : untilDeadline;
  }
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
