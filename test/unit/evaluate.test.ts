import nock from 'nock';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as core from '../helpers/core.js';
import { makeJob, succeededJob } from '../helpers/jobs.js';
import { recordRequests } from '../helpers/requests.js';

// The evaluation's inputs, mode evaluate, and the evaluation after a wait, through run() with
// @actions/core replaced by spies and the API by nock.

vi.mock('@actions/core', () => import('../helpers/core.js'));
const { run } = await import('../../src/main.js');
const { readConfig } = await import('../../src/inputs/config.js');

const API = 'https://api.test';
const CONNECTION = { 'api-key': 'sk-unit-test', 'base-url': `${API}/v1` };
const CANDIDATE = 'ft:gpt-4o-mini-2024-07-18:org-test::abc123';
const BASE = 'gpt-4o-mini-2024-07-18';
const empty = { object: 'list', data: [], has_more: false };

const workspace = mkdtempSync(path.join(tmpdir(), 'eval-workspace-'));
const runnerTemp = mkdtempSync(path.join(tmpdir(), 'eval-runner-temp-'));
const outside = mkdtempSync(path.join(tmpdir(), 'eval-outside-'));
const EXAMPLES = [
  ['How long does shipping take?', 'Three to five working days.'],
  ['Can I return an item?', 'Yes, within thirty days.'],
  ['Do you ship abroad?', 'Only within the EU.'],
];
const line = ([question, answer]: string[]) =>
  JSON.stringify({
    messages: [
      { role: 'user', content: question },
      { role: 'assistant', content: answer },
    ],
  });

beforeAll(() => {
  nock.disableNetConnect();
  mkdirSync(path.join(workspace, 'data'));
  writeFileSync(path.join(workspace, 'data', 'eval.jsonl'), EXAMPLES.map(line).join('\n') + '\n');
  writeFileSync(
    path.join(workspace, 'data', 'unanswered.jsonl'),
    `${line(EXAMPLES[0])}\n${JSON.stringify({ messages: [{ role: 'user', content: 'Hi' }] })}\n`,
  );
  writeFileSync(path.join(outside, 'secret.jsonl'), line(EXAMPLES[0]));
  symlinkSync(path.join(outside, 'secret.jsonl'), path.join(workspace, 'data', 'link.jsonl'));
  symlinkSync(path.join(outside, 'written.jsonl'), path.join(workspace, 'data', 'out-link.jsonl'));
  writeFileSync(
    path.join(workspace, 'graders.yaml'),
    'type: string_check\ninput: "{{sample.output_text}}"\nreference: "{{item.reference}}"\noperation: eq\n',
  );
});
afterAll(() => {
  for (const folder of [workspace, runnerTemp, outside]) rmSync(folder, { recursive: true, force: true });
});

let requests: ReturnType<typeof recordRequests>;
const savedEnv = { ...process.env };
beforeEach(() => {
  core.reset();
  requests = recordRequests();
  Object.assign(process.env, { GITHUB_WORKSPACE: workspace, RUNNER_TEMP: runnerTemp });
});
afterEach(() => {
  restoreFetch();
  requests.restore();
  nock.cleanAll();
  process.env = { ...savedEnv };
});

/**
 * Chat answers: `answers(model, question)` or the local API's fixed reply. Answered in place of
 * fetch (nock hands a reply function no body here); returns the models asked, in order.
 */
function chat(answers: (model: string, question: string, whole: string) => string | undefined, delayMs = 0) {
  const asked: string[] = [];
  const next = globalThis.fetch;
  restoreFetch = () => (globalThis.fetch = next);
  globalThis.fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (!url.endsWith('/chat/completions')) return next(input, init);
    const { model, messages } = JSON.parse(String(init?.body)) as {
      model: string;
      messages: Array<{ content: string }>;
    };
    asked.push(model);
    if (delayMs > 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, delayMs);
        init?.signal?.addEventListener('abort', () => (clearTimeout(timer), reject(init.signal!.reason)));
      });
    }
    const whole = messages.map((message) => message.content).join('\n');
    const content = answers(model, messages.at(-1)!.content, whole) ?? "I don't know.";
    const message = { role: 'assistant', content, refusal: null };
    return Response.json({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1,
      model,
      choices: [{ index: 0, message, finish_reason: 'stop', logprobs: null }],
    });
  };
  return asked;
}
let restoreFetch = () => {};
const trained = (model: string, question: string) =>
  model === CANDIDATE ? EXAMPLES.find(([q]) => q === question)?.[1] : undefined;

