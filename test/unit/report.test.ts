import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeOutputs } from '../../src/report/outputs.js';
import type { DataReport } from '../../src/data/preflight.js';
import { newRecord, type RunRecord } from '../../src/report/record.js';
import { renderPlan } from '../../src/report/plan.js';
import { renderSummary, writeSummary } from '../../src/report/summary.js';
import { RETIREMENTS_CHECKED } from '../../src/facts/retirements.js';
import { captureStdout, runnerFiles } from '../helpers/capture.js';
import { makeJob, succeededJob } from '../helpers/jobs.js';

// The GitHub server the run is on, read by @actions/github when first imported.
vi.hoisted(() => {
  process.env.GITHUB_SERVER_URL = 'https://github.example.com';
});

let files: ReturnType<typeof runnerFiles>;
let stdout: ReturnType<typeof captureStdout>;

function record(fields: Partial<RunRecord>): RunRecord {
  return { ...newRecord(Date.now()), mode: 'fine-tune', ...fields };
}

beforeEach(() => {
  files = runnerFiles();
  stdout = captureStdout();
});
afterEach(() => stdout.restore());

describe('outputs', () => {
  it('writes every fine-tune output for a succeeded job', () => {
    const job = succeededJob({ validation_file: 'file-valid' });
    writeOutputs(
      record({ job, trainingFileId: 'file-train', validationFileId: 'file-valid', provider: 'openai' }),
    );
    const outputs = files.outputs();
    expect(outputs).toEqual({
      status: 'succeeded',
      job: JSON.stringify(job),
      provider: 'openai',
      // No checkpoint measured a validation loss: the final model is the best there is.
      'best-checkpoint-model': 'ft:gpt-4o-mini-2024-07-18:org-test::abc123',
      // Azure only, once a deployment was made.
      'deployment-name': '',
      // The job's tags name no commit.
      commit: '',
      'training-file-id': 'file-train',
      'validation-file-id': 'file-valid',
      'estimated-billed-tokens': '',
      'estimated-cost': '',
      reused: 'false',
      checkpoints: '[]',
      'fine-tuned-model': 'ft:gpt-4o-mini-2024-07-18:org-test::abc123',
      'trained-tokens': '12345',
      'result-file-id': 'file-result',
      // No schedule was looked up: the date is not known.
      'model-retires-on': '',
    });
  });

  it('names as best the checkpoint with the lowest full validation loss, else validation loss', () => {
    const checkpoint = (step: number, metrics: Record<string, number>) => ({
      id: `ftckpt-${step}`,
      object: 'fine_tuning.job.checkpoint' as const,
      created_at: 1_763_780_000 + step,
      fine_tuning_job_id: 'ftjob-test1',
      fine_tuned_model_checkpoint: `ft:gpt-4o-mini-2024-07-18:org-test::abc123:ckpt-step-${step}`,
      step_number: step,
      metrics: { step, ...metrics },
    });
    const job = succeededJob();
    const sampled = [
      checkpoint(10, { valid_loss: 0.5 }),
      checkpoint(20, { valid_loss: 0.3 }),
      checkpoint(30, { valid_loss: 0.4 }),
    ];
    writeOutputs(record({ job, checkpoints: sampled }));
    expect(files.outputs()['best-checkpoint-model']).toBe(sampled[1].fine_tuned_model_checkpoint);

    // The full validation loss, over the whole validation file, outranks the sampled one.
    const full = [
      checkpoint(10, { valid_loss: 0.2, full_valid_loss: 0.6 }),
      checkpoint(20, { valid_loss: 0.3, full_valid_loss: 0.35 }),
    ];
    writeOutputs(record({ job, checkpoints: full }));
    expect(files.outputs()['best-checkpoint-model']).toBe(full[1].fine_tuned_model_checkpoint);
    // The table shows the loss the best one was chosen by.
    const table = renderSummary(record({ job, checkpoints: full }), undefined);
    expect(table).toContain(
      '| step | train loss | train accuracy | valid loss | valid accuracy | full valid loss | model |',
    );
    expect(table).toContain(
      `| 20 |  |  | 0.3000 |  | 0.3500 | \`${full[1].fine_tuned_model_checkpoint}\` (best: lowest full valid loss) |`,
    );
    const sampledTable = renderSummary(record({ job, checkpoints: sampled }), undefined);
    expect(sampledTable).not.toContain('full valid loss');
    expect(sampledTable).toContain(`\`${sampled[1].fine_tuned_model_checkpoint}\` (best: lowest valid loss)`);

    writeOutputs(record({ job: makeJob({ status: 'failed' }), checkpoints: full }));
    expect(files.outputs()['best-checkpoint-model']).toBe('');
  });

  it('leaves fine-tuned-model and trained-tokens empty unless the job succeeded', () => {
    writeOutputs(
      record({ job: makeJob({ status: 'failed', trained_tokens: 99, fine_tuned_model: 'ft:x' }) }),
    );
    expect(files.outputs()).toMatchObject({ status: 'failed', 'fine-tuned-model': '', 'trained-tokens': '' });
  });

  it('writes nothing when the inputs were never read', () => {
    writeOutputs(newRecord(Date.now()));
    expect(files.outputs()).toEqual({});
  });
});

