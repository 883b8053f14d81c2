import { parseArgs } from 'node:util';
import path from 'node:path';
import { PROVIDERS, type Provider } from './api/provider.js';
import { METHOD_TYPES, type MethodType } from './facts/methods.js';
import { buildMethod, parseGrader } from './inputs/method.js';
import { parseAmount } from './inputs/parse.js';
import { describeImages } from './data/images.js';
import { methodProblem, modelRules, unknownModelMessage } from './data/models.js';
import { preflight } from './data/preflight.js';
import { billedByTheHourMessage, trainingPrice } from './data/prices.js';

// `node dist/validate/index.js train.jsonl`: the action's own pre-flight check, on its own, for a
// pull-request check or a laptop. It never calls the API and needs no key. Errors and warnings
// print as GitHub annotations (read as plain lines in a terminal); the exit code is 1 on errors.

const USAGE = `usage: validate [--method supervised|dpo|reinforcement] [--model NAME] [--provider openai|azure|compatible]
                [--epochs N] [--validation FILE] [--max-billed-tokens N] [--price-per-million-tokens USD]
                [--max-cost USD] [--grader FILE|YAML] [--exact] TRAINING.jsonl
  --grader  reinforcement: the grader, as the action's grader input takes it; every example must
            then hold the item fields it refers to
  --exact  count every example's tokens (slower; by default large files are sampled past 1,000 examples)`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      method: { type: 'string', default: 'supervised' },
      model: { type: 'string', default: 'gpt-4o-mini-2024-07-18' },
      epochs: { type: 'string' },
      validation: { type: 'string' },
      provider: { type: 'string', default: 'openai' },
      'max-billed-tokens': { type: 'string' },
      'price-per-million-tokens': { type: 'string' },
      'max-cost': { type: 'string' },
      grader: { type: 'string' },
      exact: { type: 'boolean', default: false },
      help: { type: 'boolean' },
    },
  });
  if (
    values.help ||
    positionals.length !== 1 ||
    !(METHOD_TYPES as readonly string[]).includes(values.method) ||
    !(PROVIDERS as readonly string[]).includes(values.provider)
  ) {
    console.error(USAGE);
    return 2;
  }
  const method = values.method as MethodType;
  const rules = modelRules(values.model, values.provider as Provider);
  // The same model checks the action makes on its inputs, in the same words.
  const unfit = methodProblem(rules, method);
  if (unfit) throw new Error(`--method ${unfit}`);
  const unknown = unknownModelMessage(rules);
  if (unknown) console.log(`::warning title=Unknown model::${unknown}`);
  const epochs = values.epochs === undefined ? undefined : Number(values.epochs);
  const amount = (name: 'price-per-million-tokens' | 'max-cost') => {
    const text = values[name];
    if (text === undefined) return undefined;
    if (method === 'reinforcement') throw new Error(`--${name} ${billedByTheHourMessage(rules)}`);
    try {
      return parseAmount(text);
    } catch (error) {
      throw new Error(`--${name} ${(error as Error).message}`);
    }
  };
  const price = trainingPrice(rules, amount('price-per-million-tokens'));
  const maxCost = amount('max-cost');
  if (maxCost !== undefined && !price) {
    throw new Error(
      `--max-cost needs a training price, and none is built in for ${rules.model} on provider ${rules.provider}: set --price-per-million-tokens`,
    );
  }
  if (values['max-billed-tokens'] !== undefined && method === 'reinforcement') {
    throw new Error(`--max-billed-tokens ${billedByTheHourMessage(rules)}`);
  }
  if (values.grader !== undefined && method !== 'reinforcement') {
    throw new Error(`--grader applies to method reinforcement only, not ${method}`);
  }
  const grader =
    values.grader === undefined
      ? undefined
      : await parseGrader(values.grader, process.cwd()).catch((error: Error) => {
          throw new Error(`--grader ${error.message}`);
        });
  const source = (given: string) => ({ kind: 'path' as const, path: path.resolve(given), given });
  const report = await preflight(
    {
      validate: true,
      training: source(positionals[0]),
      ...(values.validation ? { validation: source(values.validation) } : {}),
      // Without --grader, reinforcement data is checked without the grader's item fields.
      job: {
        model: values.model,
        method: buildMethod(method, epochs ? { n_epochs: epochs } : undefined, grader ?? {}),
      },
      modelRules: rules,
      ...(price ? { price } : {}),
      ...(values['max-billed-tokens'] ? { maxBilledTokens: Number(values['max-billed-tokens']) } : {}),
      ...(maxCost !== undefined ? { maxCost } : {}),
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
