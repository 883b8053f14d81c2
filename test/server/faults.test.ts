import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { loadContract } from '../../server/contract.ts';
import { faultAnswer, mulberry32 } from '../../server/faults.ts';
import { FAULT_KINDS, type LocalApi, type ServerOptions } from '../../server/index.ts';
import { chatJsonl, clientFor, processedTrainingFile, startFast, uploadText } from './helpers.ts';

const CLI = fileURLToPath(new URL('../../server/cli.ts', import.meta.url));

const SERVER_ERROR = {
  error: {
    message: 'The server had an error while processing your request. Sorry about that!',
    type: 'server_error',
    param: null,
    code: null,
  },
};
const QUOTA_ERROR = {
  error: {
    message:
      'You exceeded your current quota, please check your plan and billing details. For more information on this error, ' +
      'read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
    type: 'insufficient_quota',
    param: null,
    code: 'insufficient_quota',
  },
};

const started: LocalApi[] = [];

async function start(options: ServerOptions = {}): Promise<LocalApi> {
  const api = await startFast(options);
  started.push(api);
  return api;
}

afterEach(async () => {
  for (const api of started.splice(0)) {
    expect(api.contractViolations).toEqual([]);
    await api.close();
  }
});

/** A plain fetch of `path` with the server's key: the status answered, or `drop` when the connection was cut. */
async function outcome(api: LocalApi, path: string, init: RequestInit = {}): Promise<string> {
  try {
    const response = await fetch(`${api.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${api.apiKey}`, ...init.headers },
    });
    await response.arrayBuffer();
    return String(response.status);
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError); // undici's "fetch failed", caused by the reset socket
    return 'drop';
  }
}

async function outcomes(api: LocalApi, paths: string[]): Promise<string[]> {
  const seen: string[] = [];
  for (const path of paths) seen.push(await outcome(api, path));
  return seen;
}

/** What the request log says happened, in the same terms as `outcome`. */
function logged(api: LocalApi): string[] {
  return api.requests.map((entry) => (entry.status === 0 ? 'drop' : String(entry.status)));
}

const MODEL = '/models/gpt-4o-mini';
const repeat = (path: string, times: number) => Array.from({ length: times }, () => path);

