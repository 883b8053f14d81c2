import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../server/index.ts';
import { ROOT, runAction } from '../../tools/run-action.ts';
import { closeLocalApi, connect, EXAMPLE, startLocalApi } from './local-api.ts';

// Through the bundle: files the inputs name are read only from the workspace or RUNNER_TEMP, and
// credential URLs go over TLS off this machine; each is refused, naming the input, with nothing
// sent to the API.

let api: LocalApi;
beforeEach(async () => {
  api = await startLocalApi();
});
afterEach(() => closeLocalApi(api));

// A file outside every place the action may read from: what a committed symlink would reach for.
const outside = mkdtempSync(path.join(tmpdir(), 'trust-outside-'));
writeFileSync(path.join(outside, 'secret.jsonl'), EXAMPLE('train.jsonl'));
afterAll(() => rmSync(outside, { recursive: true, force: true }));

/** A workspace holding the example data and a link out of it. */
function workspaceWithLink(link: string, target: string): string {
  const workspace = mkdtempSync(path.join(tmpdir(), 'trust-workspace-'));
  mkdirSync(path.join(workspace, 'data'));
  writeFileSync(path.join(workspace, 'data', 'train.jsonl'), EXAMPLE('train.jsonl'));
  symlinkSync(target, path.join(workspace, link));
  return workspace;
}

function fineTune(workspace: string, inputs: Record<string, string>) {
  return runAction({
    workspace,
    inputs: {
      ...connect(api),
      model: 'gpt-4o-mini-2024-07-18',
      'training-file': 'data/train.jsonl',
      'poll-interval': '100ms',
      ...inputs,
    },
  });
}

describe('files outside the workspace, end to end', () => {
  it.each([
    { why: 'a symlinked training file pointing outside', link: 'data/linked.jsonl', to: 'outside' },
    { why: 'a symlink to /proc/self/environ', link: 'data/environ.jsonl', to: '/proc/self/environ' },
  ])('refuses $why, naming the input, and uploads nothing', async ({ link, to }) => {
    const workspace = workspaceWithLink(link, to === 'outside' ? path.join(outside, 'secret.jsonl') : to);
    try {
      const run = await fineTune(workspace, { 'training-file': link });
      expect(run.code).toBe(1);
      expect(run.log).toContain(
        `::error::Input 'training-file' names '${link}', which lies outside the workspace`,
      );
      expect(api.requests).toEqual([]);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  it('refuses a validation file that climbs out with ../, and uploads nothing', async () => {
    const workspace = workspaceWithLink('data/unused.jsonl', 'train.jsonl');
    const climb = path.relative(workspace, path.join(outside, 'secret.jsonl'));
    expect(climb.startsWith('..')).toBe(true);
    try {
      const run = await fineTune(workspace, { 'validation-file': climb });
      expect(run.code).toBe(1);
      expect(run.log).toContain(`::error::Input 'validation-file' names '${climb}', which lies outside`);
      expect(api.requests).toEqual([]);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  it('takes a symlink that stays in the workspace (the control)', async () => {
    const workspace = workspaceWithLink('data/linked.jsonl', 'train.jsonl');
    try {
      const run = await fineTune(workspace, { 'training-file': 'data/linked.jsonl', wait: 'false' });
      expect(run.code).toBe(0);
      expect(api.requests.some((entry) => entry.method === 'POST' && entry.path === '/files')).toBe(true);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});

describe('credentials in clear, end to end', () => {
  it('refuses http:// to a host off this machine before any request', async () => {
    const workspace = workspaceWithLink('data/unused.jsonl', 'train.jsonl');
    try {
      const run = await fineTune(workspace, { 'base-url': 'http://api.example.invalid/v1' });
      expect(run.code).toBe(1);
      expect(run.log).toContain("::error::Input 'base-url' must use https for api.example.invalid");
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});

describe('the bundles', () => {
  it('keep Azure Resource Manager code out of the validator (dist/validate)', () => {
    expect(readFileSync(path.join(ROOT, 'dist', 'index.js'), 'utf8')).toContain(
      'Azure Resource Manager gave no answer',
    );
    expect(readFileSync(path.join(ROOT, 'dist', 'validate', 'index.js'), 'utf8')).not.toContain(
      'Azure Resource Manager gave no answer',
    );
  });
});
