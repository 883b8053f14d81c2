// Generated fine-tuning data for the benchmarks: varied chat examples from a seeded generator, so
// every run measures the same bytes. Written once into .bench/ (git-ignored) and reused.
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';

const WORDS = (
  'model data train tune answer question token batch epoch learning rate loss accuracy validation ' +
  'the a of to in is for on with as by at from this that which when where how why what who ' +
  'customer support order refund shipping invoice account password login error retry timeout ' +
  'Paris Tokyo river mountain ocean planet energy protein algorithm database network server ' +
  'résumé café naïve 東京 données número 42 3.14 2026 #tag @user https://example.com/path?q=1'
).split(' ');

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sentence(random: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(random() * WORDS.length)]);
  return out.join(' ') + '.';
}

/** A chat-format JSONL file of at least `bytes`, made once and kept. */
export async function chatDataset(dir: string, name: string, bytes: number): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  if (existsSync(file) && statSync(file).size >= bytes) return file;
  const random = mulberry32(2026);
  const out = createWriteStream(file);
  let written = 0;
  while (written < bytes) {
    const turns = 1 + Math.floor(random() * 3);
    const messages = [{ role: 'system', content: sentence(random, 8 + Math.floor(random() * 20)) }];
    for (let t = 0; t < turns; t++) {
      messages.push({ role: 'user', content: sentence(random, 10 + Math.floor(random() * 60)) });
      messages.push({ role: 'assistant', content: sentence(random, 20 + Math.floor(random() * 200)) });
    }
    const line = JSON.stringify({ messages }) + '\n';
    written += Buffer.byteLength(line);
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return file;
}
