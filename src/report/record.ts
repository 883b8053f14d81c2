import type { FineTuningJob, FineTuningJobCheckpoint, FineTuningJobEvent } from '../api/client.js';
import type { StatusChange } from '../jobs/poll.js';
import type { MetricRow } from './chart.js';
import type { Mode } from '../inputs/types.js';
import type { DataReport } from '../data/preflight.js';
import type { PlanReport } from './plan.js';
import { taggedCommit, TAG, type JobTags } from '../jobs/tags.js';
import type { Provider } from '../api/provider.js';
import type { EvaluationRecord } from './evaluation.js';

/**
 * What a run learned, filled in by the mode as it goes and read once at the end to write the
 * outputs and the summary, whether the step succeeds or fails.
 */
export interface RunRecord {
  /** Unknown until the inputs have been read. */
  mode?: Mode;
  /** The API the job lives on, for links to it. */
  baseURL?: string;
  provider?: Provider;
  startedAt: number;
  job?: FineTuningJob;
  trainingFileId?: string;
  validationFileId?: string;
  /** cancel, pause and resume: the status before acting. */
  initialStatus?: string;
  checkpoints?: FineTuningJobCheckpoint[];
  /** Statuses as the wait saw them, and the last events, for the summary. */
  timeline?: StatusChange[];
  recentEvents?: FineTuningJobEvent[];
  /** Step metrics from the job's result file, for the summary's loss curve. */
  metrics?: MetricRow[];
  /** Azure: the deployment made of the model once the job succeeded. */
  deployment?: {
    name: string;
    id: string;
    model: string;
    /** ARM's SKU name, for the hosting price. */ sku?: string;
  };
  /** skip-if-unchanged found a succeeded job for the same training and started nothing. */
  reused?: boolean;
  /** What the check of the local data found, when it ran. */
  data?: DataReport;
  /** plan: what a merge would do, and the text the pull request and the summary get. */
  plan?: PlanReport;
  planMarkdown?: string;
  /** plan: the pull-request comment written or updated. */
  commentUrl?: string;
  /** The tags of the job this run meant to create, once known (for clean-up on abort). */
  tags?: JobTags;
  /** The commit the data of the job this run created came from (else the job's own tag says). */
  commit?: DataCommit;
  /** With eval-file: the estimate, then the scores, the gate and the report. */
  evaluation?: EvaluationRecord;
  /** The day the provider stops serving the fine-tuned model (YYYY-MM-DD), when it has said. */
  retiresOn?: string;
  /** Sentences for the summary about what the action decided (timeouts, nothing to do). */
  notes: string[];
}

export function newRecord(startedAt: number): RunRecord {
  return { startedAt, notes: [] };
}

/**
/** A commit of a repository on the GitHub server. */
export interface DataCommit {
  repository: string;
  sha: string;
}

/**
 * The commit the job's training data came from: the one this run recorded when it created the
 * job, else the one the job's own run tag names.
 */
export function dataCommit(record: RunRecord): DataCommit | undefined {
  if (record.commit) return record.commit;
  return taggedCommit(record.job?.metadata?.[TAG.run]);
}

/**
 * The loss the best checkpoint is chosen by: the full validation loss (over the whole validation
 * file) where the checkpoints have it, else the validation loss measured on a sample.
 */
export function bestLoss(
  checkpoints: readonly FineTuningJobCheckpoint[],
): 'full_valid_loss' | 'valid_loss' | undefined {
  return (['full_valid_loss', 'valid_loss'] as const).find((metric) =>
    checkpoints.some((c) => typeof c.metrics[metric] === 'number'),
  );
}

/**
 * The model to deploy or evaluate: the checkpoint with the lowest full validation loss, else the
 * lowest validation loss (measured on a sample), else the job's final model.
 */
export function bestModel(record: RunRecord): string | undefined {
  const job = record.job;
  if (job?.status !== 'succeeded') return undefined;
  const checkpoints = record.checkpoints ?? [];
  const metric = bestLoss(checkpoints);
  if (!metric) return job.fine_tuned_model ?? undefined;
  const measured = checkpoints.filter((c) => typeof c.metrics[metric] === 'number');
  return measured.reduce((a, b) => (b.metrics[metric]! < a.metrics[metric]! ? b : a))
    .fine_tuned_model_checkpoint;
}
