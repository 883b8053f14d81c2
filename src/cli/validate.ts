import * as core from '@actions/core';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROVIDERS, type Provider } from '../api/provider.js';
import { methodProblem, modelRules, unknownModelMessage } from '../data/models.js';
import {
  annotate,
  ceilingProblem,
  dataReport,
  describeEstimate,
  epochsReason,
  refuseInvalid,
  validateFiles,
  type CheckedFile,
} from '../data/preflight.js';
import { billedByTheHourMessage, trainingPrice } from '../data/prices.js';
import { METHOD_TYPES, type MethodType } from '../facts/methods.js';
import { buildMethod, parseGrader } from '../inputs/method.js';
import { parseAmount, parseInteger } from '../inputs/parse.js';
import { checkDocument, problemLines, statsLine } from '../report/data-check.js';

// `npm run validate -- train.jsonl`: the action's own check of the data, on its own, for a
// terminal, a pull-request check or a tool. It never calls the API and needs no key. Exit code: 0
// valid, 1 invalid data or over a ceiling, 2 a usage mistake.

export const USAGE = `usage: npm run validate -- [options] TRAINING.jsonl
Checks fine-tuning data as the action does before uploading it, and estimates what the job bills.
  --model NAME          the model to fine-tune (default gpt-4o-mini-2024-07-18)
  --method M            supervised (default), dpo or reinforcement
  --provider P          openai (default), azure or compatible: whose models and limits apply
  --validation FILE     a validation file, checked too
  --epochs N            epochs for the estimate (default: what the API picks for n_epochs auto)
  --max-billed-tokens N fail when the estimated billed tokens exceed N
  --price-per-million-tokens USD   the training price (default: the built-in one, where known)
  --max-cost USD        fail when the estimated cost exceeds this (needs a price)
  --grader FILE|YAML    reinforcement: the grader; every example must hold the item fields it uses
  --exact               count every example's tokens (slower; large files are sampled past 1,000)
  --format F            text (default), github (workflow annotations; the default when
                        GITHUB_ACTIONS=true) or json (one document for tools)
  --help                this text`;

