import { context } from '@actions/github';
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  commentMarker,
  githubClient,
  MAX_COMMENT_CHARS,
  pullRequestTarget,
  stepKey,
  upsertComment,
  type CommentTarget,
} from '../../src/github/comment.js';
import { captureStdout } from '../helpers/capture.js';

// @actions/github reads the runner's variables when it is first imported: the API's address comes
// from GITHUB_API_URL, here a GitHub Enterprise Server's, to show the comment goes where the run's
// GitHub is.
const API = 'https://github.example.com';
const BASE = '/api/v3';
vi.hoisted(() => {
  Object.assign(process.env, {
    GITHUB_API_URL: 'https://github.example.com/api/v3',
    GITHUB_REPOSITORY: 'octo-org/models',
    GITHUB_WORKFLOW: 'Fine-tune plan',
    GITHUB_JOB: 'plan',
    GITHUB_ACTION: '__octo-org_openai-fine-tune-action',
  });
  delete process.env.GITHUB_EVENT_PATH;
});

const TOKEN = 'ghs_unitTestToken0123456789';
const TARGET: CommentTarget = { owner: 'octo-org', repo: 'models', pullNumber: 7, key: 'Plan/plan/__run' };
const COMMENTS = `${BASE}/repos/octo-org/models/issues/7/comments`;
const MARKER = commentMarker(TARGET.key);

const bot = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };
const person = { login: 'octocat', id: 583231, type: 'User' };

/** A comment as GitHub lists it, with the fields the code reads and those the SDK's type requires. */
function comment(id: number, body: string, user = bot) {
  return {
    id,
    node_id: `IC_${id}`,
    url: `${API}${BASE}/repos/octo-org/models/issues/comments/${id}`,
    html_url: `https://github.example.com/octo-org/models/pull/7#issuecomment-${id}`,
    issue_url: `${API}${BASE}/repos/octo-org/models/issues/7`,
    body,
    user,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    author_association: 'NONE',
  };
}

const sentBodies: string[] = [];
const recordBody = (body: { body: string }) => {
  sentBodies.push(body.body);
  return true;
};

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
  // Whatever a test sent, the token was never in it.
  for (const body of sentBodies.splice(0)) expect(body).not.toContain(TOKEN);
});

async function client() {
  const stdout = captureStdout();
  try {
    return await githubClient(TOKEN);
  } finally {
    stdout.restore();
  }
}

/** GitHub's GraphQL endpoint beside GHES's REST API (`/api/v3` -> `/api/graphql`). */
const GRAPHQL = '/api/graphql';
/** GitHub's answer to `viewer` for an installation's token, such as GITHUB_TOKEN. */
const VIEWER_REFUSED = {
  data: null,
  errors: [{ type: 'FORBIDDEN', path: ['viewer'], message: 'Resource not accessible by integration' }],
};
const viewerIs = (login: string) => ({ data: { viewer: { login } } });

