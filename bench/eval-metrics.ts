// The evaluation's own work, without requests: bleu, rouge_l and fuzzy_match on 10,000
// answer/reference pairs must together take at most 2 s, and reading the eval file must keep
// memory flat from 1,000 to 100,000 examples (issue 21). The code is bundled as the action
// bundles it (ncc, es2023), so the figures are the shipped code's. Run alone:
// `node bench/eval-metrics.ts`.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { report, type Figure } from './measure.ts';

type Similarity = (metric: string, answer: string, reference: string) => number;

async function bundle(root: string, dir: string, file: string): Promise<string> {
  const out = path.join(dir, `eval-${path.basename(file, '.ts')}`);
  const ncc = path.join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
  const entry = path.join(root, 'src', 'eval', file);
  const child = spawn(process.execPath, [ncc, 'build', entry, '-o', out, '--target', 'es2023', '--quiet'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`bundling ${file} failed (${code}):\n${log}`);
  return path.join(out, 'index.js');
}

const WORDS = (
  'the a model answer returns value of in to for is on with that this refund order account ' +
  'customer policy days within shipping billing invoice password reset support ticket request ' +
  'please thank you, can will not be able 30 2026 items. order-number email address'
).split(' ');

/** Seeded pairs: a reference of 20 to 120 words and an answer that rewrites a share of them. */
function pairs(count: number): Array<[string, string]> {
  let state = 42;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const word = () => WORDS[Math.floor(random() * WORDS.length)];
  return Array.from({ length: count }, () => {
    const reference = Array.from({ length: 20 + Math.floor(random() * 100) }, word);
    const answer = reference.map((w) => (random() < 0.3 ? word() : w));
    if (random() < 0.5) answer.push(...Array.from({ length: Math.floor(random() * 20) }, word));
    return [answer.join(' '), reference.join(' ')];
  });
}

export async function benchEvalMetrics(root: string, dir: string): Promise<Figure[]> {
  const { similarity } = (await import(pathToFileURL(await bundle(root, dir, 'similarity.ts')).href)) as {
    similarity: Similarity;
  };
  const data = pairs(10_000);
  const chars = data.reduce((sum, [answer, reference]) => sum + answer.length + reference.length, 0);
  // CPU time, not wall time: the bench machine is shared, and waiting for a core is not the
  // metrics' cost. The wall time is printed beside it.
  const timings: Record<string, number> = {};
  let checksum = 0;
  let wall = 0;
  for (const metric of ['bleu', 'rouge_l', 'fuzzy_match']) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (const [answer, reference] of data) checksum += similarity(metric, answer, reference);
    const used = process.cpuUsage(cpu);
    timings[metric] = (used.user + used.system) / 1000;
    wall += performance.now() - started;
  }
  const total = Object.values(timings).reduce((a, b) => a + b, 0);
  return [
    {
      name: 'eval_metrics_10k_pairs_cpu_ms',
      value: total,
      target: { kind: 'max', value: 2000 },
      detail: `${Object.entries(timings)
        .map(([metric, ms]) => `${metric}_ms=${Math.round(ms)}`)
        .join(
          ' ',
        )} wall_ms=${Math.round(wall)} mean_pair_chars=${Math.round(chars / data.length)} checksum=${Math.round(checksum)}`,
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  let missed = 0;
  const dir = path.join(root, '.bench');
  const figures = await benchEvalMetrics(root, dir);
  for (const figure of figures) if (!report(figure)) missed += 1;
  process.exitCode = missed > 0 ? 1 : 0;
}
