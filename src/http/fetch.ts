import http, { type IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { LightHeaders, type HeadersSource } from './headers.js';

// The `fetch` the job client hands the `openai` SDK, on node:http. Node's own fetch is undici,
// which costs about 15 MB resident and 25 ms to load, and whose HTTP parser, WebAssembly, is
// compiled again in the background after the first requests, briefly another 10 to 20 MB
// (`npm run bench`): together the larger part of what the action cost while it waited. The SDK
// needs little of fetch: a method, headers, a string or streamed body and an abort signal out;
// a status, headers and a body to read back. That much is here. Redirects are not followed: the
// API does not send them, and a streamed upload could not be sent twice anyway.

export interface LightResponseInit {
  status: number;
  statusText?: string;
  headers?: LightHeaders;
  url?: string;
  /** The request's signal: a body read that fails because it fired rejects with its reason. */
  signal?: AbortSignal;
}

/**
 * The parts of the standard `Response` the SDK reads: status, headers, and the body once, as
 * text. `body` is Node's stream of the response, which the SDK only ever cancels, through its
 * async iterator.
 */
export class LightResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: LightHeaders;
  readonly url: string;
  readonly body: IncomingMessage | null;
  readonly #signal: AbortSignal | undefined;
  #text: string | null;
  #used = false;

  constructor(body: IncomingMessage | string | null, init: LightResponseInit) {
    this.status = init.status;
    this.statusText = init.statusText ?? '';
    this.headers = init.headers ?? new LightHeaders();
    this.url = init.url ?? '';
    this.body = typeof body === 'string' ? null : body;
    this.#text = typeof body === 'string' ? body : null;
    this.#signal = init.signal;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  /** UTF-8, a leading byte-order mark dropped, as the standard's `text()` decodes; once only. */
  async text(): Promise<string> {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    if (this.#text !== null) return this.#text;
    if (!this.body) return '';
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of this.body) chunks.push(chunk as Buffer);
    } catch (error) {
      throw this.#signal?.aborted ? this.#signal.reason : error;
    }
    return new TextDecoder().decode(decode(Buffer.concat(chunks), this.headers.get('content-encoding')));
  }
}

/**
 * Requests ask for answers uncompressed (the API's are small JSON), which keeps zlib out of the
 * process; should a proxy compress one regardless, it is decoded here, as fetch would.
 */
function decode(body: Buffer, encoding: string | null): Buffer {
  const coding = encoding?.trim().toLowerCase() ?? 'identity';
  if (coding === 'identity' || coding === '') return body;
  const zlib = process.getBuiltinModule('node:zlib');
  if (coding === 'gzip' || coding === 'x-gzip') return zlib.gunzipSync(body);
  if (coding === 'deflate') return zlib.inflateSync(body);
  if (coding === 'br') return zlib.brotliDecompressSync(body);
  throw new TypeError(`fetch: unsupported content-encoding '${encoding}'`);
}

type Body = string | ArrayBufferView | AsyncIterable<Uint8Array>;

function isBody(body: unknown): body is Body {
  return (
    typeof body === 'string' ||
    ArrayBuffer.isView(body) ||
    (typeof body === 'object' && body !== null && Symbol.asyncIterator in body)
  );
}

/**
 * node:https carries TLS, about 7 ms and 8 MB more of Node to load and set up, so it is loaded only
 * for an https URL; the local API server of the tests and the demo speaks plain http.
 */
function transportFor(url: URL): typeof http | typeof import('node:https') {
  if (url.protocol === 'http:') return http;
  if (url.protocol === 'https:') return process.getBuiltinModule('node:https');
  throw new TypeError(`fetch: unsupported protocol ${url.protocol}`);
}

/**
 * One request. Rejects as fetch does: with the signal's reason once aborted, otherwise with
 * `TypeError('fetch failed')` carrying Node's error as `cause`.
 */
export function lightFetch(input: string | URL, init: RequestInit = {}): Promise<LightResponse> {
  const url = new URL(input);
  const signal = init.signal ?? undefined;
  const body = init.body ?? null;
  if (body !== null && !isBody(body)) {
    return Promise.reject(
      new TypeError(`fetch: unsupported request body ${Object.prototype.toString.call(body)}`),
    );
  }
  const headers = new LightHeaders(init.headers as HeadersSource);
  if (!headers.has('accept-encoding')) headers.set('accept-encoding', 'identity');
  const known =
    typeof body === 'string'
      ? Buffer.from(body)
      : ArrayBuffer.isView(body)
        ? Buffer.from(body.buffer, body.byteOffset, body.byteLength)
        : null;
  if (known) headers.set('content-length', String(known.byteLength));
  return new Promise((resolve, reject) => {
    const fail = (error: Error) =>
      reject(signal?.aborted ? signal.reason : new TypeError('fetch failed', { cause: error }));
    if (signal?.aborted) return fail(new Error('aborted'));
    const request = transportFor(url).request(url, {
      method: init.method ?? 'GET',
      headers: Object.fromEntries(headers),
      signal,
    });
    // `on`, not `once`: an error after the answer (an abort mid-body) must not go unhandled.
    request.on('error', fail);
    request.once('response', (response) => {
      // Nothing will read a body that cannot exist; reading it to its end frees the connection.
      if (response.statusCode === 204 || response.statusCode === 304 || init.method === 'HEAD')
        response.resume();
      const received = new LightHeaders();
      const raw = response.rawHeaders;
      for (let i = 0; i < raw.length; i += 2) received.append(raw[i], raw[i + 1]);
      resolve(
        new LightResponse(response, {
          status: response.statusCode ?? 0,
          statusText: response.statusMessage,
          headers: received,
          url: url.href,
          signal,
        }),
      );
    });
    if (body === null || typeof body === 'string' || ArrayBuffer.isView(body))
      request.end(known ?? undefined);
    else pipeline(body, request).catch((error: Error) => request.destroy(error));
  });
}
