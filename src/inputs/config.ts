import * as core from '@actions/core';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import type { JobCreateParams } from 'openai/resources/fine-tuning/jobs/jobs';
import type { Connection, JobSettings } from '../api/client.js';
import { PROVIDERS, providerOf, TRAITS, type Provider } from '../api/provider.js';
import { DEFAULT_AUDIENCE, type EntraSignIn, type Keyless } from '../api/sign-in.js';
import {
  accountFromBaseURL,
  AZURE_MANAGEMENT_URL,
  DEPLOYMENT_SKUS,
  type DeploymentSku,
  type DeploymentTarget,
} from '../azure/deployment.js';
import type { RunContext } from '../github/context.js';
import { protectSecret } from '../github/secrets.js';
import { methodProblem, modelRules, unknownModelMessage, type ModelRules } from '../data/models.js';
import { notByTheToken, trainingPrice, type KnownPrice } from '../data/prices.js';
import { TAG, TAG_COUNT } from '../jobs/tags.js';
import {
  buildMethod,
  parseGrader,
  checkHyperparameters,
  METHOD_TYPES,
  unknownHyperparameters,
  type MethodType,
} from './method.js';
import {
  parseAmount,
  parseBoolean,
  parseDuration,
  parseInteger,
  parseMapping,
  parseStructured,
} from './parse.js';
import { describe, isMapping } from './values.js';
import { InputError } from '../facts/input-error.js';
import {
  readEvaluateConfig,
  readEvaluation,
  type EvaluateConfig,
  type EvaluationSettings,
} from './evaluation.js';

// The only module that reads inputs. Everything after it works from the typed Config, so a bad
// input fails here, before any request is sent.

export { InputError };

export const MODES = ['fine-tune', 'wait', 'cancel', 'pause', 'resume', 'plan', 'evaluate'] as const;
export type Mode = (typeof MODES)[number];
export type OnTimeout = 'fail' | 'cancel' | 'continue';

/** How a fine-tune or wait run follows its job to the end. */
export interface FollowOptions {
  timeoutMs: number;
  pollIntervalMs: number;
  maxPollIntervalMs: number;
  onTimeout: OnTimeout;
}

/** A training or validation file: already uploaded (an id), or a local JSONL file to upload. */
export type DataSource = { kind: 'id'; id: string } | LocalFile;
export type LocalFile = { kind: 'path'; path: string; given: string };

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
  follow: boolean;
  following: FollowOptions;
  deploy?: DeploySettings;
  evaluation?: EvaluationSettings;
}

/** wait: attach to a job and follow it exactly as fine-tune does after creating one. */
export interface WaitConfig {
  mode: 'wait';
  connection: Connection;
  jobId: string;
  cancelOnAbort: boolean;
  following: FollowOptions;
  deploy?: DeploySettings;
  evaluation?: EvaluationSettings;
}

/** Azure: deploy the model once the job succeeds (`deployment-name`), through Resource Manager. */
export interface DeploySettings extends DeploymentTarget {
  sku: DeploymentSku;
  capacity: number;
  /** `final`: the fine-tuned model; `best`: the checkpoint with the lowest validation loss. */
  checkpoint: 'final' | 'best';
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
  /** The fine-tune step's evaluation, estimated with the training. */
  evaluation?: EvaluationSettings;
}

export type FollowingConfig = FineTuneConfig | WaitConfig;
export type Config = FollowingConfig | ManageConfig | PlanConfig | EvaluateConfig;
export type { EvaluateConfig, EvaluationSettings };

