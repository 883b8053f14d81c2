import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as core from '../helpers/core.js';
import { deleteDeployment, readDeployment } from '../../src/azure/deployment.js';
import { candidateName } from '../../src/azure/names.js';
import { evaluateOnAzure, type PromotionRequest } from '../../src/azure/promotion.js';
import { hostingPerHour } from '../../src/facts/hosting.js';
import { evaluateAndPromote } from '../../src/modes/promote.js';
import { newRecord } from '../../src/report/record.js';
import { succeededJob } from '../helpers/jobs.js';

// The Azure side of evaluation (src/azure/promotion.ts) with Resource Manager mocked by nock: the
// candidate gets a Developer deployment of its own, which is deleted whatever happens, and
// deployment-name changes only when the injected gate passes. Also the post step deleting a
// candidate that a killed main step left.

vi.mock('@actions/core', () => import('../helpers/core.js'));
const { run: post } = await import('../../src/post.js');

const ARM = 'http://arm.test';
const ACCOUNT =
  '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.CognitiveServices/accounts/contoso/deployments';
const OLD = 'gpt-4.1-mini-2025-04-14.ft-00000000000000000000000000000000';
const NEW = 'gpt-4.1-mini-2025-04-14.ft-0123456789abcdef0123456789abcdef';
const CANDIDATE = 'support-bot-eval-77-2';
const TOKEN = 'eyJ.management-token.sig';
const DEV = { 'api-version': '2025-07-01-preview' };
const GA = { 'api-version': '2024-10-01' };

const target = {
  managementUrl: ARM,
  subscriptionId: 'sub-1',
  resourceGroup: 'rg-1',
  account: 'contoso',
  name: 'support-bot',
  sku: 'standard' as const,
  capacity: 3,
};

function deployment(name: string, model: string, sku = 'Standard', state = 'Succeeded') {
  return {
    id: `${ACCOUNT}/${name}`,
    name,
    sku: { name: sku, capacity: 1 },
    properties: { model: { format: 'OpenAI', name: model, version: '1' }, provisioningState: state },
  };
}
const notFound = (name: string) => ({
  error: { code: 'DeploymentNotFound', message: `Deployment '${name}' not found.` },
});
const arm = () => nock(ARM, { reqheaders: { authorization: `Bearer ${TOKEN}` } });

/** A request for a gate that answers `passed`, recording what it was asked with. */
function request(
  evaluate: PromotionRequest<{ passed: boolean }>['evaluate'],
  signal?: AbortSignal,
): PromotionRequest<{ passed: boolean }> {
  return {
    target,
    candidateModel: NEW,
    run: { runId: '77', attempt: '2' },
    evaluate,
    token: async () => TOKEN,
    deploy: { deadline: Date.now() + 30_000, pollIntervalMs: 10, signal },
  };
}

/** deployment-name serving OLD; the candidate created at once; then its deletion confirmed. */
function servingOldThenCandidate(): { order: string[] } {
  const order: string[] = [];
  arm()
    .get(`${ACCOUNT}/support-bot`)
    .query(GA)
    .reply(200, deployment('support-bot', OLD))
    .put(`${ACCOUNT}/${CANDIDATE}`, (body: unknown) => {
      // The name is in the state before the deployment is asked for.
      expect(core.state.get('candidate-deployment')).toBe(CANDIDATE);
      expect(body).toEqual({
        sku: { name: 'DeveloperTier', capacity: 50 },
        properties: { model: { format: 'OpenAI', name: NEW, version: '1' } },
      });
      order.push('put candidate');
      return true;
    })
    .query(DEV)
    .reply(201, deployment(CANDIDATE, NEW, 'DeveloperTier'))
    .delete(`${ACCOUNT}/${CANDIDATE}`)
    .query(DEV)
    .reply(202, () => (order.push('delete candidate'), ''))
    .get(`${ACCOUNT}/${CANDIDATE}`)
    .query(DEV)
    .reply(200, deployment(CANDIDATE, NEW, 'DeveloperTier', 'Deleting'))
    .get(`${ACCOUNT}/${CANDIDATE}`)
    .query(DEV)
    .reply(404, notFound(CANDIDATE));
  return { order };
}

