import { setTimeout as delay } from 'node:timers/promises';

/** Sleeps, waking early (without throwing) when the signal aborts, so a cancelled run can clean up. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return;
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    if (!signal?.aborted) throw error;
  }
}
