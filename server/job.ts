// One fine-tuning job's lifecycle. Nothing runs in the background: every read first calls
// advance(now), which replays whatever happened since the last read, stamping each event with the
// moment it was due rather than the moment it was observed. Paused time simply never elapses.
import { randomBytes } from 'node:crypto';
import type { FineTuningJob, FineTuningJobEvent } from 'openai/resources/fine-tuning/jobs/jobs';
import type { FineTuningJobCheckpoint } from 'openai/resources/fine-tuning/jobs/checkpoints';
import { invalidRequest } from './errors.ts';
import type { FileStore } from './files.ts';
import {
  methodView,
  resolveAuto,
  topLevelView,
  type Hyperparameters,
  type RequestedMethod,
} from './hyperparameters.ts';
import { newId, unixSeconds } from './ids.ts';
import { defaultJobError, type JobError, type JobPlan } from './job-plan.ts';
import { metricsAt, metricsMessage, resultsCsv, spreadSteps, type Evaluation } from './metrics.ts';
import type { ModelCatalog } from './models.ts';
import type { ProfileRules } from './profile.ts';

export type JobStatus = FineTuningJob['status'] | 'paused';
/** The job object as this server sends it: `paused` is a status the pause endpoint answers. */
export type WireJob = Omit<FineTuningJob, 'status'> & { status: JobStatus };

/** What a finishing job needs from the rest of the service. */
export interface JobEnvironment {
  files: FileStore;
  models: ModelCatalog;
  organizationId: string;
  /** The organization's name as it appears in model names (`ft:model:NAME:suffix:id`). */
  organizationName: string;
  /** How the API plays: its model names, whether jobs echo metadata, the hyperparameters it takes. */
  rules: ProfileRules;
}

export interface JobInput {
  model: string;
  trainingFile: string;
  validationFile: string | null;
  /** Training examples, read from the training file at creation. */
  examples: number;
  suffix: string | null;
  seed: number;
  metadata: Record<string, string> | null;
  integrations: NonNullable<FineTuningJob['integrations']>;
  method: RequestedMethod;
}

interface Schedule {
  totalSteps: number;
  metricSteps: number[];
  checkpointSteps: number[];
}

const TERMINAL: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'cancelled']);

export class Job {
  readonly id = newId.job();
  /** What `created_at` shows, in milliseconds; the store keeps jobs in this order. */
  readonly createdMs: number;
  readonly input: JobInput;
  private readonly plan: JobPlan;
  private readonly env: JobEnvironment;

  private status: JobStatus = 'validating_files';
  /** When the current timed phase (validating, queued, running) began. */
  private phaseStartMs: number;
  /** Training time already spent before the current running stretch (it stops while paused). */
  private trainedMs = 0;
  private resolved: Hyperparameters | null = null;
  private schedule: Schedule | null = null;
  private nextMetric = 0;
  private nextCheckpoint = 0;
  private readonly events: FineTuningJobEvent[] = [];
  private readonly checkpoints: FineTuningJobCheckpoint[] = [];
  private finishedMs: number | null = null;
  private fineTunedModel: string | null = null;
  private resultFiles: string[] = [];
  private error: JobError | null = null;
  /**
   * The training file's tokens (one epoch), counted as the action counts them; `null` while still
   * being counted, which a job finishing its training waits for.
   */
  private tokensPerEpoch: number | null = null;
  private countedMs = 0;

  constructor(input: JobInput, plan: JobPlan, env: JobEnvironment, now: number) {
    this.input = input;
    this.plan = plan;
    this.env = env;
    this.createdMs = now;
    this.phaseStartMs = now;
    this.log(now, `Created fine-tuning job: ${this.id}`);
    this.log(
      now,
      input.validationFile === null
        ? `Validating training file: ${input.trainingFile}`
        : `Validating training file: ${input.trainingFile} and validation file: ${input.validationFile}`,
    );
  }

  advance(now: number): void {
    for (;;) {
      if (this.status === 'validating_files') {
        const end = this.phaseStartMs + this.plan.validatingMs;
        if (now < end) return;
        if (this.plan.outcome === 'failed' && this.plan.failAt === 'validating_files') return this.fail(end);
        this.log(end, 'Files validated, moving job to queued state');
        this.enter('queued', end);
      } else if (this.status === 'queued') {
        const end = this.phaseStartMs + this.plan.queuedMs;
        if (now < end) return;
        this.startTraining(end);
      } else if (this.status === 'running') {
        const end = this.phaseStartMs + this.plan.runningMs - this.trainedMs;
        if (now < end) return this.logProgress((due) => due <= now);
        if (this.plan.outcome === 'succeeded') {
          // A large file may still be being counted: the job finishes once its tokens are known.
          if (this.tokensPerEpoch === null) return this.logProgress((due) => due < end);
          this.logProgress((due) => due <= end);
          return this.succeed(Math.max(end, this.countedMs));
        }
        // A failing run fails when its time is up, before the last step it would have logged.
        this.logProgress((due) => due < end);
        return this.fail(end);
      } else {
        return;
      }
    }
  }

