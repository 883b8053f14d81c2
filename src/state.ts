import * as core from './runner.js';

// What the main step leaves for its post step (the runner's GITHUB_STATE), so that a main step
// killed outright still has its job cancelled: the post step runs even after a cancelled run.

const KEY = { isPost: 'isPost', jobId: 'job-id', intent: 'intent', run: 'run', done: 'done' } as const;

export interface LeftBehind {
  /** The main step ended on its own terms: whatever is still running was meant to be. */
  done: boolean;
  jobId?: string;
  intent?: string;
  run?: string;
}

export function isPostStep(): boolean {
  return core.getState(KEY.isPost) === 'true';
}

export function markMainStarted(): void {
  core.saveState(KEY.isPost, 'true');
}

/** Saved before the create request, so a job whose id never arrived can still be found. */
export function rememberIntent(intent: string, run: string): void {
  core.saveState(KEY.intent, intent);
  core.saveState(KEY.run, run);
}

export function rememberJob(jobId: string): void {
  core.saveState(KEY.jobId, jobId);
}

export function markDone(): void {
  core.saveState(KEY.done, 'true');
}

export function readLeftBehind(): LeftBehind {
  const optional = (key: string) => core.getState(key) || undefined;
  return {
    done: core.getState(KEY.done) === 'true',
    jobId: optional(KEY.jobId),
    intent: optional(KEY.intent),
    run: optional(KEY.run),
  };
}
