import { countTokens as cl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildMethod } from '../../src/inputs/method.js';
import { methodProblem, modelRules, unknownModelMessage } from '../../src/data/models.js';
import { preflight, type DataReport } from '../../src/data/preflight.js';
import { trainingPrice } from '../../src/data/prices.js';
import { captureStdout } from '../helpers/capture.js';
import { CASES, corpusPath, GRADER, missing, type CorpusCase } from '../helpers/corpus.js';

// Each case of the fixture corpus through the check as the action runs it: the model's rules and
// price from the tables, then preflight on the files, with what the user would see in the log.

type Json = Record<string, unknown>;
type Count = (text: string) => number;

const TRAINING = 'data/train.jsonl';
const VALIDATION = 'data/valid.jsonl';

let stdout: ReturnType<typeof captureStdout>;
beforeEach(() => {
  stdout = captureStdout();
});
afterEach(() => stdout.restore());

async function check(corpusCase: CorpusCase) {
  const method = corpusCase.method ?? 'supervised';
  const rules = modelRules(corpusCase.model, corpusCase.provider ?? 'openai');
  // What readFineTune checks of the model before any data is read, in its order.
  expect(methodProblem(rules, method)).toBeUndefined();
  const warnings = [unknownModelMessage(rules)].filter((w): w is string => w !== undefined);
  const price = trainingPrice(rules);
  let report: DataReport | undefined;
  let error: Error | undefined;
  try {
    report = await preflight({
      validate: true,
      training: { kind: 'path', path: corpusPath(corpusCase.training), given: TRAINING },
      ...(corpusCase.validation
        ? { validation: { kind: 'path', path: corpusPath(corpusCase.validation), given: VALIDATION } }
        : {}),
      job: {
        model: corpusCase.model,
        method: buildMethod(method, undefined, method === 'reinforcement' ? GRADER : undefined),
      },
      modelRules: rules,
      ...(price ? { price } : {}),
    });
  } catch (thrown) {
    error = thrown as Error;
  }
  const lines = stdout.text().split(/\r?\n/);
  warnings.push(...lines.filter((l) => l.startsWith('::warning')));
  return { report, error, warnings, errors: lines.filter((l) => l.startsWith('::error')) };
}

/** OpenAI's chat counting recipe, written apart from src; tool calls as their JSON, as the check documents. */
function messagesRecipe(example: Json, count: Count): number {
  const text = (content: unknown) =>
    typeof content === 'string'
      ? content
      : Array.isArray(content)
        ? (content as Json[])
            .map((p) => (p.type === 'text' ? p.text : p.type === 'refusal' ? p.refusal : ''))
            .join('')
        : '';
  return (example.messages as Json[]).reduce(
    (sum, m) =>
      sum +
      3 +
      count(m.role as string) +
      count(text(m.content)) +
      (m.tool_calls ? count(JSON.stringify(m.tool_calls)) : 0),
    3,
  );
}