beforeAll(() => nock.disableNetConnect());
beforeEach(() => core.reset());
afterEach(() => {
  expect(core.logged().join('\n')).not.toContain(TOKEN);
  nock.cleanAll();
});

describe('candidateName', () => {
  it('is deployment-name, then the run and attempt', () => {
    expect(candidateName('support-bot', '77', '2')).toBe(CANDIDATE);
  });

  it('cuts a long deployment-name, never the run part, to the 64 characters Azure takes', () => {
    const name = candidateName('d'.repeat(64), '12345678901', '3');
    expect(name).toHaveLength(64);
    expect(name.endsWith('-eval-12345678901-3')).toBe(true);
    expect(candidateName('d'.repeat(64), '12345678902', '3')).not.toBe(name);
  });
});

describe('readDeployment and deleteDeployment', () => {
  const options = () => ({ deadline: Date.now() + 10_000, pollIntervalMs: 10 });

  it('reads the model a deployment serves, and undefined for one that does not exist', async () => {
    arm().get(`${ACCOUNT}/support-bot`).query(GA).reply(200, deployment('support-bot', OLD));
    expect((await readDeployment(target, async () => TOKEN, options()))?.properties?.model).toEqual({
      format: 'OpenAI',
      name: OLD,
      version: '1',
    });
    arm().get(`${ACCOUNT}/support-bot`).query(GA).reply(404, notFound('support-bot'));
    expect(await readDeployment(target, async () => TOKEN, options())).toBeUndefined();
  });

  it('asks again while ARM is busy with the deployment (409), then waits until it is gone', async () => {
    arm()
      .delete(`${ACCOUNT}/support-bot`)
      .query(GA)
      .reply(409, { error: { code: 'RequestConflict', message: 'Another operation is in progress.' } })
      .delete(`${ACCOUNT}/support-bot`)
      .query(GA)
      .reply(200)
      .get(`${ACCOUNT}/support-bot`)
      .query(GA)
      .reply(200, deployment('support-bot', OLD, 'Standard', 'Deleting'))
      .get(`${ACCOUNT}/support-bot`)
      .query(GA)
      .reply(404, notFound('support-bot'));
    await deleteDeployment(target, async () => TOKEN, options());
    expect(nock.isDone()).toBe(true);
  });

  it('fails with ARM’s words for a refused delete, and says the deadline was for it being gone', async () => {
    arm()
      .delete(`${ACCOUNT}/support-bot`)
      .query(GA)
      .reply(403, { error: { code: 'AuthorizationFailed', message: 'No delete permission.' } });
    await expect(deleteDeployment(target, async () => TOKEN, options())).rejects.toThrow(
      /HTTP 403 \(AuthorizationFailed\): No delete permission\./,
    );
    arm()
      .delete(`${ACCOUNT}/support-bot`)
      .query(GA)
      .reply(200)
      .get(`${ACCOUNT}/support-bot`)
      .query(GA)
      .times(100)
      .reply(200, deployment('support-bot', OLD, 'Standard', 'Deleting'));
    await expect(
      deleteDeployment(target, async () => TOKEN, { deadline: Date.now() + 100, pollIntervalMs: 10 }),
    ).rejects.toThrow(/was not gone by the deadline while it was Deleting/);
  });
});