describe('upsertComment', () => {
  // The workflow's own token: GitHub will not say who it is, and it comments as github-actions[bot].
  beforeEach(() => {
    nock(API).post(GRAPHQL, { query: 'query { viewer { login } }' }).reply(200, VIEWER_REFUSED);
  });

  it('adds the comment with its marker when the pull request has none, at GITHUB_API_URL, with the token', async () => {
    nock(API, { reqheaders: { authorization: `token ${TOKEN}` } })
      .get(COMMENTS)
      .query({ per_page: '100' })
      .reply(200, [comment(1, 'Looks good'), comment(2, 'LGTM', person)])
      .post(COMMENTS, recordBody)
      .reply(201, comment(3, 'new'));

    const url = await upsertComment(await client(), TARGET, '## Plan\nUpload 1 file');
    expect(url).toBe('https://github.example.com/octo-org/models/pull/7#issuecomment-3');
    expect(sentBodies).toEqual([`${MARKER}\n## Plan\nUpload 1 file`]);
  });

  it("updates the bot's comment that carries this step's marker, not another step's", async () => {
    const otherStep = commentMarker('Plan/plan/__run_2');
    nock(API)
      .get(COMMENTS)
      .query(true)
      .reply(200, [comment(1, `${otherStep}\nold`), comment(2, `${MARKER}\nold`)])
      .patch(`${BASE}/repos/octo-org/models/issues/comments/2`, recordBody)
      .reply(200, comment(2, 'new'));

    const url = await upsertComment(await client(), TARGET, 'new plan');
    expect(url).toBe('https://github.example.com/octo-org/models/pull/7#issuecomment-2');
    expect(sentBodies).toEqual([`${MARKER}\nnew plan`]);
  });

  it("never edits a person's comment that holds the marker: it adds its own", async () => {
    nock(API)
      .get(COMMENTS)
      .query(true)
      .reply(200, [comment(1, `Why does it say this?\n${MARKER}\nold plan`, person)])
      .post(COMMENTS, recordBody)
      .reply(201, comment(2, 'new'));

    await upsertComment(await client(), TARGET, 'new plan');
    expect(sentBodies).toHaveLength(1);
  });

  it('reads page after page until it finds the comment', async () => {
    const page2 = `${API}${COMMENTS}?per_page=100&page=2`;
    nock(API)
      .get(COMMENTS)
      .query({ per_page: '100' })
      .reply(
        200,
        Array.from({ length: 100 }, (_, i) => comment(i + 1, 'chatter')),
        { link: `<${page2}>; rel="next", <${page2}>; rel="last"` },
      )
      .get(COMMENTS)
      .query({ per_page: '100', page: '2' })
      .reply(200, [comment(101, 'more'), comment(102, `${MARKER}\nold`)])
      .patch(`${BASE}/repos/octo-org/models/issues/comments/102`, recordBody)
      .reply(200, comment(102, 'new'));

    expect(await upsertComment(await client(), TARGET, 'new plan')).toMatch(/#issuecomment-102$/);
  });

  it('says a read-only token needs pull-requests: write, as on a pull request from a fork', async () => {
    nock(API).get(COMMENTS).query(true).reply(200, []).post(COMMENTS).reply(403, {
      message: 'Resource not accessible by integration',
      documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
      status: '403',
    });

    const error = (await upsertComment(await client(), TARGET, 'plan').catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^Could not comment on pull request #7: github-token may not write/);
    expect(error.message).toContain('Resource not accessible by integration');
    expect(error.message).toContain('`permissions: pull-requests: write`');
    expect(error.message).toContain('fork');
    expect(error.message).not.toContain(TOKEN);
  });

  it('says GitHub refused the token', async () => {
    nock(API).get(COMMENTS).query(true).reply(401, {
      message: 'Bad credentials',
      documentation_url: 'https://docs.github.com/rest',
      status: '401',
    });

    await expect(upsertComment(await client(), TARGET, 'plan')).rejects.toThrow(
      /GitHub refused github-token \(401: Bad credentials/,
    );
  });

  it('never puts the token in a comment, and masks it in the log', async () => {
    const stdout = captureStdout();
    let octokit;
    try {
      octokit = await githubClient(TOKEN);
    } finally {
      stdout.restore();
    }
    expect(stdout.text()).toContain(`::add-mask::${TOKEN}`);
    nock(API).get(COMMENTS).query(true).reply(200, []).post(COMMENTS, recordBody).reply(201, comment(1, 'x'));

    await upsertComment(octokit, TARGET, `echoed by mistake: ${TOKEN}`);
    expect(sentBodies).toEqual([`${MARKER}\nechoed by mistake: ***`]);
  });

  it('cuts a body longer than GitHub takes, and says so', async () => {
    nock(API).get(COMMENTS).query(true).reply(200, []).post(COMMENTS, recordBody).reply(201, comment(1, 'x'));

    await upsertComment(await client(), TARGET, 'x'.repeat(MAX_COMMENT_CHARS));
    expect(sentBodies[0]).toHaveLength(MAX_COMMENT_CHARS);
    expect(sentBodies[0]).toMatch(/^<!-- openai-fine-tune-action:plan:Plan\/plan\/__run -->\nxxx/);
    expect(sentBodies[0]).toMatch(/\(cut: a comment holds at most 65536 characters\)$/);
  });
});

describe('whose comment is the step’s', () => {
  const lintBot = { login: 'lint-report[bot]', id: 9, type: 'Bot' };

  it('leaves a bot comment that quotes the marker below its first line, and adds its own', async () => {
    nock(API).post(GRAPHQL).reply(200, VIEWER_REFUSED);
    nock(API)
      .get(COMMENTS)
      .query(true)
      .reply(200, [comment(1, `Lint report: the PR says\n> ${MARKER}\n${MARKER}\nold`)])
      .post(COMMENTS, recordBody)
      .reply(201, comment(2, 'new'));

    expect(await upsertComment(await client(), TARGET, 'new plan')).toMatch(/#issuecomment-2$/);
    expect(sentBodies).toEqual([`${MARKER}\nnew plan`]);
  });

  it('leaves another bot’s comment even with the marker as its first line', async () => {
    nock(API).post(GRAPHQL).reply(200, VIEWER_REFUSED);
    nock(API)
      .get(COMMENTS)
      .query(true)
      .reply(200, [comment(1, `${MARKER}\nechoed`, lintBot)])
      .post(COMMENTS, recordBody)
      .reply(201, comment(2, 'new'));

    expect(await upsertComment(await client(), TARGET, 'new plan')).toMatch(/#issuecomment-2$/);
  });

  it('with a person’s token, edits that person’s own comment, learned through GraphQL viewer', async () => {
    nock(API).post(GRAPHQL).reply(200, viewerIs(person.login));
    nock(API)
      .get(COMMENTS)
      .query(true)
      .reply(200, [comment(1, `${MARKER}\nold`), comment(2, `${MARKER}\nold`, person)])
      .patch(`${BASE}/repos/octo-org/models/issues/comments/2`, recordBody)
      .reply(200, comment(2, 'new'));

    expect(await upsertComment(await client(), TARGET, 'new plan')).toMatch(/#issuecomment-2$/);
    expect(sentBodies).toEqual([`${MARKER}\nnew plan`]);
  });
});

describe('the marker', () => {
  it('names the workflow, the job and the step', () => {
    expect(commentMarker(stepKey({ workflow: 'Fine-tune plan', job: 'plan', action: '__run_2' }))).toBe(
      '<!-- openai-fine-tune-action:plan:Fine-tune plan/plan/__run_2 -->',
    );
  });

  it('cannot be ended early or broken by what a workflow is named', () => {
    const marker = commentMarker(stepKey({ workflow: 'a --> b\n<!-- c', job: 'plan', action: 'x' }));
    expect(marker).toBe('<!-- openai-fine-tune-action:plan:a --%3E b%0A%3C!-- c/plan/x -->');
    expect(marker.indexOf('-->')).toBe(marker.length - 3);
  });
});

describe('pullRequestTarget', () => {
  afterEach(() => {
    context.payload = {};
  });

  it("comments on the run's pull request, keyed by this step", async () => {
    context.payload = { pull_request: { number: 7 } };
    expect(await pullRequestTarget()).toEqual({
      owner: 'octo-org',
      repo: 'models',
      pullNumber: 7,
      key: 'Fine-tune plan/plan/__octo-org_openai-fine-tune-action',
    });
  });

  it('takes the pull request a comment was made on', async () => {
    context.payload = { issue: { number: 9, pull_request: { url: 'x' } } };
    expect((await pullRequestTarget())?.pullNumber).toBe(9);
  });

  it('has nothing to comment on for a push, or for a comment on an issue', async () => {
    context.payload = { ref: 'refs/heads/main' };
    expect(await pullRequestTarget()).toBeNull();
    context.payload = { issue: { number: 9 } };
    expect(await pullRequestTarget()).toBeNull();
  });
});