/** fine-tune and wait follow a job to its end; cancel, pause and resume make one change to it. */
export const isFollowing = (config: Config): config is FollowingConfig => 'following' in config;

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
const ENTRA_AUTHORITY = 'https://login.microsoftonline.com';
/** action.yml's defaults of the deployment inputs. */
const DEPLOY_DEFAULTS: Record<string, string> = {
  'deployment-sku': 'developer',
  'deployment-capacity': '1',
  'deploy-checkpoint': 'final',
};
/** The `training-type` input's words for Azure's training tiers, and the values Azure takes. */
const TRAINING_TYPES: Record<string, JobSettings['trainingType']> = {
  standard: 'standard',
  global: 'globalstandard',
  developer: 'developer',
};
// The API holds 16 pairs; the action's own tags take their share.
const METADATA_MAX_PAIRS = 16 - TAG_COUNT;
const DAY_MS = 86_400_000;

/** Reads an input, applying the action.yml default when it arrives empty (as it does outside the runner). */
function input(name: string, fallback = ''): string {
  const value = core.getInput(name);
  return value === '' ? fallback : value;
}

/** A parser's complaint about one input, as an InputError that names the input. */
function inputError(name: string, error: unknown): InputError {
  if (error instanceof InputError) return error;
  return new InputError(name, error instanceof Error ? error.message : String(error));
}

/** Runs a parser on one input, turning its complaint into an InputError that names the input. */
function parsed<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw inputError(name, error);
  }
}

/** `parsed`, for the inputs written in YAML, whose parser loads when first needed. */
async function parsedStructure<T>(name: string, parse: () => Promise<T>): Promise<T> {
  try {
    return await parse();
  } catch (error) {
    throw inputError(name, error);
  }
}

export async function readConfig(env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  const mode = input('mode', 'fine-tune');
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new InputError('mode', `must be one of ${MODES.join(', ')}, got '${mode}'`);
  }
  if (mode === 'plan') return readPlan(env);
  const connection = readConnection(env);
  if (mode === 'cancel' || mode === 'pause' || mode === 'resume')
    return { mode, connection, jobId: readJobId() };
  if (mode === 'evaluate') return readEvaluateConfig(connection, env);
  if (mode === 'wait') {
    const deploy = readDeploy(connection);
    const evaluation = await readEvaluation(mode, connection.provider, env);
    return {
      mode,
      connection,
      jobId: readJobId(),
      cancelOnAbort: readCancelOnAbort(),
      following: readFollowOptions(),
      ...(deploy ? { deploy } : {}),
      ...(evaluation ? { evaluation } : {}),
    };
  }
  return readFineTune(connection, env);
}

/** What the post step needs: it only ever cancels a job that a fine-tune or wait step left behind. */
export interface CleanupConfig {
  connection: Connection;
  cancelOnAbort: boolean;
}

/** Undefined for the modes that never leave a job behind (cancel, pause, resume). */
export function readCleanupConfig(env: NodeJS.ProcessEnv = process.env): CleanupConfig | undefined {
  const mode = input('mode', 'fine-tune');
  if (mode !== 'fine-tune' && mode !== 'wait') return undefined;
  return { connection: readConnection(env), cancelOnAbort: readCancelOnAbort() };
}

/**
 * The workflow run, for the job's tags. Loaded here, not with the entry: @actions/github brings
 * Octokit along with its context, and only a fine-tune run needs the context before its first
 * request (`npm run bench` measures start-up).
 */
async function runContext(): Promise<RunContext> {
  const { readRunContext } = await import('../github/context.js');
  return readRunContext();
}

function readCancelOnAbort(): boolean {
  return parsed('cancel-on-abort', () => parseBoolean(input('cancel-on-abort', 'true')));
}

/** Where the API is, and which provider that makes it. */
interface Endpoint {
  baseURL: string;
  provider: Provider;
}

function readEndpoint(env: NodeJS.ProcessEnv): Endpoint {
  const baseURL = parsed('base-url', () =>
    httpUrl(input('base-url', env.OPENAI_BASE_URL || DEFAULT_BASE_URL), DEFAULT_BASE_URL),
  );
  return { baseURL, provider: readProvider(baseURL) };
}

