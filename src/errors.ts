import { APIError } from 'openai/core/error';
import { redact } from './secret.js';

/**
 * The API's own words for a failed request, with its status and code, so a user can act on it
 * without reading the SDK's stack trace.
 */
export function describeError(error: unknown): string {
  if (error instanceof APIError) {
    const code = error.code ? ` (${error.code})` : '';
    const status = error.status ? `HTTP ${error.status}${code}: ` : '';
    const message = (error.error as { message?: unknown } | undefined)?.message;
    return redact(`${status}${typeof message === 'string' ? message : error.message}`);
  }
  return redact(error instanceof Error ? error.message : String(error));
}
