import * as core from '@actions/core';
import type { JobSettings } from '../api/client.js';
import { InputError } from '../facts/input-error.js';
import { graderFields } from './formats.js';
import type { ModelRules } from './models.js';
import { dollars, tokenCost, type KnownPrice } from './prices.js';
import type { DataSource } from './source.js';
import { autoEpochs, loadTokenizer } from './tokens.js';
import { validateFile, type FileReport } from './validate.js';
import { logText } from '../github/log.js';

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
  /**
   * Training tokens (each example capped at the model's limit) times epochs; undefined for
   * reinforcement, which is billed by the hour of training, not by the token.
   */
  billedTokens?: number;
  /** The counts are an estimate: the model is not one whose tokenizer and limits are known. */
  approximate: boolean;
  /** The training price the estimate used, when one is known. */
  price?: KnownPrice;
  /** billedTokens at the price per million tokens, in US dollars. */
  cost?: number;
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
interface PreflightSettings {
  validate: boolean;
  training: DataSource;
  validation?: DataSource;
  job: JobSettings;
  modelRules: ModelRules;
  price?: KnownPrice;
  maxBilledTokens?: number;
  maxCost?: number;
}

export async function preflight(
  config: PreflightSettings,
  /** Count every example exactly instead of a sample (the CLI's --exact). */
  exact = false,
): Promise<DataReport | undefined> {
  if (!config.validate || config.training.kind !== 'path') return undefined;
  const files = await checkFiles(config, config.training, exact);
  refuseInvalid(files);
  return estimate(config, files);
}

/** The first problem of the first file that has any, as the step's error. */
export function refuseInvalid(files: CheckedFile[]): void {
  for (const { report, given, input } of files) {
    if (report.errorCount > 0) {
      const [first] = report.errors;
      throw new InputError(
        input,
        `(${given}) has ${report.errorCount} ${report.errorCount === 1 ? 'problem' : 'problems'}; the first: ${first.line ? `line ${first.line} ` : ''}${first.message}`,
      );
    }
  }
}

/**
 * Checks the local files and annotates every problem, on every file, without failing: the caller
 * decides (preflight fails the step; a plan first writes its comment).
 */
export async function checkFiles(
  config: Pick<PreflightSettings, 'validation' | 'job' | 'modelRules'>,
  training: { path: string; given: string },
  exact = false,
): Promise<CheckedFile[]> {
  const { model, method } = config.job;
  const rules = config.modelRules;
  const type = method?.type ?? 'supervised';
  const count = await loadTokenizer(rules.encoding);
  const approximate = rules.approximate;
  const shared = {
    method: type,
    model,
    imagesPerExample: rules.imagesPerExample,
    encoding: rules.encoding,
    count,
    tokenLimit: rules.exampleTokens,
    strictLimit: !approximate,
    graderFields: graderFields(method?.reinforcement?.grader),
    exact,
  };

  const files: CheckedFile[] = [];
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

  // Every file's problems are annotated, so that a step that then fails shows all of them.
  for (const file of files) annotate(file);
  return files;
}

/** Tokens, epochs and dollars for valid files; over a ceiling, the step fails before upload. */
export function estimate(
  config: Pick<PreflightSettings, 'job' | 'modelRules' | 'price' | 'maxBilledTokens' | 'maxCost'>,
  files: CheckedFile[],
): DataReport {
  const { method } = config.job;
  const type = method?.type ?? 'supervised';
  const approximate = config.modelRules.approximate;
  for (const { report, given, input } of files) {
    core.info(
      `${input}: ${logText(given)} holds ${report.examples} valid examples, about ${report.tokens.total.toLocaleString('en-US')} tokens`,
    );
  }

  const requested = method?.[type]?.hyperparameters?.n_epochs;
  const epochs = typeof requested === 'number' ? requested : autoEpochs(files[0].report.examples);
  const report: DataReport = { files, epochs, autoEpochs: typeof requested !== 'number', approximate };
  if (config.price) report.price = config.price;
  if (type === 'reinforcement') {
    // Billed by the hour of training: no token figure would say what the job costs.
    const hourly = config.price && 'perHour' in config.price.price ? config.price.price.perHour : undefined;
    core.info(
      `Reinforcement fine-tuning is billed by the hour of training${hourly !== undefined ? ` (${dollars(hourly)} per hour)` : ''}, not by the token: no cost is estimated from the data`,
    );
    return report;
  }
  const trainingTokens = files[0].report.tokens.total;
  const billedTokens = trainingTokens * epochs;
  report.billedTokens = billedTokens;
  const perMillion =
    config.price && 'perMillionTokens' in config.price.price
      ? config.price.price.perMillionTokens
      : undefined;
  if (perMillion !== undefined) report.cost = tokenCost(billedTokens, perMillion);
  const about = approximate ? 'about ' : '';
  core.info(
    `Estimated billed tokens: ${about}${billedTokens.toLocaleString('en-US')} (${trainingTokens.toLocaleString('en-US')} training tokens x ${epochs} epochs)` +
      (report.cost !== undefined
        ? `; estimated cost: ${about}${dollars(report.cost)} at ${dollars(perMillion!)} per million tokens (${config.price!.source})`
        : '; no training price is known for this model here (set price-per-million-tokens for a cost estimate)'),
  );
  if (config.maxBilledTokens !== undefined && billedTokens > config.maxBilledTokens) {
    throw new InputError(
      'max-billed-tokens',
      `is ${config.maxBilledTokens.toLocaleString('en-US')}, but this job would bill about ${billedTokens.toLocaleString('en-US')} tokens (${trainingTokens.toLocaleString('en-US')} training tokens x ${epochs} epochs); nothing was uploaded`,
    );
  }
  if (config.maxCost !== undefined && report.cost !== undefined && report.cost > config.maxCost) {
    throw new InputError(
      'max-cost',
      `is ${dollars(config.maxCost)}, but this job would cost about ${dollars(report.cost)} (${billedTokens.toLocaleString('en-US')} billed tokens at ${dollars(perMillion!)} per million, from ${config.price!.source}); nothing was uploaded`,
    );
  }
  return report;
}