  /** Records the training file's tokens per epoch, counted at `now`. */
  counted(tokensPerEpoch: number, now: number): void {
    this.tokensPerEpoch = tokensPerEpoch;
    this.countedMs = now;
  }

  pause(now: number): void {
    this.advance(now);
    if (this.status !== 'running') {
      throw invalidRequest(
        `Cannot pause job ${this.id}: its status is ${this.status}, and only running jobs can be paused.`,
      );
    }
    this.trainedMs += now - this.phaseStartMs;
    this.status = 'paused';
    this.log(now, 'Fine-tuning job paused');
  }

  resume(now: number): void {
    this.advance(now);
    if (this.status !== 'paused') {
      throw invalidRequest(
        `Cannot resume job ${this.id}: its status is ${this.status}, and only paused jobs can be resumed.`,
      );
    }
    // As the API's own resume example shows, a resumed job waits in the queue again first.
    this.log(now, 'Fine-tuning job resumed');
    this.enter('queued', now);
  }

  cancel(now: number): void {
    this.advance(now);
    if (TERMINAL.has(this.status)) {
      throw invalidRequest(
        `Cannot cancel job ${this.id}: it has already finished with status ${this.status}.`,
      );
    }
    this.status = 'cancelled';
    this.finishedMs = now;
    this.log(now, 'Fine-tuning job cancelled');
  }

  view(): WireJob {
    const hyperparameters = this.resolved ?? this.input.method.hyperparameters;
    return {
      object: 'fine_tuning.job',
      id: this.id,
      model: this.input.model,
      created_at: unixSeconds(this.createdMs),
      finished_at: this.finishedMs === null ? null : unixSeconds(this.finishedMs),
      fine_tuned_model: this.fineTunedModel,
      organization_id: this.env.organizationId,
      result_files: [...this.resultFiles],
      status: this.status,
      validation_file: this.input.validationFile,
      training_file: this.input.trainingFile,
      hyperparameters: topLevelView(hyperparameters) as WireJob['hyperparameters'],
      trained_tokens:
        this.status === 'succeeded' ? this.tokensPerEpoch! * Number(hyperparameters.n_epochs) : null,
      error: this.error,
      integrations: this.input.integrations,
      seed: this.input.seed,
      estimated_finish: this.estimatedFinish(),
      method: methodView(this.input.method, hyperparameters) as unknown as WireJob['method'],
      metadata: this.env.rules.echoMetadata ? this.input.metadata : null,
    };
  }

  /** Events, newest first, as the events endpoint lists them. */
  eventsNewestFirst(): FineTuningJobEvent[] {
    return [...this.events].reverse();
  }

  /** Checkpoints, newest first, as the checkpoints endpoint lists them. */
  checkpointsNewestFirst(): FineTuningJobCheckpoint[] {
    return [...this.checkpoints].reverse();
  }

  private enter(status: JobStatus, at: number): void {
    this.status = status;
    this.phaseStartMs = at;
  }

  private startTraining(at: number): void {
    if (this.schedule === null) {
      this.resolved = resolveAuto(this.input.method.hyperparameters, this.input.examples);
      const batches = Math.ceil(Math.max(1, this.input.examples) / Number(this.resolved.batch_size));
      const totalSteps = this.plan.totalSteps ?? Number(this.resolved.n_epochs) * batches;
      this.schedule = {
        totalSteps,
        metricSteps: spreadSteps(totalSteps, this.plan.metricEvents),
        checkpointSteps: spreadSteps(totalSteps, this.plan.checkpoints),
      };
      this.log(at, 'Fine-tuning job started');
    }
    this.enter('running', at);
  }

