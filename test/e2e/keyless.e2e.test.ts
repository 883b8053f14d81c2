import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type LocalApi } from '../../server/index.ts';
import { startGithubOidc } from '../../tools/github-oidc.ts';
import { runAction, type RunOptions } from '../../tools/run-action.ts';
import { closeLocalApi, deploymentTarget, entraSignIn, EXAMPLE } from './local-api.ts';

// Signing in without a stored key on Azure: the bundle asks the runner for the workflow's OIDC
// token (a stand-in for GitHub's token service here), gives it to Microsoft Entra ID (the local
// API's stand-in) as a federated client assertion, and renews the access token while it waits.

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function githubOidc() {
  const oidc = await startGithubOidc();
  closers.push(oidc.close);
  return oidc;
}

async function azure(tokenLifetimeSeconds: number, runningMs: number): Promise<LocalApi> {
  const api = await startServer({
    profile: 'azure',
    tokenLifetimeSeconds,
    fileProcessingMs: 50,
    jobPlan: { validatingMs: 150, queuedMs: 150, runningMs },
  });
  closers.push(() => closeLocalApi(api));
  return api;
}

function fineTune(api: LocalApi, extra: Partial<RunOptions>) {
  return runAction({
    files: { 'data/train.jsonl': EXAMPLE('train.jsonl') },
    ...extra,
    inputs: {
      ...entraSignIn(api),
      model: 'gpt-4o-mini-2024-07-18',
      'training-file': 'data/train.jsonl',
      'poll-interval': '250ms',
      'max-poll-interval': '500ms',
      'wait-timeout': '60s',
      ...extra.inputs,
    },
  });
}

describe('keyless sign-in to Azure with Microsoft Entra ID', () => {
  it('trains with Entra tokens from the workflow’s OIDC token, renews them during the wait, and shows none', async () => {
    const oidc = await githubOidc();
    const api = await azure(2, 5_000);
    const run = await fineTune(api, { env: oidc.env });

    expect(run.log).not.toContain('::error::');
    expect(run.code).toBe(0);
    expect(run.outputs['fine-tuned-model']).toMatch(/\.ft-[0-9a-f]{32}$/);
    // Every data-plane request carried an Entra token; no key exists here at all.
    const dataPlane = api.requests.filter(
      (request) => request.path.startsWith('/fine_tuning') || request.path.startsWith('/files'),
    );
    expect(new Set(dataPlane.map((request) => request.credential))).toEqual(new Set(['entra-token']));
    // Tokens that last two seconds, on a wait of five: the action signed in again before they ran out.
    const issued = api.tokenRequests.filter((request) => request.status === 200);
    expect(issued.length).toBeGreaterThanOrEqual(2);
    expect(api.tokenRequests.every((request) => request.status === 200)).toBe(true);
    expect(new Set(issued.map((request) => request.scope))).toEqual(
      new Set(['https://cognitiveservices.azure.com/.default']),
    );
    expect(new Set(oidc.audiences)).toEqual(new Set(['api://AzureADTokenExchange']));
    // No OIDC token appears where a person or a later step could read it.
    const shown = [run.log.replace(/^::add-mask::.*$/gm, ''), JSON.stringify(run.outputs), run.summary].join(
      '\n',
    );
    for (const token of oidc.minted) expect(shown).not.toContain(token);
    // Each one was masked for the runner as soon as the action had it.
    for (const token of oidc.minted) expect(run.log).toContain(`::add-mask::${token}`);
  }, 60_000);

  it('deploys the fine-tuned model through Resource Manager once the job succeeds, and says where', async () => {
    const oidc = await githubOidc();
    const api = await azure(3600, 600);
    const run = await fineTune(api, {
      env: oidc.env,
      inputs: {
        'deployment-name': 'support-bot',
        'deployment-sku': 'standard',
        'deployment-capacity': '2',
        ...deploymentTarget(api),
      },
    });
    expect(run.log).not.toContain('::error::');
    expect(run.code).toBe(0);
    expect(run.outputs['deployment-name']).toBe('support-bot');
    const [deployment] = api.deployments();
    expect(deployment).toMatchObject({
      name: 'support-bot',
      sku: { name: 'Standard', capacity: 2 },
      properties: {
        model: { format: 'OpenAI', name: run.outputs['fine-tuned-model'] },
        provisioningState: 'Succeeded',
      },
    });
    expect(deployment.id).toContain(
      '/resourceGroups/ml/providers/Microsoft.CognitiveServices/accounts/contoso/',
    );
    // Resource Manager got a token of its own scope; the data plane kept its own.
    expect(new Set(api.tokenRequests.map((request) => request.scope))).toEqual(
      new Set(['https://cognitiveservices.azure.com/.default', 'https://management.azure.com/.default']),
    );
    expect(run.summary).toMatch(
      /\| Deployment \| \[`support-bot`\]\(https:\/\/portal\.azure\.com\/#resource\/subscriptions\/.*\) serving `gpt-4o-mini/,
    );
  }, 60_000);

  it('deploys the best checkpoint when asked, and names it', async () => {
    const oidc = await githubOidc();
    const api = await azure(3600, 600);
    const run = await fineTune(api, {
      env: oidc.env,
      inputs: {
        'validation-file': 'data/train.jsonl',
        'deployment-name': 'best-bot',
        'deploy-checkpoint': 'best',
        ...deploymentTarget(api),
      },
    });
    expect(run.log).not.toContain('::error::');
    expect(run.code).toBe(0);
    const best = run.outputs['best-checkpoint-model'];
    expect(best).not.toBe('');
    expect(api.deployments()[0].properties.model.name).toBe(best);
  }, 60_000);

  it('fails before any request to the API when the workflow may not ask for an OIDC token', async () => {
    const api = await azure(3600, 600);
    const run = await fineTune(api, {});
    expect(run.code).toBe(1);
    expect(run.log).toMatch(
      /::error::Could not get the workflow's OIDC token \(keyless sign-in needs `permissions: id-token: write`\)/,
    );
    expect(api.jobs()).toEqual([]);
    expect(api.count('POST', '/files')).toBe(0);
  });

  it('says why Entra refused a token asked for with another audience', async () => {
    const oidc = await githubOidc();
    const api = await azure(3600, 600);
    const run = await fineTune(api, {
      env: oidc.env,
      inputs: { 'oidc-audience': 'https://github.com/octo-org' },
    });
    expect(run.code).toBe(1);
    expect(run.log).toMatch(
      /::error::.*Microsoft Entra ID refused the sign-in of app 00000000-0000-0000-0000-0000000000c1: \w+: AADSTS700212/,
    );
    expect(api.jobs()).toEqual([]);
  });
});
