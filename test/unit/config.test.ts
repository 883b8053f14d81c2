import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readCleanupConfig, readConfig } from '../../src/inputs/config.js';
import type { FineTuneConfig } from '../../src/inputs/types.js';
import { InputError } from '../../src/facts/input-error.js';
import { modelRules } from '../../src/data/models.js';
import { PRICES_CHECKED } from '../../src/facts/prices.js';

// readConfig() reads the INPUT_* variables the runner sets, so each test sets them the same way
// and every test starts from an environment without inputs, API key or base URL.

// ---------------------------------------------------------------------------------------------
// A workspace with real files, as GITHUB_WORKSPACE would hold them

const workspace = mkdtempSync(path.join(tmpdir(), 'config-workspace-'));
const PYTHON_GRADER = { type: 'python', name: 'exact', source: 'def grade(sample, item):\n    return 1.0\n' };

beforeAll(() => {
  mkdirSync(path.join(workspace, 'data'));
  mkdirSync(path.join(workspace, 'graders', 'folder.json'), { recursive: true });
  const line = JSON.stringify({
    messages: [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello' },
    ],
  });
  writeFileSync(path.join(workspace, 'data', 'train.jsonl'), `${line}\n`);
  writeFileSync(path.join(workspace, 'data', 'valid.jsonl'), `${line}\n`);
  writeFileSync(
    path.join(workspace, 'graders', 'grader.yaml'),
    'type: python\nname: exact\nsource: |\n  def grade(sample, item):\n      return 1.0\n',
  );
  writeFileSync(path.join(workspace, 'graders', 'grader.json'), JSON.stringify(PYTHON_GRADER));
  writeFileSync(path.join(workspace, 'graders', 'list.yaml'), '- type: python\n');
});

afterAll(() => rmSync(workspace, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------
// Inputs, environment and stdout

const actionInputs = (
  parseYaml(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
    inputs: Record<string, { default?: unknown }>;
  }
).inputs;
const ACTION_DEFAULTS = Object.fromEntries(
  Object.entries(actionInputs)
    .filter(([, spec]) => spec.default !== undefined)
    .map(([name, spec]) => [name, String(spec.default)]),
);

/** The inputs a fine-tune step cannot do without. */
const REQUIRED = { 'api-key': 'sk-test-key', model: 'gpt-4o-mini-2024-07-18', 'training-file': 'file-abc' };

function setInputs(inputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}

const savedEnv = { ...process.env };
let stdout: string[] = [];

/**
 * The runner's context for this step (set here, so the tests read the same under GitHub's own CI).
 * Set before any import: @actions/github reads it once, when its `context` is built.
 */
const RUN_ENV = vi.hoisted(() => {
  const env = {
    GITHUB_REPOSITORY: 'octo-org/models',
    GITHUB_RUN_ID: '1234',
    GITHUB_RUN_ATTEMPT: '2',
    GITHUB_JOB: 'train',
    GITHUB_ACTION: 'fine-tune',
  };
  Object.assign(process.env, env);
  return env;
});

function clearInputs(): void {
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('INPUT_')) delete process.env[name];
  }
}

beforeEach(() => {
  clearInputs();
  delete process.env.OPENAI_API_KEY;
  delete process.env.OPENAI_BASE_URL;
  process.env.GITHUB_WORKSPACE = workspace;
  Object.assign(process.env, RUN_ENV);
  // core.setSecret writes `::add-mask::<key>` here; kept for the masking tests, off the test log.
  stdout = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  for (const name of Object.keys(process.env)) {
    if (!(name in savedEnv)) delete process.env[name];
  }
  Object.assign(process.env, savedEnv);
});

async function readFineTune(): Promise<FineTuneConfig> {
  const config = await readConfig();
  expect(config.mode).toBe('fine-tune');
  return config as FineTuneConfig;
}

/** The InputError readConfig() throws for the current inputs. */
async function inputError(): Promise<InputError> {
  let thrown: unknown;
  try {
    await readConfig();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'readConfig() accepted the inputs').toBeInstanceOf(InputError);
  return thrown as InputError;
}

// ---------------------------------------------------------------------------------------------

interface BadInput {
  why: string;
  /** Set over REQUIRED; `''` clears one of them. */
  inputs: Record<string, string>;
  env?: Record<string, string>;
  /** The input the error must name. */
  input: string;
  /** Text the message must contain: the offending value or the rule it breaks. */
  says: string | string[];
}

const GRADER = '{type: python, name: g, source: "def grade(s, i): return 1"}';
// Reinforcement trains o4-mini only: the model table refuses it for the others.
const RFT_MODEL = 'o4-mini-2025-04-16';
const REINFORCEMENT = { method: 'reinforcement', grader: GRADER, model: RFT_MODEL };
const manyPairs = (n: number) => `{${Array.from({ length: n }, (_, i) => `k${i}: v${i}`).join(', ')}}`;

