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
    // A gateway may give the status again as the code: say it once.
    const code = error.code && error.code !== String(error.status) ? ` (${error.code})` : '';
    const status = error.status ? `HTTP ${error.status}${code}: ` : '';
    const message = innerMessage((error.error as { message?: unknown } | undefined)?.message);
    return redact(`${status}${message ?? error.message}`);
  }
  return redact(error instanceof Error ? error.message : String(error));
}

/**
 * The words inside a message that is itself an error body as JSON, as a gateway passing on the
 * provider's answer writes it (`{"error": {"message": "..."}}` as a string), so the user reads the
 * provider's sentence rather than escaped JSON.
 */
function innerMessage(message: unknown, depth = 0): string | undefined {
  if (typeof message !== 'string') return undefined;
  if (depth > 2 || !message.trimStart().startsWith('{')) return message;
  try {
    const body = JSON.parse(message) as { error?: { message?: unknown } | string; message?: unknown };
    const inner = typeof body.error === 'string' ? body.error : (body.error?.message ?? body.message);
    return typeof inner === 'string' ? innerMessage(inner, depth + 1) : message;
  } catch {
    return message;
  }
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
