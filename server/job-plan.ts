// How a job behaves: captured from the server's current plan when the job is created, so a test
// can change the plan for later jobs without disturbing the ones already running.

export interface JobError {
  code: string;
  message: string;
  param: string | null;
}

export interface JobPlan {
  /** Milliseconds in `validating_files`. */
  validatingMs: number;
  /** Milliseconds in `queued` (also after a resume, before running again). */
  queuedMs: number;
  /** Milliseconds of training in `running`; time spent paused does not count. */
  runningMs: number;
  outcome: 'succeeded' | 'failed';
  /** Where a failing job fails: while validating its files, or at the end of its training time. */
  failAt: 'validating_files' | 'running';
  /** The job's `error` when it fails; `null` picks a realistic one for `failAt`. */
  error: JobError | null;
  /** Whether a running job reports `estimated_finish` (the real API often leaves it null). */
  estimatedFinish: boolean;
  /** Checkpoints kept, evenly spaced; the last one is the final model. */
  checkpoints: number;
  /** How many `Step n/N` metric events training writes, evenly spaced, the last at step N. */
  metricEvents: number;
  /** Training steps; `null` derives them from the data: n_epochs × ⌈examples / batch_size⌉. */
  totalSteps: number | null;
}

export const DEFAULT_JOB_PLAN: JobPlan = {
  validatingMs: 300,
  queuedMs: 300,
  runningMs: 1500,
  outcome: 'succeeded',
  failAt: 'running',
  error: null,
  estimatedFinish: false,
  checkpoints: 3,
  metricEvents: 10,
  totalSteps: null,
};

export function defaultJobError(failAt: JobPlan['failAt']): JobError {
  return failAt === 'validating_files'
    ? {
        code: 'invalid_training_file',
        message: 'The job failed due to an invalid training file. Invalid file format.',
        param: 'training_file',
      }
    : { code: 'server_error', message: 'The job failed due to an internal error.', param: null };
}

export function mergePlan(base: JobPlan, change: Partial<JobPlan>): JobPlan {
  const plan = { ...base, ...change };
  for (const key of ['validatingMs', 'queuedMs', 'runningMs'] as const) {
    if (!(plan[key] >= 0)) throw new RangeError(`JobPlan.${key} must be a number >= 0, got ${plan[key]}`);
  }
  for (const key of ['checkpoints', 'metricEvents'] as const) {
    if (!Number.isInteger(plan[key]) || plan[key] < 1)
      throw new RangeError(`JobPlan.${key} must be an integer >= 1, got ${plan[key]}`);
  }
  if (plan.outcome !== 'succeeded' && plan.outcome !== 'failed') {
    throw new RangeError(`JobPlan.outcome must be 'succeeded' or 'failed', got ${String(plan.outcome)}`);
  }
  if (plan.failAt !== 'validating_files' && plan.failAt !== 'running') {
    throw new RangeError(
      `JobPlan.failAt must be 'validating_files' or 'running', got ${String(plan.failAt)}`,
    );
  }
  if (plan.totalSteps !== null && (!Number.isInteger(plan.totalSteps) || plan.totalSteps < 1)) {
    throw new RangeError(`JobPlan.totalSteps must be null or an integer >= 1, got ${plan.totalSteps}`);
  }
  return plan;
}
