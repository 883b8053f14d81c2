import * as fuzzball from 'fuzzball';
import { describe, expect, it } from 'vitest';
import { bleu, bleuFromStats, bleuStats, gleu, tokenize13a } from '../../src/eval/bleu.js';
import { codePoints, lcsLength } from '../../src/eval/lcs.js';
import { rougeL, rougeN } from '../../src/eval/rouge.js';
import { fuzzyMatch, similarity } from '../../src/eval/similarity.js';
import { seededRandom } from '../../src/eval/stats.js';

// Each figure below is one the reference implementation's own tests publish; the comment above
// each group names the repository and the file it is read from.

/** The plain O(n·m) table, to hold the bit-parallel LCS to. */
function lcsTable(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [0];
    for (let j = 1; j <= b.length; j += 1)
      row.push(a[i - 1] === b[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], row[j - 1]));
    previous = row;
  }
  return previous[b.length];
}

function randomText(next: () => number, length: number, alphabet: string): string {
  const symbols = Array.from(alphabet);
  return Array.from({ length }, () => symbols[Math.floor(next() * symbols.length)]).join('');
}

describe('the longest common subsequence', () => {
  it('equals the plain table on random sequences across word boundaries', () => {
    const next = seededRandom(7);
    for (const length of [1, 5, 31, 32, 33, 63, 64, 65, 100, 257]) {
      for (let round = 0; round < 20; round += 1) {
        const a = Array.from({ length }, () => Math.floor(next() * 4));
        const b = Array.from({ length: Math.floor(next() * 2 * length) }, () => Math.floor(next() * 4));
        expect(lcsLength(a, b)).toBe(lcsTable(a, b));
      }
    }
  });

  it("reads the longest common subsequence of rouge-score's own table test", () => {
    // google-research/google-research rouge/rouge_scorer_test.py, testLcsTable
    expect(lcsLength([1, 2, 3, 4, 5], [2, 5, 3, 4])).toBe(3);
    expect(lcsLength([1, 2, 3, 4, 5], [8, 9])).toBe(0);
  });

  it('counts a character outside the basic plane as one, as Python does', () => {
    expect(codePoints('a😀b').length).toBe(3);
  });
});

describe('fuzzy_match (rapidfuzz fuzz.ratio / 100)', () => {
  it("meets rapidfuzz's published figures", () => {
    // rapidfuzz/RapidFuzz tests/test_fuzz.py: test_no_processor, test_empty_string,
    // test_simple_unicode_tests
    expect(fuzzyMatch('new york mets', 'new york mets')).toBe(1);
    expect(fuzzyMatch('new york mets', 'new YORK mets')).not.toBe(1);
    expect(fuzzyMatch('', '')).toBe(1);
    expect(fuzzyMatch('ÁÄ', 'ABCD')).toBe(0);
    expect(fuzzyMatch('ÁÄ', 'ÁÄ')).toBe(1);
    // rapidfuzz/RapidFuzz tests/distance/test_Indel.py: Indel distances 0, 8 and 4, and
    // ratio = 1 - distance / (len1 + len2)
    expect(fuzzyMatch('test', 'test')).toBe(1);
    expect(fuzzyMatch('aaaa', 'bbbb')).toBe(0);
    expect(fuzzyMatch('South Korea', 'North Korea')).toBeCloseTo(1 - 4 / 22, 12);
    expect(fuzzyMatch('this is a test', 'this is a test!')).toBeCloseTo(28 / 29, 12);
  });

  it('agrees with fuzzball, an independent npm implementation, on random texts', () => {
    // fuzzball rounds to whole percents; without its clean-up it is the same Indel ratio.
    const next = seededRandom(11);
    for (let round = 0; round < 400; round += 1) {
      const alphabet = round % 4 === 0 ? 'ab c😀é' : 'abcdefgh ijkl,.';
      const a = randomText(next, Math.floor(next() * 150), alphabet);
      const b = randomText(next, Math.floor(next() * 150), alphabet);
      if (a.length === 0 || b.length === 0) continue; // fuzzball scores an empty text 0
      const theirs = fuzzball.ratio(a, b, { full_process: false, astral: true, normalize: false });
      expect(Math.abs(100 * fuzzyMatch(a, b) - theirs)).toBeLessThanOrEqual(0.5 + 1e-9);
    }
  });
});

