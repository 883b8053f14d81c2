// The fine-tuning jobs of one server: creation with the checks the real API makes before it
// accepts a job, lookup, and the filtered, newest-first listing.
import { randomInt } from 'node:crypto';
import { invalidRequest, jobNotFound } from './errors.ts';
import type { StoredFile } from './files.ts';
import {
  rejectUnknownHyperparameters,
  requestedMethod,
  type Hyperparameters,
  type MethodRequest,
} from './hyperparameters.ts';
import { Job, type JobEnvironment } from './job.ts';
import type { JobPlan } from './job-plan.ts';
import { encodingFor, fileTokens } from './tokens.ts';

/** The create body as the contract admits it. */
export interface CreateJobBody {
  model: string;
  training_file: string;
  validation_file?: string | null;
  suffix?: string | null;
  seed?: number | null;
  metadata?: Record<string, string> | null;
  integrations?: Array<{
    type: 'wandb';
    wandb: { project: string; name?: string | null; entity?: string | null; tags?: string[] };
  }> | null;
  hyperparameters?: Hyperparameters;
  method?: MethodRequest;
  /** Azure's training tier; Microsoft's spec does not name it, its documentation does. */
  trainingType?: string;
}

const TRAINING_TYPES = ['standard', 'globalstandard', 'developer'];

const METADATA_LIMITS = { pairs: 16, keyLength: 64, valueLength: 512 };

export class JobStore {
  private readonly env: JobEnvironment;
  private readonly all: Job[] = [];
  private readonly closing = new AbortController();

  constructor(env: JobEnvironment) {
    this.env = env;
  }

  create(body: CreateJobBody, plan: JobPlan, now: number): Job {
    rejectUnknownHyperparameters(body.method, body.hyperparameters, this.env.rules.extraHyperparameters);
    if (this.env.rules.trainingType && body.trainingType !== undefined) checkTrainingType(body.trainingType);
    const method = requestedMethod(body.method, body.hyperparameters);
    const model = this.env.models.fineTuningTarget(body.model, method.type);
    const training = this.usableFile(body.training_file, 'training_file', now);
    const validation = body.validation_file
      ? this.usableFile(body.validation_file, 'validation_file', now)
      : null;
    const job = new Job(
      {
        model,
        trainingFile: training.id,
        validationFile: validation?.id ?? null,
        examples: training.stats.examples,
        suffix: body.suffix ?? null,
        seed: body.seed ?? randomInt(0, 2147483647),
        metadata: checkedMetadata(body.metadata ?? null),
        integrations: (body.integrations ?? []).map(({ wandb }) => ({
          type: 'wandb' as const,
          wandb: {
            project: wandb.project,
            name: wandb.name ?? null,
            entity: wandb.entity ?? null,
            tags: wandb.tags ?? [],
          },
        })),
        method,
      },
      plan,
      this.env,
      now,
    );
    this.add(job);
    this.countTokens(job, training.path);
    return job;
  }

  /** Stops counting the tokens of training files (the server is closing). */
  close(): void {
    this.closing.abort();
  }

  // Counted after the answer, as the service trains after it accepts: a file of gigabytes takes
  // minutes to count, which no client waits for on creation.
  private countTokens(job: Job, path: string): void {
    const { type } = job.input.method;
    fileTokens(path, type, encodingFor(job.input.model), this.closing.signal).then(
      (tokens) => job.counted(tokens, Date.now()),
      (error: unknown) => {
        if (this.closing.signal.aborted) return;
        // A file deleted while being counted: the job still finishes, having trained nothing countable.
        console.error('local OpenAI API: could not count tokens', error);
        job.counted(0, Date.now());
      },
    );
  }

  /** Stores a job made elsewhere (a seeded one), in order of creation whatever its `createdMs`. */
  add(job: Job): void {
    let at = this.all.length;
    while (at > 0 && this.all[at - 1].createdMs > job.createdMs) at--;
    this.all.splice(at, 0, job);
  }

  require(id: string, now: number): Job {
    const job = this.all.find((candidate) => candidate.id === id);
    if (!job) throw jobNotFound(id);
    job.advance(now);
    return job;
  }

  /**
   * Jobs newest first (the later stored first when created in the same millisecond), brought up to
   * date. `metadata` keeps jobs whose metadata holds every given pair; `null` keeps jobs without
   * metadata, as `metadata=null` asks.
   */
  /** The succeeded job whose model (or one of whose checkpoints) `model` is, if any. */
  trainedModel(model: string, now: number): Job | undefined {
    return this.list(now).find((job) => {
      const view = job.view();
      return (
        view.status === 'succeeded' &&
        (view.fine_tuned_model === model ||
          job.checkpointsNewestFirst().some((c) => c.fine_tuned_model_checkpoint === model))
      );
    });
  }

  list(now: number, metadata?: Record<string, string> | null): Job[] {
    const jobs = [...this.all].reverse();
    for (const job of jobs) job.advance(now);
    if (metadata === undefined) return jobs;
    return jobs.filter((job) => {
      const own = job.input.metadata;
      if (metadata === null) return own === null || Object.keys(own).length === 0;
      return own !== null && Object.entries(metadata).every(([key, value]) => own[key] === value);
    });
  }

  private usableFile(id: string, param: 'training_file' | 'validation_file', now: number): StoredFile {
    const file = this.env.files.get(id, now);
    if (!file) throw invalidRequest(`invalid ${param}: ${id}`, param);
    if (file.purpose !== 'fine-tune') {
      throw invalidRequest(
        `Invalid ${param}: file ${id} has purpose '${file.purpose}', but fine-tuning needs purpose 'fine-tune'.`,
        param,
      );
    }
    if (now < file.readyAtMs) throw invalidRequest(`File ${id} is not ready`, param);
    if (this.env.files.status(file, now) === 'error')
      throw invalidRequest(`Invalid ${param}: file ${id} failed processing: ${file.problem}`, param);
    return file;
  }
}

function checkTrainingType(value: unknown): void {
  if (typeof value === 'string' && TRAINING_TYPES.includes(value)) return;
  throw invalidRequest(
    `Invalid value: '${String(value)}'. Supported values are: ${TRAINING_TYPES.map((t) => `'${t}'`).join(', ')}.`,
    'trainingType',
    'invalid_value',
  );
}

export function checkedMetadata(metadata: Record<string, string> | null): Record<string, string> | null {
  if (metadata === null) return null;
  const entries = Object.entries(metadata);
  if (entries.length > METADATA_LIMITS.pairs) {
    throw invalidRequest(
      `Invalid 'metadata': too many properties. Expected an object with at most ${METADATA_LIMITS.pairs} properties, but got an object with ${entries.length} properties instead.`,
      'metadata',
      'object_above_max_properties',
    );
  }
  for (const [key, value] of entries) {
    if (key.length > METADATA_LIMITS.keyLength) {
      throw invalidRequest(
        `Invalid 'metadata': key '${key}' is longer than ${METADATA_LIMITS.keyLength} characters.`,
        'metadata',
        'invalid_value',
      );
    }
    if (typeof value !== 'string' || value.length > METADATA_LIMITS.valueLength) {
      throw invalidRequest(
        `Invalid 'metadata.${key}': expected a string of at most ${METADATA_LIMITS.valueLength} characters.`,
        `metadata.${key}`,
        'invalid_value',
      );
    }
  }
  return metadata;
}
