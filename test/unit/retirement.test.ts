import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RETIREMENTS, RETIREMENTS_CHECKED, type ScheduledProvider } from '../../src/facts/retirements.js';
import { modelRules } from '../../src/data/models.js';
import { MODEL_TABLES } from '../../src/facts/models.js';
import {
  WARN_DAYS,
  fineTunedRetiresOn,
  retiredModelRefusal,
  retirementNotice,
} from '../../src/data/retirement.js';

// Every test passes its own clock: nothing here reads today's date.
const at = (day: string): Date => new Date(`${day}T00:00:00Z`);
const daysBefore = (day: string, days: number): Date => new Date(at(day).getTime() - days * 86_400_000);

describe('the retirement notice', () => {
  it('warns of gpt-4o-mini on OpenAI with the end of training and of serving, and says what to do', () => {
    const notice = retirementNotice(modelRules('gpt-4o-mini-2024-07-18', 'openai'), at('2026-12-04'));
    expect(notice).toMatchObject({ retired: false, retiresOn: '2027-01-14' });
    expect(notice?.warning).toContain('OpenAI stops training it on 2027-01-06 (in 33 days)');
    expect(notice?.warning).toContain('the model this run makes stops serving on 2027-01-14 (in 41 days)');
    expect(notice?.warning).toContain('"Moving to Azure OpenAI"');
    // The same snapshot on Azure, with Azure's own dates, is the way out.
    expect(notice?.warning).toContain(
      'which stops training gpt-4o-mini-2024-07-18 no earlier than 2027-04-01',
    );
    expect(notice?.warning).toContain('until 2027-10-01');
    expect(notice?.warning).toContain(`checked ${RETIREMENTS_CHECKED}`);
  });

  it("finds the snapshot behind an alias and behind a fine-tuned model's name", () => {
    for (const model of ['gpt-4o-mini', 'ft:gpt-4o-mini-2024-07-18:acme::AbC123']) {
      expect(retirementNotice(modelRules(model, 'openai'), at('2026-12-04'))?.retiresOn, model).toBe(
        '2027-01-14',
      );
    }
  });

  it('says a retired base model is retired, with its date, and never stops the run', () => {
    const notice = retirementNotice(modelRules('gpt-3.5-turbo-0125', 'openai'), at('2026-12-04'));
    expect(notice?.retired).toBe(true);
    expect(notice?.warning).toMatch(
      /^gpt-3\.5-turbo-0125 is retired: OpenAI stopped fine-tuning it on 2026-10-23/,
    );
    expect(notice?.warning).toContain('The job is still sent');
    expect(notice?.warning).toContain('OpenAI names gpt-4.1-mini as its replacement');
  });

  it("uses Azure's own dates on Azure", () => {
    const rules = modelRules('gpt-4o-mini-2024-07-18.ft-0123456789abcdef0123456789abcdef', 'azure');
    expect(retirementNotice(rules, at('2026-12-04'))).toEqual({ retired: false, retiresOn: '2027-10-01' });
    const notice = retirementNotice(rules, at('2027-02-01'));
    expect(notice?.warning).toMatch(
      /^gpt-4o-mini-2024-07-18 on Azure OpenAI: Azure OpenAI stops training it no earlier than 2027-04-01 \(in 59 days; for customers who trained it before/,
    );
    expect(notice?.warning).toContain('names no replacement yet');
    const nano = retirementNotice(modelRules('gpt-4.1-nano-2025-04-14', 'azure'), at('2027-08-01'));
    expect(nano).toMatchObject({ retired: true, retiresOn: '2027-10-14' });
    expect(nano?.warning).toMatch(/^gpt-4\.1-nano-2025-04-14 may be retired: /);
    expect(nano?.warning).toContain(
      'Azure OpenAI may no longer fine-tune it: it was to stop no earlier than 2027-04-14',
    );
    expect(nano?.warning).toContain('the model this run makes stops serving on 2027-10-14 (in 74 days)');
  });

  it('says nothing of a model without a schedule, or of a compatible provider', () => {
    expect(retirementNotice(modelRules('my-own-model', 'openai'), at('2026-12-04'))).toBeUndefined();
    expect(
      retirementNotice(modelRules('gpt-4o-mini-2024-07-18', 'compatible'), at('2026-12-04')),
    ).toBeUndefined();
    // A known model whose dates nobody has published: no warning and no date.
    expect(retirementNotice(modelRules('gpt-3.5-turbo-1106', 'openai'), at('2026-12-04'))).toEqual({
      retired: false,
    });
  });

  it('names the same dates on every day from the check on, so an end-to-end run can rely on them', () => {
    for (let day = 0; day < 3 * 366; day += 1) {
      const now = new Date(at(RETIREMENTS_CHECKED).getTime() + day * 86_400_000);
      const mini = retirementNotice(modelRules('gpt-4o-mini-2024-07-18', 'openai'), now)?.warning;
      expect(mini, now.toISOString()).toContain('2027-01-06');
      expect(mini, now.toISOString()).toContain('2027-01-14');
      expect(retirementNotice(modelRules('gpt-3.5-turbo-0125', 'openai'), now)?.warning).toContain(
        '2026-10-23',
      );
    }
  });

  it(`warns ${WARN_DAYS} days ahead and not a day before`, () => {
    const rules = modelRules('gpt-4.1-2025-04-14', 'openai');
    const training = RETIREMENTS.openai.find((row) => row.model === 'gpt-4.1-2025-04-14')!.trainingEnds!;
    expect(retirementNotice(rules, daysBefore(training, 91))?.warning).toBeUndefined();
    expect(retirementNotice(rules, daysBefore(training, 90))?.warning).toContain('(in 90 days)');
    expect(retirementNotice(rules, daysBefore(training, 89))?.warning).toContain('(in 89 days)');
  });
});

describe('a refusal of a retired base model', () => {
  it('is explained with the date', () => {
    const rules = modelRules('gpt-3.5-turbo-0125', 'openai');
    const explanation = retiredModelRefusal(
      rules,
      { status: 400, code: 'model_not_found' },
      at('2026-12-04'),
    );
    expect(explanation).toMatch(/^gpt-3\.5-turbo-0125: OpenAI stopped fine-tuning it on 2026-10-23/);
  });

  it('is not blamed on the retirement before its date, or for a refusal of another kind', () => {
    const rules = modelRules('gpt-3.5-turbo-0125', 'openai');
    expect(retiredModelRefusal(rules, { status: 400, code: null }, at('2026-10-22'))).toBeUndefined();
    expect(
      retiredModelRefusal(rules, { status: 429, code: 'insufficient_quota' }, at('2026-12-04')),
    ).toBeUndefined();
    expect(retiredModelRefusal(rules, { status: 401, code: null }, at('2026-12-04'))).toBeUndefined();
  });

  it("names OpenAI's wind-down when OpenAI says the organisation may no longer train", () => {
    const rules = modelRules('gpt-4.1-2025-04-14', 'openai');
    const explanation = retiredModelRefusal(
      rules,
      { status: 403, code: 'training_not_available' },
      at('2026-08-01'),
    );
    expect(explanation).toContain('2027-01-06');
    expect(explanation).toContain('"Moving to Azure OpenAI"');
    // Through a gateway in front of OpenAI the same refusal arrives; Azure has no such code.
    const gateway = modelRules('gpt-4.1-2025-04-14', 'compatible');
    expect(
      retiredModelRefusal(gateway, { status: 403, code: 'training_not_available' }, at('2026-08-01')),
    ).toBe(explanation);
    const azure = modelRules('gpt-4.1-2025-04-14', 'azure');
    expect(
      retiredModelRefusal(azure, { status: 403, code: 'training_not_available' }, at('2026-08-01')),
    ).toBeUndefined();
  });
});

describe('the day a fine-tuned model stops serving', () => {
  it("is its base model's, whatever the clock, for the plan's last model too", () => {
    expect(fineTunedRetiresOn(modelRules('ft:gpt-4.1-mini-2025-04-14:acme:nightly:XyZ789', 'openai'))).toBe(
      '2027-01-14',
    );
    expect(fineTunedRetiresOn(modelRules('gpt-4.1-2025-04-14.ft-0123456789abcdef', 'azure'))).toBe(
      '2027-10-14',
    );
    expect(fineTunedRetiresOn(modelRules('babbage-002', 'openai'))).toBeUndefined();
    expect(fineTunedRetiresOn(modelRules('gpt-4o-mini-2024-07-18', 'compatible'))).toBeUndefined();
  });
});

describe('the retirement table', () => {
  const providers = Object.keys(RETIREMENTS) as ScheduledProvider[];
  const iso = /^\d{4}-\d{2}-\d{2}$/;

  it('names only snapshots of the model table, each once, with ISO dates and a source', () => {
    for (const provider of providers) {
      const names = RETIREMENTS[provider].map((row) => row.model);
      expect(new Set(names).size, provider).toBe(names.length);
      for (const row of RETIREMENTS[provider]) {
        expect(
          MODEL_TABLES[provider].map((m) => m.name),
          row.model,
        ).toContain(row.model);
        expect(row.source).toMatch(/^https:\/\//);
        for (const date of [row.trainingEnds, row.servingEnds, row.notice]) {
          if (date !== undefined) expect(date).toMatch(iso);
        }
      }
    }
  });

  it('has a row for every snapshot each provider fine-tunes, so an unknown date is said, not missed', () => {
    for (const provider of providers) {
      expect(RETIREMENTS[provider].map((row) => row.model).sort()).toEqual(
        MODEL_TABLES[provider].map((row) => row.name).sort(),
      );
    }
  });

  it('is listed in docs/retirements.md, row by row', () => {
    const docs = readFileSync(path.join(import.meta.dirname, '../../docs/retirements.md'), 'utf8');
    for (const provider of providers) {
      const heading = provider === 'openai' ? '## OpenAI' : '## Azure OpenAI';
      const section = docs.slice(docs.indexOf(heading)).split('\n## ')[0];
      const rows = section
        .split('\n')
        .filter((line) => line.startsWith('| `'))
        .map((line) =>
          line
            .split('|')
            .slice(1, -1)
            .map((cell) => cell.trim()),
        );
      expect(
        rows.map(([model]) => model),
        provider,
      ).toEqual(RETIREMENTS[provider].map((row) => `\`${row.model}\``));
      for (const [model, training, serving, notice, replacement, confirmed] of rows) {
        const row = RETIREMENTS[provider].find((r) => `\`${r.model}\`` === model)!;
        const trainingCell = row.trainingEnds
          ? `${row.trainingNoEarlierThan ? 'no earlier than ' : ''}${row.trainingEnds}`
          : 'unknown';
        expect(training, model).toBe(trainingCell);
        expect(serving, model).toBe(row.servingEnds ?? 'unknown');
        expect(notice, model).toBe(row.notice ?? '');
        expect(replacement, model).toBe(row.replacement ? `\`${row.replacement}\`` : '');
        expect(confirmed, model).toBe(row.confirmed ? 'yes' : 'no');
      }
    }
    expect(docs).toContain(`Checked on ${RETIREMENTS_CHECKED}`);
  });
});
