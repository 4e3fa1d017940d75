/**
 * Batch helpers: chunking (100 inputs per call) and per-record error attribution of 207 answers.
 */
import type { StandardError } from './schemas';

/** HubSpot's batch limit for object batch read/update/create. */
export const BATCH_SIZE = 100;

/** HubSpot's limit for v4 association batch reads (1,000 ids per request body since Feb 2025). */
export const ASSOCIATION_BATCH_SIZE = 1000;

/**
 * Splits into chunks of `size`.
 *
 * @example
 * chunk([1, 2, 3], 2) // [[1, 2], [3]]
 */
export function chunk<T>(items: readonly T[], size: number = BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Runs `fn` for every part at once (the client's in-flight gate and pacer bound the requests) and
 * returns the results in the parts' order. Every part finishes before an error is thrown (the
 * first one), so no request is left running behind a failed call.
 *
 * @example
 * const pages = await inParallel(chunk(ids, 100), (part) => readOne(part));
 */
export async function inParallel<T, R>(parts: readonly T[], fn: (part: T, index: number) => Promise<R>): Promise<R[]> {
  if (parts.length === 1) return [await fn(parts[0] as T, 0)];
  const settled = await Promise.allSettled(parts.map((p, i) => fn(p, i)));
  const out: R[] = [];
  for (const r of settled) {
    if (r.status === 'rejected') throw r.reason;
    out.push(r.value);
  }
  return out;
}

/**
 * An HTTP-like status for a per-record batch error (HubSpot's `status` there is the string "error").
 *
 * @example
 * statusForCategory('OBJECT_NOT_FOUND') // 404
 */
export function statusForCategory(category: string | undefined): number {
  switch (category) {
    case 'OBJECT_NOT_FOUND':
      return 404;
    case 'CONFLICT':
      return 409;
    case 'RATE_LIMITS':
      return 429;
    case 'MISSING_SCOPES':
      return 403;
    default:
      return 400;
  }
}

/** Ids named in an error's `context` (e.g. `{ ids: ['12'] }`), restricted to `candidates`. */
export function idsInError(error: StandardError, candidates: ReadonlySet<string>): string[] {
  const ids: string[] = [];
  for (const values of Object.values(error.context ?? {})) {
    for (const v of values) if (candidates.has(v)) ids.push(v);
  }
  if (ids.length === 0 && error.message) {
    for (const id of candidates) if (new RegExp(`\\b${id}\\b`).test(error.message)) ids.push(id);
  }
  return ids;
}
