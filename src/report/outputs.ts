import * as core from '@actions/core';
import type { FineTuningJob } from '../api/client.js';
import { setJobId } from '../github/state.js';
import type { Mode } from '../inputs/types.js';
import { bestModel, dataCommit, type RunRecord } from './record.js';

/**
 * The id of the job a run has just come to know, written at once as an output, so a later step
 * can still act on it (`if: failure()`) when this one fails or is killed.
 */
export function announceJob(mode: Mode, job: FineTuningJob): void {
  core.setOutput('job-id', job.id);
  // Only a run that follows a job leaves it for the post step: cancel, pause and resume make
  // one change, and a cancelled pause must never turn into a cancel.
  if (mode === 'fine-tune' || mode === 'wait') setJobId(job.id);
}

/** Writes every output of the mode once, from what the run recorded; unknown values are empty. */
export function writeOutputs(record: RunRecord): void {
  // Without a mode the inputs were never read: there is nothing to report but the error.
  if (!record.mode) return;
  const job = record.job;
  const succeeded = job?.status === 'succeeded';
  const outputs: Record<string, string> = {
    status: job?.status ?? '',
    job: job ? JSON.stringify(job) : '',
    provider: record.provider ?? '',
  };
  if (record.mode === 'fine-tune' || record.mode === 'plan') {
    outputs['estimated-billed-tokens'] = record.data?.billedTokens?.toString() ?? '';
    // Dollars with cents, as a number a workflow can compare: no currency sign.
    outputs['estimated-cost'] = record.data?.cost?.toFixed(2) ?? '';
  }
  if (record.mode === 'fine-tune') {
    outputs['training-file-id'] = record.trainingFileId ?? '';
    outputs['validation-file-id'] = record.validationFileId ?? '';
    outputs.reused = String(record.reused === true);
  }
  if (record.mode === 'plan') {
    outputs.plan = record.plan?.decision ?? '';
    outputs['comment-url'] = record.commentUrl ?? '';
  }
  if (record.mode === 'fine-tune' || record.mode === 'wait') {
    outputs['fine-tuned-model'] = succeeded ? (job?.fine_tuned_model ?? '') : '';
    outputs['trained-tokens'] = succeeded && job?.trained_tokens != null ? String(job.trained_tokens) : '';
    outputs['result-file-id'] = job?.result_files[0] ?? '';
    outputs['best-checkpoint-model'] = bestModel(record) ?? '';
    outputs['deployment-name'] = record.deployment?.name ?? '';
    outputs.commit = dataCommit(record)?.sha ?? '';
    outputs['model-retires-on'] = record.retiresOn ?? '';
    outputs.checkpoints = JSON.stringify(
      (record.checkpoints ?? []).map((c) => ({
        model: c.fine_tuned_model_checkpoint,
        step: c.step_number,
        metrics: c.metrics,
      })),
    );
  } else if (record.mode !== 'plan' && record.mode !== 'evaluate') {
    outputs['initial-status'] = record.initialStatus ?? '';
    outputs['final-status'] = job?.status ?? '';
  }
  const evaluation = record.evaluation;
  if (evaluation) {
    const summary = evaluation.report?.summary;
    outputs['eval-score'] = summary?.candidate.score.toFixed(4) ?? '';
    outputs['baseline-score'] = summary?.baseline?.score.toFixed(4) ?? '';
    outputs['eval-passed'] = evaluation.passed === undefined ? '' : String(evaluation.passed);
    outputs['eval-report'] = evaluation.reportPath ?? '';
    if (record.mode !== 'evaluate') outputs.promoted = String(evaluation.promoted);
  }
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
}
