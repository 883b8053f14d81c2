import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as runner from '../../src/runner.js';
import { readRunnerFile } from '../../tools/runner-files.ts';
import { captureStdout } from '../helpers/capture.js';

let stdout: ReturnType<typeof captureStdout>;
const saved = { ...process.env };
beforeEach(() => (stdout = captureStdout()));
afterEach(() => {
  stdout.restore();
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
});

function file(name: string): string {
  const target = path.join(mkdtempSync(path.join(tmpdir(), 'runner-')), name);
  writeFileSync(target, '');
  return target;
}

describe('the runner protocol', () => {
  it('reads inputs as the runner passes them: INPUT_<NAME>, hyphens kept, trimmed, empty when unset', () => {
    process.env['INPUT_WAIT-TIMEOUT'] = '  2h \n';
    process.env['INPUT_WITH_SPACE'] = 'x';
    expect(runner.getInput('wait-timeout')).toBe('2h');
    expect(runner.getInput('with space')).toBe('x');
    expect(runner.getInput('missing')).toBe('');
  });

  it('writes outputs as heredoc blocks the runner reads back, newlines and all', () => {
    process.env.GITHUB_OUTPUT = file('output');
    runner.setOutput('job', '{"a":1}\nsecond line');
    runner.setOutput('status', 'succeeded');
    expect(readRunnerFile(process.env.GITHUB_OUTPUT)).toEqual({
      job: '{"a":1}\nsecond line',
      status: 'succeeded',
    });
  });

  it('chooses a delimiter the value does not hold, so a value cannot write other outputs', () => {
    process.env.GITHUB_OUTPUT = file('output');
    // What a hostile value would try: end its block early with a delimiter it guessed.
    const hostile = [
      'x',
      'ghadelimiter_0',
      'injected<<ghadelimiter_1',
      'evil',
      'ghadelimiter_1',
      'tail',
    ].join('\n');
    runner.setOutput('message', hostile);
    runner.setOutput('status', 'succeeded');
    expect(readRunnerFile(process.env.GITHUB_OUTPUT)).toEqual({ message: hostile, status: 'succeeded' });
  });

  it('saves state for the post step and reads it back from STATE_<name>', () => {
    process.env.GITHUB_STATE = file('state');
    runner.saveState('job-id', 'ftjob-1');
    expect(readRunnerFile(process.env.GITHUB_STATE)).toEqual({ 'job-id': 'ftjob-1' });
    process.env['STATE_job-id'] = 'ftjob-1';
    expect(runner.getState('job-id')).toBe('ftjob-1');
    expect(runner.getState('other')).toBe('');
  });

  it('escapes annotation messages and properties as the runner expects', () => {
    runner.error('50% done\r\nnext', { title: 'a: b, c', file: 'data/x.jsonl', startLine: 4 });
    runner.warning('plain');
    expect(stdout.text()).toBe(
      '::error title=a%3A b%2C c,file=data/x.jsonl,line=4::50%25 done%0D%0Anext\n::warning::plain\n',
    );
  });

  it('masks secrets, groups the log and fails the step through the exit code', async () => {
    runner.setSecret('sk-abc');
    const value = await runner.group('Upload', async () => {
      runner.info('inside');
      return 7;
    });
    await expect(
      runner.group('Broken', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    runner.setFailed('it failed');
    expect(value).toBe(7);
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
    expect(stdout.text()).toBe(
      '::add-mask::sk-abc\n::group::Upload\ninside\n::endgroup::\n::group::Broken\n::endgroup::\n::error::it failed\n',
    );
  });

  it('appends Markdown to the step summary, and writes nothing without one', () => {
    process.env.GITHUB_STEP_SUMMARY = file('summary');
    runner.appendSummary('## one\n');
    runner.appendSummary('## two\n');
    expect(readFileSync(process.env.GITHUB_STEP_SUMMARY, 'utf8')).toBe('## one\n## two\n');
    delete process.env.GITHUB_STEP_SUMMARY;
    expect(() => runner.appendSummary('x')).not.toThrow();
  });
});
