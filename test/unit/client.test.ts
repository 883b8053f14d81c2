import nock from 'nock';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JobClient } from '../../src/api/client.js';
import { makeEvent, makeJob } from '../helpers/jobs.js';
import { API, CONNECTION } from '../helpers/connection.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

describe('JobClient', () => {
  it('sends the key as a Bearer token, and organization and project as headers when given', async () => {
    const client = new JobClient(
      { ...CONNECTION, organization: 'org-1', project: 'proj-1' },
      { maxRetries: 0 },
    );
    nock(API, {
      reqheaders: {
        authorization: 'Bearer sk-unit-test',
        'openai-organization': 'org-1',
        'openai-project': 'proj-1',
      },
    })
      .get('/v1/fine_tuning/jobs/ftjob-test1')
      .reply(200, makeJob());
    expect((await client.retrieveJob('ftjob-test1')).id).toBe('ftjob-test1');
  });

  it('sends no organization or project header when they are not set, even if OPENAI_ORG_ID is', async () => {
    process.env.OPENAI_ORG_ID = 'org-from-env';
    try {
      const client = new JobClient(CONNECTION, { maxRetries: 0 });
      nock(API, { badheaders: ['openai-organization', 'openai-project'] })
        .get('/v1/fine_tuning/jobs/ftjob-test1')
        .reply(200, makeJob());
      await client.retrieveJob('ftjob-test1');
    } finally {
      delete process.env.OPENAI_ORG_ID;
    }
  });

  it('uploads a file as multipart with purpose fine-tune, the given name and the file content', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'upload-'));
    const file = path.join(dir, 'train.jsonl');
    writeFileSync(file, '{"messages":[]}\n');
    let body = '';
    nock(API)
      .post('/v1/files', (raw: string) => {
        body = raw;
        return true;
      })
      .reply(200, {
        id: 'file-new',
        object: 'file',
        bytes: 16,
        created_at: 1,
        filename: 'train.jsonl',
        purpose: 'fine-tune',
        status: 'uploaded',
      });
    const uploaded = await new JobClient(CONNECTION, { maxRetries: 0 }).uploadFile(
      file,
      'train-0123abcd.jsonl',
    );
    expect(uploaded.id).toBe('file-new');
    expect(body).toMatch(/name="purpose"\r\n\r\nfine-tune/);
    expect(body).toMatch(/filename="train-0123abcd.jsonl"/);
    expect(body).toContain('{"messages":[]}');
  });

  describe('eventsSince', () => {
    const client = new JobClient(CONNECTION, { maxRetries: 0 });
    // The API lists newest first: e5 is the newest.
    const [e1, e2, e3, e4, e5] = ['one', 'two', 'three', 'four', 'five'].map((m) => makeEvent(m));

    it('takes only the first page when nothing was seen yet, oldest first', async () => {
      nock(API)
        .get('/v1/fine_tuning/jobs/ftjob-test1/events')
        .query({ limit: '100' })
        .reply(200, { object: 'list', data: [e5, e4, e3], has_more: true });
      const events = await client.eventsSince('ftjob-test1', undefined);
      expect(events.map((e) => e.message)).toEqual(['three', 'four', 'five']);
    });

    it('pages with after until it meets the last seen event, and returns only newer ones', async () => {
      nock(API)
        .get('/v1/fine_tuning/jobs/ftjob-test1/events')
        .query({ limit: '100' })
        .reply(200, { object: 'list', data: [e5, e4], has_more: true })
        .get('/v1/fine_tuning/jobs/ftjob-test1/events')
        .query({ limit: '100', after: e4.id })
        .reply(200, { object: 'list', data: [e3, e2, e1], has_more: false });
      const events = await client.eventsSince('ftjob-test1', e2.id);
      expect(events.map((e) => e.message)).toEqual(['three', 'four', 'five']);
    });

    it('returns nothing when the newest event was already seen', async () => {
      nock(API)
        .get('/v1/fine_tuning/jobs/ftjob-test1/events')
        .query({ limit: '100' })
        .reply(200, { object: 'list', data: [e5, e4], has_more: true });
      expect(await client.eventsSince('ftjob-test1', e5.id)).toEqual([]);
    });
  });

  it('collects every checkpoint across pages', async () => {
    const checkpoint = (step: number) => ({
      id: `ftckpt-${step}`,
      object: 'fine_tuning.job.checkpoint',
      created_at: step,
      fine_tuned_model_checkpoint: `ft:m:ckpt-step-${step}`,
      fine_tuning_job_id: 'ftjob-test1',
      step_number: step,
      metrics: { step, train_loss: 1 / step },
    });
    nock(API)
      .get('/v1/fine_tuning/jobs/ftjob-test1/checkpoints')
      .query({ limit: '100' })
      .reply(200, { object: 'list', data: [checkpoint(30), checkpoint(20)], has_more: true })
      .get('/v1/fine_tuning/jobs/ftjob-test1/checkpoints')
      .query({ limit: '100', after: 'ftckpt-20' })
      .reply(200, { object: 'list', data: [checkpoint(10)], has_more: false });
    const checkpoints = await new JobClient(CONNECTION, { maxRetries: 0 }).checkpoints('ftjob-test1');
    expect(checkpoints.map((c) => c.step_number)).toEqual([30, 20, 10]);
  });
});
