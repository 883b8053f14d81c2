import { createHash } from 'node:crypto';
import type { JobSettings } from '../api/client.js';
import type { RunContext } from '../github/context.js';
import { isCommitId } from '../git/commit.js';

/**
 * Metadata the action adds to every job it creates, so that the job can be found again by what
 * it was for rather than by an id that a lost answer or a killed step may never have delivered.
 */
export const TAG = {
  /** This step of this workflow run (any attempt), with these settings: one job per intent. */
  intent: 'gha_intent',
  /**
   * The model, data and settings, in this repository: the same training, whichever of its runs
   * asks for it. Another repository's job is never the same training, even on the same data:
   * reusing or following it would act on another team's work.
   */
  settings: 'gha_settings',
  /**
   * The run attempt that created the job, readable, for people and for the post step, and the
   * commit its data came from when known: `owner/repo/actions/runs/<id>/attempts/<n>`, then
   * `@<commit>` (GitHub's own `owner/repo@<commit>` notation). In one value, so that the user
   * keeps as many metadata pairs as before.
   */
  run: 'gha_run',
  /**
   * The model and method (hyperparameters and grader included) in this repository, whatever the
   * data: the line of models a plan on a pull request compares the new data with.
   */
  lineage: 'gha_lineage',
} as const;
export const TAG_COUNT = Object.keys(TAG).length;

export interface JobTags {
  intent: string;
  settings: string;
  run: string;
  lineage: string;
}

/** Data by what it holds: a local file's SHA-256, or the id of a file already uploaded. */
interface DataIdentity {
  training: string;
  validation?: string;
}

function digest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 32);
}

/** JSON with keys sorted at every depth, so equal settings hash equal whatever their order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The lineage tag: what a plan, which knows only the model and method, can work out too. */
export function lineageTag(job: Pick<JobSettings, 'model' | 'method'>, repository: string): string {
  return digest({ model: job.model, method: job.method, repository });
}

/** What a `gha_run` tag says: the run's path on the GitHub server, its repository, and the commit. */
interface RunTag {
  path: string;
  repository: string;
  /** As the tag has it: anyone with access to the account can write a tag, so check before use. */
  commit?: string;
}

const RUN_TAG = /^(([\w.-]+\/[\w.-]+)\/actions\/runs\/\d+\/attempts\/\d+)(?:@(.*))?$/s;

/** The `gha_run` tag read back; undefined when it is not in the tag's form. */
export function readRunTag(value: string | undefined): RunTag | undefined {
  const match = value === undefined ? null : RUN_TAG.exec(value);
  if (!match) return undefined;
  return { path: match[1], repository: match[2], ...(match[3] !== undefined ? { commit: match[3] } : {}) };
}

/**
 * The tags of a job for this data in this run. `commit` is the commit the training file's data is
 * at, when it is at one: it goes in the run tag only, so the same data from another commit is
 * still the same training (skip-if-unchanged) and the same intent (a re-run).
 */
export function jobTags(job: JobSettings, data: DataIdentity, run: RunContext, commit?: string): JobTags {
  const settings = digest({ job, data, repository: run.repository });
  const step = { repository: run.repository, runId: run.runId, job: run.job, action: run.action };
  return {
    intent: digest({ step, settings }),
    settings,
    run: `${run.repository}/actions/runs/${run.runId}/attempts/${run.attempt}${commit ? `@${commit}` : ''}`,
    lineage: lineageTag(job, run.repository),
  };
}

export function tagMetadata(tags: JobTags): Record<string, string> {
  return {
    [TAG.intent]: tags.intent,
    [TAG.settings]: tags.settings,
    [TAG.run]: tags.run,
    [TAG.lineage]: tags.lineage,
  };
}

/**
 * The commit a job's run tag names, with its repository: only when it is a commit id, since
 * anyone with access to the account can write the tag.
 */
export function taggedCommit(value: string | undefined): { repository: string; sha: string } | undefined {
  const tag = readRunTag(value);
  return tag?.commit && isCommitId(tag.commit) ? { repository: tag.repository, sha: tag.commit } : undefined;
}
