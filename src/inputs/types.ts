import type { Connection, JobSettings } from '../api/client.js';
import type { Provider } from '../api/provider.js';
import type { EntraSignIn } from '../api/sign-in.js';
import type { DataSource, LocalFile } from '../data/source.js';
import type { ModelRules } from '../data/models.js';
import type { KnownPrice } from '../data/prices.js';
import type { DeploymentSku } from '../facts/deployment.js';
import type { DeploymentTarget } from '../azure/names.js';
import type { RunContext } from '../github/context.js';

// The typed config the inputs are read into once; everything after the reader works from these.

export const MODES = ['fine-tune', 'wait', 'cancel', 'pause', 'resume', 'plan'] as const;
export type Mode = (typeof MODES)[number];
export const ON_TIMEOUT = ['fail', 'cancel', 'continue'] as const;
type OnTimeout = (typeof ON_TIMEOUT)[number];

/** How a fine-tune or wait run follows its job to the end. */
export interface FollowOptions {
  timeoutMs: number;
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  onTimeout: OnTimeout;
}

export interface FineTuneConfig {
  mode: 'fine-tune';
  connection: Connection;
  run: RunContext;
  cancelOnAbort: boolean;
  training: DataSource;
  validation?: DataSource;
  job: JobSettings;
  /** What the data check knows of the model on this provider. */
  modelRules: ModelRules;
  /** The training price for the cost estimate: the input's, else the built-in table's. */
  price?: KnownPrice;
  validate: boolean;
  /** Reuse a succeeded job for the same model, data and settings instead of training again. */
  skipIfUnchanged: boolean;
  /** Fail before uploading when the estimated billed tokens exceed this. */
  maxBilledTokens?: number;
  /** Fail before uploading when the estimated cost in US dollars exceeds this. */
  maxCost?: number;
  /** The `wait` input: follow the job once created, or return at once. */
  waitForJob: boolean;
  followOptions: FollowOptions;
  deploy?: DeploySettings;
}

/** wait: attach to a job and follow it exactly as fine-tune does after creating one. */
export interface WaitConfig {
  mode: 'wait';
  connection: Connection;
  jobId: string;
  cancelOnAbort: boolean;
  followOptions: FollowOptions;
  deploy?: DeploySettings;
}

export const DEPLOY_CHECKPOINTS = ['final', 'best'] as const;

/** Azure: deploy the model once the job succeeds (`deployment-name`), through Resource Manager. */
export interface DeploySettings extends DeploymentTarget {
  sku: DeploymentSku;
  capacity: number;
  /** `final`: the fine-tuned model; `best`: the checkpoint with the lowest validation loss. */
  checkpoint: (typeof DEPLOY_CHECKPOINTS)[number];
  /** Resource Manager takes no API key: the Entra sign-in, for its own scope. */
  signIn: EntraSignIn;
}

/** cancel, pause, resume: one change to a job, made only when the job is in a state to take it. */
export interface ManageConfig {
  mode: 'cancel' | 'pause' | 'resume';
  connection: Connection;
  jobId: string;
}

/**
 * plan: check the data, estimate, compare with the last model of the same lineage, and say on the
 * pull request what a merge would do. Reads only: it never uploads or creates.
 */
export interface PlanConfig {
  mode: 'plan';
  /** Undefined without credentials (a pull request from a fork gets no secrets): no comparison then. */
  connection?: Connection;
  provider: Provider;
  run: RunContext;
  training: LocalFile;
  validation?: LocalFile;
  job: Pick<JobSettings, 'model' | 'method'>;
  modelRules: ModelRules;
  price?: KnownPrice;
  skipIfUnchanged: boolean;
  /** The token that writes the pull-request comment; empty: no comment, the summary only. */
  githubToken: string;
}

type FollowingConfig = FineTuneConfig | WaitConfig;
export type Config = FollowingConfig | ManageConfig | PlanConfig;

/**
 * What the post step needs: it only ever cancels a job that a fine-tune or wait step left behind,
 * and deletes the candidate deployment (Azure) that step saved.
 */
export interface CleanupConfig {
  connection: Connection;
  cancelOnAbort: boolean;
  /** Where the candidate deployment lives, and the sign-in Resource Manager takes. */
  deploy?: DeploySettings;
}

/** fine-tune and wait follow a job to its end; cancel, pause and resume make one change to it. */
export const isFollowing = (config: Config): config is FollowingConfig => 'followOptions' in config;
