import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { readRunnerFile } from './runner-files.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ACTION = parseYaml(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  runs: { main: string; post?: string };
};

// The temporary workspaces and runner folders made here outlive each run (a post step reads its
// main step's): they are removed when this process exits, or when a test file ends (test/setup.ts;
// the test runner's workers may not exit on their own).
const scratch: string[] = [];
export function removeScratch(): void {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}
process.on('exit', removeScratch);
function scratchDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

export interface ActionRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr, interleaved as the runner's log shows them. */
  log: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  workspace: string;
  /** Where the runner files (outputs, state, summary) are: pass it to a later post step. */
  runnerDir: string;
}

export interface RunOptions {
  inputs: Record<string, string>;
  /** Files to create in the workspace before the run, by relative path. */
  files?: Record<string, string>;
  /** GITHUB_WORKSPACE; default a fresh temporary folder. */
  workspace?: string;
  /** Runner files of an earlier step to reuse (a post step reads the main step's state). */
  runnerDir?: string;
  entry?: 'main' | 'post';
  env?: Record<string, string>;
  /**
   * Copy the action's log to this process's stdout as it arrives (the demo shows it live), less
   * the `::debug::` lines the runner too shows only with RUNNER_DEBUG=1 in `env`.
   */
  echo?: boolean;
  /** A command that runs the action's Node process, such as GNU time measuring its memory. */
  prefix?: string[];
  /** Called once the process has started, e.g. to send it a signal. */
  started?: (child: ReturnType<typeof spawn>, log: () => string) => void;
}

/**
 * Runs the committed bundle as the runner does: a separate Node process with one INPUT_* variable
 * per input (action.yml's default applied when the workflow gives none), the runner's files for
 * outputs, state and the summary, and the GITHUB_* context. Nothing leaks in from this process's
 * environment, so an OPENAI_API_KEY set here cannot make a test pass.
 */
export async function runAction(options: RunOptions): Promise<ActionRun> {
  const workspace = options.workspace ?? scratchDir('workspace-');
  const runner = options.runnerDir ?? scratchDir('runner-');
  for (const [relative, content] of Object.entries(options.files ?? {})) {
    const target = path.join(workspace, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  const file = (name: string) => {
    const target = path.join(runner, name);
    if (!options.runnerDir) writeFileSync(target, '');
    return target;
  };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runner,
    RUNNER_OS: 'Linux',
    GITHUB_OUTPUT: file('output'),
    GITHUB_STATE: file('state'),
    GITHUB_STEP_SUMMARY: file('summary'),
    GITHUB_ENV: file('env'),
    GITHUB_PATH: file('path'),
    GITHUB_REPOSITORY: 'octo-org/models',
    GITHUB_RUN_ID: '424242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'train',
    GITHUB_WORKFLOW: 'fine-tune',
    GITHUB_ACTION: 'fine-tune',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    ...options.env,
  };
  for (const [name, spec] of Object.entries(ACTION.inputs)) {
    const value = options.inputs[name] ?? spec.default;
    if (value !== undefined) env[`INPUT_${name.toUpperCase()}`] = value;
  }
  for (const name of Object.keys(options.inputs)) {
    if (!(name in ACTION.inputs))
      throw new Error(`test passes input '${name}', which action.yml does not declare`);
  }
  if (options.entry === 'post') {
    // The runner passes state saved by the main step back as STATE_* variables.
    for (const [name, value] of Object.entries(readRunnerFile(env.GITHUB_STATE)))
      env[`STATE_${name}`] = value;
  }

  const script = path.join(ROOT, options.entry === 'post' ? (ACTION.runs.post ?? '') : ACTION.runs.main);
  const [command, ...args] = [...(options.prefix ?? []), process.execPath, script];
  const child = spawn(command, args, { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  let echoed = 0;
  const echo = (end: number) => {
    if (end <= echoed) return;
    const lines = log.slice(echoed, end);
    echoed = end;
    const shown = env.RUNNER_DEBUG === '1' ? lines : lines.replace(/^::debug::.*\n?/gm, '');
    process.stdout.write(shown);
  };
  const collect = (chunk: Buffer) => {
    log += chunk.toString();
    // Whole lines only, so that a debug line split across chunks is still recognised.
    if (options.echo) echo(log.lastIndexOf('\n') + 1);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  options.started?.(child, () => log);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (c, s) => resolve([c, s])),
  );
  if (options.echo) echo(log.length);
  const run = {
    code,
    signal,
    log,
    outputs: readRunnerFile(env.GITHUB_OUTPUT),
    state: readRunnerFile(env.GITHUB_STATE),
    summary: readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8'),
    workspace,
    runnerDir: runner,
  };
  assertKeyNeverShown(run, options.inputs['api-key']);
  return run;
}

/**
 * Every run checks that the API key appears nowhere a person or a later step could read it: the
 * log (less the `::add-mask::` command, which the runner consumes and never shows), the outputs
 * and the summary.
 */
function assertKeyNeverShown(run: Omit<ActionRun, 'workspace' | 'runnerDir'>, key: string | undefined): void {
  if (!key) return;
  const shown = [run.log.replace(/^::add-mask::.*$/gm, ''), JSON.stringify(run.outputs), run.summary];
  if (shown.some((text) => text.includes(key)))
    throw new Error('the API key appears in the log, an output or the summary');
}
