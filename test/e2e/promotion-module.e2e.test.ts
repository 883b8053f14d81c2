// src/azure/promotion.ts against the local API's azure profile: Resource Manager's stand-in for the
// deployments, its Entra stand-in for keyless sign-in (a GitHub OIDC token exchanged for a
// management token and a data-plane token), and chat completions by deployment name. The
// evaluation is a stub that asks both deployments through the data plane and says which model
// answered; whatever it decides, no candidate deployment is left.
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, TOKEN_EXCHANGE_AUDIENCE, type LocalApi } from '../../server/index.ts';
import { ENTRA_SCOPE } from '../../src/api/sign-in.ts';
import { deploy } from '../../src/azure/deployment.ts';
import { evaluateOnAzure, type PromotionTarget } from '../../src/azure/promotion.ts';
import { mintGithubToken } from '../../tools/github-oidc.ts';
import { captureStdout } from '../helpers/capture.ts';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

let api: LocalApi | undefined;
let stdout: ReturnType<typeof captureStdout>;

beforeEach(() => (stdout = captureStdout()));
afterEach(async () => {
  stdout.restore();
  if (!api) return;
  await api.close();
  expect(api.contractViolations).toEqual([]);
  api = undefined;
});

/** An Entra token for `scope`, exchanged for the workflow's GitHub OIDC token as keyless sign-in does. */
async function entraToken(local: LocalApi, scope: string): Promise<string> {
  const response = await fetch(`${local.authorityUrl}/${TENANT}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: '00000000-0000-0000-0000-00000000c11e',
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: mintGithubToken({
        sub: 'repo:our-org/our-repo:ref:refs/heads/main',
        aud: TOKEN_EXCHANGE_AUDIENCE,
      }),
      scope,
    }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

interface Setup {
  local: LocalApi;
  target: PromotionTarget;
  oldModel: string;
  newModel: string;
  management: () => Promise<string>;
  /** Chat completions on the data plane, signed in with an Entra token: `model` is a deployment's name. */
  chat: OpenAI;
}

/** The local Azure with `support-bot` serving an older fine-tuned model on Standard, and a newer one trained. */
async function setup(): Promise<Setup> {
  const local = await startServer({ profile: 'azure', deploymentProvisioningMs: 150 });
  api = local;
  const oldModel = local.seedJob({ status: 'succeeded' }).fine_tuned_model!;
  const newModel = local.seedJob({ status: 'succeeded' }).fine_tuned_model!;
  expect(newModel).not.toBe(oldModel);
  const managementToken = await entraToken(local, ENTRA_SCOPE.management);
  const management = async () => managementToken;
  const target: PromotionTarget = {
    managementUrl: local.managementUrl!,
    subscriptionId: 'sub-1',
    resourceGroup: 'rg-1',
    account: 'contoso',
    name: 'support-bot',
    sku: 'standard',
    capacity: 1,
  };
  await deploy({ ...target, model: oldModel }, management, {
    deadline: Date.now() + 20_000,
    pollIntervalMs: 50,
  });
  const chat = new OpenAI({
    apiKey: await entraToken(local, ENTRA_SCOPE.dataPlane),
    baseURL: local.url,
    maxRetries: 0,
  });
  return { local, target, oldModel, newModel, management, chat };
}

/** The model that answers through a deployment, as the data plane says. */
async function answeredBy(chat: OpenAI, deployment: string): Promise<string> {
  const completion = await chat.chat.completions.create({
    model: deployment,
    messages: [{ role: 'user', content: 'Which shard holds document 3?' }],
  });
  return completion.model;
}

/** A stub evaluation that asks both deployments, remembers who answered, and decides `passed`. */
function stubEvaluation(chat: OpenAI, passed: boolean) {
  const seen: { candidate?: string; baseline?: string; candidateDeployment?: string } = {};
  const evaluate = async (candidate: string, baseline: string | undefined) => {
    seen.candidateDeployment = candidate;
    seen.candidate = await answeredBy(chat, candidate);
    if (baseline) seen.baseline = await answeredBy(chat, baseline);
    return { passed };
  };
  return { evaluate, seen };
}

function promote(s: Setup, evaluate: (c: string, b: string | undefined) => Promise<{ passed: boolean }>) {
  return evaluateOnAzure({
    target: s.target,
    candidateModel: s.newModel,
    run: { runId: '4242', attempt: '1' },
    evaluate,
    token: s.management,
    deploy: { deadline: Date.now() + 20_000, pollIntervalMs: 50 },
  });
}

const CANDIDATE = 'support-bot-eval-4242-1';

describe('evaluate on Azure, then promote only on a pass', () => {
  it('a passing candidate ends up served by deployment-name, with no candidate deployment left', async () => {
    const s = await setup();
    const { evaluate, seen } = stubEvaluation(s.chat, true);

    const result = await promote(s, evaluate);
    // The candidate answered as the new model on its own deployment; the baseline as the old one
    // through deployment-name.
    expect(seen).toEqual({ candidateDeployment: CANDIDATE, candidate: s.newModel, baseline: s.oldModel });
    expect(result).toMatchObject({ promoted: true, candidate: { name: CANDIDATE, deleted: true } });

    expect(s.local.deployments().map((d) => d.name)).toEqual(['support-bot']);
    expect(s.local.deployments()[0]).toMatchObject({
      sku: { name: 'Standard', capacity: 1 },
      properties: { model: { name: s.newModel }, provisioningState: 'Succeeded' },
    });
    expect(await answeredBy(s.chat, 'support-bot')).toBe(s.newModel);
    // The candidate was a Developer deployment, deleted before deployment-name was changed.
    const candidatePut = s.local.requests.find((r) => r.method === 'PUT' && r.path.endsWith(`/${CANDIDATE}`));
    expect(candidatePut?.body).toMatchObject({ sku: { name: 'DeveloperTier' } });
    const order = s.local.requests
      .filter((r) => r.method === 'PUT' || r.method === 'DELETE')
      .map((r) => `${r.method} ${r.path.split('/').at(-1)}`);
    expect(order).toEqual(['PUT support-bot', `PUT ${CANDIDATE}`, `DELETE ${CANDIDATE}`, 'PUT support-bot']);
    // Saved in the step state before it was asked for, cleared once deleted.
    const saved = [...stdout.text().matchAll(/::save-state name=candidate-deployment::(.*)/g)].map(
      (m) => m[1],
    );
    expect(saved).toEqual([CANDIDATE, '']);
  });

  it('a failing candidate leaves the old model served, with no candidate deployment left', async () => {
    const s = await setup();
    const { evaluate, seen } = stubEvaluation(s.chat, false);

    const result = await promote(s, evaluate);
    expect(seen.candidate).toBe(s.newModel);
    expect(result).toMatchObject({ promoted: false, candidate: { name: CANDIDATE, deleted: true } });
    expect(s.local.deployments().map((d) => d.name)).toEqual(['support-bot']);
    expect(s.local.deployments()[0].properties.model.name).toBe(s.oldModel);
    expect(await answeredBy(s.chat, 'support-bot')).toBe(s.oldModel);
    expect(s.local.count('PUT', /\/deployments\/support-bot$/)).toBe(1);
  });

  it('an evaluation that fails with an error leaves no candidate deployment and the old model served', async () => {
    const s = await setup();
    await expect(
      promote(s, async (candidate) => {
        await answeredBy(s.chat, candidate);
        throw new Error('the judge gave no answer');
      }),
    ).rejects.toThrow('the judge gave no answer');
    expect(s.local.deployments().map((d) => [d.name, d.properties.model.name])).toEqual([
      ['support-bot', s.oldModel],
    ]);
  });
});
