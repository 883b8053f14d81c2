// BLEU and GLEU of one answer against one reference, on the scale 0 to 1.

/**
 * sacrebleu's `13a` tokenizer (mteval-v13a, WMT's), its default: sacrebleu/tokenizers/
 * tokenizer_13a.py and tokenizer_re.py in github.com/mjpost/sacrebleu. The segment is first
 * right-stripped, as sacrebleu's BLEU._preprocess_segment does.
 */
export function tokenize13a(text: string): string[] {
  let line = text.trimEnd();
  // Most answers hold none of these; one test spares seven searches.
  if (/[<&\n]/.test(line)) {
    line = line
      .replaceAll('<skipped>', '')
      .replaceAll('-\n', '')
      .replaceAll('\n', ' ')
      .replaceAll('&quot;', '"')
      .replaceAll('&amp;', '&')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>');
  }
  line = ` ${line} `
    // punctuation and symbols: { to ~, [ to `, ! to &, ( to +, : to @, and / (13a's class also
    // holds the space, which only pads spaces with more spaces: left out, the tokens are the same)
    .replace(/([{-~[-`!-&(-+:-@\/])/g, ' $1 ')
    // period and comma, unless preceded by a digit
    .replace(/([^0-9])([.,])/g, '$1 $2 ')
    // period and comma, unless followed by a digit
    .replace(/([.,])([^0-9])/g, ' $1 $2')
    // dash when preceded by a digit
    .replace(/([0-9])(-)/g, '$1 $2 ');
  return splitWhitespace(line);
}

/** Python's `str.split()`: runs of whitespace separate, none at either end. */
function splitWhitespace(text: string): string[] {
  return text.split(/\s+/).filter((token) => token.length > 0);
}

/**
 * The n-grams of orders 1 to `max` of two token lists with their counts, one map per order (index
 * n - 1). Tokens are numbered per pair and an n-gram's key is its numbers in base (vocabulary + 1),
 * exact while that stays below 2^53: a number hashes several times faster than a joined string.
 * A larger vocabulary falls back to joined strings (tokens hold no whitespace, so ' ' can join).
 */
function ngramCounts(lists: string[][], max: number): Array<Array<Map<number | string, number>>> {
  const ids = new Map<string, number>();
  const numbered = lists.map((tokens) =>
    tokens.map((token) => {
      let id = ids.get(token);
      if (id === undefined) ids.set(token, (id = ids.size + 1));
      return id;
    }),
  );
  const base = ids.size + 1;
  const numeric = base ** max < Number.MAX_SAFE_INTEGER;
  return lists.map((tokens, list) => {
    const numbers = numbered[list];
    const orders = Array.from({ length: max }, () => new Map<number | string, number>());
    for (let i = 0; i < tokens.length; i += 1) {
      let key: number | string = numeric ? numbers[i] : tokens[i];
      for (let n = 1; n <= max && i + n <= tokens.length; n += 1) {
        if (n > 1)
          key = numeric ? (key as number) * base + numbers[i + n - 1] : `${key} ${tokens[i + n - 1]}`;
        const counts = orders[n - 1];
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    return orders;
  });
}

const MAX_ORDER = 4;

/** BLEU's sufficient statistics, per n-gram order from 1 to 4: matched and total n-grams. */
interface BleuStats {
  correct: number[];
  total: number[];
  hypLength: number;
  refLength: number;
}

export function bleuStats(hypothesis: string[], reference: string[]): BleuStats {
  const correct: number[] = [];
  const total: number[] = [];
  const [hypOrders, refOrders] = ngramCounts([hypothesis, reference], MAX_ORDER);
  for (let n = 1; n <= MAX_ORDER; n += 1) {
    const refCounts = refOrders[n - 1];
    let matched = 0;
    let all = 0;
    for (const [gram, count] of hypOrders[n - 1]) {
      all += count;
      matched += Math.min(count, refCounts.get(gram) ?? 0);
    }
    correct.push(matched);
    total.push(all);
  }
  return { correct, total, hypLength: hypothesis.length, refLength: reference.length };
}

/**
 * sacrebleu's BLEU.compute_bleu with smooth_method `exp` (NIST's smoothing, method 3 of Chen and
 * Cherry 2014) and effective_order true, the settings of sacrebleu's sentence_bleu; divided by 100.
 */
export function bleuFromStats({ correct, total, hypLength, refLength }: BleuStats): number {
  const bp = hypLength < refLength ? (hypLength > 0 ? Math.exp(1 - refLength / hypLength) : 0) : 1;
  // No matched n-gram at all scores 0 (sacrebleu issue #141).
  if (!correct.some((count) => count > 0)) return 0;
  const precisions = new Array<number>(MAX_ORDER).fill(0);
  let smooth = 1;
  let order = MAX_ORDER;
  for (let n = 1; n <= MAX_ORDER; n += 1) {
    if (total[n - 1] === 0) break;
    order = n; // effective order: stop at the highest order the hypothesis has
    if (correct[n - 1] === 0) {
      smooth *= 2;
      precisions[n - 1] = 100 / (smooth * total[n - 1]);
    } else precisions[n - 1] = (100 * correct[n - 1]) / total[n - 1];
  }
  // sacrebleu's my_log: log(0) is taken as -9999999999, which makes the score 0.
  const logs = precisions.slice(0, order).map((p) => (p === 0 ? -9999999999 : Math.log(p)));
  return (bp * Math.exp(logs.reduce((a, b) => a + b, 0) / order)) / 100;
}

/**
 * Sentence BLEU as sacrebleu's `sentence_bleu(answer, [reference])` computes it with its defaults
 * (tokenizer 13a, smooth_method exp, case kept, effective order), on the scale 0 to 1. A
 * perfect match comes out a rounding error above 1 (as in sacrebleu); it is held at 1.
 */
export function bleu(answer: string, reference: string): number {
  return Math.min(1, bleuFromStats(bleuStats(tokenize13a(answer), tokenize13a(reference))));
}

/**
 * NLTK's `sentence_gleu([reference], answer)` (nltk/translate/gleu_score.py, Wu et al. 2016):
 * n-grams of orders 1 to 4, matches over the larger of the two n-gram totals. NLTK takes token
 * lists; these are the texts split at whitespace, as NLTK's own examples split them (OpenAI does
 * not say how its grader tokenizes).
 */
export function gleu(answer: string, reference: string): number {
  const [hyp, ref] = ngramCounts([splitWhitespace(answer), splitWhitespace(reference)], MAX_ORDER);
  let hypTotal = 0;
  let refTotal = 0;
  let matched = 0;
  for (let n = 0; n < MAX_ORDER; n += 1) {
    for (const count of hyp[n].values()) hypTotal += count;
    for (const [gram, count] of ref[n]) {
      refTotal += count;
      matched += Math.min(count, hyp[n].get(gram) ?? 0);
    }
  }
  const all = Math.max(hypTotal, refTotal);
  return all === 0 ? 0 : matched / all;
}
