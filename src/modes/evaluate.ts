import * as core from '@actions/core';
import type { JobClient } from '../api/client.js';
import type { EvaluateConfig } from '../inputs/types.js';
import type { RunRecord } from '../report/record.js';
import { estimateCost, runEvaluation, startEvaluation } from './evaluation.js';

/**
 * Mode evaluate: an existing model against `baseline-model` on the eval file. It reads and asks
 * for chat completions only: nothing is created, uploaded or deployed.
 */
export async function evaluateModel(
  config: EvaluateConfig,
  client: JobClient,
  record: RunRecord,
  signal?: AbortSignal,
): Promise<void> {
  const settings = config.evaluation;
  const baseline = settings.baseline.kind === 'model' ? settings.baseline : undefined;
  const candidate = {
    model: config.model,
    pricedAs: config.model,
    fineTuned: config.model.startsWith('ft:'),
  };
  const cost = await core.group('Estimate the evaluation', () =>
    estimateCost(
      settings,
      config.connection.provider,
      candidate,
      baseline?.model,
      config.maxCost !== undefined ? { maxCost: config.maxCost } : undefined,
    ),
  );
  await runEvaluation(
    client,
    settings,
    {
      candidate: config.model,
      ...(baseline ? { baseline: baseline.model } : {}),
      baselineWhy: baseline ? (baseline.why ?? 'set by baseline-model') : 'baseline-model is none',
      recordSide: 'candidate',
    },
    startEvaluation(record, cost),
    signal,
  );
}
