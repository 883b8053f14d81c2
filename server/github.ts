// A local, stateful stand-in for GitHub's issue-comment endpoints (and a pull request's changed
// files), as the action's pull-request comment reaches them through @actions/github with
// GITHUB_API_URL pointing here. Every request body and every answer is checked against GitHub's own
// OpenAPI description (server/github-spec.ts); a departure is recorded in `violations`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { components } from '@octokit/openapi-types';
import { answerGraphql, type TokenActor } from './github-graphql.ts';
import { loadGithubContract } from './github-spec.ts';
import type { RequestLogEntry } from './http.ts';

export type IssueComment = components['schemas']['issue-comment'];
export type DiffEntry = components['schemas']['diff-entry'];
type User = components['schemas']['simple-user'];

export interface GithubServerOptions {
  /** The token every request must carry, as `Authorization: token X` or `Bearer X`. */
  token?: string;
  /**
   * Refuse every write with GitHub's 403 "Resource not accessible by integration", as GitHub does
   * for a token without `pull-requests: write`, such as a pull request from a fork gets. Reads still
   * work. Later changes go through `setReadOnly`.
   */
  readOnly?: boolean;
  /**
   * Who the token acts as, and so who writes the comments it makes. Default `github-actions[bot]`
   * with an installation token (GITHUB_TOKEN), which GraphQL's `viewer` refuses.
   */
  actor?: TokenActor;
  /** Default 0: any free port. */
  port?: number;
}

/** An issue or pull request: comments belong to one. */
export interface IssueRef {
  owner: string;
  repo: string;
  number: number;
}

/** A request as the stand-in logged it: the local API's log entry, less its timing and credential. */
export type GithubRequest = Pick<RequestLogEntry, 'method' | 'path' | 'route' | 'query' | 'status' | 'body'>;

export interface GithubServer {
  /** What GITHUB_API_URL is set to, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  token: string;
  requests: GithubRequest[];
  /** Every request or answer that departed from GitHub's description. */
  violations: string[];
  /** Every comment, on every issue, oldest first. */
  comments(): IssueComment[];
  /** A comment someone else wrote (default a person, `octocat`), as if it were there before. */
  seedComment(on: IssueRef, body: string, author?: { login: string; type: 'User' | 'Bot' }): IssueComment;
  setReadOnly(readOnly: boolean): void;
  /** The files a pull request changes, in the order GitHub would list them. */
  setPullFiles(pull: IssueRef, files: Array<Pick<DiffEntry, 'filename'> & Partial<DiffEntry>>): void;
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest';
/** GitHub's limit on a comment's body. */
const MAX_BODY_CHARS = 65_536;
const HTML = 'https://github.com';
/** Who GITHUB_TOKEN acts as, so whose comments the action's are. */
const ACTIONS_BOT: TokenActor = {
  login: 'github-actions[bot]',
  id: 41898282,
  type: 'Bot',
  installation: true,
};
const CLOSE_GRACE_MS = 1000;

interface Answer {
  status: number;
  json: unknown;
  headers?: Record<string, string>;
}

// Fields written out rather than as parameter properties: Node runs this file by stripping its
// types (`npm run demo`, `npm run server`), which parameter properties are not.
class GithubError extends Error {
  readonly status: number;
  readonly extra: Record<string, unknown>;

  constructor(status: number, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.extra = extra;
  }

