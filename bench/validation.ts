import path from 'node:path';
import { chatDataset } from './data.ts';
import { best, measure, type Figure } from './measure.ts';

const MB = 1024 * 1024;

// The floor any validator must pay: read the file line by line and JSON.parse each line.
const PLAIN_PASS = `
const { createReadStream } = require('node:fs');
const { createInterface } = require('node:readline');
(async () => {
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(process.argv[1]), crlfDelay: Infinity })) {
    if (line) { JSON.parse(line); n++; }
  }
  console.log(n);
})();`;

const totalTokens = (stdout: string) => Number(/(\d+) in all/.exec(stdout)?.[1]);

/** Validation with token counting against the plain parse pass, on a generated 200 MB chat set. */
export async function benchValidation(root: string, dir: string): Promise<Figure[]> {
  const file = await chatDataset(dir, 'chat-200mb.jsonl', 200 * MB);
  const cli = path.join(root, 'dist', 'validate', 'index.js');
  // Two runs each, the better kept, the plain pass first so the file is in the page cache for both.
  const plain = await best(2, () => measure(process.execPath, ['-e', PLAIN_PASS, file]));
  const checked = await best(2, () => measure(process.execPath, [cli, file]));
  const exact = await measure(process.execPath, [cli, '--exact', file]);
  const estimate = totalTokens(checked.stdout);
  const truth = totalTokens(exact.stdout);
  const sizeMb = 200;
  return [
    {
      name: 'validation_throughput_ratio',
      value: plain.ms / checked.ms,
      target: { kind: 'min', value: 0.25 },
      detail: `validate_mb_s=${Math.round(sizeMb / (checked.ms / 1000))} plain_parse_mb_s=${Math.round(sizeMb / (plain.ms / 1000))} examples=${plain.stdout.trim()}`,
    },
    {
      name: 'token_estimate_error_pct',
      value: (Math.abs(estimate - truth) / truth) * 100,
      target: { kind: 'max', value: 1 },
      detail: `estimated=${estimate} exact=${truth} exact_mb_s=${Math.round(sizeMb / (exact.ms / 1000))}`,
    },
    {
      name: 'validation_peak_rss_mb',
      value: checked.maxRssKb / 1024,
      detail: 'memory of the validator over the 200 MB file',
    },
  ];
}