describe('evaluateOnAzure', () => {
  it('on a pass: evaluates the candidate against deployment-name, deletes it, then points deployment-name at the model keeping its SKU', async () => {
    const { order } = servingOldThenCandidate();
    arm()
      .put(`${ACCOUNT}/support-bot`, (body: unknown) => {
        order.push('promote');
        expect(body).toEqual({
          sku: { name: 'Standard', capacity: 3 },
          properties: { model: { format: 'OpenAI', name: NEW, version: '1' } },
        });
        return true;
      })
      .query(GA)
      .reply(200, deployment('support-bot', NEW));
    const evaluate = vi.fn(async () => (order.push('evaluate'), { passed: true, score: 0.9 }));

    const result = await evaluateOnAzure(request(evaluate));
    expect(evaluate).toHaveBeenCalledWith(CANDIDATE, 'support-bot');
    expect(order).toEqual(['put candidate', 'evaluate', 'delete candidate', 'promote']);
    expect(result).toMatchObject({
      promoted: true,
      gate: { passed: true, score: 0.9 },
      candidate: { name: CANDIDATE, deleted: true },
      baseline: 'support-bot',
      before: { properties: { model: { name: OLD } } },
      deployment: { name: 'support-bot', provisioningState: 'Succeeded' },
    });
    expect(core.state.get('candidate-deployment')).toBe('');
    expect(core.warning).not.toHaveBeenCalled();
    expect(nock.isDone()).toBe(true);
  });

  it('on a failed gate: deletes the candidate and leaves deployment-name as it was', async () => {
    servingOldThenCandidate();
    const result = await evaluateOnAzure(request(async () => ({ passed: false })));
    expect(result).toMatchObject({ promoted: false, candidate: { name: CANDIDATE, deleted: true } });
    expect(result.deployment).toBeUndefined();
    expect(core.state.get('candidate-deployment')).toBe('');
    expect(core.info).toHaveBeenCalledWith(
      `The evaluation did not pass: 'support-bot' is left as it was, serving "${OLD}"`,
    );
    // No PUT on support-bot: nock would have refused one it was not told of.
    expect(nock.isDone()).toBe(true);
  });

  it('deletes the candidate when the evaluation throws, and lets the error through', async () => {
    servingOldThenCandidate();
    await expect(
      evaluateOnAzure(
        request(async () => {
          throw new Error('the judge answered HTTP 500');
        }),
      ),
    ).rejects.toThrow('the judge answered HTTP 500');
    expect(core.state.get('candidate-deployment')).toBe('');
    expect(nock.isDone()).toBe(true);
  });

  it('deletes the candidate when the run is cancelled during the evaluation', async () => {
    servingOldThenCandidate();
    const abort = new AbortController();
    const evaluate = () =>
      new Promise<{ passed: boolean }>((_, reject) => {
        abort.signal.addEventListener('abort', () => reject(new Error('The run was cancelled')));
        setTimeout(() => abort.abort(), 20);
      });
    await expect(evaluateOnAzure(request(evaluate, abort.signal))).rejects.toThrow('The run was cancelled');
    expect(core.state.get('candidate-deployment')).toBe('');
    expect(nock.isDone()).toBe(true);
  });

  it('deletes a candidate still being created when the run is cancelled, without evaluating', async () => {
    const abort = new AbortController();
    let deleted = false;
    arm()
      .get(`${ACCOUNT}/support-bot`)
      .query(GA)
      .reply(200, deployment('support-bot', OLD))
      .put(`${ACCOUNT}/${CANDIDATE}`)
      .query(DEV)
      .reply(201, () => {
        setTimeout(() => abort.abort(), 5);
        return deployment(CANDIDATE, NEW, 'DeveloperTier', 'Creating');
      })
      .delete(`${ACCOUNT}/${CANDIDATE}`)
      .query(DEV)
      .reply(200, () => ((deleted = true), ''));
    arm()
      .get(`${ACCOUNT}/${CANDIDATE}`)
      .query(DEV)
      .reply(() =>
        deleted ? [404, notFound(CANDIDATE)] : [200, deployment(CANDIDATE, NEW, 'DeveloperTier', 'Creating')],
      )
      .persist();
    const evaluate = vi.fn(async () => ({ passed: true }));
    await expect(evaluateOnAzure(request(evaluate, abort.signal))).rejects.toMatchObject({
      reason: 'aborted',
    });
    expect(evaluate).not.toHaveBeenCalled();
    expect(deleted).toBe(true);
    expect(core.state.get('candidate-deployment')).toBe('');
  });

  it('without deployment-name yet: no baseline, and the promotion creates it, warning of the Developer tier', async () => {
    arm()
      .get(`${ACCOUNT}/support-bot`)
      .query(DEV)
      .reply(404, notFound('support-bot'))
      .put(`${ACCOUNT}/${CANDIDATE}`)
      .query(DEV)
      .reply(201, deployment(CANDIDATE, NEW, 'DeveloperTier'))
      .delete(`${ACCOUNT}/${CANDIDATE}`)
      .query(DEV)
      .reply(204)
      .get(`${ACCOUNT}/${CANDIDATE}`)
      .query(DEV)
      .reply(404, notFound(CANDIDATE))
      .put(`${ACCOUNT}/support-bot`)
      .query(DEV)
      .reply(201, deployment('support-bot', NEW, 'DeveloperTier'));
    const evaluate = vi.fn(async () => ({ passed: true }));
    const result = await evaluateOnAzure({
      ...request(evaluate),
      target: { ...target, sku: 'developer' },
    });
    expect(evaluate).toHaveBeenCalledWith(CANDIDATE, undefined);
    expect(result.promoted).toBe(true);
    expect(core.warning).toHaveBeenCalledWith(
      expect.stringMatching(/^deployment-sku is developer: Azure removes 'support-bot' 24 hours after/),
    );
  });

  it('warns when promotion changes the SKU deployment-name has now', async () => {
    servingOldThenCandidate();
    arm().put(`${ACCOUNT}/support-bot`).query(GA).reply(200, deployment('support-bot', NEW));
    await evaluateOnAzure(request(async () => ({ passed: true })));
    expect(nock.isDone()).toBe(true);
    expect(core.warning).not.toHaveBeenCalled();

    core.reset();
    arm()
      .get(`${ACCOUNT}/support-bot`)
      .query({ 'api-version': '2024-10-01' })
      .reply(200, deployment('support-bot', OLD, 'GlobalStandard'))
      .put(`${ACCOUNT}/${CANDIDATE}`)
      .query(DEV)
      .reply(201, deployment(CANDIDATE, NEW, 'DeveloperTier'))
      .delete(`${ACCOUNT}/${CANDIDATE}`)
      .query(DEV)
      .reply(204)
      .get(`${ACCOUNT}/${CANDIDATE}`)
      .query(DEV)
      .reply(404, notFound(CANDIDATE))
      .put(`${ACCOUNT}/support-bot`)
      .query(GA)
      .reply(200, deployment('support-bot', NEW));
    await evaluateOnAzure(request(async () => ({ passed: true })));
    expect(core.warning).toHaveBeenCalledWith(
      "'support-bot' is a GlobalStandard deployment now; it becomes Standard (deployment-sku: standard)",
    );
  });

  it('a candidate that cannot be deleted is a warning; its name stays for the post step, and a pass still promotes', async () => {
    arm()
      .get(`${ACCOUNT}/support-bot`)
      .query(GA)
      .reply(200, deployment('support-bot', OLD))
      .put(`${ACCOUNT}/${CANDIDATE}`)
      .query(DEV)
      .reply(201, deployment(CANDIDATE, NEW, 'DeveloperTier'))
      .delete(`${ACCOUNT}/${CANDIDATE}`)
      .query(DEV)
      .reply(403, { error: { code: 'AuthorizationFailed', message: 'No delete permission.' } })
      .put(`${ACCOUNT}/support-bot`)
      .query(GA)
      .reply(200, deployment('support-bot', NEW));
    const result = await evaluateOnAzure(request(async () => ({ passed: true })));
    expect(result).toMatchObject({ promoted: true, candidate: { name: CANDIDATE, deleted: false } });
    expect(core.state.get('candidate-deployment')).toBe(CANDIDATE);
    expect(String(core.warning.mock.calls[0][0])).toMatch(
      /^Could not delete the candidate deployment 'support-bot-eval-77-2': .*HTTP 403 \(AuthorizationFailed\).*The post step tries again/,
    );
  });
});

