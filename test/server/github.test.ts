import { getOctokit } from '@actions/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGithubServer, type GithubServer, type IssueRef } from '../../server/github.ts';
import { loadGithubContract } from '../../server/github-spec.ts';

const PR: IssueRef = { owner: 'octo-org', repo: 'models', number: 7 };
const COMMENTS = `/repos/${PR.owner}/${PR.repo}/issues/${PR.number}/comments`;

let github: GithubServer;

beforeEach(async () => {
  github = await startGithubServer({ token: 'ghs_right-token' });
});

afterEach(async () => {
  await github.close();
});

const call = (path: string, init: RequestInit & { token?: string | null } = {}) => {
  const { token = github.token, ...rest } = init;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers.authorization = `token ${token}`;
  return fetch(`${github.url}${path}`, { ...rest, headers });
};

describe('the GitHub stand-in', () => {
  it('creates, lists and updates a comment as github-actions[bot], every answer as GitHub describes it', async () => {
    const created = await call(COMMENTS, { method: 'POST', body: JSON.stringify({ body: 'first' }) });
    expect(created.status).toBe(201);
    const comment = await created.json();
    expect(created.headers.get('location')).toBe(comment.url);
    expect(comment).toMatchObject({
      body: 'first',
      user: { login: 'github-actions[bot]', type: 'Bot' },
      html_url: `https://github.com/octo-org/models/pull/7#issuecomment-${comment.id}`,
      issue_url: `${github.url}/repos/octo-org/models/issues/7`,
    });

    const updated = await call(`/repos/octo-org/models/issues/comments/${comment.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ body: 'second' }),
    });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ id: comment.id, body: 'second' });

    const listed = await (await call(COMMENTS)).json();
    expect(listed).toEqual([expect.objectContaining({ id: comment.id, body: 'second' })]);
    expect(github.comments()).toHaveLength(1);
    expect(github.violations).toEqual([]);
  });

  it('refuses a comment without a body with 422, and records the departure from the schema', async () => {
    const response = await call(COMMENTS, { method: 'POST', body: JSON.stringify({ text: 'hello' }) });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ message: expect.stringMatching(/^Invalid request\./) });
    expect(github.violations).toEqual([
      expect.stringMatching(
        /^POST \/repos\/\{owner\}\/\{repo\}\/issues\/\{issue_number\}\/comments request: .*'body'/,
      ),
    ]);
    expect(github.comments()).toEqual([]);
  });

  it("checks answers against GitHub's schema: a comment without its author does not pass", () => {
    const contract = loadGithubContract();
    const list = contract.match('GET', COMMENTS)!.operation;
    const comment = {
      id: 1,
      node_id: 'IC_1',
      url: 'https://api.github.com/x',
      html_url: 'https://github.com/x',
    };
    expect(contract.checkResponse(list, 200, [comment])).toMatch(/required property 'user'/);
  });

  it('refuses a body longer than GitHub takes, with its validation error', async () => {
    const response = await call(COMMENTS, {
      method: 'POST',
      body: JSON.stringify({ body: 'x'.repeat(65_537) }),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      message: 'Validation Failed',
      errors: [{ resource: 'IssueComment', field: 'body', code: 'custom' }],
    });
    expect(github.violations).toEqual([]);
  });

  it('answers an update of a comment it does not have with 404', async () => {
    const response = await call('/repos/octo-org/models/issues/comments/123', {
      method: 'PATCH',
      body: JSON.stringify({ body: 'x' }),
    });
    expect(response.status).toBe(404);
    expect(github.violations).toEqual([]);
  });

  it("pages a list with GitHub's Link header, which Octokit's paginate follows to the end", async () => {
    for (let i = 1; i <= 5; i++) github.seedComment(PR, `comment ${i}`);
    const first = await call(`${COMMENTS}?per_page=2`);
    expect(first.headers.get('link')).toBe(
      `<${github.url}${COMMENTS}?per_page=2&page=2>; rel="next", <${github.url}${COMMENTS}?per_page=2&page=3>; rel="last"`,
    );
    const middle = await call(`${COMMENTS}?per_page=2&page=2`);
    expect(middle.headers.get('link')).toContain('rel="prev"');
    expect(middle.headers.get('link')).toContain('rel="first"');

    const octokit = getOctokit(github.token, { baseUrl: github.url });
    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      owner: PR.owner,
      repo: PR.repo,
      issue_number: PR.number,
      per_page: 2,
    });
    expect(all.map((comment) => comment.body)).toEqual([1, 2, 3, 4, 5].map((i) => `comment ${i}`));
    expect(github.requests.filter((r) => r.query.per_page === '2' && r.method === 'GET')).toHaveLength(5);
    expect(github.violations).toEqual([]);
  });

  it("keeps each issue's comments to itself", async () => {
    github.seedComment({ ...PR, number: 8 }, 'elsewhere');
    expect(await (await call(COMMENTS)).json()).toEqual([]);
  });

  it('answers 401 without a token and for a wrong one, and takes a token as `token` or `Bearer`', async () => {
    expect((await call(COMMENTS, { token: null })).status).toBe(401);
    const wrong = await call(COMMENTS, { token: 'ghs_wrong' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ message: 'Bad credentials' });
    const bearer = await fetch(`${github.url}${COMMENTS}`, {
      headers: { authorization: `Bearer ${github.token}` },
    });
    expect(bearer.status).toBe(200);
    expect(github.violations).toEqual([]);
  });

  it('refuses writes with 403 for a read-only token, as on a pull request from a fork, and still reads', async () => {
    github.setReadOnly(true);
    const refused = await call(COMMENTS, { method: 'POST', body: JSON.stringify({ body: 'plan' }) });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ message: 'Resource not accessible by integration' });
    expect((await call(COMMENTS)).status).toBe(200);
    expect(github.comments()).toEqual([]);
    expect(github.violations).toEqual([]);
  });

  it("lists a pull request's changed files", async () => {
    github.setPullFiles(PR, [{ filename: 'data/train.jsonl', additions: 3 }, { filename: 'fine-tune.yml' }]);
    const response = await call(`/repos/octo-org/models/pulls/7/files`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([
      expect.objectContaining({ filename: 'data/train.jsonl', additions: 3, changes: 3, status: 'modified' }),
      expect.objectContaining({ filename: 'fine-tune.yml', changes: 0 }),
    ]);
    expect(github.violations).toEqual([]);
  });
});

describe('the GitHub stand-in’s GraphQL viewer', () => {
  const viewer = (octokit: ReturnType<typeof getOctokit>) =>
    octokit.graphql<{ viewer: { login: string } }>('query { viewer { login } }');

  it('refuses viewer to the workflow’s installation token, as GitHub does', async () => {
    const octokit = getOctokit(github.token, { baseUrl: github.url });
    await expect(viewer(octokit)).rejects.toThrow(/Resource not accessible by integration/);
    expect(github.requests.at(-1)).toMatchObject({ method: 'POST', path: '/graphql', status: 200 });
    expect(github.violations).toEqual([]);
  });

  it('names a person’s token’s login, and comments as that person', async () => {
    await github.close();
    github = await startGithubServer({
      token: 'ghp_person',
      actor: { login: 'octocat', id: 583231, type: 'User', installation: false },
    });
    const octokit = getOctokit(github.token, { baseUrl: github.url });
    expect(await viewer(octokit)).toEqual({ viewer: { login: 'octocat' } });
    const { data } = await octokit.rest.issues.createComment({
      owner: 'o',
      repo: 'r',
      issue_number: 1,
      body: 'x',
    });
    expect(data.user).toMatchObject({ login: 'octocat', type: 'User' });
    expect(github.violations).toEqual([]);
  });

  it('records any other query as a departure, and refuses a wrong token', async () => {
    const octokit = getOctokit(github.token, { baseUrl: github.url });
    await expect(octokit.graphql('query { repository(owner: "o", name: "r") { id } }')).rejects.toThrow();
    expect(github.violations).toEqual([expect.stringMatching(/^POST \/graphql: the stand-in plays only/)]);
    const wrong = getOctokit('ghs_wrong', { baseUrl: github.url });
    await expect(viewer(wrong)).rejects.toMatchObject({ status: 401 });
  });
});
