import { InputError } from '../facts/input-error.js';
import { choice, duration, flag } from './read.js';
import type { FollowOptions } from './types.js';

// How a fine-tune or wait run follows its job: how long, how often it looks, and what a timeout does.

// Node's timers fire at once for delays past 2^31 ms (24.8 days); a day is far above any useful gap.
const DAY_MS = 86_400_000;

export function readFollowOptions(): FollowOptions {
  const timeoutMs = duration('wait-timeout');
  const pollIntervalMs = duration('poll-interval', DAY_MS);
  const maxPollIntervalMs = duration('max-poll-interval', DAY_MS);
  if (maxPollIntervalMs < pollIntervalMs) {
    throw new InputError(
      'max-poll-interval',
      `must be at least poll-interval (${pollIntervalMs} ms), got ${maxPollIntervalMs} ms`,
    );
  }
  return { timeoutMs, pollIntervalMs, maxPollIntervalMs, onTimeout: choice('on-timeout') };
}

export const readCancelOnAbort = (): boolean => flag('cancel-on-abort');
