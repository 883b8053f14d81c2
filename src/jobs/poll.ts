import * as core from '@actions/core';
import type { FineTuningJob, FineTuningJobEvent, JobClient } from '../api/client.js';
import { sleep } from '../api/retry.js';
import { isTerminal } from './status.js';
import { logText } from '../github/log.js';

interface PollSchedule {
  pollIntervalMs: number;
  maxPollIntervalMs: number;
}

interface PollOptions extends PollSchedule {
  /** Epoch milliseconds by which the wait gives up, whatever the backoff says. */
  deadline: number;
  signal?: AbortSignal;
}

export interface StatusChange {
  status: string;
  /** Epoch milliseconds when this wait first saw the status. */
  seenAt: number;
}

interface PollResult {
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
 * The API's timestamps are whole seconds, so an `estimated_finish` places the end only within a
 * second: the second after it when truncated, half a second either side when rounded.
 */
const ESTIMATE_RESOLUTION_MS = 1_000;

/**
 * When the job should end: the API's `estimated_finish`, or one made here from the steps its
 * metrics events report. The latter is rough (see FinishFromSteps), so it is only approached.
 */
interface FinishEstimate {
  atMs: number;
  rough: boolean;
}

/**
 * How long to sleep before the next status poll, between `pollIntervalMs` and `maxPollIntervalMs`.
 *
 * Without an estimate the gap is a tenth of the job's age: the end is then noticed within 10% of
 * the time the job took, and a job of age T costs about log(T)/log(1.1) polls, not T/gap (a 30 s
 * job: ~36 polls where a fixed 0.3 s interval would spend 100). With `estimated_finish` the wait
 * sleeps until that moment, then looks again every half second (finer looks find nothing new in
 * whole-second timestamps) until a tenth of how late the job is grows longer, so a job that ends
 * on time is noticed within half a second for a handful of polls in all. An estimate from the steps
 * can be seconds late (whole-second event times, projected over the steps still to go), and
 * sleeping straight to it would notice the end that much later: the wait goes half the way, where
 * the next estimate, made from more steps, is closer.
 */
export function nextPollDelay(
  schedule: PollSchedule,
  now: number,
  createdAtMs: number,
  estimate: FinishEstimate | undefined,
): number {
  const clamp = (ms: number) => Math.min(schedule.maxPollIntervalMs, Math.max(schedule.pollIntervalMs, ms));
  if (estimate === undefined) return clamp(0.1 * (now - createdAtMs));
  const ahead = estimate.atMs - now;
  if (ahead > 0) return clamp(estimate.rough && ahead > ESTIMATE_RESOLUTION_MS ? ahead / 2 : ahead);
  return clamp(Math.max(ESTIMATE_RESOLUTION_MS / 2, -0.1 * ahead));
}

function logEvent(event: FineTuningJobEvent): void {
  const time = new Date(event.created_at * 1000).toISOString().replace('.000Z', 'Z');
  const line = `[${time}] ${event.message}`;
  if (event.level === 'error') core.error(line);
  else if (event.level === 'warn') core.warning(line);
  else core.info(`[${time}] ${logText(event.message)}`);
}

/**
 * Polls a job until it reaches a terminal status, the deadline passes or the signal aborts,
 * logging each status change and each new event exactly once.
 */
export async function pollJob(
  client: JobClient,
  initial: FineTuningJob,
  options: PollOptions,
): Promise<PollResult> {
  let job = initial;
  const timeline: StatusChange[] = [];
  let recentEvents: FineTuningJobEvent[] = [];
  const result = (ended: PollResult['ended']): PollResult => ({ job, ended, timeline, recentEvents });
  let reportedStatus: string | undefined;
  let seenEvent: string | undefined;
  let estimatedFinish: FinishEstimate | undefined;
  const steps = new FinishFromSteps();
  // A request cut short by the deadline or the abort is no error: it only means the wait is over.
  const over = (): PollResult['ended'] | undefined =>
    options.signal?.aborted ? 'aborted' : Date.now() >= options.deadline ? 'timeout' : undefined;
  // When the status in hand was read: the next read is timed from then, so the events read in
  // between (a request of their own, slow on a busy runner) do not push it later.
  let readAt = Date.now();
  for (;;) {
    // Events cost a request of their own, so they are read when they can tell something new: on a
    // status change, at the end, and while the job is running (its metrics); a job waiting in a
    // queue writes none. Events first: they happened before the status, so the log reads in order.
    const changed = job.status !== reportedStatus;
    if (changed || job.status === 'running' || isTerminal(job.status)) {
      try {
        const events = await client.eventsSince(job.id, seenEvent);
        for (const event of events) {
          logEvent(event);
          steps.observe(event);
        }
        seenEvent = events.at(-1)?.id ?? seenEvent;
        recentEvents = [...recentEvents, ...events].slice(-RECENT_EVENTS);
      } catch (error) {
        const ended = over();
        if (ended) return result(ended);
        throw error;
      }
    }
    if (changed) {
      core.info(`Job ${logText(job.id)} is ${logText(job.status)}`);
      timeline.push({ status: job.status, seenAt: Date.now() });
      reportedStatus = job.status;
    }
    // The API's estimate first, else one from the reported steps; only while the job is running
    // (a paused job's estimate means nothing). The API's is taken at the middle of its second: a
    // job that ends on time is then noticed within half a second if the API truncates, within a
    // second if it rounds, in one or two polls.
    const fromSteps = steps.estimate();
    estimatedFinish =
      job.status !== 'running'
        ? undefined
        : job.estimated_finish
          ? { atMs: job.estimated_finish * 1000 + ESTIMATE_RESOLUTION_MS / 2, rough: false }
          : fromSteps === undefined
            ? undefined
            : { atMs: fromSteps, rough: true };

    if (isTerminal(job.status)) return result('terminal');
    const stop = over();
    if (stop) return result(stop);

    const now = Date.now();
    const next = readAt + nextPollDelay(options, readAt, job.created_at * 1000, estimatedFinish);
    await sleep(Math.min(next, options.deadline) - now, options.signal);
    if (options.signal?.aborted) return result('aborted');
    try {
      job = await client.retrieveJob(job.id);
      readAt = Date.now();
    } catch (error) {
      const ended = over();
      if (ended) return result(ended);
      throw error;
    }
  }
}

const TICK_MS = 1_000;

interface Point {
  step: number;
  at: number;
}

/**
 * When a running job will end, from the step counts in its metrics events, for jobs whose
 * `estimated_finish` the API leaves empty: the time between two reported steps, times the steps
 * still to go. It lets the wait sleep until about then instead of polling on a guess.
 */
export class FinishFromSteps {
  private first: Point | undefined;
  private last: (Point & { total: number }) | undefined;

  observe(event: FineTuningJobEvent): void {
    const data = event.data as { step?: unknown; total_steps?: unknown } | undefined;
    if (event.type !== 'metrics' || typeof data?.step !== 'number' || typeof data.total_steps !== 'number')
      return;
    const point = { step: data.step, at: event.created_at * 1000, total: data.total_steps };
    this.first ??= point;
    this.last = point;
  }

  /**
   * Epoch milliseconds, once two steps have been reported some time apart. Event times come in
   * whole seconds, so the estimate is taken a second early: waking a little before the end costs
   * a poll or two, waking after it costs the delay.
   */
  estimate(): number | undefined {
    const { first, last } = this;
    if (!first || !last || last.step <= first.step || last.at <= first.at) return undefined;
    const perStep = (last.at - first.at) / (last.step - first.step);
    return last.at + Math.max(0, last.total - last.step) * perStep - TICK_MS;
  }
}