describe('bleu (sacrebleu sentence_bleu / 100)', () => {
  it("meets sacrebleu's sentence-level figures with its defaults (13a, exp smoothing)", () => {
    // mjpost/sacrebleu test/test_sentence_bleu.py: the example of issue #98 ('exp', 13a: 8.493)
    // and of issue #141 (no match: 0.0)
    const reference = 'producţia de zahăr brut se exprimă în zahăr alb;';
    const answer = 'Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;';
    expect(Math.abs(bleu(answer, reference) - 0.08493)).toBeLessThan(1e-5);
    expect(bleu('this is a cat', 'okay thanks')).toBe(0);
  });

  it("meets sacrebleu's statistics, scoring and effective-order figures", () => {
    // mjpost/sacrebleu test/test_bleu.py: test_case_statistics, test_case_scoring,
    // test_case_effective_order (the cases that do not depend on the floor smoothing)
    const stats = bleuStats(
      tokenize13a('am I am a character sequence'),
      tokenize13a('I am a symbol string sequence a a'),
    );
    expect([stats.correct, stats.total]).toEqual([
      [4, 2, 1, 0],
      [6, 5, 4, 3],
    ]);
    const scored = bleuFromStats({
      correct: [9, 7, 5, 3],
      total: [10, 8, 6, 4],
      hypLength: 11,
      refLength: 11,
    });
    expect(Math.abs(scored - 0.8375922397)).toBeLessThan(1e-8);
    expect(Math.abs(bleu('test', 'a test') - 0.3678794411714425)).toBeLessThan(1e-8);
    expect(bleu('a test', 'a test')).toBe(1);
  });

  it('counts n-grams alike when the vocabulary is too large for numeric keys', () => {
    const words = Array.from({ length: 10_000 }, (_, i) => `w${i}`);
    const reference = words.join(' ');
    const answer = words.slice(0, 5000).join(' ');
    // Every n-gram of the answer matches; only the brevity penalty exp(1 - 10000 / 5000) is left.
    expect(bleu(answer, reference)).toBeCloseTo(Math.exp(-1), 12);
    expect(gleu(reference, reference)).toBe(1);
  });

  it("tokenizes as sacrebleu's own regular expressions do, spaces in its first class included", () => {
    // tokenizer_re.py verbatim (bar the escaping JavaScript needs): the action's first class leaves
    // out the space, which must change nothing but the width of the gaps.
    const sacrebleu = (text: string) =>
      ` ${text.trimEnd()} `
        .replace(/([\{-\~\[-\` -\&\(-\+\:-\@\/])/g, ' $1 ')
        .replace(/([^0-9])([\.,])/g, '$1 $2 ')
        .replace(/([\.,])([^0-9])/g, ' $1 $2')
        .replace(/([0-9])(-)/g, '$1 $2 ')
        .trim()
        .split(/\s+/)
        .filter(Boolean);
    const next = seededRandom(3);
    for (let round = 0; round < 2000; round += 1) {
      const text = randomText(next, Math.floor(next() * 30), 'a1 .,-9/:"(x');
      expect(tokenize13a(text)).toEqual(sacrebleu(text));
    }
  });

  it('tokenizes as mteval-v13a does', () => {
    expect(tokenize13a('Hello, world. It costs 3.50 - or 4-5 &amp; "more"!\n')).toEqual([
      'Hello',
      ',',
      'world',
      '.',
      'It',
      'costs',
      '3.50',
      '-',
      'or',
      '4',
      '-',
      '5',
      '&',
      '"',
      'more',
      '"',
      '!',
    ]);
  });
});

describe('gleu (NLTK sentence_gleu)', () => {
  // nltk/nltk nltk/translate/gleu_score.py: the doctests of sentence_gleu and corpus_gleu, whose
  // figures are printed with an ellipsis (so compared to four decimals, cut)
  const cut = (value: number) => Math.floor(value * 1e4) / 1e4;
  const ref1 = 'It is a guide to action that ensures that the military will forever heed Party commands';
  it("meets NLTK's figures", () => {
    expect(cut(gleu('the the the the the the the', 'the cat is on the mat'))).toBe(0.0909);
    const hyp1 =
      'It is a guide to action which ensures that the military always obeys the commands of the party';
    expect(cut(gleu(hyp1, ref1))).toBe(0.4393);
    const hyp2 = 'It is to insure the troops forever hearing the activity guidebook that party direct';
    expect(cut(gleu(hyp2, ref1))).toBe(0.1206);
    const second = gleu(
      'he read the book because he was interested in world history',
      'he was interested in world history because he read the book',
    );
    expect(cut((gleu(hyp1, ref1) + second) / 2)).toBe(0.6144);
    expect(gleu('', '')).toBe(0);
  });
});

describe('rouge (rouge-score F-measure, no stemming)', () => {
  // google-research/google-research rouge/rouge_scorer_test.py; score(target, prediction) there
  // is (reference, answer) here.
  it("meets rouge-score's unit figures", () => {
    expect(rougeN('testing', 'testing one two', 1)).toBeCloseTo(1 / 2, 12);
    expect(rougeN('testing one', 'testing one two', 2)).toBeCloseTo(2 / 3, 12);
    expect(rougeL('testing one', 'testing one two')).toBeCloseTo(4 / 5, 12);
    expect(rougeL('testing two', 'testing one two')).toBeCloseTo(4 / 5, 12);
    for (const metric of ['rouge_1', 'rouge_2', 'rouge_l'] as const)
      expect(similarity(metric, '', 'testing one two')).toBe(0);
  });

  it("meets rouge-score's figures against ROUGE-1.5.5", () => {
    // rouge/testdata/target.txt and prediction.txt, lines 1 and 2 as readlines() gives them
    const targets = [
      "ZfbCUIUuePaiLVUlCaUXxkpu XPeWing tUHfPMuZ',-Xd Y BrUgVJing M-HV.-DgdDaY.rFDJCRing Ht-LM EKBDXkME,yz'RBr q'wtion wIojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxer tKM L\n",
      "KsJdPByEtAor fE-Qg Dpdbring cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMtion psing sbKao Q m qiing LMmer HqqLFXe,XPY,J XsurkMer ,ed nB'wH'bWVHjWFEing tQ.saefZwJtKrTlixYpMMsJing UCAPwNHeYVjDing c T BUySKtion gMPfJpwGw p'NvxAoping eu pBwMBKV'I DNxqelhu,PHPxDEq,mtion SN\n",
    ];
    const predictions = [
      "rFDJCRtion Ht-LM EKtDXkME,yz'RBr q'wer wrojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxi\n",
      "n cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMer pstion sbKao Q m qier LMmed HqqLFXe,XPY,J XsurkMeo ,ed nB'wH'bWVHjWFEer tQ.saefZwJtKrTlixYpMMNJtion UCAPwNHeYVjD\n",
    ];
    const figures = [
      { rouge_1: 0.51163, rouge_2: 0.39024, rouge_l: 0.51163 },
      { rouge_1: 0.5, rouge_2: 0.36364, rouge_l: 0.5 },
    ];
    figures.forEach((expected, i) => {
      for (const [metric, value] of Object.entries(expected))
        expect(similarity(metric as 'rouge_1', predictions[i], targets[i])).toBeCloseTo(value, 5);
    });
  });
});
