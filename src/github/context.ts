import { context } from '@actions/github';

/** Where the step runs, from the workflow run's context (empty outside Actions). */
export interface RunContext {
  /** `owner/name`. */
  repository: string;
  runId: string;
  attempt: string;
  job: string;
  action: string;
}

/** This GitHub server, `https://github.com` or an Enterprise Server's own address. */
export const serverUrl = (): string => context.serverUrl;

/** A page of this GitHub server, from a path such as a job's `gha_run` tag. */
export const serverPage = (pagePath: string): string => `${context.serverUrl}/${pagePath}`;

export function readRunContext(): RunContext {
  let repository = '';
  try {
    const { owner, repo } = context.repo;
    repository = `${owner}/${repo}`;
  } catch {
    // Outside Actions there is no repository: the tags then name none.
  }
  // NaN when the variables are unset, as they are outside Actions.
  const runId = Number.isFinite(context.runId) ? String(context.runId) : '';
  const attempt = Number.isFinite(context.runAttempt) ? String(context.runAttempt) : '1';
  return {
    repository,
    runId,
    attempt,
    job: context.job ?? '',
    action: context.action ?? '',
  };
}
