import * as core from '@actions/core';
import { createReadStream, lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Connection } from '../api/client.js';
import type { Provider } from '../api/provider.js';
import { baseModel } from '../data/models.js';
import { readExamples } from '../eval/examples.js';
import { DEFAULT_GRADER, parseGraders, type Grader } from '../eval/graders.js';
import { InputError } from '../facts/input-error.js';
import { parseDuration, parseInteger, parseStructured } from './parse.js';

// Every input of the evaluation (eval-file and what grades, compares and records it), read and
// checked here, the eval file's every line included, before anything is uploaded or trained.

/** The model the candidate is compared with. */
export type BaselineChoice =
  | { kind: 'model'; model: string; why?: string }
  /** `baseline-model: none`: the gate is min-score alone. */
  | { kind: 'none' }
  /** Unset after a job: the model of the lineage's last succeeded job, else the base model. */
  | { kind: 'default' };

export interface EvaluationSettings {
  /** The eval file's real path, and the path as given (for messages). */
  file: string;
  given: string;
  graders: Grader[];
  baseline: BaselineChoice;
  minScore?: number;
  maxRegression: number;
  concurrency: number;
  onFail: 'fail' | 'warn';
  /** Where to write the baseline's answers (mode evaluate: the model's) as an eval file. */
  recordAnswers?: string;
}

/** Mode evaluate: an existing model graded against a baseline; creates, uploads and deploys nothing. */
export interface EvaluateConfig {
  mode: 'evaluate';
  connection: Connection;
  model: string;
  evaluation: EvaluationSettings & { baseline: Exclude<BaselineChoice, { kind: 'default' }> };
  maxCost?: number;
  /** `wait-timeout`: the step's deadline, every request included. */
  timeoutMs: number;
}

/** action.yml's defaults: a value equal to one arrives from the runner but was not set. */
const DEFAULTS: Record<string, string> = {
  'max-regression': '0',
  'eval-concurrency': '4',
  'on-eval-fail': 'fail',
};
const RELATED = [
  'graders',
  'baseline-model',
  'min-score',
  'max-regression',
  'eval-concurrency',
  'on-eval-fail',
  'record-answers',
];
const MAX_CONCURRENCY = 64;

function value(name: string): string {
  return core.getInput(name).trim() || (DEFAULTS[name] ?? '');
}

function named<T>(name: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw error instanceof InputError ? error : new InputError(name, (error as Error).message);
  }
}

/**
 * The evaluation's settings, or undefined without `eval-file`. `mode` is fine-tune, wait or
 * evaluate; in evaluate the baseline is decided here (see readEvaluateConfig).
 */
export async function readEvaluation(
  mode: string,
  provider: Provider,
  env: NodeJS.ProcessEnv,
): Promise<EvaluationSettings | undefined> {
  const given = value('eval-file');
  if (given === '') {
    if (mode === 'evaluate')
      throw new InputError('eval-file', 'is required in mode evaluate: the held-out examples');
    const stray = RELATED.find(
      (name) => core.getInput(name).trim() !== '' && core.getInput(name).trim() !== DEFAULTS[name],
    );
    if (stray) throw new InputError(stray, 'applies only with eval-file');
    return undefined;
  }
  // The seam for Azure: there a fine-tuned model answers only from a deployment, which the
  // candidate's own deployment (made, evaluated, then deleted) will provide.
  if (mode !== 'evaluate' && provider === 'azure') {
    throw new InputError(
      'eval-file',
      'after a job on Azure needs a deployment of the new model, which this version does not make: evaluate a deployment with mode evaluate',
    );
  }
  const file = fileToRead('eval-file', given, env);
  const graders = await readGraders(env);
  let examples = 0;
  try {
    for await (const _ of readExamples(createReadStream(file), graders)) examples += 1;
  } catch (error) {
    throw new InputError('eval-file', `names '${given}', whose ${(error as Error).message}`);
  }
  if (examples === 0) throw new InputError('eval-file', `names '${given}', which holds no examples`);

  const baselineText = value('baseline-model');
  const baseline: BaselineChoice =
    baselineText === ''
      ? { kind: 'default' }
      : baselineText === 'none'
        ? { kind: 'none' }
        : { kind: 'model', model: modelName('baseline-model', baselineText) };
  const minText = value('min-score');
  const onFail = value('on-eval-fail');
  if (onFail !== 'fail' && onFail !== 'warn')
    throw new InputError('on-eval-fail', `must be fail or warn, got '${onFail}'`);
  const recordText = value('record-answers');
  if (recordText !== '' && mode !== 'evaluate' && baseline.kind === 'none') {
    throw new InputError('record-answers', "writes the baseline's answers, and baseline-model is none");
  }
  return {
    file,
    given,
    graders,
    baseline,
    ...(minText !== '' ? { minScore: named('min-score', () => fraction(minText)) } : {}),
    maxRegression: named('max-regression', () => fraction(value('max-regression'))),
    concurrency: named('eval-concurrency', () => parseInteger(value('eval-concurrency'), 1, MAX_CONCURRENCY)),
    onFail,
    ...(recordText !== '' ? { recordAnswers: fileToWrite('record-answers', recordText, env) } : {}),
  };
}

