import * as core from '@actions/core';
import { NotFoundError } from 'openai/core/error';
import { describeError } from '../api/errors.js';
import type { FineTuningJob, JobClient } from '../api/client.js';
import type { ManageConfig } from '../inputs/types.js';
import { announceJob } from '../report/outputs.js';
import type { RunRecord } from '../report/record.js';
import { isTerminal } from '../jobs/status.js';
import { findJob } from '../jobs/lookup.js';
import { logText } from '../github/log.js';

interface Change {
  /** Whether a job in this status can take the change; otherwise there is nothing to do. */
  applies: (status: string) => boolean;
  send: (client: JobClient, jobId: string) => Promise<FineTuningJob>;
  /** Why nothing was done, for the log and the summary. */
  notNeeded: (status: string) => string;
}

const CHANGES: Record<ManageConfig['mode'], Change> = {
  // Anything not known to be terminal is in progress, statuses the contract lacks included.
  cancel: {
    applies: (status) => !isTerminal(status),
    send: (client, id) => client.cancelJob(id),
    notNeeded: (status) => `the job had already ended (${status}), so no cancel was sent`,
  },
  pause: {
    applies: (status) => status === 'running',
    send: (client, id) => client.pauseJob(id),
    notNeeded: (status) => `only a running job can be paused; the job is ${status}, so nothing was sent`,
  },
  resume: {
    applies: (status) => status === 'paused',
    send: (client, id) => client.resumeJob(id),
    notNeeded: (status) => `only a paused job can be resumed; the job is ${status}, so nothing was sent`,
  },
};

/** cancel, pause or resume a job, only when it is in a state to take it; report before and after. */
export async function manage(config: ManageConfig, client: JobClient, record: RunRecord): Promise<void> {
  const change = CHANGES[config.mode];
  const job = await findJob(client, config.jobId);
  record.initialStatus = job.status;
  record.job = job;
  announceJob(config.mode, job);
  if (!change.applies(job.status)) {
    const why = change.notNeeded(job.status);
    core.info(`Job ${logText(job.id)}: ${logText(why)}`);
    record.notes.push(`${why[0].toUpperCase()}${why.slice(1)}.`);
    return;
  }
  core.info(`Job ${logText(job.id)} is ${logText(job.status)}; sending ${config.mode}`);
  try {
    record.job = await change.send(client, job.id);
  } catch (error) {
    // The job was just found, so a 404 here is the endpoint's: some compatible providers serve no
    // pause or resume.
    if (error instanceof NotFoundError && config.mode !== 'cancel') {
      throw new Error(
        `The API at ${new URL(config.connection.baseURL).host} does not serve ${config.mode} (provider ${config.connection.provider}): ${describeError(error)}`,
      );
    }
    throw error;
  }
  core.info(`Job ${logText(job.id)} is now ${logText(record.job?.status)}`);
}
