// The azure profile: Azure OpenAI's v1 data plane under /openai/v1 checked against Microsoft's spec,
// its api-key header and error envelope, the Entra token endpoint, and ARM deployments.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import {
  TOKEN_EXCHANGE_AUDIENCE,
  type Deployment,
  type LocalApi,
  type ServerOptions,
  type WireJob,
} from '../../server/index.ts';
import {
  azureClientFor,
  chatJsonl,
  processedTrainingFile,
  startFast,
  TERMINAL,
  uploadText,
  waitFor,
} from './helpers.ts';

let api: LocalApi | undefined;

afterEach(async () => {
  if (!api) return;
  expect(api.contractViolations).toEqual([]);
  await api.close();
  api = undefined;
});

async function start(options: ServerOptions = {}): Promise<LocalApi> {
  api = await startFast({ profile: 'azure', ...options });
  return api;
}

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT_ID = '00000000-0000-0000-0000-00000000c11e';
const DATA_SCOPE = 'https://cognitiveservices.azure.com/.default';
const MANAGEMENT_SCOPE = 'https://management.azure.com/.default';

/** A GitHub OIDC token as the Actions runtime mints one; nobody checks its signature here. */
function githubOidcToken(claims: Record<string, unknown> = {}): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return [
    encode({ typ: 'JWT', alg: 'RS256' }),
    encode({
      iss: 'https://token.actions.githubusercontent.com',
      sub: 'repo:our-org/our-repo:ref:refs/heads/main',
      aud: TOKEN_EXCHANGE_AUDIENCE,
      iat: now,
      exp: now + 300,
      ...claims,
    }),
    'c2lnbmF0dXJl',
  ].join('.');
}

