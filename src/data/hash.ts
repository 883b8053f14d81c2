import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

export interface FileDigests {
  /** The data's identity: the content-addressed upload name and the job's intent tag. */
  sha256: string;
  /** What the Uploads API checks the assembled file against when an upload is completed. */
  md5: string;
  /** The size of what was hashed, so that both digests and the size describe the same content. */
  bytes: number;
}

const CHUNK_BYTES = 1024 * 1024;

/**
 * SHA-256 and MD5 of a file in one pass: a file of gigabytes is read once, never held. Every read
 * lands in the same buffer, so reading leaves no garbage behind for memory to grow with.
 */
export async function hashFile(filePath: string): Promise<FileDigests> {
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let bytes = 0;
  const file = await open(filePath, 'r');
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      sha256.update(chunk);
      md5.update(chunk);
      bytes += bytesRead;
    }
  } finally {
    await file.close();
  }
  return { sha256: sha256.digest('hex'), md5: md5.digest('hex'), bytes };
}
