import type { TextSimilarityGrader } from 'openai/resources/graders/grader-models';
import { bleu, gleu } from './bleu.js';
import { codePoints, lcsLength } from './lcs.js';
import { rougeL, rougeN } from './rouge.js';

export type Metric = TextSimilarityGrader['evaluation_metric'];

/**
 * rapidfuzz's `fuzz.ratio` on the scale 0 to 1 (OpenAI's fuzzy_match is rapidfuzz's): the
 * normalized Indel similarity, 1 - (insertions + deletions) / (len(a) + len(b)), which is
 * 2 x LCS / (len(a) + len(b)) over code points, case and spacing kept (no processor, rapidfuzz's
 * default). Two empty texts are equal (1), as in rapidfuzz 3 (tests/test_fuzz.py,
 * test_empty_string).
 */
export function fuzzyMatch(answer: string, reference: string): number {
  const a = codePoints(answer);
  const b = codePoints(reference);
  if (a.length + b.length === 0) return 1;
  return (2 * lcsLength(a, b)) / (a.length + b.length);
}

/**
 * The metrics the action computes itself. meteor needs WordNet's synonyms and a stemmer's data,
 * cosine an embeddings model: both are refused when the graders are read (graders.ts).
 */
export const METRICS: Partial<Record<Metric, (answer: string, reference: string) => number>> = {
  fuzzy_match: fuzzyMatch,
  bleu,
  gleu,
  rouge_1: (a, r) => rougeN(a, r, 1),
  rouge_2: (a, r) => rougeN(a, r, 2),
  rouge_3: (a, r) => rougeN(a, r, 3),
  rouge_4: (a, r) => rougeN(a, r, 4),
  rouge_5: (a, r) => rougeN(a, r, 5),
  rouge_l: rougeL,
};

export const REFUSED_METRICS: Partial<Record<Metric, string>> = {
  meteor: 'meteor needs the WordNet synonym data, which the action does not ship',
  cosine: 'cosine needs an embeddings model, which the action does not call',
};

export function similarity(metric: Metric, answer: string, reference: string): number {
  const score = METRICS[metric];
  if (!score) throw new Error(`the metric ${metric} is not computed by the action`);
  return score(answer, reference);
}
