import { exampleTokens, type CountTokens } from '../data/tokens.js';
import type { EvalExample } from './examples.js';
import { judges, type Grader } from './graders.js';
import { judgeMessages } from './judge.js';

export interface ModelTokens {
  requests: number;
  inputTokens: number;
  outputTokens: number;
}

export interface EvalEstimate {
  examples: number;
  /** The longest reference answer, in tokens: what a cap on the answers' tokens can start from. */
  longestReference: number;
  /** Per model (the candidate, the baseline, each judge): what it will be sent and answer. */
  byModel: Record<string, ModelTokens>;
  total: ModelTokens;
}

// A judge replies with a number. Reasoning tokens, which a reasoning judge also bills, are not
// known before it runs; a grader's max_completions_tokens bounds them and is taken when given.
const JUDGE_REPLY_TOKENS = 4;

/**
 * The tokens an evaluation will spend before anything is spent: each prompt sent to each model
 * (the candidate, and the baseline unless there is none), each answer estimated as long as the
 * example's reference answer, and each judge call per answer with the reference standing in for
 * the answer. Prompts are counted as chat messages, as the training data is (data/tokens.ts).
 */
export async function estimateEvaluation(
  examples: AsyncIterable<EvalExample> | Iterable<EvalExample>,
  options: { graders: readonly Grader[]; count: CountTokens; candidate: string; baseline?: string },
): Promise<EvalEstimate> {
  const models = options.baseline === undefined ? [options.candidate] : [options.candidate, options.baseline];
  const judging = judges(options.graders);
  const byModel: Record<string, ModelTokens> = {};
  const add = (model: string, input: number, output: number) => {
    const entry = (byModel[model] ??= { requests: 0, inputTokens: 0, outputTokens: 0 });
    entry.requests += 1;
    entry.inputTokens += input;
    entry.outputTokens += output;
  };
  let count = 0;
  let longestReference = 0;
  for await (const example of examples) {
    count += 1;
    const prompt = exampleTokens('supervised', { messages: example.prompt }, options.count);
    const answer = example.reference === undefined ? 0 : options.count(example.reference);
    longestReference = Math.max(longestReference, answer);
    // A judge's prompt holds the example, not the answer's model: counted once, asked per model.
    const calls = judging.map((judge) => ({
      model: judge.model,
      input: exampleTokens(
        'supervised',
        { messages: judgeMessages(judge, example.item, example.reference ?? '') },
        options.count,
      ),
      reply: judge.sampling_params?.max_completions_tokens ?? JUDGE_REPLY_TOKENS,
    }));
    for (const model of models) {
      add(model, prompt, answer);
      for (const call of calls) add(call.model, call.input, call.reply);
    }
  }
  const total = { requests: 0, inputTokens: 0, outputTokens: 0 };
  for (const entry of Object.values(byModel)) {
    total.requests += entry.requests;
    total.inputTokens += entry.inputTokens;
    total.outputTokens += entry.outputTokens;
  }
  return { examples: count, longestReference, byModel, total };
}
