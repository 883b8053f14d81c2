import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as state from '../../src/github/state.js';
import { announceJob } from '../../src/report/outputs.js';
import { captureStdout, runnerFiles } from '../helpers/capture.js';
import { makeJob } from '../helpers/jobs.js';

// What the main step leaves for its post step goes through the runner: the main step appends to
// the GITHUB_STATE file, and the runner hands each value to the post step as STATE_<key>.

let files: ReturnType<typeof runnerFiles>;
let stdout: ReturnType<typeof captureStdout>;
const saved = { ...process.env };

/** What the runner does between the two steps. */
function handToPostStep(): void {
  for (const [key, value] of Object.entries(files.state())) process.env[`STATE_${key}`] = value;
}

beforeEach(() => {
  files = runnerFiles();
  stdout = captureStdout();
});
afterEach(() => {
  stdout.restore();
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
});

describe('state for the post step', () => {
  it('holds nothing before the main step saved anything', () => {
    expect(state.isPost()).toBe(false);
    expect(state.isDone()).toBe(false);
    expect(state.getJobId()).toBeUndefined();
    expect(state.getIntent()).toBeUndefined();
    expect(state.getRun()).toBeUndefined();
  });

  it('reads back in the post step what the main step saved', () => {
    state.setIsPost();
    state.setIntent('0123abcd');
    state.setRun('octo-org/models/actions/runs/77/attempts/2');
    state.setJobId('ftjob-abc123');
    state.setDone();
    expect(files.state()).toEqual({
      isPost: 'true',
      intent: '0123abcd',
      run: 'octo-org/models/actions/runs/77/attempts/2',
      'job-id': 'ftjob-abc123',
      done: 'true',
    });
    handToPostStep();
    expect(state.isPost()).toBe(true);
    expect(state.getIntent()).toBe('0123abcd');
    expect(state.getRun()).toBe('octo-org/models/actions/runs/77/attempts/2');
    expect(state.getJobId()).toBe('ftjob-abc123');
    expect(state.isDone()).toBe(true);
  });
});

describe('announceJob', () => {
  for (const mode of ['fine-tune', 'wait'] as const) {
    it(`${mode}: gives the job id as an output at once, and leaves it for the post step`, () => {
      announceJob(mode, makeJob({ id: 'ftjob-abc123' }));
      expect(files.outputs()).toEqual({ 'job-id': 'ftjob-abc123' });
      expect(files.state()).toEqual({ 'job-id': 'ftjob-abc123' });
    });
  }

  for (const mode of ['cancel', 'pause', 'resume'] as const) {
    it(`${mode}: gives the job id as an output, and leaves no job for the post step`, () => {
      announceJob(mode, makeJob({ id: 'ftjob-abc123' }));
      expect(files.outputs()).toEqual({ 'job-id': 'ftjob-abc123' });
      expect(files.state()).toEqual({});
    });
  }
});
