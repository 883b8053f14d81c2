// Runs the local OpenAI API until SIGINT/SIGTERM:
//   node server/cli.ts [--port N] [--api-key K] [--running-ms N] ...   (see --help)
// Prints "listening on <base url>", the key clients must send and the provider to set once ready
// (for --profile azure, also the Entra authority and Resource Manager URLs), and each contract violation on stderr.
import { parseArgs } from 'node:util';
import {
  FAULT_KINDS,
  PROFILES,
  startServer,
  type FaultKind,
  type FaultPlan,
  type JobPlan,
  type Profile,
} from './index.ts';

const USAGE = `usage: node server/cli.ts [options]
  --profile NAME           the API to play (default openai; see server/README.md):
                             openai      OpenAI's, base URL http://127.0.0.1:PORT/v1
                             azure       Azure OpenAI's v1 (Microsoft's spec), base URL .../openai/v1,
                                         key in an api-key header or an Entra token; an Entra token
                                         endpoint and ARM deployments on the same port
                             compatible  an OpenAI-compatible provider, base URL .../v1: no uploads,
                                         pause or resume, no metadata on jobs, file status null,
                                         LoRA hyperparameters accepted, metadata filter ignored
  --port N                 port on 127.0.0.1 (default: a free one)
  --api-key K              key clients must send (default sk-local-test)
  --storage-dir DIR        keep file bytes here (default: a temporary directory)
  --file-processing-ms N   time before an uploaded file is processed (default 200)
  --no-contract-check      do not validate bodies against the OpenAPI spec
azure profile:
  --token-lifetime-s N     lifetime of Entra tokens, whole seconds (default 3599)
  --deployment-ms N        time an ARM deployment stays Creating (default 200)
shared account (see server/README.md):
  --ignore-metadata-filter list every job whatever metadata[...] asks, as Azure's v1 API does
                           (the default for --profile azure and compatible)
  --honour-metadata-filter filter the jobs list by metadata[...] (the default for openai)
  --other-teams-jobs       start with other teams' running, queued and succeeded jobs, which
                           stay as they are until cancelled, paused or resumed
  --drop-metadata          play the API behind a gateway that removes metadata from request
                           bodies (LiteLLM's OpenAI pass-through): jobs have none
chat completions:
  --chat-latency D         every chat completion takes D to answer: 200ms, 2s or 200 (ms)
job plan (for every job created):
  --validating-ms N --queued-ms N --running-ms N
  --outcome succeeded|failed   --fail-at validating_files|running
  --error-code C --error-message M --error-param P
  --estimated-finish   --checkpoints N   --metric-events N   --total-steps N
fault injection (see server/README.md):
  --fault-rate R           share of requests (0..1) that fail instead of being handled (default 0)
  --fault-seed N           seed of the generator that picks them (default 1)
  --fault-kinds K,K        failures to draw from: ${FAULT_KINDS.join(',')} (default all)
  --fault-routes REGEX     only paths under the base URL matching REGEX can fail (default all)
  --retry-after-ms N       retry-after-ms on 429 and 503 answers (default 20)
  --lost-creates N         the next N job creations succeed but their answer is lost
  --insufficient-quota     every request with a valid key answers 429 insufficient_quota
  --delay-ms N             every answer waits N ms first (default 0)
  --rate-limited N         the next N requests (of --fault-routes) answer 429 rate_limit_exceeded
  --file-not-ready-ms N    job creations on a file uploaded less than N ms ago answer 400
                           file_not_ready (with --profile compatible: a provider without file status)
  --file-not-ready-attempts N
                           the first N job creations on each file answer 400 file_not_ready`;

const { values } = parseArgs({
  options: {
    profile: { type: 'string' },
    port: { type: 'string' },
    'api-key': { type: 'string' },
    'storage-dir': { type: 'string' },
    'file-processing-ms': { type: 'string' },
    'no-contract-check': { type: 'boolean' },
    'ignore-metadata-filter': { type: 'boolean' },
    'honour-metadata-filter': { type: 'boolean' },
    'token-lifetime-s': { type: 'string' },
    'deployment-ms': { type: 'string' },
    'other-teams-jobs': { type: 'boolean' },
    'validating-ms': { type: 'string' },
    'queued-ms': { type: 'string' },
    'running-ms': { type: 'string' },
    outcome: { type: 'string' },
    'fail-at': { type: 'string' },
    'error-code': { type: 'string' },
    'error-message': { type: 'string' },
    'error-param': { type: 'string' },
    'estimated-finish': { type: 'boolean' },
    checkpoints: { type: 'string' },
    'metric-events': { type: 'string' },
    'total-steps': { type: 'string' },
    'fault-rate': { type: 'string' },
    'fault-seed': { type: 'string' },
    'fault-kinds': { type: 'string' },
    'fault-routes': { type: 'string' },
    'retry-after-ms': { type: 'string' },
    'lost-creates': { type: 'string' },
    'insufficient-quota': { type: 'boolean' },
    'delay-ms': { type: 'string' },
    'rate-limited': { type: 'string' },
    'file-not-ready-ms': { type: 'string' },
    'file-not-ready-attempts': { type: 'string' },
    'drop-metadata': { type: 'boolean' },
    'chat-latency': { type: 'string' },
    help: { type: 'boolean' },
  },
});

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

