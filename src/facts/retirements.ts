// When each provider stops training a base model and stops serving the models fine-tuned from it.
// Providers announce these dates on their own pages and move them (later, and sometimes earlier),
// so every row names its source, the date of its notice, and whether its dates were read on that
// page (`confirmed`) or only in reports of it. Nothing here ever refuses a run: the action warns,
// and the provider decides. docs/retirements.md shows this table; a unit test keeps the two equal.
//
// A leaf module: it imports nothing of the action's, so the docs, the tests and the code read one
// table.

/** When the table was last compared with its sources. */
export const RETIREMENTS_CHECKED = '2026-12-04';

/** The providers that publish a schedule; a compatible provider's own schedule is not known. */
export type ScheduledProvider = 'openai' | 'azure';

export interface Retirement {
  /** The base model's snapshot, named as the provider's model table names it. */
  model: string;
  /** The first day the provider no longer trains this base model (YYYY-MM-DD); undefined: unknown. */
  trainingEnds?: string;
  /**
   * `trainingEnds` is the provider's "no earlier than": the earliest day training may end, for
   * customers who trained the model before (Azure's wording).
   */
  trainingNoEarlierThan?: boolean;
  /** The first day the models fine-tuned from it no longer answer (YYYY-MM-DD); undefined: unknown. */
  servingEnds?: string;
  /** The day the provider announced these dates, when it says. */
  notice?: string;
  /** The model the provider names in its place, when it names one. */
  replacement?: string;
  source: string;
  /** Every date in the row was read on the provider's own page (or a verbatim copy of it). */
  confirmed: boolean;
  /** What the row rests on, where that is not the source alone. */
  note?: string;
}

const OPENAI_DEPRECATIONS = 'https://developers.openai.com/api/docs/deprecations';
const AZURE_SCHEDULE =
  'https://learn.microsoft.com/azure/foundry/openai/concepts/model-retirement-schedule#fine-tuned-models';
const OPENAI_LEGACY_GUIDE = 'https://platform.openai.com/docs/guides/legacy-fine-tuning';

/**
 * OpenAI's wind-down of self-serve fine-tuning (notice of 2026-05-07): from this day no
 * organisation creates new fine-tuning jobs, whatever the base model; fine-tuned models keep
 * answering until their base model shuts down.
 */
export const OPENAI_NEW_JOBS_END = '2027-01-06';
const WIND_DOWN =
  'the 2027-01-06 end of new jobs (notice of 2026-05-07) is quoted consistently by reports of the page; the stored copies of the page itself break off before the date';

// The 2026-10-14 notice: these snapshots shut down on 2027-01-14, "fine-tuned versions of these
// models follow the same shutdown schedule"; training ends earlier, with the wind-down.
const OPENAI_2027 = {
  trainingEnds: OPENAI_NEW_JOBS_END,
  servingEnds: '2027-01-14',
  notice: '2026-10-14',
  replacement: 'gpt-6-luna',
  source: OPENAI_DEPRECATIONS,
  confirmed: false,
  note: `2027-01-14 and gpt-6-luna read on the page (2026-10-14 notice); ${WIND_DOWN}`,
} as const;

