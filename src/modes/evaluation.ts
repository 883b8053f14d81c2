import * as core from '@actions/core';
import {
  closeSync,
  constants,
  createReadStream,
  mkdtempSync,
  openSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Answerer, answerCap } from '../api/answers.js';
import type { JobClient } from '../api/client.js';
import type { Provider } from '../api/provider.js';
import { modelRules } from '../data/models.js';
import { dollars } from '../data/prices.js';
import { loadTokenizer } from '../data/tokens.js';
import { estimateEvaluation } from '../eval/estimate.js';
import { readExamples } from '../eval/examples.js';
import { gate } from '../eval/gate.js';
import { answerLine } from '../eval/record.js';
import { buildReport } from '../eval/report.js';
import { evaluate } from '../eval/run.js';
import { inferencePrice } from '../facts/inference-prices.js';
import { InputError } from '../facts/input-error.js';
import type { Baseline } from '../azure/promotion.js';
import type { DeploySettings, EvaluationSettings, FineTuneConfig, WaitConfig } from '../inputs/types.js';
import { logText } from '../github/log.js';
import { lastSucceeded } from '../jobs/lookup.js';
import { lineageTag, TAG } from '../jobs/tags.js';
import {
  costText,
  type EvaluationCost,
  type EvaluationRecord,
  type PricedTokens,
} from '../report/evaluation.js';
import type { RunRecord } from '../report/record.js';
import type { FollowContext } from './follow.js';

// The evaluation of a model against its baseline, shared by mode evaluate and by fine-tune and wait
// after their job succeeds: estimate (before anything is spent), answer, grade, gate, report.

/** The model being graded, as the estimate prices it. */
export interface Candidate {
  /** The name asked, or, before training, a label for the model to come. */
  model: string;
  /** The model whose price applies, and whether at the fine-tuned rate. */
  pricedAs: string;
  fineTuned: boolean;
}

const fineTunedName = (model: string) => model.startsWith('ft:');

/**
 * The evaluation's tokens and, where inference prices are known, dollars, before anything is
 * spent; over `max-cost` (with `trainingCost`, which the same ceiling covers) it refuses, naming
 * the input, before any upload or answer.
 */
export async function estimateCost(
  settings: EvaluationSettings,
  provider: Provider,
  candidate: Candidate,
  baseline: string | undefined,
  ceiling?: { maxCost: number; trainingCost?: number },
): Promise<EvaluationCost> {
  const count = await loadTokenizer(modelRules(candidate.pricedAs, provider).encoding);
  const estimate = await estimateEvaluation(readExamples(createReadStream(settings.file), settings.graders), {
    graders: settings.graders,
    count,
    candidate: candidate.model,
    ...(baseline !== undefined ? { baseline } : {}),
  });
  const byModel: PricedTokens[] = Object.entries(estimate.byModel).map(([model, tokens]) => {
    const [priced, fineTuned] =
      model === candidate.model ? [candidate.pricedAs, candidate.fineTuned] : [model, fineTunedName(model)];
    const price = inferencePrice(provider, modelRules(priced, provider).info?.name, fineTuned);
    return {
      model,
      ...tokens,
      ...(price
        ? {
            dollars:
              (tokens.inputTokens * price.inputPerMillion + tokens.outputTokens * price.outputPerMillion) /
              1e6,
          }
        : {}),
    };
  });
  const cost: EvaluationCost = {
    estimate: {
      examples: estimate.examples,
      longestReference: estimate.longestReference,
      total: estimate.total,
    },
    byModel,
    dollars: byModel.reduce((sum, entry) => sum + (entry.dollars ?? 0), 0),
    unpriced: byModel.filter((entry) => entry.dollars === undefined).map((entry) => entry.model),
  };
  core.info(logText(`The evaluation: ${costText(cost)}`));
  if (ceiling) {
    const total = cost.dollars + (ceiling.trainingCost ?? 0);
    if (total > ceiling.maxCost) {
      const training =
        ceiling.trainingCost !== undefined
          ? ` (training ${dollars(ceiling.trainingCost)}, evaluation ${dollars(cost.dollars)})`
          : '';
      throw new InputError(
        'max-cost',
        `is ${dollars(ceiling.maxCost)}, but this run would cost about ${dollars(total)}${training}; nothing was spent`,
      );
    }
    if (cost.unpriced.length > 0) {
      // core.warning escapes line breaks itself.
      core.warning(
        `max-cost does not cover ${cost.unpriced.join(', ')}: no inference price is known for them here`,
      );
    }
  }
  return cost;
}