describe('the post step', () => {
  const AZURE_INPUTS = {
    mode: 'fine-tune',
    'base-url': 'https://contoso.openai.azure.com/openai/v1',
    'azure-client-id': '00000000-0000-0000-0000-0000000000c1',
    'azure-tenant-id': 'contoso-tenant',
    'azure-authority-host': 'http://login.test',
    'deployment-name': 'support-bot',
    'azure-subscription-id': 'sub-1',
    'azure-resource-group': 'rg-1',
    'azure-management-url': ARM,
    // The stand-ins here answer plain http on names of their own.
    'allow-insecure-http': 'true',
  };

  function entra(): void {
    nock('http://login.test')
      .post('/contoso-tenant/oauth2/v2.0/token', (body: Record<string, string>) => {
        expect(body.scope).toBe('https://management.azure.com/.default');
        return true;
      })
      .optionally()
      .reply(200, { token_type: 'Bearer', expires_in: 3600, access_token: TOKEN });
  }

  it('deletes the candidate a killed main step left, even after a step that ended, and clears it', async () => {
    core.reset(AZURE_INPUTS, { 'candidate-deployment': CANDIDATE, done: 'true' });
    entra();
    arm()
      .delete(`${ACCOUNT}/${CANDIDATE}`)
      .query(DEV)
      .reply(202)
      .get(`${ACCOUNT}/${CANDIDATE}`)
      .query(DEV)
      .reply(404, notFound(CANDIDATE));
    await post();
    expect(nock.isDone()).toBe(true);
    expect(core.state.get('candidate-deployment')).toBe('');
    expect(core.warning).not.toHaveBeenCalled();
    expect(core.setFailed).not.toHaveBeenCalled();
  });

  it('deletes nothing when no candidate was saved, or once it was cleared', async () => {
    for (const state of [{ done: 'true' }, { done: 'true', 'candidate-deployment': '' }] as Record<
      string,
      string
    >[]) {
      core.reset(AZURE_INPUTS, state);
      await post();
      expect(core.getIDToken).not.toHaveBeenCalled();
      expect(core.warning).not.toHaveBeenCalled();
    }
  });
});

