import nock from 'nock';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as core from '../helpers/core.js';
import { ARM_SKUS } from '../../src/facts/deployment.js';
import { DeploymentError } from '../../src/azure/arm.js';
import { deploy, type DeploymentRequest } from '../../src/azure/deployment.js';
import { accountFromBaseURL, deploymentUrl } from '../../src/azure/names.js';

vi.mock('@actions/core', () => import('../helpers/core.js'));

const ARM = 'http://arm.test';
const PATH =
  '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.CognitiveServices/accounts/contoso/deployments/ft-demo';
const MODEL = 'gpt-4.1-mini-2025-04-14.ft-0123456789abcdef0123456789abcdef';
const TOKEN = 'eyJ.management-token.sig';
const request: DeploymentRequest = {
  managementUrl: ARM,
  subscriptionId: 'sub-1',
  resourceGroup: 'rg-1',
  account: 'contoso',
  name: 'ft-demo',
  model: MODEL,
  sku: 'standard',
  capacity: 1,
};
const token = async () => TOKEN;
const soon = (ms = 30_000) => ({ deadline: Date.now() + ms, pollIntervalMs: 10 });

/** A deployment as ARM shows it, in `state`. */
function deployment(state: string, sku = 'Standard') {
  return {
    id: PATH,
    type: 'Microsoft.CognitiveServices/accounts/deployments',
    name: 'ft-demo',
    sku: { name: sku, capacity: 1 },
    properties: { model: { format: 'OpenAI', name: MODEL, version: '1' }, provisioningState: state },
  };
}
const armError = (code: string, message: string) => ({ error: { code, message } });
const arm = () => nock(ARM, { reqheaders: { authorization: `Bearer ${TOKEN}` } });

async function failure(promise: Promise<unknown>): Promise<DeploymentError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DeploymentError);
  return error as DeploymentError;
}

beforeAll(() => nock.disableNetConnect());
beforeEach(() => core.reset());
afterEach(() => {
  // The token is a credential: whatever happened, it never reached the log.
  expect(core.logged().join('\n')).not.toContain(TOKEN);
  nock.cleanAll();
});

describe('accountFromBaseURL', () => {
  it.each([
    ['https://contoso.openai.azure.com/openai/v1', 'contoso'],
    ['https://contoso.openai.azure.com/openai/v1/', 'contoso'],
    ['https://Contoso-East.OpenAI.Azure.com/openai/v1', 'contoso-east'],
    ['https://contoso.services.ai.azure.com/openai/v1', 'contoso'],
    ['https://contoso.cognitiveservices.azure.com/openai/v1', 'contoso'],
    ['https://contoso.openai.azure.com:443/openai/v1', 'contoso'],
  ])('%s -> %s', (url, account) => {
    expect(accountFromBaseURL(url)).toBe(account);
  });

  it.each([
    'https://api.openai.com/v1',
    'https://openai.azure.com/openai/v1',
    'https://a.b.openai.azure.com/openai/v1',
    'https://contoso.openai.azure.com.evil.test/openai/v1',
    'https://gateway.example.com/contoso.openai.azure.com/v1',
    'http://127.0.0.1:8080/openai/v1',
    'not a url',
    '',
  ])('%s -> undefined', (url) => {
    expect(accountFromBaseURL(url)).toBeUndefined();
  });
});

describe('deploymentUrl', () => {
  it('joins the target under the management URL, encoding each name and ignoring a trailing slash', () => {
    expect(deploymentUrl({ ...request, managementUrl: `${ARM}/` })).toBe(`${ARM}${PATH}`);
    expect(deploymentUrl({ ...request, name: 'a b/c' })).toMatch(/\/deployments\/a%20b%2Fc$/);
  });
});