/** Where the default baseline comes from after a job: its lineage (by the job's own tags), else its base model. */
interface Lineage {
  /** The `gha_lineage` tag of the candidate's job; undefined when the job carries none. */
  tag?: string;
  base: string;
  /** The candidate's own job, never its own baseline. */
  excludeJobId?: string;
}

/**
 * The baseline: the one named, none, or by default the model of the last succeeded job of the same
 * lineage (found by tag and kept only when the job's own metadata carries it), else the base model.
 * On Azure the default is what `deployment-name` serves (evaluateOnItsDeployment).
 */
async function resolveBaseline(
  client: JobClient,
  choice: EvaluationSettings['baseline'],
  lineage: Lineage,
): Promise<{ model?: string; why: string }> {
  if (choice.kind === 'none') return { why: 'baseline-model is none' };
  if (choice.kind === 'model') return { model: choice.model, why: choice.why ?? 'set by baseline-model' };
  if (lineage.tag) {
    const last = await lastSucceeded(client, lineage.tag, lineage.excludeJobId);
    if (last)
      return {
        model: last.fine_tuned_model!,
        why: `the model of ${last.id}, the last succeeded job of this model and method here`,
      };
  }
  return {
    model: lineage.base,
    why: 'the base model: no earlier job of this model and method here succeeded',
  };
}

/** The file the `eval-report` output points at: under RUNNER_TEMP, in a folder of its own. */
function reportFile(): string {
  const folder = mkdtempSync(path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'eval-report-'));
  return path.join(folder, 'eval-report.json');
}

