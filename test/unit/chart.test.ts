import { JSDOM } from 'jsdom';
import type Mermaid from 'mermaid';
import OpenAI, { toFile } from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../server/index.ts';
import { decodeResultFile, lossChart, parseMetrics, type MetricRow } from '../../src/report/chart.js';

const HEADER =
  'step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy,train_mean_reward,full_valid_loss,full_valid_mean_token_accuracy';

let mermaid: typeof Mermaid;

beforeAll(async () => {
  // Mermaid passes every title through DOMPurify, which takes `window` when it is first
  // imported and cannot sanitize without one; Node has none, so jsdom's must be there first.
  // It goes again at once: the openai SDK refuses to run where it sees a browser's `window`.
  Object.assign(globalThis, { window: new JSDOM('').window });
  try {
    mermaid = (await import('mermaid')).default;
  } finally {
    delete (globalThis as { window?: unknown }).window;
  }
});

/** The diagram text between the fences, as GitHub hands it to Mermaid. */
function diagramOf(markdown: string): string {
  const match = /^```mermaid\n([\s\S]*?)\n```$/m.exec(markdown);
  if (!match) throw new Error(`no mermaid block in:\n${markdown}`);
  return match[1];
}

/** The chart's numbers, read back from its text. */
function chartOf(markdown: string) {
  const diagram = diagramOf(markdown);
  const range = (axis: string) => {
    const m = new RegExp(`^  ${axis} "\\w+" (\\S+) --> (\\S+)$`, 'm').exec(diagram)!;
    return [Number(m[1]), Number(m[2])];
  };
  const lines = [...diagram.matchAll(/^ {2}line \[(.*)\]$/gm)].map((m) => m[1].split(', ').map(Number));
  return { x: range('x-axis'), y: range('y-axis'), lines };
}

const steps = (count: number, row: (step: number) => Omit<MetricRow, 'step'>): MetricRow[] =>
  Array.from({ length: count }, (_, i) => ({ step: i + 1, ...row(i + 1) }));

