import nock from 'nock';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FineTuningJob } from 'openai/resources/fine-tuning/jobs/jobs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JobClient } from '../../src/api/client.js';
import { modelRules } from '../../src/data/models.js';
import { RETIREMENTS_CHECKED } from '../../src/facts/retirements.js';
import type { PlanConfig } from '../../src/inputs/types.js';
import { lineageTag } from '../../src/jobs/tags.js';
import { plan } from '../../src/modes/plan.js';
import { newRecord } from '../../src/report/record.js';
import { captureStdout, runnerFiles } from '../helpers/capture.js';
import { API, CONNECTION } from '../helpers/connection.js';
import { succeededJob } from '../helpers/jobs.js';

// The plan mode in one process, the API mocked by nock: what it says of the base model's
// retirement. Each case pins the run's clock, whose start is the record's.

const startedOn = (day: string) => newRecord(Date.parse(`${day}T00:00:00Z`));
const example = (i: number) =>
  JSON.stringify({
    messages: [
      { role: 'user', content: `What is ${i} + ${i}?` },
      { role: 'assistant', content: String(2 * i) },
    ],
  });

let trainPath: string;
let stdout: ReturnType<typeof captureStdout>;

function planConfig(model: string): PlanConfig {
  const job = { model, method: { type: 'supervised' as const, supervised: {} } };
  return {
    mode: 'plan',
    connection: CONNECTION,
    provider: 'openai',
    run: { repository: 'octo-org/models', runId: '99', attempt: '1', job: 'plan', action: 'plan' },
    training: { kind: 'path', path: trainPath, given: 'data/train.jsonl' },
    job,
    modelRules: modelRules(model, 'openai'),
    skipIfUnchanged: false,
    // No comment: the plan is in the summary only.
    githubToken: '',
  };
}

/** The account's jobs: the last model of this lineage, trained on `base`. */
function lastModel(config: PlanConfig, base: string): FineTuningJob {
  const job = succeededJob({
    model: base,
    fine_tuned_model: `ft:${base}:org-test::last`,
    metadata: {
      gha_lineage: lineageTag(config.job, config.run.repository),
      gha_run: 'octo-org/models/actions/runs/7/attempts/1',
    },
  });
  nock(API)
    .get('/v1/fine_tuning/jobs')
    .query(true)
    .reply(200, { object: 'list', data: [job], has_more: false });
  return job;
}

beforeAll(() => nock.disableNetConnect());
beforeEach(() => {
  const dir = mkdtempSync(path.join(tmpdir(), 'plan-'));
  trainPath = path.join(dir, 'train.jsonl');
  writeFileSync(trainPath, Array.from({ length: 10 }, (_, i) => example(i)).join('\n') + '\n');
  runnerFiles();
  stdout = captureStdout();
});
afterEach(() => {
  stdout.restore();
  nock.cleanAll();
});

describe("the plan and the base model's retirement", () => {
  it('says when the model a merge trains and the last model stop serving, and shows the warning', async () => {
    const config = planConfig('gpt-4o-mini-2024-07-18');
    lastModel(config, 'gpt-4o-mini-2024-07-18');
    const record = startedOn('2026-12-04');
    await plan(config, new JobClient(CONNECTION, { maxRetries: 0 }), record);
    const text = record.planMarkdown!;
    expect(record.plan?.decision).toBe('train');
    expect(text).toContain(
      `The model a merge trains stops serving on 2027-01-14 (OpenAI's schedule, checked ${RETIREMENTS_CHECKED}). The last model, \`ft:gpt-4o-mini-2024-07-18:org-test::last\`, stops serving on 2027-01-14 (OpenAI's schedule, checked ${RETIREMENTS_CHECKED}).`,
    );
    expect(text).toContain(
      '> [!WARNING]\n> gpt-4o-mini-2024-07-18 on OpenAI: OpenAI stops training it on 2027-01-06 (in 33 days)',
    );
    // The same warning on the run page.
    expect(stdout.text()).toContain(
      '::warning title=Model retirement::gpt-4o-mini-2024-07-18 on OpenAI: OpenAI stops training it on 2027-01-06 (in 33 days)',
    );
  });

  it("names the last model's own day, and omits a day nobody has published", async () => {
    // gpt-3.5-turbo-1106 has no published dates; the last job of the lineage ran on another base.
    const config = planConfig('gpt-3.5-turbo-1106');
    lastModel(config, 'gpt-3.5-turbo-0125');
    const record = startedOn('2026-06-01');
    await plan(config, new JobClient(CONNECTION, { maxRetries: 0 }), record);
    const text = record.planMarkdown!;
    expect(text).not.toContain('The model a merge trains stops serving');
    expect(text).toContain(
      `The last model, \`ft:gpt-3.5-turbo-0125:org-test::last\`, stops serving on 2026-10-23 (OpenAI's schedule, checked ${RETIREMENTS_CHECKED}).`,
    );
    expect(text).not.toContain('[!WARNING]');
    expect(stdout.text()).not.toContain('Model retirement');
  });

  it('shows no warning while the dates are more than 90 days off, and still says the day', async () => {
    const config = planConfig('gpt-4o-mini-2024-07-18');
    const record = startedOn('2026-06-01');
    // Without credentials there is no last model to compare with.
    await plan({ ...config, connection: undefined }, undefined, record);
    const text = record.planMarkdown!;
    expect(text).toContain('The model a merge trains stops serving on 2027-01-14');
    expect(text).not.toContain('The last model');
    expect(text).not.toContain('[!WARNING]');
  });
});