// One row per case, kept on one line each so the table reads as a table.
// prettier-ignore
const BAD_INPUTS: BadInput[] = [
  // connection
  { why: 'no api-key and no OPENAI_API_KEY', inputs: { 'api-key': '' }, input: 'api-key', says: ['is required', 'OPENAI_API_KEY'] },
  { why: 'no api-key and a blank OPENAI_API_KEY', inputs: { 'api-key': '' }, env: { OPENAI_API_KEY: '   ' }, input: 'api-key', says: 'is required' },
  { why: 'base-url that is not a URL', inputs: { 'base-url': 'not a url' }, input: 'base-url', says: "must be an http(s) URL such as https://api.openai.com/v1, got 'not a url'" },
  { why: 'base-url with another scheme', inputs: { 'base-url': 'ftp://files.example.com' }, input: 'base-url', says: "must use http or https, got 'ftp://files.example.com'" },
  { why: 'OPENAI_BASE_URL without a scheme', inputs: {}, env: { OPENAI_BASE_URL: 'localhost:8080' }, input: 'base-url', says: "got 'localhost:8080'" },

  // mode and job-id
  { why: 'an unknown mode', inputs: { mode: 'train' }, input: 'mode', says: ["must be one of fine-tune", "got 'train'"] },
  { why: 'cancel without job-id', inputs: { mode: 'cancel' }, input: 'job-id', says: 'is required in this mode' },
  { why: 'a job-id that climbs the URL path', inputs: { mode: 'cancel', 'job-id': '../files/file-abc' }, input: 'job-id', says: "must be a job id such as ftjob-abc123, got '../files/file-abc'" },
  { why: 'a job-id with a query string', inputs: { mode: 'cancel', 'job-id': 'ftjob-abc?x=1' }, input: 'job-id', says: "got 'ftjob-abc?x=1'" },

  // model and data files
  { why: 'no model', inputs: { model: '' }, input: 'model', says: 'is required' },
  { why: 'no training-file', inputs: { 'training-file': '' }, input: 'training-file', says: 'is required: a JSONL path or an uploaded file id (file-...)' },
  { why: 'a training-file path that does not exist', inputs: { 'training-file': 'data/missing.jsonl' }, input: 'training-file', says: `names 'data/missing.jsonl', which does not exist (looked in ${workspace})` },
  { why: 'a training-file path that is a directory', inputs: { 'training-file': 'data' }, input: 'training-file', says: "names 'data', which is not a regular file" },
  { why: 'a validation-file path that does not exist', inputs: { 'validation-file': 'data/valid.jsonl.bak' }, input: 'validation-file', says: "names 'data/valid.jsonl.bak', which does not exist" },

  // method and hyperparameters
  { why: 'an unknown method', inputs: { method: 'sft' }, input: 'method', says: "must be one of supervised, dpo, reinforcement, got 'sft'" },
  { why: 'hyperparameters that are not valid YAML', inputs: { hyperparameters: '{n_epochs: 3' }, input: 'hyperparameters', says: ['is not valid YAML or JSON', 'Flow map must end with a }'] },
  { why: 'hyperparameters given as a list', inputs: { hyperparameters: '[3, auto]' }, input: 'hyperparameters', says: 'must be a mapping such as {key: value}, got a list' },
  { why: 'hyperparameters given as a scalar', inputs: { hyperparameters: 'n_epochs=3' }, input: 'hyperparameters', says: "must be a mapping such as {key: value}, got 'n_epochs=3'" },
  { why: 'a hyperparameter of another method', inputs: { hyperparameters: '{beta: 0.1}' }, input: 'hyperparameters', says: "has unknown key 'beta' for method supervised; allowed: batch_size, learning_rate_multiplier, n_epochs" },
  { why: 'n_epochs below its range', inputs: { hyperparameters: '{n_epochs: 0}' }, input: 'hyperparameters', says: "key 'n_epochs' must be auto or a whole number at least 1 and at most 50, got number 0" },
  { why: 'batch_size above its range', inputs: { hyperparameters: 'batch_size: 512' }, input: 'hyperparameters', says: "key 'batch_size' must be auto or a whole number at least 1 and at most 256, got number 512" },
  { why: 'a fractional n_epochs', inputs: { hyperparameters: '{"n_epochs": 2.5}' }, input: 'hyperparameters', says: 'got number 2.5' },
  { why: 'learning_rate_multiplier at its exclusive bound 0', inputs: { hyperparameters: '{learning_rate_multiplier: 0}' }, input: 'hyperparameters', says: 'a number greater than 0, got number 0' },
  { why: 'a dpo beta above 2', inputs: { method: 'dpo', hyperparameters: '{beta: 2.5}' }, input: 'hyperparameters', says: "key 'beta' must be auto or a number greater than 0 and at most 2, got number 2.5" },
  { why: 'a word where a number belongs', inputs: { hyperparameters: '{n_epochs: many}' }, input: 'hyperparameters', says: "got 'many'" },
  { why: 'a boolean where a number belongs', inputs: { hyperparameters: '{n_epochs: true}' }, input: 'hyperparameters', says: 'got boolean true' },
  { why: 'a reasoning_effort outside its enum', inputs: { ...REINFORCEMENT, hyperparameters: '{reasoning_effort: extreme}' }, input: 'hyperparameters', says: "key 'reasoning_effort' must be one of default, low, medium, high, got 'extreme'" },

  // grader
  { why: 'reinforcement without a grader', inputs: { method: 'reinforcement', model: RFT_MODEL }, input: 'grader', says: 'is required with method reinforcement' },
  { why: 'a grader for a supervised job', inputs: { grader: GRADER }, input: 'grader', says: 'applies to method reinforcement only, not supervised' },
  { why: 'a grader of an unknown type', inputs: { method: 'reinforcement', model: RFT_MODEL, grader: '{type: regex, name: r}' }, input: 'grader', says: "has type 'regex'; expected one of string_check, text_similarity, python, score_model, multi" },
  { why: 'a grader without a required field', inputs: { method: 'reinforcement', model: RFT_MODEL, grader: '{type: python, name: p}' }, input: 'grader', says: '(a python grader) lacks source' },
  { why: 'a grader that is not valid YAML', inputs: { method: 'reinforcement', model: RFT_MODEL, grader: '{type: python' }, input: 'grader', says: 'is not valid YAML or JSON' },
  { why: 'a grader file that does not exist', inputs: { method: 'reinforcement', model: RFT_MODEL, grader: 'graders/missing.yaml' }, input: 'grader', says: "names 'graders/missing.yaml', which does not exist" },
  { why: 'a grader path that is a directory', inputs: { method: 'reinforcement', model: RFT_MODEL, grader: 'graders/folder.json' }, input: 'grader', says: "names 'graders/folder.json', which is not a regular file" },
  { why: 'a grader file holding a list', inputs: { method: 'reinforcement', model: RFT_MODEL, grader: 'graders/list.yaml' }, input: 'grader', says: 'must be a grader mapping, got a list' },

  // suffix and seed
  { why: 'a suffix of 65 characters', inputs: { suffix: 'x'.repeat(65) }, input: 'suffix', says: 'must be 1-64 characters, got 65' },
  { why: 'a negative seed', inputs: { seed: '-1' }, input: 'seed', says: "must be a whole number from 0 to 2147483647, got '-1'" },
  { why: 'a seed above 2147483647', inputs: { seed: '2147483648' }, input: 'seed', says: "got '2147483648'" },
  { why: 'a fractional seed', inputs: { seed: '4.2' }, input: 'seed', says: "got '4.2'" },
  { why: 'a seed that is a word', inputs: { seed: 'random' }, input: 'seed', says: "got 'random'" },

  // metadata
  { why: 'metadata of 13 pairs (16 less the action\'s 4 tags)', inputs: { metadata: manyPairs(13) }, input: 'metadata', says: "has 13 pairs; at most 12 fit beside the action's 4 tags (the API holds 16)" },
  { why: 'metadata that takes the action\'s own tag', inputs: { metadata: '{gha_intent: mine}' }, input: 'metadata', says: "key 'gha_intent' is the action's own tag" },
  { why: 'max-billed-tokens that is not a number', inputs: { 'max-billed-tokens': 'lots' }, input: 'max-billed-tokens', says: "must be a whole number of at least 1, got 'lots'" },
  { why: 'max-billed-tokens of zero', inputs: { 'max-billed-tokens': '0' }, input: 'max-billed-tokens', says: "got '0'" },
  { why: 'max-billed-tokens with validate off', inputs: { 'max-billed-tokens': '1000', validate: 'false', 'training-file': 'data/train.jsonl' }, input: 'max-billed-tokens', says: 'needs validate: true' },
  { why: 'max-billed-tokens with an uploaded file id', inputs: { 'max-billed-tokens': '1000' }, input: 'max-billed-tokens', says: 'needs training-file to be a local JSONL file' },
  { why: 'max-billed-tokens for reinforcement', inputs: { 'max-billed-tokens': '1000', method: 'reinforcement', model: RFT_MODEL, grader: '{type: python, name: g, source: x}', 'training-file': 'data/train.jsonl' }, input: 'max-billed-tokens', says: 'does not apply to method reinforcement, which is billed by the hour of training ($100.00 per hour for o4-mini-2025-04-16)' },
  { why: 'max-cost for reinforcement', inputs: { 'max-cost': '50', method: 'reinforcement', model: RFT_MODEL, grader: '{type: python, name: g, source: x}', 'training-file': 'data/train.jsonl' }, input: 'max-cost', says: 'does not apply to method reinforcement, which is billed by the hour of training ($100.00 per hour for o4-mini-2025-04-16)' },
  { why: 'a token price for reinforcement', inputs: { 'price-per-million-tokens': '3', method: 'reinforcement', model: RFT_MODEL, grader: '{type: python, name: g, source: x}' }, input: 'price-per-million-tokens', says: 'does not apply to method reinforcement' },
  { why: 'max-cost that is not an amount', inputs: { 'max-cost': 'ten', 'training-file': 'data/train.jsonl' }, input: 'max-cost', says: "must be an amount above zero such as 25 or 1.50, got 'ten'" },
  { why: 'max-cost of zero', inputs: { 'max-cost': '0', 'training-file': 'data/train.jsonl' }, input: 'max-cost', says: "got '0'" },
  { why: 'max-cost with validate off', inputs: { 'max-cost': '10', validate: 'false', 'training-file': 'data/train.jsonl' }, input: 'max-cost', says: 'needs validate: true' },
  { why: 'max-cost with an uploaded file id', inputs: { 'max-cost': '10' }, input: 'max-cost', says: 'needs training-file to be a local JSONL file' },
  { why: 'max-cost without a known price', inputs: { 'max-cost': '10', model: 'gpt-4o-mini-2024-07-99', 'training-file': 'data/train.jsonl' }, input: 'max-cost', says: 'needs a training price, and none is built in for gpt-4o-mini-2024-07-99 on provider openai: set price-per-million-tokens' },
  { why: 'a negative token price', inputs: { 'price-per-million-tokens': '-3' }, input: 'price-per-million-tokens', says: "got '-3'" },
  { why: 'dpo on a model that does not train with it', inputs: { method: 'dpo', model: 'o4-mini-2025-04-16' }, input: 'method', says: 'dpo is not available for o4-mini-2025-04-16 on OpenAI (it trains with reinforcement); dpo trains gpt-4.1-2025-04-14, gpt-4.1-mini-2025-04-14, gpt-4.1-nano-2025-04-14, gpt-4o-2024-08-06, gpt-4o-mini-2024-07-18' },
  { why: 'reinforcement on a model that does not train with it', inputs: { method: 'reinforcement', model: 'gpt-4o-mini-2024-07-18', grader: GRADER }, input: 'method', says: 'reinforcement is not available for gpt-4o-mini-2024-07-18 on OpenAI (it trains with supervised, dpo); reinforcement trains o4-mini-2025-04-16' },
  { why: 'supervised on o4-mini', inputs: { model: 'o4-mini' }, input: 'method', says: 'supervised is not available for o4-mini-2025-04-16' },
  { why: 'dpo on Azure\'s gpt-4o-mini, which Azure trains with supervised only', inputs: { method: 'dpo', model: 'gpt-4o-mini-2024-07-18', 'base-url': 'https://acme.openai.azure.com/openai/v1' }, input: 'method', says: 'dpo is not available for gpt-4o-mini-2024-07-18 on Azure OpenAI (it trains with supervised); dpo trains gpt-4.1-2025-04-14, gpt-4.1-mini-2025-04-14, gpt-4o-2024-08-06' },
  { why: 'cancel-on-abort that is not a boolean', inputs: { 'cancel-on-abort': 'maybe' }, input: 'cancel-on-abort', says: "must be true or false, got 'maybe'" },
  { why: 'a metadata key of 65 characters', inputs: { metadata: `{${'k'.repeat(65)}: v}` }, input: 'metadata', says: `key '${'k'.repeat(20)}...' is over 64 characters` },
  { why: 'a metadata value of 513 characters', inputs: { metadata: `{note: ${'v'.repeat(513)}}` }, input: 'metadata', says: "value of 'note' is over 512 characters" },
  { why: 'a nested metadata value', inputs: { metadata: '{build: {number: 7}}' }, input: 'metadata', says: "value of 'build' must be a string, got a mapping" },
  { why: 'a list as a metadata value', inputs: { metadata: 'tags: [a, b]' }, input: 'metadata', says: "value of 'tags' must be a string, got a list" },
  { why: 'an empty metadata value', inputs: { metadata: 'owner:' }, input: 'metadata', says: "value of 'owner' must be a string, got null" },
  { why: 'metadata given as a list', inputs: { metadata: '[team, ml]' }, input: 'metadata', says: 'must be a mapping such as {key: value}, got a list' },

  // integrations
  { why: 'integrations given as a mapping', inputs: { integrations: '{type: wandb, wandb: {project: p}}' }, input: 'integrations', says: 'must be a list such as [{type: wandb, wandb: {project: p}}], got a mapping' },
  { why: 'an integration of another type', inputs: { integrations: '[{type: slack, slack: {channel: c}}]' }, input: 'integrations', says: 'item 1 must be a mapping with type: wandb' },
  { why: 'a wandb integration without project', inputs: { integrations: '[{type: wandb, wandb: {project: p}}, {type: wandb, wandb: {name: run}}]' }, input: 'integrations', says: 'item 2 needs wandb.project' },
  { why: 'a wandb integration with an unknown key', inputs: { integrations: '[{type: wandb, wandb: {project: p, team: t}}]' }, input: 'integrations', says: 'item 1 has unknown key wandb.team; allowed: project, name, entity, tags' },
  { why: 'wandb tags that are not a list', inputs: { integrations: '[{type: wandb, wandb: {project: p, tags: nightly}}]' }, input: 'integrations', says: 'item 1: wandb.tags must be a list of strings' },
  { why: 'integrations that are not valid YAML', inputs: { integrations: '[{type: wandb' }, input: 'integrations', says: 'is not valid YAML or JSON' },

  // switches
  { why: 'validate that is not a boolean', inputs: { validate: 'yes' }, input: 'validate', says: "must be true or false, got 'yes'" },
  { why: 'wait that is not a boolean', inputs: { wait: 'no' }, input: 'wait', says: "must be true or false, got 'no'" },

  // waiting
  { why: 'a wait-timeout that is a word', inputs: { 'wait-timeout': 'soon' }, input: 'wait-timeout', says: "must be a duration such as 45s, 90m, 2h, 1h30m or 250ms, got 'soon'" },
  { why: 'a zero wait-timeout', inputs: { 'wait-timeout': '0' }, input: 'wait-timeout', says: "must be at least 1ms, got '0'" },
  { why: 'a wait-timeout with its units reversed', inputs: { 'wait-timeout': '30m2h' }, input: 'wait-timeout', says: "must list each unit once, largest first (as in 1h30m), got '30m2h'" },
  { why: 'a poll-interval with a space', inputs: { 'poll-interval': '10 s' }, input: 'poll-interval', says: "got '10 s'" },
  { why: 'a negative poll-interval', inputs: { 'poll-interval': '-1s' }, input: 'poll-interval', says: "got '-1s'" },
  { why: 'a max-poll-interval that is a word', inputs: { 'max-poll-interval': 'forever' }, input: 'max-poll-interval', says: "got 'forever'" },
  { why: 'max-poll-interval below poll-interval', inputs: { 'poll-interval': '10s', 'max-poll-interval': '5s' }, input: 'max-poll-interval', says: 'must be at least poll-interval (10000 ms), got 5000 ms' },
  { why: 'poll-interval above the default max-poll-interval', inputs: { 'poll-interval': '2m' }, input: 'max-poll-interval', says: 'must be at least poll-interval (120000 ms), got 60000 ms' },
  { why: 'a poll-interval that rounds to zero', inputs: { 'poll-interval': '0.4ms' }, input: 'poll-interval', says: "must be at least 1ms, got '0.4ms'" },
  { why: 'a max-poll-interval past what a timer can hold', inputs: { 'max-poll-interval': '30d' }, input: 'max-poll-interval', says: "got '30d'" },
  { why: 'a max-poll-interval over a day', inputs: { 'max-poll-interval': '25h' }, input: 'max-poll-interval', says: "must be at most 24h, got '25h'" },
  { why: 'a hex string as a hyperparameter', inputs: { hyperparameters: '{n_epochs: "0x10"}' }, input: 'hyperparameters', says: "key 'n_epochs' must be auto or" },
  { why: 'an unknown on-timeout', inputs: { 'on-timeout': 'retry' }, input: 'on-timeout', says: "must be one of fail, cancel, continue, got 'retry'" },
  { why: 'an on-timeout in capitals', inputs: { 'on-timeout': 'Cancel' }, input: 'on-timeout', says: "got 'Cancel'" },
];