describe('deploy', () => {
  it('creates the deployment with the fine-tuned model at version 1 and waits until it has Succeeded', async () => {
    let sent: unknown;
    const scope = arm()
      .put(PATH, (body) => ((sent = body), true))
      .query({ 'api-version': '2024-10-01' })
      .matchHeader('content-type', 'application/json')
      .reply(201, deployment('Creating'))
      .get(PATH)
      .query({ 'api-version': '2024-10-01' })
      .twice()
      .reply(200, deployment('Creating'))
      .get(PATH)
      .query({ 'api-version': '2024-10-01' })
      .reply(200, deployment('Succeeded'));

    const result = await deploy(request, token, soon());

    expect(scope.isDone()).toBe(true);
    expect(sent).toEqual({
      sku: { name: 'Standard', capacity: 1 },
      properties: { model: { format: 'OpenAI', name: MODEL, version: '1' } },
    });
    expect(result).toMatchObject({
      id: PATH,
      name: 'ft-demo',
      provisioningState: 'Succeeded',
      created: true,
    });
    expect(result.deployment).toEqual(deployment('Succeeded'));
    // Each state once, however many looks it took.
    expect(core.logged().filter((line) => line.includes("'ft-demo' is"))).toEqual([
      "Deployment 'ft-demo' is Creating",
      "Deployment 'ft-demo' is Succeeded",
    ]);
  });

  it('updates an existing deployment (200, Updating) and reports it was not created', async () => {
    const scope = arm()
      .put(PATH)
      .query(true)
      .reply(200, deployment('Updating'))
      .get(PATH)
      .query(true)
      .reply(200, deployment('Succeeded'));
    const result = await deploy(request, token, soon());
    expect(scope.isDone()).toBe(true);
    expect(result).toMatchObject({ provisioningState: 'Succeeded', created: false });
  });

  it.each([
    ['developer', 'DeveloperTier', '2025-07-01-preview'],
    ['standard', 'Standard', '2024-10-01'],
    ['global-standard', 'GlobalStandard', '2024-10-01'],
  ] as const)('sends SKU %s as %s with api-version %s', async (sku, name, apiVersion) => {
    expect(ARM_SKUS[sku]).toEqual({ name, apiVersion });
    let sent: { sku?: unknown } = {};
    const scope = arm()
      .put(PATH, (body) => ((sent = body as typeof sent), true))
      .query({ 'api-version': apiVersion })
      .reply(200, deployment('Succeeded', name));
    // Already Succeeded: nothing to wait for, no GET.
    await deploy({ ...request, sku, capacity: 50 }, token, soon());
    expect(scope.isDone()).toBe(true);
    expect(sent.sku).toEqual({ name, capacity: 50 });
  });

  it('fails with ARM reason from the operation status when the deployment ends Failed', async () => {
    const operation = `${ARM}/subscriptions/sub-1/providers/Microsoft.CognitiveServices/locations/eastus2/operationResults/op-1?api-version=2024-10-01`;
    const scope = arm()
      .put(PATH)
      .query(true)
      .reply(201, deployment('Creating'), { 'Azure-AsyncOperation': operation })
      .get(PATH)
      .query(true)
      .reply(200, deployment('Failed'))
      .get(
        '/subscriptions/sub-1/providers/Microsoft.CognitiveServices/locations/eastus2/operationResults/op-1',
      )
      .query(true)
      .reply(200, {
        status: 'Failed',
        ...armError(
          'InsufficientQuota',
          'This operation requires 50 new capacity in quota Tokens Per Minute.',
        ),
      });

    const error = await failure(deploy(request, token, soon()));
    expect(scope.isDone()).toBe(true);
    expect(error).toMatchObject({ reason: 'failed', code: 'InsufficientQuota', provisioningState: 'Failed' });
    expect(error.message).toBe(
      `Deployment 'ft-demo' of ${MODEL} ended Failed: (InsufficientQuota) This operation requires 50 new capacity in quota Tokens Per Minute.`,
    );
  });

  it('fails on Canceled, and sends the token to no operation link off ARM host', async () => {
    const scope = arm()
      .put(PATH)
      .query(true)
      .reply(201, deployment('Creating'), { 'Azure-AsyncOperation': 'https://elsewhere.test/op' })
      .get(PATH)
      .query(true)
      .reply(200, deployment('Canceled'));
    const elsewhere = nock('https://elsewhere.test').get('/op').reply(200, {});

    const error = await failure(deploy(request, token, soon()));
    expect(scope.isDone()).toBe(true);
    expect(elsewhere.isDone()).toBe(false);
    expect(error).toMatchObject({ reason: 'failed', provisioningState: 'Canceled', code: undefined });
    expect(error.message).toBe(`Deployment 'ft-demo' of ${MODEL} ended Canceled`);
  });

  it("surfaces ARM's code and message for a refused PUT, without trying again", async () => {
    let calls = 0;
    arm()
      .put(PATH)
      .query(true)
      .times(5)
      .reply(() => {
        calls++;
        return [
          400,
          armError(
            'DeploymentModelNotSupported',
            `The model 'Format:OpenAI,Name:${MODEL},Version:1' of account deployment is not supported.`,
          ),
        ];
      });

    const error = await failure(deploy(request, token, soon()));
    expect(calls).toBe(1);
    expect(error).toMatchObject({ reason: 'refused', status: 400, code: 'DeploymentModelNotSupported' });
    expect(error.message).toBe(
      `Deployment 'ft-demo': Azure Resource Manager answered PUT with HTTP 400 (DeploymentModelNotSupported): The model 'Format:OpenAI,Name:${MODEL},Version:1' of account deployment is not supported.`,
    );
  });

  it.each([
    [401, 'InvalidAuthenticationTokenAudience'],
    [403, 'AuthorizationFailed'],
    [404, 'ResourceGroupNotFound'],
    [409, 'Conflict'],
    [501, 'NotImplemented'],
  ])('does not try a %i again', async (status, code) => {
    let calls = 0;
    arm()
      .put(PATH)
      .query(true)
      .times(5)
      .reply(() => (calls++, [status, armError(code, 'no')]));
    const error = await failure(deploy(request, token, soon()));
    expect(calls).toBe(1);
    expect(error).toMatchObject({ reason: 'refused', status, code });
  });

  it('tries a 429 again after the Retry-After ARM gives', async () => {
    const scope = arm()
      .put(PATH)
      .query(true)
      .reply(429, armError('TooManyRequests', 'Rate limit exceeded.'), { 'Retry-After': '1' })
      .put(PATH)
      .query(true)
      .reply(200, deployment('Succeeded'));
    const started = Date.now();
    const result = await deploy(request, token, soon());
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(scope.isDone()).toBe(true);
    expect(result.provisioningState).toBe('Succeeded');
    expect(core.logged()).toContain(
      'Azure Resource Manager: HTTP 429 (TooManyRequests); trying again in 1.0 s',
    );
  });

  it('tries 5xx answers and lost connections again, also while polling', async () => {
    const scope = arm()
      .put(PATH)
      .query(true)
      .reply(503, armError('ServiceUnavailable', 'Try later.'), { 'Retry-After': '0' })
      .put(PATH)
      .query(true)
      .replyWithError('socket hang up') // nock 15 hangs fetch on an error object; a string works
      .put(PATH)
      .query(true)
      .reply(201, deployment('Creating'))
      .get(PATH)
      .query(true)
      .reply(500, 'upstream error', { 'Retry-After': '0' })
      .get(PATH)
      .query(true)
      .reply(200, deployment('Succeeded'));
    const result = await deploy(request, token, soon());
    expect(scope.isDone()).toBe(true);
    expect(result).toMatchObject({ provisioningState: 'Succeeded', created: true });
  });

  it('gives up after five tries with the last answer', async () => {
    let calls = 0;
    arm()
      .put(PATH)
      .query(true)
      .times(6)
      .reply(() => (calls++, [502, 'Bad Gateway', { 'Retry-After': '0' }]));
    const error = await failure(deploy(request, token, soon()));
    expect(calls).toBe(5);
    expect(error).toMatchObject({ reason: 'refused', status: 502, code: undefined });
    expect(error.message).toBe(
      "Deployment 'ft-demo': Azure Resource Manager answered PUT with HTTP 502: Bad Gateway",
    );
  });

  it('fails at once with the 429 when the wait ARM asks for would pass the deadline', async () => {
    let calls = 0;
    arm()
      .put(PATH)
      .query(true)
      .times(2)
      .reply(() => (calls++, [429, armError('TooManyRequests', 'Slow down.'), { 'Retry-After': '60' }]));
    const started = Date.now();
    const error = await failure(deploy(request, token, soon(5_000)));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(calls).toBe(1);
    expect(error).toMatchObject({ reason: 'refused', status: 429, code: 'TooManyRequests' });
  });

  it('stops at the deadline while the deployment is still provisioning', async () => {
    arm().put(PATH).query(true).reply(201, deployment('Creating'));
    arm().get(PATH).query(true).reply(200, deployment('Creating')).persist();
    const started = Date.now();
    const error = await failure(deploy(request, token, { deadline: Date.now() + 300, pollIntervalMs: 50 }));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toMatchObject({ reason: 'timeout', provisioningState: 'Creating' });
    expect(error.message).toBe(
      "Deployment 'ft-demo' was not ready by the deadline while it was Creating; ARM may still finish it",
    );
  });

  it('cuts a request that hangs at the deadline', async () => {
    // A real socket that never answers: nock's delayed replies trip undici when fetch is aborted.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    nock.enableNetConnect('127.0.0.1');
    try {
      const { port } = silent.address() as AddressInfo;
      const started = Date.now();
      const error = await failure(
        deploy({ ...request, managementUrl: `http://127.0.0.1:${port}` }, token, {
          deadline: Date.now() + 200,
          pollIntervalMs: 10,
        }),
      );
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(error).toMatchObject({ reason: 'timeout', provisioningState: undefined });
    } finally {
      nock.disableNetConnect();
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('stops when the signal aborts, saying where the deployment was', async () => {
    arm().put(PATH).query(true).reply(201, deployment('Creating'));
    arm().get(PATH).query(true).reply(200, deployment('Creating')).persist();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(
      deploy(request, token, {
        deadline: Date.now() + 30_000,
        pollIntervalMs: 20,
        signal: controller.signal,
      }),
    );
    expect(error).toMatchObject({ reason: 'aborted', provisioningState: 'Creating' });
  });

  it('asks for a token before every request, and lets a token failure through untouched', async () => {
    const tokens = vi.fn(token);
    arm()
      .put(PATH)
      .query(true)
      .reply(201, deployment('Creating'))
      .get(PATH)
      .query(true)
      .reply(200, deployment('Succeeded'));
    await deploy(request, tokens, soon());
    expect(tokens).toHaveBeenCalledTimes(2);

    const refused = new Error('AADSTS700212: No matching federated identity record found');
    const put = arm().put(PATH).query(true).reply(201, deployment('Creating'));
    await expect(deploy(request, () => Promise.reject(refused), soon())).rejects.toBe(refused);
    expect(put.isDone()).toBe(false);
  });

  it('refuses a capacity that is not a whole number of at least 1 before any request', async () => {
    for (const capacity of [0, -1, 1.5, Number.NaN])
      await expect(deploy({ ...request, capacity }, token, soon())).rejects.toThrow(RangeError);
  });
});
