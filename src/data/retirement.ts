import type { APIError } from 'openai/core/error';
import {
  OPENAI_NEW_JOBS_END,
  RETIREMENTS,
  RETIREMENTS_CHECKED,
  type Retirement,
  type ScheduledProvider,
} from '../facts/retirements.js';
import type { ModelRules } from './models.js';

// What a run should say about the base model's retirement: a warning when training ends, or the
// model it makes stops serving, soon; the day that model stops serving; and why a provider refused
// a job on a model it no longer trains. Dates only ever warn: providers extend them and sell
// continued access, so the provider, not this table, refuses.

/** How far ahead a retirement is warned of. */
export const WARN_DAYS = 90;

const DAY_MS = 86_400_000;

const PROVIDER_NAMES: Record<ScheduledProvider, string> = { openai: 'OpenAI', azure: 'Azure OpenAI' };

interface RetirementNotice {
  /** The warning annotation to show before anything is uploaded, when there is one. */
  warning?: string;
  /** The table says the provider no longer trains (or serves) the base model. */
  retired: boolean;
  /** The day the new fine-tuned model stops serving (YYYY-MM-DD), when the provider has said. */
  retiresOn?: string;
}

interface Scheduled {
  provider: ScheduledProvider;
  row: Retirement;
}

/** The schedule of the model's snapshot; a compatible provider's own schedule is not known. */
function scheduled(rules: ModelRules): Scheduled | undefined {
  const name = rules.info?.name;
  if (!name || rules.provider === 'compatible') return undefined;
  const row = RETIREMENTS[rules.provider].find((r) => r.model === name);
  return row && { provider: rules.provider, row };
}

/** Whole days from now until the start (UTC) of a YYYY-MM-DD day; 0 or less once it has begun. */
function daysUntil(date: string, now: Date): number {
  return Math.ceil((Date.parse(`${date}T00:00:00Z`) - now.getTime()) / DAY_MS);
}

const within = (days: number): boolean => days > 0 && days <= WARN_DAYS;

/** When training ends, said of a day still ahead, with how many days are left when given. */
function trainingEnd(row: Retirement, days?: number): string {
  const left = days === undefined ? '' : `in ${days} days; `;
  return row.trainingNoEarlierThan
    ? `no earlier than ${row.trainingEnds} (${left}for customers who trained it before, otherwise when the base model retires)`
    : `on ${row.trainingEnds}${days === undefined ? '' : ` (in ${days} days)`}`;
}

/** When training ended, said of a day that has passed: a "no earlier than" day may have been moved. */
function trainingEnded(provider: ScheduledProvider, row: Retirement): string {
  const name = PROVIDER_NAMES[provider];
  return row.trainingNoEarlierThan
    ? `${name} may no longer fine-tune it: it was to stop ${trainingEnd(row)}`
    : `${name} stopped fine-tuning it on ${row.trainingEnds}`;
}

/** What to do instead: the provider's substitute, and for OpenAI the move to Azure OpenAI. */
function whatToDo({ provider, row }: Scheduled, now: Date): string {
  if (provider === 'azure') {
    return row.replacement
      ? `Azure OpenAI names ${row.replacement} as the replacement of ${row.model}; plan to move to a model it still fine-tunes.`
      : `Azure OpenAI names no replacement yet; plan to move to a model it still fine-tunes.`;
  }
  const azure = RETIREMENTS.azure.find((r) => r.model === row.model);
  const there =
    azure?.trainingEnds && azure.servingEnds && daysUntil(azure.trainingEnds, now) > 0
      ? `, which stops training ${row.model} ${trainingEnd(azure)} and serves its fine-tuned models until ${azure.servingEnds}`
      : '';
  const replacement = row.replacement ? ` OpenAI names ${row.replacement} as its replacement.` : '';
  return `To keep fine-tuning, move to Azure OpenAI${there} (see "Moving to Azure OpenAI" in the README).${replacement}`;
}

function citation(row: Retirement): string {
  const unconfirmed = row.confirmed ? '' : "; not every date was confirmed on the provider's page";
  return `(${row.source}, checked ${RETIREMENTS_CHECKED}${unconfirmed})`;
}

/**
 * The day models fine-tuned from `rules`' base model stop serving (YYYY-MM-DD), when the provider
 * has said: for the model a run makes, and for the last one a plan compares with.
 */