const FORMATS = ['text', 'github', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** A mistake in how the command was called: said with the usage, exit code 2. */
class UsageError extends Error {}

/** A file the check cannot read, in a sentence rather than Node's error code. */
async function unreadable(given: string, resolved: string): Promise<string | undefined> {
  try {
    if ((await stat(resolved)).isDirectory()) return `${given} is a folder, not a JSONL file`;
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `${given}: no such file (looked for ${resolved})`;
    if (code === 'EACCES') return `${given} cannot be read: permission denied`;
    return `${given} cannot be read (${code ?? String(error)})`;
  }
}

function options(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
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
        format: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Runs the check as `argv` asks and prints what it found; resolves to the exit code. */
export async function validateCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    return await check(argv, env);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${message}\n${error instanceof UsageError ? `${USAGE}\n` : ''}`);
    return error instanceof UsageError ? 2 : 1;
  }
}

async function check(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = options(argv);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const format = (values.format ?? (env.GITHUB_ACTIONS === 'true' ? 'github' : 'text')) as Format;
  if (!FORMATS.includes(format))
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got '${format}'`);
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? 'name one training file'
        : `name one training file, not ${positionals.length}`,
    );
  }
  if (!(METHOD_TYPES as readonly string[]).includes(values.method)) {
    throw new UsageError(`--method must be one of ${METHOD_TYPES.join(', ')}, got '${values.method}'`);
  }
  if (!(PROVIDERS as readonly string[]).includes(values.provider)) {
    throw new UsageError(`--provider must be one of ${PROVIDERS.join(', ')}, got '${values.provider}'`);
  }
  // The action's own rule for whole numbers, so a typo is an error rather than a ceiling ignored.
  const whole = (name: 'epochs' | 'max-billed-tokens') => {
    const text = values[name];
    if (text === undefined) return undefined;
    try {
      return parseInteger(text, 1, Infinity);
    } catch (error) {
      throw new UsageError(`--${name} ${(error as Error).message}`);
    }
  };
  const epochs = whole('epochs');
  const maxBilledTokens = whole('max-billed-tokens');
  const method = values.method as MethodType;
  // `npm run validate` runs from the package's root and says where it was called from; any other
  // process under npm (a test) inherits INIT_CWD, so it counts only for this script.
  const base = (env.npm_lifecycle_event === 'validate' && env.INIT_CWD) || process.cwd();
  const rules = modelRules(values.model, values.provider as Provider);
  // The same model checks the action makes on its inputs, in the same words.
  const unfit = methodProblem(rules, method);
  if (unfit) throw new Error(`--method ${unfit}`);
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
  if (maxBilledTokens !== undefined && method === 'reinforcement') {
    throw new Error(`--max-billed-tokens ${billedByTheHourMessage(rules)}`);
  }
  if (values.grader !== undefined && method !== 'reinforcement') {
    throw new Error(`--grader applies to method reinforcement only, not ${method}`);
  }
  const grader =
    values.grader === undefined
      ? undefined
      : await parseGrader(values.grader, base).catch((error: Error) => {
          throw new Error(`--grader ${error.message}`);
        });
  const source = (given: string) => ({ kind: 'path' as const, path: path.resolve(base, given), given });
  const training = source(positionals[0]);
  const validation = values.validation ? source(values.validation) : undefined;
  for (const file of [training, validation]) {
    const problem = file && (await unreadable(file.given, file.path));
    if (problem) throw new Error(problem);
  }

  const settings = {
    ...(validation ? { validation } : {}),
    // Without --grader, reinforcement data is checked without the grader's item fields.
    job: {
      model: values.model,
      method: buildMethod(method, epochs ? { n_epochs: epochs } : undefined, grader ?? {}),
    },
    modelRules: rules,
    ...(price ? { price } : {}),
    ...(maxBilledTokens !== undefined ? { maxBilledTokens } : {}),
    ...(maxCost !== undefined ? { maxCost } : {}),
  };
  const files = await validateFiles(settings, training, values.exact);
  const warning = unknownModelMessage(rules);
  const valid = files.every(({ report }) => report.errorCount === 0);
  const report = valid ? dataReport(settings, files) : undefined;
  // Settings as this command takes them: its flags, not the action's inputs.
  const flag = (name: 'n_epochs' | 'price-per-million-tokens') =>
    name === 'n_epochs' ? '--epochs' : `--${name}`;
  const over = report && ceilingProblem(settings, report);

  if (format === 'json') {
    const estimate = report && {
      report,
      epochsReason: epochsReason(report, flag),
      text: describeEstimate(report, flag),
    };
    const document = checkDocument(files, warning ? [warning] : [], estimate);
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    if (format === 'github') {
      // The annotations the action makes, in the same words, for a step in a workflow.
      if (warning) core.warning(warning, { title: 'Unknown model' });
      for (const file of files) annotate(file);
    } else {
      if (warning) process.stdout.write(`warning: ${warning}\n`);
      for (const file of files) for (const line of problemLines(file)) process.stdout.write(`${line}\n`);
    }
    if (report) {
      for (const file of files) process.stdout.write(`${statsLine(file)}\n`);
      process.stdout.write(`${describeEstimate(report, flag)}\n`);
    }
  }
  if (!valid) {
    if (format === 'github') refuseInvalid(files);
    throw new Error(invalidSummary(files));
  }
  if (over) throw new Error(`--${over.input} ${over.problem}`);
  return 0;
}

/** How many errors each invalid file holds, as the last line in a terminal. */
function invalidSummary(files: CheckedFile[]): string {
  return files
    .filter(({ report }) => report.errorCount > 0)
    .map(
      ({ given, report }) => `${given}: ${report.errorCount} ${report.errorCount === 1 ? 'error' : 'errors'}`,
    )
    .join('\n');
}
