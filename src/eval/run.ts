import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { EvalExample } from './examples.js';
import { grade, type GraderScore } from './grade.js';
import type { Answered, EvalRecord } from './record.js';
import { judges, type Grader } from './graders.js';
import type { Ask } from './judge.js';
import { mean } from './stats.js';
import { summarize, type EvalSummary } from './summary.js';

/** Sends a prompt to a model through the provider's chat completions; returns the answer's text. */
export type Answer = (
  model: string,
  prompt: ChatCompletionMessageParam[],
  signal?: AbortSignal,
) => Promise<string>;

interface EvaluateOptions {
  examples: AsyncIterable<EvalExample> | Iterable<EvalExample>;
  graders: readonly Grader[];
  answer: Answer;
  /** The judge of score_model graders; needed only when there is one. */
  ask?: Ask;
  candidate: string;
  /** Absent: no comparison (`baseline-model: none`). */
  baseline?: string;
  /** Requests in flight at most, answers and judge calls together. */
  concurrency: number;
  signal?: AbortSignal;
}

export interface EvalResult {
  records: EvalRecord[];
  summary: EvalSummary;
}

/**
 * At most `max` tasks running at once. Hand-written (a dozen lines) rather than a dependency: a
 * freed slot passes straight to the next waiting task, so no newcomer can slip in between.
 */
export function limiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (active < max) active += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/**
 * Answers every example with the candidate and the baseline and grades each answer. At most
 * `concurrency` requests are in flight; an abort of `signal` rejects at once with its reason and
 * cancels the requests in flight (their signal), as does the first request that fails.
 */
export async function evaluate(options: EvaluateOptions): Promise<EvalResult> {
  const { graders, candidate, baseline } = options;
  if (!(options.concurrency >= 1)) throw new Error('concurrency must be at least 1');
  if (!options.ask && judges(graders).length > 0)
    throw new Error('a score_model grader needs a judge to ask');
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const limit = limiter(options.concurrency);
  const guarded = <T>(task: () => Promise<T>) =>
    limit(() => {
      signal.throwIfAborted();
      return task();
    });
  const ask: Ask | undefined =
    options.ask &&
    ((model, messages, params) => guarded(() => options.ask!(model, messages, params, signal)));

  const answerAndGrade = async (model: string, example: EvalExample): Promise<Answered> => {
    const answer = await guarded(() => options.answer(model, example.prompt, signal));
    const scores: Record<string, GraderScore> = {};
    for (const grader of graders)
      scores[grader.name] = await grade(grader, { item: example.item, output: answer, ask, signal });
    return { answer, score: mean(Object.values(scores).map((s) => s.score)), graders: scores };
  };

  const records: EvalRecord[] = [];
  const iterator = (
    Symbol.asyncIterator in options.examples
      ? options.examples[Symbol.asyncIterator]()
      : options.examples[Symbol.iterator]()
  ) as AsyncIterator<EvalExample> | Iterator<EvalExample>;
  const worker = async () => {
    for (;;) {
      signal.throwIfAborted();
      const next = await iterator.next();
      if (next.done) return;
      const example = next.value;
      const [answered, compared] = await Promise.all([
        answerAndGrade(candidate, example),
        baseline === undefined ? undefined : answerAndGrade(baseline, example),
      ]);
      records.push({
        line: example.line,
        prompt: example.prompt,
        reference: example.reference,
        candidate: answered,
        baseline: compared,
      });
    }
  };
  const workers = Promise.all(Array.from({ length: options.concurrency }, worker));
  try {
    await Promise.race([workers, aborted(signal)]);
  } catch (error) {
    stop.abort(error);
    workers.catch(() => {}); // the workers' own rejections follow the abort; the first error is the one
    throw options.signal?.aborted ? options.signal.reason : error;
  }
  if (records.length === 0) throw new Error('the eval file has no examples');
  records.sort((a, b) => a.line - b.line);
  return { records, summary: summarize(records, graders, candidate, baseline) };
}
