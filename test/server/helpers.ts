// Shared set-up for the local API's tests: a server with timings short enough for a suite that
// runs in seconds, an SDK client pointed at it, and small training data.
import OpenAI, { toFile } from 'openai';
import type { FileObject } from 'openai/resources/files';
import type { ErrorBody } from '../../server/errors.ts';
import { startServer, type LocalApi, type ServerOptions } from '../../server/index.ts';

export const FAST: ServerOptions = {
  fileProcessingMs: 10,
  jobPlan: { validatingMs: 20, queuedMs: 20, runningMs: 120, checkpoints: 3, metricEvents: 5 },
};

export async function startFast(options: ServerOptions = {}): Promise<LocalApi> {
  return startServer({ ...FAST, ...options, jobPlan: { ...FAST.jobPlan, ...options.jobPlan } });
}

export function clientFor(api: LocalApi, apiKey: string = api.apiKey): OpenAI {
  return new OpenAI({ apiKey, baseURL: api.url, maxRetries: 0 });
}

/** A client that sends the key as Azure's `api-key` header, and no authorization header. */
export function azureClientFor(api: LocalApi, apiKey: string = api.apiKey): OpenAI {
  return new OpenAI({
    apiKey: 'unused',
    baseURL: api.url,
    maxRetries: 0,
    defaultHeaders: { 'api-key': apiKey, authorization: null },
  });
}

/** Statuses of a file still being processed: OpenAI's, and Azure's. */
const PROCESSING: ReadonlyArray<string | null> = ['uploaded', 'pending', 'running'];

/** `count` chat examples as JSONL text. */
export function chatJsonl(count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) {
    const messages = [
      { role: 'user', content: `What is ${i} + ${i}?` },
      { role: 'assistant', content: `${i} + ${i} is ${2 * i}.` },
    ];
    text += JSON.stringify({ messages }) + '\n';
  }
  return text;
}

export async function uploadText(
  client: OpenAI,
  text: string,
  filename = 'train.jsonl',
  purpose: FileObject['purpose'] = 'fine-tune',
) {
  return client.files.create({
    file: await toFile(Buffer.from(text), filename),
    purpose: purpose as 'fine-tune',
  });
}

/** Uploads training data and waits until the API reports it processed. */
export async function processedTrainingFile(client: OpenAI, examples = 20): Promise<FileObject> {
  const file = await uploadText(client, chatJsonl(examples));
  return waitFor(
    () => client.files.retrieve(file.id),
    (f) => !PROCESSING.includes(f.status),
  );
}

/** Polls `read` until `done` holds for its result, or fails after `timeoutMs`. */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 3000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const TERMINAL = ['succeeded', 'failed', 'cancelled'];

/** The error envelope of a failed raw request. */
export async function errorOf(response: Response): Promise<ErrorBody['error']> {
  return ((await response.json()) as ErrorBody).error;
}

/** A raw request with the server's key, for cases the SDK cannot express. */
export function raw(api: LocalApi, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${api.url}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${api.apiKey}`,
      ...(init.body && typeof init.body === 'string' ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
  });
}
