// The peer the bench holds the action against: the smallest action a user would write with the
// same SDK, bundled as the action is (ncc, es2023) into .bench/baseline/ at bench time. It reads
// its inputs with @actions/core, retrieves one job, and polls it with a plain timer until the job
// is finished, so that while a job runs it holds the same SDK and toolkit the action holds.
import * as core from '@actions/core';
import OpenAI from 'openai';

const TERMINAL = ['succeeded', 'failed', 'cancelled'];

try {
  const client = new OpenAI({ apiKey: core.getInput('api-key'), baseURL: core.getInput('base-url') });
  const jobId = core.getInput('job-id');
  const intervalMs = Number(core.getInput('poll-interval-ms') || '10000');
  let job = await client.fineTuning.jobs.retrieve(jobId);
  while (!TERMINAL.includes(job.status)) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    job = await client.fineTuning.jobs.retrieve(jobId);
  }
  core.setOutput('status', job.status);
} catch (error) {
  core.setFailed(error instanceof Error ? error.message : String(error));
}
