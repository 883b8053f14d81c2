// Cursor paging as the API does it: `after` names the last object of the previous page.
import { invalidRequest } from './errors.ts';

interface Page<T> {
  data: T[];
  hasMore: boolean;
}

/** Slices `ordered` (already in answer order) after the object whose id is `after`. */
export function page<T extends { id: string }>(ordered: T[], after: string | null, limit: number): Page<T> {
  let start = 0;
  if (after !== null) {
    const index = ordered.findIndex((item) => item.id === after);
    // An unknown cursor is a caller bug; answering an empty page would hide it as "no more data".
    if (index === -1)
      throw invalidRequest(`Invalid 'after': no object with id '${after}' in this list.`, 'after');
    start = index + 1;
  }
  const data = ordered.slice(start, start + limit);
  return { data, hasMore: start + limit < ordered.length };
}

export function parseLimit(query: URLSearchParams, fallback: number, max: number): number {
  const raw = query.get('limit');
  if (raw === null) return fallback;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw invalidRequest(
      `Invalid 'limit': expected an integer between 1 and ${max}, but got '${raw}'.`,
      'limit',
      'invalid_value',
    );
  }
  return limit;
}
