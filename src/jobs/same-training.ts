import type { FineTuningJob, JobSettings } from '../api/client.js';

// Tags say what a job was made for, but anyone who can make jobs in the same OpenAI project or
// Azure resource can copy them onto a job of their own. Before a job is reused, its own fields
// (which the API sets from what the job really trains) must agree with the settings too.

type Values = Record<string, unknown>;

function hyperparametersOf(source: { method?: unknown; hyperparameters?: unknown }, type: string): Values {
  const method = source.method as Record<string, { hyperparameters?: Values } | undefined> | undefined;
  return {
    ...((source.hyperparameters as Values | undefined) ?? {}),
    ...(method?.[type]?.hyperparameters ?? {}),
  };
}

/**
 * Whether the job trains the settings' model with their method and with every hyperparameter the
 * settings fix. A value left to `auto` is the API's choice, which the job reports as a number: it
 * matches whatever was chosen.
 */
export function trainsAsAsked(job: FineTuningJob, settings: JobSettings): boolean {
  const type = settings.method?.type ?? 'supervised';
  if (job.model !== settings.model || (job.method?.type ?? 'supervised') !== type) return false;
  const used = hyperparametersOf(job, type);
  return Object.entries(hyperparametersOf(settings, type)).every(
    ([key, value]) => value === undefined || value === 'auto' || !(key in used) || used[key] === value,
  );
}