describe('random faults', () => {
  it('fault the same requests the same way for the same seed, and differently for another', async () => {
    const plan = { rate: 0.4, seed: 7 };
    const [a, b, other] = await Promise.all([
      start({ faults: plan }),
      start({ faults: plan }),
      start({ faults: { ...plan, seed: 8 } }),
    ]);
    const paths = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? '/files' : MODEL));

    const first = await outcomes(a, paths);
    expect(await outcomes(b, paths)).toEqual(first);
    expect(await outcomes(other, paths)).not.toEqual(first);
    // Enough of both, and several kinds, for the comparison to mean something.
    expect(first.filter((o) => o === '200').length).toBeGreaterThan(10);
    expect(new Set(first.filter((o) => o !== '200')).size).toBeGreaterThanOrEqual(3);
    expect(logged(a)).toEqual(first);
    expect(a.requests.map((entry) => entry.fault ?? null)).toEqual(
      first.map((o) => (o === '200' ? null : o)),
    );

    // A seed given again restarts the sequence.
    a.setFaults({ seed: 7 });
    expect(await outcomes(a, paths)).toEqual(first);
  });

  it('fault about the share of requests the rate asks for', async () => {
    const api = await start({ faults: { rate: 0.3, seed: 3, kinds: ['500'] } });
    const seen = await outcomes(api, repeat(MODEL, 200));
    const faulted = seen.filter((o) => o === '500').length;
    expect(faulted).toBeGreaterThan(40);
    expect(faulted).toBeLessThan(80);
    expect(seen.filter((o) => o === '200').length).toBe(200 - faulted);
  });

  it('never fault at rate 0 and always fault at rate 1, drawing every kind', async () => {
    const api = await start({ faults: { rate: 0 } });
    expect(new Set(await outcomes(api, repeat(MODEL, 50)))).toEqual(new Set(['200']));
    expect(api.requests.every((entry) => entry.fault === undefined)).toBe(true);

    api.setFaults({ rate: 1 });
    const seen = await outcomes(api, repeat(MODEL, 50));
    expect(new Set(seen)).toEqual(new Set(['500', '502', '503', '429', 'drop']));
    expect(api.countHandled('GET', '/models/{model}')).toBe(50);
    expect(api.count('GET', '/models/{model}')).toBe(100);

    api.clearFaults();
    expect(await outcome(api, MODEL)).toBe('200');
  });

  it('draw only for requests the routes admit, so other requests do not shift the sequence', async () => {
    const plan = { rate: 0.5, seed: 11, kinds: ['500' as const] };
    const [only, mixed] = await Promise.all([
      start({ faults: plan }),
      start({ faults: { ...plan, routes: /^\/files/ } }),
    ]);
    const onlyFiles = await outcomes(only, repeat('/files', 20));
    const mixedSeen = await outcomes(
      mixed,
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? '/files' : MODEL)),
    );
    expect(mixedSeen.filter((_, i) => i % 2 === 1)).toEqual(repeat('200', 20));
    expect(mixedSeen.filter((_, i) => i % 2 === 0)).toEqual(onlyFiles);
    expect(onlyFiles).toContain('500');
  });

  it('limit faults to the listed paths or route templates', async () => {
    const api = await start({
      faults: { rate: 1, kinds: ['503'], routes: ['/fine_tuning/jobs/{fine_tuning_job_id}', '/files'] },
    });
    expect(await outcome(api, '/fine_tuning/jobs/ftjob-abc')).toBe('503');
    expect(await outcome(api, '/files')).toBe('503');
    expect(await outcome(api, '/fine_tuning/jobs')).toBe('200');
    expect(await outcome(api, '/files/file-missing')).toBe('404');
    expect(await outcome(api, MODEL)).toBe('200');
  });

  it('strike before authentication: a wrong key sees the fault, not a 401', async () => {
    const api = await start({ faults: { rate: 1, kinds: ['503'] } });
    const response = await fetch(`${api.url}${MODEL}`, { headers: { authorization: 'Bearer sk-wrong' } });
    expect(response.status).toBe(503);
    await response.arrayBuffer();
  });

  it('use mulberry32, so a seed means the same thing everywhere', () => {
    // The first value the canonical JavaScript mulberry32 gives for seed 1.
    expect(mulberry32(1)()).toBe(0.6270739405881613);
  });
});

