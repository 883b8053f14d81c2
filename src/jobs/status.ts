import type { FineTuningJob } from '../api/client.js';

// What a job's status and error mean, whatever the mode.

const TERMINAL = new Set<string>(['succeeded', 'failed', 'cancelled']);

/**
 * Terminal statuses are the only ones known to be final. Anything else, including statuses the
 * contract lacks (the API already answers `paused`), means the job is still in progress.
 */
export function isTerminal(status: string): boolean {
  return TERMINAL.has(status);
}

/** What the job is doing now, with its error when it failed: one line for logs and messages. */
export function failureReason(job: FineTuningJob): string {
  const error = job.error;
  if (!error || (!error.code && !error.message)) return 'the API gave no reason';
  const param = error.param ? ` (param: ${error.param})` : '';
  return `${error.code ? `[${error.code}] ` : ''}${error.message || 'no message'}${param}`;
}