describe("Mermaid's parser as the judge", () => {
  it('accepts a chart with both lines', async () => {
    const chart = lossChart(
      steps(30, (s) => ({ train_loss: 2 / s, ...(s % 10 === 0 ? { valid_loss: 2.2 / s } : {}) })),
    )!;
    // The colours the note names reach Mermaid's config rather than being read as a comment.
    await expect(mermaid.parse(diagramOf(chart))).resolves.toEqual({
      diagramType: 'xychart',
      config: { themeVariables: { xyChart: { plotColorPalette: '#1f77b4, #ff7f0e' } } },
    });
    expect(chart.split('\n').at(-1)).toBe(
      'Blue (first line): training loss; orange (second line): validation loss as last measured (first measured at step 10).',
    );
  });

  it('rejects the same chart once it is broken, so a pass means something', async () => {
    const diagram = diagramOf(lossChart(steps(5, (s) => ({ train_loss: 1 + 1 / s, valid_loss: 1.5 })))!);
    const broken = [
      diagram.replace(/line \[([\d.]+), /, 'line [$1, , '),
      diagram.replace('line [', 'lines ['),
      diagram + '\n  legend "training"',
      diagram.replace(/line \[[\d.]+/, 'line [1.5e-7'),
      diagram.replace(/\]$/, ''),
    ];
    for (const text of broken) {
      expect(text).not.toBe(diagram);
      await expect(mermaid.parse(text), text).rejects.toThrow(/Parse error/);
    }
  });
});

describe('decodeResultFile', () => {
  const csv = `${HEADER}\n1,1.9,0.5,,,,,\n2,1.8,0.6,2.0,0.5,,,\n`;

  it('returns plain CSV as it is', () => {
    expect(decodeResultFile(csv)).toBe(csv);
    expect(decodeResultFile(csv.replaceAll('\n', '\r\n'))).toBe(csv.replaceAll('\n', '\r\n'));
  });

  it('decodes base64 CSV, also wrapped over several lines', () => {
    const encoded = Buffer.from(csv).toString('base64');
    expect(decodeResultFile(encoded)).toBe(csv);
    expect(decodeResultFile(encoded.replace(/(.{76})/g, '$1\n') + '\n')).toBe(csv);
  });

  it('throws on content that is neither', () => {
    expect(() => decodeResultFile('')).toThrow(/neither/);
    expect(() => decodeResultFile('{"error": "not found"}')).toThrow(/neither/);
    // Valid base64, but of something else.
    expect(() => decodeResultFile(Buffer.from('hello,world\n1,2\n').toString('base64'))).toThrow(/neither/);
    expect(() => decodeResultFile('c3RlcA==!')).toThrow(/neither/);
  });
});

describe('parseMetrics', () => {
  it('keys numbers by the header and leaves empty cells out', () => {
    const rows = parseMetrics(`${HEADER}\n1,1.9,0.5,,,,,\n2,1.8,0.6,2.0,0.5,,2.1,0.45\n`);
    expect(rows).toEqual([
      { step: 1, train_loss: 1.9, train_accuracy: 0.5 },
      {
        step: 2,
        train_loss: 1.8,
        train_accuracy: 0.6,
        valid_loss: 2,
        valid_mean_token_accuracy: 0.5,
        full_valid_loss: 2.1,
        full_valid_mean_token_accuracy: 0.45,
      },
    ]);
  });

  it('tolerates CRLF, a BOM, blank lines, unknown and missing columns, and non-numbers', () => {
    const text = '\uFEFFstep,train_loss,extra_metric\r\n1,0.5,7\r\n\r\n2,NaN\r\n3, 0.25 ,abc\r\nx,1,1\r\n';
    expect(parseMetrics(text)).toEqual([
      { step: 1, train_loss: 0.5, extra_metric: 7 },
      { step: 2 },
      { step: 3, train_loss: 0.25 },
    ]);
  });

  it('finds nothing without a step column or rows', () => {
    expect(parseMetrics('')).toEqual([]);
    expect(parseMetrics(`${HEADER}\n`)).toEqual([]);
    expect(parseMetrics('loss\n1\n2\n')).toEqual([]);
  });
});

describe('lossChart', () => {
  it('is undefined with fewer than two training losses', () => {
    expect(lossChart([])).toBeUndefined();
    expect(lossChart([{ step: 1, train_loss: 1 }])).toBeUndefined();
    expect(lossChart([{ step: 1, train_loss: 1 }, { step: 2, valid_loss: 1 }, { step: 3 }])).toBeUndefined();
  });

  it('draws only the training line, with its note, when there is no validation loss', async () => {
    const chart = lossChart([
      { step: 1, train_loss: 2.5 },
      { step: 2, train_loss: 1.25 },
      { step: 3, train_loss: 0.5 },
    ])!;
    expect(chartOf(chart)).toEqual({ x: [1, 3], y: [0.4, 2.6], lines: [[2.5, 1.25, 0.5]] });
    expect(chart.split('\n').at(-1)).toBe('Blue line: training loss.');
    await mermaid.parse(diagramOf(chart));
  });

  it('carries the last validation loss forward, starting flat at the first measurement', () => {
    const rows = steps(6, (s) => ({ train_loss: s, ...(s === 3 || s === 5 ? { valid_loss: 10 * s } : {}) }));
    const chart = lossChart(rows)!;
    expect(chartOf(chart).lines).toEqual([
      [1, 2, 3, 4, 5, 6],
      [30, 30, 30, 30, 50, 50],
    ]);
    expect(chart).toMatch(/\(first measured at step 3\)\.$/);
    const fromTheStart = lossChart(steps(3, (s) => ({ train_loss: s, valid_loss: s + 1 })))!;
    expect(chartOf(fromTheStart).lines[1]).toEqual([2, 3, 4]);
    expect(fromTheStart).toMatch(/: validation loss as last measured\.$/);
  });

  it('takes validation from rows that were not kept when downsampling', () => {
    // Only step 2 has a validation loss, and only steps 1, 3 and 5 can be kept.
    const rows = steps(5, (s) => ({ train_loss: s, ...(s === 2 ? { valid_loss: 7 } : {}) }));
    expect(chartOf(lossChart(rows, 3)!).lines).toEqual([
      [1, 3, 5],
      [7, 7, 7],
    ]);
  });

  it('keeps a 10,000-step job to maxPoints evenly spread steps, the first and last included', async () => {
    // train_loss = step / 1000 survives 4-digit rounding, so each point tells its step.
    const rows = steps(10_000, (s) => ({
      train_loss: s / 1000,
      ...(s % 50 === 0 ? { valid_loss: s / 900 } : {}),
    }));
    const chart = lossChart(rows)!;
    const { x, lines } = chartOf(chart);
    const kept = lines[0].map((v) => Math.round(v * 1000));
    expect(x).toEqual([1, 10_000]);
    expect(kept).toHaveLength(100);
    expect(lines[1]).toHaveLength(100);
    expect([kept[0], kept.at(-1)]).toEqual([1, 10_000]);
    const gaps = kept.slice(1).map((step, i) => step - kept[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(102);
    expect(chart.length).toBeLessThan(2000);
    await mermaid.parse(diagramOf(chart));

    for (const maxPoints of [2, 3, 7]) {
      const few = chartOf(lossChart(rows, maxPoints)!).lines[0];
      expect(few).toHaveLength(maxPoints);
      expect([few[0], few.at(-1)]).toEqual([0.001, 10]);
    }
    expect(() => lossChart(rows, 1)).toThrow(RangeError);
  });

  it('sorts rows and puts each point at its step even when rows are unevenly spaced', () => {
    // 90 rows crowd the first 90 of 1000 steps; the linear x-axis spaces points evenly, so the
    // points must be the rows nearest evenly spaced steps, not simply every row.
    const rows = [
      ...steps(90, (s) => ({ train_loss: s })),
      ...[1000, 500, 750].map((s) => ({ step: s, train_loss: s })),
    ];
    expect(chartOf(lossChart(rows, 5)!).lines[0]).toEqual([1, 90, 500, 750, 1000]);
    const all = chartOf(lossChart(rows)!).lines[0];
    expect(all).toHaveLength(rows.length);
    // Point 46 of 93 sits at step 1 + 46 * 999 / 92 = 500.5.
    expect(all[46]).toBe(500);
    expect(all.filter((v) => v === 90).length).toBeGreaterThan(1);
  });

  it('holds every value inside the y range, not below 0 unless a value is, in plain decimals Mermaid accepts', async () => {
    const cases: MetricRow[][] = [
      [
        { step: 1, train_loss: 1.234e-7 },
        { step: 2, train_loss: 5e-9, valid_loss: 3e-8 },
      ],
      [
        { step: 1, train_loss: 0.7 },
        { step: 2, train_loss: 0.7 },
      ],
      [
        { step: 1, train_loss: 0 },
        { step: 2, train_loss: 0 },
      ],
      [
        { step: 1, train_loss: 1000.51 },
        { step: 2, train_loss: 1000.62 },
      ],
      [
        { step: 1, train_loss: 0.3 },
        { step: 2, train_loss: -0.2 },
      ],
      [
        { step: 1, train_loss: 12345.678 },
        { step: 200_000, train_loss: 0.00012 },
      ],
    ];
    for (const rows of cases) {
      const chart = lossChart(rows)!;
      const { y, lines } = chartOf(chart);
      const values = lines.flat();
      expect(diagramOf(chart)).not.toMatch(/\d[eE][-+]?\d/);
      if (Math.min(...values) >= 0) expect(y[0]).toBeGreaterThanOrEqual(0);
      expect(y[1]).toBeGreaterThan(y[0]);
      for (const value of values) {
        expect(value).toBeGreaterThanOrEqual(y[0]);
        expect(value).toBeLessThanOrEqual(y[1]);
      }
      await mermaid.parse(diagramOf(chart));
    }
  });
});

describe("the local server's result file", () => {
  /** Polls `read` until `done` holds, as the API gives no way to wait for a file or a job. */
  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    for (const deadline = Date.now() + 5000; ;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`still not done: ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('decodes, parses and charts to something Mermaid accepts', async () => {
    const api = await startServer({
      fileProcessingMs: 10,
      jobPlan: { validatingMs: 20, queuedMs: 20, runningMs: 100, totalSteps: 250 },
    });
    try {
      const client = new OpenAI({ apiKey: api.apiKey, baseURL: api.url, maxRetries: 0 });
      const upload = async (name: string) => {
        const lines = Array.from({ length: 10 }, (_, i) =>
          JSON.stringify({
            messages: [
              { role: 'user', content: `What is ${i} + ${i}?` },
              { role: 'assistant', content: `${2 * i}.` },
            ],
          }),
        );
        const file = await client.files.create({
          file: await toFile(Buffer.from(lines.join('\n') + '\n'), name),
          purpose: 'fine-tune',
        });
        // A job may only name processed files.
        return until(
          () => client.files.retrieve(file.id),
          (f) => f.status !== 'uploaded',
        );
      };
      const [training, validation] = await Promise.all([upload('train.jsonl'), upload('valid.jsonl')]);
      const created = await client.fineTuning.jobs.create({
        model: 'gpt-4o-mini',
        training_file: training.id,
        validation_file: validation.id,
      });
      const job = await until(
        () => client.fineTuning.jobs.retrieve(created.id),
        (j) => ['succeeded', 'failed', 'cancelled'].includes(j.status),
      );
      expect(job.status).toBe('succeeded');

      const content = await (await client.files.content(job.result_files[0])).text();
      expect(content.startsWith('step')).toBe(false);
      const rows = parseMetrics(decodeResultFile(content));
      expect(rows).toHaveLength(250);
      expect(rows.filter((row) => row.valid_loss !== undefined).length).toBeGreaterThan(0);

      const chart = lossChart(rows)!;
      const { x, lines } = chartOf(chart);
      expect(x).toEqual([1, 250]);
      expect(lines.map((line) => line.length)).toEqual([100, 100]);
      await expect(mermaid.parse(diagramOf(chart))).resolves.toMatchObject({ diagramType: 'xychart' });
      expect(api.contractViolations).toEqual([]);
    } finally {
      await api.close();
    }
  });
});
