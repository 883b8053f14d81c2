import * as core from '@actions/core';
import type { JobCreateParams } from 'openai/resources/fine-tuning/jobs/jobs';
import type { JobSettings } from '../api/client.js';
import { TRAITS, type Provider } from '../api/provider.js';
import type { DataSource } from '../data/source.js';
import { methodProblem, modelRules, unknownModelMessage, type ModelRules } from '../data/models.js';
import { API_ID } from '../facts/ids.js';
import { InputError } from '../facts/input-error.js';
import type { MethodType } from '../facts/methods.js';
import { TAG, TAG_COUNT } from '../jobs/tags.js';
import { fileToRead, workspaceOf } from './files.js';
import {
  buildMethod,
  checkHyperparameters,
  isGraderPath,
  parseGrader,
  unknownHyperparameters,
} from './method.js';
import { parseMapping, parseStructured } from './parse.js';
import { choice, integer, structured, text } from './read.js';
import { describeValue, isMapping } from './values.js';

// What the job is: the model, its data, the method with its hyperparameters and grader, and the
// create request's other settings.

/** The values Azure takes for each `training-type` word. */
const TRAINING_TIERS = {
  standard: 'standard',
  global: 'globalstandard',
  developer: 'developer',
} as const satisfies Record<string, JobSettings['trainingType']>;
// The API holds 16 pairs; the action's own tags take their share.
const METADATA_MAX_PAIRS = 16 - TAG_COUNT;

export function readJobId(): string {
  const jobId = text('job-id');
  if (jobId === '') throw new InputError('job-id', 'is required in this mode: pass the ftjob-... id');
  if (!API_ID.test(jobId)) {
    throw new InputError('job-id', `must be a job id such as ftjob-abc123, got '${jobId}'`);
  }
  return jobId;
}

export function readModel(): string {
  const model = text('model');
  if (model === '')
    throw new InputError('model', 'is required: name the base model, e.g. gpt-4o-mini-2024-07-18');
  return model;
}

/** An uploaded file's id, or a local file under the workspace; undefined when not given. */
export function readDataSource(
  name: 'training-file' | 'validation-file',
  env: NodeJS.ProcessEnv,
): DataSource | undefined {
  const given = text(name);
  if (given === '') return undefined;
  if (/^file-[A-Za-z0-9_-]+$/.test(given)) return { kind: 'id', id: given };
  return { kind: 'path', path: fileToRead(name, given, env), given };
}

/**
 * The method with its hyperparameters and grader, checked against what the model trains with on
 * this provider; a model the table does not know is warned of here, once.
 */
export async function readMethod(
  model: string,
  provider: Provider,
  env: NodeJS.ProcessEnv,
): Promise<{ method: MethodType; rules: ModelRules; built: JobCreateParams.Method }> {
  const method = choice('method');
  const rules = modelRules(model, provider);
  const unfit = methodProblem(rules, method);
  if (unfit) throw new InputError('method', unfit);
  const unknown = unknownModelMessage(rules);
  if (unknown) core.warning(unknown, { title: 'Unknown model' });
  const ownKeys = TRAITS[provider].ownHyperparameters;
  const hyperparameters = await structured('hyperparameters', async (value) =>
    checkHyperparameters(method, await parseMapping(value), ownKeys),
  );
  const passedThrough = hyperparameters ? unknownHyperparameters(method, hyperparameters) : [];
  if (passedThrough.length > 0) {
    core.notice(
      `hyperparameters: ${passedThrough.join(', ')} passed to provider ${provider} as given, unchecked (its own settings)`,
    );
  }
  const grader = await readGrader(method, env);
  return { method, rules, built: buildMethod(method, hyperparameters, grader) };
}

async function readGrader(
  method: MethodType,
  env: NodeJS.ProcessEnv,
): Promise<Record<string, unknown> | undefined> {
  const given = text('grader');
  if (method !== 'reinforcement') {
    if (given !== '') throw new InputError('grader', `applies to method reinforcement only, not ${method}`);
    return undefined;
  }
  if (given === '') throw new InputError('grader', 'is required with method reinforcement');
  // A file is checked to lie in the workspace before a byte of it is read.
  const source = isGraderPath(given) ? fileToRead('grader', given, env) : given;
  return structured('grader', () => parseGrader(source, workspaceOf(env)));
}

/** The create request's settings beyond model and method: tier, suffix, seed, metadata, integrations. */
export async function readJobSettings(
  model: string,
  method: JobCreateParams.Method,
  provider: Provider,
): Promise<JobSettings> {
  const job: JobSettings = { model, method };
  const tier = choice('training-type');
  if (tier) {
    if (provider !== 'azure') {
      throw new InputError('training-type', `applies to provider azure, not ${provider}`);
    }
    job.trainingType = TRAINING_TIERS[tier];
  }
  const suffix = text('suffix');
  if (suffix !== '') {
    if (suffix.length > 64) throw new InputError('suffix', `must be 1-64 characters, got ${suffix.length}`);
    job.suffix = suffix;
  }
  const seed = integer('seed', 0, 2147483647);
  if (seed !== undefined) job.seed = seed;
  const metadata = await structured('metadata', readMetadata);
  if (metadata) job.metadata = metadata;
  const integrations = await structured('integrations', readIntegrations);
  if (integrations) job.integrations = integrations;
  return job;
}

async function readMetadata(value: string): Promise<Record<string, string>> {
  const entries = Object.entries(await parseMapping(value));
  if (entries.length > METADATA_MAX_PAIRS) {
    throw new Error(
      `has ${entries.length} pairs; at most ${METADATA_MAX_PAIRS} fit beside the action's ${TAG_COUNT} tags (the API holds 16)`,
    );
  }
  const reserved = entries.find(([key]) => (Object.values(TAG) as string[]).includes(key));
  if (reserved) throw new Error(`key '${reserved[0]}' is the action's own tag; choose another key`);
  const metadata: Record<string, string> = {};
  for (const [key, item] of entries) {
    if (key.length > 64) throw new Error(`key '${key.slice(0, 20)}...' is over 64 characters`);
    if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') {
      throw new Error(`value of '${key}' must be a string, got ${describeValue(item)}`);
    }
    const pairValue = String(item);
    if (pairValue.length > 512) throw new Error(`value of '${key}' is over 512 characters`);
    metadata[key] = pairValue;
  }
  return metadata;
}

async function readIntegrations(value: string): Promise<JobCreateParams.Integration[]> {
  const list = await parseStructured(value);
  if (!Array.isArray(list))
    throw new Error(
      `must be a list such as [{type: wandb, wandb: {project: p}}], got ${describeValue(list)}`,
    );
  return list.map((item, index) => {
    if (!isMapping(item) || item['type'] !== 'wandb') {
      throw new Error(
        `item ${index + 1} must be a mapping with type: wandb (the only integration the API has)`,
      );
    }
    const wandb = item['wandb'];
    if (!isMapping(wandb) || typeof wandb['project'] !== 'string' || wandb['project'] === '') {
      throw new Error(`item ${index + 1} needs wandb.project, the W&B project name`);
    }
    for (const key of Object.keys(wandb)) {
      if (!['project', 'name', 'entity', 'tags'].includes(key)) {
        throw new Error(
          `item ${index + 1} has unknown key wandb.${key}; allowed: project, name, entity, tags`,
        );
      }
    }
    const tags = wandb['tags'];
    if (tags !== undefined && (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string'))) {
      throw new Error(`item ${index + 1}: wandb.tags must be a list of strings`);
    }
    return item as unknown as JobCreateParams.Integration;
  });
}
