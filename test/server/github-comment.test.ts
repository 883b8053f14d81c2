import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGithubServer, type GithubServer } from '../../server/github.ts';
import { githubClient, upsertComment, type CommentTarget } from '../../src/github/comment.js';
import { captureStdout } from '../helpers/capture.js';

// The pull-request comment over real HTTP, through @actions/github's own Octokit, against the
// GitHub stand-in that holds every request and answer to GitHub's OpenAPI description. Nothing in
// this file imports @actions/github before GITHUB_API_URL names the stand-in, as on a runner.

const TOKEN = 'ghs_commentTestToken0123456789';
const TARGET: CommentTarget = { owner: 'octo-org', repo: 'models', pullNumber: 7, key: 'Plan/plan/__run' };

let github: GithubServer;

beforeAll(async () => {
  github = await startGithubServer({ token: TOKEN });
  process.env.GITHUB_API_URL = github.url;
});

afterEach(() => {
  expect(github.violations).toEqual([]);
  for (const comment of github.comments()) expect(comment.body).not.toContain(TOKEN);
  github.setReadOnly(false);
});

afterAll(async () => {
  await github.close();
});

async function client() {
  const stdout = captureStdout();
  try {
    return await githubClient(TOKEN);
  } finally {
    stdout.restore();
  }
}

describe('the pull-request comment against the GitHub stand-in', () => {
  it('adds the comment on the first run and edits that one on the next, beside a person who quotes it', async () => {
    const first = await upsertComment(await client(), TARGET, 'plan 1');
    const [created] = github.comments();
    expect(first).toBe(created.html_url);
    const pull = { owner: TARGET.owner, repo: TARGET.repo, number: TARGET.pullNumber };
    github.seedComment(pull, `Quoting:\n${created.body}`);

    const second = await upsertComment(await client(), TARGET, `plan 2, not ${TOKEN}`);
    expect(second).toBe(first);
    const comments = github.comments().filter((c) => c.issue_url.endsWith('/issues/7'));
    expect(comments.map((c) => c.body)).toEqual([
      '<!-- openai-fine-tune-action:plan:Plan/plan/__run -->\nplan 2, not ***',
      expect.stringMatching(/^Quoting:\n<!-- openai-fine-tune-action:plan:Plan\/plan\/__run -->\nplan 1$/),
    ]);
    // Each run first asks who the token is (GraphQL `viewer`, refused to the workflow's token).
    expect(
      github.requests.map((r) => `${r.method} ${r.path.replace(/^\/repos.*/, 'repos')} ${r.status}`),
    ).toEqual([
      'POST /graphql 200',
      'GET repos 200',
      'POST repos 201',
      'POST /graphql 200',
      'GET repos 200',
      'PATCH repos 200',
    ]);
  });

  it('leaves a bot comment that quotes the marker as it was, and adds a comment of its own', async () => {
    const target = { ...TARGET, pullNumber: 8 };
    const pull = { owner: TARGET.owner, repo: TARGET.repo, number: 8 };
    const marker = '<!-- openai-fine-tune-action:plan:Plan/plan/__run -->';
    const echo = github.seedComment(pull, `Lint: the description says\n${marker}\nplan 0`, {
      login: 'github-actions[bot]',
      type: 'Bot',
    });
    const other = github.seedComment(pull, `${marker}\nplan 0`, { login: 'lint-report[bot]', type: 'Bot' });
    await upsertComment(await client(), target, 'plan 1');
    const comments = github.comments().filter((c) => c.issue_url.endsWith('/issues/8'));
    expect(comments.map((c) => c.body)).toEqual([echo.body, other.body, `${marker}\nplan 1`]);
  });

  it('names the permission a read-only token lacks', async () => {
    github.setReadOnly(true);
    await expect(upsertComment(await client(), { ...TARGET, pullNumber: 8 }, 'plan')).rejects.toThrow(
      /github-token may not write to pull requests \(403: Resource not accessible by integration.*pull-requests: write/s,
    );
  });

  it('says GitHub refused a wrong token', async () => {
    const stdout = captureStdout();
    const wrong = await githubClient('ghs_wrong').finally(() => stdout.restore());
    await expect(upsertComment(wrong, TARGET, 'plan')).rejects.toThrow(/GitHub refused github-token \(401/);
  });
});