describe('each fault kind', () => {
  it('answers 500 in the API error shape, without retry headers', async () => {
    const api = await start({ faults: { rate: 1, kinds: ['500'] } });
    const response = await fetch(`${api.url}${MODEL}`, {
      headers: { authorization: `Bearer ${api.apiKey}` },
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual(SERVER_ERROR);
    expect(response.headers.get('retry-after-ms')).toBeNull();
    expect(response.headers.get('retry-after')).toBeNull();

    const error = await clientFor(api)
      .models.retrieve('gpt-4o-mini')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error).toMatchObject({ status: 500, type: 'server_error', code: null });
    expect(api.requests.map((entry) => [entry.status, entry.fault])).toEqual([
      [500, '500'],
      [500, '500'],
    ]);
  });

  it('answers 502 as a bad gateway', async () => {
    const api = await start({ faults: { rate: 1, kinds: ['502'] } });
    const error = await clientFor(api)
      .files.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error).toMatchObject({ status: 502, type: 'cf_bad_gateway', error: { message: 'Bad gateway.' } });
  });

  it('answers 503 and 429 with retry-after-ms and retry-after in whole seconds', async () => {
    const api = await start({ faults: { rate: 1, kinds: ['503'] } });
    const overloaded = await fetch(`${api.url}/files`, {
      headers: { authorization: `Bearer ${api.apiKey}` },
    });
    expect(overloaded.status).toBe(503);
    expect(overloaded.headers.get('retry-after-ms')).toBe('20');
    expect(overloaded.headers.get('retry-after')).toBe('1');
    expect(await overloaded.json()).toMatchObject({
      error: { type: 'server_error', param: null, code: null },
    });

    api.setFaults({ kinds: ['429'], retryAfterMs: 1500 });
    const limited = await fetch(`${api.url}/files`, { headers: { authorization: `Bearer ${api.apiKey}` } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after-ms')).toBe('1500');
    expect(limited.headers.get('retry-after')).toBe('2');
    const body = (await limited.json()) as { error: { message: string } };
    expect(body).toEqual({
      error: { message: body.error.message, type: 'requests', param: null, code: 'rate_limit_exceeded' },
    });
    expect(body.error.message).toMatch(/^Rate limit reached for requests /);

    const error = await clientFor(api)
      .fineTuning.jobs.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'requests' });

    api.setFaults({ retryAfterMs: null });
    const bare = await fetch(`${api.url}/files`, { headers: { authorization: `Bearer ${api.apiKey}` } });
    expect(bare.status).toBe(429);
    expect(bare.headers.get('retry-after-ms')).toBeNull();
    expect(bare.headers.get('retry-after')).toBeNull();
    await bare.arrayBuffer();
  });

  it('drops the connection without an answer', async () => {
    const api = await start({ faults: { rate: 1, kinds: ['drop'] } });
    const failure = await fetch(`${api.url}${MODEL}`, {
      headers: { authorization: `Bearer ${api.apiKey}` },
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TypeError);
    expect(String((failure as Error).cause)).toMatch(/other side closed|socket hang up|ECONNRESET/i);

    const error = await clientFor(api)
      .models.retrieve('gpt-4o-mini')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(api.requests.map((entry) => [entry.status, entry.fault])).toEqual([
      [0, 'drop'],
      [0, 'drop'],
    ]);
  });

  it('are answers the contract accepts as errors of every operation', () => {
    const contract = loadContract();
    for (const kind of FAULT_KINDS) {
      if (kind === 'drop') continue;
      const answer = faultAnswer(kind, 20);
      for (const operation of contract.operations) {
        expect(contract.checkResponse(operation, answer.status, answer.json)).toBeNull();
      }
    }
  });

  it('lets the SDK get through 429 and 503 quickly by honouring retry-after-ms', async () => {
    const api = await start({ faults: { rate: 0.5, seed: 5, kinds: ['429', '503'] } });
    const client = new OpenAI({ apiKey: api.apiKey, baseURL: api.url, maxRetries: 8 });
    const began = performance.now();
    for (let i = 0; i < 10; i++) await client.models.retrieve('gpt-4o-mini');
    expect(performance.now() - began).toBeLessThan(2000);
    expect(api.countHandled('GET', '/models/{model}')).toBe(10);
    expect(api.count('GET', '/models/{model}')).toBeGreaterThan(10);
  });
});

describe('faulted requests are not carried out', () => {
  it('stores no file for a faulted upload, whether answered or dropped', async () => {
    const api = await start({ faults: { rate: 1, kinds: ['500'] } });
    const client = clientFor(api);
    await expect(uploadText(client, chatJsonl(5))).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    // A bigger body than the socket buffers hold: the client still gets the answer, not a reset.
    await expect(uploadText(client, chatJsonl(40_000))).rejects.toMatchObject({ status: 500 });
    api.setFaults({ kinds: ['drop'] });
    await expect(uploadText(client, chatJsonl(5))).rejects.toBeInstanceOf(OpenAI.APIConnectionError);

    expect(api.files()).toEqual([]);
    expect(await readdir(join(api.storageDir, 'files'))).toEqual([]);
    expect(await readdir(join(api.storageDir, 'incoming'))).toEqual([]);
    expect(api.requests.map((entry) => [entry.fault, entry.body])).toEqual([
      ['500', null],
      ['500', null],
      ['drop', null],
    ]);
    expect(api.count('POST', '/files')).toBe(3);
    expect(api.countHandled('POST', '/files')).toBe(0);

    api.clearFaults();
    await uploadText(client, chatJsonl(5));
    expect(api.files()).toHaveLength(1);
    expect(api.countHandled('POST', '/files')).toBe(1);
  });

  it('creates no job for a faulted create', async () => {
    const api = await start();
    const client = clientFor(api);
    const file = await processedTrainingFile(client);
    api.setFaults({ rate: 1, kinds: ['503', 'drop'], seed: 2 });
    for (let i = 0; i < 6; i++) {
      await expect(
        client.fineTuning.jobs.create({ model: 'gpt-4o-mini-2024-07-18', training_file: file.id }),
      ).rejects.toBeInstanceOf(OpenAI.APIError); // APIConnectionError is one too
    }
    expect(new Set(api.requests.slice(-6).map((entry) => entry.fault))).toEqual(new Set(['503', 'drop']));
    api.clearFaults();
    expect(api.jobs()).toEqual([]);
    expect((await client.fineTuning.jobs.list()).data).toEqual([]);
    expect(api.countHandled('POST', '/fine_tuning/jobs')).toBe(0);
  });
});

describe('lost creates', () => {
  it('create the job, then cut the connection, exactly N times', async () => {
    const api = await start();
    const client = clientFor(api);
    const file = await processedTrainingFile(client);
    const create = () =>
      client.fineTuning.jobs.create({ model: 'gpt-4o-mini-2024-07-18', training_file: file.id });
    api.setFaults({ lostCreates: 2 });

    // A create the API rejects reaches the handler but creates nothing, so loses nothing.
    await expect(
      client.fineTuning.jobs.create({ model: 'gpt-4o-mini-2024-07-18', training_file: 'file-missing' }),
    ).rejects.toMatchObject({ status: 400 });
    // Neither does one a random fault stops before the handler.
    api.setFaults({ rate: 1, kinds: ['500'] });
    await expect(create()).rejects.toMatchObject({ status: 500 });
    api.setFaults({ rate: 0 });

    await expect(create()).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    expect((await client.fineTuning.jobs.list()).data).toHaveLength(1);
    await expect(create()).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    const third = await create();

    const listed = (await client.fineTuning.jobs.list()).data;
    expect(listed).toHaveLength(3);
    expect(listed[0].id).toBe(third.id);
    await expect(client.fineTuning.jobs.retrieve(listed[2].id)).resolves.toMatchObject({
      training_file: file.id,
    });
    const creates = api.requests.filter(
      (entry) => entry.route === '/fine_tuning/jobs' && entry.method === 'POST',
    );
    expect(creates.map((entry) => [entry.status, entry.fault ?? null])).toEqual([
      [400, null],
      [500, '500'],
      [0, 'lost'],
      [0, 'lost'],
      [200, null],
    ]);
    expect(api.count('POST', '/fine_tuning/jobs')).toBe(5);
    expect(api.countHandled('POST', '/fine_tuning/jobs')).toBe(4);
  });

  it('reach the client as a plain fetch error', async () => {
    const api = await start();
    const file = await processedTrainingFile(clientFor(api));
    api.setFaults({ lostCreates: 1 });
    const failure = await fetch(`${api.url}/fine_tuning/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini-2024-07-18', training_file: file.id }),
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TypeError);
    expect(api.jobs()).toHaveLength(1);
  });
});

describe('insufficient quota', () => {
  it('answers 429 insufficient_quota to a valid key and 401 to a wrong one, carrying nothing out', async () => {
    const api = await start({ faults: { insufficientQuota: true } });
    const response = await fetch(`${api.url}/files`, { headers: { authorization: `Bearer ${api.apiKey}` } });
    expect(response.status).toBe(429);
    expect(await response.json()).toEqual(QUOTA_ERROR);

    const error = await uploadText(clientFor(api), chatJsonl(3)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'insufficient_quota', type: 'insufficient_quota' });
    expect(api.files()).toEqual([]);

    await expect(clientFor(api, 'sk-wrong').files.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    expect(api.requests.map((entry) => [entry.status, entry.fault ?? null])).toEqual([
      [429, 'insufficient_quota'],
      [429, 'insufficient_quota'],
      [401, null],
    ]);

    api.setFaults({ insufficientQuota: false });
    await expect(clientFor(api).files.list()).resolves.toMatchObject({ data: [] });
  });
});

describe('delayMs', () => {
  it('delays every answer, faults and cut connections included', async () => {
    const api = await start({ faults: { delayMs: 120 } });
    const timed = async (run: () => Promise<unknown>) => {
      const began = performance.now();
      await run();
      return performance.now() - began;
    };
    expect(await timed(() => outcome(api, MODEL))).toBeGreaterThanOrEqual(118);
    api.setFaults({ rate: 1, kinds: ['500'] });
    expect(await timed(() => outcome(api, MODEL))).toBeGreaterThanOrEqual(118);
    api.setFaults({ kinds: ['drop'] });
    expect(await timed(() => outcome(api, MODEL))).toBeGreaterThanOrEqual(118);
    expect(logged(api)).toEqual(['200', '500', 'drop']);
    for (const entry of api.requests) expect(entry.durationMs).toBeGreaterThanOrEqual(119);
  });
});

describe('plans', () => {
  it('refuse values out of range', async () => {
    await expect(start({ faults: { rate: 1.5 } })).rejects.toThrow(/rate/);
    const api = await start();
    expect(() => api.setFaults({ kinds: ['404' as '500'] })).toThrow(/unknown fault kind '404'/);
    expect(() => api.setFaults({ delayMs: -1 })).toThrow(/delayMs/);
    expect(await outcome(api, MODEL)).toBe('200');
  });
});

describe('command line', () => {
  it('takes the fault flags', async () => {
    const child = spawn(
      process.execPath,
      [
        CLI,
        ...['--fault-rate', '1', '--fault-seed', '7', '--fault-kinds', '503,429'],
        ...['--fault-routes', '^/files', '--retry-after-ms', '2500', '--delay-ms', '30'],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const [line] = (await once(child.stdout, 'data')) as [Buffer];
      const url = /^listening on (\S+)\n/.exec(line.toString())![1];
      const get = (path: string) =>
        fetch(`${url}${path}`, { headers: { authorization: 'Bearer sk-local-test' } });

      const began = performance.now();
      const model = await get(MODEL);
      expect(performance.now() - began).toBeGreaterThanOrEqual(28);
      expect(model.status).toBe(200);
      await model.arrayBuffer();
      const files = await get('/files');
      expect([429, 503]).toContain(files.status);
      expect(files.headers.get('retry-after-ms')).toBe('2500');
      expect(files.headers.get('retry-after')).toBe('3');
      await files.arrayBuffer();
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('refuses an unknown fault kind', async () => {
    const child = spawn(process.execPath, [CLI, '--fault-kinds', '500,404'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown kind\(s\) 404/);
  });
});

describe('rateLimited', () => {
  it('answers the next N requests of its routes 429 with Retry-After, before any random draw', async () => {
    const api = await start({ faults: { rateLimited: 2, routes: ['/models/{model}'], retryAfterMs: 1000 } });
    const get = (path: string) =>
      fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${api.apiKey}` } });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await get('/models/gpt-4o-mini');
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get('retry-after')).toBe('1');
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
          'rate_limit_exceeded',
        );
      }
    }
    expect(statuses).toEqual([429, 429, 200]);
    expect((await get('/files')).status).toBe(200);
    expect(api.requests.map((r) => r.fault ?? null)).toEqual(['429', '429', null, null]);
  });
});
