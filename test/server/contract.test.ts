// The contract check itself: requests the spec forbids are refused and recorded, and switching the
// check off lets the server's own rules decide.
import OpenAI, { toFile } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { loadContract } from '../../server/contract.ts';
import type { LocalApi } from '../../server/index.ts';
import { clientFor, errorOf, processedTrainingFile, raw, startFast } from './helpers.ts';

let api: LocalApi;

afterEach(async () => {
  await api.close();
});

describe('with the contract check on', () => {
  it('refuses a JSON body the spec forbids and records the violation', async () => {
    api = await startFast();
    const client = clientFor(api);
    const training = await processedTrainingFile(client);

    const error = await client.fineTuning.jobs
      .create({
        model: 'gpt-4o-mini',
        training_file: training.id,
        method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 51 } } },
      })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({
      param: 'method.supervised.hyperparameters.n_epochs',
      code: 'integer_above_max_value',
    });
    expect(api.contractViolations).toHaveLength(1);
    expect(api.contractViolations[0]).toMatch(/^POST \/fine_tuning\/jobs request: .*n_epochs must be <= 50/);
    expect(api.jobs()).toEqual([]);
  });

  it('refuses unknown fields where the spec closes an object, and missing required ones', async () => {
    api = await startFast();
    const extra = await raw(api, '/uploads', {
      method: 'POST',
      body: JSON.stringify({
        filename: 'a.jsonl',
        purpose: 'fine-tune',
        bytes: 3,
        mime_type: 'text/jsonl',
        parts: 2,
      }),
    });
    expect(extra.status).toBe(400);
    expect(await errorOf(extra)).toMatchObject({
      message: 'Unrecognized request argument supplied: parts',
      param: 'parts',
    });

    const missing = await raw(api, '/fine_tuning/jobs', {
      method: 'POST',
      body: JSON.stringify({ training_file: 'file-x' }),
    });
    expect(await errorOf(missing)).toMatchObject({
      message: "Missing required parameter: 'model'.",
      code: 'missing_required_parameter',
    });

    expect(api.contractViolations.map((v) => v.split(':')[0])).toEqual([
      'POST /uploads request',
      'POST /fine_tuning/jobs request',
    ]);
  });

  it('checks multipart fields by hand: a purpose outside the enum is refused and recorded', async () => {
    api = await startFast();
    const client = clientFor(api);
    const file = await toFile(Buffer.from('{}\n'), 'train.jsonl');

    await expect(client.files.create({ file, purpose: 'fine-tuning' as 'fine-tune' })).rejects.toMatchObject({
      status: 400,
      param: 'purpose',
      code: 'invalid_value',
    });
    expect(api.contractViolations).toEqual([
      expect.stringMatching(/^POST \/files request: \/purpose must be equal to one of the allowed values/),
    ]);
    expect(api.files()).toEqual([]);
  });

  it('logs each request with its route, status and a body summary', async () => {
    api = await startFast();
    const client = clientFor(api);
    const training = await processedTrainingFile(client, 3);
    await client.fineTuning.jobs.create({
      model: 'gpt-4o-mini',
      training_file: training.id,
      metadata: { run: 'x' },
    });

    const upload = api.requests.find((r) => r.method === 'POST' && r.route === '/files')!;
    expect(upload).toMatchObject({
      status: 200,
      body: {
        fields: ['purpose'],
        files: [{ field: 'file', filename: 'train.jsonl', bytes: training.bytes }],
      },
    });
    const create = api.requests.find((r) => r.route === '/fine_tuning/jobs')!;
    expect(create.body).toEqual({ model: 'gpt-4o-mini', training_file: training.id, metadata: { run: 'x' } });
    expect(api.count('GET', '/files/{file_id}')).toBeGreaterThan(0);
    expect(api.count('POST', /^\/fine_tuning\/jobs$/)).toBe(1);
    expect(api.contractViolations).toEqual([]);
  });
});

describe('with the contract check off', () => {
  it('lets off-spec values through to the server, which applies its own rules', async () => {
    api = await startFast({ contractCheck: false });
    const client = clientFor(api);
    const training = await processedTrainingFile(client);

    const job = await client.fineTuning.jobs.create({
      model: 'gpt-4o-mini',
      training_file: training.id,
      method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 51 } } },
    });
    expect(job.method?.supervised?.hyperparameters?.n_epochs).toBe(51);
    await expect(
      client.fineTuning.jobs.create({ model: 'gpt-9', training_file: training.id }),
    ).rejects.toMatchObject({ status: 400, param: 'model' });
    expect(api.contractViolations).toEqual([]);
  });
});

describe('the response check', () => {
  it('flags a field the spec does not name, and a missing required one', async () => {
    api = await startFast();
    const contract = loadContract();
    const retrieve = contract.match('GET', '/fine_tuning/jobs/ftjob-1')!.operation;

    const file = {
      id: 'file-1',
      object: 'file',
      bytes: 1,
      created_at: 1,
      filename: 'a.jsonl',
      purpose: 'fine-tune',
      status: 'processed',
    };
    const fileOp = contract.match('GET', '/files/file-1')!.operation;
    expect(contract.checkResponse(fileOp, 200, file)).toBeNull();
    expect(contract.checkResponse(fileOp, 200, { ...file, user_provided_suffix: null })).toMatch(
      /unevaluated properties \(user_provided_suffix\)/,
    );
    expect(contract.checkResponse(retrieve, 200, { id: 'ftjob-1' })).toMatch(
      /must have required property 'status'/,
    );
    expect(
      contract.checkResponse(retrieve, 404, {
        error: { message: 'x', type: 'invalid_request_error', param: null, code: null },
      }),
    ).toBeNull();
  });
});