describe('readConfig rejects bad input with one error that names the input', () => {
  it.each(BAD_INPUTS)('$input: $why', async ({ inputs, env, input, says }) => {
    setInputs({ ...REQUIRED, ...inputs });
    Object.assign(process.env, env);
    const error = await inputError();
    expect(error.input).toBe(input);
    expect(error.message.slice(0, `Input '${input}' `.length)).toBe(`Input '${input}' `);
    for (const text of [says].flat()) expect(error.message).toContain(text);
  });
});

describe('defaults', () => {
  const EXPECTED_DEFAULTS: FineTuneConfig = {
    mode: 'fine-tune',
    connection: {
      apiKey: 'sk-test-key',
      baseURL: 'https://api.openai.com/v1',
      provider: 'openai',
      organization: null,
      project: null,
    },
    run: { repository: 'octo-org/models', runId: '1234', attempt: '2', job: 'train', action: 'fine-tune' },
    cancelOnAbort: true,
    training: { kind: 'id', id: 'file-abc' },
    job: { model: 'gpt-4o-mini-2024-07-18', method: { type: 'supervised', supervised: {} } },
    modelRules: modelRules('gpt-4o-mini-2024-07-18', 'openai'),
    price: {
      price: { perMillionTokens: 3 },
      source: `https://openai.com/api/pricing/ (fine-tuning, training), checked ${PRICES_CHECKED}`,
    },
    validate: true,
    skipIfUnchanged: false,
    waitForJob: true,
    followOptions: {
      timeoutMs: (5 * 60 + 50) * 60_000,
      pollIntervalMs: 10_000,
      maxPollIntervalMs: 60_000,
      onTimeout: 'fail',
    },
  };

  /** The configuration read from exactly these inputs, all others unset. */
  async function readWith(inputs: Record<string, string>): Promise<FineTuneConfig> {
    clearInputs();
    setInputs(inputs);
    return readFineTune();
  }

  it("action.yml's defaults give the documented configuration", async () => {
    // Guards the comparison below: without parsed defaults it would compare nothing with nothing.
    expect(ACTION_DEFAULTS).toMatchObject({
      mode: 'fine-tune',
      method: 'supervised',
      'wait-timeout': '5h50m',
    });
    expect(await readWith({ ...ACTION_DEFAULTS, ...REQUIRED })).toEqual(EXPECTED_DEFAULTS);
  });

  it("unset inputs, and inputs set to '', read exactly as action.yml's defaults", async () => {
    const fromDefaults = await readWith({ ...ACTION_DEFAULTS, ...REQUIRED });
    const allEmpty = Object.fromEntries(Object.keys(actionInputs).map((name) => [name, '']));
    expect(await readWith(REQUIRED)).toEqual(fromDefaults);
    expect(await readWith({ ...allEmpty, ...REQUIRED })).toEqual(fromDefaults);
  });

  it('cancel mode needs only the key and job-id, and ignores fine-tune inputs', async () => {
    setInputs({ mode: 'cancel', 'api-key': 'sk-test-key', 'job-id': 'ftjob-abc123', 'wait-timeout': 'soon' });
    expect(await readConfig()).toEqual({
      mode: 'cancel',
      connection: EXPECTED_DEFAULTS.connection,
      jobId: 'ftjob-abc123',
    });
  });
});

