import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalApi } from '../../server/index.ts';
import { runAction } from '../../tools/run-action.ts';
import {
  apiCall,
  closeLocalApi,
  connect,
  EXAMPLE,
  fineTuneExample,
  startJob,
  startLocalApi,
  untilStatus,
  wrongAnswers,
} from './local-api.ts';

// The evaluation through the bundle against the local API, whose fine-tuned models answer their
// training prompts with the trained answers and everything else with a fixed reply.

let api: LocalApi;
beforeEach(async () => {
  api = await startLocalApi();
});
afterEach(() => closeLocalApi(api));

const TRAIN = EXAMPLE('train.jsonl');
/** Held-out examples: here the training prompts with their right answers. */
const EVAL = TRAIN.split('\n').slice(0, 10).join('\n') + '\n';
/** The same prompts trained on answers that are all wrong. */
const WRONG = wrongAnswers(TRAIN);

const sent = (from = 0) => api.requests.slice(from).map((entry) => `${entry.method} ${entry.path}`);

describe('evaluate before promoting', () => {
  it('a model trained on the right answers passes against the base model and sets the outputs', async () => {
    const run = await fineTuneExample(api, {
      files: { 'data/train.jsonl': TRAIN, 'data/eval.jsonl': EVAL },
      inputs: { 'eval-file': 'data/eval.jsonl', 'record-answers': 'data/base-answers.jsonl' },
    });
    expect(run.code, run.log).toBe(0);
    expect(run.outputs['fine-tuned-model']).toMatch(/^ft:/);
    expect(run.outputs).toMatchObject({ 'eval-score': '1.0000', 'eval-passed': 'true', promoted: 'false' });
    expect(Number(run.outputs['baseline-score'])).toBeLessThan(0.5);
    const report = JSON.parse(readFileSync(run.outputs['eval-report'], 'utf8'));
    expect(report.summary.candidate.model).toBe(run.outputs['fine-tuned-model']);
    expect(report.summary.baseline.model).toBe('gpt-4o-mini-2024-07-18');
    expect(report.examples).toHaveLength(10);
    // The base model's answers, kept as an eval file: the fixed reply as each reference.
    const recorded = readFileSync(`${run.workspace}/data/base-answers.jsonl`, 'utf8').trim().split('\n');
    expect(recorded).toHaveLength(10);
    expect(JSON.parse(recorded[0]).messages.at(-1)).toEqual({ role: 'assistant', content: "I don't know." });
    expect(run.summary).toContain('### Evaluation');
    expect(run.summary).toContain('Gate: **Passed**');
    expect(sent().filter((line) => line === 'POST /chat/completions')).toHaveLength(20);
  });

  it('one trained on wrong answers fails the gate: the step fails, fine-tuned-model is still set', async () => {
    const run = await fineTuneExample(api, {
      files: { 'data/train.jsonl': WRONG, 'data/eval.jsonl': EVAL },
      inputs: { 'training-file': 'data/train.jsonl', 'eval-file': 'data/eval.jsonl', 'min-score': '0.6' },
    });
    expect(run.code).toBe(1);
    expect(run.outputs['fine-tuned-model']).toMatch(/^ft:/);
    expect(run.outputs).toMatchObject({ status: 'succeeded', 'eval-passed': 'false', promoted: 'false' });
    expect(existsSync(run.outputs['eval-report'])).toBe(true);
    expect(run.log).toContain("::error::The evaluation gate failed: the candidate's mean score");
    expect(run.summary).toContain('Gate: **Failed**');
  });

  it('mode evaluate only reads and asks for chat completions', async () => {
    const job = await startJob(api);
    await untilStatus(api, job.id, 'succeeded');
    const model = ((await apiCall(api, 'GET', `/fine_tuning/jobs/${job.id}`)) as { fine_tuned_model: string })
      .fine_tuned_model;
    const before = api.requests.length;
    const run = await runAction({
      files: { 'data/eval.jsonl': EVAL },
      inputs: {
        ...connect(api),
        mode: 'evaluate',
        model,
        'eval-file': 'data/eval.jsonl',
        'eval-concurrency': '3',
      },
    });
    expect(run.code, run.log).toBe(0);
    expect(run.outputs).toMatchObject({ 'eval-score': '1.0000', 'eval-passed': 'true' });
    const made = sent(before);
    expect(made.length).toBe(20);
    expect(made.filter((line) => !line.startsWith('GET ') && line !== 'POST /chat/completions')).toEqual([]);
  });

  it('a bad grader is refused before anything is uploaded', async () => {
    const run = await fineTuneExample(api, {
      files: { 'data/train.jsonl': TRAIN, 'data/eval.jsonl': EVAL },
      inputs: {
        'eval-file': 'data/eval.jsonl',
        graders:
          '{type: text_similarity, input: "{{sample.output_text}}", reference: "{{item.reference}}", evaluation_metric: meteor}',
      },
    });
    expect(run.code).toBe(1);
    expect(run.log).toContain(
      "::error::Input 'graders' the grader (a text_similarity grader): evaluation_metric",
    );
    expect(sent().filter((line) => line.startsWith('POST '))).toEqual([]);
  });
});
