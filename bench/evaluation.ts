// The evaluation through the bundle (dist/index.js, mode evaluate) against the local API:
// - throughput: 1,000 examples (2,000 answers, candidate and baseline) from a local API that
//   answers each chat request in 200 ms, at eval-concurrency 8, against the ideal computed in the
//   same run (answers x latency / concurrency: 50 s), target at most 1.2x;
// - memory while the eval file is read, checked and estimated (streamed, twice), 1,000 against
//   100,000 examples: a max-cost below the estimate stops the run there, before any answer. (The
//   answers' records are kept for the report, so a whole evaluation grows with its examples.)
// Run alone: `node bench/evaluation.ts` (after `npm run build`).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer } from '../server/index.ts';
import { runAction } from '../tools/run-action.ts';
import { peakMemory, report, type Figure } from './measure.ts';
import { benchEvalMetrics } from './eval-metrics.ts';

const LATENCY_MS = 200;
const CONCURRENCY = 8;
const EXAMPLES = 1_000;

function evalFile(file: string, count: number): void {
  const lines: string[] = [];
  for (let i = 0; i < count; i += 1)
    lines.push(
      JSON.stringify({
        messages: [
          { role: 'system', content: 'You answer questions about orders in one sentence.' },
          { role: 'user', content: `Where is order number ${i}, placed on a Tuesday?` },
          {
            role: 'assistant',
            content: `Order ${i} left the warehouse and arrives within three working days.`,
          },
        ],
      }),
    );
  writeFileSync(file, lines.join('\n') + '\n');
}

async function throughput(dir: string): Promise<Figure> {
  const api = await startServer({ chatLatencyMs: LATENCY_MS });
  try {
    const workspace = path.join(dir, 'eval-throughput');
    mkdirSync(workspace, { recursive: true });
    evalFile(path.join(workspace, 'eval.jsonl'), EXAMPLES);
    const started = performance.now();
    const run = await runAction({
      workspace,
      inputs: {
        'api-key': api.apiKey,
        'base-url': api.url,
        provider: 'openai',
        mode: 'evaluate',
        model: 'gpt-4o-mini-2024-07-18',
        'baseline-model': 'gpt-4o-2024-08-06',
        'eval-file': 'eval.jsonl',
        'eval-concurrency': String(CONCURRENCY),
      },
    });
    const ms = performance.now() - started;
    if (run.code !== 0) throw new Error(`the evaluation failed:\n${run.log}`);
    const answers = api.count('POST', '/chat/completions');
    const ideal = (answers * LATENCY_MS) / CONCURRENCY;
    return {
      name: 'eval_1k_examples_vs_ideal',
      value: ms / ideal,
      target: { kind: 'max', value: 1.2 },
      detail: `ms=${Math.round(ms)} ideal_ms=${ideal} answers=${answers} latency_ms=${LATENCY_MS} concurrency=${CONCURRENCY}`,
    };
  } finally {
    await api.close();
  }
}

async function readingMemory(dir: string, count: number): Promise<number> {
  const workspace = path.join(dir, `eval-memory-${count}`);
  mkdirSync(workspace, { recursive: true });
  evalFile(path.join(workspace, 'eval.jsonl'), count);
  const memory = peakMemory();
  const run = await runAction({
    workspace,
    prefix: memory.prefix,
    inputs: {
      'api-key': 'sk-bench',
      'base-url': 'http://127.0.0.1:9/v1',
      provider: 'openai',
      mode: 'evaluate',
      model: 'gpt-4o-mini-2024-07-18',
      'baseline-model': 'gpt-4o-2024-08-06',
      'eval-file': 'eval.jsonl',
      'max-cost': '0.000001',
    },
  });
  if (!run.log.includes("Input 'max-cost' is"))
    throw new Error(`expected the estimate to stop the run:\n${run.log}`);
  return memory.readMb();
}

export async function benchEvaluation(root: string, dir: string): Promise<Figure[]> {
  const small = await readingMemory(dir, 1_000);
  const large = await readingMemory(dir, 100_000);
  return [
    await throughput(dir),
    {
      name: 'eval_read_100k_vs_1k_peak_mb',
      value: large - small,
      target: { kind: 'max', value: 30 },
      detail: `peak_mb_1k=${Math.round(small)} peak_mb_100k=${Math.round(large)}`,
    },
    ...(await benchEvalMetrics(root, dir)),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  let missed = 0;
  for (const figure of await benchEvaluation(root, path.join(root, '.bench')))
    if (!report(figure)) missed += 1;
  process.exitCode = missed > 0 ? 1 : 0;
}