describe('connection', () => {
  it('api-key falls back to OPENAI_API_KEY', async () => {
    setInputs({ ...REQUIRED, 'api-key': '' });
    process.env.OPENAI_API_KEY = 'sk-from-env';
    expect((await readFineTune()).connection.apiKey).toBe('sk-from-env');
  });

  it('an api-key input wins over OPENAI_API_KEY', async () => {
    setInputs({ ...REQUIRED, 'api-key': 'sk-from-input' });
    process.env.OPENAI_API_KEY = 'sk-from-env';
    expect((await readFineTune()).connection.apiKey).toBe('sk-from-input');
  });

  it('base-url falls back to OPENAI_BASE_URL', async () => {
    setInputs(REQUIRED);
    process.env.OPENAI_BASE_URL = 'http://localhost:8080/v1';
    expect((await readFineTune()).connection.baseURL).toBe('http://localhost:8080/v1');
  });

  it('a base-url input wins over OPENAI_BASE_URL, without its trailing slashes', async () => {
    setInputs({ ...REQUIRED, 'base-url': 'https://proxy.example.com/openai/v1//' });
    process.env.OPENAI_BASE_URL = 'http://localhost:8080/v1';
    expect((await readFineTune()).connection.baseURL).toBe('https://proxy.example.com/openai/v1');
  });

  it('organization and project are passed on', async () => {
    setInputs({ ...REQUIRED, organization: 'org-123', project: 'proj_456' });
    expect((await readFineTune()).connection).toMatchObject({ organization: 'org-123', project: 'proj_456' });
  });
});

