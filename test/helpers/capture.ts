import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';
import { readRunnerFile } from '../../tools/runner-files.ts';

/** Everything the action printed to stdout (log lines and workflow commands) while capturing. */
export function captureStdout(): { text: () => string; restore: () => void } {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  return { text: () => chunks.join(''), restore: () => spy.mockRestore() };
}

/** Points GITHUB_OUTPUT and GITHUB_STEP_SUMMARY at fresh files, as the runner does for each step. */
export function runnerFiles(): { outputs: () => Record<string, string>; summary: () => string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'runner-'));
  const output = path.join(dir, 'output');
  const summary = path.join(dir, 'summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  process.env.GITHUB_OUTPUT = output;
  process.env.GITHUB_STEP_SUMMARY = summary;
  return { outputs: () => readRunnerFile(output), summary: () => readFileSync(summary, 'utf8') };
}
