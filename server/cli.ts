// Runs the local OpenAI API until SIGINT/SIGTERM:
//   node server/cli.ts [--port N] [--api-key K] [--running-ms N] ...   (see --help)
// Prints "listening on <base url>" once ready, and each contract violation on stderr.
import { parseArgs } from 'node:util';
import { startServer, type JobPlan } from './index.ts';

const USAGE = `usage: node server/cli.ts [options]
  --port N                 port on 127.0.0.1 (default: a free one)
  --api-key K              key clients must send (default sk-local-test)
  --storage-dir DIR        keep file bytes here (default: a temporary directory)
  --file-processing-ms N   time before an uploaded file is processed (default 200)
  --no-contract-check      do not validate bodies against the OpenAPI spec
job plan (for every job created):
  --validating-ms N --queued-ms N --running-ms N
  --outcome succeeded|failed   --fail-at validating_files|running
  --error-code C --error-message M --error-param P
  --estimated-finish   --checkpoints N   --metric-events N   --total-steps N`;

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'api-key': { type: 'string' },
    'storage-dir': { type: 'string' },
    'file-processing-ms': { type: 'string' },
    'no-contract-check': { type: 'boolean' },
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
    help: { type: 'boolean' },
  },
});

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

function number(name: keyof typeof values): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    console.error(`--${name} needs a number, got '${String(raw)}'\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

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

const api = await startServer({
  port: number('port'),
  apiKey: values['api-key'],
  storageDir: values['storage-dir'],
  fileProcessingMs: number('file-processing-ms'),
  contractCheck: !values['no-contract-check'],
  onContractViolation: (violation) => console.error(`contract violation: ${violation}`),
  jobPlan: plan,
});
console.log(`listening on ${api.url}`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void api.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
