// `npm run local-action`: GitHub's own local runner, @github/local-action, runs src/main.ts (its
// exported run(), with the toolkit stubbed) against the local fine-tuning API, which this script
// starts on the base URL the settings name. Settings: the file named as the argument, else .env
// if there is one, else .env.example.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { startServer } from '../server/index.ts';
import { ROOT } from './run-action.ts';

const envFile = process.argv[2] ?? (existsSync(path.join(ROOT, '.env')) ? '.env' : '.env.example');
const settings = parseEnv(readFileSync(path.resolve(ROOT, envFile), 'utf8'));
const baseURL = new URL(settings['INPUT_BASE-URL'] ?? '');
const local = baseURL.hostname === '127.0.0.1' || baseURL.hostname === 'localhost';
const api = local
  ? await startServer({
      port: Number(baseURL.port),
      apiKey: settings['INPUT_API-KEY'],
      fileProcessingMs: 200,
      jobPlan: { validatingMs: 500, queuedMs: 500, runningMs: 3000, metricEvents: 5 },
    })
  : undefined;
if (api) console.log(`Local fine-tuning API on ${api.url}; settings from ${envFile}`);

// The runner gives every step a summary file; local-action only writes to one that is named.
const scratch = mkdtempSync(path.join(tmpdir(), 'local-action-'));
const summary = path.join(scratch, 'summary.md');
try {
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn('local-action', ['run', '.', 'src/main.ts', envFile], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, GITHUB_STEP_SUMMARY: summary },
    });
    child.on('close', resolve);
  });
  if (existsSync(summary)) console.log(`\n--- job summary ---\n${readFileSync(summary, 'utf8')}`);
  process.exitCode = code ?? 1;
} finally {
  await api?.close();
  rmSync(scratch, { recursive: true, force: true });
}
