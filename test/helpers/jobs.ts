import type { FineTuningJob, FineTuningJobEvent } from 'openai/resources/fine-tuning/jobs/jobs';

let counter = 0;

/** A job object shaped as the API returns it; tests override the fields their case is about. */
export function makeJob(overrides: Partial<FineTuningJob> = {}): FineTuningJob {
  return {
    id: 'ftjob-test1',
    object: 'fine_tuning.job',
    created_at: 1_763_780_000,
    error: null,
    fine_tuned_model: null,
    finished_at: null,
    hyperparameters: { batch_size: 'auto', learning_rate_multiplier: 'auto', n_epochs: 'auto' },
    model: 'gpt-4o-mini-2024-07-18',
    organization_id: 'org-test',
    result_files: [],
    seed: 42,
    status: 'validating_files',
    trained_tokens: null,
    training_file: 'file-train',
    validation_file: null,
    method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 'auto' } } },
    ...overrides,
  };
}

export function makeEvent(message: string, overrides: Partial<FineTuningJobEvent> = {}): FineTuningJobEvent {
  counter += 1;
  return {
    id: `ftevent-${counter}`,
    object: 'fine_tuning.job.event',
    created_at: 1_763_780_000 + counter,
    level: 'info',
    message,
    type: 'message',
    ...overrides,
  };
}

export function succeededJob(overrides: Partial<FineTuningJob> = {}): FineTuningJob {
  return makeJob({
    status: 'succeeded',
    fine_tuned_model: 'ft:gpt-4o-mini-2024-07-18:org-test::abc123',
    finished_at: 1_763_780_600,
    trained_tokens: 12_345,
    result_files: ['file-result'],
    hyperparameters: { batch_size: 1, learning_rate_multiplier: 1.8, n_epochs: 3 },
    method: {
      type: 'supervised',
      supervised: { hyperparameters: { batch_size: 1, learning_rate_multiplier: 1.8, n_epochs: 3 } },
    },
    ...overrides,
  });
}

/**
 * Other teams' jobs on a shared account, as a server that ignores the metadata filter (Azure's v1
 * API) answers them to any list: running, queued and succeeded, each with no metadata at all,
 * with null metadata, with metadata of their own, and with this action's tag keys holding other
 * values (another workflow's jobs). None of them is this action's to attach to, reuse or cancel.
 */
export function othersJobs(): FineTuningJob[] {
  const metadata: Array<[string, Record<string, string> | null | undefined]> = [
    ['untagged', undefined],
    ['null', null],
    ['team', { team: 'search', owner: 'alice' }],
    [
      'tagged',
      {
        gha_intent: 'f'.repeat(32),
        gha_settings: 'e'.repeat(32),
        gha_run: 'other-org/search/actions/runs/5/attempts/1',
      },
    ],
  ];
  return metadata.flatMap(([kind, tags]) =>
    (['running', 'queued', 'succeeded'] as const).map((status) => {
      const fields = {
        id: `ftjob-others-${kind}-${status}`,
        ...(tags !== undefined ? { metadata: tags } : {}),
      };
      return status === 'succeeded'
        ? succeededJob({ ...fields, fine_tuned_model: `ft:gpt-4o-mini-2024-07-18:search::${kind}` })
        : makeJob({ ...fields, status });
    }),
  );
}
