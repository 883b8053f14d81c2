import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

// git is run as a program with an argument array, never through a shell, and every revision comes
// after `--end-of-options`: a commit may come from a job's tag, which anyone with access to the
// same account can write, and must never be read as an option such as `--upload-pack=...`.

const execFileAsync = promisify(execFile);

/**
 * A commit id as git names one (SHA-1, 40 hex digits): the only form of a commit from a tag that is
 * ever passed to git.
 */
export const isCommitId = (value: string): boolean => /^[0-9a-f]{40}$/.test(value);

export interface GitOptions {
  /** Extra environment for this one command only (credentials, as `GIT_CONFIG_*`). */
  env?: Record<string, string>;
}

/** Runs git in `dir` and returns what it printed, trimmed; rejects with git's own words. */
export async function git(dir: string, args: string[], options: GitOptions = {}): Promise<string> {
  const { stdout } = await execFileAsync('git', ['-C', dir, ...args], {
    // A fetch that would ask for a password must fail at once: nobody is there to type it.
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', ...options.env },
    maxBuffer: 1024 * 1024,
  });
  return stdout.trim();
}

/** git's last words on a failure (its stderr, else the error's own message), on one line. */
export function gitError(error: unknown): string {
  const stderr = (error as { stderr?: unknown }).stderr;
  const text = typeof stderr === 'string' && stderr.trim() !== '' ? stderr : String((error as Error).message);
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .at(-1) ?? 'git failed'
  );
}

/** The path of a working file inside its own repository, as a revision names it (`<commit>:./name`). */
export const revisionPath = (file: string): string => `./${path.basename(file)}`;

type FileCommit = { commit: string } | { none: string };

/**
 * The commit a working file's data is at: the commit its own repository has checked out, and only
 * when the file holds exactly that commit's blob (clean filters, such as Git LFS's, applied as git
 * applies them). A file an earlier step changed, or that git does not track, is at no commit.
 */
export async function fileCommit(file: string): Promise<FileCommit> {
  const dir = path.dirname(file);
  let head: string;
  try {
    head = await git(dir, ['rev-parse', '--verify', '--end-of-options', 'HEAD^{commit}']);
  } catch (error) {
    return { none: `it is not in a git checkout (${gitError(error)})` };
  }
  if (!isCommitId(head)) return { none: `the checkout's commit ${head} is not a SHA-1 id` };
  try {
    await git(dir, ['rev-parse', '--verify', '--end-of-options', `${head}:${revisionPath(file)}`]);
  } catch {
    return { none: `git does not track it at the checked-out commit ${head}` };
  }
  // Compared through the index rather than hashed again: a file whose stat the index vouches for
  // is not read a second time (the upload has just read it, and data files may be gigabytes).
  try {
    await git(dir, ['diff', '--quiet', '--end-of-options', head, '--', path.basename(file)]);
    return { commit: head };
  } catch (error) {
    if ((error as { code?: unknown }).code === 1)
      return { none: `it differs from the checked-out commit ${head} (changed by an earlier step)` };
    return { none: `git could not compare it (${gitError(error)})` };
  }
}
