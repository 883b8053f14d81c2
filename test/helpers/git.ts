import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Real git repositories in temporary folders, for what the action reads from a checkout's history.

/** git in `dir`, as a test would type it; no global or system config is read. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.invalid',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.invalid',
    },
  }).trim();
}

const made: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every repository and clone made here (test/setup.ts, after each test file). */
export function removeRepositories(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A new repository on branch main, in a temporary folder. */
export function newRepository(prefix = 'repo-'): string {
  const dir = tempDir(prefix);
  git(dir, 'init', '--quiet', '--initial-branch=main');
  return dir;
}

/** Writes the files, commits them (even when nothing changed), and returns the new commit's id. */
export function commitFiles(dir: string, files: Record<string, string>, message = 'data'): string {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  git(dir, 'add', '--all');
  git(dir, 'commit', '--quiet', '--allow-empty', '--message', message);
  return git(dir, 'rev-parse', 'HEAD');
}

/**
 * A clone as actions/checkout makes one by default: the one commit, no history (depth 1 over
 * `file://`, so that git does not just link the objects of the origin).
 */
export function shallowClone(origin: string, prefix = 'checkout-'): string {
  const dir = tempDir(prefix);
  git(dir, 'clone', '--quiet', '--depth=1', '--branch=main', `file://${origin}`, '.');
  return dir;
}
