import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { GraderScore } from './grade.js';

// What the evaluation learned of one example: the rows of the `eval-report` file.

export interface Answered {
  answer: string;
  /** The example's score: the mean of its graders' scores. */
  score: number;
  graders: Record<string, GraderScore>;
}

export interface EvalRecord {
  line: number;
  prompt: ChatCompletionMessageParam[];
  reference?: string;
  candidate: Answered;
  baseline?: Answered;
}

/**
 * One line of an eval file made of a model's answer (`record-answers`): the prompt, then the answer
 * as the final assistant message, which a later evaluation reads as the reference.
 */
export function answerLine(record: EvalRecord, side: 'candidate' | 'baseline'): string {
  const answered = record[side];
  if (!answered) throw new Error(`the evaluation has no ${side} answers`);
  return JSON.stringify({ messages: [...record.prompt, { role: 'assistant', content: answered.answer }] });
}
