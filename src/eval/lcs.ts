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
  // Each distinct symbol of `a` gets a slot; its match vector is `words` words at slot x words.
  const slots = new Slots();
  try {
    return bitParallel(a, b, words, slots);
  } finally {
    slots.clear();
  }
}

function bitParallel(a: ArrayLike<number>, b: ArrayLike<number>, words: number, slots: Slots): number {
  let vectors = new Uint32Array(words * 8);
  for (let i = 0; i < a.length; i += 1) {
    let slot = slots.get(a[i]);
    if (slot < 0) {
      slot = slots.add(a[i]);
      if ((slot + 1) * words > vectors.length) {
        const grown = new Uint32Array(vectors.length * 2);
        grown.set(vectors);
        vectors = grown;
      }
    }
    vectors[slot * words + (i >>> 5)] |= 1 << (i & 31);
  }
  // S starts all ones; a zero bit at the end marks a position of `a` in the common subsequence.
  const s = new Uint32Array(words).fill(0xffffffff);
  for (let j = 0; j < b.length; j += 1) {
    const slot = slots.get(b[j]);
    if (slot < 0) continue; // no match: S is unchanged
    const base = slot * words;
    let carry = 0;
    for (let w = 0; w < words; w += 1) {
      const match = vectors[base + w];
      const u = (s[w] & match) >>> 0;
      const sum = s[w] + u + carry;
      carry = sum > 0xffffffff ? 1 : 0;
      // S' = (S + u) | (S - u), and S - u is S & ~M since u lies within S.
      s[w] = (sum >>> 0) | (s[w] & ~match);
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

// Symbols below 65536 (almost every character, and token ids) find their slot in a typed array
// kept between calls and cleared after each: a Map lookup per symbol costs several times more.
const DENSE = 65536;
const denseSlots = new Int32Array(DENSE).fill(-1);

class Slots {
  private readonly used: number[] = [];
  private readonly sparse = new Map<number, number>();
  get(symbol: number): number {
    return symbol < DENSE ? denseSlots[symbol] : (this.sparse.get(symbol) ?? -1);
  }
  add(symbol: number): number {
    const slot = this.used.length + this.sparse.size;
    if (symbol < DENSE) {
      denseSlots[symbol] = slot;
      this.used.push(symbol);
    } else this.sparse.set(symbol, slot);
    return slot;
  }
  clear(): void {
    for (const symbol of this.used) denseSlots[symbol] = -1;
  }
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
