// What an operation handler sees and answers. Handlers are keyed by the spec's operationId, so the
// contract, not a second route table, decides which handler a request reaches.
import type { Readable } from 'node:stream';
import type { FileStore } from '../files.ts';
import type { JobPlan } from '../job-plan.ts';
import type { JobStore } from '../jobs.ts';
import type { ModelCatalog } from '../models.ts';
import type { MultipartForm } from '../multipart.ts';
import type { ProfileRules } from '../profile.ts';
import type { UploadStore } from '../uploads.ts';

export interface RequestContext {
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body, for operations that take one. */
  body: unknown;
  /** The received multipart body, for operations that take one. */
  form: MultipartForm | null;
  now: number;
}

export type Reply =
  | { status?: number; json: unknown; headers?: Record<string, string> }
  | { stream: Readable; contentType: string; bytes: number };

export interface Route {
  handle(ctx: RequestContext): Reply | Promise<Reply>;
  /** For multipart operations: the largest file part accepted, and whether to check it as JSONL. */
  upload?: { maxFileBytes: number; jsonl: boolean };
}

export interface Services {
  files: FileStore;
  uploads: UploadStore;
  jobs: JobStore;
  models: ModelCatalog;
  /** The plan jobs created now get. */
  currentPlan: () => JobPlan;
  /** Whether the jobs list filters by `metadata` (OpenAI) or answers every job (Azure's v1 API). */
  metadataFilter: 'honoured' | 'ignored';
  limits: { maxFileBytes: number; maxPartBytes: number };
  rules: ProfileRules;
}

export type Routes = Record<string, Route>;

/** Builds a list answer in the API's shape, with the cursor ids list endpoints add. */
export function listReply<T extends { id: string }>(
  data: T[],
  hasMore: boolean,
  withCursorIds: boolean,
): Reply {
  const json: Record<string, unknown> = { object: 'list', data, has_more: hasMore };
  if (withCursorIds) {
    json.first_id = data[0]?.id ?? null;
    json.last_id = data[data.length - 1]?.id ?? null;
  }
  return { json };
}