describe('the api-key is masked', () => {
  const masked = (key: string) => stdout.join('').includes(`::add-mask::${key}`);

  it('when given as an input', async () => {
    setInputs({ ...REQUIRED, 'api-key': 'sk-secret-input' });
    await readConfig();
    expect(masked('sk-secret-input')).toBe(true);
  });

  it('when taken from OPENAI_API_KEY', async () => {
    setInputs({ ...REQUIRED, 'api-key': '' });
    process.env.OPENAI_API_KEY = 'sk-secret-env';
    await readConfig();
    expect(masked('sk-secret-env')).toBe(true);
  });

  it('before a later input fails', async () => {
    setInputs({ ...REQUIRED, 'api-key': 'sk-secret-early', model: '' });
    expect((await inputError()).input).toBe('model');
    expect(masked('sk-secret-early')).toBe(true);
  });
});

describe('training and validation files', () => {
  it('a file id is used as an id, with no local file', async () => {
    setInputs({ ...REQUIRED, 'training-file': 'file-abc', 'validation-file': 'file-XYZ_9' });
    const config = await readFineTune();
    expect(config.training).toEqual({ kind: 'id', id: 'file-abc' });
    expect(config.validation).toEqual({ kind: 'id', id: 'file-XYZ_9' });
  });

  it('a relative path is resolved against GITHUB_WORKSPACE, not the working directory', async () => {
    setInputs({ ...REQUIRED, 'training-file': 'data/train.jsonl', 'validation-file': './data/valid.jsonl' });
    const config = await readFineTune();
    expect(config.training).toEqual({
      kind: 'path',
      path: path.join(workspace, 'data', 'train.jsonl'),
      given: 'data/train.jsonl',
    });
    expect(config.validation).toEqual({
      kind: 'path',
      path: path.join(workspace, 'data', 'valid.jsonl'),
      given: './data/valid.jsonl',
    });
  });

  it('without GITHUB_WORKSPACE, a relative path is resolved against the working directory', async () => {
    delete process.env.GITHUB_WORKSPACE;
    vi.spyOn(process, 'cwd').mockReturnValue(workspace);
    setInputs({ ...REQUIRED, 'training-file': 'data/train.jsonl' });
    expect((await readFineTune()).training).toMatchObject({
      path: path.join(workspace, 'data', 'train.jsonl'),
    });
  });

  it('an absolute path is kept', async () => {
    const absolute = path.join(workspace, 'data', 'train.jsonl');
    setInputs({ ...REQUIRED, 'training-file': absolute });
    expect((await readFineTune()).training).toEqual({ kind: 'path', path: absolute, given: absolute });
  });

  it('without validation-file, the config has no validation', async () => {
    setInputs(REQUIRED);
    expect(await readFineTune()).not.toHaveProperty('validation');
  });
});

