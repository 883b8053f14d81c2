import { createReadStream, readFileSync } from 'node:fs';
import type { Connection } from '../api/client.js';
import type { BaselineChoice, EvaluateConfig, EvaluationSettings } from './types.js';
import { baseModel } from '../data/models.js';
import { readExamples } from '../eval/examples.js';
import { DEFAULT_GRADER, parseGraders, type Grader } from '../eval/graders.js';
import { InputError } from '../facts/input-error.js';
import { fileToRead, fileToWrite } from './files.js';
import { parseStructured } from './parse.js';
import { amount, choice, duration, integer, named, strayInput, text } from './read.js';

// Every input of the evaluation (eval-file and what grades, compares and records it), read and
// checked here, the eval file's every line included, before anything is uploaded or trained.

const RELATED = [
  'graders',
  'baseline-model',
  'min-score',
  'max-regression',
  'eval-concurrency',
  'on-eval-fail',
  'record-answers',
] as const;
const MAX_CONCURRENCY = 64;

/**
 * The evaluation's settings, or undefined without `eval-file`. `mode` is fine-tune, wait or
 * evaluate; in evaluate the baseline is decided here (see readEvaluateConfig).
 */
export async function readEvaluation(
  mode: string,
  env: NodeJS.ProcessEnv,
): Promise<EvaluationSettings | undefined> {
  const given = text('eval-file');
  if (given === '') {
    if (mode === 'evaluate')
      throw new InputError('eval-file', 'is required in mode evaluate: the held-out examples');
    const stray = strayInput(RELATED);
    if (stray) throw new InputError(stray, 'applies only with eval-file');
    return undefined;
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

  const baselineText = text('baseline-model');
  const baseline: BaselineChoice =
    baselineText === ''
      ? { kind: 'default' }
      : baselineText === 'none'
        ? { kind: 'none' }
        : { kind: 'model', model: modelName('baseline-model', baselineText) };
  const minText = text('min-score');
  const onFail = choice('on-eval-fail');
  const recordText = text('record-answers');
  if (recordText !== '' && mode !== 'evaluate' && baseline.kind === 'none') {
    throw new InputError('record-answers', "writes the baseline's answers, and baseline-model is none");
  }
  return {
    file,
    given,
    graders,
    baseline,
    ...(minText !== '' ? { minScore: named('min-score', () => fraction(minText)) } : {}),
    maxRegression: named('max-regression', () => fraction(text('max-regression'))),
    concurrency: integer('eval-concurrency', 1, MAX_CONCURRENCY),
    onFail,
    ...(recordText !== '' ? { recordAnswers: fileToWrite('record-answers', recordText, env) } : {}),
  };
}

/** Mode evaluate's inputs: the model, the evaluation, max-cost and the deadline. */
export async function readEvaluateConfig(
  connection: Connection,
  env: NodeJS.ProcessEnv,
): Promise<EvaluateConfig> {
  const modelText = text('model');
  if (modelText === '') throw new InputError('model', 'is required in mode evaluate: the model to grade');
  const model = modelName('model', modelText);
  const settings = (await readEvaluation('evaluate', env))!;
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
  const maxCost = amount('max-cost');
  return {
    mode: 'evaluate',
    connection,
    model,
    evaluation: { ...settings, baseline },
    ...(maxCost !== undefined ? { maxCost } : {}),
    timeoutMs: duration('wait-timeout'),
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

/** `graders`: inline YAML/JSON, or the path of a .json/.yaml file holding them; none: the default. */
async function readGraders(env: NodeJS.ProcessEnv): Promise<Grader[]> {
  const given = text('graders');
  if (given === '') return [DEFAULT_GRADER];
  let content = given;
  if (/\.(json|ya?ml)$/i.test(given) && !/[\n{[]/.test(given)) {
    const file = fileToRead('graders', given, env);
    content = readFileSync(file, 'utf8');
  }
  try {
    return parseGraders(await parseStructured(content));
  } catch (error) {
    throw new InputError('graders', (error as Error).message);
  }
}