function readConnection(env: NodeJS.ProcessEnv): Connection;
function readConnection(env: NodeJS.ProcessEnv, endpoint: Endpoint, optional: true): Connection | undefined;
/** `optional`: no credentials at all is no connection, not an error (a plan on a fork's pull request). */
function readConnection(
  env: NodeJS.ProcessEnv,
  endpoint?: Endpoint,
  optional = false,
): Connection | undefined {
  const givenKey = input('api-key').trim();
  // Masked before anything else can log: every later log line, output and error passes the mask.
  if (givenKey) protectSecret(givenKey);
  const { baseURL, provider } = endpoint ?? readEndpoint(env);
  const organization = input('organization').trim() || null;
  const project = input('project').trim() || null;
  if (!TRAITS[provider].organizations) {
    if (organization) throw new InputError('organization', `applies to OpenAI, not provider ${provider}`);
    if (project) throw new InputError('project', `applies to OpenAI, not provider ${provider}`);
  }
  const keyless = readKeyless(provider);
  if (keyless && givenKey) {
    throw new InputError('api-key', 'is set beside a keyless sign-in: give one or the other');
  }
  if (keyless) return { apiKey: '', keyless, baseURL, provider, organization, project };
  const apiKey = givenKey || (env.OPENAI_API_KEY ?? '').trim();
  if (apiKey === '' && optional) return undefined;
  if (apiKey === '') {
    throw new InputError(
      'api-key',
      'is required: pass a secret, set OPENAI_API_KEY, or sign in without a key (azure-client-id and azure-tenant-id, or workload-identity-provider-id and workload-service-account-id)',
    );
  }
  // A key from the environment is masked here; one given as the input already was, first thing.
  if (!givenKey) protectSecret(apiKey);
  return { apiKey, baseURL, provider, organization, project };
}

/** A sign-in with the workflow's OIDC token instead of a key, when its inputs are given. */
function readKeyless(provider: Provider): Keyless | undefined {
  const pair = (first: string, second: string): [string, string] | undefined => {
    const [a, b] = [input(first).trim(), input(second).trim()];
    if (!a && !b) return undefined;
    if (!a) throw new InputError(first, `is required with ${second}`);
    if (!b) throw new InputError(second, `is required with ${first}`);
    return [a, b];
  };
  const openai = pair('workload-identity-provider-id', 'workload-service-account-id');
  const azure = pair('azure-client-id', 'azure-tenant-id');
  const audience = input('oidc-audience').trim();
  if (openai && azure) {
    throw new InputError(
      'azure-client-id',
      'and workload-identity-provider-id are both set: choose one sign-in',
    );
  }
  if (openai) {
    if (provider !== 'openai') {
      throw new InputError('workload-identity-provider-id', `signs in to OpenAI, not provider ${provider}`);
    }
    return {
      kind: 'openai-workload-identity',
      identityProviderId: openai[0],
      serviceAccountId: openai[1],
      audience: audience || DEFAULT_AUDIENCE['openai-workload-identity'],
    };
  }
  if (azure) {
    if (provider !== 'azure')
      throw new InputError('azure-client-id', `signs in to Azure, not provider ${provider}`);
    const authorityHost = parsed('azure-authority-host', () =>
      httpUrl(input('azure-authority-host', ENTRA_AUTHORITY), ENTRA_AUTHORITY),
    );
    return {
      kind: 'entra',
      clientId: azure[0],
      tenantId: azure[1],
      authorityHost,
      audience: audience || DEFAULT_AUDIENCE.entra,
    };
  }
  if (audience)
    throw new InputError('oidc-audience', 'applies only to a keyless sign-in, and none is configured');
  return undefined;
}

/** An http(s) URL without its trailing slashes, or a complaint in words. */
function httpUrl(text: string, example: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new Error(`must be an http(s) URL such as ${example}, got '${text.trim()}'`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`must use http or https, got '${text}'`);
  return text.trim().replace(/\/+$/, '');
}

