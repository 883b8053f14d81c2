// Other teams' jobs in a shared account: put straight into the store in a given status, where they
// stay until a request acts on them, so that a test can show afterwards that nobody touched them.
import { createHash, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { requestedMethod } from './hyperparameters.ts';
import { Job, type JobEnvironment, type JobStatus } from './job.ts';
import { DEFAULT_JOB_PLAN, type JobPlan } from './job-plan.ts';
import { checkedMetadata } from './jobs.ts';
import { encodingFor, textTokens } from './tokens.ts';

export interface SeedJobSpec {
  /** The status the job is in, and stays in until it is cancelled, paused or resumed. */
  status: JobStatus;
  /** Default `null`; held to the limits a job created through the API is. */
  metadata?: Record<string, string> | null;
  /** A base model that can be fine-tuned; default `gpt-4o-mini`. */
  model?: string;
  /** Unix seconds; default now, which makes the job the newest one so far. */
  createdAt?: number;
  /**
   * A fine-tuning file already in the store that the job trained on (someone in the same account
   * reusing an upload); default a file of the team's own data.
   */
  trainingFile?: string;
  /** Events logged after the lifecycle's, as a provider writes them (they may quote what users gave it). */
  events?: Array<{ message: string; level?: 'info' | 'warn' | 'error' }>;
}

// A team's own data, so that a seeded job's training file can be retrieved like any other.
const TRAINING_DATA = Array.from({ length: 12 }, (_, i) =>
  JSON.stringify({
    messages: [
      { role: 'user', content: `Which shard holds document ${i}?` },
      { role: 'assistant', content: `Document ${i} is in shard ${i % 4}.` },
    ],
  }),
)
  .map((line) => `${line}\n`)
  .join('');

const INSTANT: JobPlan = { ...DEFAULT_JOB_PLAN, validatingMs: 0, queuedMs: 0, runningMs: 0 };

// A seeded job goes through the ordinary lifecycle, in no time, up to its status, so that it has
// what a real job there has (resolved hyperparameters, events, a model, a results file); the phase
// it is to stay in never ends. A resumed job waits in the queue no time and runs for ever.
function planHolding(status: JobStatus): JobPlan {
  switch (status) {
    case 'validating_files':
      return { ...INSTANT, validatingMs: Infinity };
    case 'queued':
      return { ...INSTANT, queuedMs: Infinity };
    case 'running':
    case 'paused':
    case 'cancelled':
      return { ...INSTANT, runningMs: Infinity };
    case 'succeeded':
      return INSTANT;
    case 'failed':
      return { ...INSTANT, outcome: 'failed' };
    default:
      throw new RangeError(`SeedJobSpec.status: unknown status ${String(status)}`);
  }
}

/** A job of another team, created at `spec.createdAt` (or `now`) and already in `spec.status`. */
export function seededJob(spec: SeedJobSpec, env: JobEnvironment, now: number): Job {
  const plan = planHolding(spec.status);
  if (spec.createdAt !== undefined && !Number.isFinite(spec.createdAt))
    throw new RangeError(`SeedJobSpec.createdAt must be unix seconds, got ${spec.createdAt}`);
  const createdMs = spec.createdAt === undefined ? now : spec.createdAt * 1000;
  const metadata = checkedMetadata(spec.metadata ?? null);
  const model = env.models.fineTuningTarget(spec.model ?? 'gpt-4o-mini', 'supervised');
  const training = spec.trainingFile
    ? env.files.require(spec.trainingFile, createdMs)
    : env.files.writeGenerated('train.jsonl', 'fine-tune', TRAINING_DATA, createdMs);
  const job = new Job(
    {
      model,
      trainingFile: training.id,
      validationFile: null,
      examples: training.stats.examples,
      suffix: null,
      seed: randomInt(0, 2147483647),
      metadata,
      integrations: [],
      method: requestedMethod(undefined, undefined),
    },
    plan,
    env,
    createdMs,
  );
  // The tokens of the data the job trains on: a seeded job may name a stored file of its own.
  const data = spec.trainingFile ? readFileSync(training.path, 'utf8') : TRAINING_DATA;
  job.counted(textTokens(data, 'supervised', encodingFor(model)), createdMs);
  job.advance(createdMs);
  if (spec.status === 'paused') job.pause(createdMs);
  if (spec.status === 'cancelled') job.cancel(createdMs);
  for (const { message, level } of spec.events ?? []) job.note(createdMs, message, level);
  return job;
}

/** Where another repository that uses this action ran it: its tags carry this, not ours. */
export const OTHER_REPOSITORY_RUN = 'other-org/other-repo/actions/runs/1/attempts/1';

// Shaped like the action's own tag values (hex digests), but of another repository's data.
const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/**
 * The standard neighbours: finished, waiting and training jobs, each with no metadata, with a team's
 * own metadata, and with this action's tag keys as another repository sets them. Stored in this
 * order, so the newest of them, listed first, is a running job with the action's tag keys.
 */
export function otherTeamsJobSpecs(): SeedJobSpec[] {
  return (['succeeded', 'queued', 'running'] as const).flatMap((status): SeedJobSpec[] => [
    { status, metadata: null },
    { status, metadata: { team: 'search' } },
    {
      status,
      metadata: {
        gha_intent: digest(`${OTHER_REPOSITORY_RUN} ${status}`),
        gha_settings: digest('other-org/other-repo train.jsonl'),
        gha_run: OTHER_REPOSITORY_RUN,
      },
    },
  ]);
}
