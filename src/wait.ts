import * as core from '@actions/core';
import type { FineTuningJob, FineTuningJobEvent, JobClient } from './client.js';
import { sleep } from './sleep.js';
import { isTerminal } from './status.js';

export interface PollSchedule {
  pollIntervalMs: number;
  maxPollIntervalMs: number;
}

export interface WaitOptions extends PollSchedule {
  /** Epoch milliseconds by which the wait gives up, whatever the backoff says. */
  deadline: number;
  signal?: AbortSignal;
}

export interface StatusChange {
  status: string;
  /** Epoch milliseconds when this wait first saw the status. */
  seenAt: number;
}

export interface WaitResult {
  job: FineTuningJob;
  /** 'timeout' when the deadline passed first, 'aborted' when the signal fired. */
  ended: 'terminal' | 'timeout' | 'aborted';
  /** Each status in the order this wait saw it, for the summary's timeline. */
  timeline: StatusChange[];
  /** The last events logged, oldest first. */
  recentEvents: FineTuningJobEvent[];
}

const RECENT_EVENTS = 10;

/**
 * How long to sleep before the next status poll. The gap doubles from `pollIntervalMs` towards
 * `maxPollIntervalMs` while nothing changes (a long job costs few calls), starts again from the
 * shortest gap after each status change, and, when the API gives `estimated_finish`, wakes at
 * that moment instead of sleeping past it, so the end is noticed soon after it happens.
 */
export function nextPollDelay(
  schedule: PollSchedule,
  quietPolls: number,
  now: number,
  estimatedFinishMs: number | undefined,
): number {
  const backoff = Math.min(schedule.maxPollIntervalMs, schedule.pollIntervalMs * 2 ** quietPolls);
  if (estimatedFinishMs === undefined || estimatedFinishMs <= now) return backoff;
  return Math.max(schedule.pollIntervalMs, Math.min(backoff, estimatedFinishMs - now));
}

function logEvent(event: FineTuningJobEvent): void {
  const time = new Date(event.created_at * 1000).toISOString().replace('.000Z', 'Z');
  const line = `[${time}] ${event.message}`;
  if (event.level === 'error') core.error(line);
  else if (event.level === 'warn') core.warning(line);
  else core.info(line);
}

/**
 * Polls a job until it reaches a terminal status, the deadline passes or the signal aborts,
 * logging each status change and each new event exactly once.
 */
export async function waitForJob(
  client: JobClient,
  initial: FineTuningJob,
  options: WaitOptions,
): Promise<WaitResult> {
  let job = initial;
  const timeline: StatusChange[] = [];
  let recentEvents: FineTuningJobEvent[] = [];
  const result = (ended: WaitResult['ended']): WaitResult => ({ job, ended, timeline, recentEvents });
  let reportedStatus: string | undefined;
  let seenEvent: string | undefined;
  let quietPolls = 0;
  let estimatedFinish: number | undefined;
  // A request cut short by the deadline or the abort is no error: it only means the wait is over.
  const over = (): WaitResult['ended'] | undefined =>
    options.signal?.aborted ? 'aborted' : Date.now() >= options.deadline ? 'timeout' : undefined;
  for (;;) {
    try {
      // Events first: they happened before the status this poll saw, so the log reads in order.
      const events = await client.eventsSince(job.id, seenEvent);
      for (const event of events) logEvent(event);
      seenEvent = events.at(-1)?.id ?? seenEvent;
      recentEvents = [...recentEvents, ...events].slice(-RECENT_EVENTS);
    } catch (error) {
      const ended = over();
      if (ended) return result(ended);
      throw error;
    }
    if (job.status !== reportedStatus) {
      core.info(`Job ${job.id} is ${job.status}`);
      timeline.push({ status: job.status, seenAt: Date.now() });
      reportedStatus = job.status;
      quietPolls = 0;
    }
    if (job.estimated_finish) estimatedFinish = job.estimated_finish * 1000;

    if (isTerminal(job.status)) return result('terminal');
    const stop = over();
    if (stop) return result(stop);

    const now = Date.now();
    const gap = nextPollDelay(options, quietPolls, now, estimatedFinish);
    await sleep(Math.min(gap, options.deadline - now), options.signal);
    if (options.signal?.aborted) return result('aborted');
    quietPolls += 1;
    try {
      job = await client.retrieveJob(job.id);
    } catch (error) {
      const ended = over();
      if (ended) return result(ended);
      throw error;
    }
  }
}
