import { lcsLength } from './lcs.js';

// ROUGE as Google's rouge-score package computes it (rouge/rouge_scorer.py and rouge/tokenize.py
// in github.com/google-research/google-research), with its defaults: no stemming. The F-measure
// is the score, as OpenAI's grader reports one number.

/**
 * rouge-score's tokenizer: lower-cased, every run of characters other than a-z and 0-9 a
 * separator. Text in other scripts therefore has no tokens, as in rouge-score.
 */
function rougeTokens(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

function fmeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

function ngramCounts(tokens: string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i += 1) {
    const gram = n === 1 ? tokens[i] : tokens.slice(i, i + n).join(' ');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

/** ROUGE-N's F-measure (rouge_scorer._score_ngrams). */
export function rougeN(answer: string, reference: string, n: number): number {
  const target = ngramCounts(rougeTokens(reference), n);
  const prediction = ngramCounts(rougeTokens(answer), n);
  let overlap = 0;
  let targetTotal = 0;
  let predictionTotal = 0;
  for (const [gram, count] of target) {
    targetTotal += count;
    overlap += Math.min(count, prediction.get(gram) ?? 0);
  }
  for (const count of prediction.values()) predictionTotal += count;
  return fmeasure(overlap / Math.max(predictionTotal, 1), overlap / Math.max(targetTotal, 1));
}

/** ROUGE-L's F-measure (rouge_scorer._score_lcs): the longest common subsequence of tokens. */
export function rougeL(answer: string, reference: string): number {
  const target = rougeTokens(reference);
  const prediction = rougeTokens(answer);
  if (target.length === 0 || prediction.length === 0) return 0;
  const ids = new Map<string, number>();
  const toIds = (tokens: string[]) =>
    Uint32Array.from(tokens, (token) => {
      let id = ids.get(token);
      if (id === undefined) ids.set(token, (id = ids.size));
      return id;
    });
  const lcs = lcsLength(toIds(target), toIds(prediction));
  return fmeasure(lcs / prediction.length, lcs / target.length);
}
