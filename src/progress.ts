import type { FineTuningJobEvent } from './client.js';

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
