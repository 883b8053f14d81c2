// Fault injection: makes a seeded share of requests fail the way a flaky network or an overloaded
// API fails (5xx, 429, a connection cut without an answer), loses the answer to job creations that
// did happen, runs out of quota, or slows every answer, so tests can prove a client survives it.
import { ApiError } from './errors.ts';

/** A failure drawn at random instead of handling a request. */
export type FaultKind = '500' | '502' | '503' | '429' | 'drop';

/** What happened to a request instead of (or after) being handled, as the request log records it. */
export type FaultOutcome = FaultKind | 'lost' | 'insufficient_quota';

export const FAULT_KINDS: readonly FaultKind[] = ['500', '502', '503', '429', 'drop'];

export interface FaultPlan {
  /** Share of eligible requests (0..1) that fail instead of being handled. Default 0. */
  rate: number;
  /** Seed of the generator that picks which requests fail and how. Default 1. */
  seed: number;
  /** Failures to draw from, uniformly. Default all of `FAULT_KINDS`. */
  kinds: FaultKind[];
  /** `retry-after-ms` (and `retry-after`, in whole seconds rounded up) on 429 and 503; `null` sends neither. Default 20. */
  retryAfterMs: number | null;
  /** The next N successful `POST /fine_tuning/jobs` create their job, then lose the answer (connection cut). Default 0. */
  lostCreates: number;
  /** Every request with a valid key answers 429 `insufficient_quota`. Default false. */
  insufficientQuota: boolean;
  /** Every answer, faults and cut connections included, waits this long first. Default 0. */
  delayMs: number;
  /** The next N requests that `routes` admits answer 429 `rate_limit_exceeded`, with the retry headers, before any random draw. Default 0. */
  rateLimited: number;
  /**
   * Job creations naming a training file uploaded less than this many milliseconds ago answer 400
   * `file_not_ready`, as a provider that reports no file status may while it processes the file. Default 0.
   */
  fileNotReadyMs: number;
  /** The first N job creations naming each training file answer 400 `file_not_ready`. Default 0. */
  fileNotReadyAttempts: number;
  /** Only requests whose path under the base path (`/v1`, `/openai/v1`) matches (a RegExp), or equals or has the route template of one entry, can draw a random fault. Default: all. */
  routes: RegExp | string[] | null;
}

export const DEFAULT_FAULT_PLAN: Readonly<FaultPlan> = Object.freeze({
  rate: 0,
  seed: 1,
  kinds: [...FAULT_KINDS],
  retryAfterMs: 20,
  lostCreates: 0,
  insufficientQuota: false,
  delayMs: 0,
  rateLimited: 0,
  fileNotReadyMs: 0,
  fileNotReadyAttempts: 0,
  routes: null,
});

/** A failure answered with a status and the API's error body. */
export interface FaultAnswer {
  status: number;
  json: ReturnType<ApiError['body']>;
  headers: Record<string, string>;
}

/** Holds the current plan and the seeded generator; one per server. */
export class FaultInjector {
  private current: FaultPlan;
  private random: () => number;
  /** Job creations refused as not ready so far, by training file. */
  private readonly notReadyRefusals = new Map<string, number>();

  constructor(plan: Partial<FaultPlan> = {}) {
    this.current = mergeFaultPlan(DEFAULT_FAULT_PLAN, plan);
    this.random = mulberry32(this.current.seed);
  }

  get plan(): Readonly<FaultPlan> {
    return this.current;
  }

  /** Changes the plan; a `seed` in the change restarts the generator from that seed. */
  set(change: Partial<FaultPlan>): void {
    this.current = mergeFaultPlan(this.current, change);
    if (change.seed !== undefined) this.random = mulberry32(this.current.seed);
  }

  /** Back to the defaults (no faults), the generator restarted from the default seed. */
  clear(): void {
    this.current = mergeFaultPlan(DEFAULT_FAULT_PLAN, {});
    this.random = mulberry32(this.current.seed);
  }

  /**
   * The random fault for a request, or `null` to handle it. Every eligible request takes exactly one
   * number from the generator, whatever the rate, so the same seed and request sequence always fault
   * the same requests the same way.
   */
  draw(path: string, template: string | null): FaultKind | null {
    if (!this.eligible(path, template)) return null;
    if (this.current.rateLimited > 0) {
      this.current = { ...this.current, rateLimited: this.current.rateLimited - 1 };
      return '429';
    }
    const u = this.random();
    const { rate, kinds } = this.current;
    if (u >= rate || kinds.length === 0) return null;
    return kinds[Math.min(kinds.length - 1, Math.floor((u / rate) * kinds.length))];
  }

