import type { FineTuneConfig } from '../../src/inputs/types.js';
import { modelRules } from '../../src/data/models.js';
import { CONNECTION } from './connection.js';

/** A fine-tune config as readConfig would make it for a local training file, with fast waits. */
export function fineTuneConfig(
  training: { path: string; given: string },
  overrides: Partial<FineTuneConfig> = {},
): FineTuneConfig {
  const model = overrides.job?.model ?? 'gpt-4o-mini-2024-07-18';
  return {
    mode: 'fine-tune',
    connection: CONNECTION,
    run: { repository: 'octo-org/models', runId: '99', attempt: '1', job: 'train', action: 'fine-tune' },
    cancelOnAbort: true,
    training: { kind: 'path', ...training },
    job: { model: 'gpt-4o-mini-2024-07-18', method: { type: 'supervised', supervised: {} } },
    modelRules: modelRules(model, CONNECTION.provider),
    validate: true,
    skipIfUnchanged: false,
    waitForJob: true,
    followOptions: { timeoutMs: 5_000, pollIntervalMs: 5, maxPollIntervalMs: 20, onTimeout: 'fail' },
    ...overrides,
  };
}