const examplesOf = (file: string) =>
  readFileSync(corpusPath(file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Json);

describe('the fixture corpus through the check the action runs', () => {
  for (const corpusCase of CASES) {
    const absent = missing(corpusCase);
    const { expected } = corpusCase;
    it.skipIf(absent)(
      `${corpusCase.name}: ${expected.valid ? 'valid' : 'refused'}${absent ? ` (skipped: ${absent})` : ''}`,
      async () => {
        const run = await check(corpusCase);
        expect(run.warnings).toHaveLength(expected.warnings.length);
        expected.warnings.forEach((text, i) => expect(run.warnings[i]).toContain(text));
        if (!expected.valid) {
          expect(run.report).toBeUndefined();
          const where = expected.error.line ? `line ${expected.error.line} ` : '';
          expect(run.error?.message).toContain(
            `Input 'training-file' (${TRAINING}) has ${expected.problems} ${expected.problems === 1 ? 'problem' : 'problems'}; the first: ${where}${expected.error.includes}`,
          );
          // The first error is also an annotation on its line (or on the file, for line 0).
          expect(run.errors[0]).toContain(
            expected.error.line
              ? `,line=${expected.error.line}::line ${expected.error.line} `
              : `::${TRAINING} `,
          );
          expect(run.errors[0]).toContain(expected.error.includes);
          return;
        }
        expect(run.error).toBeUndefined();
        const files = run.report!.files;
        expect(files.map((f) => f.report.examples)).toEqual(
          [expected.training, expected.validation].filter((e) => e !== undefined).map((e) => e.examples),
        );
        for (const [file, wanted] of files.map(
          (f, i) => [f.report, i === 0 ? expected.training : expected.validation!] as const,
        )) {
          expect(file.errorCount).toBe(0);
          // Small files: every example counted, nothing estimated.
          expect(file.tokens.exactlyCounted).toBe(file.examples);
          if (wanted.tokens !== undefined) expect(file.tokens.total).toBe(wanted.tokens);
          if (wanted.min !== undefined) expect(file.tokens.min).toBe(wanted.min);
          if (wanted.max !== undefined) expect(file.tokens.max).toBe(wanted.max);
          if (wanted.images !== undefined) expect(file.images).toBe(wanted.images);
        }
      },
    );
  }
});

describe("the corpus's token counts, against counts made apart from the check", () => {
  const byName = (name: string) => CASES.find((c) => c.name === name)!;
  const drone = byName("supervised with tools (the cookbook's drone set)");
  const vision = byName('images for gpt-4o-2024-08-06');

  it.skipIf(missing(drone))(
    "the drone set: its messages by the recipe, plus the cookbook's 47,895 for its tools, plus the schema keywords the cookbook's method leaves out",
    async () => {
      const { report } = await check(drone);
      const examples = examplesOf(drone.training);
      const messages = examples.reduce((sum, e) => sum + messagesRecipe(e, o200k), 0);
      // The cookbook's num_tokens_for_tools reads only type, description and enum of a property; the
      // check counts any other keyword (here `minimum`) as its JSON text rather than drop it.
      let keywords = 0;
      for (const example of examples) {
        for (const tool of example.tools as Json[]) {
          const properties = ((tool.function as Json).parameters as Json).properties as Record<string, Json>;
          for (const property of Object.values(properties)) {
            const { type: _t, description: _d, enum: _e, ...rest } = property;
            if (Object.keys(rest).length > 0) keywords += o200k(JSON.stringify(rest));
          }
        }
      }
      const total = report!.files[0].report.tokens.total;
      expect(drone.expected.valid && drone.expected.training.toolTokens).toBe(47_895);
      expect(total).toBe(messages + 47_895 + keywords);
      // Which keywords those are, so that a change in the drone set is noticed here.
      expect(keywords).toBe(103 * o200k('{"minimum":0}'));
    },
  );

  it('the vision set: its text by the recipe, plus each image by the tile rule', async () => {
    const { report } = await check(vision);
    const text = examplesOf(vision.training).reduce((sum, e) => sum + messagesRecipe(e, o200k), 0);
    // 3 low-detail images at 85; 2 high-detail 1x1 at one tile (170 + 85); 5 high-detail 600x400,
    // which span 2 x 1 tiles of 512 px (2 x 170 + 85).
    const images = 3 * 85 + 2 * (170 + 85) + 5 * (2 * 170 + 85);
    expect(vision.expected.valid && vision.expected.training.imageTokens).toBe(images);
    expect(report!.files[0].report.tokens.total).toBe(text + images);
  });

  it.skipIf(missing(byName('the toy chat set as a validation file, counted with o200k_base')))(
    'the toy chat set: 8,233 tokens with o200k_base and 8,242 with cl100k_base, as the cookbook counts them',
    () => {
      const toy = examplesOf('shared:cookbook-toy-chat.jsonl');
      expect(toy.reduce((sum, e) => sum + messagesRecipe(e, o200k), 0)).toBe(8_233);
      expect(toy.reduce((sum, e) => sum + messagesRecipe(e, cl100k), 0)).toBe(8_242);
    },
  );
});