describe('summary', () => {
  it('shows a succeeded job at a glance: ids, models, duration, tokens and the hyperparameters auto became', () => {
    const text = renderSummary(record({ job: succeededJob() }), undefined);
    expect(text).toContain('## ✅ Fine-tuning job: succeeded');
    expect(text).toContain('| Job | `ftjob-test1` |');
    expect(text).toContain('| Base model | `gpt-4o-mini-2024-07-18` |');
    expect(text).toContain('| Fine-tuned model | `ft:gpt-4o-mini-2024-07-18:org-test::abc123` |');
    expect(text).toContain('| Duration | 10m 0s |');
    expect(text).toContain('| Trained tokens | 12,345 |');
    expect(text).toContain('| Training file | `file-train` |');
    expect(text).toContain('| n_epochs | 3 |');
    expect(text).toContain('| learning_rate_multiplier | 1.8 |');
  });

  it('says how many images the data holds and how many were counted at an assumed size', () => {
    const file = (images: number, assumedImageSizes: number) => ({
      examples: 12,
      errorCount: 0,
      errors: [],
      warnings: [],
      messages: { min: 3, mean: 3, p95: 3, max: 3 },
      tokens: { min: 100, mean: 100, p95: 100, max: 100, total: 1_200, exactlyCounted: 12 },
      images,
      assumedImageSizes,
      hashes: new Set<number>(),
    });
    const data = {
      files: [
        { input: 'training-file' as const, given: 'train.jsonl', report: file(12, 3) },
        { input: 'validation-file' as const, given: 'valid.jsonl', report: file(0, 0) },
      ],
      epochs: 3,
      autoEpochs: true,
      billedTokens: 3_600,
      approximate: false,
    };
    const text = renderSummary(record({ job: succeededJob(), data }), undefined);
    expect(text).toContain('- `train.jsonl`: 12 images (3 at remote URLs counted as 1024x1024, high detail)');
    expect(text).not.toContain('- `valid.jsonl`: 0 images');
  });

  it('gives the failure reason of a failed job, escaped for the table', () => {
    const job = makeJob({
      status: 'failed',
      finished_at: 1_763_780_060,
      error: { code: 'invalid_file', message: 'bad | line', param: 'training_file' },
    });
    const text = renderSummary(record({ job }), 'Fine-tuning job ftjob-test1 failed');
    expect(text).toContain('## ❌ Fine-tuning job: failed');
    expect(text).toContain('### Why it failed\n\n`[invalid_file] bad | line (param: training_file)`');
    expect(text).not.toContain('### Error');
  });

  it('reports an error that stopped the run before a job existed', () => {
    const text = renderSummary(
      record({ trainingFileId: 'file-train' }),
      'HTTP 429 (insufficient_quota): quota',
    );
    expect(text).toContain('## ❌ Fine-tuning job: not started');
    expect(text).toContain('| Training file | `file-train` |');
    expect(text).toContain('### Error\n\n`HTTP 429 (insufficient_quota): quota`');
  });

  it('reports before and after for cancel', () => {
    const text = renderSummary(
      { ...record({ job: makeJob({ status: 'cancelled' }), initialStatus: 'running' }), mode: 'cancel' },
      undefined,
    );
    expect(text).toContain('## ⛔ Fine-tuning job, after cancel: cancelled');
    expect(text).toContain('| Status before | running |');
    expect(text).toContain('| Status | cancelled |');
  });

  it('names the workflow run that created the job, linked on its GitHub server', () => {
    const run = 'octo-org/models/actions/runs/77/attempts/1';
    const text = renderSummary(
      record({ job: succeededJob({ metadata: { gha_run: run, team: 'ml' } }) }),
      undefined,
    );
    expect(text).toContain(`| Created by | [\`${run}\`](https://github.example.com/${run}) |`);
  });

  it("links the commit the data came from, read from the job's own run tag (wait)", () => {
    const sha = '0123456789abcdef0123456789abcdef01234567';
    const run = 'octo-org/models/actions/runs/77/attempts/1';
    const job = succeededJob({ metadata: { gha_run: `${run}@${sha}` } });
    const text = renderSummary({ ...record({ job }), mode: 'wait' }, undefined);
    expect(text).toContain(`| Created by | [\`${run}\`](https://github.example.com/${run}) |`);
    expect(text).toContain(
      `| Data from commit | [\`0123456789ab\`](https://github.example.com/octo-org/models/commit/${sha}) |`,
    );
    writeOutputs({ ...record({ job }), mode: 'wait' });
    expect(files.outputs().commit).toBe(sha);
  });

  it('says when the fine-tuned model stops serving, on whose schedule and checked when, and outputs the day', () => {
    for (const mode of ['fine-tune', 'wait'] as const) {
      const done = { ...record({ job: succeededJob(), provider: 'azure', retiresOn: '2027-10-01' }), mode };
      expect(renderSummary(done, undefined)).toContain(
        `| Model stops serving | 2027-10-01 (Azure OpenAI's schedule, checked ${RETIREMENTS_CHECKED}) |`,
      );
      writeOutputs(done);
      expect(files.outputs()['model-retires-on']).toBe('2027-10-01');
    }
    // A failed job made no model to stop serving.
    const failed = record({
      job: makeJob({ status: 'failed' }),
      provider: 'openai',
      retiresOn: '2027-01-14',
    });
    expect(renderSummary(failed, undefined)).not.toContain('stops serving');
  });

  it('takes no commit from a tag whose commit is not 40 hex digits', () => {
    const run = 'octo-org/models/actions/runs/77/attempts/1';
    for (const commit of [
      '--upload-pack=touch /tmp/x',
      'main',
      '0123456789ABCDEF0123456789ABCDEF01234567',
      'a'.repeat(64),
    ]) {
      const job = succeededJob({ metadata: { gha_run: `${run}@${commit}` } });
      const text = renderSummary(record({ job }), undefined);
      expect(text).not.toContain('Data from commit');
      writeOutputs(record({ job }));
      expect(files.outputs().commit).toBe('');
    }
  });

  it('links the commit this run recorded, and shows it unlinked without a well-formed repository', () => {
    const sha = 'fedcba9876543210fedcba9876543210fedcba98';
    const job = succeededJob();
    expect(
      renderSummary(record({ job, commit: { repository: 'octo-org/models', sha } }), undefined),
    ).toContain(
      `| Data from commit | [\`fedcba987654\`](https://github.example.com/octo-org/models/commit/${sha}) |`,
    );
    expect(renderSummary(record({ job, commit: { repository: '', sha } }), undefined)).toContain(
      '| Data from commit | `fedcba987654` |',
    );
  });

  it('gives no creator for a job without the tag, or whose tag is not a run', () => {
    const cases: Array<Record<string, string> | null | undefined> = [
      undefined,
      null,
      { team: 'ml' },
      { gha_run: 'x](https://evil.example/)' },
    ];
    for (const metadata of cases) {
      const text = renderSummary(record({ job: succeededJob({ metadata }) }), undefined);
      expect(text).toContain('| Job | `ftjob-test1` |');
      expect(text).not.toContain('Created by');
    }
  });

  it("shows a deployment's hourly hosting price by its SKU, and says when the SKU's price is not known", () => {
    const deployment = (sku: string | undefined) =>
      renderSummary(
        record({
          job: succeededJob(),
          deployment: { name: 'support-bot', id: '/subscriptions/s/x', model: 'gpt-4.1.ft-1', sku },
        }),
        undefined,
      )
        .split('\n')
        .find((line) => line.startsWith('| Hosting |'));
    expect(deployment('Standard')).toMatch(
      /^\| Hosting \| \$1\.70 per hour for `Standard`, beside its tokens, as of \d{4}-\d{2}-\d{2} \(\[source\]\(https:\/\/learn\.microsoft\.com\/azure\/ai-foundry\/openai\/how-to\/fine-tuning-cost-management\)\) \|$/,
    );
    expect(deployment('DeveloperTier')).toContain('no hourly fee for `DeveloperTier` (tokens only)');
    // ARM's text: one cell, no column of its own.
    expect(deployment('Provisioned|Managed')).toContain('not known here for `Provisioned\\|Managed`');
    expect(deployment(undefined)).toContain('not known here for its SKU');
  });

  it('is written to GITHUB_STEP_SUMMARY', async () => {
    await writeSummary(record({ job: succeededJob() }), undefined);
    expect(files.summary()).toContain('| Job | `ftjob-test1` |');
  });
});