function readProvider(baseURL: string): Provider {
  const text = input('provider', 'auto').trim();
  if (text === 'auto') return providerOf(baseURL);
  if (!(PROVIDERS as readonly string[]).includes(text)) {
    throw new InputError('provider', `must be auto, ${PROVIDERS.join(', ')}, got '${text}'`);
  }
  return text as Provider;
}

function readJobId(): string {
  const jobId = input('job-id').trim();
  if (jobId === '') throw new InputError('job-id', 'is required in this mode: pass the ftjob-... id');
  // The id becomes part of a URL path, so only the characters ids are made of are let through.
  if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/.test(jobId)) {
    throw new InputError('job-id', `must be a job id such as ftjob-abc123, got '${jobId}'`);
  }
  return jobId;
}

function readModel(): string {
  const model = input('model').trim();
  if (model === '')
    throw new InputError('model', 'is required: name the base model, e.g. gpt-4o-mini-2024-07-18');
  return model;
}

/**
 * The method with its hyperparameters and grader, checked against what the model trains with on
 * this provider; a model the table does not know is warned of here, once.
 */
async function readMethod(
  model: string,
  provider: Provider,
  workspace: string,
): Promise<{ method: MethodType; rules: ModelRules; built: JobCreateParams.Method }> {
  const methodText = input('method', 'supervised').trim();
  if (!(METHOD_TYPES as readonly string[]).includes(methodText)) {
    throw new InputError('method', `must be one of ${METHOD_TYPES.join(', ')}, got '${methodText}'`);
  }
  const method = methodText as MethodType;
  const rules = modelRules(model, provider);
  const unfit = methodProblem(rules, method);
  if (unfit) throw new InputError('method', unfit);
  const unknown = unknownModelMessage(rules);
  if (unknown) core.warning(unknown, { title: 'Unknown model' });
  const hyperparametersText = input('hyperparameters').trim();
  const ownKeys = TRAITS[provider].ownHyperparameters;
  const hyperparameters = hyperparametersText
    ? await parsedStructure('hyperparameters', async () =>
        checkHyperparameters(method, await parseMapping(hyperparametersText), ownKeys),
      )
    : undefined;
  const passedThrough = hyperparameters ? unknownHyperparameters(method, hyperparameters) : [];
  if (passedThrough.length > 0) {
    core.notice(
      `hyperparameters: ${passedThrough.join(', ')} passed to provider ${provider} as given, unchecked (its own settings)`,
    );
  }
  const grader = await readGrader(method, workspace);
  return { method, rules, built: buildMethod(method, hyperparameters, grader) };
}

