import { createServer, type IncomingHttpHeaders } from 'node:http';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fileCommit } from '../../src/git/commit.js';
import { readAtCommit } from '../../src/git/history.js';
import { commitFiles, git, newRepository, shallowClone } from '../helpers/git.js';

// The git module against real repositories: what commit a working file is at, and reading a file
// at an earlier commit, from a full history, a shallow checkout, and histories that lost it.

async function text(stream: Readable): Promise<string> {
  let all = '';
  for await (const chunk of stream) all += String(chunk);
  return all;
}

const NO_TOKEN = { serverUrl: 'https://github.invalid' };

describe('the commit a working file is at', () => {
  it("is the checked-out commit when the file is that commit's blob", async () => {
    const repo = newRepository();
    const sha = commitFiles(repo, { 'data/train.jsonl': '{"a":1}\n' });
    expect(await fileCommit(path.join(repo, 'data/train.jsonl'))).toEqual({ commit: sha });
  });

  it('is none for a file an earlier step changed, an untracked file, or one outside git', async () => {
    const repo = newRepository();
    commitFiles(repo, { 'train.jsonl': '{"a":1}\n' });
    writeFileSync(path.join(repo, 'train.jsonl'), '{"a":2}\n');
    expect(await fileCommit(path.join(repo, 'train.jsonl'))).toMatchObject({
      none: expect.stringContaining('differs from the checked-out commit'),
    });
    writeFileSync(path.join(repo, 'new.jsonl'), '{"a":3}\n');
    expect(await fileCommit(path.join(repo, 'new.jsonl'))).toMatchObject({
      none: expect.stringContaining('does not track it'),
    });
    const outside = mkdtempSync(path.join(tmpdir(), 'plain-'));
    writeFileSync(path.join(outside, 'train.jsonl'), '{}\n');
    expect(await fileCommit(path.join(outside, 'train.jsonl'))).toMatchObject({
      none: expect.stringContaining('not in a git checkout'),
    });
  });

  it('is the commit in a shallow checkout as actions/checkout makes it', async () => {
    const origin = newRepository();
    commitFiles(origin, { 'train.jsonl': 'one\n' });
    const sha = commitFiles(origin, { 'train.jsonl': 'two\n' });
    const checkout = shallowClone(origin);
    expect(await fileCommit(path.join(checkout, 'train.jsonl'))).toEqual({ commit: sha });
  });
});

describe('reading a file at an earlier commit', () => {
  it('streams the blob at that commit, at the same path as the working file', async () => {
    const repo = newRepository();
    const first = commitFiles(repo, { 'data/train.jsonl': 'first\n' });
    commitFiles(repo, { 'data/train.jsonl': 'second\n' });
    expect(await text(await readAtCommit(path.join(repo, 'data/train.jsonl'), first, NO_TOKEN))).toBe(
      'first\n',
    );
  });

  it('fetches that one commit, at depth 1, into a shallow checkout that lacks it', async () => {
    const origin = newRepository();
    const trained = commitFiles(origin, { 'data/train.jsonl': 'trained on\n' });
    commitFiles(origin, { 'data/train.jsonl': 'proposed\n' });
    const checkout = shallowClone(origin);
    expect(() => git(checkout, 'cat-file', '-e', trained)).toThrow();
    const stream = await readAtCommit(path.join(checkout, 'data/train.jsonl'), trained, NO_TOKEN);
    expect(await text(stream)).toBe('trained on\n');
    // Only that commit came: the checkout is still shallow.
    expect(git(checkout, 'rev-parse', '--is-shallow-repository')).toBe('true');
    expect(git(checkout, 'rev-list', '--count', trained)).toBe('1');
  });

  it('says plainly when the history no longer has the commit (force-pushed)', async () => {
    const origin = newRepository();
    commitFiles(origin, { 'train.jsonl': 'base\n' });
    const lost = commitFiles(origin, { 'train.jsonl': 'trained on, then force-pushed away\n' });
    git(origin, 'reset', '--quiet', '--hard', 'HEAD~1');
    commitFiles(origin, { 'train.jsonl': 'rewritten\n' });
    git(origin, 'reflog', 'expire', '--expire=now', '--all');
    git(origin, 'gc', '--quiet', '--prune=now');
    const checkout = shallowClone(origin);
    const said = `the repository's history no longer has commit ${lost} (force-pushed or squashed away?)`;
    // A shallow checkout asks the remote, which no longer has it.
    await expect(readAtCommit(path.join(checkout, 'train.jsonl'), lost, NO_TOKEN)).rejects.toThrow(said);
    // A full history that lacks it is not fetched into.
    await expect(readAtCommit(path.join(origin, 'train.jsonl'), lost, NO_TOKEN)).rejects.toThrow(said);
  });

  it('says when the commit has no file at that path', async () => {
    const repo = newRepository();
    const first = commitFiles(repo, { 'other.jsonl': 'x\n' });
    commitFiles(repo, { 'train.jsonl': 'y\n' });
    await expect(readAtCommit(path.join(repo, 'train.jsonl'), first, NO_TOKEN)).rejects.toThrow(
      `commit ${first} has no file at the path of train.jsonl`,
    );
  });

  it('recognises a Git LFS pointer and says so rather than comparing the pointer', async () => {
    const repo = newRepository();
    const pointer =
      'version https://git-lfs.github.com/spec/v1\n' +
      'oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n';
    const sha = commitFiles(repo, { 'train.jsonl': pointer });
    await expect(readAtCommit(path.join(repo, 'train.jsonl'), sha, NO_TOKEN)).rejects.toThrow(
      /Git LFS pointer/,
    );
  });

  it('refuses a commit from a tag that is not 40 hex digits, and never hands it to git', async () => {
    const origin = newRepository();
    commitFiles(origin, { 'train.jsonl': 'x\n' });
    const checkout = shallowClone(origin);
    const marker = path.join(checkout, 'pwned');
    for (const commit of [`--upload-pack=touch ${marker}`, 'main', 'HEAD~1', '0123abc', 'A'.repeat(40)]) {
      await expect(readAtCommit(path.join(checkout, 'train.jsonl'), commit, NO_TOKEN)).rejects.toThrow(
        'not a commit id (40 hex digits): refused',
      );
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('sends github-token for the one fetch, to the GitHub server only, after the checkout credentials fail', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((request, response) => {
      seen.push(request.headers);
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="test"' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const origin = newRepository();
      commitFiles(origin, { 'train.jsonl': 'x\n' });
      const checkout = shallowClone(origin);
      git(checkout, 'remote', 'set-url', 'origin', `${url}/octo-org/models.git`);
      const file = path.join(checkout, 'train.jsonl');
      const missing = 'f'.repeat(40);

      await expect(readAtCommit(file, missing, { token: 'ghs_secret', serverUrl: url })).rejects.toThrow(
        /with `github-token` too .*`contents: read`/,
      );
      const basic = `basic ${Buffer.from('x-access-token:ghs_secret').toString('base64')}`;
      expect(seen[0].authorization).toBeUndefined();
      expect(seen.some((headers) => headers.authorization === basic)).toBe(true);
      // Never kept in the repository's config.
      expect(git(checkout, 'config', '--list', '--local')).not.toContain('extraheader');

      // A token for another server is never sent to this remote.
      seen.length = 0;
      await expect(
        readAtCommit(file, missing, { token: 'ghs_secret', serverUrl: 'https://github.invalid' }),
      ).rejects.toThrow();
      expect(seen.every((headers) => headers.authorization === undefined)).toBe(true);
    } finally {
      server.close();
    }
  });
});
