import { AZURE_MANAGEMENT_URL, DEPLOYMENT_SKUS } from '../facts/deployment.js';
import { METHOD_TYPES } from '../facts/methods.js';
import { PROVIDERS } from '../facts/providers.js';
import { DEPLOY_CHECKPOINTS, MODES, ON_EVAL_FAIL, ON_TIMEOUT } from './types.js';

// Every input the action reads, with its kind and action.yml's default (a unit test holds the two
// together). Code run outside the runner sees '' for an unset input, and gets the same default.

type InputKind =
  | 'boolean'
  | 'choice'
  | 'duration'
  | 'number'
  /** YAML or JSON: a mapping, or (integrations) a list. */
  | 'mapping'
  /** A file in the workspace (or RUNNER_TEMP); training and validation data may be a file id. */
  | 'path'
  | 'url'
  | 'text';

interface InputSpec {
  kind: InputKind;
  default?: string;
  /** A choice's values. */
  values?: readonly string[];
}

/** The `training-type` input's words for Azure's training tiers. */
export const TRAINING_TYPES = ['standard', 'global', 'developer'] as const;

export const INPUTS = {
  mode: { kind: 'choice', default: 'fine-tune', values: MODES },
  'api-key': { kind: 'text' },
  'base-url': { kind: 'url' },
  provider: { kind: 'choice', default: 'auto', values: ['auto', ...PROVIDERS] },
  'allow-insecure-http': { kind: 'boolean', default: 'false' },
  'workload-identity-provider-id': { kind: 'text' },
  'workload-service-account-id': { kind: 'text' },
  'azure-client-id': { kind: 'text' },
  'azure-tenant-id': { kind: 'text' },
  'azure-authority-host': { kind: 'url', default: 'https://login.microsoftonline.com' },
  'oidc-audience': { kind: 'text' },
  organization: { kind: 'text' },
  project: { kind: 'text' },
  'job-id': { kind: 'text' },
  model: { kind: 'text' },
  'training-file': { kind: 'path' },
  'validation-file': { kind: 'path' },
  method: { kind: 'choice', default: 'supervised', values: METHOD_TYPES },
  hyperparameters: { kind: 'mapping' },
  /** A mapping, or the path of a .json/.yaml file that holds one. */
  grader: { kind: 'mapping' },
  'deployment-name': { kind: 'text' },
  'deployment-sku': { kind: 'choice', default: 'developer', values: DEPLOYMENT_SKUS },
  'deployment-capacity': { kind: 'number', default: '1' },
  'deploy-checkpoint': { kind: 'choice', default: 'final', values: DEPLOY_CHECKPOINTS },
  'azure-subscription-id': { kind: 'text' },
  'azure-resource-group': { kind: 'text' },
  'azure-account': { kind: 'text' },
  'azure-management-url': { kind: 'url', default: AZURE_MANAGEMENT_URL },
  'training-type': { kind: 'choice', values: TRAINING_TYPES },
  suffix: { kind: 'text' },
  seed: { kind: 'number' },
  metadata: { kind: 'mapping' },
  integrations: { kind: 'mapping' },
  validate: { kind: 'boolean', default: 'true' },
  'skip-if-unchanged': { kind: 'boolean', default: 'false' },
  'max-billed-tokens': { kind: 'number' },
  'price-per-million-tokens': { kind: 'number' },
  // action.yml's default is the expression ${{ github.token }}, which only the runner can expand.
  'github-token': { kind: 'text' },
  'max-cost': { kind: 'number' },
  wait: { kind: 'boolean', default: 'true' },
  'wait-timeout': { kind: 'duration', default: '5h50m' },
  'poll-interval': { kind: 'duration', default: '10s' },
  'max-poll-interval': { kind: 'duration', default: '60s' },
  'cancel-on-abort': { kind: 'boolean', default: 'true' },
  'on-timeout': { kind: 'choice', default: 'fail', values: ON_TIMEOUT },
  'eval-file': { kind: 'path' },
  /** Inline YAML/JSON, or the path of a .json/.yaml file that holds the graders. */
  graders: { kind: 'mapping' },
  'baseline-model': { kind: 'text' },
  'min-score': { kind: 'number' },
  'max-regression': { kind: 'number', default: '0' },
  'eval-concurrency': { kind: 'number', default: '4' },
  'on-eval-fail': { kind: 'choice', default: 'fail', values: ON_EVAL_FAIL },
  /** A file to write, in the workspace or RUNNER_TEMP. */
  'record-answers': { kind: 'path' },
} as const satisfies Record<string, InputSpec>;

export type InputName = keyof typeof INPUTS;

/** action.yml's default of an input, or '' when it has none. */
export function defaultOf(name: InputName): string {
  const spec: InputSpec = INPUTS[name];
  return spec.default ?? '';
}
/** The inputs of one kind: each reader takes only its own kind's names. */
export type InputOf<K extends InputKind> = {
  [N in InputName]: (typeof INPUTS)[N]['kind'] extends K ? N : never;
}[InputName];
/** A choice input's values, as a type. */
export type ChoiceOf<N extends InputOf<'choice'>> = (typeof INPUTS)[N]['values'][number];
/** A reader's result: never undefined for an input with a default. */
export type Read<N extends InputName, T> = (typeof INPUTS)[N] extends { default: string } ? T : T | undefined;