/** Writes lines to a path checked when the inputs were read; never through a symlink put there since. */
function writeLines(file: string, lines: Iterable<string>): void {
  const fd = openSync(
    file,
    constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW,
    0o644,
  );
  try {
    for (const line of lines) writeSync(fd, `${line}\n`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Answers, grades and decides; writes the report (and record-answers), and records it all for the
 * outputs and the summary. A failed gate throws after everything is written (on-eval-fail: fail)
 * or warns (warn). Nothing is promoted here.
 */
export async function runEvaluation(
  client: JobClient,
  settings: EvaluationSettings,
  models: { candidate: string; baseline?: string; baselineWhy: string; recordSide: 'candidate' | 'baseline' },
  evaluation: EvaluationRecord,
  signal?: AbortSignal,
): Promise<void> {
  const { candidate, baseline } = models;
  evaluation.candidate = candidate;
  evaluation.baseline = baseline;
  evaluation.baselineWhy = models.baselineWhy;
  const answerer = new Answerer((body, requestSignal) => client.chat(body, requestSignal));
  const cap = answerCap(evaluation.cost.estimate.longestReference);
  const against = baseline
    ? ` against ${logText(baseline)} (${logText(models.baselineWhy)})`
    : ' with no baseline';
  const result = await core.group(`Evaluate ${logText(candidate)}${against}`, () =>
    evaluate({
      examples: readExamples(createReadStream(settings.file), settings.graders),
      graders: settings.graders,
      answer: (model, prompt, requestSignal) => answerer.answer(model, prompt, cap, requestSignal),
      ask: (model, messages, params, requestSignal) => answerer.judge(model, messages, params, requestSignal),
      candidate,
      ...(baseline !== undefined ? { baseline } : {}),
      concurrency: settings.concurrency,
      ...(signal ? { signal } : {}),
    }),
  );
  const rules = {
    ...(settings.minScore !== undefined ? { minScore: settings.minScore } : {}),
    maxRegression: settings.maxRegression,
  };
  const decision = gate({
    candidate: result.summary.candidate.score,
    baseline: result.summary.baseline?.score,
    ...rules,
  });
  const report = buildReport(result, settings.graders, decision, rules);
  evaluation.report = report;
  evaluation.passed = decision.passed;
  const file = reportFile();
  writeFileSync(file, JSON.stringify(report));
  evaluation.reportPath = file;
  if (settings.recordAnswers) {
    writeLines(
      settings.recordAnswers,
      result.records.map((record) => answerLine(record, models.recordSide)),
    );
    evaluation.recordedAnswers = settings.recordAnswers;
  }
  const scores = `${result.summary.candidate.score.toFixed(4)}${result.summary.baseline ? ` against the baseline's ${result.summary.baseline.score.toFixed(4)}` : ''}`;
  if (decision.passed) {
    core.info(`The evaluation gate passed: mean score ${scores}`);
    return;
  }
  const failed = `The evaluation gate failed: ${decision.reasons.join('; ')}`;
  if (settings.onFail === 'warn') {
    core.warning(`${failed} (on-eval-fail: warn; nothing was promoted)`);
    return;
  }
  throw new Error(`${failed}; nothing was promoted`);
}

/** Mode evaluate's and a job's evaluation both start here: a record, in the run's record. */
export function startEvaluation(record: RunRecord, cost: EvaluationCost): EvaluationRecord {
  record.evaluation = { cost, promoted: false };
  return record.evaluation;
}

/**
 * fine-tune, before anything is uploaded: the evaluation of the model to come, priced at the
 * fine-tuned rate of its base model, against the baseline it would meet today; `max-cost` covers
 * the training and this together.
 */
export async function estimateBeforeTraining(
  config: FineTuneConfig,
  client: JobClient,
  record: RunRecord,
): Promise<void> {
  const settings = config.evaluation;
  if (!settings) return;
  const base = config.job.model;
  const { model: baseline } = await resolveBaseline(client, settings.baseline, {
    tag: lineageTag(config.job, config.run.repository),
    base,
  });
  const candidate = { model: `${base} (fine-tuned)`, pricedAs: base, fineTuned: true };
  const ceiling =
    config.maxCost !== undefined
      ? {
          maxCost: config.maxCost,
          ...(record.data?.cost !== undefined ? { trainingCost: record.data.cost } : {}),
        }
      : undefined;
  startEvaluation(
    record,
    await estimateCost(settings, config.connection.provider, candidate, baseline, ceiling),
  );
}

/**
 * fine-tune and wait, once the job succeeded (or was reused): its model against the baseline. On
 * Azure (`deployment-name`) the model answers from a deployment of its own, and deployment-name
 * serves it only when the gate passes. A job that did not succeed (wait: false, on-timeout:
 * continue) has no model to evaluate.
 */
export async function evaluateAfterJob(
  config: FineTuneConfig | WaitConfig,
  client: JobClient,
  record: RunRecord,
  context: FollowContext,
): Promise<void> {
  const settings = config.evaluation;
  const job = record.job;
  if (!settings || !job) return;
  if (job.status !== 'succeeded' || !job.fine_tuned_model) {
    const why = `eval-file: job ${job.id} is ${job.status}, so there was no model to evaluate`;
    record.notes.push(`${why}.`);
    core.warning(why);
    return;
  }
  const candidate = job.fine_tuned_model;
  const priced = { model: candidate, pricedAs: candidate, fineTuned: true };
  if (config.deploy) {
    await evaluateOnItsDeployment(config, config.deploy, client, record, context, priced);
    return;
  }
  const lineage = {
    tag: job.metadata?.[TAG.lineage] ?? record.tags?.lineage,
    base: job.model,
    excludeJobId: job.id,
  };
  const baseline = await resolveBaseline(client, settings.baseline, lineage);
  const evaluation =
    record.evaluation ??
    startEvaluation(record, await estimateCost(settings, config.connection.provider, priced, baseline.model));
  await runEvaluation(
    client,
    settings,
    {
      candidate,
      ...(baseline.model ? { baseline: baseline.model } : {}),
      baselineWhy: baseline.why,
      recordSide: 'baseline',
    },
    evaluation,
    context.signal,
  );
}

/**
 * Azure: a fine-tuned model answers only from a deployment. The candidate gets one of its own for
 * the evaluation (deleted in every outcome), the baseline answers through deployment-name, and a
 * passing gate points deployment-name at the candidate.
 */
async function evaluateOnItsDeployment(
  config: FineTuneConfig | WaitConfig,
  deploy: DeploySettings,
  client: JobClient,
  record: RunRecord,
  context: FollowContext,
  priced: Candidate,
): Promise<void> {
  const settings = config.evaluation!;
  const { evaluateAndPromote } = await import('./promote.js');
  const choice = settings.baseline;
  const baseline: Baseline =
    choice.kind === 'none' ? 'none' : choice.kind === 'model' ? { deployment: choice.model } : 'served';
  const evaluation =
    record.evaluation ??
    startEvaluation(
      record,
      await estimateCost(
        settings,
        config.connection.provider,
        priced,
        choice.kind === 'none' ? undefined : choice.kind === 'model' ? choice.model : deploy.name,
      ),
    );
  const run = 'run' in config ? config.run : (await import('../github/context.js')).readRunContext();
  const result = await evaluateAndPromote(deploy, record, context, {
    run,
    baseline,
    evaluate: async (candidateDeployment, baselineDeployment) => {
      const why = choice.kind === 'model' ? 'set by baseline-model' : `the model ${deploy.name} serves now`;
      await runEvaluation(
        client,
        settings,
        {
          candidate: candidateDeployment,
          ...(baselineDeployment
            ? { baseline: baselineDeployment, baselineWhy: why }
            : { baselineWhy: 'none' }),
          recordSide: 'baseline',
        },
        evaluation,
        context.signal,
      );
      return { passed: evaluation.passed === true };
    },
  });
  evaluation.promoted = result?.promoted === true;
}
