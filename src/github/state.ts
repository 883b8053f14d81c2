import * as core from '@actions/core';

// What the main step leaves for its post step (the runner's GITHUB_STATE): one getter and setter
// per key, the keys named here only. The post step runs even after a cancelled run, so a main step
// killed outright still has the job it created or followed cancelled.

const KEY = {
  isPost: 'isPost',
  jobId: 'job-id',
  intent: 'intent',
  run: 'run',
  done: 'done',
  candidate: 'candidate-deployment',
} as const;

/** The main step saves this first: the runner calls the same entry again for the post step. */
export const isPost = (): boolean => core.getState(KEY.isPost) === 'true';
export const setIsPost = (): void => core.saveState(KEY.isPost, 'true');

/** The job a fine-tune or wait run created or followed; no other mode saves one. */
export const getJobId = (): string | undefined => core.getState(KEY.jobId) || undefined;
export const setJobId = (jobId: string): void => core.saveState(KEY.jobId, jobId);

/** The intent tag of a job about to be created, so that one whose id never arrived can still be found. */
export const getIntent = (): string | undefined => core.getState(KEY.intent) || undefined;
export const setIntent = (intent: string): void => core.saveState(KEY.intent, intent);

/** The run-attempt tag saved beside the intent: only this attempt's job is cleaned up. */
export const getRun = (): string | undefined => core.getState(KEY.run) || undefined;
export const setRun = (run: string): void => core.saveState(KEY.run, run);

/** The main step ended on its own terms: whatever is still running was meant to be. */
export const isDone = (): boolean => core.getState(KEY.done) === 'true';
export const setDone = (): void => core.saveState(KEY.done, 'true');

/**
 * Azure: the deployment a candidate is evaluated on, saved before it is asked for and cleared
 * (undefined) once it is deleted, so the post step deletes one that a killed main step left.
 */
export const getCandidateDeployment = (): string | undefined => core.getState(KEY.candidate) || undefined;
export const setCandidateDeployment = (name: string | undefined): void =>
  core.saveState(KEY.candidate, name ?? '');
