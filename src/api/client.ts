import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import * as core from '@actions/core';
import { createReadStream } from 'node:fs';
import { OpenAI, toStreamingFile, type ClientOptions as SdkOptions } from 'openai';
import type { FileObject } from 'openai/resources/files';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
} from 'openai/resources/chat/completions';
import type { Upload, UploadCreateParams } from 'openai/resources/uploads/uploads';
import type { UploadPart } from 'openai/resources/uploads/parts';
import { PermissionDeniedError } from 'openai/core/error';
import { protectSecret } from '../github/secrets.js';
import { describeError, noAnswerReason } from './errors.js';
import { OPENAI_WIND_DOWN } from '../facts/wind-down.js';
import { TRAITS, type Provider, type ProviderTraits } from './provider.js';
import { EntraToken, ENTRA_SCOPE, githubIdToken, type Keyless } from './sign-in.js';
import type { FineTuningJobCheckpoint } from 'openai/resources/fine-tuning/jobs/checkpoints';
import type {
  FineTuningJob,
  FineTuningJobEvent,
  JobCreateParams,
} from 'openai/resources/fine-tuning/jobs/jobs';
import { logText } from '../github/log.js';

export type { FileObject, FineTuningJob, FineTuningJobCheckpoint, FineTuningJobEvent, Upload, UploadPart };

/** Where the API is and who is asking: the step's inputs, read once. */
export interface Connection {
  /** Empty when `keyless` signs in instead. */
  apiKey: string;
  keyless?: Keyless;
  baseURL: string;
  provider: Provider;
  organization: string | null;
  project: string | null;
}

/** Everything of the create request except the file ids, which exist only after upload. */
export type JobSettings = Omit<JobCreateParams, 'training_file' | 'validation_file'> & {
  /**
   * Azure's training tier, a field of Azure's create request that OpenAI's lacks (Microsoft's
   * fine-tuning REST guide); the SDK sends it as given.
   */
  trainingType?: 'standard' | 'globalstandard' | 'developer';
};

interface ClientOptions {
  /**
   * How often the SDK retries a failed idempotent request (reads, cancel, pause, resume). High,
   * because the step's deadline, carried by `signal`, is the real limit on how long that may take.
   */
  maxRetries?: number;
  /** Aborts every request in flight: the step's deadline, or the run being cancelled. */
  signal?: AbortSignal;
}

const EVENTS_PAGE = 100;
/** Jobs read when looking for the action's own by tag: a server that ignores the filter pages through all. */
const JOBS_PAGE = 100;
const MAX_JOBS_SCANNED = 1_000;
/**
 * Uploads read the file in larger chunks than Node's 64 KiB: every chunk passes through the SDK's
 * multipart encoder and web streams, and that per-chunk cost, not the network, bounds throughput.
 */
const READ_CHUNK = 1024 * 1024;
const DEFAULT_RETRIES = 10;
/** An evaluation sends thousands of answers: a few retries each (429s wait their Retry-After). */
const CHAT_RETRIES = 4;
/**
 * How long clean-up requests may take once the deadline has passed or the run was cancelled: the
 * runner follows SIGINT with SIGTERM 7.5 s later, so a cancel must be done well before that.
 */
const CLEANUP_GRACE_MS = 5_000;
/**
 * The MIME type an Upload of training data declares: the one the API's own example for purpose
 * `fine-tune` uses (contract, `createUpload`).
 */
const JSONL_MIME_TYPE = 'text/jsonl';