  answer(): Answer {
    const json: Record<string, unknown> = { message: this.message, ...this.extra, documentation_url: DOCS };
    // GitHub's description of a validation error has no `status`, as its basic error has.
    if (this.status !== 422) json.status = String(this.status);
    return { status: this.status, json };
  }
}

export async function startGithubServer(options: GithubServerOptions = {}): Promise<GithubServer> {
  const contract = loadGithubContract();
  const token = options.token ?? 'ghs_local-test-token';
  let readOnly = options.readOnly ?? false;
  const actor = options.actor ?? ACTIONS_BOT;
  const requests: GithubRequest[] = [];
  const violations: string[] = [];
  const comments: Array<{ on: string; comment: IssueComment }> = [];
  const pullFiles = new Map<string, DiffEntry[]>();
  let nextId = 2_000_000_001;
  let api = '';

  const issueKey = (owner: string, repo: string, number: number | string) =>
    `${owner}/${repo}#${number}`.toLowerCase();

  const user = (login: string, id: number, type: string): User => {
    const at = `${api}/users/${encodeURIComponent(login)}`;
    return {
      login,
      id,
      node_id: Buffer.from(`04:${type}${id}`).toString('base64'),
      avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
      gravatar_id: '',
      url: at,
      html_url: type === 'Bot' ? `${HTML}/apps/${login.replace(/\[bot\]$/, '')}` : `${HTML}/${login}`,
      followers_url: `${at}/followers`,
      following_url: `${at}/following{/other_user}`,
      gists_url: `${at}/gists{/gist_id}`,
      starred_url: `${at}/starred{/owner}{/repo}`,
      subscriptions_url: `${at}/subscriptions`,
      organizations_url: `${at}/orgs`,
      repos_url: `${at}/repos`,
      events_url: `${at}/events{/privacy}`,
      received_events_url: `${at}/received_events`,
      type,
      user_view_type: 'public',
      site_admin: false,
    };
  };

  const addComment = (
    on: IssueRef,
    body: string,
    author: { login: string; id: number; type: string },
  ): IssueComment => {
    const id = nextId++;
    const repoApi = `${api}/repos/${on.owner}/${on.repo}`;
    const now = timestamp(Date.now());
    const comment: IssueComment = {
      id,
      node_id: `IC_kwDO${Buffer.from(String(id)).toString('base64url')}`,
      url: `${repoApi}/issues/comments/${id}`,
      html_url: `${HTML}/${on.owner}/${on.repo}/pull/${on.number}#issuecomment-${id}`,
      body,
      user: user(author.login, author.id, author.type),
      created_at: now,
      updated_at: now,
      issue_url: `${repoApi}/issues/${on.number}`,
      author_association: author.type === 'Bot' ? 'NONE' : 'MEMBER',
      performed_via_github_app: null,
      reactions: {
        url: `${repoApi}/issues/comments/${id}/reactions`,
        total_count: 0,
        '+1': 0,
        '-1': 0,
        laugh: 0,
        confused: 0,
        heart: 0,
        hooray: 0,
        eyes: 0,
        rocket: 0,
      },
    };
    comments.push({ on: issueKey(on.owner, on.repo, on.number), comment });
    return comment;
  };

  type Handler = (params: Record<string, string>, url: URL, body: unknown) => Answer;
  const handlers: Record<string, Handler> = {
    'issues/list-comments': ({ owner, repo, issue_number }, url) =>
      page(
        url,
        comments.filter((c) => c.on === issueKey(owner, repo, issue_number)).map((c) => c.comment),
      ),
    'issues/create-comment': ({ owner, repo, issue_number }, _url, body) => {
      const comment = addComment({ owner, repo, number: Number(issue_number) }, commentBody(body), actor);
      return { status: 201, json: comment, headers: { location: comment.url } };
    },
    'issues/update-comment': ({ owner, repo, comment_id }, _url, body) => {
      const found = comments.find(
        (c) => c.comment.id === Number(comment_id) && c.on.startsWith(`${owner}/${repo}#`.toLowerCase()),
      );
      if (!found) throw new GithubError(404, 'Not Found');
      found.comment.body = commentBody(body);
      found.comment.updated_at = timestamp(Date.now());
      return { status: 200, json: found.comment };
    },
    'pulls/list-files': ({ owner, repo, pull_number }, url) =>
      page(url, pullFiles.get(issueKey(owner, repo, pull_number)) ?? []),
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', api);
    const match = contract.match(method, url.pathname);
    const entry: GithubRequest = {
      method,
      path: url.pathname,
      route: match?.operation.template ?? null,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      body: null,
    };
    let answer: Answer;
    try {
      authenticate(req.headers.authorization, token);
      // GraphQL has one address (GitHub Enterprise Server's is /api/graphql) and no REST description.
      if (method === 'POST' && /^(?:\/api)?\/graphql$/.test(url.pathname)) {
        entry.route = url.pathname;
        entry.body = await readJson(req);
        const graphql = answerGraphql(entry.body, actor);
        if (graphql.violation) violations.push(graphql.violation);
        answer = { status: 200, json: graphql.json };
        entry.status = 200;
        requests.push(entry);
        return send(res, answer);
      }
      if (!match) throw new GithubError(404, 'Not Found');
      const { operation, params } = match;
      if (operation.bodyType === 'application/json') entry.body = await readJson(req);
      // GitHub decides what the token may do before it looks at what the request asks.
      if (readOnly && method !== 'GET') throw new GithubError(403, 'Resource not accessible by integration');
      const problem = contract.checkJsonBody(operation, entry.body);
      if (problem) {
        violations.push(problem.violation);
        throw new GithubError(422, `Invalid request.\n\n${problem.violation.replace(/^.*? request: /, '')}`);
      }
      answer = handlers[operation.id](params, url, entry.body);
    } catch (error) {
      if (!(error instanceof GithubError)) throw error;
      answer = error.answer();
    }
    if (match) {
      const problem = contract.checkResponse(match.operation, answer.status, answer.json);
      if (problem) violations.push(problem);
    }
    entry.status = answer.status;
    requests.push(entry);
    send(res, answer);
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      console.error('local GitHub API: could not answer', req.method, req.url, error);
      res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: api,
    token,
    requests,
    violations,
    comments: () => comments.map((c) => c.comment),
    seedComment: (on, body, author = { login: 'octocat', type: 'User' }) =>
      addComment(on, body, { ...author, id: author.type === 'Bot' ? ACTIONS_BOT.id + 1 : 583231 }),
    setReadOnly(value) {
      readOnly = value;
    },
    setPullFiles(pull, files) {
      const blob = `${HTML}/${pull.owner}/${pull.repo}/blob/${'0'.repeat(40)}`;
      pullFiles.set(
        issueKey(pull.owner, pull.repo, pull.number),
        files.map((file) => ({
          sha: 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391',
          status: 'modified',
          additions: 0,
          deletions: 0,
          changes: (file.additions ?? 0) + (file.deletions ?? 0),
          blob_url: `${blob}/${encodeURI(file.filename)}`,
          raw_url: `${HTML}/${pull.owner}/${pull.repo}/raw/${'0'.repeat(40)}/${encodeURI(file.filename)}`,
          contents_url: `${api}/repos/${pull.owner}/${pull.repo}/contents/${encodeURI(file.filename)}`,
          ...file,
        })),
      );
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const cutOff = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      await closed;
      clearTimeout(cutOff);
    },
  };
}

/** Lets the request in, or answers 401 as GitHub does: for no token, and for a token it does not know. */
function send(res: ServerResponse, answer: Answer): void {
  const text = JSON.stringify(answer.json);
  res.writeHead(answer.status, {
    ...answer.headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function authenticate(header: string | undefined, token: string): void {
  if (!header) throw new GithubError(401, 'Requires authentication');
  const given = /^(?:token|bearer)\s+(.+)$/i.exec(header)?.[1];
  if (given !== token) throw new GithubError(401, 'Bad credentials');
}

/** A comment's new body, refused as GitHub refuses one that is too long. */
function commentBody(body: unknown): string {
  const text = (body as { body: string }).body;
  if (text.length > MAX_BODY_CHARS) {
    throw new GithubError(422, 'Validation Failed', {
      errors: [
        {
          resource: 'IssueComment',
          code: 'custom',
          field: 'body',
          message: `body is too long (maximum is ${MAX_BODY_CHARS} characters)`,
        },
      ],
    });
  }
  return text;
}

/**
 * One page of a list, by `per_page` (default 30, at most 100) and `page` (from 1), with the `Link`
 * header GitHub sends: first, prev, next and last, each only where there is such a page.
 */
function page<T>(url: URL, items: T[]): Answer {
  const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page')) || 30));
  const current = Math.max(1, Number(url.searchParams.get('page')) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const at = (n: number) => {
    const link = new URL(url);
    link.searchParams.set('per_page', String(perPage));
    link.searchParams.set('page', String(n));
    return `<${link.href}>`;
  };
  const links = [
    current > 1 && `${at(current - 1)}; rel="prev"`,
    current < last && `${at(current + 1)}; rel="next"`,
    current < last && `${at(last)}; rel="last"`,
    current > 1 && `${at(1)}; rel="first"`,
  ].filter(Boolean);
  const json = items.slice((current - 1) * perPage, current * perPage);
  return { status: 200, json, headers: links.length ? { link: links.join(', ') } : {} };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new GithubError(400, 'Problems parsing JSON');
  }
}

/** GitHub's timestamps: ISO 8601 to the second. */
function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
