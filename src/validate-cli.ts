import { parseArgs } from 'node:util';
import path from 'node:path';
import { buildMethod, METHOD_TYPES, type MethodType } from './inputs/method.js';
import { describeImages } from './data/images.js';
import { preflight } from './data/preflight.js';

// `node dist/validate/index.js train.jsonl`: the action's own pre-flight check, on its own, for a
// pull-request check or a laptop. It never calls the API and needs no key. Errors and warnings
// print as GitHub annotations (read as plain lines in a terminal); the exit code is 1 on errors.

const USAGE = `usage: validate [--method supervised|dpo|reinforcement] [--model NAME] [--epochs N]
                [--validation FILE] [--max-billed-tokens N] [--exact] TRAINING.jsonl
  --exact  count every example's tokens (slower; by default large files are sampled past 1,000 examples)`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      method: { type: 'string', default: 'supervised' },
      model: { type: 'string', default: 'gpt-4o-mini-2024-07-18' },
      epochs: { type: 'string' },
      validation: { type: 'string' },
      'max-billed-tokens': { type: 'string' },
      exact: { type: 'boolean', default: false },
      help: { type: 'boolean' },
    },
  });
  if (
    values.help ||
    positionals.length !== 1 ||
    !(METHOD_TYPES as readonly string[]).includes(values.method)
  ) {
    console.error(USAGE);
    return 2;
  }
  const method = values.method as MethodType;
  const epochs = values.epochs === undefined ? undefined : Number(values.epochs);
  const source = (given: string) => ({ kind: 'path' as const, path: path.resolve(given), given });
  const report = await preflight(
    {
      validate: true,
      training: source(positionals[0]),
      ...(values.validation ? { validation: source(values.validation) } : {}),
      // A grader is not known here, so reinforcement data is checked without grader fields.
      job: {
        model: values.model,
        method: buildMethod(method, epochs ? { n_epochs: epochs } : undefined, {}),
      },
      ...(values['max-billed-tokens'] ? { maxBilledTokens: Number(values['max-billed-tokens']) } : {}),
    },
    values.exact,
  );
  for (const { given, report: file } of report?.files ?? []) {
    const t = file.tokens;
    // Past the first examples only a sample is counted: the figures are estimates, and say so.
    const estimated =
      t.exactlyCounted < file.examples ? ` (estimated: ${t.exactlyCounted} of ${file.examples} counted)` : '';
    const images = describeImages(file.images, file.assumedImageSizes);
    console.log(
      `${given}: ${file.examples} examples; tokens per example${estimated} min ${t.min}, mean ${Math.round(t.mean)}, p95 ${t.p95}, max ${t.max}; ${t.total} in all${images && `; ${images}`}`,
    );
  }
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