async function readFineTune(connection: Connection, env: NodeJS.ProcessEnv): Promise<FineTuneConfig> {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const model = readModel();
  const training = readDataSource('training-file', workspace);
  if (!training)
    throw new InputError('training-file', 'is required: a JSONL path or an uploaded file id (file-...)');
  const validation = readDataSource('validation-file', workspace);
  const { method, rules, built } = await readMethod(model, connection.provider, workspace);
  const job: JobSettings = { model, method: built };
  const trainingType = input('training-type').trim();
  if (trainingType !== '') {
    if (connection.provider !== 'azure') {
      throw new InputError('training-type', `applies to provider azure, not ${connection.provider}`);
    }
    const tier = Object.hasOwn(TRAINING_TYPES, trainingType) ? TRAINING_TYPES[trainingType] : undefined;
    if (!tier) {
      throw new InputError(
        'training-type',
        `must be one of ${Object.keys(TRAINING_TYPES).join(', ')}, got '${trainingType}'`,
      );
    }
    job.trainingType = tier;
  }
  const suffix = input('suffix');
  if (suffix !== '') {
    if (suffix.length > 64) throw new InputError('suffix', `must be 1-64 characters, got ${suffix.length}`);
    job.suffix = suffix;
  }
  const seed = input('seed').trim();
  if (seed !== '') job.seed = parsed('seed', () => parseInteger(seed, 0, 2147483647));
  const metadata = input('metadata').trim();
  if (metadata !== '') job.metadata = await parsedStructure('metadata', () => readMetadata(metadata));
  const integrations = input('integrations').trim();
  if (integrations !== '') {
    job.integrations = await parsedStructure('integrations', () => readIntegrations(integrations));
  }

  const deploy = readDeploy(connection);
  const evaluation = await readEvaluation('fine-tune', connection.provider, env);
  const validate = parsed('validate', () => parseBoolean(input('validate', 'true')));
  const maxBilledTokens = readMaxBilledTokens(method, training, validate, rules);
  const price = readPrice(method, rules);
  const maxCost = readMaxCost(method, training, validate, rules, price);
  return {
    mode: 'fine-tune',
    connection,
    run: await runContext(),
    cancelOnAbort: readCancelOnAbort(),
    training,
    ...(validation ? { validation } : {}),
    job,
    modelRules: rules,
    ...(price ? { price } : {}),
    validate,
    skipIfUnchanged: parsed('skip-if-unchanged', () => parseBoolean(input('skip-if-unchanged', 'false'))),
    ...(maxBilledTokens !== undefined ? { maxBilledTokens } : {}),
    ...(maxCost !== undefined ? { maxCost } : {}),
    follow: parsed('wait', () => parseBoolean(input('wait', 'true'))),
    following: readFollowOptions(),
    ...(deploy ? { deploy } : {}),
    ...(evaluation ? { evaluation } : {}),
  };
}

/** The inputs a plan reads: the fine-tune step's model and data, and where to comment. */
async function readPlan(env: NodeJS.ProcessEnv): Promise<PlanConfig> {
  const githubToken = input('github-token').trim();
  // Masked first thing, like the API key: the comment's body and every log line pass the mask.
  if (githubToken) protectSecret(githubToken);
  // Read once, for the connection and for the provider a plan without credentials still prices for.
  const endpoint = readEndpoint(env);
  const connection = readConnection(env, endpoint, true);
  const { provider } = endpoint;
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const model = readModel();
  const local = (name: 'training-file' | 'validation-file') => {
    const source = readDataSource(name, workspace);
    if (source?.kind === 'id') {
      throw new InputError(
        name,
        `must be a local JSONL file in mode plan, which checks the data: got the uploaded file ${source.id}`,
      );
    }
    return source;
  };
  const training = local('training-file');
  if (!training)
    throw new InputError('training-file', 'is required: the JSONL path the fine-tune step trains on');
  const validation = local('validation-file');
  const { method, rules, built } = await readMethod(model, provider, workspace);
  const price = readPrice(method, rules);
  const evaluation = await readEvaluation('plan', provider, env);
  return {
    mode: 'plan',
    ...(evaluation ? { evaluation } : {}),
    ...(connection ? { connection } : {}),
    provider,
    run: await runContext(),
    training,
    ...(validation ? { validation } : {}),
    job: { model, method: built },
    modelRules: rules,
    ...(price ? { price } : {}),
    skipIfUnchanged: parsed('skip-if-unchanged', () => parseBoolean(input('skip-if-unchanged', 'false'))),
    githubToken,
  };
}

