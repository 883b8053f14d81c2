// The fine-tuning method of a job and its hyperparameters: what the request asked for (with
// unspecified values as "auto"), and the concrete values the service picks once training starts.
import { invalidRequest } from './errors.ts';
import type { MethodType } from './models.ts';

type Value = string | number;
export type Hyperparameters = Record<string, Value>;

export interface RequestedMethod {
  type: MethodType;
  hyperparameters: Hyperparameters;
  /** The reinforcement grader, echoed back as given. */
  grader?: unknown;
}

const KEYS: Record<MethodType, Record<string, Value>> = {
  supervised: { batch_size: 'auto', learning_rate_multiplier: 'auto', n_epochs: 'auto' },
  dpo: { beta: 'auto', batch_size: 'auto', learning_rate_multiplier: 'auto', n_epochs: 'auto' },
  reinforcement: {
    batch_size: 'auto',
    learning_rate_multiplier: 'auto',
    n_epochs: 'auto',
    reasoning_effort: 'default',
    compute_multiplier: 'auto',
    eval_interval: 'auto',
    eval_samples: 'auto',
  },
};

/** The create body's `method`: a type, and settings under the key of that type. */
export type MethodRequest = { type: MethodType } & Partial<
  Record<MethodType, { hyperparameters?: Hyperparameters; grader?: unknown }>
>;

/** Reads the method from `method`, or from the deprecated top-level `hyperparameters` (supervised). */
export function requestedMethod(
  method: MethodRequest | undefined,
  legacy: Hyperparameters | undefined,
): RequestedMethod {
  if (!method) return { type: 'supervised', hyperparameters: { ...KEYS.supervised, ...legacy } };
  if (legacy) {
    throw invalidRequest(
      "Specify hyperparameters in 'method', not in both 'method' and the deprecated 'hyperparameters'.",
      'hyperparameters',
    );
  }
  for (const other of Object.keys(KEYS) as MethodType[]) {
    if (other !== method.type && method[other] !== undefined) {
      throw invalidRequest(
        `Invalid 'method': type is '${method.type}' but '${other}' settings were given.`,
        `method.${other}`,
      );
    }
  }
  const settings = method[method.type] ?? {};
  if (method.type === 'reinforcement' && settings.grader === undefined) {
    throw invalidRequest(
      "Missing required parameter: 'method.reinforcement.grader'.",
      'method.reinforcement.grader',
      'missing_required_parameter',
    );
  }
  return {
    type: method.type,
    hyperparameters: { ...KEYS[method.type], ...settings.hyperparameters },
    ...(method.type === 'reinforcement' ? { grader: settings.grader } : {}),
  };
}

/**
 * Refuses hyperparameters the method does not have, as the API does, but for `extra` ones (the LoRA
 * settings some compatible providers take). The contract leaves these objects open, so this is
 * the only check.
 */
export function rejectUnknownHyperparameters(
  method: MethodRequest | undefined,
  legacy: Hyperparameters | undefined,
  extra: readonly string[],
): void {
  const check = (given: Hyperparameters | undefined, type: MethodType, at: string) => {
    for (const key of Object.keys(given ?? {})) {
      if (key in KEYS[type] || extra.includes(key)) continue;
      throw invalidRequest(
        `Unrecognized request argument supplied: ${at}.${key}`,
        `${at}.${key}`,
        'unknown_parameter',
      );
    }
  };
  check(legacy, 'supervised', 'hyperparameters');
  if (method && method.type in KEYS)
    check(method[method.type]?.hyperparameters, method.type, `method.${method.type}.hyperparameters`);
}

/**
 * Replaces every "auto" with the value the service would choose for `examples` training examples.
 * The epoch rule is the one OpenAI documents for its default; the rest are the values its jobs
 * report for small datasets.
 */
export function resolveAuto(requested: Hyperparameters, examples: number): Hyperparameters {
  const n = Math.max(1, examples);
  const auto: Hyperparameters = {
    n_epochs:
      n * 3 < 100
        ? Math.min(25, Math.floor(100 / n))
        : n * 3 > 25000
          ? Math.max(1, Math.floor(25000 / n))
          : 3,
    batch_size: Math.min(256, Math.max(1, Math.round(n * 0.002))),
    learning_rate_multiplier: 1.8,
    beta: 0.1,
    compute_multiplier: 1,
    eval_interval: 1,
    eval_samples: 1,
  };
  const resolved: Hyperparameters = {};
  for (const [key, value] of Object.entries(requested)) {
    if (key === 'reasoning_effort') resolved[key] = value === 'default' ? 'medium' : value;
    else resolved[key] = value === 'auto' ? auto[key] : value;
  }
  return resolved;
}

/** The job's `method` field. */
export function methodView(
  method: RequestedMethod,
  hyperparameters: Hyperparameters,
): Record<string, unknown> {
  const settings: Record<string, unknown> = { hyperparameters };
  if (method.type === 'reinforcement') settings.grader = method.grader;
  return { type: method.type, [method.type]: settings };
}

/** The job's top-level `hyperparameters`: the three every method shares. */
export function topLevelView(hyperparameters: Hyperparameters): Hyperparameters {
  const { batch_size, learning_rate_multiplier, n_epochs } = hyperparameters;
  return { batch_size, learning_rate_multiplier, n_epochs };
}
