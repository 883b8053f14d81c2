import { spawn } from 'node:child_process';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { protectSecret } from '../github/secrets.js';
import { git, gitError, isCommitId, revisionPath, type GitOptions } from './commit.js';

// Reading a file as it was at an earlier commit, from the checkout's own history: the data a model
// was trained on, which a provider may refuse to hand back (OpenAI does not serve fine-tune files).

/** The first line of a Git LFS pointer: the blob names the data rather than holding it. */
const LFS_POINTER = 'version https://git-lfs.github.com/spec/v1';
/** LFS pointers are far smaller than this; a blob this size or more is read as data. */
const POINTER_MAX_BYTES = 1024;

/** Why a file could not be read at a commit, in words for the plan. */
class HistoryError extends Error {}

interface FetchAccess {
  /** Used for the one fetch that may need it, never written to the repository's config. */
  token?: string;
  /** The GitHub server the token is for (`https://github.com`): the only host it is sent to. */
  serverUrl: string;
}

const has = async (dir: string, object: string): Promise<boolean> =>
  git(dir, ['cat-file', '-e', '--end-of-options', object]).then(
    () => true,
    () => false,
  );

/**
 * Credentials for one git command through the environment (never its arguments, which a process
 * list shows): the Authorization header actions/checkout itself uses, scoped to the GitHub server.
 */
function tokenConfig(access: FetchAccess, token: string): Record<string, string> {
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  protectSecret(basic);
  const count = Number(process.env['GIT_CONFIG_COUNT'] ?? '0') || 0;
  return {
    GIT_CONFIG_COUNT: String(count + 1),
    [`GIT_CONFIG_KEY_${count}`]: `http.${new URL(access.serverUrl).origin}/.extraheader`,
    [`GIT_CONFIG_VALUE_${count}`]: `AUTHORIZATION: basic ${basic}`,
  };
}

const lost = (commit: string) =>
  new HistoryError(
    `the repository's history no longer has commit ${commit} (force-pushed or squashed away?)`,
  );

/** git's words when the remote answered but has no such commit (any more), rather than refused us. */
const NOT_THERE = /not our ref|unadvertised object|couldn't find remote ref/i;

/**
 * Fetches one commit, at depth 1, into a shallow checkout that lacks it (actions/checkout fetches
 * one commit). Credentials the checkout kept are tried first; then the token, for this command only.
 */
async function fetchCommit(dir: string, commit: string, access: FetchAccess): Promise<void> {
  const args = [
    'fetch',
    '--depth=1',
    '--no-tags',
    '--no-recurse-submodules',
    '--end-of-options',
    'origin',
    commit,
  ];
  const attempts: GitOptions[] = [{}];
  if (access.token) attempts.push({ env: tokenConfig(access, access.token) });
  let failure = '';
  for (const options of attempts) {
    try {
      await git(dir, args, options);
      return;
    } catch (error) {
      failure = gitError(error);
      if (NOT_THERE.test(failure)) throw lost(commit);
    }
  }
  throw new HistoryError(
    access.token
      ? `the checkout is shallow and fetching commit ${commit} failed, with \`github-token\` too ` +
          `(${failure}): give the token \`contents: read\`, or check out with \`fetch-depth: 0\``
      : `the checkout is shallow and fetching commit ${commit} failed (${failure}): ` +
          'set `github-token` (with `contents: read`) or check out with `fetch-depth: 0`',
  );
}

/**
 * The file at `file`'s path in its repository as it was at `commit`, streamed from git (files may
 * be gigabytes). A commit the shallow checkout lacks is fetched alone; one the history no longer
 * has (force-pushed, squashed away), a path the commit lacks, and a Git LFS pointer are said plainly.
 */
export async function readAtCommit(file: string, commit: string, access: FetchAccess): Promise<Readable> {
  if (!isCommitId(commit)) {
    // Not echoed: the tag is anyone's text.
    throw new HistoryError("the job's tag names a commit that is not a commit id (40 hex digits): refused");
  }
  const dir = path.dirname(file);
  if (!(await has(dir, `${commit}^{commit}`))) {
    let shallow: boolean;
    try {
      shallow = (await git(dir, ['rev-parse', '--is-shallow-repository'])) === 'true';
    } catch (error) {
      throw new HistoryError(`${path.basename(file)} is not in a git checkout (${gitError(error)})`);
    }
    if (shallow) await fetchCommit(dir, commit, access);
    if (!(await has(dir, `${commit}^{commit}`))) throw lost(commit);
  }
  const object = `${commit}:${revisionPath(file)}`;
  let size: number;
  try {
    size = Number(await git(dir, ['cat-file', '-s', '--end-of-options', object]));
  } catch {
    throw new HistoryError(`commit ${commit} has no file at the path of ${path.basename(file)}`);
  }
  if (size < POINTER_MAX_BYTES) {
    const text = await git(dir, ['cat-file', 'blob', '--end-of-options', object]);
    if (text.startsWith(LFS_POINTER)) {
      throw new HistoryError(
        `at commit ${commit} the file is a Git LFS pointer, not the data itself; the action does not fetch LFS objects`,
      );
    }
  }
  return catBlob(dir, object);
}

/** git's output as a stream that fails, rather than ends short, when git does. */
function catBlob(dir: string, object: string): Readable {
  const child = spawn('git', ['-C', dir, 'cat-file', 'blob', '--end-of-options', object], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = new PassThrough();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  child.stdout.pipe(out, { end: false });
  child.on('error', (error) => out.destroy(error));
  child.on('close', (code) => {
    if (code === 0) out.end();
    else out.destroy(new HistoryError(`git cat-file failed: ${gitError({ stderr })}`));
  });
  // A reader that stops early (an error in the data) stops git too.
  out.on('close', () => {
    if (child.exitCode === null) child.kill();
  });
  return out;
}
