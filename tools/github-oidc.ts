// A stand-in for GitHub's OIDC token service, as the runner exposes it to a step with
// `permissions: id-token: write` (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN): it mints unsigned
// tokens in the shape GitHub's have, for the audience asked for. The demo and the tests sign in
// without a key through it; the local API's Entra stand-in checks nothing but the claims.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GithubOidc {
  /** What the runner sets for the step. */
  env: { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string };
  /** Every token handed out, in order. */
  minted: string[];
  /** The audience each one was asked for. */
  audiences: string[];
  close(): Promise<void>;
}

const REQUEST_TOKEN = 'runtime-request-token';

/** A token in the shape of GitHub's (unsigned: the stand-ins check claims, not signatures). */
export function mintGithubToken(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const all = { iss: 'https://token.actions.githubusercontent.com', iat: now, exp: now + 300, ...claims };
  return [encode({ typ: 'JWT', alg: 'RS256' }), encode(all), 'c2lnbmF0dXJl'].join('.');
}

export async function startGithubOidc(
  subject = 'repo:octo-org/models:ref:refs/heads/main',
): Promise<GithubOidc> {
  const minted: string[] = [];
  const audiences: string[] = [];
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${REQUEST_TOKEN}`) return res.writeHead(401).end();
    const audience = new URL(req.url ?? '/', 'http://localhost').searchParams.get('audience') ?? '';
    audiences.push(audience);
    const token = mintGithubToken({ sub: subject, aud: audience, jti: String(minted.length) });
    minted.push(token);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: token }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    env: {
      ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN,
    },
    minted,
    audiences,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
