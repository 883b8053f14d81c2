import { APIConnectionError, APIError, APIUserAbortError } from 'openai/core/error';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Failures worth another try: no answer at all, a timeout, 408, 409, 429 for rate limiting, and
 * 5xx. A 429 for `insufficient_quota` is permanent (more tries only burn the quota of others).
 */
export function isTransient(error: unknown): boolean {
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
 * The gap before try number `attempt + 1`: what the server asked for (`retry-after-ms`, then
 * `Retry-After` in seconds), else exponential from 0.5 s to 8 s with jitter, the same curve the
 * SDK uses for the requests it retries itself, so every request backs off alike.
 */
export function retryDelayMs(error: unknown, attempt: number, random = Math.random): number {
  const headers = error instanceof APIError ? error.headers : undefined;
  const asked = Number(headers?.get('retry-after-ms') ?? NaN);
  if (asked >= 0) return asked;
  const seconds = Number(headers?.get('retry-after') ?? NaN);
  if (seconds >= 0) return seconds * 1000;
  return backoffMs(attempt, random);
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
      if (!isTransient(error) || attempt + 1 >= options.maxAttempts) throw error;
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
