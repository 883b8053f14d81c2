// Fine-tuning job endpoints: create, list, retrieve, cancel, pause, resume, events, checkpoints.
import { invalidRequest } from '../errors.ts';
import { fileNotReady } from '../faults.ts';
import type { CreateJobBody } from '../jobs.ts';
import { page, parseLimit } from '../paging.ts';
import { listReply, type Routes, type Services } from './route.ts';

const MAX_LIMIT = 1000;

export function jobRoutes({ jobs, files, faults, currentPlan, metadataFilter }: Services): Routes {
  return {
    createFineTuningJob: {
      handle({ body, now }) {
        const request = body as CreateJobBody;
        const training = files.get(request.training_file, now);
        if (training && faults.takeNotReady(training.id, training.createdMs, now))
          throw fileNotReady(training.id);
        return { json: jobs.create(request, currentPlan(), now).view() };
      },
    },

    listPaginatedFineTuningJobs: {
      handle({ query, now }) {
        // An API without the filter does not read the parameters at all, so it refuses no mix of them.
        const metadata = metadataFilter === 'honoured' ? requestedMetadata(query) : undefined;
        const views = jobs.list(now, metadata).map((job) => job.view());
        const { data, hasMore } = page(views, query.get('after'), parseLimit(query, 20, MAX_LIMIT));
        return listReply(data, hasMore, false);
      },
    },

    retrieveFineTuningJob: {
      handle({ params, now }) {
        return { json: jobs.require(params.fine_tuning_job_id, now).view() };
      },
    },

    cancelFineTuningJob: {
      handle({ params, now }) {
        const job = jobs.require(params.fine_tuning_job_id, now);
        job.cancel(now);
        return { json: job.view() };
      },
    },

    pauseFineTuningJob: {
      handle({ params, now }) {
        const job = jobs.require(params.fine_tuning_job_id, now);
        job.pause(now);
        return { json: job.view() };
      },
    },

    resumeFineTuningJob: {
      handle({ params, now }) {
        const job = jobs.require(params.fine_tuning_job_id, now);
        job.resume(now);
        return { json: job.view() };
      },
    },

    listFineTuningEvents: {
      handle({ params, query, now }) {
        const events = jobs.require(params.fine_tuning_job_id, now).eventsNewestFirst();
        const { data, hasMore } = page(events, query.get('after'), parseLimit(query, 20, MAX_LIMIT));
        return listReply(data, hasMore, false);
      },
    },

    listFineTuningJobCheckpoints: {
      handle({ params, query, now }) {
        const checkpoints = jobs.require(params.fine_tuning_job_id, now).checkpointsNewestFirst();
        const { data, hasMore } = page(checkpoints, query.get('after'), parseLimit(query, 10, MAX_LIMIT));
        return listReply(data, hasMore, true);
      },
    },
  };
}

/** `metadata[key]=value` pairs, `null` for `metadata=null`, or `undefined` when not filtering. */
function requestedMetadata(query: URLSearchParams): Record<string, string> | null | undefined {
  const pairs: Record<string, string> = {};
  let any = false;
  for (const [key, value] of query) {
    const match = /^metadata\[(.+)\]$/.exec(key);
    if (match) {
      pairs[match[1]] = value;
      any = true;
    }
  }
  if (query.get('metadata') !== 'null') return any ? pairs : undefined;
  if (any)
    throw invalidRequest(
      "Invalid 'metadata': use either metadata=null or metadata[key]=value, not both.",
      'metadata',
    );
  return null;
}
