import { vi } from 'vitest';

/**
 * Every request the action sends through fetch, as `METHOD /path`, answered or not: what the API
 * was asked to do. Spies on the global fetch that nock intercepts, so it sees each request before
 * nock matches it (or fails it for want of an interceptor).
 */
export function recordRequests(): { sent: () => string[]; restore: () => void } {
  const sent: string[] = [];
  const fetch = globalThis.fetch;
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    sent.push(`${method.toUpperCase()} ${url.pathname}`);
    return fetch(input, init);
  });
  return { sent: () => [...sent], restore: () => spy.mockRestore() };
}
