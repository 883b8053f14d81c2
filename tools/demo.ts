// `npm run demo`: the committed bundle, run exactly as the runner runs it, against the local
// fine-tuning API on this machine. No API key, no network.
// `npm run demo -- --provider azure`: the same on Azure's v1 API as the local API plays it, signed
// in without a key (the workflow's OIDC token for a Microsoft Entra ID token, both from local
// stand-ins), and the model deployed through Azure Resource Manager's stand-in.
// `npm run demo -- --plan`: then a pull request that changes the data gets its plan, as a comment
// on a local stand-in for GitHub's API.
// `npm run demo -- --debug` (or RUNNER_DEBUG=1): the action's debug lines too, as a runner with
// step debug logging shows them.
// `npm run demo -- --evaluate`: the training is followed by an evaluation of the new model against
// its base model (a gate that passes), then mode evaluate grades the base model against the new
// one (a gate that fails).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startGithubServer } from '../server/github.ts';
import { startServer } from '../server/index.ts';
import { startGithubOidc, type GithubOidc } from './github-oidc.ts';
import { ROOT, runAction } from './run-action.ts';

const { values } = parseArgs({
  options: {
    provider: { type: 'string', default: 'openai' },
    plan: { type: 'boolean', default: false },
    debug: { type: 'boolean', default: process.env.RUNNER_DEBUG === '1' },
    evaluate: { type: 'boolean', default: false },
  },
});
const provider = values.provider;
if (values.evaluate && provider === 'azure') {
  console.error(
    '--evaluate plays OpenAI; on Azure the evaluation runs on a candidate deployment (see test/e2e/evaluate-azure.e2e.test.ts)',
  );
  process.exit(2);
}
if (provider !== 'openai' && provider !== 'azure') {
  console.error(`--provider must be openai or azure, got '${provider}'`);
  process.exit(2);
}

const api = await startServer({
  profile: provider,
  fileProcessingMs: 500,
  jobPlan: { validatingMs: 1500, queuedMs: 1500, runningMs: 6000, estimatedFinish: true, metricEvents: 6 },
});
const common = {
  'base-url': api.url,
  // The local API's address says nothing of whom it plays; auto would take it for a compatible one.
  provider,
  model: 'gpt-4o-mini-2024-07-18',
  'training-file': 'examples/data/train.jsonl',
  'validation-file': 'examples/data/valid.jsonl',
  hyperparameters: '{n_epochs: 3, batch_size: auto}',
  suffix: 'demo',
  'poll-interval': '500ms',
  'max-poll-interval': '2s',
};
let oidc: GithubOidc | undefined;
let inputs: Record<string, string>;
if (provider === 'azure') {
  oidc = await startGithubOidc();
  inputs = {
    ...common,
    'azure-client-id': '00000000-0000-0000-0000-0000000000c1',
    'azure-tenant-id': 'contoso-tenant',
    'azure-authority-host': api.authorityUrl!,
    'deployment-name': 'demo-bot',
    'azure-subscription-id': '00000000-0000-0000-0000-00000000a2b1',
    'azure-resource-group': 'ml',
    'azure-account': 'contoso',
    'azure-management-url': api.managementUrl!,
  };
} else {
  inputs = { ...common, 'api-key': api.apiKey };
}
// The training prompts, which the model just trained answers with its trained answers.
if (values.evaluate) inputs['eval-file'] = 'examples/data/train.jsonl';

console.log(
  `Local fine-tuning API playing ${provider}: ${api.url} (every request checked against contract/)`,
);
console.log('Running dist/index.js with these inputs:');
for (const [name, value] of Object.entries(inputs)) console.log(`  ${name}: ${value}`);
console.log('\n--- action log ---');
// The runner's switch for step debug logging: the action's ::debug:: lines show only with it.
const debug: Record<string, string> = values.debug ? { RUNNER_DEBUG: '1' } : {};
const run = await runAction({ workspace: ROOT, inputs, echo: true, env: { ...oidc?.env, ...debug } });
console.log('--- end of action log ---\n');
showRun();
if (values.plan && run.code === 0) await planDemo();
let failedGate: Awaited<ReturnType<typeof runAction>> | undefined;
if (values.evaluate && run.code === 0) {
  console.log('\n--- mode evaluate: the base model against the model just trained (a gate that fails) ---');
  failedGate = await runAction({
    workspace: ROOT,
    inputs: {
      'api-key': api.apiKey,
      'base-url': api.url,
      provider,
      mode: 'evaluate',
      model: 'gpt-4o-mini-2024-07-18',
      'baseline-model': run.outputs['fine-tuned-model'],
      'eval-file': 'examples/data/train.jsonl',
      'max-regression': '0.05',
    },
    echo: true,
  });
  console.log(`Exit code: ${failedGate.code} (the gate failed, as it should)`);
  for (const name of ['eval-score', 'baseline-score', 'eval-passed', 'eval-report'])
    console.log(`  ${name}: ${failedGate.outputs[name]}`);
  console.log('\nIts job summary:\n');
  console.log(failedGate.summary);
}
console.log(`Contract violations: ${api.contractViolations.length}`);
for (const violation of api.contractViolations) console.log(`  ${violation}`);
await api.close();
await oidc?.close();
const gateFailedAsItShould = !values.evaluate || failedGate?.outputs['eval-passed'] === 'false';
process.exitCode = run.code === 0 && gateFailedAsItShould && api.contractViolations.length === 0 ? 0 : 1;