function tokenRequest(local: LocalApi, fields: Record<string, string>): Promise<Response> {
  return fetch(`${local.authorityUrl}/${TENANT}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
}

async function token(local: LocalApi, scope = DATA_SCOPE, assertion = githubOidcToken()): Promise<string> {
  const response = await tokenRequest(local, {
    client_id: CLIENT_ID,
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
    scope,
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** A raw data-plane request with the given headers (none by default). */
function dataPlane(
  local: LocalApi,
  path: string,
  headers: Record<string, string> = {},
  init: RequestInit = {},
) {
  return fetch(`${local.url}${path}`, { ...init, headers });
}

async function succeededJob(client: OpenAI, suffix?: string): Promise<WireJob> {
  const training = await processedTrainingFile(client);
  const created = await client.fineTuning.jobs.create({
    model: 'gpt-4o-mini',
    training_file: training.id,
    suffix,
  });
  return waitFor(
    () => client.fineTuning.jobs.retrieve(created.id) as Promise<WireJob>,
    (job) => TERMINAL.includes(job.status),
  );
}

describe('the data plane', () => {
  it('is served under /openai/v1 and checked against Microsoft spec, with an api-key header', async () => {
    // Half of it is `running`: long enough that polls on a busy machine still see it.
    const local = await start({ fileProcessingMs: 600 });
    expect(local.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/openai\/v1$/);
    const client = azureClientFor(local);

    const uploaded = await uploadText(client, chatJsonl(20));
    expect(uploaded.status).toBe('pending');
    const seen = new Set<string>();
    await waitFor(
      async () => (await client.files.retrieve(uploaded.id)).status,
      (status) => {
        seen.add(status);
        return status === 'processed';
      },
    );
    expect([...seen]).toEqual(expect.arrayContaining(['running', 'processed']));

    const created = await client.fineTuning.jobs.create({
      model: 'gpt-4o-mini',
      training_file: uploaded.id,
      suffix: 'demo',
      metadata: { team: 'search' },
      trainingType: 'globalstandard',
    } as OpenAI.FineTuning.JobCreateParams);
    expect(created.metadata).toEqual({ team: 'search' });
    const job = await waitFor(
      () => client.fineTuning.jobs.retrieve(created.id),
      (j) => TERMINAL.includes(j.status),
    );
    expect(job.status).toBe('succeeded');
    expect(job.fine_tuned_model).toMatch(/^gpt-4o-mini-2024-07-18\.ft-[0-9a-f]{32}-demo$/);
    const checkpoints = (await client.fineTuning.jobs.checkpoints.list(job.id)).data;
    expect(checkpoints[0].fine_tuned_model_checkpoint).toBe(job.fine_tuned_model);
    for (const checkpoint of checkpoints.slice(1))
      expect(checkpoint.fine_tuned_model_checkpoint).toMatch(
        /^gpt-4o-mini-2024-07-18\.ft-[0-9a-f]{32}-demo:ckpt-step-\d+$/,
      );
    expect((await client.fineTuning.jobs.listEvents(job.id)).data.length).toBeGreaterThan(0);
    await expect(client.models.retrieve(job.fine_tuned_model!)).resolves.toMatchObject({ object: 'model' });
    expect((await client.files.list()).data.map((file) => file.id)).toContain(uploaded.id);
    const results = await client.files.content(job.result_files[0]);
    expect(Buffer.from(await results.text(), 'base64').toString()).toMatch(/^step,/);
    await expect(client.files.delete(uploaded.id)).resolves.toMatchObject({ deleted: true });

    expect(local.requests.every((entry) => entry.credential === 'api-key')).toBe(true);
    expect(local.requests.find((entry) => entry.route === '/fine_tuning/jobs')?.body).toMatchObject({
      trainingType: 'globalstandard',
    });
  });

  it('answers 401 in Azure shape without a valid api-key, and takes the key as a Bearer token too', async () => {
    const local = await start();
    const attempts: Array<Record<string, string>> = [
      {},
      { 'api-key': 'wrong' },
      { authorization: 'Bearer wrong' },
    ];
    for (const headers of attempts) {
      const response = await dataPlane(local, '/files', headers);
      expect(response.status).toBe(401);
      const body = (await response.json()) as { error: Record<string, unknown> };
      expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
      expect(body.error.code).toBe('401');
    }
    await expect(azureClientFor(local, 'wrong').files.list()).rejects.toMatchObject({ status: 401 });
    expect((await dataPlane(local, '/files', { authorization: `Bearer ${local.apiKey}` })).status).toBe(200);
    expect(local.requests.at(-1)?.credential).toBe('bearer-key');
  });

  it('has no /uploads and nothing under /v1, and answers 404 in Azure shape', async () => {
    const local = await start();
    const headers = { 'api-key': local.apiKey, 'content-type': 'application/json' };
    const uploads = await dataPlane(local, '/uploads', headers, { method: 'POST', body: '{}' });
    expect(uploads.status).toBe(404);
    expect(await uploads.json()).toEqual({ error: { code: '404', message: 'Resource not found' } });
    const openAiPath = await fetch(`${local.authorityUrl}/v1/files`, { headers });
    expect(openAiPath.status).toBe(404);
  });

  it('refuses a training tier other than standard, globalstandard and developer', async () => {
    const local = await start();
    const client = azureClientFor(local);
    const training = await processedTrainingFile(client);
    const error = await client.fineTuning.jobs
      .create({
        model: 'gpt-4o-mini',
        training_file: training.id,
        trainingType: 'premium',
      } as OpenAI.FineTuning.JobCreateParams)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: 'invalid_value', param: 'trainingType' });
    const lora = await client.fineTuning.jobs
      .create({
        model: 'gpt-4o-mini',
        training_file: training.id,
        method: { type: 'supervised', supervised: { hyperparameters: { lora_r: 8 } as never } },
      })
      .catch((e: unknown) => e);
    expect(lora).toMatchObject({ status: 400, code: 'unknown_parameter' });
  });

  it('lists every job whatever metadata filter is asked for, and pauses and resumes', async () => {
    const local = await start({ jobPlan: { runningMs: 5000 } });
    const client = azureClientFor(local);
    const theirs = local.seedOtherTeamsJobs();
    const filtered = await dataPlane(local, '/fine_tuning/jobs?limit=100&metadata[team]=nobody', {
      'api-key': local.apiKey,
    });
    expect(((await filtered.json()) as { data: WireJob[] }).data.map((job) => job.id).sort()).toEqual(
      theirs.map((job) => job.id).sort(),
    );
    const running = theirs.find((job) => job.status === 'running')!;
    expect((await client.fineTuning.jobs.pause(running.id)).status).toBe('paused');
    expect((await client.fineTuning.jobs.resume(running.id)).status).toBe('queued');
    const succeeded = theirs.find((job) => job.status === 'succeeded')!;
    expect(succeeded.fine_tuned_model).toMatch(/^gpt-4o-mini-2024-07-18\.ft-[0-9a-f]{32}$/);
  });

  it('answers injected faults in Azure shape, with their retry headers', async () => {
    const local = await start({ faults: { rate: 1, kinds: ['429'] } });
    const response = await dataPlane(local, '/files', { 'api-key': local.apiKey });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after-ms')).toBe('20');
    expect(await response.json()).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
    expect(local.requests.at(-1)?.fault).toBe('429');
  });

  it('honours the metadata filter when told to', async () => {
    const local = await start({ metadataFilter: 'honoured' });
    local.seedOtherTeamsJobs();
    const response = await dataPlane(local, '/fine_tuning/jobs?limit=100&metadata[team]=search', {
      'api-key': local.apiKey,
    });
    const jobs = ((await response.json()) as { data: WireJob[] }).data;
    expect(jobs.map((job) => job.metadata)).toEqual(Array(3).fill({ team: 'search' }));
  });
});

describe('the Entra token endpoint', () => {
  it('exchanges a GitHub OIDC token for a data-plane token that lives as long as configured', async () => {
    const local = await start({ tokenLifetimeSeconds: 1 });
    expect(local.authorityUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await tokenRequest(local, {
      client_id: CLIENT_ID,
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: githubOidcToken(),
      scope: DATA_SCOPE,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 1 });
    const accessToken = body.access_token as string;

    const client = new OpenAI({ apiKey: accessToken, baseURL: local.url, maxRetries: 0 });
    await expect(client.files.list()).resolves.toMatchObject({ data: [] });
    expect(local.requests.at(-1)?.credential).toBe('entra-token');

    await new Promise((resolve) => setTimeout(resolve, 1100));
    const expired = await client.files.list().catch((e: unknown) => e);
    expect(expired).toMatchObject({ status: 401, code: '401' });

    expect(local.tokenRequests).toEqual([
      expect.objectContaining({
        tenant: TENANT,
        clientId: CLIENT_ID,
        scope: DATA_SCOPE,
        subject: 'repo:our-org/our-repo:ref:refs/heads/main',
        status: 200,
        error: null,
        expiresIn: 1,
      }),
    ]);
    expect(local.count('POST', '/{tenant}/oauth2/v2.0/token')).toBe(1);
  });

  it('refuses an assertion for another audience, a malformed or expired one, and bad parameters', async () => {
    const local = await start();
    const valid = {
      client_id: CLIENT_ID,
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: githubOidcToken(),
      scope: DATA_SCOPE,
    };
    const cases: Array<[Record<string, string>, number, string, number]> = [
      [
        { ...valid, client_assertion: githubOidcToken({ aud: 'https://github.com/our-org' }) },
        401,
        'invalid_client',
        700212,
      ],
      [{ ...valid, client_assertion: 'not-a-jwt' }, 401, 'invalid_client', 50027],
      [{ ...valid, client_assertion: githubOidcToken({ exp: 1 }) }, 401, 'invalid_client', 700024],
      [{ ...valid, grant_type: 'password' }, 400, 'unsupported_grant_type', 70003],
      [{ ...valid, scope: 'https://graph.microsoft.com/.default' }, 400, 'invalid_scope', 1002012],
      [{ ...valid, client_id: '' }, 400, 'invalid_request', 900144],
    ];
    for (const [fields, status, error, code] of cases) {
      const response = await tokenRequest(local, fields);
      expect(response.status).toBe(status);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ error, error_codes: [code] });
      expect(body.error_description).toMatch(new RegExp(`^AADSTS${code}: `));
    }
    expect(local.tokenRequests.map((request) => request.error)).toEqual(cases.map(([, , error]) => error));
    expect(local.tokenRequests.every((request) => request.expiresIn === null)).toBe(true);
  });

  it('issues management tokens that the data plane does not take', async () => {
    const local = await start();
    const management = await token(local, MANAGEMENT_SCOPE);
    const response = await dataPlane(local, '/files', { authorization: `Bearer ${management}` });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/audience/);
  });
});

describe('chat completions on Azure', () => {
  it('answers /openai/v1/chat/completions by deployment name, as the deployed model, keyless too', async () => {
    const local = await start({ deploymentProvisioningMs: 0 });
    const client = azureClientFor(local);
    const job = await succeededJob(client);
    const management = await token(local, MANAGEMENT_SCOPE);
    const put = await fetch(
      `${local.managementUrl}/subscriptions/s/resourceGroups/r/providers/Microsoft.CognitiveServices/accounts/a/deployments/candidate?api-version=2024-10-01`,
      {
        method: 'PUT',
        headers: { authorization: `Bearer ${management}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          sku: { name: 'DeveloperTier', capacity: 1 },
          properties: { model: { format: 'OpenAI', name: job.fine_tuned_model, version: '1' } },
        }),
      },
    );
    expect(put.status).toBe(201);

    const keyless = new OpenAI({ apiKey: await token(local), baseURL: local.url, maxRetries: 0 });
    const answer = await keyless.chat.completions.create({
      model: 'candidate',
      messages: [{ role: 'user', content: 'What is 3 + 3?' }],
    });
    expect(answer.model).toBe(job.fine_tuned_model);
    expect(answer.choices[0].message.content).toBe('3 + 3 is 6.');
    expect(local.requests.at(-1)).toMatchObject({
      path: '/chat/completions',
      credential: 'entra-token',
      status: 200,
    });

    // The model's own name is no deployment: Azure answers in its own error envelope.
    const refused = await fetch(`${local.url}/chat/completions`, {
      method: 'POST',
      headers: { 'api-key': local.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ model: job.fine_tuned_model, messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(refused.status).toBe(404);
    expect(await refused.json()).toEqual({
      error: {
        code: 'DeploymentNotFound',
        message:
          'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
      },
    });
  });
});

