// Stored files: their bytes on disk, their metadata in memory, and the processing status the API
// reports for them (OpenAI's uploaded, Azure's pending then running, or none at all; then processed
// or error once processing time has passed).
import { writeFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileObject } from 'openai/resources/files';
import { measure, type ContentStats } from './analyze.ts';
import { fileNotFound } from './errors.ts';
import { newId, unixSeconds } from './ids.ts';

export type FilePurpose = FileObject['purpose'] | 'evals';
/** The file object as this server sends it; `evals` is a purpose files can be created with. */
export type WireFile = Omit<FileObject, 'purpose' | 'status'> & {
  purpose: FilePurpose;
  status: FileStatus | null;
};
/** OpenAI's statuses and Azure's (`pending`, `running`) for a file being processed. */
export type FileStatus = FileObject['status'] | 'pending' | 'running';
export type FileStatuses = 'openai' | 'azure' | 'none';

export interface StoredFile {
  id: string;
  filename: string;
  purpose: FilePurpose;
  createdMs: number;
  expiresAt: number | null;
  path: string;
  stats: ContentStats;
  /** When processing ends; until then the file is `uploaded` (Azure: `pending`, then `running`). */
  readyAtMs: number;
  /** Why processing rejects the file (status `error`), or `null`. */
  problem: string | null;
}

export interface NewFile {
  filename: string;
  purpose: FilePurpose;
  expiresAfterSeconds: number | null;
}

export class FileStore {
  readonly dir: string;
  private readonly processingMs: number;
  private readonly statuses: FileStatuses;
  private readonly byId = new Map<string, StoredFile>();

  constructor(dir: string, processingMs: number, statuses: FileStatuses) {
    this.dir = dir;
    this.processingMs = processingMs;
    this.statuses = statuses;
  }

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  /** Takes ownership of content already streamed to `tempPath` (moved, never copied). */
  async adopt(tempPath: string, meta: NewFile, stats: ContentStats, now: number): Promise<StoredFile> {
    const id = newId.file();
    const path = join(this.dir, id);
    await rename(tempPath, path);
    return this.register(id, path, meta, stats, now, this.processingMs);
  }

  /**
   * Files the service itself writes (job results, the training data of seeded jobs) are small and
   * ready at once; fine-tuning data is measured as an upload would be.
   */
  writeGenerated(filename: string, purpose: FilePurpose, content: string, now: number): StoredFile {
    const id = newId.file();
    const path = join(this.dir, id);
    writeFileSync(path, content);
    const stats = measure(content, { jsonl: purpose === 'fine-tune' });
    return this.register(id, path, { filename, purpose, expiresAfterSeconds: null }, stats, now, 0);
  }

  get(id: string, now: number): StoredFile | undefined {
    const file = this.byId.get(id);
    if (file && file.expiresAt !== null && unixSeconds(now) >= file.expiresAt) {
      void this.delete(id);
      return undefined;
    }
    return file;
  }

  require(id: string, now: number): StoredFile {
    const file = this.get(id, now);
    if (!file) throw fileNotFound(id);
    return file;
  }

  /** Live files, oldest first. */
  list(now: number): StoredFile[] {
    return [...this.byId.keys()].map((id) => this.get(id, now)).filter((file) => file !== undefined);
  }

  async delete(id: string): Promise<boolean> {
    const file = this.byId.get(id);
    if (!file) return false;
    this.byId.delete(id);
    await rm(file.path, { force: true });
    return true;
  }

  status(file: StoredFile, now: number): FileStatus {
    if (now < file.readyAtMs) {
      if (this.statuses !== 'azure') return 'uploaded';
      // Azure's pending and running each take half of the processing time.
      return now < (file.createdMs + file.readyAtMs) / 2 ? 'pending' : 'running';
    }
    return file.problem === null ? 'processed' : 'error';
  }

  view(file: StoredFile, now: number): WireFile {
    const status = this.statuses === 'none' ? null : this.status(file, now);
    const view: WireFile = {
      id: file.id,
      object: 'file',
      bytes: file.stats.bytes,
      created_at: unixSeconds(file.createdMs),
      filename: file.filename,
      purpose: file.purpose,
      status,
    };
    if (file.expiresAt !== null) view.expires_at = file.expiresAt;
    if (status === 'error' && file.problem !== null) view.status_details = file.problem;
    return view;
  }

  private register(
    id: string,
    path: string,
    meta: NewFile,
    stats: ContentStats,
    now: number,
    processingMs: number,
  ): StoredFile {
    const file: StoredFile = {
      id,
      filename: meta.filename,
      purpose: meta.purpose,
      createdMs: now,
      expiresAt: meta.expiresAfterSeconds === null ? null : unixSeconds(now) + meta.expiresAfterSeconds,
      path,
      stats,
      readyAtMs: now + processingMs,
      problem: formatProblem(meta, stats),
    };
    this.byId.set(id, file);
    return file;
  }
}

// Only fine-tuning data has a format the service checks; other purposes take any bytes.
function formatProblem(meta: NewFile, stats: ContentStats): string | null {
  if (meta.purpose !== 'fine-tune') return null;
  if (!meta.filename.toLowerCase().endsWith('.jsonl'))
    return 'Invalid file format for Fine-Tuning API. Must be .jsonl';
  return stats.jsonlProblem;
}
