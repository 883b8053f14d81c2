import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT, runAction } from '../../tools/run-action.ts';
import { CASES, corpusPath, GRADER, missing, type CorpusCase } from '../helpers/corpus.ts';
import { closeLocalApi, connect, startLocalApi } from './local-api.ts';

// Cases of the fixture corpus through the committed bundles: the command-line validator and the
// action against the local API must say the same of it, in the same words, and what they say must
// be the case's expected result. Each case has its own local API, so that cases run side by side
// and "nothing was uploaded" is that API's own record.
//
// Both bundles run the same check (src/data/preflight.ts), which test/unit/corpus.test.ts holds to
// every case in-process; here a few cases, one of each kind of outcome and input, show that the
// bundles print and refuse alike. `E2E_CORPUS=all` runs every case through them.
const THROUGH_THE_BUNDLES = new Set([
  'supervised chat',
  'the toy chat set as a validation file, counted with o200k_base',
  "reinforcement with the grader's item field",
  'bytes that are not UTF-8',
  'a byte-order mark',
  'a model the check does not know',
]);
const cases = process.env.E2E_CORPUS === 'all' ? CASES : CASES.filter((c) => THROUGH_THE_BUNDLES.has(c.name));

const TRAINING = 'data/train.jsonl';
const VALIDATION = 'data/valid.jsonl';

/** A workspace holding the case's files where the action and the validator both read them from. */
function workspace(corpusCase: CorpusCase): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'corpus-'));
  mkdirSync(path.join(dir, 'data'));
  // Copied as bytes: the BOM and the invalid UTF-8 must reach both as they are in the corpus.
  copyFileSync(corpusPath(corpusCase.training), path.join(dir, TRAINING));
  if (corpusCase.validation) copyFileSync(corpusPath(corpusCase.validation), path.join(dir, VALIDATION));
  return dir;
}

async function cli(corpusCase: CorpusCase, cwd: string) {
  const args = [
    path.join(ROOT, 'dist/validate/index.js'),
    TRAINING,
    '--model',
    corpusCase.model,
    '--method',
    corpusCase.method ?? 'supervised',
    '--provider',
    corpusCase.provider ?? 'openai',
    ...(corpusCase.validation ? ['--validation', VALIDATION] : []),
    ...(corpusCase.method === 'reinforcement' ? ['--grader', JSON.stringify(GRADER)] : []),
    // The action's annotations, word for word, rather than lines for a terminal.
    '--format',
    'github',
  ];
  return promisify(execFile)(process.execPath, args, { cwd }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}

/**
 * The annotations a run page shows: each error and warning on a file or line, and the unknown
 * model. A model's retirement is the action's to warn of, not the data check's, so it is left out.
 */
const annotations = (log: string) =>
  log
    .split(/\r?\n/)
    .filter(
      (l) => /^::(error|warning) title=/.test(l) && !l.startsWith('::warning title=Model retirement::'),
    );

async function both(corpusCase: CorpusCase) {
  const dir = workspace(corpusCase);
  const api = await startLocalApi();
  try {
    const method = corpusCase.method ?? 'supervised';
    const [action, printed] = await Promise.all([
      runAction({
        workspace: dir,
        inputs: {
          ...connect(api),
          model: corpusCase.model,
          method,
          'training-file': TRAINING,
          ...(corpusCase.validation ? { 'validation-file': VALIDATION } : {}),
          ...(method === 'reinforcement' ? { grader: JSON.stringify(GRADER) } : {}),
          wait: 'false',
        },
      }),
      cli(corpusCase, dir),
    ]);
    return { action, cli: printed, requests: api.requests.length };
  } finally {
    await closeLocalApi(api);
  }
}

/** The step's failure as the action logs it and as the validator prints it, the same sentence. */
// Cases run side by side on a 2-CPU machine, where a run with two files to upload can take 30 s.
const TIMEOUT = 90_000;

const failure = (log: string) => /^::error::(Input .*)$/m.exec(log)?.[1];

describe.concurrent('the command-line validator and the action agree on the corpus', () => {
  it('runs the cases it names', () =>
    expect(cases).toHaveLength(process.env.E2E_CORPUS === 'all' ? CASES.length : THROUGH_THE_BUNDLES.size));
  for (const corpusCase of cases) {
    const absent = missing(corpusCase);
    const { expected } = corpusCase;
    const title = `${corpusCase.name}: ${expected.valid ? 'valid' : 'refused'}${absent ? ` (skipped: ${absent})` : ''}`;

    it.skipIf(absent)(
      title,
      async () => {
        const run = await both(corpusCase);
        expect(run.cli.code).toBe(expected.valid ? 0 : 1);
        // A model the check does not know passes the check, with a warning; the provider then refuses it.
        const refusedModel = `::error::HTTP 400 (model_not_available): Model ${corpusCase.model} is not available`;
        expect(run.action.code).toBe(expected.valid && !corpusCase.providerRefusesModel ? 0 : 1);
        if (corpusCase.providerRefusesModel) expect(run.action.log).toContain(refusedModel);
        expect(annotations(run.cli.stdout)).toEqual(annotations(run.action.log));

        const warnings = annotations(run.action.log).filter((l) => l.startsWith('::warning'));
        expect(warnings).toHaveLength(expected.warnings.length);
        expected.warnings.forEach((text, i) => expect(warnings[i]).toContain(text));

        if (!expected.valid) {
          const said = failure(run.action.log);
          expect(run.cli.stderr.trim()).toBe(said);
          const where = expected.error.line ? `line ${expected.error.line} ` : '';
          expect(said).toContain(
            `Input 'training-file' (${TRAINING}) has ${expected.problems} ${expected.problems === 1 ? 'problem' : 'problems'}; the first: ${where}${expected.error.includes}`,
          );
          expect(run.requests).toBe(0);
          return;
        }
        expect(run.cli.stderr).toBe('');
        expect(run.requests).toBeGreaterThan(0);
        if (!corpusCase.providerRefusesModel) expect(run.action.outputs['job-id']).toMatch(/^ftjob-/);
        const billed = /Estimated billed tokens: (?:about )?([\d,]+) /
          .exec(run.cli.stdout)?.[1]
          ?.replace(/,/g, '');
        expect(billed).toBe(run.action.outputs['estimated-billed-tokens'] || undefined);
        expect(run.cli.stdout).toContain(`${TRAINING}: ${expected.training.examples} examples;`);
      },
      TIMEOUT,
    );
  }
});