describe('ARM deployments', () => {
  const account =
    '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.CognitiveServices/accounts/acct-1';
  const deploymentUrl = (local: LocalApi, name: string, apiVersion: string | null = '2024-10-01') =>
    `${local.managementUrl}${account}/deployments/${name}${apiVersion === null ? '' : `?api-version=${apiVersion}`}`;
  const body = (model: string) =>
    JSON.stringify({
      sku: { name: 'Standard', capacity: 1 },
      properties: { model: { format: 'OpenAI', name: model, version: '1' } },
    });
  const arm = (url: string, bearer: string | null, init: RequestInit = {}) =>
    fetch(url, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
      },
    });

  it('creates a deployment of a fine-tuned model, Creating then Succeeded, and deletes it', async () => {
    const local = await start({ deploymentProvisioningMs: 150 });
    const job = await succeededJob(azureClientFor(local));
    const management = await token(local, MANAGEMENT_SCOPE);

    const created = await arm(deploymentUrl(local, 'ft-demo'), management, {
      method: 'PUT',
      body: body(job.fine_tuned_model!),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      id: `${account}/deployments/ft-demo`,
      type: 'Microsoft.CognitiveServices/accounts/deployments',
      name: 'ft-demo',
      sku: { name: 'Standard', capacity: 1 },
      properties: {
        model: { format: 'OpenAI', name: job.fine_tuned_model, version: '1' },
        provisioningState: 'Creating',
      },
    });
    const ready = await waitFor(
      async () => (await (await arm(deploymentUrl(local, 'ft-demo'), management)).json()) as Deployment,
      (deployment) => deployment.properties.provisioningState !== 'Creating',
    );
    expect(ready.properties.provisioningState).toBe('Succeeded');
    expect(local.deployments()).toEqual([ready]);

    const again = await arm(deploymentUrl(local, 'ft-demo'), management, {
      method: 'PUT',
      body: body(job.fine_tuned_model!),
    });
    expect(again.status).toBe(200);
    expect(((await again.json()) as Deployment).properties.provisioningState).toBe('Updating');

    expect((await arm(deploymentUrl(local, 'ft-demo'), management, { method: 'DELETE' })).status).toBe(200);
    const gone = await arm(deploymentUrl(local, 'ft-demo'), management);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ error: { code: 'DeploymentNotFound' } });
    expect(local.deployments()).toEqual([]);
  });

  it('refuses a model no job produced, a missing api-version, and tokens that are not for management', async () => {
    const local = await start();
    const client = azureClientFor(local);
    const job = await succeededJob(client);
    const management = await token(local, MANAGEMENT_SCOPE);
    const dataToken = await token(local, DATA_SCOPE);
    const put = (url: string, bearer: string | null, model = job.fine_tuned_model!) =>
      arm(url, bearer, { method: 'PUT', body: body(model) });
    const errorOf = async (response: Response) => {
      const json = (await response.json()) as { error: { code: string; message: string } };
      expect(Object.keys(json.error).sort()).toEqual(['code', 'message']);
      return [response.status, json.error.code];
    };

    expect(
      await errorOf(
        await put(
          deploymentUrl(local, 'x'),
          management,
          'gpt-4o-mini-2024-07-18.ft-0123456789abcdef0123456789abcdef',
        ),
      ),
    ).toEqual([400, 'DeploymentModelNotSupported']);
    expect(await errorOf(await put(deploymentUrl(local, 'x', null), management))).toEqual([
      400,
      'MissingApiVersionParameter',
    ]);
    expect(await errorOf(await put(deploymentUrl(local, 'x'), null))).toEqual([401, 'AuthenticationFailed']);
    expect(await errorOf(await put(deploymentUrl(local, 'x'), dataToken))).toEqual([
      401,
      'InvalidAuthenticationTokenAudience',
    ]);
    expect(await errorOf(await put(deploymentUrl(local, 'x'), local.apiKey))).toEqual([
      401,
      'InvalidAuthenticationToken',
    ]);
    expect(
      await errorOf(
        await arm(deploymentUrl(local, 'x'), management, {
          method: 'PUT',
          body: JSON.stringify({ sku: { name: 'Standard' } }),
        }),
      ),
    ).toEqual([400, 'InvalidResourceProperties']);
    expect(local.deployments()).toEqual([]);
    expect(local.count('PUT', /\/deployments\/x$/)).toBe(6);
  });

  it('lists the deployments of one account, points one at another model, and deletes it', async () => {
    const local = await start({ deploymentProvisioningMs: 150 });
    const client = azureClientFor(local);
    const first = await succeededJob(client, 'one');
    const second = await succeededJob(client, 'two');
    const management = await token(local, MANAGEMENT_SCOPE);
    const put = (name: string, model: string, at = account) =>
      arm(`${local.managementUrl}${at}/deployments/${name}?api-version=2024-10-01`, management, {
        method: 'PUT',
        body: body(model),
      });
    const chat = (deployment: string) =>
      client.chat.completions.create({
        model: deployment,
        messages: [{ role: 'user', content: 'What is 1 + 1?' }],
      });
    const other = account.replace('acct-1', 'acct-2');

    expect((await put('serving', first.fine_tuned_model!)).status).toBe(201);
    expect((await put('base', 'gpt-4o-mini')).status).toBe(201);
    expect((await put('elsewhere', first.fine_tuned_model!, other)).status).toBe(201);
    // Still being created: the data plane does not know it yet.
    await expect(chat('serving')).rejects.toMatchObject({ status: 404, code: 'DeploymentNotFound' });
    await waitFor(
      async () => local.deployments().map((d) => d.properties.provisioningState),
      (states) => states.every((state) => state === 'Succeeded'),
    );
    const listed = await arm(
      `${local.managementUrl}${account}/deployments?api-version=2024-10-01`,
      management,
    );
    expect(listed.status).toBe(200);
    const names = ((await listed.json()) as { value: Deployment[] }).value.map((d) => d.name);
    expect(names).toEqual(['serving', 'base']);
    expect((await chat('serving')).model).toBe(first.fine_tuned_model);
    expect((await chat('base')).model).toBe('gpt-4o-mini-2024-07-18');

    // Pointed at the second model: the first serves until the update has provisioned.
    const updated = await put('serving', second.fine_tuned_model!);
    expect(updated.status).toBe(200);
    expect(((await updated.json()) as Deployment).properties).toMatchObject({
      model: { name: second.fine_tuned_model },
      provisioningState: 'Updating',
    });
    expect((await chat('serving')).model).toBe(first.fine_tuned_model);
    await waitFor(
      async () => (await chat('serving')).model,
      (model) => model === second.fine_tuned_model,
    );

    const url = `${local.managementUrl}${account}/deployments/serving?api-version=2024-10-01`;
    expect((await arm(url, management, { method: 'DELETE' })).status).toBe(200);
    expect((await arm(url, management, { method: 'DELETE' })).status).toBe(204);
    await expect(chat('serving')).rejects.toMatchObject({ status: 404, code: 'DeploymentNotFound' });
    expect(local.deployments().map((d) => d.name)).toEqual(['base', 'elsewhere']);
  });

  it('expires management tokens after their lifetime', async () => {
    const local = await start({ tokenLifetimeSeconds: 1 });
    const management = await token(local, MANAGEMENT_SCOPE);
    expect((await arm(deploymentUrl(local, 'x'), management)).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const expired = await arm(deploymentUrl(local, 'x'), management);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: { code: 'ExpiredAuthenticationToken' } });
  });
});
