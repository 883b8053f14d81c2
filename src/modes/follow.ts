import * as core from '@actions/core';
import type { FineTuningJob, JobClient } from '../api/client.js';
import type { FollowOptions } from '../inputs/types.js';
import { describeError } from '../api/errors.js';
import { decodeResultFile, parseMetrics, type MetricRow } from '../report/chart.js';
import { formatDuration } from '../report/format.js';
import type { RunRecord } from '../report/record.js';
import { failureReason } from '../jobs/status.js';
import { pollJob } from '../jobs/poll.js';
import { logText } from '../github/log.js';

/**
 * The step metrics of the job's result file. Only the summary's chart needs them, so a file that
 * cannot be read costs a warning, never the step.
 */
async function readMetrics(client: JobClient, job: FineTuningJob): Promise<MetricRow[] | undefined> {
  const fileId = job.result_files[0];
  if (!fileId) return undefined;
  try {
    return parseMetrics(decodeResultFile(await client.fileContent(fileId)));
  } catch (error) {
    core.warning(`Could not read the result file ${fileId} for the loss chart: ${describeError(error)}`);
    return undefined;
  }
}

export interface FollowContext {
  deadline: number;
  signal?: AbortSignal;
}

/**
 * Waits for a job to end and turns its ending into the step's: success only when the job
 * succeeded (or a timeout with on-timeout: continue); a failed or cancelled job fails the step.
 */
export async function followJob(
  client: JobClient,
  job: FineTuningJob,
  settings: FollowOptions,
  record: RunRecord,
  context: FollowContext,
): Promise<void> {
  const result = await core.group(`Wait for ${logText(job.id)}`, () =>
    pollJob(client, job, { ...settings, ...context }),
  );
  record.job = result.job;
  record.timeline = result.timeline;
  record.recentEvents = result.recentEvents;
  const { id, status } = result.job;

  if (result.ended === 'timeout') {
    const waited = `wait-timeout (${formatDuration(settings.timeoutMs)}) ran out while job ${id} was ${status}`;
    if (settings.onTimeout === 'continue') {
      record.notes.push(`${waited}; on-timeout is continue, so the job was left running.`);
      core.warning(`${waited}; continuing with the job still running`);
      return;
    }
    if (settings.onTimeout === 'cancel') {
      try {
        record.job = await client.forCleanup().cancelJob(id);
      } catch (error) {
        throw new Error(`${waited}; cancelling it failed: ${describeError(error)}`);
      }
      record.notes.push(`${waited}; on-timeout is cancel, so the job was cancelled.`);
      throw new Error(`${waited}; the job was cancelled (on-timeout: cancel)`);
    }
    record.notes.push(`${waited}; the job was left running.`);
    throw new Error(`${waited}; the job was left running (on-timeout: fail)`);
  }
  if (result.ended === 'aborted') throw new Error(`The run was cancelled while job ${id} was ${status}`);

  record.checkpoints = await client.checkpoints(id);
  record.metrics = await readMetrics(client, result.job);
  if (status === 'failed') throw new Error(`Fine-tuning job ${id} failed: ${failureReason(result.job)}`);
  if (status === 'cancelled') throw new Error(`Fine-tuning job ${id} was cancelled before it finished`);
  core.info(
    `Job ${logText(id)} succeeded: ${logText(result.job.fine_tuned_model ?? '(no model name given)')}`,
  );
}
