// `npm run local-action [-- my.env]`: GitHub's own local runner, @github/local-action, runs
// src/main.ts (its exported run(), with the toolkit stubbed) against the local fine-tuning API,
// which this script starts on the base URL the settings name. Settings: the file named as the
// argument (from where the command is run), else .env if there is one, else .env.example. Exits 1
// when the action fails, as a step would.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseEnv, stripVTControlCharacters } from 'node:util';
import { startServer } from '../server/index.ts';
import { ROOT } from './run-action.ts';

// `npm run local-action` runs from the package's root and says where it was called from; any
// other process under npm (a test) inherits INIT_CWD, so it counts only for this script.
const here = (process.env.npm_lifecycle_event === 'local-action' && process.env.INIT_CWD) || process.cwd();
const given = process.argv[2];
const envFile = given
  ? path.resolve(here, given)
  : path.join(ROOT, existsSync(path.join(ROOT, '.env')) ? '.env' : '.env.example');
if (!existsSync(envFile)) {
  console.error(`No settings file ${given} (looked for ${envFile}); start from a copy of .env.example`);
  process.exit(2);
}
const settings = parseEnv(readFileSync(envFile, 'utf8'));
const baseURL = settings['INPUT_BASE-URL'] ? new URL(settings['INPUT_BASE-URL']) : undefined;
const local = baseURL?.hostname === '127.0.0.1' || baseURL?.hostname === 'localhost';
const api = local
  ? await startServer({
      port: Number(baseURL.port),
      apiKey: settings['INPUT_API-KEY'],
      fileProcessingMs: 200,
      jobPlan: { validatingMs: 500, queuedMs: 500, runningMs: 3000, metricEvents: 5 },
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') throw error;
      console.error(
        `Port ${baseURL.port} is taken (a local API left running?): change INPUT_BASE-URL in ${envFile}`,
      );
      process.exit(2);
    })
  : undefined;
const settingsName = path.relative(here, envFile) || envFile;
console.log(
  api
    ? `Running src/main.ts under @github/local-action against the local fine-tuning API on ${api.url}; settings from ${settingsName}`
    : `Running src/main.ts under @github/local-action against ${baseURL?.href ?? 'OPENAI_BASE_URL, else https://api.openai.com/v1'}; settings from ${settingsName}`,
);

// The runner gives every step a summary file; local-action only writes to one that is named.
const scratch = mkdtempSync(path.join(tmpdir(), 'local-action-'));
const summary = path.join(scratch, 'summary.md');
try {
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn('local-action', ['run', '.', 'tools/local-action-entry.ts', envFile], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        GITHUB_STEP_SUMMARY: summary,
        ...(process.stdout.isTTY ? { FORCE_COLOR: '1' } : {}),
      },
    });
    showRun(child.stdout);
    child.on('close', resolve);
  });
  if (existsSync(summary)) console.log(`\n--- job summary ---\n${readFileSync(summary, 'utf8')}`);
  console.log(code === 0 ? 'The action succeeded.' : `The action failed (exit code ${code ?? 'none'}).`);
  process.exitCode = code ?? 1;
} finally {
  await api?.close();
  rmSync(scratch, { recursive: true, force: true });
}

/**
 * local-action's log from its "Running Action" heading on: before it come a banner and tables of
 * every input and output in action.yml, after it the Node error its launcher prints for a failed
 * step, which says only that the process exited non-zero. A log without the heading is shown whole.
 */
function showRun(stream: NodeJS.ReadableStream): void {
  const before: string[] = [];
  let state: 'banner' | 'run' | 'launcher' = 'banner';
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', (line) => {
    const plain = stripVTControlCharacters(line);
    if (state === 'banner' && plain.trim() === 'Running Action') {
      state = 'run';
      before.splice(0);
    }
    if (state === 'run' && plain.startsWith('Error: Command failed: ')) state = 'launcher';
    if (state === 'banner') before.push(line);
    else if (state === 'run') console.log(line);
  });
  lines.on('close', () => {
    if (state === 'banner') for (const line of before) console.log(line);
  });
}