  /** Whether this successful job creation loses its answer; counts the plan's `lostCreates` down. */
  takeLostCreate(): boolean {
    if (this.current.lostCreates <= 0) return false;
    this.current = { ...this.current, lostCreates: this.current.lostCreates - 1 };
    return true;
  }

  /**
   * Whether a job creation naming `fileId`, uploaded at `uploadedMs`, is refused as not ready
   * (`fileNotReadyMs`, `fileNotReadyAttempts`); a refusal counts as one of the file's attempts.
   */
  takeNotReady(fileId: string, uploadedMs: number, now: number): boolean {
    const refused = this.notReadyRefusals.get(fileId) ?? 0;
    const notReady =
      now - uploadedMs < this.current.fileNotReadyMs || refused < this.current.fileNotReadyAttempts;
    if (notReady) this.notReadyRefusals.set(fileId, refused + 1);
    return notReady;
  }

  private eligible(path: string, template: string | null): boolean {
    const { routes } = this.current;
    if (routes === null) return true;
    if (Array.isArray(routes)) return routes.some((route) => route === path || route === template);
    routes.lastIndex = 0;
    return routes.test(path);
  }
}

export function mergeFaultPlan(base: Readonly<FaultPlan>, change: Partial<FaultPlan>): FaultPlan {
  const defined = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
  const plan: FaultPlan = { ...base, ...defined, kinds: [...(change.kinds ?? base.kinds)] };
  if (!(plan.rate >= 0 && plan.rate <= 1))
    throw new RangeError(`fault rate must be within 0..1, got ${plan.rate}`);
  if (!Number.isFinite(plan.seed)) throw new RangeError(`fault seed must be a number, got ${plan.seed}`);
  for (const kind of plan.kinds) {
    if (!FAULT_KINDS.includes(kind))
      throw new RangeError(`unknown fault kind '${String(kind)}'; known: ${FAULT_KINDS.join(', ')}`);
  }
  for (const key of [
    'lostCreates',
    'delayMs',
    'rateLimited',
    'fileNotReadyMs',
    'fileNotReadyAttempts',
  ] as const) {
    if (!(plan[key] >= 0)) throw new RangeError(`${key} must be 0 or more, got ${plan[key]}`);
  }
  if (plan.retryAfterMs !== null && !(plan.retryAfterMs >= 0))
    throw new RangeError(`retryAfterMs must be 0 or more, got ${plan.retryAfterMs}`);
  return plan;
}

/** The answer for a fault that answers (every kind but `drop`). Messages copy the real API's. */
export function faultAnswer(kind: Exclude<FaultKind, 'drop'>, retryAfterMs: number | null): FaultAnswer {
  const retryHeaders: Record<string, string> =
    retryAfterMs === null
      ? {}
      : { 'retry-after-ms': String(retryAfterMs), 'retry-after': String(Math.ceil(retryAfterMs / 1000)) };
  switch (kind) {
    case '500':
      return answer(
        new ApiError(500, 'The server had an error while processing your request. Sorry about that!', {
          type: 'server_error',
        }),
      );
    case '502':
      // The real gateway error carries `code: 502`, a number the spec's Error.code does not allow.
      return answer(new ApiError(502, 'Bad gateway.', { type: 'cf_bad_gateway' }));
    case '503':
      return answer(
        new ApiError(503, 'The server is overloaded or not ready yet.', { type: 'server_error' }),
        retryHeaders,
      );
    case '429': {
      const wait = retryAfterMs === null ? 'later' : `in ${retryAfterMs}ms`;
      return answer(
        new ApiError(
          429,
          `Rate limit reached for requests per min (RPM): Limit 60, Used 60, Requested 1. Please try again ${wait}. ` +
            'Visit https://platform.openai.com/account/rate-limits to learn more.',
          { type: 'requests', code: 'rate_limit_exceeded' },
        ),
        retryHeaders,
      );
    }
  }
}

/** OpenAI's refusal of old for a job on a file still being processed. */
export function fileNotReady(fileId: string): ApiError {
  return new ApiError(
    400,
    `File ${fileId} is still being processed and is not ready to be used for fine-tuning. Please try again later.`,
    { param: 'training_file', code: 'file_not_ready' },
  );
}

export function insufficientQuota(): ApiError {
  return new ApiError(
    429,
    'You exceeded your current quota, please check your plan and billing details. For more information on this error, ' +
      'read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
    { type: 'insufficient_quota', code: 'insufficient_quota' },
  );
}

function answer(error: ApiError, headers: Record<string, string> = {}): FaultAnswer {
  return { status: error.status, json: error.body(), headers };
}

/** mulberry32: a small, fast 32-bit generator; good enough to pick faults, and reproducible. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