describe('grader', () => {
  it.each([
    ['a .yaml file in the workspace', 'graders/grader.yaml'],
    ['a .json file in the workspace', 'graders/grader.json'],
    ['inline JSON', JSON.stringify(PYTHON_GRADER)],
    [
      'an inline YAML block',
      'type: python\nname: exact\nsource: "def grade(sample, item):\\n    return 1.0\\n"',
    ],
  ])('is read from %s', async (_from, grader) => {
    setInputs({ ...REQUIRED, method: 'reinforcement', model: RFT_MODEL, grader });
    expect((await readFineTune()).job.method).toEqual({
      type: 'reinforcement',
      reinforcement: { grader: PYTHON_GRADER },
    });
  });

  it('sits beside the reinforcement hyperparameters', async () => {
    setInputs({
      ...REQUIRED,
      method: 'reinforcement',
      model: RFT_MODEL,
      grader: 'graders/grader.yaml',
      hyperparameters: '{reasoning_effort: low, eval_samples: "4"}',
    });
    expect((await readFineTune()).job.method).toEqual({
      type: 'reinforcement',
      reinforcement: { grader: PYTHON_GRADER, hyperparameters: { reasoning_effort: 'low', eval_samples: 4 } },
    });
  });
});

describe('job settings', () => {
  const contract = JSON.parse(
    readFileSync(
      new URL('../../contract/openai-fine-tuning.normalized.openapi.json', import.meta.url),
      'utf8',
    ),
  ) as object;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(contract, 'contract');
  const validateCreate = ajv.getSchema('contract#/components/schemas/CreateFineTuningJobRequest')!;

  it('a dpo job with hyperparameters, suffix, seed, metadata and integrations, as the API takes it', async () => {
    setInputs({
      ...REQUIRED,
      method: 'dpo',
      hyperparameters: 'beta: 0.1\nn_epochs: "3"\nbatch_size: auto\n',
      suffix: 'nightly-dpo',
      seed: '42',
      metadata: '{team: ml, run: 7, release: true}',
      integrations:
        '[{type: wandb, wandb: {project: fine-tunes, name: nightly, entity: acme, tags: [dpo, nightly]}}]',
    });
    const { job } = await readFineTune();
    expect(job).toEqual({
      model: 'gpt-4o-mini-2024-07-18',
      method: { type: 'dpo', dpo: { hyperparameters: { beta: 0.1, n_epochs: 3, batch_size: 'auto' } } },
      suffix: 'nightly-dpo',
      seed: 42,
      metadata: { team: 'ml', run: '7', release: 'true' },
      integrations: [
        {
          type: 'wandb',
          wandb: { project: 'fine-tunes', name: 'nightly', entity: 'acme', tags: ['dpo', 'nightly'] },
        },
      ],
    });
    const body = { ...job, training_file: 'file-abc' };
    expect(validateCreate(body), JSON.stringify(validateCreate.errors)).toBe(true);
  });

  it('takes each limit at its edge: 64-character suffix, seed 0 and 2147483647, 12 metadata pairs, long key and value', async () => {
    setInputs({ ...REQUIRED, suffix: 's'.repeat(64), seed: '2147483647', metadata: manyPairs(12) });
    const job = (await readFineTune()).job;
    expect(job.suffix).toHaveLength(64);
    expect(job.seed).toBe(2147483647);
    expect(Object.keys(job.metadata ?? {})).toHaveLength(12);

    setInputs({ seed: '0', metadata: `{${'k'.repeat(64)}: ${'v'.repeat(512)}}` });
    const edge = (await readFineTune()).job;
    expect(edge.seed).toBe(0);
    expect(edge.metadata).toEqual({ ['k'.repeat(64)]: 'v'.repeat(512) });
  });

  it('leaves out of the request every optional setting that was not given', async () => {
    setInputs(REQUIRED);
    expect(Object.keys((await readFineTune()).job).sort()).toEqual(['method', 'model']);
  });
});