const OPENAI: readonly Retirement[] = [
  { model: 'gpt-4o-2024-08-06', ...OPENAI_2027 },
  { model: 'gpt-4o-mini-2024-07-18', ...OPENAI_2027 },
  { model: 'gpt-4.1-2025-04-14', ...OPENAI_2027 },
  { model: 'gpt-4.1-mini-2025-04-14', ...OPENAI_2027 },
  // The 2026-04-22 notice ("Legacy GPT model snapshots"): shutdown 2026-10-23. Fine-tuned models
  // answer only until their base model shuts down (the 2026-05-07 notice).
  {
    model: 'gpt-3.5-turbo-0125',
    trainingEnds: '2026-10-23',
    servingEnds: '2026-10-23',
    notice: '2026-04-22',
    replacement: 'gpt-4.1-mini',
    source: OPENAI_DEPRECATIONS,
    confirmed: true,
    note: 'shutdown date and substitute read in a verbatim copy of the page (2026-04-22 entry)',
  },
  {
    model: 'gpt-4-0613',
    trainingEnds: '2026-10-23',
    servingEnds: '2026-10-23',
    notice: '2026-04-22',
    source: OPENAI_DEPRECATIONS,
    confirmed: true,
    note: 'shutdown date read in a verbatim copy of the page (2026-04-22 entry); its substitute was cut off there',
  },
  {
    model: 'gpt-4.1-nano-2025-04-14',
    trainingEnds: '2026-10-23',
    servingEnds: '2026-10-23',
    source: OPENAI_DEPRECATIONS,
    confirmed: false,
    note: 'reported as shut down on 2026-10-23; not found on a copy of the page',
  },
  {
    model: 'o4-mini-2025-04-16',
    trainingEnds: '2026-10-23',
    servingEnds: '2026-10-23',
    source: OPENAI_DEPRECATIONS,
    confirmed: false,
    note: 'reported as shut down on 2026-10-23; not found on a copy of the page',
  },
  {
    model: 'gpt-3.5-turbo-1106',
    source: OPENAI_DEPRECATIONS,
    confirmed: false,
    note: 'no date found',
  },
  // The 2023-11-06 notice: the base model shut down on 2024-06-13 and no new fine-tunes could be
  // made from it; models already fine-tuned were "not affected", with no end date given.
  {
    model: 'gpt-3.5-turbo-0613',
    trainingEnds: '2024-06-13',
    notice: '2023-11-06',
    replacement: 'gpt-3.5-turbo-1106',
    source: OPENAI_DEPRECATIONS,
    confirmed: true,
    note: 'read in a copy of the page (2023-11-06 entry); when its fine-tuned models stop serving is not stated',
  },
  {
    model: 'babbage-002',
    trainingEnds: '2024-10-28',
    source: OPENAI_LEGACY_GUIDE,
    confirmed: false,
    note: 'new fine-tuning reported as ended on 2024-10-28; when its fine-tuned models stop serving is not stated',
  },
  {
    model: 'davinci-002',
    trainingEnds: '2024-10-28',
    source: OPENAI_LEGACY_GUIDE,
    confirmed: false,
    note: 'new fine-tuning reported as ended on 2024-10-28; when its fine-tuned models stop serving is not stated',
  },
];

// Microsoft's schedule (page dated 2026-09-02): "training retires no earlier than" the date for
// existing customers ("otherwise, training retirement occurs at base model retirement"), and
// deployments of fine-tuned models stop on the second date.
const AZURE_FOOTNOTE = "training date for existing customers; for others, at the base model's retirement";
const AZURE: readonly Retirement[] = [
  ...['gpt-4.1-2025-04-14', 'gpt-4.1-mini-2025-04-14', 'gpt-4.1-nano-2025-04-14'].map((model) => ({
    model,
    trainingEnds: '2027-04-14',
    trainingNoEarlierThan: true,
    servingEnds: '2027-10-14',
    source: AZURE_SCHEDULE,
    confirmed: true,
    note: AZURE_FOOTNOTE,
  })),
  {
    model: 'gpt-4o-2024-08-06',
    trainingEnds: '2027-04-01',
    trainingNoEarlierThan: true,
    servingEnds: '2027-10-01',
    replacement: 'gpt-5.1',
    source: AZURE_SCHEDULE,
    confirmed: true,
    note: AZURE_FOOTNOTE,
  },
  {
    model: 'gpt-4o-mini-2024-07-18',
    trainingEnds: '2027-04-01',
    trainingNoEarlierThan: true,
    servingEnds: '2027-10-01',
    source: AZURE_SCHEDULE,
    confirmed: true,
    note: AZURE_FOOTNOTE,
  },
  {
    model: 'o4-mini-2025-04-16',
    trainingEnds: '2027-04-16',
    trainingNoEarlierThan: true,
    servingEnds: '2027-10-16',
    source: AZURE_SCHEDULE,
    confirmed: true,
    note: AZURE_FOOTNOTE,
  },
  // Earlier versions of the schedule: training and deployment of fine-tuned gpt-35-turbo end at
  // the base model's retirement, given as 2025-11-14; the current schedule no longer lists them.
  ...['gpt-35-turbo-0125', 'gpt-35-turbo-1106'].map((model) => ({
    model,
    trainingEnds: '2025-11-14',
    servingEnds: '2025-11-14',
    replacement: 'gpt-4.1-mini',
    source: AZURE_SCHEDULE,
    confirmed: false,
    note: 'from versions of the schedule of 2025 (base retirement 2025-11-14; fine-tuned deployments retire with training); not on the current page',
  })),
  ...['gpt-35-turbo-0613', 'babbage-002', 'davinci-002'].map((model) => ({
    model,
    source: AZURE_SCHEDULE,
    confirmed: false,
    note: 'no date found',
  })),
];

export const RETIREMENTS: Record<ScheduledProvider, readonly Retirement[]> = {
  openai: OPENAI,
  azure: AZURE,
};
