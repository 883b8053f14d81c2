import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type LocalApi } from '../../server/index.ts';
import { startGithubOidc } from '../../tools/github-oidc.ts';
import { runAction } from '../../tools/run-action.ts';
import { closeLocalApi, deploymentTarget, entraSignIn, EXAMPLE, wrongAnswers } from './local-api.ts';

// Train, evaluate, promote on Azure through the bundle, signed in without a key: the new model is
// evaluated on a deployment of its own against what deployment-name serves, deployment-name is
// pointed at it only when it passes, and no candidate deployment is left in either case.

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const RIGHT = EXAMPLE('train.jsonl');
const WRONG = wrongAnswers(RIGHT);
/** Held-out examples: the training prompts with their right answers. */
const EVAL = RIGHT.split('\n').slice(0, 8).join('\n') + '\n';

async function azure(): Promise<LocalApi> {
  const api = await startServer({
    profile: 'azure',
    fileProcessingMs: 50,
    deploymentProvisioningMs: 150,
    jobPlan: { validatingMs: 150, queuedMs: 150, runningMs: 400 },
  });
  closers.push(() => closeLocalApi(api));
  return api;
}

async function train(
  api: LocalApi,
  env: Record<string, string>,
  runId: string,
  data: string,
  evaluate: boolean,
) {
  return runAction({
    files: { 'data/train.jsonl': data, 'data/eval.jsonl': EVAL },
    env: { ...env, GITHUB_RUN_ID: runId },
    inputs: {
      ...entraSignIn(api),
      model: 'gpt-4o-mini-2024-07-18',
      'training-file': 'data/train.jsonl',
      'poll-interval': '250ms',
      'max-poll-interval': '500ms',
      'wait-timeout': '90s',
      'deployment-name': 'support-bot',
      'deployment-sku': 'standard',
      ...deploymentTarget(api),
      ...(evaluate ? { 'eval-file': 'data/eval.jsonl' } : {}),
    },
  });
}

const served = (api: LocalApi) =>
  api.deployments().map((deployment) => [deployment.name, deployment.properties.model.name]);

describe('train, evaluate, promote on Azure', () => {
  it('serves a model that passes from deployment-name, keeps the old one when the next fails, and leaves no candidate', async () => {
    const oidc = await startGithubOidc();
    closers.push(oidc.close);
    const api = await azure();

    // What deployment-name serves to begin with: a model trained on wrong answers.
    const first = await train(api, oidc.env, '1001', WRONG, false);
    expect(first.code, first.log).toBe(0);
    const old = first.outputs['fine-tuned-model'];
    expect(served(api)).toEqual([['support-bot', old]]);

    // A model trained on the right answers beats it, and takes its place.
    const better = await train(api, oidc.env, '1002', RIGHT, true);
    expect(better.code, better.log).toBe(0);
    expect(better.outputs).toMatchObject({ 'eval-passed': 'true', promoted: 'true' });
    expect(Number(better.outputs['eval-score'])).toBeGreaterThan(Number(better.outputs['baseline-score']));
    expect(served(api)).toEqual([['support-bot', better.outputs['fine-tuned-model']]]);

    // Wrong answers again: the gate fails, the step fails, the model is still output, and
    // support-bot keeps serving the better model.
    const worse = await train(
      api,
      oidc.env,
      '1003',
      wrongAnswers(RIGHT, 'Sorry, nobody here could possibly say.'),
      true,
    );
    expect(worse.code).toBe(1);
    expect(worse.log).toContain('::error::The evaluation gate failed');
    expect(worse.outputs['fine-tuned-model']).toMatch(/\.ft-[0-9a-f]{32}$/);
    expect(worse.outputs).toMatchObject({ 'eval-passed': 'false', promoted: 'false' });
    expect(served(api)).toEqual([['support-bot', better.outputs['fine-tuned-model']]]);

    // The candidates answered through deployments of their own, made and deleted within each run.
    const candidates = api.requests.filter(
      (request) => request.method === 'PUT' && /\/deployments\/support-bot-eval-/.test(request.path),
    );
    expect(candidates).toHaveLength(2);
    // No key anywhere: the data plane and Resource Manager took Entra tokens only.
    expect(api.requests.some((request) => request.credential === 'api-key')).toBe(false);
  }, 240_000);
});
