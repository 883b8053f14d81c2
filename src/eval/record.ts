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
