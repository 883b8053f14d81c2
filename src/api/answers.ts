import { BadRequestError } from 'openai/core/error';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { ScoreModelGrader } from 'openai/resources/graders/grader-models';

/** One chat completion on the job client's connection and sign-in (`JobClient.chat`). */
export type Chat = (
  body: ChatCompletionCreateParamsNonStreaming,
  signal?: AbortSignal,
) => Promise<ChatCompletion>;

/** A judge's sampling parameters, in OpenAI's grader spelling (`max_completions_tokens`). */
type JudgeParams = ScoreModelGrader['sampling_params'];

/**
 * Room above the longest reference answer: another model's tokenizer, or an answer a little longer
 * than the reference, must not be cut short and graded as wrong.
 */
const CAP_FACTOR = 2;
const CAP_MARGIN = 64;

/** The completion-token cap of the answers, from the longest reference answer in tokens. */
export const answerCap = (longestReference: number): number => longestReference * CAP_FACTOR + CAP_MARGIN;

const refusesTemperature = (error: unknown): boolean =>
  error instanceof BadRequestError && error.param === 'temperature';

/**
 * Asks models for the evaluation's answers and a judge's scores through chat completions.
 *
 * Temperature 0, so that a re-run asks the same question the same way. Reasoning models (OpenAI's
 * o-series, and deployments of them under any name on Azure) refuse it with a 400 naming the
 * parameter `temperature`: that model is then asked again once without it, and never with it again
 * in this run. Deciding by the answer rather than by the model's name works for a deployment name,
 * a fine-tuned name and a compatible provider's models alike, whose names say nothing of the kind.
 * A reasoning model also spends reasoning tokens under `max_completion_tokens`, so the cap taken
 * from the reference answers, which cannot foresee them, is not sent to such a model: it could cut
 * the answer to nothing.
 */
export class Answerer {
  private readonly reasoning = new Set<string>();

  constructor(private readonly chat: Chat) {}

  /** A model's answer to a prompt: the text of its first choice ('' for none, or a refusal). */
  answer(
    model: string,
    messages: ChatCompletionMessageParam[],
    cap: number | undefined,
    signal?: AbortSignal,
  ): Promise<string> {
    return this.ask(model, messages, { capFromReference: cap }, signal);
  }

  /** A judge's reply, with the grader's own sampling parameters (temperature 0 unless it sets one). */
  judge(
    model: string,
    messages: ChatCompletionMessageParam[],
    params: JudgeParams,
    signal?: AbortSignal,
  ): Promise<string> {
    const { temperature, top_p, seed, max_completions_tokens, reasoning_effort } = params ?? {};
    return this.ask(
      model,
      messages,
      {
        ...(temperature != null ? { temperature } : {}),
        body: {
          ...(top_p != null ? { top_p } : {}),
          ...(seed != null ? { seed } : {}),
          ...(max_completions_tokens != null ? { max_completion_tokens: max_completions_tokens } : {}),
          ...(reasoning_effort != null ? { reasoning_effort } : {}),
        },
      },
      signal,
    );
  }

  private async ask(
    model: string,
    messages: ChatCompletionMessageParam[],
    options: {
      temperature?: number;
      capFromReference?: number;
      body?: Partial<ChatCompletionCreateParamsNonStreaming>;
    },
    signal?: AbortSignal,
  ): Promise<string> {
    const request = (withTemperature: boolean): ChatCompletionCreateParamsNonStreaming => ({
      model,
      messages,
      ...(withTemperature ? { temperature: options.temperature ?? 0 } : {}),
      ...(withTemperature && options.capFromReference !== undefined
        ? { max_completion_tokens: options.capFromReference }
        : {}),
      ...options.body,
    });
    let completion: ChatCompletion;
    if (this.reasoning.has(model)) completion = await this.chat(request(false), signal);
    else {
      try {
        completion = await this.chat(request(true), signal);
      } catch (error) {
        if (!refusesTemperature(error)) throw error;
        this.reasoning.add(model);
        completion = await this.chat(request(false), signal);
      }
    }
    return completion.choices[0]?.message.content ?? '';
  }
}