/** How the SDK signs each request in: a key, or a short-lived credential from the workflow's OIDC token. */
function credentials(connection: Connection): Partial<SdkOptions> {
  const { keyless, apiKey, provider } = connection;
  if (keyless?.kind === 'openai-workload-identity') {
    const { identityProviderId, serviceAccountId, audience } = keyless;
    return {
      // Null, not unset: the SDK would take OPENAI_API_KEY from the environment, and refuse both.
      apiKey: null,
      workloadIdentity: {
        identityProviderId,
        serviceAccountId,
        provider: { tokenType: 'id', getToken: () => githubIdToken(audience) },
      },
    };
  }
  // Entra's token goes as a Bearer token, the SDK asking for it before each request.
  if (keyless?.kind === 'entra') {
    const token = EntraToken.for(keyless, ENTRA_SCOPE.dataPlane);
    return { apiKey: () => token.get() };
  }
  // Azure takes a key in its own header; a Bearer token there would be read as Entra's.
  if (TRAITS[provider].keyHeader === 'api-key') {
    return { apiKey, defaultHeaders: { 'api-key': apiKey, Authorization: null } };
  }
  return { apiKey };
}

/**
 * The SDK exchanges the workflow's OIDC token for an OpenAI access token through this same fetch;
 * the access token is masked for the runner before the SDK can use it anywhere.
 */
async function maskExchangedToken(input: string | URL | Request, response: Response): Promise<void> {
  const url = input instanceof Request ? input.url : String(input);
  if (!url.endsWith('/oauth/token')) return;
  const body = (await response
    .clone()
    .json()
    .catch(() => undefined)) as { access_token?: unknown } | undefined;
  if (typeof body?.access_token === 'string') protectSecret(body.access_token);
}

/** The one door to the API for every mode: each method is a single operation of the contract. */
export class JobClient {
  private readonly api: OpenAI;
  private readonly signal: AbortSignal | undefined;