describe('evaluateAndPromote (the mode side)', () => {
  const settings = {
    ...target,
    checkpoint: 'final' as const,
    signIn: {
      kind: 'entra' as const,
      clientId: 'app-promote',
      tenantId: 'contoso-tenant',
      authorityHost: 'http://login.test',
      audience: 'api://AzureADTokenExchange',
    },
  };

  it("evaluates the succeeded job's model with a management token and records the deployment it now serves", async () => {
    nock('http://login.test')
      .post('/contoso-tenant/oauth2/v2.0/token')
      .reply(200, { token_type: 'Bearer', expires_in: 3600, access_token: TOKEN });
    servingOldThenCandidate();
    arm().put(`${ACCOUNT}/support-bot`).query(GA).reply(200, deployment('support-bot', NEW));
    const record = { ...newRecord(Date.now()), job: succeededJob({ fine_tuned_model: NEW }) };
    const result = await evaluateAndPromote(
      settings,
      record,
      { deadline: Date.now() + 30_000 },
      { run: { runId: '77', attempt: '2' }, evaluate: async () => ({ passed: true }) },
    );
    expect(result?.promoted).toBe(true);
    expect(record.deployment).toEqual({
      name: 'support-bot',
      id: `${ACCOUNT}/support-bot`,
      model: NEW,
      sku: 'Standard',
    });
    expect(record.notes).toEqual([
      `The candidate was evaluated on its own deployment \`${CANDIDATE}\`, which is deleted.`,
    ]);
  });

  it('does nothing for a job that did not succeed', async () => {
    const evaluate = vi.fn(async () => ({ passed: true }));
    const record = { ...newRecord(Date.now()), job: succeededJob({ status: 'failed' }) };
    const options = { run: { runId: '77', attempt: '2' }, evaluate };
    expect(
      await evaluateAndPromote(settings, record, { deadline: Date.now() + 1_000 }, options),
    ).toBeUndefined();
    expect(evaluate).not.toHaveBeenCalled();
  });
});

describe('hostingPerHour', () => {
  it('knows the SKUs of fine-tuned deployments whatever the case ARM writes them in, and no other', () => {
    expect(hostingPerHour('DeveloperTier')).toBe(0);
    expect(hostingPerHour('developertier')).toBe(0);
    expect(hostingPerHour('Standard')).toBe(1.7);
    expect(hostingPerHour('GlobalStandard')).toBe(1.7);
    expect(hostingPerHour('ProvisionedManaged')).toBeUndefined();
  });
});
