/**
 * The length of the longest common subsequence of two sequences of symbols (code points, or token
 * ids), by the bit-parallel method of Hyyrö ("Bit-parallel LCS-length computation revisited",
 * 2004), the one rapidfuzz uses for its Indel distance: one pass over `b` with a bit vector over
 * `a`, 32 positions of `a` per machine word. Written by hand because no kept npm package computes
 * an LCS length over arbitrary symbols (token ids as well as characters) in this time; the plain
 * table would be too slow for long answers (see bench/eval-metrics.ts).
 */
export function lcsLength(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0 || b.length === 0) return 0;
  // The shorter one makes the bit vector: fewer words to build.
  if (a.length > b.length) [a, b] = [b, a];
  const words = Math.ceil(a.length / 32);
  const matches = new Map<number, Uint32Array>();
  for (let i = 0; i < a.length; i += 1) {
    let vector = matches.get(a[i]);
    if (!vector) matches.set(a[i], (vector = new Uint32Array(words)));
    vector[i >>> 5] |= 1 << (i & 31);
  }
  // S starts all ones; a zero bit at the end marks a position of `a` in the common subsequence.
  const s = new Uint32Array(words).fill(0xffffffff);
  for (let j = 0; j < b.length; j += 1) {
    const match = matches.get(b[j]);
    if (!match) continue; // u = 0: S is unchanged
    let carry = 0;
    for (let w = 0; w < words; w += 1) {
      const u = (s[w] & match[w]) >>> 0;
      const sum = s[w] + u + carry;
      carry = sum > 0xffffffff ? 1 : 0;
      // S' = (S + u) | (S - u), and S - u is S & ~M since u lies within S.
      s[w] = ((sum >>> 0) | (s[w] & ~match[w])) >>> 0;
    }
  }
  let length = 0;
  for (let w = 0; w < words; w += 1) {
    const bits = w === words - 1 && a.length % 32 !== 0 ? a.length % 32 : 32;
    const used = bits === 32 ? 0xffffffff : (1 << bits) - 1;
    length += popcount(~s[w] & used);
  }
  return length;
}

function popcount(value: number): number {
  let v = value >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** A string's Unicode code points: rapidfuzz compares Python strings, which are code points. */
export function codePoints(text: string): Uint32Array {
  const out = new Uint32Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.codePointAt(i)!;
    out[n++] = code;
    if (code > 0xffff) i += 1;
  }
  return out.subarray(0, n);
}