/** The deployment asked for with `deployment-name`, or undefined; every input it uses is checked here. */
function readDeploy(connection: Connection): DeploySettings | undefined {
  const name = input('deployment-name').trim();
  const related = [
    'deployment-sku',
    'deployment-capacity',
    'deploy-checkpoint',
    'azure-subscription-id',
    'azure-resource-group',
    'azure-account',
  ];
  if (name === '') {
    // action.yml's defaults arrive as given values: only a value that differs from one was set.
    const stray = related.find(
      (key) => input(key).trim() !== '' && input(key).trim() !== DEPLOY_DEFAULTS[key],
    );
    if (stray) throw new InputError(stray, 'applies only with deployment-name');
    return undefined;
  }
  if (connection.provider !== 'azure') {
    throw new InputError('deployment-name', `deploys on Azure, not provider ${connection.provider}`);
  }
  if (connection.keyless?.kind !== 'entra') {
    throw new InputError(
      'deployment-name',
      'needs the Microsoft Entra ID sign-in (azure-client-id and azure-tenant-id): Azure Resource Manager takes no API key',
    );
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
    throw new InputError('deployment-name', `must be 1-64 letters, digits, '.', '_' or '-', got '${name}'`);
  }
  const sku = input('deployment-sku', DEPLOY_DEFAULTS['deployment-sku']).trim();
  if (!(DEPLOYMENT_SKUS as readonly string[]).includes(sku)) {
    throw new InputError('deployment-sku', `must be one of ${DEPLOYMENT_SKUS.join(', ')}, got '${sku}'`);
  }
  const capacity = parsed('deployment-capacity', () =>
    parseInteger(input('deployment-capacity', DEPLOY_DEFAULTS['deployment-capacity']), 1, 100_000),
  );
  const checkpoint = input('deploy-checkpoint', DEPLOY_DEFAULTS['deploy-checkpoint']).trim();
  if (checkpoint !== 'final' && checkpoint !== 'best') {
    throw new InputError('deploy-checkpoint', `must be final or best, got '${checkpoint}'`);
  }
  const required = (key: string, why: string) => {
    const value = input(key).trim();
    if (value === '') throw new InputError(key, `is required with deployment-name: ${why}`);
    return value;
  };
  const account = input('azure-account').trim() || accountFromBaseURL(connection.baseURL);
  if (!account) {
    throw new InputError(
      'azure-account',
      'is required with deployment-name when base-url does not name the resource',
    );
  }
  return {
    name,
    sku: sku as DeploymentSku,
    capacity,
    checkpoint,
    subscriptionId: required(
      'azure-subscription-id',
      'the subscription that holds the Azure OpenAI resource',
    ),
    resourceGroup: required('azure-resource-group', 'the resource group of the Azure OpenAI resource'),
    account,
    managementUrl: parsed('azure-management-url', () =>
      httpUrl(input('azure-management-url', AZURE_MANAGEMENT_URL), AZURE_MANAGEMENT_URL),
    ),
    signIn: connection.keyless,
  };
}

/**
 * The estimate comes from counting the local data, so a ceiling on it needs data that is counted;
 * every way of not counting it is an error rather than a ceiling that silently never applies.
 */
function checkCounted(
  name: string,
  method: MethodType,
  training: DataSource,
  validate: boolean,
  rules: ModelRules,
): void {
  if (method === 'reinforcement') throw new InputError(name, notByTheToken(rules));
  if (!validate) throw new InputError(name, 'needs validate: true, since the estimate comes from the check');
  if (training.kind !== 'path') {
    throw new InputError(name, 'needs training-file to be a local JSONL file, whose tokens can be counted');
  }
}

function readMaxBilledTokens(
  method: MethodType,
  training: DataSource,
  validate: boolean,
  rules: ModelRules,
): number | undefined {
  const text = input('max-billed-tokens');
  if (text === '') return undefined;
  const limit = parsed('max-billed-tokens', () => parseInteger(text, 1, Infinity));
  checkCounted('max-billed-tokens', method, training, validate, rules);
  return limit;
}

function readPrice(method: MethodType, rules: ModelRules): KnownPrice | undefined {
  const text = input('price-per-million-tokens').trim();
  if (text === '') return trainingPrice(rules);
  const perMillion = parsed('price-per-million-tokens', () => parseAmount(text));
  if (method === 'reinforcement') throw new InputError('price-per-million-tokens', notByTheToken(rules));
  return trainingPrice(rules, perMillion);
}

