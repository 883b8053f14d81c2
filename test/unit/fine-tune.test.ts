import nock from 'nock';
import { TRAITS } from '../../src/api/provider.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FineTuningJob } from 'openai/resources/fine-tuning/jobs/jobs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JobClient } from '../../src/api/client.js';
import type { FineTuneConfig } from '../../src/inputs/types.js';
import { InputError } from '../../src/facts/input-error.js';
import { identify, uploadName } from '../../src/data/upload.js';
import { jobTags, tagMetadata } from '../../src/jobs/tags.js';
import { fineTune } from '../../src/modes/fine-tune.js';
import { newRecord, type RunRecord } from '../../src/report/record.js';
import { captureStdout, runnerFiles } from '../helpers/capture.js';
import { fineTuneConfig } from '../helpers/config.js';
import { makeEvent, makeJob, othersJobs, succeededJob } from '../helpers/jobs.js';
import { API, CONNECTION } from '../helpers/connection.js';
import { commitFiles, newRepository } from '../helpers/git.js';

const JOB = '/v1/fine_tuning/jobs';
const client = new JobClient(CONNECTION, { maxRetries: 0 });

/** The API's minimum: ten distinct chat examples. */
const example = (i: number) =>
  JSON.stringify({
    messages: [
      { role: 'system', content: 'Answer briefly.' },
      { role: 'user', content: `What is ${i} + ${i}?` },
      { role: 'assistant', content: String(2 * i) },
    ],
  });
const TEN_EXAMPLES = Array.from({ length: 10 }, (_, i) => example(i)).join('\n') + '\n';

let dir: string;
let trainPath: string;
let stdout: ReturnType<typeof captureStdout>;
/** The list requests answered (uploads and jobs looked up before anything is created). */
let listed: string[];
/** The jobs any list of jobs answers; a shared account on a server that ignores the filter has others'. */
let account: FineTuningJob[];
/** The files any list of files answers. */
let uploaded: unknown[];
let files: ReturnType<typeof runnerFiles>;

function fileObject(id: string, status: 'uploaded' | 'processed' | 'error', details?: string) {
  return {
    id,
    object: 'file',
    bytes: 120,
    created_at: 1,
    filename: 'train.jsonl',
    purpose: 'fine-tune',
    status,
    ...(details ? { status_details: details } : {}),
  };
}

function config(overrides: Partial<FineTuneConfig> = {}): FineTuneConfig {
  return fineTuneConfig({ path: trainPath, given: 'data/train.jsonl' }, overrides);
}

function run(cfg: FineTuneConfig, record: RunRecord = newRecord(Date.now())) {
  record.mode = 'fine-tune';
  return {
    record,
    done: fineTune(cfg, client, record, { deadline: Date.now() + cfg.followOptions.timeoutMs }),
  };
}

/** Upload, processing and creation, answered as the API would. Returns the create body when sent. */
function uploadAndCreate(created: FineTuningJob = makeJob()): { body: () => Record<string, unknown> } {
  let body: Record<string, unknown> = {};
  nock(API)
    .post('/v1/files')
    .reply(200, fileObject('file-train', 'uploaded'))
    .get('/v1/files/file-train')
    .reply(200, fileObject('file-train', 'processed'))
    .post(JOB, (b: Record<string, unknown>) => {
      body = b;
      return true;
    })
    .reply(200, created);
  return { body: () => body };
}

/** Answers retrieves with each job in turn (the last one repeats), and events with none. */
function jobSequence(...jobs: FineTuningJob[]) {
  let i = 0;
  nock(API)
    .persist()
    .get(`${JOB}/ftjob-test1`)
    .reply(() => [200, jobs[Math.min(i++, jobs.length - 1)]])
    .get(`${JOB}/ftjob-test1/events`)
    .query(true)
    .reply(200, { object: 'list', data: [], has_more: false })
    .get(`${JOB}/ftjob-test1/checkpoints`)
    .query(true)
    .reply(200, { object: 'list', data: [], has_more: false });
}

beforeAll(() => nock.disableNetConnect());
beforeEach(() => {
  // No earlier uploads or jobs: each case starts from an empty account.
  listed = [];
  account = [];
  uploaded = [];
  const answer = (data: () => unknown[]) => (uri: string) => {
    listed.push(uri);
    return [200, { object: 'list', data: data(), has_more: false }] as const;
  };
  nock(API)
    .persist()
    .get('/v1/files')
    .query(true)
    .reply(answer(() => uploaded))
    .get(JOB)
    .query(true)
    .reply(answer(() => account));
  dir = mkdtempSync(path.join(tmpdir(), 'fine-tune-'));
  trainPath = path.join(dir, 'train.jsonl');
  writeFileSync(trainPath, TEN_EXAMPLES);
  files = runnerFiles();
  stdout = captureStdout();
});
afterEach(() => {
  stdout.restore();
  nock.cleanAll();
});