function usageError(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function number(name: keyof typeof values): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) usageError(`--${name} needs a number, got '${String(raw)}'`);
  return value;
}

const profile = (values.profile ?? 'openai') as Profile;
if (!PROFILES.includes(profile)) usageError(`--profile: unknown profile '${profile}'`);
if (values['ignore-metadata-filter'] && values['honour-metadata-filter'])
  usageError('--ignore-metadata-filter and --honour-metadata-filter contradict each other');

const plan: Partial<JobPlan> = {};
const setIfGiven = <K extends keyof JobPlan>(key: K, value: JobPlan[K] | undefined) => {
  if (value !== undefined) plan[key] = value;
};
setIfGiven('validatingMs', number('validating-ms'));
setIfGiven('queuedMs', number('queued-ms'));
setIfGiven('runningMs', number('running-ms'));
setIfGiven('outcome', values.outcome as JobPlan['outcome'] | undefined);
setIfGiven('failAt', values['fail-at'] as JobPlan['failAt'] | undefined);
setIfGiven('estimatedFinish', values['estimated-finish']);
setIfGiven('checkpoints', number('checkpoints'));
setIfGiven('metricEvents', number('metric-events'));
setIfGiven('totalSteps', number('total-steps'));
if (values['error-code'] !== undefined || values['error-message'] !== undefined) {
  plan.error = {
    code: values['error-code'] ?? 'server_error',
    message: values['error-message'] ?? 'The job failed.',
    param: values['error-param'] ?? null,
  };
}

const faults: Partial<FaultPlan> = {
  rate: number('fault-rate'),
  seed: number('fault-seed'),
  retryAfterMs: number('retry-after-ms'),
  lostCreates: number('lost-creates'),
  insufficientQuota: values['insufficient-quota'],
  delayMs: number('delay-ms'),
  rateLimited: number('rate-limited'),
  fileNotReadyMs: number('file-not-ready-ms'),
  fileNotReadyAttempts: number('file-not-ready-attempts'),
};
if (values['fault-kinds'] !== undefined) {
  const kinds = values['fault-kinds'].split(',').map((kind) => kind.trim());
  const unknown = kinds.filter((kind) => !(FAULT_KINDS as readonly string[]).includes(kind));
  if (unknown.length > 0) usageError(`--fault-kinds: unknown kind(s) ${unknown.join(', ')}`);
  faults.kinds = kinds as FaultKind[];
}
if (values['fault-routes'] !== undefined) {
  try {
    faults.routes = new RegExp(values['fault-routes']);
  } catch (error) {
    usageError(`--fault-routes: ${(error as Error).message}`);
  }
}

function duration(name: 'chat-latency'): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(raw.trim());
  if (!match) usageError(`--${name} needs a duration such as 200ms or 2s, got '${raw}'`);
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
}

const api = await startServer({
  profile,
  port: number('port'),
  apiKey: values['api-key'],
  storageDir: values['storage-dir'],
  fileProcessingMs: number('file-processing-ms'),
  contractCheck: !values['no-contract-check'],
  onContractViolation: (violation) => console.error(`contract violation: ${violation}`),
  jobPlan: plan,
  faults,
  metadataFilter: values['ignore-metadata-filter']
    ? 'ignored'
    : values['honour-metadata-filter']
      ? 'honoured'
      : undefined,
  tokenLifetimeSeconds: number('token-lifetime-s'),
  deploymentProvisioningMs: number('deployment-ms'),
  chatLatencyMs: duration('chat-latency'),
  dropMetadata: values['drop-metadata'],
}).catch((error: unknown) => {
  // A fault plan or a lifetime out of range (a rate above 1, a negative delay) is a usage error too.
  if (error instanceof RangeError) usageError(error.message);
  throw error;
});
if (values['other-teams-jobs']) api.seedOtherTeamsJobs();
// One write, so that a reader of the first chunk gets every line.
console.log(
  [
    `listening on ${api.url}`,
    `api key: ${api.apiKey} (the action's api-key input; base-url is the address above)`,
    // By its address alone, auto would take this API for a compatible provider's.
    profile === 'compatible'
      ? "provider: compatible (the action's provider input; auto takes this address for one too)"
      : `provider: ${profile} (set the action's provider input to ${profile}: by this address alone, auto takes it for a compatible provider, ${profile === 'azure' ? "without Azure's model table, api-key header and deployments" : 'and no built-in training price applies'})`,
    ...(api.authorityUrl === null
      ? []
      : [
          `entra authority: ${api.authorityUrl} (POST /{tenant}/oauth2/v2.0/token)`,
          `resource manager: ${api.managementUrl}`,
        ]),
  ].join('\n'),
);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void api.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
