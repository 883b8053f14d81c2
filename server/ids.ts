import { randomInt } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomToken(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

// Prefixes and lengths follow the ids the real API hands out, so code that parses or
// pattern-matches ids (logs, summaries) sees the same shapes.
export const newId = {
  file: () => `file-${randomToken(22)}`,
  upload: () => `upload_${randomToken(24)}`,
  part: () => `part_${randomToken(24)}`,
  job: () => `ftjob-${randomToken(24)}`,
  event: () => `ftevent-${randomToken(24)}`,
  checkpoint: () => `ftckpt_${randomToken(24)}`,
  modelTag: () => randomToken(8),
  organization: () => `org-${randomToken(24)}`,
  request: () => `req_${randomToken(32)}`,
};

export function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
