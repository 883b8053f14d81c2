import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileToRead, fileToWrite } from '../../src/inputs/files.js';

// The one check every file input (and output path) passes: inside the workspace or RUNNER_TEMP
// once symlinks are followed, and of the right sort, before anything is read or written.

const base = mkdtempSync(path.join(tmpdir(), 'files-'));
const workspace = path.join(base, 'workspace');
const runnerTemp = path.join(base, 'runner-temp');
const outside = path.join(base, 'outside');
for (const dir of [workspace, runnerTemp, outside, path.join(workspace, 'out')]) mkdirSync(dir);
writeFileSync(path.join(workspace, 'data.jsonl'), '{}\n');
writeFileSync(path.join(outside, 'secret.txt'), 'secret\n');
writeFileSync(path.join(runnerTemp, 'made.jsonl'), '{}\n');
symlinkSync(path.join(outside, 'secret.txt'), path.join(workspace, 'link-out.jsonl'));
symlinkSync(outside, path.join(workspace, 'folder-out'));
symlinkSync(path.join(outside, 'secret.txt'), path.join(workspace, 'out', 'answers.jsonl'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const env = { GITHUB_WORKSPACE: workspace, RUNNER_TEMP: runnerTemp };

describe('fileToRead', () => {
  it('gives the real path of a regular file in the workspace or RUNNER_TEMP', () => {
    expect(fileToRead('training-file', 'data.jsonl', env)).toBe(
      realpathSync(path.join(workspace, 'data.jsonl')),
    );
    expect(fileToRead('training-file', path.join(runnerTemp, 'made.jsonl'), env)).toBe(
      realpathSync(path.join(runnerTemp, 'made.jsonl')),
    );
  });

  it.each([
    ['a symlink out', 'link-out.jsonl'],
    ['a path through a linked folder', 'folder-out/secret.txt'],
    ['../ climbing out', '../outside/secret.txt'],
    ['an absolute path outside', path.join(outside, 'secret.txt')],
  ])('refuses %s, naming the input', (_, given) => {
    expect(() => fileToRead('eval-file', given, env)).toThrow(
      `Input 'eval-file' names '${given}', which lies outside the workspace and RUNNER_TEMP`,
    );
  });

  it('refuses what is not a regular file, and what is not there', () => {
    expect(() => fileToRead('training-file', 'out', env)).toThrow('which is not a regular file');
    expect(() => fileToRead('training-file', 'missing.jsonl', env)).toThrow('which does not exist');
  });

  it('refuses a file under RUNNER_TEMP when RUNNER_TEMP is not set', () => {
    expect(() =>
      fileToRead('training-file', path.join(runnerTemp, 'made.jsonl'), { GITHUB_WORKSPACE: workspace }),
    ).toThrow('lies outside');
  });
});

describe('fileToWrite', () => {
  it('gives the path of a new or regular file whose folder is inside', () => {
    expect(fileToWrite('record-answers', 'out/new.jsonl', env)).toBe(
      path.join(realpathSync(workspace), 'out', 'new.jsonl'),
    );
    expect(fileToWrite('record-answers', 'data.jsonl', env)).toBe(
      path.join(realpathSync(workspace), 'data.jsonl'),
    );
  });

  it.each([
    ['a folder outside', path.join(outside, 'answers.jsonl'), 'would be written outside'],
    ['../ climbing out', '../outside/answers.jsonl', 'would be written outside'],
    ['a linked folder pointing out', 'folder-out/answers.jsonl', 'would be written outside'],
    ['a symlink in place of the file', 'out/answers.jsonl', 'which is a symlink'],
    ['a folder in place of the file', 'out', 'which is not a regular file'],
    ['a folder that is not there', 'nowhere/answers.jsonl', 'whose folder does not exist'],
  ])('refuses %s, naming the input', (_, given, says) => {
    expect(() => fileToWrite('record-answers', given, env)).toThrow(
      `Input 'record-answers' names '${given}', ${says}`.replace(', would', ', which would'),
    );
  });
});
