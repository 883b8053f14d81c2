import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readExamples, type EvalExample } from '../../src/eval/examples.js';
import { gate } from '../../src/eval/gate.js';
import { DEFAULT_GRADER, parseGraders } from '../../src/eval/graders.js';
import { answerLine, type EvalRecord } from '../../src/eval/record.js';
import { buildReport, regressedMost } from '../../src/eval/report.js';
import { evaluate, limiter, type Answer } from '../../src/eval/run.js';
import { mean, pairedBootstrap, quantile } from '../../src/eval/stats.js';

const example = (line: number, question: string, reference: string): EvalExample => ({
  line,
  prompt: [{ role: 'user', content: question }],
  reference,
  item: { reference },
});

const examples = Array.from({ length: 12 }, (_, i) => example(i + 1, `q${i}`, `answer ${i}`));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An answer function that counts requests in flight; the candidate is right, the baseline on even lines only. */
function models(delay = () => 2) {
  const state = { inFlight: 0, peak: 0, started: 0 };
  const answer: Answer = async (model, prompt, signal) => {
    state.started += 1;
    state.inFlight += 1;
    state.peak = Math.max(state.peak, state.inFlight);
    try {
      await sleep(delay());
      signal?.throwIfAborted();
      const i = Number(String(prompt[0].content).slice(1));
      return model === 'ft:new' || i % 2 === 0 ? `answer ${i}` : 'no idea';
    } finally {
      state.inFlight -= 1;
    }
  };
  return { state, answer };
}

describe('the limiter', () => {
  it('never runs more than its limit at once, and runs that many', async () => {
    const limit = limiter(3);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limit(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await sleep(i % 3);
          running -= 1;
        }),
      ),
    );
    expect(peak).toBe(3);
  });
});

