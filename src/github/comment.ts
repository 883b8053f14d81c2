import type { getOctokit } from '@actions/github';
import { protectSecret, redact } from './secrets.js';

// One comment on the pull request per workflow step, kept up to date: each run finds the comment
// its step wrote before, by a hidden marker, and edits it, so a pull request pushed to twenty times
// carries one current comment, not twenty. @actions/github is loaded only when a comment is made:
// most modes never make one, and the toolkit's Octokit is slow to load.

type GitHubClient = ReturnType<typeof getOctokit>;
type IssueComment = Awaited<ReturnType<GitHubClient['rest']['issues']['listComments']>>['data'][number];

/** Where a step's comment goes, and the key that tells it from other steps' comments. */
export interface CommentTarget {
  owner: string;
  repo: string;
  pullNumber: number;
  /** Which step the comment belongs to: see `stepKey`. */
  key: string;
}

/** The longest body GitHub takes for a comment. */
export const MAX_COMMENT_CHARS = 65_536;

/**
 * The hidden line that marks a step's comment. The key is escaped so that nothing in a workflow's
 * name can end the HTML comment (`-->`) or break the line, and two keys never share a marker.
 */
export function commentMarker(key: string): string {
  const safe = key.replace(/[^\w .:/@+=,()-]/gu, (c) => encodeURIComponent(c));
  return `<!-- openai-fine-tune-action:plan:${safe} -->`;
}

/**
 * A step's key: the workflow's name (its file's path when it has none), the job's id and the step's
 * id (`GITHUB_ACTION`: the step's `id`, or for a step without one `__owner_repo`, with `_2`, `_3`
 * for later uses of the action in the same job). All three stay the same from one push to the next
 * and tell apart two plan steps in one job, or in two jobs or workflows. Job and step ids cannot
 * hold a `/`, so the key reads back unambiguously even when the workflow's path has one. The legs of
 * a matrix job share their job's id, and so their key: a caller that runs in a matrix adds what sets
 * its leg apart.
 */
export function stepKey(step: { workflow: string; job: string; action: string }): string {
  return `${step.workflow}/${step.job}/${step.action}`;
}

/**
 * The pull request this run is for and this step's key, from the run's context; `null` when the
 * run is not for a pull request (a push, a schedule) and there is nothing to comment on.
 */
export async function pullRequestTarget(): Promise<CommentTarget | null> {
  const { context } = await import('@actions/github');
  const { pull_request: pull, issue } = context.payload;
  // pull_request and pull_request_target carry the pull request; a comment on one (issue_comment)
  // carries it as an issue that links to a pull request.
  const pullNumber = pull?.number ?? (issue?.pull_request ? issue.number : undefined);
  if (pullNumber === undefined) return null;
  const { owner, repo } = context.repo;
  return { owner, repo, pullNumber, key: stepKey(context) };
}

/**
 * An Octokit for GitHub's REST API, at GITHUB_API_URL (GitHub Enterprise Server's API, or a local
 * stand-in) as @actions/github reads it, behind the runner's proxy if it has one. The token is
 * masked first: the runner masks `secrets.GITHUB_TOKEN`, but a token passed some other way (an
 * app's, from an earlier step's output) it may not know to.
 */
export async function githubClient(token: string): Promise<GitHubClient> {
  protectSecret(token);
  const { getOctokit } = await import('@actions/github');
  return getOctokit(token);
}

/** Who the workflow's own token (GITHUB_TOKEN) comments as. */
const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

/**
 * The login the token comments as. GraphQL's `viewer` names it for a person's token; GitHub
 * refuses it (as it refuses REST `GET /user`) to an installation's token, which for the workflow's
 * own token is `github-actions[bot]`. A GitHub App's token cannot be told apart from that one, so
 * its earlier comment is not found and each run adds a comment.
 */
async function commentAuthor(octokit: GitHubClient): Promise<string> {
  try {
    const { viewer } = await octokit.graphql<{ viewer: { login: string } }>('query { viewer { login } }');
    return viewer.login;
  } catch {
    return ACTIONS_BOT_LOGIN;
  }
}

/**
 * Writes `body` as the step's comment on the pull request: edits the comment that carries the
 * step's marker, or adds one when there is none yet. Answers the comment's web address.
 *
 * Only a comment the token's own account wrote, with the marker as its first line, is edited:
 * anyone else's comment that holds the marker (a person quoting the comment's source, another
 * bot's report echoing the pull request's text) is theirs and is never overwritten.
 */
export async function upsertComment(
  octokit: GitHubClient,
  target: CommentTarget,
  body: string,
): Promise<string> {
  const marker = commentMarker(target.key);
  const text = fitted(`${marker}\n${redact(body)}`);
  const issue = { owner: target.owner, repo: target.repo, issue_number: target.pullNumber };
  try {
    const author = await commentAuthor(octokit);
    const ours = (comment: IssueComment) =>
      comment.user?.login === author && !!comment.body?.startsWith(`${marker}\n`);
    // Pages are read until the comment turns up, oldest first, as GitHub lists them.
    const [existing] = await octokit.paginate(
      octokit.rest.issues.listComments,
      { ...issue, per_page: 100 },
      (response, done) => {
        const found = response.data.find(ours);
        if (found) done();
        return found ? [found] : [];
      },
    );
    const { data } = existing
      ? await octokit.rest.issues.updateComment({ ...issue, comment_id: existing.id, body: text })
      : await octokit.rest.issues.createComment({ ...issue, body: text });
    return data.html_url;
  } catch (error) {
    throw new Error(whyNoComment(error, target.pullNumber), { cause: error });
  }
}

/** The body, cut to what GitHub takes, saying so. */
function fitted(text: string): string {
  if (text.length <= MAX_COMMENT_CHARS) return text;
  const note = `\n\n… (cut: a comment holds at most ${MAX_COMMENT_CHARS} characters)`;
  return text.slice(0, MAX_COMMENT_CHARS - note.length) + note;
}

/** What went wrong, in terms of what the user controls: the token and the job's permissions. */
function whyNoComment(error: unknown, pullNumber: number): string {
  const status = (error as { status?: unknown }).status;
  const said = redact(error instanceof Error ? error.message : String(error));
  const failed = `Could not comment on pull request #${pullNumber}`;
  if (status === 401) {
    return `${failed}: GitHub refused github-token (401: ${said}). Pass a valid token, such as secrets.GITHUB_TOKEN.`;
  }
  if (status === 403) {
    return (
      `${failed}: github-token may not write to pull requests (403: ${said}). Give the job ` +
      '`permissions: pull-requests: write`. A pull request from a fork gets a read-only token ' +
      'whatever the workflow asks for.'
    );
  }
  return `${failed}: ${said}`;
}