  /** Writes the metric events and intermediate checkpoints whose due instant passes `reached`. */
  private logProgress(reached: (dueMs: number) => boolean): void {
    const schedule = this.schedule!;
    const dueAt = (step: number) =>
      this.phaseStartMs - this.trainedMs + (this.plan.runningMs * step) / schedule.totalSteps;
    for (; this.nextMetric < schedule.metricSteps.length; this.nextMetric++) {
      const step = schedule.metricSteps[this.nextMetric];
      if (!reached(dueAt(step))) break;
      const metrics = metricsAt(step, schedule.totalSteps, this.input.seed, this.evaluationAt(step));
      this.log(dueAt(step), metricsMessage(metrics, schedule.totalSteps), 'metrics', {
        ...metrics,
        total_steps: schedule.totalSteps,
      });
    }
    // The last checkpoint is the finished model itself, written when the job succeeds.
    for (; this.nextCheckpoint < schedule.checkpointSteps.length - 1; this.nextCheckpoint++) {
      const step = schedule.checkpointSteps[this.nextCheckpoint];
      if (!reached(dueAt(step))) break;
      this.addCheckpoint(step, dueAt(step), `${this.modelName()}:ckpt-step-${step}`);
    }
  }

  private succeed(at: number): void {
    const schedule = this.schedule!;
    this.fineTunedModel = this.modelName();
    this.addCheckpoint(schedule.totalSteps, at, this.fineTunedModel);
    // As the real API does, checkpoint events come at the end, for the intermediate ones only.
    for (const checkpoint of this.checkpoints.slice(0, -1)) {
      this.log(
        at,
        `Checkpoint created at step ${checkpoint.step_number} with Snapshot ID: ${checkpoint.fine_tuned_model_checkpoint}`,
      );
    }
    this.log(at, `New fine-tuned model created: ${this.fineTunedModel}`);
    const csv = resultsCsv(schedule.totalSteps, this.input.seed, (step) => this.evaluationAt(step));
    // The service serves the results file base64-encoded; clients decode it themselves.
    const results = this.env.files.writeGenerated(
      'step_metrics.csv',
      'fine-tune-results',
      Buffer.from(csv).toString('base64'),
      at,
    );
    this.resultFiles = [results.id];
    this.env.models.addFineTuned(
      this.fineTunedModel,
      this.input.model,
      unixSeconds(at),
      this.env.organizationId,
    );
    this.log(at, 'Evaluating model against our usage policies');
    this.log(at, 'Usage policy evaluations completed, model is now enabled for sampling');
    this.log(at, 'The job has successfully completed');
    this.status = 'succeeded';
    this.finishedMs = at;
  }

  private fail(at: number): void {
    this.error = this.plan.error ?? defaultJobError(this.plan.failAt);
    this.log(at, this.error.message, 'message', {}, 'error');
    this.status = 'failed';
    this.finishedMs = at;
  }

  private addCheckpoint(step: number, at: number, name: string): void {
    const schedule = this.schedule!;
    this.checkpoints.push({
      object: 'fine_tuning.job.checkpoint',
      id: newId.checkpoint(),
      created_at: unixSeconds(at),
      fine_tuned_model_checkpoint: name,
      fine_tuning_job_id: this.id,
      metrics: metricsAt(step, schedule.totalSteps, this.input.seed, this.evaluationAt(step)),
      step_number: step,
    });
  }

  // Validation figures exist only with a validation file: a batch at each checkpoint, and the
  // whole validation set once, at the last step.
  private evaluationAt(step: number): Evaluation {
    const schedule = this.schedule!;
    if (this.input.validationFile === null) return 'none';
    if (step === schedule.totalSteps) return 'full';
    return schedule.checkpointSteps.includes(step) ? 'batch' : 'none';
  }

  /**
   * A fresh model name; checkpoints and the final model each get their own id, as in the real API.
   * OpenAI's is `ft:base:org:suffix:id`, Azure's `base.ft-<32 hex>` with `-suffix` after it.
   */
  private modelName(): string {
    const { model, suffix } = this.input;
    if (this.env.rules.modelNames === 'azure')
      return `${model}.ft-${randomBytes(16).toString('hex')}${suffix ? `-${suffix}` : ''}`;
    return `ft:${model}:${this.env.organizationName}:${suffix ?? ''}:${newId.modelTag()}`;
  }

  private estimatedFinish(): number | null {
    if (!this.plan.estimatedFinish || this.status !== 'running') return null;
    return unixSeconds(this.phaseStartMs + this.plan.runningMs - this.trainedMs);
  }

  private log(
    atMs: number,
    message: string,
    type: FineTuningJobEvent['type'] = 'message',
    data: Record<string, unknown> = {},
    level: FineTuningJobEvent['level'] = 'info',
  ): void {
    this.events.push({
      object: 'fine_tuning.job.event',
      id: newId.event(),
      created_at: unixSeconds(atMs),
      level,
      message,
      type,
      data,
    });
  }
}
