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

/**
 * Points GITHUB_OUTPUT, GITHUB_STATE and GITHUB_STEP_SUMMARY at fresh files, as the runner does for
 * each step, and reads them back the way the runner does.
 */
export function runnerFiles(): {
  outputs: () => Record<string, string>;
  state: () => Record<string, string>;
  summary: () => string;
} {
  const dir = mkdtempSync(path.join(tmpdir(), 'runner-'));
  const output = path.join(dir, 'output');
  const state = path.join(dir, 'state');
  const summary = path.join(dir, 'summary');
  for (const file of [output, state, summary]) writeFileSync(file, '');
  process.env.GITHUB_OUTPUT = output;
  process.env.GITHUB_STATE = state;
  process.env.GITHUB_STEP_SUMMARY = summary;
  return {
    outputs: () => readRunnerFile(output),
    state: () => readRunnerFile(state),
    summary: () => readFileSync(summary, 'utf8'),
  };
}
