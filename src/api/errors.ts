import { APIConnectionError, APIError } from 'openai/core/error';
import { redact } from '../github/secrets.js';

/**
 * The API's own words for a failed request, with its status and code, so a user can act on it
 * without reading the SDK's stack trace. A request that got no answer says why, from Node's own
 * error at the bottom of its causes: the SDK's "Connection error." alone leaves a refused port, a
 * name that does not resolve and an untrusted certificate looking alike.
 */
export function describeError(error: unknown): string {
  if (error instanceof APIConnectionError) {
    const reason = noAnswerReason(error);
    return redact(reason ? `${error.message} ${reason}` : error.message);
  }
  if (error instanceof APIError) {
    const code = error.code ? ` (${error.code})` : '';
    const status = error.status ? `HTTP ${error.status}${code}: ` : '';
    const message = (error.error as { message?: unknown } | undefined)?.message;
    return redact(`${status}${typeof message === 'string' ? message : error.message}`);
  }
  return redact(error instanceof Error ? error.message : String(error));
}

/**
 * Why a request got no answer, from the innermost cause of the error fetch threw: its message and
 * code, e.g. `connect ECONNREFUSED 127.0.0.1:9 (ECONNREFUSED)`.
 */
export function noAnswerReason(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  let inner: unknown = error.cause;
  if (!(inner instanceof Error)) return undefined;
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
  const { message, code } = inner as NodeJS.ErrnoException;
  // Node's AggregateError (every address of a name refused) has a code but no message.
  if (!message) return code;
  return code && !message.includes(code) ? `${message} (${code})` : message;
}
