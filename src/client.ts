import { createReadStream } from 'node:fs';
import OpenAI from 'openai';
import type { FileObject } from 'openai/resources/files';
import type { FineTuningJobCheckpoint } from 'openai/resources/fine-tuning/jobs/checkpoints';
import type {
  FineTuningJob,
  FineTuningJobEvent,
  JobCreateParams,
} from 'openai/resources/fine-tuning/jobs/jobs';
import type { Connection } from './config.js';

export type { FileObject, FineTuningJob, FineTuningJobCheckpoint, FineTuningJobEvent };

export interface ClientOptions {
  /** The SDK's own retry count for idempotent failures; unit tests set 0 to see each request once. */
  maxRetries?: number;
}

const EVENTS_PAGE = 100;

/** The one door to the API for every mode: each method is a single operation of the contract. */
export class JobClient {
  private readonly api: OpenAI;

  constructor(connection: Connection, options: ClientOptions = {}) {
    this.api = new OpenAI({
      apiKey: connection.apiKey,
      baseURL: connection.baseURL,
      // Passed explicitly (null when unset) so the SDK does not pick up OPENAI_ORG_ID on its own:
      // the step's inputs are the only source of settings.
      organization: connection.organization,
      project: connection.project,
      maxRetries: options.maxRetries ?? 2,
    });
  }

  /** Streams the file from disk as multipart; it is never read whole into memory. */
  uploadFile(filePath: string): Promise<FileObject> {
    return this.api.files.create({ file: createReadStream(filePath), purpose: 'fine-tune' });
  }

  retrieveFile(fileId: string): Promise<FileObject> {
    return this.api.files.retrieve(fileId);
  }

  createJob(params: JobCreateParams): Promise<FineTuningJob> {
    return this.api.fineTuning.jobs.create(params);
  }

  retrieveJob(jobId: string): Promise<FineTuningJob> {
    return this.api.fineTuning.jobs.retrieve(jobId);
  }

  cancelJob(jobId: string): Promise<FineTuningJob> {
    return this.api.fineTuning.jobs.cancel(jobId);
  }

  /**
   * Events newer than `seenId`, oldest first. The API lists newest first and pages towards older
   * ones, so this reads pages until it meets the last event already seen. With no `seenId` it takes
   * one page: a job attached to late has history that is not worth replaying in full.
   */
  async eventsSince(jobId: string, seenId: string | undefined): Promise<FineTuningJobEvent[]> {
    const fresh: FineTuningJobEvent[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.api.fineTuning.jobs.listEvents(jobId, {
        limit: EVENTS_PAGE,
        ...(after ? { after } : {}),
      });
      for (const event of page.data) {
        if (event.id === seenId) return fresh.reverse();
        fresh.push(event);
      }
      const last = page.data.at(-1);
      if (seenId === undefined || !page.has_more || !last) return fresh.reverse();
      after = last.id;
    }
  }

  async checkpoints(jobId: string): Promise<FineTuningJobCheckpoint[]> {
    const all: FineTuningJobCheckpoint[] = [];
    for await (const checkpoint of this.api.fineTuning.jobs.checkpoints.list(jobId, { limit: 100 })) {
      all.push(checkpoint);
    }
    return all;
  }
}
