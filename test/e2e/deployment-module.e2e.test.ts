// src/azure/deployment.ts against the local API's Resource Manager stand-in (profile azure), with a
// token from its Entra stand-in, as the action will call it once a job has succeeded.
import { ENTRA_SCOPE } from '../../src/api/sign-in.ts';
import { mintGithubToken } from '../../tools/github-oidc.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, TOKEN_EXCHANGE_AUDIENCE, type LocalApi } from '../../server/index.ts';
import { DeploymentError } from '../../src/azure/arm.ts';
import { deploy, type DeploymentRequest } from '../../src/azure/deployment.ts';
import { ARM_SKUS, type DeploymentSku } from '../../src/facts/deployment.ts';
import { captureStdout } from '../helpers/capture.ts';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const ACCOUNT_PATH =
  '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.CognitiveServices/accounts/contoso';

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

/** A GitHub OIDC token as the Actions runtime mints one; the stand-in reads its claims unsigned. */
function githubOidcToken(): string {
  return mintGithubToken({ sub: 'repo:our-org/our-repo:ref:refs/heads/main', aud: TOKEN_EXCHANGE_AUDIENCE });
}

/** An Entra token for `scope`, exchanged for a GitHub OIDC token as a workflow would. */
async function entraToken(local: LocalApi, scope: string): Promise<string> {
  const response = await fetch(`${local.authorityUrl}/${TENANT}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: '00000000-0000-0000-0000-00000000c11e',
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: githubOidcToken(),
      scope,
    }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

function requestFor(local: LocalApi, model: string, sku: DeploymentSku = 'standard'): DeploymentRequest {
  return {
    managementUrl: local.managementUrl!,
    subscriptionId: 'sub-1',
    resourceGroup: 'rg-1',
    account: 'contoso',
    name: 'ft-demo',
    model,
    sku,
    capacity: 1,
  };
}

const options = () => ({ deadline: Date.now() + 20_000, pollIntervalMs: 50 });

describe('deploy against the local Resource Manager', () => {
  it('deploys the model a succeeded job produced, then updates the deployment, each time until Succeeded', async () => {
    api = await startServer({ profile: 'azure', deploymentProvisioningMs: 300 });
    const job = api.seedJob({ status: 'succeeded' });
    expect(job.fine_tuned_model).toMatch(/^gpt-4o-mini.*\.ft-[0-9a-f]{32}$/);
    const management = await entraToken(api, ENTRA_SCOPE.management);
    const token = async () => management;

    const created = await deploy(requestFor(api, job.fine_tuned_model!), token, options());
    expect(created).toMatchObject({
      id: `${ACCOUNT_PATH}/deployments/ft-demo`,
      name: 'ft-demo',
      provisioningState: 'Succeeded',
      created: true,
    });
    expect(api.deployments()).toEqual([created.deployment]);
    expect(api.deployments()[0]).toMatchObject({
      sku: { name: 'Standard', capacity: 1 },
      properties: { model: { format: 'OpenAI', name: job.fine_tuned_model, version: '1' } },
    });
    // Creating for a while: the module looked more than once before it was ready.
    expect(api.count('GET', /\/deployments\/ft-demo$/)).toBeGreaterThan(0);
    expect(stdout.text()).toContain("Deployment 'ft-demo' is Creating");
    expect(stdout.text()).not.toContain(management);

    const updated = await deploy(requestFor(api, job.fine_tuned_model!, 'global-standard'), token, options());
    expect(updated).toMatchObject({ provisioningState: 'Succeeded', created: false });
    expect(api.deployments()).toHaveLength(1);
    expect(api.deployments()[0].sku).toEqual({ name: 'GlobalStandard', capacity: 1 });
    expect(stdout.text()).toContain("Deployment 'ft-demo' is Updating");

    const puts = api.requests.filter((entry) => entry.method === 'PUT');
    expect(puts.map((entry) => entry.query['api-version'])).toEqual([
      ARM_SKUS.standard.apiVersion,
      ARM_SKUS['global-standard'].apiVersion,
    ]);
  });

  it('sends the Developer tier with its own api-version, which the stand-in takes', async () => {
    api = await startServer({ profile: 'azure', deploymentProvisioningMs: 0 });
    const job = api.seedJob({ status: 'succeeded' });
    const management = await entraToken(api, ENTRA_SCOPE.management);
    const result = await deploy(
      { ...requestFor(api, job.fine_tuned_model!, 'developer'), capacity: 50 },
      async () => management,
      options(),
    );
    expect(result.provisioningState).toBe('Succeeded');
    expect(api.deployments()[0].sku).toEqual({ name: 'DeveloperTier', capacity: 50 });
    expect(api.requests.find((entry) => entry.method === 'PUT')?.query['api-version']).toBe(
      '2025-07-01-preview',
    );
  });

  it("fails with ARM's own message for a model no job produced, after one request", async () => {
    api = await startServer({ profile: 'azure' });
    api.seedJob({ status: 'succeeded' });
    const management = await entraToken(api, ENTRA_SCOPE.management);
    const unknown = 'gpt-4o-mini-2024-07-18.ft-0123456789abcdef0123456789abcdef';

    const error = await deploy(requestFor(api, unknown), async () => management, options()).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(DeploymentError);
    expect(error).toMatchObject({ reason: 'refused', status: 400, code: 'DeploymentModelNotSupported' });
    expect((error as Error).message).toBe(
      `Deployment 'ft-demo': Azure Resource Manager answered PUT with HTTP 400 (DeploymentModelNotSupported): The model 'Format:OpenAI,Name:${unknown},Version:1' of account deployment is not supported.`,
    );
    expect(api.count('PUT', /\/deployments\/ft-demo$/)).toBe(1);
    expect(api.deployments()).toEqual([]);
  });

  it('fails on a token for the data plane instead of management, naming the audience, without trying again', async () => {
    api = await startServer({ profile: 'azure' });
    const job = api.seedJob({ status: 'succeeded' });
    const dataPlane = await entraToken(api, 'https://cognitiveservices.azure.com/.default');

    const error = await deploy(
      requestFor(api, job.fine_tuned_model!),
      async () => dataPlane,
      options(),
    ).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({
      reason: 'refused',
      status: 401,
      code: 'InvalidAuthenticationTokenAudience',
    });
    expect((error as Error).message).toMatch(/wrong audience/);
    expect(api.count('PUT', /\/deployments\/ft-demo$/)).toBe(1);
  });
});
