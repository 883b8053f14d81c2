import * as core from '@actions/core';
import type { FineTuneConfig } from '../inputs/config.js';
import { InputError } from '../inputs/config.js';
import { graderFields } from './formats.js';
import { supportsVisionFineTuning } from './images.js';
import { autoEpochs, exampleTokenLimit, knowsTokenizer, loadTokenizer } from './tokens.js';
import { validateFile, type FileReport } from './validate.js';

export interface CheckedFile {
  input: 'training-file' | 'validation-file';
  given: string;
  report: FileReport;
}

export interface DataReport {
  files: CheckedFile[];
  epochs: number;
  /** Whether `epochs` is the API's choice for `n_epochs: auto`, worked out from the data. */
  autoEpochs: boolean;
  /** Training tokens (each example capped at the model's limit) times epochs. */
  billedTokens: number;
  /** The counts are an estimate: the model's own tokenizer is not known (an open model). */
  approximate: boolean;
}

/** Annotations shown on the file in the run page; more than these would drown the log. */
const ANNOTATED_ERRORS = 10;
const ANNOTATED_WARNINGS = 10;

function annotate(file: CheckedFile): void {
  const { given, report } = file;
  for (const { line, message } of report.errors.slice(0, ANNOTATED_ERRORS)) {
    // Line 0 is the file as a whole (too few examples): annotated on the file, without a line.
    if (line === 0) core.error(`${given} ${message}`, { title: 'Fine-tuning data', file: given });
    else
      core.error(`line ${line} ${message}`, {
        title: 'Invalid fine-tuning example',
        file: given,
        startLine: line,
      });
  }
  if (report.errorCount > ANNOTATED_ERRORS) {
    core.error(`${report.errorCount - ANNOTATED_ERRORS} more errors in ${given} are not shown`, {
      file: given,
    });
  }
  for (const { line, message, count } of report.warnings.slice(0, ANNOTATED_WARNINGS)) {
    const where = count > 1 ? `${count} examples, the first at line ${line}` : `line ${line}`;
    core.warning(`${message} (${where})`, { title: 'Fine-tuning data', file: given, startLine: line });
  }
}

/**
 * Checks every local data file before anything is uploaded and estimates what the job will bill.
 * Any invalid example fails the step here, as does an estimate over `max-billed-tokens`.
 */
export type PreflightSettings = Pick<
  FineTuneConfig,
  'validate' | 'training' | 'validation' | 'job' | 'maxBilledTokens'
>;

export async function preflight(
  config: PreflightSettings,
  /** Count every example exactly instead of a sample (the CLI's --exact). */
  exact = false,
): Promise<DataReport | undefined> {
  if (!config.validate || config.training.kind !== 'path') return undefined;
  const { model, method } = config.job;
  const type = method?.type ?? 'supervised';
  const count = await loadTokenizer(model);
  const approximate = !knowsTokenizer(model);
  if (approximate) {
    core.notice(
      `${model}: its tokenizer is not known here, so token counts are approximate (counted as OpenAI's o200k_base counts) and an example over the size limit is a warning, not an error`,
    );
  }
  const shared = {
    method: type,
    model,
    vision: supportsVisionFineTuning(model),
    count,
    tokenLimit: exampleTokenLimit(model),
    strictLimit: !approximate,
    graderFields: graderFields(method?.reinforcement?.grader),
    exact,
  };

  const files: CheckedFile[] = [];
  const training = config.training;
  files.push({
    input: 'training-file',
    given: training.given,
    report: await validateFile(training.path, { ...shared, role: 'training' }),
  });
  if (config.validation?.kind === 'path') {
    files.push({
      input: 'validation-file',
      given: config.validation.given,
      report: await validateFile(config.validation.path, {
        ...shared,
        role: 'validation',
        trainingHashes: files[0].report.hashes,
      }),
    });
  }

  // Every file's problems are annotated before the step fails on the first file that has any.
  for (const file of files) annotate(file);
  for (const { report, given, input } of files) {
    if (report.errorCount > 0) {
      const [first] = report.errors;
      throw new InputError(
        input,
        `(${given}) has ${report.errorCount} ${report.errorCount === 1 ? 'problem' : 'problems'}; the first: ${first.line ? `line ${first.line} ` : ''}${first.message}`,
      );
    }
    core.info(
      `${input}: ${given} holds ${report.examples} valid examples, about ${report.tokens.total.toLocaleString('en-US')} tokens`,
    );
  }

  const requested = method?.[type]?.hyperparameters?.n_epochs;
  const epochs = typeof requested === 'number' ? requested : autoEpochs(files[0].report.examples);
  const billedTokens = files[0].report.tokens.total * epochs;
  core.info(
    `Estimated billed tokens: ${approximate ? 'about ' : ''}${billedTokens.toLocaleString('en-US')} (${epochs} epochs)`,
  );
  if (config.maxBilledTokens !== undefined && billedTokens > config.maxBilledTokens) {
    throw new InputError(
      'max-billed-tokens',
      `is ${config.maxBilledTokens.toLocaleString('en-US')}, but this job would bill about ${billedTokens.toLocaleString('en-US')} tokens (${files[0].report.tokens.total.toLocaleString('en-US')} training tokens x ${epochs} epochs); nothing was uploaded`,
    );
  }
  return { files, epochs, autoEpochs: typeof requested !== 'number', billedTokens, approximate };
}
