import http from 'node:http';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lightFetch } from '../../src/http/fetch.js';
import { LightHeaders } from '../../src/http/headers.js';

// The transport the job client gives the SDK, against a real HTTP server on loopback: what it
// sends, what it hands back, and how it fails.

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The client's port: the same for two requests that shared a kept-alive connection. */
  port: number;
}

let server: http.Server;
let base: string;
const seen: Seen[] = [];
/** Routes of the test server; each answers after reading the whole request. */
const routes: Record<string, (res: http.ServerResponse) => void> = {
  '/json': (res) => {
    res.setHeader('content-type', 'application/json');
    res.setHeader('X-Request-Id', 'req_1');
    res.setHeader('set-cookie', ['a=1', 'b=2']);
    res.setHeader('x-multi', ['one', 'two']);
    res.end(JSON.stringify({ ok: 'é' }));
  },
  '/echo': (res) => res.end('received'),
  // A proxy that compresses whatever the request asked for.
  '/gzipped': (res) => {
    res.setHeader('content-encoding', 'gzip');
    res.end(gzipSync(JSON.stringify({ compressed: true })));
  },
  '/empty': (res) => {
    res.statusCode = 204;
    res.end();
  },
  '/missing': (res) => {
    res.statusCode = 404;
    res.statusMessage = 'Not Found';
    res.end('{"error":{"message":"no such thing"}}');
  },
  // Sends the headers, then holds the body back until the client gives up.
  '/stall-body': (res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('part');
  },
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        port: req.socket.remotePort ?? 0,
      });
      if (req.url === '/stall') return; // never answers
      routes[req.url ?? '']?.(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const last = () => seen.at(-1)!;

describe('lightFetch', () => {
  it('sends the method and headers, and hands back status, headers and a JSON body', async () => {
    const response = await lightFetch(`${base}/json`, {
      method: 'GET',
      headers: [
        ['Authorization', 'Bearer sk-test'],
        ['X-Stainless-Lang', 'js'],
      ],
    });
    expect(last().headers).toMatchObject({ authorization: 'Bearer sk-test', 'x-stainless-lang': 'js' });
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.url).toBe(`${base}/json`);
    expect(response.headers.get('x-request-id')).toBe('req_1');
    expect(response.headers.get('X-Multi')).toBe('one, two');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(JSON.parse(await response.text())).toEqual({ ok: 'é' });
  });

  it('reports an error status with its text, as a response, not a rejection', async () => {
    const response = await lightFetch(`${base}/missing`);
    expect(response.status).toBe(404);
    expect(response.ok).toBe(false);
    expect(response.statusText).toBe('Not Found');
    expect(await response.text()).toContain('no such thing');
  });

  it('sends a string body with its length in bytes, not characters', async () => {
    const body = JSON.stringify({ suffix: 'modèle' });
    await (await lightFetch(`${base}/echo`, { method: 'POST', body })).text();
    expect(last().body).toBe(body);
    expect(last().headers['content-length']).toBe(String(Buffer.byteLength(body)));
  });

  it('streams a body from an async iterable or a ReadableStream, whole and in order', async () => {
    const chunks = ['--b\r\n', 'x'.repeat(100_000), '\r\n--b--\r\n'];
    async function* parts() {
      for (const chunk of chunks) yield new TextEncoder().encode(chunk);
    }
    const stream = () => {
      const iterator = parts();
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { done, value } = await iterator.next();
          if (done) controller.close();
          else controller.enqueue(value);
        },
      });
    };
    for (const body of [parts(), stream()]) {
      await (
        await lightFetch(`${base}/echo`, { method: 'POST', body, duplex: 'half' } as RequestInit)
      ).text();
      expect(last().body).toBe(chunks.join(''));
      expect(last().headers['transfer-encoding']).toBe('chunked');
    }
  });

  it('asks for an uncompressed answer, and decodes one compressed regardless', async () => {
    const response = await lightFetch(`${base}/gzipped`);
    expect(last().headers['accept-encoding']).toBe('identity');
    expect(JSON.parse(await response.text())).toEqual({ compressed: true });
  });

  it('refuses a body it cannot send, before connecting', async () => {
    const before = seen.length;
    await expect(
      lightFetch(`${base}/echo`, { method: 'POST', body: new URLSearchParams('a=1') }),
    ).rejects.toThrow(/unsupported request body \[object URLSearchParams\]/);
    expect(seen.length).toBe(before);
  });

  it('gives a body once: a second read throws, as the standard says', async () => {
    const response = await lightFetch(`${base}/echo`);
    expect(await response.text()).toBe('received');
    await expect(response.text()).rejects.toThrow(TypeError);
  });

  it('frees the connection after a 204, whose body nothing reads, for the next request', async () => {
    const response = await lightFetch(`${base}/empty`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    const deleted = last();
    await (await lightFetch(`${base}/echo`)).text();
    expect(last().port).toBe(deleted.port);
  });

  it('rejects with the signal’s reason when aborted before sending, and sends nothing', async () => {
    const before = seen.length;
    const reason = new Error('run cancelled');
    await expect(lightFetch(`${base}/echo`, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(seen.length).toBe(before);
  });

  it('rejects with the signal’s reason when aborted while waiting for the answer', async () => {
    const controller = new AbortController();
    const pending = lightFetch(`${base}/stall`, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('deadline')), 50);
    await expect(pending).rejects.toThrow('deadline');
  });

  it('rejects a body read with the signal’s reason when aborted mid-body', async () => {
    const controller = new AbortController();
    const response = await lightFetch(`${base}/stall-body`, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('deadline')), 50);
    await expect(response.text()).rejects.toThrow('deadline');
  });

  it('fails as fetch does when nothing listens: TypeError with the cause from Node', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await lightFetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(((error as TypeError).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  it('refuses a URL that is not http or https', async () => {
    await expect(lightFetch('ftp://example.test/file')).rejects.toThrow('unsupported protocol ftp:');
  });
});

describe('LightHeaders', () => {
  it('matches names in any case and joins repeated values', () => {
    const headers = new LightHeaders([
      ['Accept', 'application/json'],
      ['accept', 'text/plain'],
    ]);
    expect(headers.get('ACCEPT')).toBe('application/json, text/plain');
    expect(headers.has('accept')).toBe(true);
    headers.set('Accept', 'text/csv');
    expect(headers.get('accept')).toBe('text/csv');
    headers.delete('ACCEPT');
    expect(headers.has('accept')).toBe(false);
    expect(headers.get('accept')).toBeNull();
  });

  it('iterates sorted by lower-cased name, set-cookie one row per value', () => {
    const headers = new LightHeaders({ 'X-B': '2', 'x-a': '1', 'Set-Cookie': ['c=1', 'd=2'] });
    expect([...headers]).toEqual([
      ['set-cookie', 'c=1'],
      ['set-cookie', 'd=2'],
      ['x-a', '1'],
      ['x-b', '2'],
    ]);
    expect([...headers.keys()]).toEqual(['set-cookie', 'set-cookie', 'x-a', 'x-b']);
    const rows: string[] = [];
    headers.forEach((value, name) => rows.push(`${name}=${value}`));
    expect(rows).toEqual(['set-cookie=c=1', 'set-cookie=d=2', 'x-a=1', 'x-b=2']);
  });

  it('copies another Headers, and trims whitespace around values', () => {
    const copy = new LightHeaders(new LightHeaders({ 'content-type': '  application/json \t' }));
    expect(copy.get('content-type')).toBe('application/json');
  });

  it('throws on a name that is not a token or a value holding a line break', () => {
    expect(() => new LightHeaders({ 'bad name': 'x' })).toThrow('Invalid header name: "bad name"');
    expect(() => new LightHeaders().set('x-ok', 'a\r\nInjected: yes')).toThrow(
      'Invalid value for header "x-ok"',
    );
  });
});
