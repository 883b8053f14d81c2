import { context } from '@actions/github';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readRunContext, serverPage } from '../../src/github/context.js';
import { jobTags } from '../../src/jobs/tags.js';

// Where the step runs comes from @actions/github's context, which reads the runner's variables
// once, when it is first imported: they are set here before any import, as the runner sets them
// before the action starts (and so the tests read the same under GitHub's own CI).
vi.hoisted(() => {
  Object.assign(process.env, {
    GITHUB_REPOSITORY: 'octo-org/models',
    GITHUB_RUN_ID: '1234',
    GITHUB_RUN_ATTEMPT: '2',
    GITHUB_JOB: 'train',
    GITHUB_ACTION: 'fine-tune',
    GITHUB_SERVER_URL: 'https://github.example.com',
  });
  delete process.env.GITHUB_EVENT_PATH;
});

const inActions = { ...context };
const repository = process.env.GITHUB_REPOSITORY;
afterEach(() => {
  Object.assign(context, inActions);
  process.env.GITHUB_REPOSITORY = repository;
});

describe('the run context', () => {
  it('names the repository, run, attempt, job and step the runner gives', () => {
    expect(readRunContext()).toEqual({
      repository: 'octo-org/models',
      runId: '1234',
      attempt: '2',
      job: 'train',
      action: 'fine-tune',
    });
  });

  it('outside Actions names nothing, and counts the run as a first attempt', () => {
    // What @actions/github makes of a process without the runner's variables.
    delete process.env.GITHUB_REPOSITORY;
    Object.assign(context, { runId: NaN, runAttempt: NaN, job: undefined, action: undefined });
    expect(readRunContext()).toEqual({ repository: '', runId: '', attempt: '1', job: '', action: '' });
  });

  it('gives every attempt of a run the same intent tag and its own run tag', () => {
    const settings = {
      model: 'gpt-4o-mini-2024-07-18',
      method: { type: 'supervised' as const, supervised: {} },
    };
    const first = jobTags(settings, { training: 'a'.repeat(64) }, readRunContext());
    Object.assign(context, { runAttempt: 3 });
    const again = jobTags(settings, { training: 'a'.repeat(64) }, readRunContext());
    expect(first.run).toBe('octo-org/models/actions/runs/1234/attempts/2');
    expect(again.run).toBe('octo-org/models/actions/runs/1234/attempts/3');
    expect(again.intent).toBe(first.intent);
  });

  it("links a page on the run's own GitHub server", () => {
    expect(serverPage('octo-org/models/actions/runs/1234/attempts/2')).toBe(
      'https://github.example.com/octo-org/models/actions/runs/1234/attempts/2',
    );
  });
});
