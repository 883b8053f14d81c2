import * as core from '@actions/core';
import type { JobCreateParams } from 'openai/resources/fine-tuning/jobs/jobs';
import type { FineTuningJob, JobClient } from '../api/client.js';
import { TAG, tagMetadata, type JobTags } from './tags.js';
import { carriesTags, findTaggedJobs } from './lookup.js';
import { retrying, type RetryOptions } from '../api/retry.js';
import { setIntent, setRun } from '../github/state.js';
import { logText } from '../github/log.js';
import { code } from '../github/markdown.js';

export interface Created {
  job: FineTuningJob;
  /** Why no new job was created, when an existing one was used instead. */
  attached?: string;
}

const reusable = (job: FineTuningJob) => job.status !== 'failed' && job.status !== 'cancelled';

/**
 * Creates exactly one job per intent. A job an earlier attempt of the same run created for the
 * same step and settings is used again while it is in progress or succeeded. A create whose
 * answer was lost is not sent again blindly: the job it may have made is looked for first.
 */
export async function createOnce(
  client: JobClient,
  params: JobCreateParams,
  tags: JobTags,
  retry: Omit<RetryOptions, 'recover'>,
): Promise<Created> {
  const byIntent = { [TAG.intent]: tags.intent };
  const before = await findTaggedJobs(client, byIntent);
  const earlier = before.find(reusable);
  if (earlier) {
    // The run tag is any text someone with access to the account wrote: quoted, never markup.
    const run = earlier.metadata?.[TAG.run];
    const by = run ? code(run) : 'an earlier run';
    return {
      job: earlier,
      attached: `${code(earlier.id)} (${code(earlier.status)}) was already created by ${by}`,
    };
  }

  setIntent(tags.intent);
  setRun(tags.run);
  const known = new Set(before.map((job) => job.id));
  let recovered: FineTuningJob | undefined;
  const job = await retrying(
    () => client.createJob({ ...params, metadata: { ...params.metadata, ...tagMetadata(tags) } }),
    {
      ...retry,
      recover: async () => {
        recovered = (await findTaggedJobs(client, byIntent)).find((candidate) => !known.has(candidate.id));
        if (recovered)
          core.info(`The answer to the create request was lost, but it made ${logText(recovered.id)}`);
        return recovered;
      },
    },
  );
  if (!carriesTags(job, tagMetadata(tags))) {
    core.warning(
      `${job.id} came back without the action's tags in its metadata: this provider does not keep job ` +
        'metadata, so a re-run or a lost answer cannot be matched to this job, and exactly one job per ' +
        'run cannot be guaranteed here (this run still follows, and on cancel cancels, this job by its id)',
    );
  }
  return recovered
    ? { job, attached: `the create request's answer was lost; it had made ${job.id}` }
    : { job };
}