describe('evaluating', () => {
  it('answers every example with both models, grades each answer, and keeps the lines in order', async () => {
    const { answer } = models(() => Math.random() * 4);
    const { records, summary } = await evaluate({
      examples,
      graders: [DEFAULT_GRADER],
      answer,
      candidate: 'ft:new',
      baseline: 'base',
      concurrency: 4,
    });
    expect(records.map((r) => r.line)).toEqual(examples.map((e) => e.line));
    expect(records[1]).toMatchObject({
      line: 2,
      reference: 'answer 1',
      candidate: { answer: 'answer 1', score: 1, graders: { fuzzy_match: { score: 1 } } },
      baseline: { answer: 'no idea' },
    });
    expect(summary.candidate.score).toBe(1);
    expect(summary.baseline!.score).toBeCloseTo(mean(records.map((r) => r.baseline!.score)), 12);
    expect(summary.baseline!.score).toBeLessThan(1);
    expect(summary.difference!.score).toBeCloseTo(1 - summary.baseline!.score, 12);
    expect(summary.examples).toBe(12);
  });

  it('keeps at most `concurrency` requests in flight, answers and judge calls together, and uses them all', async () => {
    const { state, answer } = models();
    let judging = 0;
    const ask = async () => {
      state.inFlight += 1;
      judging += 1;
      state.peak = Math.max(state.peak, state.inFlight);
      await sleep(2);
      state.inFlight -= 1;
      return '1';
    };
    const graders = parseGraders({
      type: 'score_model',
      name: 'judge',
      model: 'j',
      input: [{ role: 'user', content: '{{sample.output_text}}' }],
    });
    const { summary } = await evaluate({
      examples,
      graders,
      answer,
      ask,
      candidate: 'ft:new',
      baseline: 'base',
      concurrency: 5,
    });
    expect(state.peak).toBe(5);
    expect(judging).toBe(24);
    expect(summary.candidate.graders['judge'].mean).toBe(1);
  });

  it('grades one model alone when there is no baseline', async () => {
    const { state, answer } = models();
    const { records, summary } = await evaluate({
      examples,
      graders: [DEFAULT_GRADER],
      answer,
      candidate: 'base',
      concurrency: 2,
    });
    expect(state.started).toBe(12);
    expect(records[0].baseline).toBeUndefined();
    expect(summary.baseline).toBeUndefined();
    expect(summary.difference).toBeUndefined();
  });

  it('stops at once on abort: rejects with the reason, cancels what is in flight, starts nothing more', async () => {
    // Answers that never come: the run can only end by not waiting for them.
    const signals: AbortSignal[] = [];
    const answer: Answer = (_model, _prompt, signal) => {
      signals.push(signal!);
      return new Promise<string>(() => {});
    };
    const controller = new AbortController();
    const run = evaluate({
      examples,
      graders: [DEFAULT_GRADER],
      answer,
      candidate: 'ft:new',
      baseline: 'base',
      concurrency: 3,
      signal: controller.signal,
    });
    await sleep(5);
    controller.abort(new Error('the run was cancelled'));
    await expect(run).rejects.toThrow('the run was cancelled');
    expect(signals).toHaveLength(3);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
    await sleep(20);
    expect(signals).toHaveLength(3);
  });

  it('fails with the first failed request and stops the rest', async () => {
    let calls = 0;
    const answer: Answer = async (_model, _prompt, signal) => {
      calls += 1;
      if (calls === 3) throw new Error('400 model not found');
      await sleep(20);
      signal?.throwIfAborted();
      return 'x';
    };
    await expect(
      evaluate({
        examples,
        graders: [DEFAULT_GRADER],
        answer,
        candidate: 'a',
        baseline: 'b',
        concurrency: 2,
      }),
    ).rejects.toThrow('400 model not found');
    await sleep(40);
    expect(calls).toBeLessThan(6);
  });

  it('refuses a score_model grader without a judge before asking anything', async () => {
    const { state, answer } = models();
    const graders = parseGraders({
      type: 'multi',
      graders: { j: { type: 'score_model', model: 'j', input: [{ role: 'user', content: 'x' }] } },
      calculate_output: 'j',
    });
    await expect(evaluate({ examples, graders, answer, candidate: 'a', concurrency: 1 })).rejects.toThrow(
      'a score_model grader needs a judge to ask',
    );
    expect(state.started).toBe(0);
  });

  it('refuses an eval file without examples', async () => {
    await expect(
      evaluate({
        examples: [],
        graders: [DEFAULT_GRADER],
        answer: async () => '',
        candidate: 'a',
        concurrency: 1,
      }),
    ).rejects.toThrow('the eval file has no examples');
  });

  it('reports pass rates for graders with a threshold (string_check at a match) and counts judge errors', async () => {
    const graders = parseGraders([
      {
        type: 'string_check',
        name: 'exact',
        input: '{{sample.output_text}}',
        reference: '{{item.reference}}',
        operation: 'eq',
      },
      {
        type: 'text_similarity',
        name: 'near',
        input: '{{sample.output_text}}',
        reference: '{{item.reference}}',
        evaluation_metric: 'fuzzy_match',
      },
      {
        type: 'score_model',
        name: 'judge',
        model: 'j',
        input: [{ role: 'user', content: '{{sample.output_text}}' }],
        pass_threshold: 0.5,
      },
    ]);
    const { answer } = models();
    let asked = 0;
    const ask = async () => (++asked % 4 === 0 ? 'no score' : '0.75');
    const { summary, records } = await evaluate({
      examples,
      graders,
      answer,
      ask,
      candidate: 'ft:new',
      baseline: 'base',
      concurrency: 1,
    });
    expect(summary.candidate.graders['exact'].passRate).toBe(1);
    expect(summary.baseline!.graders['exact'].passRate).toBe(0.5);
    expect(summary.candidate.graders['near'].passRate).toBeUndefined();
    const judged = [
      ...records.map((r) => r.candidate.graders['judge']),
      ...records.map((r) => r.baseline!.graders['judge']),
    ];
    const errors = judged.filter((j) => j.error).length;
    expect(errors).toBe(6);
    expect(summary.candidate.graders['judge'].errors + summary.baseline!.graders['judge'].errors).toBe(
      errors,
    );
    // The example's score is the mean of its graders' scores.
    const first = records[0].candidate;
    expect(first.score).toBeCloseTo(
      (first.graders['exact'].score + first.graders['near'].score + first.graders['judge'].score) / 3,
      12,
    );
  });
});

describe('the gate', () => {
  it.each([
    [{ candidate: 0.8, baseline: 0.8 }, true],
    [{ candidate: 0.1 + 0.2, baseline: 0.3 }, true],
    [{ candidate: 0.79, baseline: 0.8 }, false],
    [{ candidate: 0.79, baseline: 0.8, maxRegression: 0.02 }, true],
    [{ candidate: 0.77, baseline: 0.8, maxRegression: 0.02 }, false],
    [{ candidate: 0.6, minScore: 0.7 }, false],
    [{ candidate: 0.7, minScore: 0.7 }, true],
    [{ candidate: 0.95, baseline: 0.9, minScore: 0.96 }, false],
  ])('%o passes: %s', (input, passed) => {
    expect(gate(input).passed).toBe(passed);
  });

  it('says why it failed, naming the inputs', () => {
    expect(gate({ candidate: 0.5, baseline: 0.75, minScore: 0.6, maxRegression: 0.1 }).reasons).toEqual([
      "the candidate's mean score 0.5 is below min-score 0.6",
      "the candidate's mean score 0.5 is 0.25 below the baseline's 0.75, more than max-regression 0.1 allows",
    ]);
  });
});

