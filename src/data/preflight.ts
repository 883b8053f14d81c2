import * as core from '@actions/core';
import type { JobSettings } from '../api/client.js';
import { InputError } from '../facts/input-error.js';
import { graderFields } from './formats.js';
import type { ModelRules } from './models.js';
import { dollars, tokenCost, type KnownPrice } from './prices.js';
import type { DataSource } from './source.js';
import { autoEpochs, autoEpochsReason, loadTokenizer } from './tokens.js';
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

/** A file's problems as annotations on its lines in the run page. */
export function annotate(file: CheckedFile): void {
  const { given, report } = file;
  for (const { line, column, message } of report.errors.slice(0, ANNOTATED_ERRORS)) {
    // Line 0 is the file as a whole (too few examples): annotated on the file, without a line.
    if (line === 0) core.error(`${given} ${message}`, { title: 'Fine-tuning data', file: given });
    else
      core.error(`line ${line} ${message}`, {
        title: 'Invalid fine-tuning example',
        file: given,
        startLine: line,
        ...(column ? { startColumn: column } : {}),
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
  const files = await validateFiles(config, training, exact);
  // Every file's problems are annotated, so that a step that then fails shows all of them.
  for (const file of files) annotate(file);
  return files;
}

/** Checks the local files and says nothing: the command-line validator prints them its own way. */
export async function validateFiles(
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

  return files;
}

type EstimateSettings = Pick<
  PreflightSettings,
  'job' | 'modelRules' | 'price' | 'maxBilledTokens' | 'maxCost'
>;

/** Tokens, epochs and dollars for valid files; over a ceiling, the step fails before upload. */
export function estimate(config: EstimateSettings, files: CheckedFile[]): DataReport {
  for (const { report, given, input } of files) {
    core.info(
      `${input}: ${logText(given)} holds ${report.examples} valid examples, about ${report.tokens.total.toLocaleString('en-US')} tokens`,
    );
  }
  const report = dataReport(config, files);
  core.info(describeEstimate(report, (name) => name));
  const over = ceilingProblem(config, report);
  if (over) throw new InputError(over.input, `${over.problem}; nothing was uploaded`);
  return report;
}

/** What the job would bill, from the checked files: nothing printed, nothing refused. */
export function dataReport(config: EstimateSettings, files: CheckedFile[]): DataReport {
  const { method } = config.job;
  const type = method?.type ?? 'supervised';
  const requested = method?.[type]?.hyperparameters?.n_epochs;
  const epochs = typeof requested === 'number' ? requested : autoEpochs(files[0].report.examples);
  const report: DataReport = {
    files,
    epochs,
    autoEpochs: typeof requested !== 'number',
    approximate: config.modelRules.approximate,
  };
  if (config.price) report.price = config.price;
  // Reinforcement is billed by the hour of training: no token figure would say what it costs.
  if (type === 'reinforcement') return report;
  report.billedTokens = files[0].report.tokens.total * epochs;
  const perMillion = perMillionTokens(report);
  if (perMillion !== undefined) report.cost = tokenCost(report.billedTokens, perMillion);
  return report;
}

const perMillionTokens = (report: DataReport) =>
  report.price && 'perMillionTokens' in report.price.price ? report.price.price.perMillionTokens : undefined;

type SettingName = (setting: 'n_epochs' | 'price-per-million-tokens') => string;

/** Why the estimate assumed its number of epochs: the API's rule for `auto`, or the setting. */
export function epochsReason(report: DataReport, name: SettingName): string {
  return report.autoEpochs ? autoEpochsReason(report.files[0].report.examples) : `set by ${name('n_epochs')}`;
}

/**
 * The estimate in one sentence, with why it assumed its number of epochs. `name` words a setting
 * as the reader sets it: an input of the action, or a flag of the command-line validator.
 */
export function describeEstimate(report: DataReport, name: SettingName): string {
  if (report.billedTokens === undefined) {
    const price = report.price?.price;
    const hourly = price && 'perHour' in price ? ` (${dollars(price.perHour)} per hour)` : '';
    return `Reinforcement fine-tuning is billed by the hour of training${hourly}, not by the token: no cost is estimated from the data`;
  }
  const about = report.approximate ? 'about ' : '';
  const training = report.files[0].report;
  const why = epochsReason(report, name);
  const perMillion = perMillionTokens(report);
  return (
    `Estimated billed tokens: ${about}${report.billedTokens.toLocaleString('en-US')} (${training.tokens.total.toLocaleString('en-US')} training tokens x ${report.epochs} epochs; ${why})` +
    (report.cost !== undefined
      ? `; estimated cost: ${about}${dollars(report.cost)} at ${dollars(perMillion!)} per million tokens (${report.price!.source})`
      : `; no training price is known for this model here (set ${name('price-per-million-tokens')} for a cost estimate)`)
  );
}

/** The first ceiling (max-billed-tokens, max-cost) the estimate is over, and by how much. */
export function ceilingProblem(
  config: Pick<EstimateSettings, 'maxBilledTokens' | 'maxCost'>,
  report: DataReport,
): { input: 'max-billed-tokens' | 'max-cost'; problem: string } | undefined {
  const billed = report.billedTokens;
  if (billed === undefined) return undefined;
  const training = report.files[0].report.tokens.total.toLocaleString('en-US');
  if (config.maxBilledTokens !== undefined && billed > config.maxBilledTokens) {
    return {
      input: 'max-billed-tokens',
      problem: `is ${config.maxBilledTokens.toLocaleString('en-US')}, but this job would bill about ${billed.toLocaleString('en-US')} tokens (${training} training tokens x ${report.epochs} epochs)`,
    };
  }
  if (config.maxCost !== undefined && report.cost !== undefined && report.cost > config.maxCost) {
    return {
      input: 'max-cost',
      problem: `is ${dollars(config.maxCost)}, but this job would cost about ${dollars(report.cost)} (${billed.toLocaleString('en-US')} billed tokens at ${dollars(perMillionTokens(report)!)} per million, from ${report.price!.source})`,
    };
  }
  return undefined;
}