  /** Why the last request that got no answer got none (`connect ECONNREFUSED ...`), if one did. */
  lastNoAnswer: string | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly options: ClientOptions = {},
  ) {
    this.signal = options.signal;
    this.api = new OpenAI({
      ...credentials(connection),
      baseURL: connection.baseURL,
      // Passed explicitly (null when unset) so the SDK does not pick up OPENAI_ORG_ID on its own:
      // the step's inputs are the only source of settings.
      organization: connection.organization,
      project: connection.project,
      adminAPIKey: null,
      maxRetries: options.maxRetries ?? DEFAULT_RETRIES,
      fetch: (input, init) => this.fetch(input, init),
      logger: this.logger,
      logLevel: 'info',
    });
  }

  /**
   * Node's fetch, remembering why a request got no answer, and failing `insufficient_quota` fast:
   * the SDK retries every 429, but that one will not pass by waiting, so the API's own
   * `x-should-retry: false` hint is added to make the SDK fail at the first answer.
   */
  private async fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    let response: Response;
    try {
      // A redirect would carry Azure's `api-key` header to wherever it points; fetch drops only
      // an Authorization header when a redirect leaves the origin.
      response = await fetch(
        input,
        this.traits.keyHeader === 'api-key' ? { ...init, redirect: 'manual' } : init,
      );
    } catch (error) {
      if (!init?.signal?.aborted) this.lastNoAnswer = noAnswerReason(error);
      throw error;
    }
    if (this.connection.keyless?.kind === 'openai-workload-identity' && response.ok) {
      await maskExchangedToken(input, response);
    }
    if (response.status !== 429) return response;
    const body = await response.text();
    const headers = new Headers(response.headers);
    if (body.includes('insufficient_quota')) headers.set('x-should-retry', 'false');
    return new Response(body, { status: response.status, statusText: response.statusText, headers });
  }

  /**
   * The SDK's own log lines. A retry is said as it happens, with the reason when there was no
   * answer at all (an unreachable endpoint would otherwise stay silent through every retry); the
   * rest only in a debug run. Request details (headers) are never passed on.
   */
  private readonly logger = {
    error: (message: string) => core.debug(`openai: ${logText(message)}`),
    warn: (message: string) => core.debug(`openai: ${logText(message)}`),
    info: (message: string) => {
      const text = message.replace(/^\[log_[^\]]*\] /, '');
      const noAnswer = /^connection (?:failed|timed out) - retrying, (\d+) attempts? remaining/.exec(text);
      if (noAnswer) {
        const host = new URL(this.connection.baseURL).host;
        const why = this.lastNoAnswer ? ` (${this.lastNoAnswer})` : '';
        core.info(`No answer from ${host}${logText(why)}; trying again, at most ${noAnswer[1]} more times`);
      } else if (/ - retrying, /.test(text)) core.info(`API: ${logText(text)}`);
      else core.debug(`openai: ${logText(text)}`);
    },
    debug: () => {},
  };

  /** What the provider this client talks to does differently. */
  get traits(): ProviderTraits {
    return TRAITS[this.connection.provider];
  }

  /**
   * A client for clean-up (cancelling after a timeout or an abort): free of this client's signal,
   * which has already fired by then, and bounded by its own short grace instead.
   */
  forCleanup(): JobClient {
    return new JobClient(this.connection, { ...this.options, signal: AbortSignal.timeout(CLEANUP_GRACE_MS) });
  }

  /**
   * A client whose requests also stop when `signal` aborts: for work that must end early while the
   * step goes on, such as the parts still in flight of an upload that has already failed.
   */
  withSignal(signal: AbortSignal): JobClient {
    const both = this.signal ? AbortSignal.any([this.signal, signal]) : signal;
    return new JobClient(this.connection, { ...this.options, signal: both });
  }

  private get request() {
    return { signal: this.signal };
  }

  /**
   * Streams the file from disk as multipart; it is never read whole into memory. The SDK cannot
   * retry a stream, so callers retry by calling again (a fresh stream each time).
   */
  uploadFile(filePath: string, filename: string): Promise<FileObject> {
    const file = toStreamingFile(createReadStream(filePath, { highWaterMark: READ_CHUNK }), filename);
    return this.api.files.create({ file, purpose: 'fine-tune' }, this.request);
  }

  /**
   * Starts an Upload of training data, to be sent in parts. The SDK may retry it: an Upload left
   * behind by a lost answer holds nothing and expires an hour after it was created.
   */
  createUpload(params: Pick<UploadCreateParams, 'bytes' | 'filename'>): Promise<Upload> {
    return this.api.uploads.create(
      { bytes: params.bytes, filename: params.filename, mime_type: JSONL_MIME_TYPE, purpose: 'fine-tune' },
      this.request,
    );
  }

  /**
   * Sends bytes `start` (inclusive) to `end` (exclusive) of the file as one Part, streamed from
   * disk. A stream cannot be sent twice, so this never retries: callers retry by calling again,
   * which reads the range afresh.
   */
  async addUploadPart(uploadId: string, filePath: string, start: number, end: number): Promise<UploadPart> {
    if (!(end > start)) throw new RangeError(`a Part needs at least one byte, got ${start}..${end}`);
    // createReadStream's `end` is inclusive.
    const data = createReadStream(filePath, { start, end: end - 1, highWaterMark: READ_CHUNK });
    try {
      return await this.api.uploads.parts.create(
        uploadId,
        { data: toStreamingFile(data, 'part') },
        { ...this.request, maxRetries: 0 },
      );
    } finally {
      // A request that failed early leaves the stream unread; it must not keep the file open.
      data.destroy();
    }
  }

  /**
   * Completes an Upload with its parts in file order; the API checks the assembled bytes against
   * `md5`. Never retried here: a complete whose answer was lost has made the file, and a second
   * complete would be refused, so only the caller, after looking for that file, may try again.
   */
  completeUpload(uploadId: string, partIds: string[], md5: string): Promise<Upload> {
    return this.api.uploads.complete(
      uploadId,
      { part_ids: partIds, md5 },
      { ...this.request, maxRetries: 0 },
    );
  }

  cancelUpload(uploadId: string): Promise<Upload> {
    return this.api.uploads.cancel(uploadId, this.request);
  }

  retrieveFile(fileId: string): Promise<FileObject> {
    return this.api.files.retrieve(fileId, this.request);
  }

  /** Fine-tuning files, newest first: one page of up to 10,000, the API's largest. */
  async fineTuneFiles(): Promise<FileObject[]> {
    const page = await this.api.files.list(
      { purpose: 'fine-tune', order: 'desc', limit: 10_000 },
      this.request,
    );
    return page.data;
  }

  /**
   * Sends one create request and never retries it here: a create whose answer was lost may have
   * made a job, so only the caller, after looking for that job, may try again.
   */
  async createJob(params: JobCreateParams): Promise<FineTuningJob> {
    try {
      return await this.api.fineTuning.jobs.create(params, { ...this.request, maxRetries: 0 });
    } catch (error) {
      if (error instanceof PermissionDeniedError && this.connection.provider === 'openai') {
        throw new Error(`${describeError(error)}. ${OPENAI_WIND_DOWN}`, { cause: error });
      }
      throw error;
    }
  }

  /**
   * Jobs the server says carry every given metadata pair, newest first. A server may ignore the
   * filter (Azure's v1 API has none) and answer every job of the account, so what this returns is
   * only a candidate list: `../jobs/lookup.ts` keeps the jobs whose own metadata carries the tags.
   */
  async listJobsByMetadata(metadata: Record<string, string>): Promise<FineTuningJob[]> {
    const jobs: FineTuningJob[] = [];
    for await (const job of this.api.fineTuning.jobs.list({ metadata, limit: JOBS_PAGE }, this.request)) {
      jobs.push(job);
      if (jobs.length >= MAX_JOBS_SCANNED) break;
    }
    return jobs;
  }

  retrieveJob(jobId: string): Promise<FineTuningJob> {
    return this.api.fineTuning.jobs.retrieve(jobId, this.request);
  }

  cancelJob(jobId: string): Promise<FineTuningJob> {
    return this.api.fineTuning.jobs.cancel(jobId, this.request);
  }

  pauseJob(jobId: string): Promise<FineTuningJob> {
    return this.api.fineTuning.jobs.pause(jobId, this.request);
  }

  resumeJob(jobId: string): Promise<FineTuningJob> {
    return this.api.fineTuning.jobs.resume(jobId, this.request);
  }

  /** A file's content as text: the job's result file is a small CSV of step metrics. */
  async fileContent(fileId: string): Promise<string> {
    const response = await this.api.files.content(fileId, this.request);
    return response.text();
  }

  /** A file's content as a stream: a training file may be gigabytes, and is never held whole. */
  async fileStream(fileId: string): Promise<Readable> {
    const response = await this.api.files.content(fileId, this.request);
    if (!response.body) throw new Error(`The file ${fileId} came back without content`);
    return Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>);
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
      const page = await this.api.fineTuning.jobs.listEvents(
        jobId,
        { limit: EVENTS_PAGE, ...(after ? { after } : {}) },
        this.request,
      );
      for (const event of page.data) {
        if (event.id === seenId) return fresh.reverse();
        fresh.push(event);
      }
      const last = page.data.at(-1);
      if (seenId === undefined || !page.has_more || !last) return fresh.reverse();
      after = last.id;
    }
  }

  /** One chat completion (the evaluation's answers and judges, api/answers.ts), on this sign-in. */
  chat(body: ChatCompletionCreateParamsNonStreaming, signal?: AbortSignal): Promise<ChatCompletion> {
    const both = signal && this.signal ? AbortSignal.any([this.signal, signal]) : (signal ?? this.signal);
    return this.api.chat.completions.create(body, { signal: both, maxRetries: CHAT_RETRIES });
  }

  async checkpoints(jobId: string): Promise<FineTuningJobCheckpoint[]> {
    const all: FineTuningJobCheckpoint[] = [];
    for await (const checkpoint of this.api.fineTuning.jobs.checkpoints.list(
      jobId,
      { limit: 100 },
      this.request,
    )) {
      all.push(checkpoint);
    }
    return all;
  }
}
