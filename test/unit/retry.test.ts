import nock from 'nock';
import { APIConnectionError, APIError, APIUserAbortError, InternalServerError, RateLimitError } from 'openai';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JobClient } from '../../src/api/client.js';
import {
  isTransientApiError,
  isTransientArmStatus,
  retryAfterMs,
  retrying,
  retryDelayMs,
} from '../../src/api/retry.js';
import { makeJob } from '../helpers/jobs.js';
import { API, CONNECTION } from '../helpers/connection.js';

function apiError(status: number, code: string | null, headers: Record<string, string> = {}): APIError {
  return APIError.generate(
    status,
    { error: { message: 'x', type: 't', param: null, code } },
    'x',
    new Headers(headers),
  );
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('isTransientApiError', () => {
  it.each([
    ['no answer at all', new APIConnectionError({ message: 'socket hang up' })],
    ['408', apiError(408, null)],
    ['409', apiError(409, null)],
    ['429 rate_limit_exceeded', apiError(429, 'rate_limit_exceeded')],
    ['500', apiError(500, null)],
    ['502', apiError(502, null)],
    ['503', apiError(503, null)],
  ])('retries %s', (_, error) => expect(isTransientApiError(error)).toBe(true));

  it.each([
    ['400', apiError(400, 'invalid_request_error')],
    ['401', apiError(401, 'invalid_api_key')],
    ['403', apiError(403, null)],
    ['404', apiError(404, 'fine_tune_not_found')],
    ['429 insufficient_quota', apiError(429, 'insufficient_quota')],
    ['an abort', new APIUserAbortError()],
    ['a plain error', new Error('bug')],
  ])('does not retry %s', (_, error) => expect(isTransientApiError(error)).toBe(false));
});

describe('retryDelayMs', () => {
  it('honours retry-after-ms first, then Retry-After in seconds', () => {
    expect(
      retryDelayMs(apiError(429, 'rate_limit_exceeded', { 'retry-after-ms': '250', 'retry-after': '9' }), 0),
    ).toBe(250);
    expect(retryDelayMs(apiError(503, null, { 'retry-after': '2' }), 0)).toBe(2000);
  });

  it('otherwise backs off exponentially from 0.5 s to 8 s, with up to 25% jitter off', () => {
    const error = apiError(500, null);
    expect([0, 1, 2, 3, 4, 5].map((n) => retryDelayMs(error, n, () => 0))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000,
    ]);
    expect(retryDelayMs(error, 0, () => 1)).toBe(375);
  });
});

describe('retrying', () => {
  const fast = { 'retry-after-ms': '1' };
  const far = () => Date.now() + 60_000;

  it('tries again after a transient failure and returns the first success', async () => {
    let calls = 0;
    const value = await retrying(
      async () => {
        calls += 1;
        if (calls < 3) throw apiError(503, null, fast);
        return 'ok';
      },
      { deadline: far(), maxAttempts: 5 },
    );
    expect([value, calls]).toEqual(['ok', 3]);
  });

  it('fails at once on a permanent failure', async () => {
    let calls = 0;
    const error = apiError(400, 'invalid_request_error');
    await expect(
      retrying(
        async () => {
          calls += 1;
          throw error;
        },
        { deadline: far(), maxAttempts: 5 },
      ),
    ).rejects.toBe(error);
    expect(calls).toBe(1);
  });

  it('gives up after maxAttempts', async () => {
    let calls = 0;
    await expect(
      retrying(
        async () => {
          calls += 1;
          throw apiError(500, null, fast);
        },
        { deadline: far(), maxAttempts: 4 },
      ),
    ).rejects.toBeInstanceOf(InternalServerError);
    expect(calls).toBe(4);
  });

  it('does not start a try it would have to sleep past the deadline for', async () => {
    let calls = 0;
    await expect(
      retrying(
        async () => {
          calls += 1;
          throw apiError(429, 'rate_limit_exceeded', { 'retry-after-ms': '5000' });
        },
        { deadline: Date.now() + 1000, maxAttempts: 5 },
      ),
    ).rejects.toBeInstanceOf(RateLimitError);
    expect(calls).toBe(1);
  });

  it('returns what recover finds instead of trying again', async () => {
    let calls = 0;
    const value = await retrying(
      async () => {
        calls += 1;
        throw new APIConnectionError({ message: 'lost' });
      },
      { deadline: far(), maxAttempts: 5, recover: async () => 'made it after all' },
    );
    expect([value, calls]).toEqual(['made it after all', 1]);
  });
});

