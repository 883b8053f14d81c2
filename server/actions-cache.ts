// A local stand-in for the Actions cache service as `@actions/cache` reaches it with
// ACTIONS_RESULTS_URL pointing here (cache service v2): the three Twirp calls of its CacheService,
// and the signed URLs it hands out, where the archive is uploaded with a single Azure Blob PUT and
// downloaded with a plain GET. As on GitHub, an entry is written once: a second CreateCacheEntry
// for the same key and version is refused, and a key is visible only once its upload is finalized.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ActionsCacheOptions {
  /** The runtime token every Twirp call must carry as a Bearer token. */
  token?: string;
  /**
   * Refuse every call as the service does for a token without cache scopes (Twirp's
   * permission_denied, HTTP 403), which the client does not retry: the "unreadable" path.
   */
  denied?: boolean;
}

export interface ActionsCacheServer {
  /** What ACTIONS_RESULTS_URL is set to, with a trailing slash as the runner gives it. */
  url: string;
  token: string;
  /** Keys of the finalized entries, in the order they were written. */
  keys(): string[];
  /** Each call, as `Method key`, e.g. `CreateCacheEntry openai-fine-tune-action-job-...`. */
  calls: string[];
  setDenied(denied: boolean): void;
  close(): Promise<void>;
}

interface Entry {
  key: string;
  version: string;
  body?: Buffer;
  finalized: boolean;
}

const SERVICE = '/twirp/github.actions.results.api.v1.CacheService/';

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export async function startActionsCache(options: ActionsCacheOptions = {}): Promise<ActionsCacheServer> {
  const token = options.token ?? 'runtime-token';
  let denied = options.denied ?? false;
  const entries: Entry[] = [];
  const calls: string[] = [];
  let base = '';

  const blob = (entry: Entry) => `${base}/blobs/devstoreaccount1/cache/${entries.indexOf(entry)}?sig=local`;
  const entryOfBlob = (url: string) =>
    entries[Number(/^\/blobs\/devstoreaccount1\/cache\/(\d+)/.exec(url)?.[1])];

  async function twirp(method: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.headers.authorization !== `Bearer ${token}`) {
      json(response, 401, { code: 'unauthenticated', msg: 'no runtime token' });
      return;
    }
    const body = JSON.parse((await readBody(request)).toString('utf8')) as {
      key: string;
      version: string;
      restore_keys?: string[];
    };
    calls.push(`${method} ${body.key}`);
    const same = (entry: Entry) => entry.key === body.key && entry.version === body.version;
    if (method === 'CreateCacheEntry') {
      if (entries.some(same)) {
        json(response, 200, { ok: false, message: `cache entry ${body.key} already exists` });
        return;
      }
      const entry: Entry = { key: body.key, version: body.version, finalized: false };
      entries.push(entry);
      json(response, 200, { ok: true, signed_upload_url: blob(entry) });
    } else if (method === 'FinalizeCacheEntryUpload') {
      const entry = entries.find((candidate) => same(candidate) && candidate.body);
      if (!entry) {
        json(response, 200, { ok: false, message: 'nothing was uploaded for this entry' });
        return;
      }
      entry.finalized = true;
      json(response, 200, { ok: true, entry_id: String(entries.indexOf(entry) + 1) });
    } else if (method === 'GetCacheEntryDownloadURL') {
      // The primary key matches exactly or as a prefix, then each restore key as a prefix.
      const ready = entries.filter((entry) => entry.finalized && entry.version === body.version).reverse();
      const match = [body.key, ...(body.restore_keys ?? [])]
        .map((key) => ready.find((entry) => entry.key.startsWith(key)))
        .find(Boolean);
      json(
        response,
        200,
        match ? { ok: true, signed_download_url: blob(match), matched_key: match.key } : { ok: false },
      );
    } else {
      json(response, 404, { code: 'bad_route', msg: `no method ${method}` });
    }
  }

  const server = createServer((request, response) => {
    const url = request.url ?? '';
    void (async () => {
      if (denied) {
        json(response, 403, { code: 'permission_denied', msg: 'this token has no access to the cache' });
        return;
      }
      if (request.method === 'POST' && url.startsWith(SERVICE)) {
        await twirp(url.slice(SERVICE.length), request, response);
        return;
      }
      const entry = entryOfBlob(url);
      if (entry && request.method === 'PUT' && !entry.finalized) {
        entry.body = await readBody(request);
        response.writeHead(201, { etag: '"local"', 'last-modified': new Date().toUTCString() }).end();
        return;
      }
      if (entry?.body && request.method === 'GET') {
        response.writeHead(200, { 'content-length': entry.body.length }).end(entry.body);
        return;
      }
      response.writeHead(404).end();
    })().catch(() => response.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/`,
    token,
    calls,
    keys: () => entries.filter((entry) => entry.finalized).map((entry) => entry.key),
    setDenied: (value) => (denied = value),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
