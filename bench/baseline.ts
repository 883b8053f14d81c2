// The baseline the start-up and waiting-memory figures are held against: bench/baseline/index.ts,
// bundled in this run with the action's own bundler and settings, so it carries the same SDK and
// toolkit versions and pays the same bundle-loading costs.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let built: Promise<string> | undefined;

/**
 * Bundles the baseline into `dir`/baseline/ as package.json's build script bundles the action
 * (`ncc build ... --target es2023`), once per bench run, and returns the bundle's entry.
 */
export function baselineBundle(root: string, dir: string): Promise<string> {
  built ??= (async () => {
    const out = path.join(dir, 'baseline');
    const child = spawn(
      process.execPath,
      [
        path.join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js'),
        'build',
        path.join(root, 'bench', 'baseline', 'index.ts'),
        '-o',
        out,
        '--target',
        'es2023',
        '--quiet',
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`bundling the baseline failed (${code}):\n${log}`);
    return path.join(out, 'index.js');
  })();
  return built;
}

export interface BaselineRun {
  code: number | null;
  log: string;
  outputs: string;
}

/**
 * Runs the baseline bundle as the runner runs an action: its own Node process, one INPUT_*
 * variable per input and a GITHUB_OUTPUT file, nothing else from this process's environment.
 */
export async function runBaseline(
  script: string,
  inputs: Record<string, string>,
  options: { prefix?: string[]; env?: Record<string, string> } = {},
): Promise<BaselineRun> {
  const runner = mkdtempSync(path.join(tmpdir(), 'baseline-runner-'));
  const output = path.join(runner, 'output');
  writeFileSync(output, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: runner,
    GITHUB_OUTPUT: output,
    ...options.env,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const [command, ...args] = [...(options.prefix ?? []), process.execPath, script];
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, log, outputs: readFileSync(output, 'utf8') };
}