describe('fine-tune', () => {
  it('uploads, waits for processing, creates the job with every setting, and follows it to success', async () => {
    const sent = uploadAndCreate();
    jobSequence(makeJob({ status: 'running' }), succeededJob());
    const cfg = config({
      job: {
        model: 'gpt-4o-mini-2024-07-18',
        method: { type: 'supervised', supervised: { hyperparameters: { batch_size: 4, n_epochs: 2 } } },
        suffix: 'nightly',
        seed: 7,
        metadata: { team: 'ml' },
      },
    });
    const { record, done } = run(cfg);
    await done;
    expect(sent.body()).toEqual({
      model: 'gpt-4o-mini-2024-07-18',
      training_file: 'file-train',
      method: { type: 'supervised', supervised: { hyperparameters: { batch_size: 4, n_epochs: 2 } } },
      suffix: 'nightly',
      seed: 7,
      metadata: {
        team: 'ml',
        gha_intent: expect.stringMatching(/^[0-9a-f]{32}$/),
        gha_settings: expect.stringMatching(/^[0-9a-f]{32}$/),
        gha_run: 'octo-org/models/actions/runs/99/attempts/1',
        gha_lineage: expect.stringMatching(/^[0-9a-f]{32}$/),
      },
    });
    expect(record.trainingFileId).toBe('file-train');
    expect(record.job?.status).toBe('succeeded');
    expect(record.job?.fine_tuned_model).toBe('ft:gpt-4o-mini-2024-07-18:org-test::abc123');
    // job-id is an output the moment the job exists, before the wait even starts.
    expect(files.outputs()['job-id']).toBe('ftjob-test1');
    expect(stdout.text()).toContain('Job ftjob-test1 is running');
    expect(stdout.text()).toContain('Job ftjob-test1 is succeeded');
  });

  it("tags the job with the commit its data came from, only while the file is that commit's blob", async () => {
    const repo = newRepository();
    const sha = commitFiles(repo, { 'data/train.jsonl': TEN_EXAMPLES });
    const inRepo = {
      kind: 'path' as const,
      path: path.join(repo, 'data/train.jsonl'),
      given: 'data/train.jsonl',
    };
    const sent = uploadAndCreate();
    jobSequence(succeededJob());
    const { record, done } = run(config({ training: inRepo }));
    await done;
    expect(sent.body()).toMatchObject({
      metadata: { gha_run: `octo-org/models/actions/runs/99/attempts/1@${sha}` },
    });
    // Four pairs, as before the commit was recorded: the user keeps twelve.
    expect(Object.keys(sent.body().metadata as object)).toHaveLength(4);
    expect(record.commit).toEqual({ repository: 'octo-org/models', sha });
    expect(stdout.text()).toContain(`The training data is at commit ${sha}`);

    // An earlier step changed the file: the data is at no commit.
    writeFileSync(inRepo.path, TEN_EXAMPLES.replace('Answer briefly.', 'Answer at length.'));
    nock.cleanAll();
    const again = uploadAndCreate();
    nock(API).get('/v1/files').query(true).reply(200, { object: 'list', data: [], has_more: false });
    nock(API).get(JOB).query(true).reply(200, { object: 'list', data: [], has_more: false });
    jobSequence(succeededJob());
    const changed = run(config({ training: inRepo }));
    await changed.done;
    expect((again.body().metadata as Record<string, string>).gha_run).toBe(
      'octo-org/models/actions/runs/99/attempts/1',
    );
    expect(changed.record.commit).toBeUndefined();
    expect(stdout.text()).toContain('The job records no commit for the training data: it differs from');
  });

  it('uploads the validation file too and passes both ids to the job', async () => {
    const validPath = path.join(dir, 'valid.jsonl');
    writeFileSync(validPath, example(99) + '\n');
    const sent = uploadAndCreate();
    nock(API).post('/v1/files').reply(200, fileObject('file-valid', 'processed'));
    jobSequence(succeededJob());
    const { record, done } = run(
      config({ validation: { kind: 'path', path: validPath, given: 'valid.jsonl' } }),
    );
    await done;
    expect(sent.body()).toMatchObject({ training_file: 'file-train', validation_file: 'file-valid' });
    expect(record.validationFileId).toBe('file-valid');
  });

  it('uses a given file id as it is, without uploading', async () => {
    let created = false;
    nock(API)
      .get('/v1/files/file-given')
      .reply(200, fileObject('file-given', 'processed'))
      .post(JOB, (b: { training_file: string }) => (created = b.training_file === 'file-given'))
      .reply(200, makeJob());
    jobSequence(succeededJob());
    await run(config({ training: { kind: 'id', id: 'file-given' } })).done;
    expect(created).toBe(true);
  });

  it('fails with the API reason when the file ends in error, and creates no job', async () => {
    const answered = nock(API)
      .post('/v1/files')
      .reply(200, fileObject('file-train', 'uploaded'))
      .get('/v1/files/file-train')
      .reply(200, fileObject('file-train', 'error', 'Invalid file format: line 3 is not JSON'));
    await expect(run(config()).done).rejects.toThrow(
      'training-file: the API could not process file-train: Invalid file format: line 3 is not JSON',
    );
    // Any create request would have found no interceptor and failed differently.
    expect(answered.isDone()).toBe(true);
  });

  it('rejects invalid local JSONL before sending any request', async () => {
    writeFileSync(trainPath, TEN_EXAMPLES + 'not json\n');
    const requests: string[] = [];
    const record = (req: Request) => void requests.push(req.url);
    nock.emitter.on('no match', record);
    const error = await run(config()).done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('training-file');
    expect((error as Error).message).toBe(
      "Input 'training-file' (data/train.jsonl) has 1 problem; the first: line 11 is not valid JSON (unexpected 'o' at column 2)",
    );
    expect(requests).toEqual([]);
    expect(listed).toEqual([]);
    nock.emitter.off('no match', record);
  });

  it('skips the local check when validate is false and leaves the judgement to the API', async () => {
    writeFileSync(trainPath, 'not json\n');
    uploadAndCreate();
    await run(config({ waitForJob: false, validate: false })).done;
    expect(nock.isDone()).toBe(true);
  });

  it('returns right after creation when wait is false', async () => {
    uploadAndCreate(makeJob({ status: 'validating_files' }));
    const { record, done } = run(config({ waitForJob: false }));
    await done;
    expect(record.job?.status).toBe('validating_files');
    expect(record.notes.join()).toMatch(/wait is false/);
    expect(nock.isDone()).toBe(true);
  });

  it('fails the step with the job error code, message and param when the job fails', async () => {
    uploadAndCreate();
    jobSequence(
      makeJob({ status: 'running' }),
      makeJob({
        status: 'failed',
        finished_at: 1_763_780_100,
        error: {
          code: 'invalid_training_file',
          message: 'Line 4 has no assistant message',
          param: 'training_file',
        },
      }),
    );
    const { record, done } = run(config());
    await expect(done).rejects.toThrow(
      'Fine-tuning job ftjob-test1 failed: [invalid_training_file] Line 4 has no assistant message (param: training_file)',
    );
    expect(record.job?.status).toBe('failed');
  });

  it('fails the step when someone else cancels the job', async () => {
    uploadAndCreate();
    jobSequence(makeJob({ status: 'running' }), makeJob({ status: 'cancelled', finished_at: 1_763_780_100 }));
    await expect(run(config()).done).rejects.toThrow(
      'Fine-tuning job ftjob-test1 was cancelled before it finished',
    );
  });

  it('keeps waiting through statuses it does not know, such as paused', async () => {
    uploadAndCreate();
    jobSequence(
      makeJob({ status: 'paused' as FineTuningJob['status'] }),
      makeJob({ status: 'running' }),
      succeededJob(),
    );
    await run(config()).done;
    expect(stdout.text()).toContain('Job ftjob-test1 is paused');
    expect(stdout.text()).toContain('Job ftjob-test1 is succeeded');
  });

  it('logs each event once, in the order it happened', async () => {
    uploadAndCreate();
    const [a, b, c] = [
      makeEvent('Validating training file'),
      makeEvent('Fine-tuning job started'),
      makeEvent('Step 1/3'),
    ];
    const pages = [[a], [b, a], [c, b, a], [c, b, a]];
    let poll = 0;
    let retrieves = 0;
    nock(API)
      .persist()
      .get(`${JOB}/ftjob-test1/events`)
      .query(true)
      .reply(() => [
        200,
        { object: 'list', data: pages[Math.min(poll++, pages.length - 1)], has_more: false },
      ])
      .get(`${JOB}/ftjob-test1`)
      .reply(() => [200, ++retrieves < 3 ? makeJob({ status: 'running' }) : succeededJob()])
      .get(`${JOB}/ftjob-test1/checkpoints`)
      .query(true)
      .reply(200, { object: 'list', data: [], has_more: false });
    await run(config()).done;
    const lines = stdout
      .text()
      .split('\n')
      .filter((l) => /\] (Validating|Fine-tuning job started|Step 1)/.test(l));
    expect(lines.map((l) => l.replace(/^\[[^\]]+\] /, ''))).toEqual([
      'Validating training file',
      'Fine-tuning job started',
      'Step 1/3',
    ]);
  });

  describe('when wait-timeout runs out', () => {
    // Long enough for the upload and the create to fit in on a busy machine: the deadline counts
    // from the start of the step, as the real one does.
    const waiting = { timeoutMs: 900, pollIntervalMs: 10, maxPollIntervalMs: 20 };

    it('on-timeout fail: fails and leaves the job running (no cancel sent)', async () => {
      uploadAndCreate();
      jobSequence(makeJob({ status: 'running' }));
      const { record, done } = run(config({ followOptions: { ...waiting, onTimeout: 'fail' } }));
      await expect(done).rejects.toThrow(
        /wait-timeout \(900ms\) ran out while job ftjob-test1 was running; the job was left running/,
      );
      expect(record.job?.status).toBe('running');
    });

    it('on-timeout cancel: cancels the job, then fails', async () => {
      uploadAndCreate();
      jobSequence(makeJob({ status: 'running' }));
      const cancel = nock(API)
        .post(`${JOB}/ftjob-test1/cancel`)
        .reply(200, makeJob({ status: 'cancelled' }));
      const { record, done } = run(config({ followOptions: { ...waiting, onTimeout: 'cancel' } }));
      await expect(done).rejects.toThrow(/the job was cancelled \(on-timeout: cancel\)/);
      expect(record.job?.status).toBe('cancelled');
      expect(cancel.isDone()).toBe(true);
    });

    it('on-timeout continue: succeeds with a warning, the job still running', async () => {
      uploadAndCreate();
      jobSequence(makeJob({ status: 'queued' }));
      const { record, done } = run(config({ followOptions: { ...waiting, onTimeout: 'continue' } }));
      await done;
      expect(record.job?.status).toBe('queued');
      expect(stdout.text()).toMatch(/::warning::wait-timeout .* continuing with the job still running/);
    });
  });

  describe('an earlier upload of the same data', () => {
    /** The upload an earlier run made of this very file, as the file list shows it. */
    async function earlier(overrides: Record<string, unknown> = {}) {
      const { digests } = await identify('training-file', config().training, TRAITS.openai);
      return {
        ...fileObject('file-earlier', 'processed'),
        filename: uploadName(trainPath, digests!.sha256),
        bytes: digests!.bytes,
        created_at: 1_763_000_000,
        ...overrides,
      };
    }

    it('is used again when name, size, purpose and status agree, saying which and when it was made', async () => {
      uploaded = [await earlier()];
      const sent = { body: {} as Record<string, unknown> };
      nock(API)
        .post(JOB, (b: Record<string, unknown>) => ((sent.body = b), true))
        .reply(200, makeJob());
      const { record, done } = run(config({ waitForJob: false }));
      await done;
      expect(record.trainingFileId).toBe('file-earlier');
      expect(sent.body).toMatchObject({ training_file: 'file-earlier' });
      expect(stdout.text()).toMatch(
        /was already uploaded as file-earlier \(train-[0-9a-f]{16}\.jsonl, \d+ bytes, made 2025-11-13T02:13:20\.000Z\); using it again/,
      );
    });

    const unusable: Array<[string, Record<string, unknown>]> = [
      ['another size', { bytes: 7 }],
      ['status error', { status: 'error' }],
      ['another purpose', { purpose: 'assistants' }],
    ];
    for (const [what, overrides] of unusable) {
      it(`is not used when it has the same name but ${what}: the file is uploaded anew`, async () => {
        uploaded = [await earlier(overrides)];
        const sent = uploadAndCreate();
        const { record, done } = run(config({ waitForJob: false }));
        await done;
        expect(record.trainingFileId).toBe('file-train');
        expect(sent.body()).toMatchObject({ training_file: 'file-train' });
      });
    }
  });

  describe('skip-if-unchanged', () => {
    /** The tags a job for the same model, data and settings carries when another run made it. */
    async function sameTraining(cfg: FineTuneConfig) {
      const { identity } = await identify('training-file', cfg.training, TRAITS.openai);
      return tagMetadata(jobTags(cfg.job, { training: identity }, { ...cfg.run, runId: '42' }));
    }

    /** The earlier job's training file, as the API describes it: an upload of these very bytes. */
    async function earlierUpload(cfg: FineTuneConfig, overrides: { bytes?: number; filename?: string } = {}) {
      const { digests } = await identify('training-file', cfg.training, TRAITS.openai);
      nock(API)
        .get('/v1/files/file-train')
        .reply(200, {
          ...fileObject('file-train', 'processed'),
          filename: uploadName(trainPath, digests!.sha256),
          bytes: digests!.bytes,
          ...overrides,
        });
    }

    it('reuses a succeeded job of an earlier run for the same model, data and settings', async () => {
      const cfg = config({ skipIfUnchanged: true });
      account = [succeededJob({ id: 'ftjob-earlier', metadata: await sameTraining(cfg) })];
      await earlierUpload(cfg);
      nock(API)
        .get(`${JOB}/ftjob-earlier/checkpoints`)
        .query(true)
        .reply(200, { object: 'list', data: [], has_more: false });
      const { record, done } = run(cfg);
      await done;
      expect(record.reused).toBe(true);
      expect(record.job?.id).toBe('ftjob-earlier');
      // A reused model stops serving like a new one, and says so.
      expect(record.retiresOn).toBe('2027-01-14');
      // Nothing uploaded, nothing created: those requests would have found no interceptor.
      expect(record.trainingFileId).toBeUndefined();
      expect(files.outputs()['job-id']).toBe('ftjob-earlier');
    });

    // The control of each case below is the case above: the same tags, reused.
    for (const status of ['failed', 'cancelled'] as const) {
      it(`trains anew when the earlier job of the same settings ${status}: it trained nothing`, async () => {
        const cfg = config({ skipIfUnchanged: true, waitForJob: false });
        account = [makeJob({ id: 'ftjob-earlier', status, metadata: await sameTraining(cfg) })];
        const sent = uploadAndCreate(makeJob({ id: 'ftjob-mine' }));
        const { record, done } = run(cfg);
        await done;
        expect(record.reused).toBeUndefined();
        expect(record.job?.id).toBe('ftjob-mine');
        expect(sent.body()).toMatchObject({ training_file: 'file-train' });
      });
    }

    // Tags are anyone's to copy in a shared project: the job's own fields must agree as well.
    const forged: Array<[string, Partial<FineTuningJob>, { bytes?: number; filename?: string }?]> = [
      ['another base model', { model: 'gpt-4.1-mini-2025-04-14' }],
      ['another method', { method: { type: 'dpo', dpo: {} } }],
      ['another training file', {}, { bytes: 7 }],
      ['another training file name', {}, { filename: 'train-0000000000000000.jsonl' }],
    ];
    for (const [what, fields, upload] of forged) {
      it(`does not reuse a job with this training's tags but ${what}`, async () => {
        const cfg = config({ skipIfUnchanged: true, waitForJob: false });
        account = [succeededJob({ id: 'ftjob-forged', metadata: await sameTraining(cfg), ...fields })];
        if (upload) await earlierUpload(cfg, upload);
        uploadAndCreate(makeJob({ id: 'ftjob-mine' }));
        const { record, done } = run(cfg);
        await done;
        expect(record.reused).toBeUndefined();
        expect(record.job?.id).toBe('ftjob-mine');
        expect(stdout.text()).toContain('ftjob-forged carries this training’s tags');
      });
    }

    it('does not reuse a job whose hyperparameters differ from those the settings fix', async () => {
      const hyperparameters = { n_epochs: 4 };
      const cfg = config({
        skipIfUnchanged: true,
        waitForJob: false,
        job: {
          model: 'gpt-4o-mini-2024-07-18',
          method: { type: 'supervised', supervised: { hyperparameters } },
        },
      });
      account = [succeededJob({ id: 'ftjob-forged', metadata: await sameTraining(cfg) })];
      uploadAndCreate(makeJob({ id: 'ftjob-mine' }));
      const { record, done } = run(cfg);
      await done;
      expect(record.reused).toBeUndefined();
      expect(record.job?.id).toBe('ftjob-mine');
    });

    it('never reuses or follows another team’s job when the list ignores the filter', async () => {
      const cfg = config({ skipIfUnchanged: true, waitForJob: false });
      account = othersJobs();
      const sent = uploadAndCreate(makeJob({ id: 'ftjob-mine', status: 'validating_files' }));
      const { record, done } = run(cfg);
      await done;
      expect(record.reused).toBeUndefined();
      expect(record.job?.id).toBe('ftjob-mine');
      // Its own job, for the same training as any earlier run's of this step would be.
      const { gha_settings } = await sameTraining(cfg);
      expect(sent.body()).toMatchObject({ training_file: 'file-train', metadata: { gha_settings } });
      expect(record.notes.join()).not.toMatch(/skip-if-unchanged/);
      expect(files.outputs()['job-id']).toBe('ftjob-mine');
      expect(nock.isDone()).toBe(true);
    });
  });
});

