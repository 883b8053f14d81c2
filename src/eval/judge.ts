import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ScoreModel } from './graders.js';
import { render, type Item } from './template.js';

/**
 * Sends a judge's messages to `model` through the provider's chat completions and returns the
 * text of its reply; given by the caller, so that this folder sends no request itself. The
 * sampling parameters are the grader's own, in OpenAI's grader spelling (max_completions_tokens).
 */
export type Ask = (
  model: string,
  messages: ChatCompletionMessageParam[],
  params: ScoreModel['sampling_params'],
  signal?: AbortSignal,
) => Promise<string>;

export function scoreRange(grader: ScoreModel): [number, number] {
  const [low, high] = grader.range ?? [0, 1];
  return [low, high];
}

/**
 * The judge's messages: the grader's own, templates filled in, then one system message asking
 * for the score alone, so that any chat model's reply can be read (OpenAI's hosted grader asks
 * for structured output instead, which not every provider's models give).
 */
export function judgeMessages(
  grader: ScoreModel,
  item: Item,
  outputText: string,
): ChatCompletionMessageParam[] {
  const messages = grader.input.map((message) => {
    const parts = Array.isArray(message.content) ? message.content : [message.content];
    const text = parts
      .map((part) =>
        render(typeof part === 'string' ? part : 'text' in part ? part.text : '', item, outputText),
      )
      .join('\n');
    return { role: message.role, content: text } as ChatCompletionMessageParam;
  });
  const [low, high] = scoreRange(grader);
  messages.push({
    role: 'system',
    content: `Reply with the score alone: one number from ${low} to ${high}.`,
  });
  return messages;
}

/**
 * The score in a judge's reply: a bare number, a JSON object's `result` (the shape OpenAI's
 * score_model grader returns), or else the first number in the text. Throws when there is none
 * or it falls outside the range; the message never quotes the reply, which is the API's text.
 */
export function readScore(reply: string, [low, high]: [number, number]): number {
  const text = reply.trim();
  let score: number | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'number') score = parsed;
    else if (typeof parsed === 'object' && parsed !== null && typeof (parsed as Item)['result'] === 'number')
      score = (parsed as Item)['result'] as number;
  } catch {
    // not JSON: look for a number in the text
  }
  if (score === undefined) {
    const match = /-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/.exec(text);
    if (!match) throw new Error('the judge replied without a score');
    score = Number(match[0]);
  }
  if (!(score >= low && score <= high))
    throw new Error(`the judge's score ${score} is outside the range ${low} to ${high}`);
  return score;
}
