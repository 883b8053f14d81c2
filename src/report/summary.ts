import * as core from '@actions/core';
import type { FineTuningJob } from '../client.js';
import type { DataReport } from '../data/preflight.js';
import { redact } from '../secret.js';
import { failureReason } from '../status.js';
import { cell, code, formatDuration } from './format.js';
import type { RunRecord } from './record.js';

const STATUS_ICON: Record<string, string> = { succeeded: '✅', failed: '❌', cancelled: '⛔' };

function usedHyperparameters(job: FineTuningJob): Record<string, unknown> {
  const type = job.method?.type;
  const perMethod = type ? job.method?.[type]?.hyperparameters : undefined;
  return { ...(perMethod ?? job.hyperparameters ?? {}) };
}

function rows(pairs: Array<[string, string | undefined]>): string {
  const body = pairs
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([k, v]) => `| ${k} | ${v} |`);
  return ['| | |', '| --- | --- |', ...body].join('\n');
}

const count = (value: number) => Math.round(value).toLocaleString('en-US');

function dataSection(data: DataReport): string[] {
  const header =
    '| file | examples | messages per example | tokens per example (min / mean / p95 / max) | tokens |\n| --- | --- | --- | --- | --- |';
  const lines = data.files.map(({ given, report }) => {
    const t = report.tokens;
    return `| ${code(given)} | ${count(report.examples)} | ${report.messages.mean.toFixed(1)} | ${count(t.min)} / ${count(t.mean)} / ${count(t.p95)} / ${count(t.max)} | ${count(t.total)} |`;
  });
  const epochs = `${data.epochs} epochs${data.autoEpochs ? ' (auto)' : ''}`;
  const parts = [
    '### Data',
    [header, ...lines].join('\n'),
    `Estimated billed tokens: **${count(data.billedTokens)}** (${count(data.files[0].report.tokens.total)} training tokens x ${epochs}).`,
  ];
  const warnings = data.files.flatMap(({ given, report }) =>
    report.warnings.map(
      (w) =>
        `- ${code(given)}: ${cell(w.message)} (${w.count === 1 ? `line ${w.line}` : `${count(w.count)} examples, first at line ${w.line}`})`,
    ),
  );
  if (warnings.length > 0) parts.push(warnings.join('\n'));
  return parts;
}

/** The summary as Markdown: a person should see at a glance what ran and how it ended. */
export function renderSummary(record: RunRecord, failure: string | undefined, now = Date.now()): string {
  const job = record.job;
  const status = job?.status ?? (failure ? 'not started' : 'unknown');
  const icon = STATUS_ICON[status] ?? (failure ? '❌' : '⏳');
  const parts = [`## ${icon} Fine-tuning ${record.mode ?? 'action'}: ${status}`];
  if (job) {
    const end = job.finished_at ? job.finished_at * 1000 : now;
    const succeeded = job.status === 'succeeded';
    parts.push(
      rows([
        ['Job', code(job.id)],
        ['Status before', record.initialStatus],
        ['Status', job.status],
        ['Base model', code(job.model)],
        ['Fine-tuned model', succeeded && job.fine_tuned_model ? code(job.fine_tuned_model) : undefined],
        ['Method', job.method?.type],
        ['Duration', formatDuration(end - job.created_at * 1000) + (job.finished_at ? '' : ' so far')],
        [
          'Trained tokens',
          job.trained_tokens != null ? job.trained_tokens.toLocaleString('en-US') : undefined,
        ],
        ['Training file', code(job.training_file)],
        ['Validation file', job.validation_file ? code(job.validation_file) : undefined],
        ['Result file', job.result_files[0] ? code(job.result_files[0]) : undefined],
        ['Seed', String(job.seed)],
      ]),
    );
    const hyperparameters = Object.entries(usedHyperparameters(job));
    if (hyperparameters.length > 0) {
      parts.push(
        '### Hyperparameters used',
        [
          '| name | value |',
          '| --- | --- |',
          ...hyperparameters.map(([k, v]) => `| ${k} | ${cell(v)} |`),
        ].join('\n'),
      );
    }
    if (job.status === 'failed') parts.push('### Why it failed', cell(failureReason(job)));
  } else if (record.trainingFileId) {
    parts.push(
      rows([
        ['Training file', code(record.trainingFileId)],
        ['Validation file', record.validationFileId],
      ]),
    );
  }
  if (record.data) parts.push(...dataSection(record.data));
  if (record.notes.length > 0) parts.push(record.notes.map((note) => `- ${note}`).join('\n'));
  if (failure && job?.status !== 'failed') parts.push('### Error', cell(failure));
  return parts.join('\n\n') + '\n';
}

export async function writeSummary(record: RunRecord, failure: string | undefined): Promise<void> {
  // Outside the runner there is no summary file; the log already holds everything.
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(redact(renderSummary(record, failure))).write();
}