describe("the base model's retirement", () => {
  // Each case pins the run's clock, whose start is the record's: the warning depends on the day.
  const startedOn = (day: string) => newRecord(Date.parse(`${day}T00:00:00Z`));
  const refusal = (model: string) => ({
    error: {
      message: `Model ${model} is not available for fine-tuning or does not exist.`,
      type: 'invalid_request_error',
      param: 'model',
      code: 'model_not_available',
    },
  });
  const onModel = (model: string) =>
    config({ waitForJob: false, job: { model, method: { type: 'supervised', supervised: {} } } });

  /** Upload and processing as the API answers them, then the create refused as for a retired model. */
  function refusedCreate(model: string) {
    nock(API)
      .post('/v1/files')
      .reply(200, fileObject('file-train', 'uploaded'))
      .get('/v1/files/file-train')
      .reply(200, fileObject('file-train', 'processed'))
      .post(JOB)
      .reply(400, refusal(model));
  }

  it('warns before anything is uploaded, with both dates, and records when the new model stops serving', async () => {
    const sent = uploadAndCreate();
    const { record, done } = run(config({ waitForJob: false }), startedOn('2026-12-04'));
    await done;
    const log = stdout.text();
    const warning =
      '::warning title=Model retirement::gpt-4o-mini-2024-07-18 on OpenAI: OpenAI stops training it on 2027-01-06 (in 33 days), and the model this run makes stops serving on 2027-01-14 (in 41 days).';
    expect(log).toContain(warning);
    expect(log.indexOf(warning)).toBeLessThan(log.indexOf('::group::Upload'));
    expect(record.retiresOn).toBe('2027-01-14');
    // Only a warning: the job is created all the same.
    expect(sent.body()).toMatchObject({ model: 'gpt-4o-mini-2024-07-18' });
  });

  it('says nothing while the dates are more than 90 days off, and still records the day', async () => {
    uploadAndCreate();
    const { record, done } = run(config({ waitForJob: false }), startedOn('2026-06-01'));
    await done;
    expect(stdout.text()).not.toContain('Model retirement');
    expect(record.retiresOn).toBe('2027-01-14');
  });

  it('sends the job on a retired base model, and when the provider refuses it the error says the date', async () => {
    refusedCreate('gpt-3.5-turbo-0125');
    const { record, done } = run(onModel('gpt-3.5-turbo-0125'), startedOn('2026-12-04'));
    const error = await done.then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(
      /^HTTP 400 \(model_not_available\): Model gpt-3\.5-turbo-0125 is not available for fine-tuning or does not exist\. gpt-3\.5-turbo-0125: OpenAI stopped fine-tuning it on 2026-10-23, which is the likely reason for this refusal\./,
    );
    expect(stdout.text()).toContain(
      '::warning title=Model retirement::gpt-3.5-turbo-0125 is retired: OpenAI stopped fine-tuning it on 2026-10-23',
    );
    expect(record.retiresOn).toBe('2026-10-23');
  });

  it("leaves a refusal before the model's date in the API's own words", async () => {
    refusedCreate('gpt-3.5-turbo-0125');
    const { done } = run(onModel('gpt-3.5-turbo-0125'), startedOn('2026-10-01'));
    // The API's refusal itself, which the step describes as it is.
    const error = await done.then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toMatchObject({ status: 400, code: 'model_not_available' });
    expect(error?.message).not.toContain('2026-10-23');
  });
});