export function fineTunedRetiresOn(rules: ModelRules): string | undefined {
  return scheduled(rules)?.row.servingEnds;
}

/**
 * What to tell the user before a fine-tune of `rules` at `now`: a warning when training ends or
 * the new model would stop serving within WARN_DAYS, or when the base model is already retired;
 * and the day the new model stops serving. Undefined for a model without a known schedule.
 */
export function retirementNotice(rules: ModelRules, now: Date): RetirementNotice | undefined {
  const found = scheduled(rules);
  if (!found) return undefined;
  const { provider, row } = found;
  const name = PROVIDER_NAMES[provider];
  const retiresOn = fineTunedRetiresOn(rules);
  const trainingDays = row.trainingEnds === undefined ? undefined : daysUntil(row.trainingEnds, now);
  const servingDays = retiresOn === undefined ? undefined : daysUntil(retiresOn, now);
  const retired =
    (trainingDays !== undefined && trainingDays <= 0) || (servingDays !== undefined && servingDays <= 0);
  const result = (warning?: string): RetirementNotice => ({
    ...(warning ? { warning } : {}),
    retired,
    ...(retiresOn ? { retiresOn } : {}),
  });

  const serving =
    servingDays !== undefined && within(servingDays)
      ? `the model this run makes stops serving on ${retiresOn} (in ${servingDays} days)`
      : undefined;

  if (retired) {
    const ended = [
      trainingDays !== undefined && trainingDays <= 0 ? trainingEnded(provider, row) : undefined,
      servingDays !== undefined && servingDays <= 0
        ? `its fine-tuned models stopped serving on ${retiresOn}`
        : serving,
    ].filter((part) => part !== undefined);
    // Past a "no earlier than" day, only serving having ended is certain.
    const certain = !row.trainingNoEarlierThan || (servingDays !== undefined && servingDays <= 0);
    return result(
      `${row.model} ${certain ? 'is' : 'may be'} retired: ${ended.join('; ')}. The job is still sent, since providers extend dates and sell continued access, but ${name} ${certain ? 'will most likely' : 'may'} refuse it. ${whatToDo(found, now)} ${citation(row)}`,
    );
  }

  const soon = [
    trainingDays !== undefined && within(trainingDays)
      ? `${name} stops training it ${trainingEnd(row, trainingDays)}`
      : undefined,
    serving,
  ].filter((part) => part !== undefined);
  if (soon.length === 0) return result();
  return result(`${row.model} on ${name}: ${soon.join(', and ')}. ${whatToDo(found, now)} ${citation(row)}`);
}

/** The fields of the API's refusal that say what was refused. */
type Refusal = Pick<APIError, 'status' | 'code'>;

/** Answers that refuse the request itself, as a retired model is refused; not sign-in, quota or outages. */
const REFUSING_STATUSES = new Set([400, 403, 404, 410]);

/** OpenAI's code for an organisation its fine-tuning wind-down no longer lets create jobs. */
const WOUND_DOWN = 'training_not_available';

/**
 * Why the provider refused to create the job, when the table says the base model is retired at
 * `now` (or OpenAI says its wind-down shut the organisation out): a sentence with the date, to
 * append to the API's own error. Undefined otherwise.
 */
export function retiredModelRefusal(rules: ModelRules, refusal: Refusal, now: Date): string | undefined {
  if (refusal.status === undefined || !REFUSING_STATUSES.has(refusal.status)) return undefined;
  // A gateway in front of OpenAI passes OpenAI's refusal through.
  if (rules.provider !== 'azure' && refusal.code === WOUND_DOWN) {
    return `OpenAI is winding down self-serve fine-tuning: it stopped new jobs for some organisations during 2026 and stops them for every organisation on ${OPENAI_NEW_JOBS_END}. To keep fine-tuning, move to Azure OpenAI (see "Moving to Azure OpenAI" in the README).`;
  }
  const found = scheduled(rules);
  if (!found?.row.trainingEnds || daysUntil(found.row.trainingEnds, now) > 0) return undefined;
  const { provider, row } = found;
  return `${row.model}: ${trainingEnded(provider, row)}, which is the likely reason for this refusal. ${whatToDo(found, now)} ${citation(row)}`;
}