/** Mode evaluate's inputs: the model, the evaluation, max-cost and the deadline. */
export async function readEvaluateConfig(
  connection: Connection,
  env: NodeJS.ProcessEnv,
): Promise<EvaluateConfig> {
  const modelText = value('model');
  if (modelText === '') throw new InputError('model', 'is required in mode evaluate: the model to grade');
  const model = modelName('model', modelText);
  const settings = (await readEvaluation('evaluate', connection.provider, env))!;
  let baseline = settings.baseline;
  if (baseline.kind === 'default') {
    // A fine-tuned model's name says its base model, the natural thing to beat.
    if (!model.startsWith('ft:')) {
      throw new InputError(
        'baseline-model',
        "is required in mode evaluate unless model is a fine-tuned model's name (ft:...): name the model to compare with, or none",
      );
    }
    baseline = { kind: 'model', model: baseModel(model), why: 'the base model of the fine-tuned model' };
  }
  const costText = value('max-cost');
  return {
    mode: 'evaluate',
    connection,
    model,
    evaluation: { ...settings, baseline },
    ...(costText !== '' ? { maxCost: named('max-cost', () => dollars(costText)) } : {}),
    timeoutMs: named('wait-timeout', () => parseDuration(value('wait-timeout') || '5h50m')),
  };
}

function modelName(name: string, text: string): string {
  if (/[\s\u0000-\u001f]/.test(text))
    throw new InputError(name, 'must be a model name, without spaces or line breaks');
  return text;
}

/** A score from 0 to 1, such as 0.8 or 0.02. */
function fraction(text: string): number {
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text) || !(Number(text) <= 1)) {
    throw new Error(`must be a number from 0 to 1 such as 0.8, got '${text}'`);
  }
  return Number(text);
}

function dollars(text: string): number {
  const amount = text.replace(/^\$/, '');
  if (!/^\d+(\.\d+)?$/.test(amount) || !(Number(amount) > 0)) {
    throw new Error(`must be an amount above zero such as 25 or 1.50, got '${text}'`);
  }
  return Number(amount);
}

/** `graders`: inline YAML/JSON, or the path of a .json/.yaml file holding them; none: the default. */
async function readGraders(env: NodeJS.ProcessEnv): Promise<Grader[]> {
  const text = value('graders');
  if (text === '') return [DEFAULT_GRADER];
  let content = text;
  if (/\.(json|ya?ml)$/i.test(text) && !/[\n{[]/.test(text)) {
    const file = fileToRead('graders', text, env);
    content = readFileSync(file, 'utf8');
  }
  try {
    return parseGraders(await parseStructured(content));
  } catch (error) {
    throw new InputError('graders', (error as Error).message);
  }
}

// Stand-ins for the shared helpers of src/inputs/files.ts (same names and signatures), which hold
// every file an input names to the workspace or RUNNER_TEMP, symlinks followed; to be replaced by
// imports of those.

function roots(env: NodeJS.ProcessEnv): string[] {
  return [env.GITHUB_WORKSPACE || process.cwd(), env.RUNNER_TEMP]
    .filter((root): root is string => Boolean(root))
    .flatMap((root) => {
      try {
        return [realpathSync(root)];
      } catch {
        return [];
      }
    });
}

const inside = (file: string, root: string) => {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

export function fileToRead(name: string, given: string, env: NodeJS.ProcessEnv): string {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  let real: string;
  try {
    real = realpathSync(path.resolve(workspace, given));
  } catch {
    throw new InputError(name, `names '${given}', which does not exist (looked in ${workspace})`);
  }
  if (!roots(env).some((root) => inside(real, root) && real !== root)) {
    throw new InputError(
      name,
      `names '${given}', which lies outside the workspace and RUNNER_TEMP; files are read only from there`,
    );
  }
  if (!statSync(real).isFile()) throw new InputError(name, `names '${given}', which is not a regular file`);
  return real;
}

export function fileToWrite(name: string, given: string, env: NodeJS.ProcessEnv): string {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const resolved = path.resolve(workspace, given);
  let folder: string;
  try {
    folder = realpathSync(path.dirname(resolved));
  } catch {
    throw new InputError(name, `names '${given}', whose folder does not exist (looked in ${workspace})`);
  }
  if (!roots(env).some((root) => inside(folder, root))) {
    throw new InputError(
      name,
      `names '${given}', which would be written outside the workspace and RUNNER_TEMP`,
    );
  }
  const target = path.join(folder, path.basename(resolved));
  let existing;
  try {
    existing = lstatSync(target);
  } catch {
    existing = undefined;
  }
  if (existing && !existing.isFile())
    throw new InputError(name, `names '${given}', which is not a regular file: it is not written through`);
  return target;
}