function readMaxCost(
  method: MethodType,
  training: DataSource,
  validate: boolean,
  rules: ModelRules,
  price: KnownPrice | undefined,
): number | undefined {
  const text = input('max-cost').trim();
  if (text === '') return undefined;
  const limit = parsed('max-cost', () => parseAmount(text));
  checkCounted('max-cost', method, training, validate, rules);
  if (!price) {
    throw new InputError(
      'max-cost',
      `needs a training price, and none is built in for ${rules.model} on provider ${rules.provider}: set price-per-million-tokens`,
    );
  }
  return limit;
}

function readDataSource(name: string, workspace: string): DataSource | undefined {
  const given = input(name).trim();
  if (given === '') return undefined;
  if (/^file-[A-Za-z0-9_-]+$/.test(given)) return { kind: 'id', id: given };
  const resolved = path.resolve(workspace, given);
  parsed(name, () => {
    let isFile: boolean;
    try {
      isFile = statSync(resolved).isFile();
      accessSync(resolved, constants.R_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`;
      throw new Error(`names '${given}', which ${reason} (looked in ${workspace})`);
    }
    if (!isFile) throw new Error(`names '${given}', which is not a file`);
  });
  return { kind: 'path', path: resolved, given };
}

async function readGrader(
  method: MethodType,
  workspace: string,
): Promise<Record<string, unknown> | undefined> {
  const text = input('grader').trim();
  if (method !== 'reinforcement') {
    if (text !== '') throw new InputError('grader', `applies to method reinforcement only, not ${method}`);
    return undefined;
  }
  if (text === '') throw new InputError('grader', 'is required with method reinforcement');
  return parsedStructure('grader', () => parseGrader(text, workspace));
}

async function readMetadata(text: string): Promise<Record<string, string>> {
  const entries = Object.entries(await parseMapping(text));
  if (entries.length > METADATA_MAX_PAIRS) {
    throw new Error(
      `has ${entries.length} pairs; at most ${METADATA_MAX_PAIRS} fit beside the action's ${TAG_COUNT} tags (the API holds 16)`,
    );
  }
  const reserved = entries.find(([key]) => (Object.values(TAG) as string[]).includes(key));
  if (reserved) throw new Error(`key '${reserved[0]}' is the action's own tag; choose another key`);
  const metadata: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (key.length > 64) throw new Error(`key '${key.slice(0, 20)}...' is over 64 characters`);
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new Error(`value of '${key}' must be a string, got ${describe(value)}`);
    }
    const text = String(value);
    if (text.length > 512) throw new Error(`value of '${key}' is over 512 characters`);
    metadata[key] = text;
  }
  return metadata;
}

async function readIntegrations(text: string): Promise<JobCreateParams.Integration[]> {
  const value = await parseStructured(text);
  if (!Array.isArray(value))
    throw new Error(`must be a list such as [{type: wandb, wandb: {project: p}}], got ${describe(value)}`);
  return value.map((item, index) => {
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

function readFollowOptions(): FollowOptions {
  const timeoutMs = parsed('wait-timeout', () => parseDuration(input('wait-timeout', '5h50m')));
  // Node's timers fire at once for delays past 2^31 ms (24.8 days); a day is far above any useful gap.
  const pollIntervalMs = parsed('poll-interval', () => parseDuration(input('poll-interval', '10s'), DAY_MS));
  const maxPollIntervalMs = parsed('max-poll-interval', () =>
    parseDuration(input('max-poll-interval', '60s'), DAY_MS),
  );
  if (maxPollIntervalMs < pollIntervalMs) {
    throw new InputError(
      'max-poll-interval',
      `must be at least poll-interval (${pollIntervalMs} ms), got ${maxPollIntervalMs} ms`,
    );
  }
  const onTimeout = input('on-timeout', 'fail').trim();
  if (onTimeout !== 'fail' && onTimeout !== 'cancel' && onTimeout !== 'continue') {
    throw new InputError('on-timeout', `must be fail, cancel or continue, got '${onTimeout}'`);
  }
  return { timeoutMs, pollIntervalMs, maxPollIntervalMs, onTimeout };
}