describe('switches and waiting', () => {
  it('reads validate, wait, durations and on-timeout', async () => {
    setInputs({
      ...REQUIRED,
      validate: 'false',
      wait: 'FALSE',
      'wait-timeout': '1h30m',
      'poll-interval': '250ms',
      'max-poll-interval': '250ms',
      'on-timeout': 'continue',
    });
    const config = await readFineTune();
    expect(config.validate).toBe(false);
    expect(config.waitForJob).toBe(false);
    expect(config.followOptions).toEqual({
      timeoutMs: 5_400_000,
      pollIntervalMs: 250,
      maxPollIntervalMs: 250,
      onTimeout: 'continue',
    });
  });

  it('reads a bare wait-timeout as minutes', async () => {
    setInputs({ ...REQUIRED, 'wait-timeout': '90', 'on-timeout': 'cancel' });
    expect((await readFineTune()).followOptions).toMatchObject({
      timeoutMs: 90 * 60_000,
      onTimeout: 'cancel',
    });
  });
});

describe("the post step's configuration", () => {
  for (const mode of ['fine-tune', 'wait']) {
    it(`${mode}: the connection and cancel-on-abort, which defaults to true`, () => {
      setInputs({ mode, 'api-key': 'sk-test-key', 'base-url': 'http://localhost:8080/v1/' });
      expect(readCleanupConfig()).toEqual({
        connection: {
          apiKey: 'sk-test-key',
          baseURL: 'http://localhost:8080/v1',
          provider: 'compatible',
          organization: null,
          project: null,
        },
        cancelOnAbort: true,
      });
      setInputs({ 'cancel-on-abort': 'false' });
      expect(readCleanupConfig()?.cancelOnAbort).toBe(false);
    });
  }

  it('is fine-tune when mode is not given, as in action.yml', () => {
    setInputs({ 'api-key': 'sk-test-key' });
    expect(readCleanupConfig()).toMatchObject({ cancelOnAbort: true });
  });

  for (const mode of ['cancel', 'pause', 'resume']) {
    it(`${mode}: none, so the post step never acts, and no input is read that could fail it`, () => {
      setInputs({ mode, 'job-id': 'ftjob-abc123', 'cancel-on-abort': 'maybe', 'base-url': 'not a url' });
      expect(readCleanupConfig()).toBeUndefined();
    });
  }
});

describe('plan', () => {
  const PLAN = { mode: 'plan', model: 'gpt-4o-mini-2024-07-18', 'training-file': 'data/train.jsonl' };

  it('reads the model, the local data and the token, and knows the provider without credentials', async () => {
    setInputs({
      ...PLAN,
      'validation-file': 'data/valid.jsonl',
      'base-url': 'https://acme.openai.azure.com/openai/v1',
      'github-token': 'ghs_plan-token',
      hyperparameters: '{n_epochs: 2}',
    });
    const config = await readConfig();
    expect(config).toMatchObject({
      mode: 'plan',
      provider: 'azure',
      training: {
        kind: 'path',
        given: 'data/train.jsonl',
        path: path.join(workspace, 'data', 'train.jsonl'),
      },
      validation: { kind: 'path', given: 'data/valid.jsonl' },
      job: {
        model: 'gpt-4o-mini-2024-07-18',
        method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 2 } } },
      },
      skipIfUnchanged: false,
      githubToken: 'ghs_plan-token',
    });
    expect(config.connection).toBeUndefined();
    // The token is masked before anything else can print it.
    expect(stdout.join('')).toContain('::add-mask::ghs_plan-token');
  });

  it('connects when a key is there, and prices the estimate', async () => {
    setInputs({ ...PLAN, 'api-key': 'sk-plan', 'price-per-million-tokens': '2.5' });
    const config = await readConfig();
    expect(config.connection).toMatchObject({ apiKey: 'sk-plan', provider: 'openai' });
    expect(config.mode === 'plan' && config.price?.price).toEqual({ perMillionTokens: 2.5 });
  });

  it.each([
    [
      { 'training-file': 'file-abc123' },
      'training-file',
      'must be a local JSONL file in mode plan, which checks the data: got the uploaded file file-abc123',
    ],
    [{ 'training-file': '' }, 'training-file', 'is required'],
    [{ model: '' }, 'model', 'is required'],
    [{ method: 'dpo', model: 'o4-mini-2025-04-16' }, 'method', 'dpo is not available for o4-mini-2025-04-16'],
    [{ 'price-per-million-tokens': 'free' }, 'price-per-million-tokens', "got 'free'"],
  ])('refuses %o naming %s', async (inputs, input, says) => {
    setInputs({ ...PLAN, ...inputs });
    const error = await inputError();
    expect(error.input).toBe(input);
    expect(error.message).toContain(says);
  });
});

