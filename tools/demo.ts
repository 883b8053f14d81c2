// `npm run demo`: the committed bundle, run exactly as the runner runs it, against the local
// fine-tuning API on this machine. No API key, no network; about fifteen seconds.
import { startServer } from '../server/index.ts';
import { ROOT, runAction } from './run-action.ts';

const api = await startServer({
  fileProcessingMs: 500,
  jobPlan: { validatingMs: 1500, queuedMs: 1500, runningMs: 6000, estimatedFinish: true, metricEvents: 6 },
});
const inputs = {
  'api-key': api.apiKey,
  'base-url': api.url,
  // The local API plays OpenAI's; by its address alone, auto would take it for a compatible one.
  provider: 'openai',
  model: 'gpt-4o-mini-2024-07-18',
  'training-file': 'examples/data/train.jsonl',
  'validation-file': 'examples/data/valid.jsonl',
  hyperparameters: '{n_epochs: 3, batch_size: auto}',
  suffix: 'demo',
  'poll-interval': '500ms',
  'max-poll-interval': '2s',
};

console.log(`Local fine-tuning API: ${api.url} (every request checked against contract/)`);
console.log('Running dist/index.js with these inputs:');
for (const [name, value] of Object.entries(inputs)) console.log(`  ${name}: ${value}`);
console.log('\n--- action log ---');
const run = await runAction({ workspace: ROOT, inputs, echo: true });
await api.close();

console.log('--- end of action log ---\n');
console.log(`Exit code: ${run.code}`);
console.log('Outputs:');
for (const [name, value] of Object.entries(run.outputs)) {
  if (name !== 'job') console.log(`  ${name}: ${value}`);
}
console.log(`  job: (the job object as JSON, ${run.outputs.job?.length ?? 0} characters)`);
console.log(
  `\nJob summary (Markdown that GitHub renders on the run page), saved at ${run.runnerDir}/summary:\n`,
);
console.log(run.summary);
const created = api.count('POST', '/fine_tuning/jobs');
const uploads = api.count('POST', '/files');
console.log(`API calls: ${api.requests.length} in all, ${uploads} uploads, ${created} job created`);
console.log(`Contract violations: ${api.contractViolations.length}`);
for (const violation of api.contractViolations) console.log(`  ${violation}`);

process.exitCode = run.code === 0 && api.contractViolations.length === 0 ? 0 : 1;
