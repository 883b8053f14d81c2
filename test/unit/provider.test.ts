import nock from 'nock';
import { mkdtempSync, openSync, closeSync, ftruncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JobClient, type Connection } from '../../src/api/client.js';
import { describeError } from '../../src/api/errors.js';
import { providerOf, TRAITS } from '../../src/api/provider.js';
import { identify, prepareFile } from '../../src/data/upload.js';
import { readConfig } from '../../src/inputs/config.js';
import type { FineTuneConfig } from '../../src/inputs/types.js';
import { captureStdout } from '../helpers/capture.js';
import { makeJob } from '../helpers/jobs.js';

// What differs by provider, seen from outside the job client: the headers sent, what is refused
// before anything is sent, and what the answers of a compatible API are taken to mean.

const AZURE = 'https://contoso.openai.azure.com';
const OTHER = 'https://gateway.test';
const connection = (provider: Connection['provider'], baseURL: string): Connection => ({
  apiKey: 'sk-unit-test',
  baseURL,
  provider,
  organization: null,
  project: null,
});
const dir = mkdtempSync(path.join(tmpdir(), 'provider-'));
let stdout: ReturnType<typeof captureStdout>;

beforeAll(() => nock.disableNetConnect());
beforeEach(() => (stdout = captureStdout()));
afterEach(() => {
  stdout.restore();
  nock.cleanAll();
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
});

describe('provider: auto', () => {
  it.each([
    ['https://api.openai.com/v1', 'openai'],
    ['https://contoso.openai.azure.com/openai/v1', 'azure'],
    ['https://contoso.services.ai.azure.com/openai/v1', 'azure'],
    ['https://contoso.cognitiveservices.azure.com/openai/v1', 'azure'],
    ['https://api.studio.nebius.com/v1', 'compatible'],
    ['http://127.0.0.1:8080/v1', 'compatible'],
    // Only the host counts: a path or a look-alike host does not make an endpoint Azure's.
    ['https://openai.azure.com.example.org/v1', 'compatible'],
  ])('%s is %s', (baseURL, provider) => {
    expect(providerOf(baseURL)).toBe(provider);
  });

  it('reads provider from its input, refusing an unknown one by name', async () => {
    process.env['INPUT_API-KEY'] = 'sk-unit-test';
    process.env.INPUT_MODE = 'cancel';
    process.env['INPUT_JOB-ID'] = 'ftjob-abc';
    process.env['INPUT_BASE-URL'] = 'http://127.0.0.1:8080/v1';
    process.env.INPUT_PROVIDER = 'azure';
    expect((await readConfig()).connection?.provider).toBe('azure');
    process.env.INPUT_PROVIDER = 'bedrock';
    await expect(readConfig()).rejects.toThrow(
      "Input 'provider' must be one of auto, openai, azure, compatible, got 'bedrock'",
    );
  });

  it("refuses OpenAI's organization and project headers for Azure, naming the input", async () => {
    process.env['INPUT_API-KEY'] = 'sk-unit-test';
    process.env.INPUT_MODE = 'cancel';
    process.env['INPUT_JOB-ID'] = 'ftjob-abc';
    process.env['INPUT_BASE-URL'] = `${AZURE}/openai/v1`;
    process.env.INPUT_ORGANIZATION = 'org-123';
    await expect(readConfig()).rejects.toThrow("Input 'organization' applies to OpenAI, not provider azure");
  });
});

