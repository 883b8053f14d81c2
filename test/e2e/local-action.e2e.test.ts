import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ROOT } from '../../tools/run-action.ts';

// `npm run local-action` as a newcomer runs it: GitHub's @github/local-action imports src/main.ts,
// calls its run() with the toolkit stubbed, and prints the outputs; the script starts the local API.

const scratch = mkdtempSync(path.join(tmpdir(), 'local-action-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `npm run local-action -- <settings>` with .env.example's settings and `extra` lines after them. */
async function localAction(name: string, extra = ''): Promise<{ code: number | null; log: string }> {
  // On a port of its own, so that the test does not collide with a local API someone left
  // running on the default one.
  const port = await freePort();
  const settings = readFileSync(path.join(ROOT, '.env.example'), 'utf8').replace(
    /^INPUT_BASE-URL=.*$/m,
    `INPUT_BASE-URL=http://127.0.0.1:${port}/v1`,
  );
  const envFile = path.join(scratch, name);
  writeFileSync(envFile, settings + extra);

  const child = spawn(process.execPath, [path.join(ROOT, 'tools/local-action.ts'), envFile], {
    cwd: ROOT,
    env: {
      ...process.env,
      PATH: `${path.join(ROOT, 'node_modules/.bin')}${path.delimiter}${process.env.PATH}`,
      // local-action stubs @actions/core at the path npm lists; in a git worktree whose
      // node_modules is a link, Node would load the real one from the link's target instead.
      NODE_OPTIONS: '--preserve-symlinks',
    },
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, log };
}

it('runs a fine-tune from src/main.ts with @github/local-action and shows its outputs', async () => {
  const { code, log } = await localAction('my.env');

  expect(code, log).toBe(0);
  // A short banner: not local-action's tables of every input and output.
  expect(log).toMatch(
    /^Running src\/main\.ts under @github\/local-action against the local fine-tuning API on http:\/\/127\.0\.0\.1:\d+\/v1; settings from /,
  );
  expect(log).not.toContain('Action Metadata');
  expect(log).toContain('The action succeeded.');
  // local-action's table of what the action set with core.setOutput, printed after the run (the
  // tables before it describe action.yml's inputs and outputs).
  const table = log.slice(log.lastIndexOf('Action Outputs'));
  const output = (name: string) => new RegExp(`'${name}'\\s*│\\s*'([^']*)'`).exec(table)?.[1];
  expect(output('status')).toBe('succeeded');
  expect(output('job-id')).toMatch(/^ftjob-/);
  expect(output('fine-tuned-model')).toMatch(/^ft:gpt-4o-mini-2024-07-18:/);
  expect(output('reused')).toBe('false');
  // The job summary went to the file the script named, and was shown.
  expect(log).toContain('--- job summary ---');
  expect(log).toMatch(/\| Status \| succeeded \|/);
  expect(log).not.toContain('sk-local-test');
}, 120_000);

it('exits non-zero when the action fails, as the step would', async () => {
  const { code, log } = await localAction('bad-mode.env', '\nINPUT_MODE=finetune\n');
  expect(code, log).toBe(1);
  expect(log).toContain(
    "::error::Input 'mode' must be one of fine-tune, wait, cancel, pause, resume, plan, evaluate, got 'finetune'",
  );
  expect(log).toContain('The action failed (exit code 1).');
  expect(log).not.toContain('Error: Command failed');
}, 120_000);
