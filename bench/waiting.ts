import { startServer, type JobPlan, type LocalApi } from '../server/index.ts';
import type { LocalCertificate } from '../server/tls.ts';
import { runAction } from '../tools/run-action.ts';
import { baselineBundle, runBaseline } from './baseline.ts';
import { peakMemory } from './measure.ts';

export interface WaitMemory {
  actionMb: number;
  baselineMb: number;
}

/** A job of the server's plan, created by the action itself (fine-tune, wait false), which then exits. */
async function createJob(root: string, api: LocalApi, env: Record<string, string>): Promise<string> {
  const run = await runAction({
    workspace: root,
    inputs: {
      'api-key': api.apiKey,
      'base-url': api.url,
      provider: 'openai',
      model: 'gpt-4o-mini-2024-07-18',
      'training-file': 'examples/data/train.jsonl',
      validate: 'false',
      wait: 'false',
    },
    env,
  });
  if (run.code !== 0 || !run.outputs['job-id']) throw new Error(`creating the job failed:\n${run.log}`);
  return run.outputs['job-id'];
}

/**
 * Peak memory of the action (mode wait) and of the baseline following one job of `plan`'s length
 * to its end, side by side: the same job on the same server at the same time, so neither sees a
 * shorter job or a quieter machine. Each starts polling once a second; the action's gaps then grow
 * with the job's age, as they do for every user, and it reads events and writes a summary.
 */
export async function waitMemory(
  root: string,
  dir: string,
  plan: Partial<JobPlan>,
  tls?: LocalCertificate,
): Promise<WaitMemory> {
  const baseline = await baselineBundle(root, dir);
  const api = await startServer({ fileProcessingMs: 0, jobPlan: plan, ...(tls ? { tls } : {}) });
  const env: Record<string, string> = tls ? { NODE_EXTRA_CA_CERTS: tls.certFile } : {};
  try {
    const jobId = await createJob(root, api, env);
    const actionMemory = peakMemory();
    const baselineMemory = peakMemory();
    const [action, peer] = await Promise.all([
      runAction({
        workspace: root,
        prefix: actionMemory.prefix,
        inputs: {
          mode: 'wait',
          'api-key': api.apiKey,
          'base-url': api.url,
          provider: 'openai',
          'job-id': jobId,
          'poll-interval': '1s',
          'max-poll-interval': '60s',
        },
        env,
      }),
      runBaseline(
        baseline,
        {
          'api-key': api.apiKey,
          'base-url': api.url,
          provider: 'openai',
          'job-id': jobId,
          'poll-interval-ms': '1000',
        },
        { prefix: baselineMemory.prefix, env },
      ),
    ]);
    if (action.code !== 0 || action.outputs.status !== 'succeeded')
      throw new Error(`the action did not follow the job to its end (${action.code}):\n${action.log}`);
    if (peer.code !== 0 || !peer.outputs.includes('succeeded'))
      throw new Error(`the baseline did not follow the job to its end (${peer.code}):\n${peer.log}`);
    return { actionMb: actionMemory.readMb(), baselineMb: baselineMemory.readMb() };
  } finally {
    await api.close();
  }
}
