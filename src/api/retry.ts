import { APIConnectionError, APIError, APIUserAbortError } from 'openai/core/error';
import { setTimeout as delay } from 'node:timers/promises';

// One retry policy for every request the action makes: the data plane (through the SDK's errors)
// and Azure Resource Manager (by status). Each has its own rule of what is worth another try, under
// its own name; both read Retry-After and back off the same way.

/**
 * Data plane failures worth another try: no answer at all, a timeout, 408, 409, 429 for rate
 * limiting, and 5xx. A 429 for `insufficient_quota` is permanent (more tries only burn the quota
 * of others).
 */
export function isTransientApiError(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return false;
  if (error instanceof APIConnectionError) return true;
  if (!(error instanceof APIError) || error.status === undefined) return false;
  if (error.status === 429) return error.code !== 'insufficient_quota';
  return error.status === 408 || error.status === 409 || error.status >= 500;
}

/**
 * A create refused because its file is still being processed: nothing was made, and the same
 * request succeeds once the provider is done. OpenAI answered so before it had file statuses;
 * compatible providers that report none still do.
 */
export function isFileNotReady(error: unknown): boolean {
  if (!(error instanceof APIError) || error.status !== 400) return false;
  if (error.code === 'file_not_ready') return true;
  const message = (error.error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' && /\bnot ready\b/i.test(message);
}

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;

/**
 * Resource Manager statuses worth another try: 429 and the 5xx that describe a passing state of
 * the server (not 501 or 505, which never pass). ARM's answers carry no SDK error to judge.
 */
export function isTransientArmStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/**
 * The wait a server asked for, in milliseconds: `retry-after-ms` (OpenAI's), else `Retry-After` in
 * seconds or as an HTTP date; undefined when it asked for none.
 */
export function retryAfterMs(
  headers: Pick<Headers, 'get'> | undefined,
  now = Date.now(),
): number | undefined {
  const asked = headers?.get('retry-after-ms')?.trim();
  if (asked && Number(asked) >= 0) return Number(asked);
  const header = headers?.get('retry-after')?.trim();
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The gap before try number `attempt + 1`: what the server asked for, else exponential from 0.5 s
 * to 8 s with jitter, the same curve the SDK uses for the requests it retries itself, so every
 * request backs off alike.
 */
export function retryDelayMs(error: unknown, attempt: number, random = Math.random): number {
  const headers = error instanceof APIError ? error.headers : undefined;
  return retryAfterMs(headers) ?? backoffMs(attempt, random);
}

/** Exponential from half a second, with jitter so that runs sharing an account spread out. */
export function backoffMs(attempt: number, random = Math.random): number {
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt) * (1 - 0.25 * random());
}

export interface RetryOptions {
  /** Epoch milliseconds after which no further try starts. */
  deadline: number;
  signal?: AbortSignal;
  maxAttempts: number;
  /**
   * Called after a transient failure, before the next try: the failed try may have been carried
   * out (only its answer was lost), so this looks for its effect and returns it when found.
   */
  recover?: () => Promise<unknown>;
}

/** Runs `operation` until it succeeds, fails for good, runs out of tries or meets the deadline. */
export async function retrying<T>(operation: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isTransientApiError(error) || attempt + 1 >= options.maxAttempts) throw error;
      const found = (await options.recover?.()) as T | undefined;
      if (found !== undefined) return found;
      const gap = retryDelayMs(error, attempt);
      if (Date.now() + gap >= options.deadline || options.signal?.aborted) throw error;
      await sleep(gap, options.signal);
      if (options.signal?.aborted) throw error;
    }
  }
}

/** Sleeps, waking early (without throwing) when the signal aborts, so a cancelled run can clean up. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return;
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    if (!signal?.aborted) throw error;
  }
}