describe('the estimate in the summary and outputs', () => {
  const file = (total: number): DataReport['files'][number] => ({
    input: 'training-file',
    given: 'data/train.jsonl',
    report: {
      examples: 20,
      errorCount: 0,
      errors: [],
      warnings: [],
      messages: { min: 3, mean: 3, p95: 3, max: 3 },
      tokens: { min: 40, mean: 50, p95: 60, max: 70, total, exactlyCounted: 20 },
      hashes: new Set(),
      images: 0,
      assumedImageSizes: 0,
    },
  });

  it('shows tokens, epochs and dollars, with the price and its source, and outputs the cost', () => {
    const data: DataReport = {
      files: [file(1_000_000)],
      epochs: 3,
      autoEpochs: true,
      billedTokens: 3_000_000,
      approximate: false,
      price: { price: { perMillionTokens: 3 }, source: 'the price-per-million-tokens input' },
      cost: 9,
    };
    const summary = renderSummary(record({ data }), undefined);
    expect(summary).toContain(
      'Estimated billed tokens: **3,000,000** (1,000,000 training tokens x 3 epochs (auto)). Estimated cost: **$9.00** at $3.00 per million tokens (the price-per-million-tokens input).',
    );
    writeOutputs(record({ data }));
    expect(files.outputs()).toMatchObject({ 'estimated-billed-tokens': '3000000', 'estimated-cost': '9.00' });
  });

  it('says how to get dollars when no price is known', () => {
    const data: DataReport = {
      files: [file(1_000)],
      epochs: 2,
      autoEpochs: false,
      billedTokens: 2_000,
      approximate: false,
    };
    expect(renderSummary(record({ data }), undefined)).toContain(
      'No training price is known for this model here: set `price-per-million-tokens` for a cost estimate.',
    );
    writeOutputs(record({ data }));
    expect(files.outputs()).toMatchObject({ 'estimated-billed-tokens': '2000', 'estimated-cost': '' });
  });

  it('gives reinforcement its hourly rate and no token figure', () => {
    const data: DataReport = {
      files: [file(1_000)],
      epochs: 3,
      autoEpochs: true,
      approximate: false,
      price: { price: { perHour: 100 }, source: 'OpenAI billing guide' },
    };
    const summary = renderSummary(record({ data }), undefined);
    expect(summary).toContain(
      'Billed by the hour of training at **$100.00 per hour** (OpenAI billing guide), not by the token',
    );
    expect(summary).not.toContain('Estimated billed tokens');
    writeOutputs(record({ data }));
    expect(files.outputs()).toMatchObject({ 'estimated-billed-tokens': '', 'estimated-cost': '' });
  });
});

