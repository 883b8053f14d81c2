import http from 'node:http';
import https from 'node:https';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../server/tls.ts';
import { JobClient } from '../../src/api/client.js';
import { describeError } from '../../src/api/errors.js';

// What the step's error says when a request gets no answer at all: the reason from Node, which
// the SDK's own "Connection error." leaves out.

async function listening(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function clientAt(baseURL: string): JobClient {
  return new JobClient(
    { apiKey: 'sk-unit-test', baseURL, provider: 'openai' as const, organization: null, project: null },
    { maxRetries: 0 },
  );
}

describe('describeError for a request that got no answer', () => {
  it('names a refused connection, with the address', async () => {
    const server = http.createServer();
    const port = await listening(server);
    await new Promise((resolve) => server.close(resolve));
    const error = await clientAt(`http://127.0.0.1:${port}/v1`)
      .retrieveJob('ftjob-1')
      .catch((e: unknown) => e);
    expect(describeError(error)).toBe(`Connection error. connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('names a certificate the runner does not trust, so the fix (NODE_EXTRA_CA_CERTS) can be found', async () => {
    const certificate = await selfSignedCertificate(mkdtempSync(path.join(tmpdir(), 'tls-')));
    const server = https.createServer(certificate, (_req, res) => res.end('{}'));
    const port = await listening(server);
    try {
      const error = await clientAt(`https://127.0.0.1:${port}/v1`)
        .retrieveJob('ftjob-1')
        .catch((e: unknown) => e);
      // Node adds its own hint (--use-system-ca) between the reason and the code.
      expect(describeError(error)).toMatch(
        /^Connection error\. self-signed certificate\b.* \(DEPTH_ZERO_SELF_SIGNED_CERT\)$/,
      );
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('describeError for an answer a gateway passed on', () => {
  const answer = (status: number, body: unknown) => {
    const server = http.createServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    return listening(server).then((port) => ({ port, close: () => server.close() }));
  };

  it('shows the message inside a message that is an error body as JSON', async () => {
    const inner = {
      error: { message: 'Invalid file format for fine-tuning', type: 'invalid_request_error' },
    };
    const api = await answer(400, { error: { message: JSON.stringify(inner), type: 'None', code: '400' } });
    const error = await clientAt(`http://127.0.0.1:${api.port}/v1`)
      .retrieveJob('ftjob-1')
      .catch((e: unknown) => e);
    api.close();
    expect(describeError(error)).toBe('HTTP 400: Invalid file format for fine-tuning');
  });

  it('keeps a code that says more than the status', async () => {
    const api = await answer(400, { error: { message: 'not yet', type: 'x', code: 'file_not_ready' } });
    const error = await clientAt(`http://127.0.0.1:${api.port}/v1`)
      .retrieveJob('ftjob-1')
      .catch((e: unknown) => e);
    api.close();
    expect(describeError(error)).toBe('HTTP 400 (file_not_ready): not yet');
  });
});
