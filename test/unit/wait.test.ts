import { describe, expect, it } from 'vitest';
import { nextPollDelay } from '../../src/wait.js';

const schedule = { pollIntervalMs: 1_000, maxPollIntervalMs: 60_000 };
const now = 1_000_000;

describe('nextPollDelay', () => {
  it('starts at poll-interval and doubles while nothing changes', () => {
    expect([0, 1, 2, 3].map((quiet) => nextPollDelay(schedule, quiet, now, undefined))).toEqual([
      1_000, 2_000, 4_000, 8_000,
    ]);
  });

  it('never grows past max-poll-interval', () => {
    expect(nextPollDelay(schedule, 10, now, undefined)).toBe(60_000);
    expect(nextPollDelay(schedule, 1_000, now, undefined)).toBe(60_000);
  });

  it('wakes at estimated_finish rather than sleeping past it', () => {
    expect(nextPollDelay(schedule, 5, now, now + 7_000)).toBe(7_000);
  });

  it('keeps the backoff when estimated_finish is further away', () => {
    expect(nextPollDelay(schedule, 2, now, now + 3_600_000)).toBe(4_000);
  });

  it('never polls faster than poll-interval, even just before estimated_finish', () => {
    expect(nextPollDelay(schedule, 5, now, now + 10)).toBe(1_000);
  });

  it('falls back to the backoff once estimated_finish has passed', () => {
    expect(nextPollDelay(schedule, 3, now, now - 5_000)).toBe(8_000);
  });
});