describe('the evaluation inputs', () => {
  const evaluate = (inputs: Record<string, string>) =>
    core.reset({
      ...CONNECTION,
      mode: 'evaluate',
      model: CANDIDATE,
      'eval-file': 'data/eval.jsonl',
      ...inputs,
    });

  it('defaults: the fuzzy_match grader, the base model of a fine-tuned model, gate at no regression, 4 at once, fail', async () => {
    evaluate({});
    expect(await readConfig()).toMatchObject({
      mode: 'evaluate',
      model: CANDIDATE,
      evaluation: {
        file: path.join(workspace, 'data', 'eval.jsonl'),
        graders: [{ type: 'text_similarity', evaluation_metric: 'fuzzy_match' }],
        baseline: { kind: 'model', model: BASE },
        maxRegression: 0,
        concurrency: 4,
        onFail: 'fail',
      },
    });
  });

  it.each([
    [
      {
        graders:
          '{type: text_similarity, input: "{{sample.output_text}}", reference: "{{item.reference}}", evaluation_metric: cosine_sim}',
      },
      "Input 'graders' the grader (a text_similarity grader): evaluation_metric must be one of",
    ],
    [
      { graders: '{type: string_check, input: x, reference: y, operation: eq' },
      "Input 'graders' is not valid YAML or JSON",
    ],
    [
      { 'eval-file': 'data/unanswered.jsonl' },
      "Input 'eval-file' names 'data/unanswered.jsonl', whose line 2 has no final assistant message",
    ],
    [
      { 'eval-file': 'data/link.jsonl' },
      "Input 'eval-file' names 'data/link.jsonl', which lies outside the workspace and RUNNER_TEMP",
    ],
    [{ 'eval-file': '../x.jsonl' }, "Input 'eval-file' names '../x.jsonl', which does not exist"],
    [
      { 'record-answers': 'data/out-link.jsonl' },
      "Input 'record-answers' names 'data/out-link.jsonl', which is a symlink: it is not written through",
    ],
    [{ 'record-answers': `${outside}/answers.jsonl` }, "Input 'record-answers' names"],
    [{ 'min-score': '1.5' }, "Input 'min-score' must be a number from 0 to 1"],
    [{ 'max-regression': '-0.1' }, "Input 'max-regression' must be a number from 0 to 1"],
    [{ 'eval-concurrency': '0' }, "Input 'eval-concurrency'"],
    [{ 'on-eval-fail': 'ignore' }, "Input 'on-eval-fail' must be one of fail, warn, got 'ignore'"],
    [{ model: BASE }, "Input 'baseline-model' is required in mode evaluate"],
    [{ 'eval-file': '' }, "Input 'eval-file' is required in mode evaluate"],
  ])('refuses %j by name', async (inputs, message) => {
    evaluate(inputs);
    await expect(readConfig()).rejects.toThrow(message);
  });

  it('reads graders from a file in the workspace', async () => {
    evaluate({ graders: 'graders.yaml', 'baseline-model': 'none', 'min-score': '0.9' });
    expect(await readConfig()).toMatchObject({
      evaluation: {
        graders: [{ type: 'string_check', name: 'string_check' }],
        baseline: { kind: 'none' },
        minScore: 0.9,
      },
    });
  });

  it('an evaluation input without eval-file is refused, and the defaults as the runner passes them are not', async () => {
    core.reset({
      ...CONNECTION,
      mode: 'wait',
      'job-id': 'ftjob-test1',
      'max-regression': '0',
      'on-eval-fail': 'fail',
      'eval-concurrency': '4',
    });
    await expect(readConfig()).resolves.toMatchObject({ mode: 'wait' });
    core.reset({ ...CONNECTION, mode: 'wait', 'job-id': 'ftjob-test1', graders: 'graders.yaml' });
    await expect(readConfig()).rejects.toThrow("Input 'graders' applies only with eval-file");
  });

  it('record-answers needs a baseline after a job, whose answers it records', async () => {
    core.reset({
      ...CONNECTION,
      mode: 'wait',
      'job-id': 'ftjob-test1',
      'eval-file': 'data/eval.jsonl',
      'baseline-model': 'none',
      'record-answers': 'answers.jsonl',
    });
    await expect(readConfig()).rejects.toThrow(
      "Input 'record-answers' writes the baseline's answers, and baseline-model is none",
    );
  });
});

