import { readFileSync } from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import type { FineTuningJob } from 'openai/resources/fine-tuning/jobs/jobs';
import { expect } from 'vitest';
import {
  startServer,
  type FaultPlan,
  type JobPlan,
  type LocalApi,
  type ServerOptions,
} from '../../server/index.ts';
import { ROOT, runAction, type RunOptions } from '../../tools/run-action.ts';

export const EXAMPLE = (name: string) => readFileSync(path.join(ROOT, 'examples', 'data', name), 'utf8');

/** The local API with short phases, so a whole job lasts about a second; faults only when asked. */
export function startLocalApi(
  plan: Partial<JobPlan> = {},
  faults: Partial<FaultPlan> = {},
  options: Pick<ServerOptions, 'metadataFilter' | 'profile'> = {},
): Promise<LocalApi> {
  return startServer({
    fileProcessingMs: 50,
    jobPlan: { validatingMs: 150, queuedMs: 150, runningMs: 600, ...plan },
    faults,
    ...options,
  });
}

/** What every run against the local API must leave behind: no request or answer off the contract. */
export async function closeLocalApi(api: LocalApi): Promise<void> {
  await api.close();
  expect(api.contractViolations).toEqual([]);
}

/** Inputs that point the action at the local API, as the provider it plays (its address says nothing of that). */
export function connect(api: LocalApi): Record<string, string> {
  return { 'api-key': api.apiKey, 'base-url': api.url, provider: api.profile };
}

/** Starts a job the way another workflow would have, straight through the SDK. */
export async function startJob(api: LocalApi): Promise<FineTuningJob> {
  const client = new OpenAI({ apiKey: api.apiKey, baseURL: api.url, maxRetries: 0 });
  const file = await client.files.create({
    file: new File([EXAMPLE('train.jsonl')], 'train.jsonl'),
    purpose: 'fine-tune',
  });
  await client.files.waitForProcessing(file.id, { pollInterval: 20 });
  return client.fineTuning.jobs.create({ model: 'gpt-4o-mini-2024-07-18', training_file: file.id });
}

/** Resolves once the job reaches the status (or any of them), polling the local API directly. */
export async function untilStatus(api: LocalApi, jobId: string, ...statuses: string[]): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (statuses.includes(api.jobs().find((job) => job.id === jobId)?.status ?? '')) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`job ${jobId} never reached ${statuses.join(' or ')}`);
}

export async function apiCall(api: LocalApi, method: string, route: string): Promise<unknown> {
  const response = await fetch(`${api.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${api.apiKey}` },
  });
  return response.json();
}

/** A fine-tune of the example training data against the local API, polling quickly; `extra` adds to it. */
export function fineTuneExample(api: LocalApi, extra: Partial<RunOptions> = {}) {
  return runAction({
    files: { 'data/train.jsonl': EXAMPLE('train.jsonl') },
    ...extra,
    inputs: {
      ...connect(api),
      model: 'gpt-4o-mini-2024-07-18',
      'training-file': 'data/train.jsonl',
      'poll-interval': '100ms',
      'max-poll-interval': '400ms',
      ...extra.inputs,
    },
  });
}

/** The same examples with every final answer wrong: a model trained on them fails an evaluation. */
export function wrongAnswers(jsonl: string, answer = 'Nobody here could possibly say, I am afraid.'): string {
  return jsonl
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const example = JSON.parse(line) as { messages: Array<{ role: string; content: string }> };
      example.messages.at(-1)!.content = answer;
      return JSON.stringify(example);
    })
    .join('\n');
}

/** Inputs that sign in to the local API's azure profile without a key (its Entra stand-in). */
export function entraSignIn(api: LocalApi): Record<string, string> {
  return {
    'base-url': api.url,
    provider: 'azure',
    'azure-client-id': '00000000-0000-0000-0000-0000000000c1',
    'azure-tenant-id': 'contoso-tenant',
    'azure-authority-host': api.authorityUrl!,
  };
}

/** Where a deployment goes in the Resource Manager stand-in of `api`. */
export function deploymentTarget(api: LocalApi): Record<string, string> {
  return {
    'azure-subscription-id': '00000000-0000-0000-0000-00000000a2b1',
    'azure-resource-group': 'ml',
    'azure-account': 'contoso',
    'azure-management-url': api.managementUrl!,
  };
}
