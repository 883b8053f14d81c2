import { describe, expect, it } from 'vitest';
import type { FineTuningJobEvent } from 'openai/resources/fine-tuning/jobs/jobs';
import { FinishFromSteps } from '../../src/jobs/poll.js';
import { nextPollDelay } from '../../src/jobs/poll.js';

const schedule = { pollIntervalMs: 250, maxPollIntervalMs: 60_000 };
const created = 1_000_000;
const api = (atMs: number) => ({ atMs, rough: false });

describe('nextPollDelay', () => {
  it('waits a tenth of the job age, so the end is noticed within 10% of the time the job took', () => {
    expect(nextPollDelay(schedule, created + 10_000, created, undefined)).toBe(1_000);
    expect(nextPollDelay(schedule, created + 120_000, created, undefined)).toBe(12_000);
  });

  it('never polls faster than poll-interval, nor slower than max-poll-interval', () => {
    expect(nextPollDelay(schedule, created + 500, created, undefined)).toBe(250);
    expect(nextPollDelay(schedule, created + 5 * 3_600_000, created, undefined)).toBe(60_000);
  });

  it('sleeps until estimated_finish', () => {
    expect(nextPollDelay(schedule, created + 3_000, created, api(created + 30_000))).toBe(27_000);
  });

  it('caps the sleep towards a far estimated_finish at max-poll-interval', () => {
    expect(nextPollDelay(schedule, created, created, api(created + 3_600_000))).toBe(60_000);
  });

  it('looks again every half second once estimated_finish has passed, then backs off by how late the job is', () => {
    const finish = created + 30_000;
    // The estimate is in whole seconds: finer looks than half of one find nothing new.
    expect(nextPollDelay(schedule, finish + 100, created, api(finish))).toBe(500);
    expect(nextPollDelay(schedule, finish + 3_000, created, api(finish))).toBe(500);
    expect(nextPollDelay(schedule, finish + 20_000, created, api(finish))).toBe(2_000);
  });

  it('goes half the way to an estimate made from the steps, which may be late, and to its end once within a second', () => {
    const rough = (atMs: number) => ({ atMs, rough: true });
    expect(nextPollDelay(schedule, created + 8_000, created, rough(created + 32_000))).toBe(12_000);
    expect(nextPollDelay(schedule, created + 31_200, created, rough(created + 32_000))).toBe(800);
    expect(nextPollDelay(schedule, created + 32_100, created, rough(created + 32_000))).toBe(500);
  });

  it('notices the end within 10% of the job time, whatever the length, in few polls', () => {
    const polls = (jobMs: number) => {
      let now = created;
      let count = 0;
      while (now < created + jobMs) {
        now += nextPollDelay({ pollIntervalMs: 250, maxPollIntervalMs: 3_600_000 }, now, created, undefined);
        count += 1;
      }
      return { count, late: now - (created + jobMs) };
    };
    for (const jobMs of [4_000, 30_000, 17 * 60_000, 5 * 3_600_000]) {
      expect(polls(jobMs).late).toBeLessThanOrEqual(0.1 * jobMs);
    }
    expect(polls(30_000).count).toBeLessThanOrEqual(40);
    // Five hours: a fixed 0.25 s interval would poll 72,000 times.
    expect(polls(5 * 3_600_000).count).toBeLessThan(120);
  });
});

describe('FinishFromSteps', () => {
  const metrics = (step: number, at: number): FineTuningJobEvent => ({
    id: `e${step}`,
    object: 'fine_tuning.job.event',
    created_at: at,
    level: 'info',
    message: `Step ${step}/100`,
    type: 'metrics',
    data: { step, total_steps: 100, train_loss: 1 },
  });

  it('needs two steps some time apart', () => {
    const estimate = new FinishFromSteps();
    expect(estimate.estimate()).toBeUndefined();
    estimate.observe(metrics(10, 1_000));
    expect(estimate.estimate()).toBeUndefined();
  });

  it('projects the time per step over the steps still to go', () => {
    const estimate = new FinishFromSteps();
    estimate.observe(metrics(10, 1_000));
    estimate.observe({ ...metrics(0, 1_001), type: 'message', data: {} });
    estimate.observe(metrics(30, 1_040));
    // 40 s for 20 steps: 2 s a step, 70 steps to go; a second early, for the whole-second times.
    expect(estimate.estimate()).toBe((1_040 + 140 - 1) * 1000);
  });
});
