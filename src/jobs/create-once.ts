import * as core from '@actions/core';
import type { JobCreateParams } from 'openai/resources/fine-tuning/jobs/jobs';
import type { FineTuningJob, JobClient } from '../api/client.js';
import { describeError } from '../api/errors.js';
import { backoffMs, isFileNotReady, retrying, sleep, type RetryOptions } from '../api/retry.js';
import { leaveJobNote, readJobNote } from '../github/job-note.js';
import { setIntent, setRun } from '../github/state.js';
import { TAG, tagMetadata, type JobTags } from './tags.js';
import { carriesTags, findTaggedJobs } from './lookup.js';
import { logText } from '../github/log.js';
import { code } from '../github/markdown.js';

export interface Created {
  job: FineTuningJob;
  /** Why no new job was created, when an existing one was used instead. */
  attached?: string;
}

/** What to create, and for which step of which run attempt. */
interface CreateRequest {
  params: JobCreateParams;
  tags: JobTags;
  /** The run attempt, from 1: only a re-run can have an earlier attempt's job to attach to. */
  attempt: number;
}

const reusable = (job: FineTuningJob) => job.status !== 'failed' && job.status !== 'cancelled';

/**
 * Creates exactly one job per intent. A job an earlier attempt of the same run created for the
 * same step and settings is used again while it is in progress or succeeded: found by its tags,
 * or, where the provider dropped them, by the note that attempt left in the Actions cache. A
 * create whose answer was lost is not sent again blindly: the job it may have made is looked for
 * first.
 */
export async function createOnce(
  client: JobClient,
  { params, tags, attempt }: CreateRequest,
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
  if (attempt > 1) {
    const noted = await earlierAttemptsJob(client, tags.intent);
    if (noted) return noted;
  }

  setIntent(tags.intent);
  setRun(tags.run);
  const known = new Set(before.map((job) => job.id));
  let recovered: FineTuningJob | undefined;
  let lostAnswers = 0;
  const create = () =>
    retrying(() => client.createJob({ ...params, metadata: { ...params.metadata, ...tagMetadata(tags) } }), {
      ...retry,
      recover: async () => {
        lostAnswers += 1;
        recovered = (await findTaggedJobs(client, byIntent)).find((candidate) => !known.has(candidate.id));
        if (recovered)
          core.info(`The answer to the create request was lost, but it made ${logText(recovered.id)}`);
        return recovered;
      },
    });
  const job = await untilFileReady(create, retry);
  if (!carriesTags(job, tagMetadata(tags))) await metadataDropped(job, params, tags, lostAnswers);
  return recovered
    ? { job, attached: `the create request's answer was lost; it had made ${code(job.id)}` }
    : { job };
}

/**
 * A provider that reports no file status may still refuse a job while the file is processed.
 * Nothing was created then, so the same create is sent again once the file has had time, until
 * the deadline.
 */
async function untilFileReady(
  create: () => Promise<FineTuningJob>,
  retry: Omit<RetryOptions, 'recover'>,
): Promise<FineTuningJob> {
  for (let waited = 0; ; waited++) {
    try {
      return await create();
    } catch (error) {
      if (!isFileNotReady(error)) throw error;
      const gap = backoffMs(waited);
      if (Date.now() + gap >= retry.deadline || retry.signal?.aborted) throw error;
      core.info(
        `The provider is still processing the data (${logText(describeError(error))}); creating the job again in ${(gap / 1000).toFixed(1)} s`,
      );
      await sleep(gap, retry.signal);
      if (retry.signal?.aborted) throw error;
    }
  }
}

/** The job an earlier attempt of this run noted in the Actions cache, when its tags were dropped. */
async function earlierAttemptsJob(client: JobClient, intent: string): Promise<Created | undefined> {
  const note = await readJobNote(intent);
  if ('unreadable' in note) {
    core.warning(
      `No note of an earlier attempt's job could be read (${note.unreadable}). If an earlier attempt of ` +
        'this run created a job through a provider or gateway that drops job metadata, nothing can find ' +
        'that job, and a second job may follow.',
      { title: 'Exactly once not guaranteed' },
    );
    return undefined;
  }
  if ('none' in note) return undefined;
  const job = await client.retrieveJob(note.jobId);
  if (!reusable(job)) {
    core.info(
      `An earlier attempt of this run created ${logText(job.id)}, which is ${logText(job.status)}: creating a new job`,
    );
    return undefined;
  }
  return {
    job,
    attached: `${code(job.id)} (${code(job.status)}) was created by an earlier attempt of this run (noted in the Actions cache, since the provider dropped its tags)`,
  };
}

/**
 * The provider or a gateway in front of it kept the job but not its metadata: say what was lost,
 * and leave a note for a re-run in the Actions cache instead.
 */
async function metadataDropped(
  job: FineTuningJob,
  params: JobCreateParams,
  tags: JobTags,
  lostAnswers: number,
): Promise<void> {
  const userKeys = Object.keys(params.metadata ?? {});
  const lost =
    userKeys.length > 0
      ? `the action's tags and your metadata (${userKeys.join(', ')})`
      : "the action's tags";
  const noteFailed = await leaveJobNote(tags.intent, job.id);
  const rerun = noteFailed
    ? `no note for a re-run could be left in the Actions cache either (${noteFailed}), so a re-run of this run would create a second job`
    : 'a re-run of this run finds the job through a note left in the Actions cache';
  core.warning(
    `${job.id} came back without its metadata: the provider, or a gateway in front of it, dropped ${lost}. ` +
      `Nothing on the job marks it as this workflow's; ${rerun}. skip-if-unchanged and plans cannot find it. ` +
      'This run still follows, and on cancel cancels, this job by its id.',
    { title: 'Job metadata dropped' },
  );
  if (lostAnswers > 0) {
    core.warning(
      `An earlier create request for this step got no answer, and without metadata the job it may have made cannot be found: a second job may be running. Check the provider's job list for jobs created around ${new Date(job.created_at * 1000).toISOString()}.`,
      { title: 'A second job may exist' },
    );
  }
}