describe('credentials only over TLS (allow-insecure-http)', () => {
  const AZURE_KEYLESS = {
    'api-key': '',
    'base-url': 'https://contoso.openai.azure.com/openai/v1',
    'azure-client-id': 'client-1',
    'azure-tenant-id': 'tenant-1',
  };
  const DEPLOYMENT = {
    ...AZURE_KEYLESS,
    'deployment-name': 'ft-demo',
    'azure-subscription-id': 'sub-1',
    'azure-resource-group': 'rg-1',
  };
  // Each URL input with the other inputs it needs to be read at all.
  const CASES: Array<{ input: string; inputs: Record<string, string> }> = [
    { input: 'base-url', inputs: { 'base-url': 'http://api.example.invalid/v1' } },
    {
      input: 'azure-authority-host',
      inputs: { ...AZURE_KEYLESS, 'azure-authority-host': 'http://login.example.invalid' },
    },
    {
      input: 'azure-management-url',
      inputs: { ...DEPLOYMENT, 'azure-management-url': 'http://arm.example.invalid' },
    },
  ];

  it.each(CASES)('refuses http:// for $input off this machine, naming it', async ({ input, inputs }) => {
    setInputs({ ...REQUIRED, ...inputs });
    const error = await inputError();
    expect(error.input).toBe(input);
    expect(error.message).toContain('must use https');
    expect(error.message).toContain('allow-insecure-http');
  });

  it.each(CASES)('takes http:// for $input with allow-insecure-http: true', async ({ inputs }) => {
    setInputs({ ...REQUIRED, ...inputs, 'allow-insecure-http': 'true' });
    await expect(readConfig()).resolves.toMatchObject({ mode: 'fine-tune' });
  });

  it.each([
    'http://localhost:8080/v1',
    'http://127.0.0.1:8080/v1',
    'http://127.8.9.10/v1',
    'http://[::1]:8080/v1',
  ])('takes http:// to this machine: %s', async (baseURL) => {
    setInputs({ ...REQUIRED, 'base-url': baseURL });
    expect((await readFineTune()).connection.baseURL).toBe(baseURL.replace(/\/$/, ''));
  });

  it('refuses a host that only looks local (localhost.example.invalid, 127.0.0.1.example.invalid)', async () => {
    for (const host of ['localhost.example.invalid', '127.0.0.1.example.invalid']) {
      setInputs({ ...REQUIRED, 'base-url': `http://${host}/v1` });
      expect((await inputError()).input).toBe('base-url');
    }
  });

  it('refuses OPENAI_BASE_URL over http as the base-url it stands for', async () => {
    setInputs(REQUIRED);
    process.env.OPENAI_BASE_URL = 'http://gateway.example.invalid/v1';
    expect((await inputError()).input).toBe('base-url');
  });

  it('refuses before the post step too, which reads the same connection', () => {
    setInputs({ ...REQUIRED, 'base-url': 'http://api.example.invalid/v1' });
    expect(() => readCleanupConfig()).toThrow(/^Input 'base-url' must use https/);
  });
});

describe('files only from the workspace or RUNNER_TEMP', () => {
  const outside = mkdtempSync(path.join(tmpdir(), 'config-outside-'));
  const runnerTemp = mkdtempSync(path.join(tmpdir(), 'config-runner-temp-'));
  const line = JSON.stringify({
    messages: [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello' },
    ],
  });
  beforeAll(() => {
    writeFileSync(path.join(outside, 'secret.jsonl'), `${line}\n`);
    writeFileSync(path.join(outside, 'grader.json'), JSON.stringify(PYTHON_GRADER));
    writeFileSync(path.join(runnerTemp, 'made-earlier.jsonl'), `${line}\n`);
    mkdirSync(path.join(workspace, 'links'));
    symlinkSync(path.join(outside, 'secret.jsonl'), path.join(workspace, 'links', 'out.jsonl'));
    symlinkSync('/proc/self/environ', path.join(workspace, 'links', 'environ.jsonl'));
    symlinkSync(path.join(outside, 'grader.json'), path.join(workspace, 'links', 'grader.json'));
    symlinkSync(path.join(workspace, 'data', 'train.jsonl'), path.join(workspace, 'links', 'in.jsonl'));
  });
  afterAll(() => {
    rmSync(outside, { recursive: true, force: true });
    rmSync(runnerTemp, { recursive: true, force: true });
  });

  const climb = path.relative(workspace, path.join(outside, 'secret.jsonl'));
  it.each<{ why: string; input: string; inputs: Record<string, string> }>([
    { why: 'a symlink pointing out', input: 'training-file', inputs: { 'training-file': 'links/out.jsonl' } },
    {
      why: 'a symlink to /proc/self/environ',
      input: 'training-file',
      inputs: { 'training-file': 'links/environ.jsonl' },
    },
    { why: 'a path climbing out with ../', input: 'training-file', inputs: { 'training-file': climb } },
    {
      why: 'an absolute path outside',
      input: 'validation-file',
      inputs: { 'validation-file': path.join(outside, 'secret.jsonl') },
    },
    {
      why: 'a grader file linked from outside',
      input: 'grader',
      inputs: { ...REINFORCEMENT, grader: 'links/grader.json' },
    },
    {
      why: 'a grader path climbing out',
      input: 'grader',
      inputs: { ...REINFORCEMENT, grader: path.relative(workspace, path.join(outside, 'grader.json')) },
    },
  ])('refuses $why, naming $input', async ({ input, inputs }) => {
    setInputs({ ...REQUIRED, ...inputs });
    const error = await inputError();
    expect(error.input).toBe(input);
    expect(error.message).toContain('outside the workspace and RUNNER_TEMP');
  });

  it('refuses the same in mode plan', async () => {
    setInputs({ ...REQUIRED, mode: 'plan', 'training-file': 'links/out.jsonl' });
    expect((await inputError()).input).toBe('training-file');
  });

  it('takes a symlink that stays inside, by its real path', async () => {
    setInputs({ ...REQUIRED, 'training-file': 'links/in.jsonl' });
    expect((await readFineTune()).training).toEqual({
      kind: 'path',
      path: realpathSync(path.join(workspace, 'data', 'train.jsonl')),
      given: 'links/in.jsonl',
    });
  });

  it('takes a file under RUNNER_TEMP, and refuses it when RUNNER_TEMP is another folder', async () => {
    const file = path.join(runnerTemp, 'made-earlier.jsonl');
    setInputs({ ...REQUIRED, 'training-file': file });
    process.env.RUNNER_TEMP = runnerTemp;
    expect((await readFineTune()).training).toMatchObject({ kind: 'path', path: realpathSync(file) });
    process.env.RUNNER_TEMP = outside;
    expect((await inputError()).input).toBe('training-file');
  });
});