describe('the client', () => {
  it('sends insufficient_quota once and fails with the API message, without the SDK retrying it', async () => {
    let requests = 0;
    nock(API)
      .persist()
      .get('/v1/fine_tuning/jobs/ftjob-test1')
      .reply(() => {
        requests += 1;
        const message = 'You exceeded your current quota, please check your plan and billing details.';
        return [
          429,
          { error: { message, type: 'insufficient_quota', param: null, code: 'insufficient_quota' } },
        ];
      });
    const client = new JobClient(CONNECTION);
    await expect(client.retrieveJob('ftjob-test1')).rejects.toThrow('You exceeded your current quota');
    expect(requests).toBe(1);
  });

  it('lets the SDK retry a rate limit, honouring retry-after-ms', async () => {
    nock(API)
      .get('/v1/fine_tuning/jobs/ftjob-test1')
      .reply(
        429,
        {
          error: {
            message: 'Rate limit reached',
            type: 'requests',
            param: null,
            code: 'rate_limit_exceeded',
          },
        },
        { 'retry-after-ms': '5' },
      )
      .get('/v1/fine_tuning/jobs/ftjob-test1')
      .reply(200, makeJob({ status: 'running' }));
    expect((await new JobClient(CONNECTION).retrieveJob('ftjob-test1')).status).toBe('running');
  });

  it('stops every request when its signal aborts, retries included', async () => {
    const controller = new AbortController();
    nock(API)
      .persist()
      .get('/v1/fine_tuning/jobs/ftjob-test1')
      .reply(
        503,
        { error: { message: 'busy', type: 'server_error', param: null, code: null } },
        { 'retry-after-ms': '20' },
      );
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await expect(
      new JobClient(CONNECTION, { signal: controller.signal }).retrieveJob('ftjob-test1'),
    ).rejects.toBeInstanceOf(APIUserAbortError);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('retryAfterMs', () => {
  const NOW = Date.parse('2026-12-04T12:00:00Z');
  const headers = (pairs: Record<string, string>) => new Headers(pairs);

  it('reads retry-after-ms first, then Retry-After in seconds', () => {
    expect(retryAfterMs(headers({ 'retry-after-ms': '250', 'retry-after': '9' }), NOW)).toBe(250);
    expect(retryAfterMs(headers({ 'retry-after': '2' }), NOW)).toBe(2000);
  });

  it('reads Retry-After as an HTTP date, from now', () => {
    expect(retryAfterMs(headers({ 'retry-after': 'Fri, 04 Dec 2026 12:00:05 GMT' }), NOW)).toBe(5000);
    expect(retryAfterMs(headers({ 'retry-after': 'Fri, 04 Dec 2026 11:59:00 GMT' }), NOW)).toBe(0);
  });

  it('is undefined when no wait was asked for, or none can be read', () => {
    expect(retryAfterMs(headers({}), NOW)).toBeUndefined();
    expect(retryAfterMs(undefined, NOW)).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }), NOW)).toBeUndefined();
  });
});

describe('isTransientArmStatus', () => {
  it.each([429, 500, 502, 503, 504])('retries %i', (status) =>
    expect(isTransientArmStatus(status)).toBe(true),
  );
  it.each([400, 401, 403, 404, 409, 501, 505])('does not retry %i', (status) =>
    expect(isTransientArmStatus(status)).toBe(false),
  );
});
