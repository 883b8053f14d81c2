import type { JobCreateParams } from 'openai/resources/fine-tuning/jobs/jobs';

// The fine-tuning methods and what the API accepts for each: hyperparameter ranges and the fields
// a grader requires.

export type MethodType = JobCreateParams.Method['type'];
export const METHOD_TYPES: readonly MethodType[] = ['supervised', 'dpo', 'reinforcement'];

/** A number range as the API states it: `exclusiveMin` marks a bound the value must exceed. */
export interface NumberRule {
  kind: 'integer' | 'number';
  min: number;
  exclusiveMin?: boolean;
  max?: number;
}
export type HyperparameterRule = NumberRule | { kind: 'enum'; values: readonly string[] };

const BATCH_SIZE: NumberRule = { kind: 'integer', min: 1, max: 256 };
const LEARNING_RATE: NumberRule = { kind: 'number', min: 0, exclusiveMin: true };
const EPOCHS: NumberRule = { kind: 'integer', min: 1, max: 50 };

/**
 * Each method's hyperparameters and the ranges the API accepts, as written in the OpenAPI contract
 * (FineTune*Hyperparameters). A unit test compares this table with the contract, so the two cannot
 * drift; it lives here rather than as a schema validator at run time to keep start-up cheap.
 */
export const HYPERPARAMETER_RULES: Record<MethodType, Record<string, HyperparameterRule>> = {
  supervised: { batch_size: BATCH_SIZE, learning_rate_multiplier: LEARNING_RATE, n_epochs: EPOCHS },
  dpo: {
    batch_size: BATCH_SIZE,
    learning_rate_multiplier: LEARNING_RATE,
    n_epochs: EPOCHS,
    beta: { kind: 'number', min: 0, exclusiveMin: true, max: 2 },
  },
  reinforcement: {
    batch_size: BATCH_SIZE,
    learning_rate_multiplier: LEARNING_RATE,
    n_epochs: EPOCHS,
    compute_multiplier: { kind: 'number', min: 0.00001, exclusiveMin: true, max: 10 },
    eval_interval: { kind: 'integer', min: 1 },
    eval_samples: { kind: 'integer', min: 1 },
    reasoning_effort: { kind: 'enum', values: ['default', 'low', 'medium', 'high'] },
  },
};

/** The fields each grader type requires, from the contract's Grader* schemas (checked by a test). */
export const GRADER_REQUIRED: Record<string, readonly string[]> = {
  string_check: ['type', 'name', 'input', 'reference', 'operation'],
  text_similarity: ['type', 'name', 'input', 'reference', 'evaluation_metric'],
  python: ['type', 'name', 'source'],
  score_model: ['type', 'name', 'input', 'model'],
  multi: ['type', 'name', 'graders', 'calculate_output'],
};
