import { compileFormula, type Formula } from './formula.js';
import type { Grader, Multi } from './graders.js';
import { judgeMessages, readScore, scoreRange, type Ask } from './judge.js';
import { similarity } from './similarity.js';
import { render, type Item } from './template.js';

/** One grader's verdict on one answer. */
export interface GraderScore {
  /** From 0 to 1: what the example's score and the means are made of. */
  score: number;
  /** The grader's own figure where it differs: a score_model's in its range, a multi's formula. */
  raw?: number;
  /** Whether the score reaches the grader's pass_threshold (string_check: a match); absent without one. */
  passed?: boolean;
  /** Why the grader could not score the answer (the score is then 0); the judge's text is not quoted. */
  error?: string;
}

/**
 * string_check as OpenAI's graders guide defines it: eq and ne compare exactly; like is "the input
 * contains the reference", ilike the same ignoring case. 1 or 0.
 */
export function stringCheck(
  operation: 'eq' | 'ne' | 'like' | 'ilike',
  input: string,
  reference: string,
): number {
  switch (operation) {
    case 'eq':
      return input === reference ? 1 : 0;
    case 'ne':
      return input !== reference ? 1 : 0;
    case 'like':
      return input.includes(reference) ? 1 : 0;
    case 'ilike':
      return input.toLowerCase().includes(reference.toLowerCase()) ? 1 : 0;
  }
}

const formulas = new WeakMap<Multi, Formula>();

interface GradeContext {
  item: Item;
  /** The answer being graded: `{{sample.output_text}}`. */
  output: string;
  ask?: Ask;
  signal?: AbortSignal;
}

/**
 * Grades one answer with one grader. A judge's failure to reply with a score is the grader's
 * error (scored 0, reported); a failed request to the judge, and an abort, are thrown.
 */
export async function grade(grader: Grader, context: GradeContext): Promise<GraderScore> {
  const { item, output } = context;
  switch (grader.type) {
    case 'string_check': {
      const score = stringCheck(
        grader.operation,
        render(grader.input, item, output),
        render(grader.reference, item, output),
      );
      return { score, passed: score === 1 };
    }
    case 'text_similarity': {
      const score = similarity(
        grader.evaluation_metric,
        render(grader.input, item, output),
        render(grader.reference, item, output),
      );
      return withThreshold({ score }, score, grader.pass_threshold);
    }
    case 'score_model': {
      if (!context.ask) throw new Error(`the score_model grader '${grader.name}' needs a judge to ask`);
      const range = scoreRange(grader);
      const reply = await context.ask(
        grader.model,
        judgeMessages(grader, item, output),
        grader.sampling_params,
        context.signal,
      );
      try {
        const raw = readScore(reply, range);
        // The mean is taken on 0 to 1; pass_threshold is in the grader's own range, as OpenAI's.
        return withThreshold(
          { score: (raw - range[0]) / (range[1] - range[0]), raw },
          raw,
          grader.pass_threshold,
        );
      } catch (error) {
        return { score: 0, error: (error as Error).message };
      }
    }
    case 'multi':
      return gradeMulti(grader, context);
  }
}

function withThreshold(result: GraderScore, figure: number, threshold: number | undefined): GraderScore {
  return threshold === undefined ? result : { ...result, passed: figure >= threshold };
}

/**
 * A multi grader: its graders' own figures (a score_model's in its range, as OpenAI's formulas
 * see them) through calculate_output; the result held to 0 to 1 for the means.
 */
async function gradeMulti(grader: Multi, context: GradeContext): Promise<GraderScore> {
  let formula = formulas.get(grader);
  if (!formula)
    formulas.set(grader, (formula = compileFormula(grader.calculate_output, Object.keys(grader.graders))));
  const figures: Record<string, number> = {};
  for (const [key, inner] of Object.entries(grader.graders)) {
    const result = await grade(inner, context);
    if (result.error) return { score: 0, error: `${key}: ${result.error}` };
    figures[key] = result.raw ?? result.score;
  }
  const raw = formula(figures);
  if (!Number.isFinite(raw)) return { score: 0, error: `calculate_output gave ${raw}` };
  return { score: Math.min(1, Math.max(0, raw)), raw };
}