/** The first run's exit code, outputs, job summary and the API calls it made. */
function showRun(): void {
  console.log(`Exit code: ${run.code}`);
  console.log('Outputs:');
  for (const [name, value] of Object.entries(run.outputs)) {
    if (name !== 'job') console.log(`  ${name}: ${value}`);
  }
  console.log(`  job: (the job object as JSON, ${run.outputs.job?.length ?? 0} characters)`);
  console.log('\nJob summary (Markdown that GitHub renders on the run page):\n');
  console.log(run.summary);
  const created = api.count('POST', '/fine_tuning/jobs');
  const uploads = api.count('POST', '/files');
  console.log(`API calls: ${api.requests.length} in all, ${uploads} uploads, ${created} job created`);
  if (provider === 'azure') {
    console.log(
      `Entra tokens issued: ${api.tokenRequests.filter((request) => request.status === 200).length}`,
    );
    for (const deployment of api.deployments()) {
      console.log(
        `Deployment ${deployment.name}: ${deployment.properties.model.name} (${deployment.properties.provisioningState})`,
      );
    }
  }
}

/** A pull request that changes one answer, drops an example and adds one, planned against the model just trained. */
async function planDemo(): Promise<void> {
  const github = await startGithubServer();
  // The pull request's checkout: this repository at one commit, as actions/checkout makes it, with
  // the pull request's change committed on top. The plan reads the last model's data from history.
  const workspace = mkdtempSync(path.join(tmpdir(), 'plan-demo-'));
  const git = (...args: string[]) =>
    execFileSync('git', [
      '-C',
      workspace,
      '-c',
      'user.name=demo',
      '-c',
      'user.email=demo@example.invalid',
      ...args,
    ]);
  git('clone', '--quiet', '--depth=1', `file://${ROOT}`, '.');
  const lines = readFileSync(path.join(ROOT, 'examples/data/train.jsonl'), 'utf8').trim().split('\n');
  const changed = JSON.parse(lines[0]) as { messages: Array<{ content: string }> };
  changed.messages[changed.messages.length - 1].content = 'A better answer.';
  const added = JSON.stringify({
    messages: [
      { role: 'system', content: 'You are a support assistant.' },
      { role: 'user', content: 'Can I change my plan?' },
      { role: 'assistant', content: 'Yes: Settings > Billing > Plan.' },
    ],
  });
  writeFileSync(
    path.join(workspace, 'examples/data/train.jsonl'),
    [JSON.stringify(changed), ...lines.slice(2), added].join('\n') + '\n',
  );
  git('commit', '--quiet', '--all', '--message', 'A pull request changes the data');
  const event = path.join(mkdtempSync(path.join(tmpdir(), 'plan-event-')), 'event.json');
  writeFileSync(event, JSON.stringify({ pull_request: { number: 7 } }));
  console.log('\n--- a pull request changes the data: mode plan ---');
  const plan = await runAction({
    workspace,
    // The fine-tune run's inputs: a plan reads those it needs (the model, the data, the settings).
    inputs: { ...inputs, mode: 'plan', 'github-token': github.token },
    env: {
      ...oidc?.env,
      ...debug,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_API_URL: github.url,
    },
  });
  console.log(`Exit code: ${plan.code}; plan: ${plan.outputs.plan}; comment: ${plan.outputs['comment-url']}`);
  console.log('\nThe comment on the pull request:\n');
  console.log(github.comments()[0]?.body ?? '(none)');
  await github.close();
}