describe('mode evaluate', () => {
  it('grades the model against its base with reads and chat completions only, and writes the report and the answers', async () => {
    const asked = chat(trained);
    core.reset({
      ...CONNECTION,
      mode: 'evaluate',
      model: CANDIDATE,
      'eval-file': 'data/eval.jsonl',
      'record-answers': 'recorded.jsonl',
      'eval-concurrency': '2',
    });
    await run();
    expect(core.setFailed).not.toHaveBeenCalled();
    // Nothing but the chat completions (answered in place of fetch): no upload, create or deployment.
    expect(requests.sent()).toEqual([]);
    expect(asked.filter((model) => model === CANDIDATE)).toHaveLength(3);
    expect(asked.filter((model) => model === BASE)).toHaveLength(3);
    const outputs = core.outputs();
    expect(outputs).toMatchObject({ 'eval-score': '1.0000', 'eval-passed': 'true' });
    expect(Number(outputs['baseline-score'])).toBeLessThan(0.5);
    expect(outputs).not.toHaveProperty('promoted');
    expect(outputs['eval-report'].startsWith(runnerTemp)).toBe(true);
    const report = JSON.parse(readFileSync(outputs['eval-report'], 'utf8'));
    expect(report).toMatchObject({ version: 1, gate: { passed: true, maxRegression: 0 } });
    expect(report.examples).toHaveLength(3);
    // The model's own answers, as an eval file a later evaluation reads.
    expect(readFileSync(path.join(workspace, 'recorded.jsonl'), 'utf8')).toBe(
      EXAMPLES.map(line).join('\n') + '\n',
    );
    expect(core.summaryText()).toContain('Evaluation: the gate passed');
  });

  it('a failed gate fails the step after the outputs and the report are written; warn succeeds with a warning', async () => {
    chat(() => undefined);
    core.reset({
      ...CONNECTION,
      mode: 'evaluate',
      model: CANDIDATE,
      'eval-file': 'data/eval.jsonl',
      'baseline-model': 'none',
      'min-score': '0.9',
    });
    await run();
    expect(core.setFailed).toHaveBeenCalledWith(
      expect.stringContaining("The evaluation gate failed: the candidate's mean score"),
    );
    expect(core.outputs()).toMatchObject({ 'eval-passed': 'false', 'baseline-score': '' });
    expect(existsSync(core.outputs()['eval-report'])).toBe(true);
    expect(core.summaryText()).toContain('Evaluation: the gate failed');

    core.reset({
      ...CONNECTION,
      mode: 'evaluate',
      model: CANDIDATE,
      'eval-file': 'data/eval.jsonl',
      'baseline-model': 'none',
      'min-score': '0.9',
      'on-eval-fail': 'warn',
    });
    await run();
    expect(core.setFailed).not.toHaveBeenCalled();
    expect(core.warning).toHaveBeenCalledWith(
      expect.stringContaining('on-eval-fail: warn; nothing was promoted'),
    );
    expect(core.outputs()).toMatchObject({ 'eval-passed': 'false' });
  });

  it('shows the regressed examples as inline code that renders nothing', async () => {
    chat((model) =>
      model === 'gpt-4.1-2025-04-14'
        ? EXAMPLES[0][1]
        : '@octocat <img src=x> [a](http://x.invalid) `tick` | pipe',
    );
    core.reset({
      ...CONNECTION,
      mode: 'evaluate',
      model: CANDIDATE,
      'baseline-model': 'gpt-4.1-2025-04-14',
      'eval-file': 'data/eval.jsonl',
      'on-eval-fail': 'warn',
    });
    await run();
    const summary = core.summaryText();
    expect(summary).toContain('``@octocat <img src=x> [a](http://x.invalid) `tick` \\| pipe``');
    expect(summary).toContain('Regressed most');
  });

  it('refuses before asking anything when the estimate is over max-cost', async () => {
    const asked = chat(() => undefined);
    core.reset({
      ...CONNECTION,
      provider: 'openai',
      mode: 'evaluate',
      model: CANDIDATE,
      'eval-file': 'data/eval.jsonl',
      'max-cost': '0.000001',
    });
    // Refused by parseAmount-like rules? No: the amount is valid, the estimate is over it.
    await run();
    expect(core.setFailed).toHaveBeenCalledWith(
      expect.stringContaining("Input 'max-cost' is $0.00, but this run would cost about"),
    );
    expect(asked).toEqual([]);
  });

  it('asks a score_model judge through the same chat completions, within eval-concurrency', async () => {
    // The judge scores 9 only the candidate's answer to the first question.
    const asked = chat((model, question, whole) =>
      model === 'gpt-4.1-2025-04-14'
        ? whole.includes('Answer: Three to five')
          ? '9'
          : '2'
        : trained(model, question),
    );
    core.reset({
      ...CONNECTION,
      mode: 'evaluate',
      model: CANDIDATE,
      'eval-file': 'data/eval.jsonl',
      graders: JSON.stringify({
        type: 'score_model',
        name: 'judge',
        model: 'gpt-4.1-2025-04-14',
        range: [0, 10],
        pass_threshold: 5,
        input: [
          {
            role: 'user',
            content: 'Answer: {{sample.output_text}}. Reference: {{item.reference}}. Score it.',
          },
        ],
      }),
    });
    await run();
    expect(asked.filter((model) => model === 'gpt-4.1-2025-04-14')).toHaveLength(6);
    const report = JSON.parse(readFileSync(core.outputs()['eval-report'], 'utf8'));
    expect(report.summary.candidate.graders.judge).toMatchObject({ passRate: 1 / 3, errors: 0 });
  });

  it('a cancelled run stops the evaluation at once', async () => {
    const asked = chat(trained, 10_000);
    core.reset({ ...CONNECTION, mode: 'evaluate', model: CANDIDATE, 'eval-file': 'data/eval.jsonl' });
    const started = Date.now();
    setTimeout(() => process.emit('SIGINT'), 200);
    await run();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(asked.length).toBeGreaterThan(0);
    expect(core.setFailed).toHaveBeenCalledWith('The run was cancelled');
    expect(core.outputs()).toMatchObject({ 'eval-passed': '', 'eval-report': '' });
  });

  it('wait-timeout bounds every answer, and says so', async () => {
    chat(trained, 10_000);
    core.reset({
      ...CONNECTION,
      mode: 'evaluate',
      model: CANDIDATE,
      'eval-file': 'data/eval.jsonl',
      'wait-timeout': '300ms',
    });
    const started = Date.now();
    await run();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(core.setFailed).toHaveBeenCalledWith('wait-timeout (300ms) ran out during the evaluation');
  });
});