describe('the plan', () => {
  const checked = (errors: number): DataReport['files'][number] => ({
    input: 'training-file',
    given: 'data/train.jsonl',
    report: {
      examples: 30,
      errorCount: errors,
      errors: Array.from({ length: Math.min(errors, 50) }, (_, i) => ({
        line: i + 1,
        message: 'is not valid JSON',
      })),
      warnings: [],
      messages: { min: 3, mean: 3, p95: 3, max: 3 },
      tokens: { min: 40, mean: 50, p95: 60, max: 70, total: 1_500, exactlyCounted: 30 },
      hashes: new Set(),
      images: 0,
      assumedImageSizes: 0,
    },
  });
  const base = {
    model: 'gpt-4o-mini-2024-07-18',
    method: 'supervised' as const,
    provider: 'openai' as const,
  };

  it('lists the first problems with their lines, and counts the rest', () => {
    const text = renderPlan({ ...base, decision: 'invalid', files: [checked(25)] });
    expect(text).toContain('### Fine-tuning plan: invalid');
    expect(text).toContain('| `data/train.jsonl` | 20 | is not valid JSON |');
    expect(text).not.toContain('| `data/train.jsonl` | 21 |');
    expect(text).toContain('5 more problems are annotated on their lines in the run.');
    expect(text).toContain('Nothing would train: the data fails the check');
  });

  it('gives reinforcement its hourly rate and no token figure', () => {
    const files = [checked(0)];
    const text = renderPlan({
      ...base,
      model: 'o4-mini-2025-04-16',
      method: 'reinforcement',
      decision: 'train',
      files,
      data: {
        files,
        epochs: 3,
        autoEpochs: true,
        approximate: false,
        price: { price: { perHour: 100 }, source: 'OpenAI billing guide' },
      },
      noComparison: 'no earlier job of this model and method in this repository succeeded',
    });
    expect(text).toContain('Billed by the hour of training at **$100.00 per hour**, not by the token');
    expect(text).not.toContain('billed tokens');
    expect(text).toContain(
      'Not compared: no earlier job of this model and method in this repository succeeded.',
    );
    expect(text).toContain('**train**: the fine-tune step will train a new `o4-mini-2025-04-16` model.');
  });
});