describe('azure', () => {
  it('sends the key in the api-key header and no Bearer token', async () => {
    // nock matches only a request with the key in api-key and no Authorization header at all.
    nock(AZURE, { reqheaders: { 'api-key': 'sk-unit-test' }, badheaders: ['authorization'] })
      .get('/openai/v1/fine_tuning/jobs/ftjob-abc')
      .reply(200, makeJob({ id: 'ftjob-abc' }));
    const client = new JobClient(connection('azure', `${AZURE}/openai/v1`), { maxRetries: 0 });
    await expect(client.retrieveJob('ftjob-abc')).resolves.toMatchObject({ id: 'ftjob-abc' });
  });

  it('refuses a file larger than one upload takes before reading or sending it, and says what to do', async () => {
    const file = path.join(dir, 'huge.jsonl');
    const fd = openSync(file, 'w');
    // Sparse: the size is all that is looked at.
    ftruncateSync(fd, TRAITS.azure.maxFileBytes + 1);
    closeSync(fd);
    await expect(
      identify('training-file', { kind: 'path', path: file, given: 'huge.jsonl' }, TRAITS.azure),
    ).rejects.toThrow(
      /training-file: huge\.jsonl is \d+ bytes, and this provider takes a file in one upload of at most/,
    );
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('sends a file larger than a part in one POST /files, since Azure has no Uploads API', async () => {
    const file = path.join(dir, 'big.jsonl');
    writeFileSync(file, `${JSON.stringify({ messages: [] })}\n`.repeat(10));
    const client = new JobClient(connection('azure', `${AZURE}/openai/v1`), { maxRetries: 0 });
    const data = await identify(
      'training-file',
      { kind: 'path', path: file, given: 'big.jsonl' },
      client.traits,
    );
    const uploaded = {
      id: 'file-1',
      object: 'file',
      bytes: 1,
      created_at: 1,
      filename: 'big.jsonl',
      purpose: 'fine-tune',
    };
    nock(AZURE)
      .get('/openai/v1/files')
      .query(true)
      .reply(200, { object: 'list', data: [], has_more: false })
      .post('/openai/v1/files')
      .reply(200, { ...uploaded, status: 'pending' })
      .get('/openai/v1/files/file-1')
      .reply(200, { ...uploaded, status: 'running' })
      .get('/openai/v1/files/file-1')
      .reply(200, { ...uploaded, status: 'processed' });
    const id = await prepareFile(client, 'training-file', data, {
      pollIntervalMs: 1,
      deadline: Date.now() + 5_000,
      maxAttempts: 1,
      partsAbove: 0,
    });
    expect(id).toBe('file-1');
    expect(nock.isDone()).toBe(true);
  });
});

describe('compatible', () => {
  const client = new JobClient(connection('compatible', `${OTHER}/v1`), { maxRetries: 0 });

  it('takes a file whose status stays empty after a successful upload as ready', async () => {
    nock(OTHER).get('/v1/files/file-1').reply(200, {
      id: 'file-1',
      object: 'file',
      bytes: 10,
      created_at: 1,
      filename: 'train.jsonl',
      purpose: 'fine-tune',
      status: null,
    });
    const id = await prepareFile(
      client,
      'training-file',
      { source: { kind: 'id', id: 'file-1' }, identity: 'file-1' },
      { pollIntervalMs: 1, deadline: Date.now() + 5_000, maxAttempts: 1 },
    );
    expect(id).toBe('file-1');
  });

  it("passes the provider's own hyperparameters through with a notice; OpenAI's refuse them", async () => {
    const inputs = {
      'INPUT_API-KEY': 'sk-unit-test',
      INPUT_MODEL: 'meta-llama/Llama-3.1-8B-Instruct',
      'INPUT_TRAINING-FILE': 'file-abc',
      INPUT_HYPERPARAMETERS: '{n_epochs: 2, lora_r: 16, packing: true}',
    };
    Object.assign(process.env, inputs, { 'INPUT_BASE-URL': `${OTHER}/v1` });
    const config = (await readConfig()) as FineTuneConfig;
    expect(config.job.method).toEqual({
      type: 'supervised',
      supervised: { hyperparameters: { n_epochs: 2, lora_r: 16, packing: true } },
    });
    expect(stdout.text()).toContain(
      '::notice::hyperparameters: lora_r, packing passed to provider compatible as given, unchecked',
    );

    process.env['INPUT_BASE-URL'] = 'https://api.openai.com/v1';
    await expect(readConfig()).rejects.toThrow("Input 'hyperparameters' has unknown key 'lora_r'");
  });
});

describe('openai', () => {
  it('says plainly why a create is refused with 403 now, and how to move to Azure', async () => {
    nock('https://api.openai.com')
      .post('/v1/fine_tuning/jobs')
      .reply(403, {
        error: {
          message: 'You are not allowed to create fine-tuning jobs.',
          type: 'invalid_request_error',
          code: null,
          param: null,
        },
      });
    const client = new JobClient(connection('openai', 'https://api.openai.com/v1'), { maxRetries: 0 });
    await expect(
      client.createJob({ model: 'gpt-4o-mini-2024-07-18', training_file: 'file-abc' }),
    ).rejects.toThrow(
      /^HTTP 403: You are not allowed to create fine-tuning jobs\.\. OpenAI .* stops accepting them on 2027-01-06.*base-url to https:\/\/YOUR-RESOURCE\.openai\.azure\.com\/openai\/v1/,
    );
  });
});

describe('keyless sign-in to OpenAI with workload identity federation', () => {
  it("exchanges the workflow's OIDC token through the SDK and signs requests with what it gets, masked", async () => {
    // A key in the environment (set for other steps) must not meet the keyless sign-in.
    process.env.OPENAI_API_KEY = 'sk-from-the-environment';
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = 'http://oidc.test/token?api-version=2.0';
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'runtime-request-token';
    let exchanged: Record<string, unknown> = {};
    nock('http://oidc.test', { reqheaders: { authorization: 'Bearer runtime-request-token' } })
      .get('/token')
      .query({ 'api-version': '2.0', audience: 'https://api.openai.com/v1' })
      .reply(200, { value: 'github.oidc.token' });
    nock('https://auth.openai.com')
      .post('/oauth/token', (body: Record<string, unknown>) => ((exchanged = body), true))
      .reply(200, { access_token: 'openai-access-token', token_type: 'Bearer', expires_in: 3600 });
    nock('https://api.openai.com', { reqheaders: { authorization: 'Bearer openai-access-token' } })
      .get('/v1/fine_tuning/jobs/ftjob-abc')
      .reply(200, makeJob({ id: 'ftjob-abc' }));
    const client = new JobClient(
      {
        ...connection('openai', 'https://api.openai.com/v1'),
        apiKey: '',
        keyless: {
          kind: 'openai-workload-identity',
          identityProviderId: 'idp-123',
          serviceAccountId: 'svc-456',
          audience: 'https://api.openai.com/v1',
        },
      },
      { maxRetries: 0 },
    );
    try {
      await expect(client.retrieveJob('ftjob-abc')).resolves.toMatchObject({ id: 'ftjob-abc' });
    } finally {
      delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
      delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
      delete process.env.OPENAI_API_KEY;
    }
    expect(exchanged).toMatchObject({
      subject_token: 'github.oidc.token',
      identity_provider_id: 'idp-123',
      service_account_id: 'svc-456',
    });
    expect(stdout.text()).toContain('::add-mask::github.oidc.token');
    expect(stdout.text()).toContain('::add-mask::openai-access-token');
  });

  it('reads the sign-in from its inputs, the audience defaulting to OpenAI’s, and never asks for a key', async () => {
    Object.assign(process.env, {
      INPUT_MODE: 'cancel',
      'INPUT_JOB-ID': 'ftjob-abc',
      'INPUT_WORKLOAD-IDENTITY-PROVIDER-ID': 'idp-123',
      'INPUT_WORKLOAD-SERVICE-ACCOUNT-ID': 'svc-456',
    });
    expect((await readConfig()).connection).toMatchObject({
      apiKey: '',
      keyless: { kind: 'openai-workload-identity', audience: 'https://api.openai.com/v1' },
    });
    delete process.env['INPUT_WORKLOAD-SERVICE-ACCOUNT-ID'];
    await expect(readConfig()).rejects.toThrow(
      "Input 'workload-service-account-id' is required with workload-identity-provider-id",
    );
  });
});

describe('Azure-only inputs', () => {
  const azureInputs = {
    'INPUT_BASE-URL': `${AZURE}/openai/v1`,
    INPUT_MODEL: 'gpt-4.1-mini-2025-04-14',
    'INPUT_TRAINING-FILE': 'file-abc',
  };

  it('sends training-type as the tier Azure names, and refuses it elsewhere or misspelt', async () => {
    Object.assign(process.env, azureInputs, {
      'INPUT_API-KEY': 'sk-unit-test',
      'INPUT_TRAINING-TYPE': 'global',
    });
    expect(((await readConfig()) as FineTuneConfig).job.trainingType).toBe('globalstandard');
    process.env['INPUT_TRAINING-TYPE'] = 'premium';
    await expect(readConfig()).rejects.toThrow(
      "Input 'training-type' must be one of standard, global, developer, got 'premium'",
    );
    Object.assign(process.env, {
      'INPUT_BASE-URL': 'https://api.openai.com/v1',
      'INPUT_TRAINING-TYPE': 'standard',
    });
    await expect(readConfig()).rejects.toThrow("Input 'training-type' applies to provider azure, not openai");
  });

  it('signs in with Entra ID without a key, and refuses a key given beside it or Entra on another provider', async () => {
    Object.assign(process.env, azureInputs, {
      'INPUT_AZURE-CLIENT-ID': 'app-1',
      'INPUT_AZURE-TENANT-ID': 'tenant-1',
    });
    expect((await readConfig()).connection).toMatchObject({
      apiKey: '',
      keyless: {
        kind: 'entra',
        clientId: 'app-1',
        tenantId: 'tenant-1',
        authorityHost: 'https://login.microsoftonline.com',
        audience: 'api://AzureADTokenExchange',
      },
    });
    process.env['INPUT_API-KEY'] = 'sk-unit-test';
    await expect(readConfig()).rejects.toThrow("Input 'api-key' is set beside a keyless sign-in");
    delete process.env['INPUT_API-KEY'];
    process.env['INPUT_BASE-URL'] = 'https://api.openai.com/v1';
    await expect(readConfig()).rejects.toThrow(
      "Input 'azure-client-id' signs in to Azure, not provider openai",
    );
  });

  it('asks for a deployment only on Azure, signed in with Entra ID, with its subscription and resource group', async () => {
    Object.assign(process.env, azureInputs, {
      'INPUT_API-KEY': 'sk-unit-test',
      'INPUT_DEPLOYMENT-NAME': 'bot',
    });
    await expect(readConfig()).rejects.toThrow(
      "Input 'deployment-name' needs the Microsoft Entra ID sign-in (azure-client-id and azure-tenant-id)",
    );
    delete process.env['INPUT_API-KEY'];
    Object.assign(process.env, { 'INPUT_AZURE-CLIENT-ID': 'app-1', 'INPUT_AZURE-TENANT-ID': 'tenant-1' });
    await expect(readConfig()).rejects.toThrow(
      "Input 'azure-subscription-id' is required with deployment-name",
    );
    Object.assign(process.env, {
      'INPUT_AZURE-SUBSCRIPTION-ID': 'sub-1',
      'INPUT_AZURE-RESOURCE-GROUP': 'ml',
    });
    expect(((await readConfig()) as FineTuneConfig).deploy).toMatchObject({
      name: 'bot',
      sku: 'developer',
      capacity: 1,
      checkpoint: 'final',
      // The resource's name, from https://contoso.openai.azure.com.
      account: 'contoso',
      managementUrl: 'https://management.azure.com',
    });
    process.env['INPUT_DEPLOYMENT-SKU'] = 'premium';
    await expect(readConfig()).rejects.toThrow(
      "Input 'deployment-sku' must be one of developer, standard, global-standard",
    );
    delete process.env['INPUT_DEPLOYMENT-NAME'];
    await expect(readConfig()).rejects.toThrow("Input 'deployment-sku' applies only with deployment-name");
  });

  it('refuses eval-file without deployment-name on Azure, where the candidate is evaluated on a deployment of its own', async () => {
    Object.assign(process.env, azureInputs, {
      'INPUT_API-KEY': 'sk-unit-test',
      'INPUT_EVAL-FILE': 'data/eval.jsonl',
    });
    await expect(readConfig()).rejects.toThrow(
      "Input 'deployment-name' is required with eval-file on Azure: the new model is evaluated on a deployment of its own",
    );
    Object.assign(process.env, { INPUT_MODE: 'wait', 'INPUT_JOB-ID': 'ftjob-abc' });
    await expect(readConfig()).rejects.toThrow("Input 'deployment-name' is required with eval-file on Azure");
    // With it, the ARM inputs are asked for as for any deployment.
    process.env['INPUT_DEPLOYMENT-NAME'] = 'bot';
    await expect(readConfig()).rejects.toThrow(
      "Input 'deployment-name' needs the Microsoft Entra ID sign-in",
    );
    // Elsewhere eval-file needs no deployment.
    Object.assign(process.env, {
      'INPUT_BASE-URL': 'https://api.openai.com/v1',
      'INPUT_DEPLOYMENT-NAME': '',
    });
    await expect(readConfig()).resolves.toMatchObject({ mode: 'wait' });
  });
});

describe('the data check, by model', () => {
  it("knows OpenAI's models as OpenAI and Azure name them, and no open model's tokenizer", async () => {
    const { modelRules } = await import('../../src/data/models.js');
    for (const model of [
      'gpt-4o-mini-2024-07-18',
      'ft:gpt-4o-mini-2024-07-18:org::abc123',
      'o4-mini-2025-04-16',
    ]) {
      expect(modelRules(model, 'openai').approximate).toBe(false);
    }
    for (const model of [
      'gpt-4.1-mini-2025-04-14.ft-0123456789abcdef0123456789abcdef',
      'gpt-35-turbo-0125',
      'o4-mini-2025-04-16',
    ]) {
      expect(modelRules(model, 'azure').approximate).toBe(false);
    }
    for (const model of ['meta-llama/Llama-3.1-8B-Instruct', 'Qwen/Qwen2.5-7B-Instruct']) {
      expect(modelRules(model, 'compatible').approximate).toBe(true);
    }
    // Azure's spelling of gpt-3.5 is the same model, with its tokenizer and its limit.
    expect(modelRules('gpt-35-turbo-0125', 'azure')).toMatchObject({
      encoding: 'cl100k_base',
      exampleTokens: 16_385,
    });
    expect(modelRules('gpt-4o-mini-2024-07-18.ft-0123456789abcdef0123456789abcdef', 'azure').encoding).toBe(
      'o200k_base',
    );
  });
});

describe('a keyless sign-in that cannot be made', () => {
  it("says so in the action's own words, not inside the SDK's frame for an apiKey function", async () => {
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
    const client = new JobClient(
      {
        ...connection('azure', 'https://contoso.openai.azure.com/openai/v1'),
        apiKey: '',
        keyless: {
          kind: 'entra',
          clientId: 'app-1',
          tenantId: 'tenant-1',
          authorityHost: 'https://login.microsoftonline.invalid',
          audience: 'api://AzureADTokenExchange',
        },
      },
      { maxRetries: 0 },
    );
    const error = await client.retrieveJob('ftjob-abc').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(describeError(error)).toMatch(
      /^Could not get the workflow's OIDC token \(keyless sign-in needs `permissions: id-token: write`\): /,
    );
  });
});