describe('the paired bootstrap', () => {
  const noisy = Array.from({ length: 200 }, (_, i) => ((i * 7919) % 101) / 100);

  it('is the same on every run (seeded) and holds the mean', () => {
    const [first] = pairedBootstrap([noisy]);
    expect(pairedBootstrap([noisy])[0]).toEqual(first);
    expect(first[0]).toBeLessThan(mean(noisy));
    expect(first[1]).toBeGreaterThan(mean(noisy));
    expect(pairedBootstrap([noisy], 1000, 1)[0]).not.toEqual(first);
  });

  it('is about the standard error wide, as theory says for a mean', () => {
    const [low, high] = pairedBootstrap([noisy], 4000)[0];
    const sd = Math.sqrt(mean(noisy.map((x) => (x - mean(noisy)) ** 2)));
    const expected = 2 * 1.96 * (sd / Math.sqrt(noisy.length));
    expect(Math.abs(high - low - expected) / expected).toBeLessThan(0.1);
  });

  it('pairs the draws: a constant difference has no spread', () => {
    const shifted = noisy.map((x) => x - 0.1);
    const [, , difference] = pairedBootstrap([noisy, shifted, noisy.map((x, i) => x - shifted[i])]);
    expect(difference[0]).toBeCloseTo(0.1, 12);
    expect(difference[1]).toBeCloseTo(0.1, 12);
  });

  it('interpolates quantiles as numpy does', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([0, 10], 0.975)).toBe(9.75);
  });
});

describe('recorded answers', () => {
  it("writes a model's answers as eval-file lines whose reference is the answer", async () => {
    const { answer } = models();
    const { records } = await evaluate({
      examples: examples.slice(0, 2),
      graders: [DEFAULT_GRADER],
      answer,
      candidate: 'ft:new',
      baseline: 'base',
      concurrency: 1,
    });
    const lines = records.map((record) => answerLine(record, 'baseline'));
    const read = [];
    for await (const example of readExamples(Readable.from([lines.join('\n')]), [DEFAULT_GRADER]))
      read.push(example);
    expect(read.map((e) => [e.prompt, e.reference])).toEqual(
      records.map((r) => [r.prompt, r.baseline!.answer]),
    );
    expect(() => answerLine({ ...records[0], baseline: undefined }, 'baseline')).toThrow(
      'the evaluation has no baseline answers',
    );
  });
});

describe('the report', () => {
  const record = (line: number, candidate: number, baseline: number): EvalRecord => ({
    line,
    prompt: [{ role: 'user', content: `q${line}` }],
    reference: 'r',
    candidate: { answer: 'c', score: candidate, graders: { fuzzy_match: { score: candidate } } },
    baseline: { answer: 'b', score: baseline, graders: { fuzzy_match: { score: baseline } } },
  });

  it('lists the examples that regressed most, worst first, ties by line', () => {
    const records = [
      record(1, 0.9, 0.5),
      record(2, 0.2, 0.9),
      record(3, 0.5, 0.8),
      record(4, 0.6, 0.9),
      record(5, 0.1, 0.8),
    ];
    expect(regressedMost(records, 3).map((r) => [r.line, Number(r.drop.toFixed(2))])).toEqual([
      [5, 0.7],
      [2, 0.7],
      [3, 0.3],
    ]);
  });

  it('holds the graders, the summary, the gate with its rules, and every example', async () => {
    const { answer } = models();
    const result = await evaluate({
      examples,
      graders: [DEFAULT_GRADER],
      answer,
      candidate: 'ft:new',
      baseline: 'base',
      concurrency: 2,
    });
    const decision = gate({
      candidate: result.summary.candidate.score,
      baseline: result.summary.baseline!.score,
    });
    const report = buildReport(result, [DEFAULT_GRADER], decision, { maxRegression: 0 });
    expect(report).toMatchObject({
      version: 1,
      graders: [DEFAULT_GRADER],
      gate: { passed: true, reasons: [], maxRegression: 0 },
      regressed: [],
    });
    expect(report.examples).toHaveLength(12);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});
