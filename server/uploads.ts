// The Uploads API: a pending Upload collects Parts on disk; completing it streams the chosen
// parts, in the caller's order, into one new File.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Upload } from 'openai/resources/uploads/uploads';
import type { UploadPart } from 'openai/resources/uploads/parts';
import { ContentAnalyzer } from './analyze.ts';
import { invalidRequest, uploadNotFound } from './errors.ts';
import type { FilePurpose, FileStore, WireFile } from './files.ts';
import { newId, randomToken, unixSeconds } from './ids.ts';

const MAX_UPLOAD_BYTES = 8 * 1024 ** 3;
const UPLOAD_LIFETIME_SECONDS = 3600;

export type WireUpload = Omit<Upload, 'file'> & { file?: WireFile };

interface StoredPart {
  id: string;
  createdMs: number;
  path: string;
  bytes: number;
}

export interface UploadRecord {
  id: string;
  filename: string;
  purpose: FilePurpose;
  bytes: number;
  createdMs: number;
  expiresAt: number;
  fileExpiresAfterSeconds: number | null;
  state: 'pending' | 'completed' | 'cancelled';
  parts: Map<string, StoredPart>;
  fileId: string | null;
}

export interface NewUpload {
  filename: string;
  purpose: FilePurpose;
  bytes: number;
  expires_after?: { seconds: number };
}

export class UploadStore {
  private readonly dir: string;
  private readonly files: FileStore;
  private readonly byId = new Map<string, UploadRecord>();

  constructor(dir: string, files: FileStore) {
    this.dir = dir;
    this.files = files;
  }

  create(body: NewUpload, now: number): UploadRecord {
    if (body.bytes < 0 || body.bytes > MAX_UPLOAD_BYTES) {
      throw invalidRequest(
        `Invalid 'bytes': an Upload can hold at most ${MAX_UPLOAD_BYTES} bytes (8 GB).`,
        'bytes',
      );
    }
    const upload: UploadRecord = {
      id: newId.upload(),
      filename: body.filename,
      purpose: body.purpose,
      bytes: body.bytes,
      createdMs: now,
      expiresAt: unixSeconds(now) + UPLOAD_LIFETIME_SECONDS,
      fileExpiresAfterSeconds: body.expires_after?.seconds ?? null,
      state: 'pending',
      parts: new Map(),
      fileId: null,
    };
    this.byId.set(upload.id, upload);
    return upload;
  }

  require(id: string): UploadRecord {
    const upload = this.byId.get(id);
    if (!upload) throw uploadNotFound(id);
    return upload;
  }

  status(upload: UploadRecord, now: number): Upload['status'] {
    if (upload.state === 'pending' && unixSeconds(now) >= upload.expiresAt) return 'expired';
    return upload.state;
  }

  async addPart(upload: UploadRecord, tempPath: string, bytes: number, now: number): Promise<StoredPart> {
    this.requirePending(upload, now, 'add a Part to');
    const id = newId.part();
    const dir = join(this.dir, upload.id);
    await mkdir(dir, { recursive: true });
    const part: StoredPart = { id, createdMs: now, path: join(dir, id), bytes };
    await rename(tempPath, part.path);
    upload.parts.set(id, part);
    return part;
  }

  async complete(
    upload: UploadRecord,
    partIds: string[],
    md5: string | undefined,
    now: number,
  ): Promise<UploadRecord> {
    this.requirePending(upload, now, 'complete');
    const parts = partIds.map((id, i) => {
      const part = upload.parts.get(id);
      if (!part)
        throw invalidRequest(
          `Invalid 'part_ids[${i}]': no Part ${id} was added to Upload ${upload.id}.`,
          `part_ids[${i}]`,
        );
      if (partIds.indexOf(id) !== i)
        throw invalidRequest(`Invalid 'part_ids': Part ${id} is listed more than once.`, 'part_ids');
      return part;
    });
    const total = parts.reduce((sum, part) => sum + part.bytes, 0);
    if (total !== upload.bytes) {
      throw invalidRequest(
        `The number of bytes uploaded in the listed Parts (${total}) does not match the number of bytes the Upload was created with (${upload.bytes}).`,
        'part_ids',
      );
    }

    const analyzer = new ContentAnalyzer({ jsonl: upload.purpose === 'fine-tune', md5: md5 !== undefined });
    const assembled = join(this.files.dir, `assembling-${randomToken(16)}`);
    try {
      await pipeline(
        Readable.from(concatenate(parts.map((part) => part.path))),
        analyzer,
        createWriteStream(assembled),
      );
      const stats = analyzer.stats;
      if (md5 !== undefined && stats.md5 !== md5.toLowerCase()) {
        throw invalidRequest(
          `The MD5 checksum of the assembled file (${stats.md5}) does not match 'md5' (${md5}).`,
          'md5',
        );
      }
      const file = await this.files.adopt(
        assembled,
        {
          filename: upload.filename,
          purpose: upload.purpose,
          expiresAfterSeconds: upload.fileExpiresAfterSeconds,
        },
        stats,
        now,
      );
      upload.state = 'completed';
      upload.fileId = file.id;
    } finally {
      await rm(assembled, { force: true });
    }
    await this.discardParts(upload);
    return upload;
  }

  async cancel(upload: UploadRecord, now: number): Promise<UploadRecord> {
    this.requirePending(upload, now, 'cancel');
    upload.state = 'cancelled';
    await this.discardParts(upload);
    return upload;
  }

  view(upload: UploadRecord, now: number): WireUpload {
    const view: WireUpload = {
      id: upload.id,
      object: 'upload',
      bytes: upload.bytes,
      created_at: unixSeconds(upload.createdMs),
      expires_at: upload.expiresAt,
      filename: upload.filename,
      purpose: upload.purpose,
      status: this.status(upload, now),
    };
    const file = upload.fileId === null ? undefined : this.files.get(upload.fileId, now);
    if (file) view.file = this.files.view(file, now);
    return view;
  }

  partView(upload: UploadRecord, part: StoredPart): UploadPart {
    return {
      id: part.id,
      object: 'upload.part',
      created_at: unixSeconds(part.createdMs),
      upload_id: upload.id,
    };
  }

  private requirePending(upload: UploadRecord, now: number, action: string): void {
    const status = this.status(upload, now);
    if (status !== 'pending')
      throw invalidRequest(`Cannot ${action} Upload ${upload.id}: its status is ${status}.`);
  }

  private async discardParts(upload: UploadRecord): Promise<void> {
    upload.parts.clear();
    await rm(join(this.dir, upload.id), { recursive: true, force: true });
  }
}

async function* concatenate(paths: string[]): AsyncGenerator<Buffer> {
  for (const path of paths) yield* createReadStream(path);
}