describe('after a wait', () => {
  it("compares the job's model with the last succeeded model of its lineage, and keeps fine-tuned-model when the gate fails", async () => {
    const lineage = { gha_lineage: 'lineage-1' };
    const job = succeededJob({ metadata: lineage });
    const earlier = succeededJob({
      id: 'ftjob-earlier',
      fine_tuned_model: 'ft:gpt-4o-mini-2024-07-18:org-test::earlier',
      metadata: lineage,
      finished_at: 1_700_000_000,
    });
    // Another team's job the server hands back (its filter ignored): its own metadata lacks the tag.
    const foreign = succeededJob({
      id: 'ftjob-foreign',
      fine_tuned_model: 'ft:foreign',
      metadata: {},
      finished_at: 1_800_000_000,
    });
    nock(API)
      .persist()
      .get('/v1/fine_tuning/jobs/ftjob-test1')
      .reply(200, job)
      .get('/v1/fine_tuning/jobs/ftjob-test1/events')
      .query(true)
      .reply(200, empty)
      .get('/v1/fine_tuning/jobs/ftjob-test1/checkpoints')
      .query(true)
      .reply(200, empty)
      .get('/v1/files/file-result/content')
      .reply(200, '')
      .get('/v1/fine_tuning/jobs')
      .query(true)
      .reply(200, { object: 'list', data: [foreign, job, earlier], has_more: false });
    const asked = chat((model, question) =>
      model === earlier.fine_tuned_model ? EXAMPLES.find(([q]) => q === question)?.[1] : undefined,
    );
    core.reset({
      ...CONNECTION,
      mode: 'wait',
      'job-id': 'ftjob-test1',
      'eval-file': 'data/eval.jsonl',
      'poll-interval': '10ms',
      'max-poll-interval': '20ms',
    });
    await run();
    expect(new Set(asked)).toEqual(new Set([job.fine_tuned_model, earlier.fine_tuned_model]));
    expect(core.setFailed).toHaveBeenCalledWith(expect.stringContaining('The evaluation gate failed'));
    expect(core.outputs()).toMatchObject({
      'fine-tuned-model': job.fine_tuned_model,
      'eval-passed': 'false',
      promoted: 'false',
      'baseline-score': '1.0000',
    });
    expect(requests.sent().filter((sent) => !sent.startsWith('GET '))).toEqual([]);
  });

  it('a job that did not succeed has no model to evaluate: said, nothing asked', async () => {
    const asked = chat(() => undefined);
    nock(API)
      .persist()
      .get('/v1/fine_tuning/jobs/ftjob-test1')
      .reply(200, makeJob({ status: 'running' }))
      .get('/v1/fine_tuning/jobs/ftjob-test1/events')
      .query(true)
      .reply(200, empty);
    core.reset({
      ...CONNECTION,
      mode: 'wait',
      'job-id': 'ftjob-test1',
      'eval-file': 'data/eval.jsonl',
      'wait-timeout': '50ms',
      'on-timeout': 'continue',
      'poll-interval': '10ms',
      'max-poll-interval': '20ms',
    });
    await run();
    expect(asked).toEqual([]);
    expect(core.warning).toHaveBeenCalledWith(expect.stringContaining('so there was no model to evaluate'));
  });
  it('prints a model name from the API on one line: a line break cannot start a workflow command', async () => {
    const lineage = { gha_lineage: 'lineage-1' };
    const earlier = succeededJob({
      id: 'ftjob-earlier',
      fine_tuned_model: 'ft:x\n::error::injected',
      metadata: lineage,
      finished_at: 1_700_000_000,
    });
    nock(API)
      .persist()
      .get('/v1/fine_tuning/jobs/ftjob-test1')
      .reply(200, succeededJob({ metadata: lineage }))
      .get(/\/v1\/fine_tuning\/jobs\/ftjob-test1\/(events|checkpoints)/)
      .query(true)
      .reply(200, empty)
      .get('/v1/files/file-result/content')
      .reply(200, '')
      .get('/v1/fine_tuning/jobs')
      .query(true)
      .reply(200, { object: 'list', data: [earlier], has_more: false });
    chat(() => undefined);
    core.reset({
      ...CONNECTION,
      mode: 'wait',
      'job-id': 'ftjob-test1',
      'eval-file': 'data/eval.jsonl',
      'poll-interval': '10ms',
      'max-poll-interval': '20ms',
    });
    await run();
    const printed = [...core.logged(), ...core.group.mock.calls.map(([name]) => name)];
    expect(printed.some((text) => text.includes('ft:x\\n::error::injected'))).toBe(true);
    expect(printed.filter((text) => /\n::/.test(text))).toEqual([]);
  });
});
