/**
 * Company reads and writes: search paging past the 10,000-result ceiling, batch read, batch
 * update with 207 handling, and score history.
 */
import type { HistoryPoint, RecordIssue, Account } from '../core';
import { HubSpotApiError, missingPropertyNames } from './errors';
import type { HubSpotClient } from './client';
import type { BatchResult, CompanyPage, CompanyUpdate, IterateCompaniesOptions } from '../app/ports';
import { WRITTEN_PROPERTIES, companyPropertyNames, type PropertyMap } from './company-properties';
import { DEFAULT_VALUE_BOUNDS, parseCompany, type ValueBounds } from './company-parser';
import { formatPropertyValue, parseDateTimeValue } from './value-codecs';
import { BATCH_SIZE, chunk, idsInError, inParallel, statusForCategory } from './batch';
import { companySearchGroups, type SearchFilter } from './company-queries';
import { batchObjectsSchema, searchPageSchema, simpleObjectSchema, type SimpleObject } from './schemas';

/** HubSpot's search returns no result past this index. */
export const SEARCH_CEILING = 10_000;
export const SEARCH_PAGE_MAX = 200;

/**
 * Encodes / decodes the resume cursor: the last company id seen.
 *
 * @example
 * decodeCursor(encodeCursor('42')) // '42'
 */
export function encodeCursor(lastId: string): string {
  return `gt:${lastId}`;
}
export function decodeCursor(cursor: string | null | undefined): string | null {
  if (cursor === null || cursor === undefined || cursor === '') return null;
  const m = /^gt:(\d+)$/.exec(cursor);
  if (!m?.[1]) throw new Error(`Invalid company cursor "${cursor}"`);
  return m[1];
}

function toEpochMs(instant: string): string {
  if (/^\d+$/.test(instant)) return instant;
  const parsed = parseDateTimeValue(instant);
  if (!parsed.ok || parsed.value === null) throw new Error(`Invalid modifiedSince "${instant}"`);
  return String(Date.parse(parsed.value));
}

/**
 * Streams companies sorted by `hs_object_id` ascending, 200 per page, with `after` paging; before
 * the 10,000th result it starts a new search with `hs_object_id GT <last id>`, so every company is
 * visited exactly once. Each page's cursor resumes after it.
 *
 * @example
 * for await (const page of iterateCompanies(http, {}, {})) console.log(page.accounts.length, page.cursor);
 */
export async function* iterateCompanies(
  http: HubSpotClient,
  options: IterateCompaniesOptions = {},
  propertyMap: PropertyMap = {},
  bounds: ValueBounds = DEFAULT_VALUE_BOUNDS,
): AsyncGenerator<CompanyPage> {
  const properties = companyPropertyNames(propertyMap);
  const modified: SearchFilter[] = options.modifiedSince ? [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: toEpochMs(options.modifiedSince) }] : [];
  const groups = companySearchGroups(options, propertyMap).map((g) => [...g, ...modified]);
  for await (const page of searchAll(http, 'companies', { filterGroups: groups, properties, pageSize: options.pageSize, afterId: decodeCursor(options.after) })) {
    const accounts: Account[] = [];
    const issues: RecordIssue[] = [];
    for (const raw of page.results) {
      const parsed = parseCompany({ id: raw.id, properties: raw.properties }, propertyMap, bounds);
      accounts.push(parsed.account);
      issues.push(...parsed.issues);
    }
    yield { accounts, issues, cursor: page.lastId === null ? null : encodeCursor(page.lastId), total: page.total };
  }
}

/** One page of raw search results, with the last id seen so far and the first answer's total. */
export interface SearchPage {
  results: SimpleObject[];
  lastId: string | null;
  total: number | null;
}

/**
 * Every object a search matches, sorted by `hs_object_id` ascending, 200 per page. Each page is a
 * search above the last id seen (`hs_object_id GT`), not HubSpot's `after` offset: a run writes
 * the companies it reads, and a company it moves out of the query (its follow-up day, backlog or
 * score rewritten) would shift every later offset by one and skip a company it never read. Paging by
 * id skips nothing and has no 10,000-result ceiling. Empty pages are not yielded.
 *
 * @example
 * for await (const page of searchAll(http, 'tickets', { filters, properties: ['hs_pipeline_stage'] })) count += page.results.length;
 */
export async function* searchAll(
  http: HubSpotClient,
  objectType: string,
  options: { filters?: SearchFilter[]; filterGroups?: SearchFilter[][]; properties: string[]; pageSize?: number; afterId?: string | null; kind?: 'search' | 'taskSearch' },
): AsyncGenerator<SearchPage> {
  const limit = Math.min(SEARCH_PAGE_MAX, Math.max(1, options.pageSize ?? SEARCH_PAGE_MAX));
  const baseGroups = options.filterGroups ?? [options.filters ?? []];
  let lastId = options.afterId ?? null;
  /** The first answer's total: what the query matched when it started. */
  let total: number | null = null;

  for (;;) {
    const groups = lastId === null ? baseGroups : baseGroups.map((g) => [...g, { propertyName: 'hs_object_id', operator: 'GT', value: lastId }]);
    const body: Record<string, unknown> = {
      filterGroups: groups.filter((g) => g.length > 0).map((filters) => ({ filters })),
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
      properties: options.properties,
      limit,
    };
    const { data } = await http.request({
      method: 'POST',
      path: `/crm/v3/objects/${objectType}/search`,
      kind: options.kind ?? 'search',
      intent: 'read',
      schema: searchPageSchema,
      body,
    });
    const last = data.results[data.results.length - 1];
    if (last) lastId = last.id;
    total ??= data.total ?? null;
    if (data.results.length === 0) return;
    yield { results: data.results, lastId, total };
    // No next page (or a short one, or a total this page holds): that was the last.
    if (data.paging?.next?.after === undefined || data.results.length < limit) return;
    if (data.total !== undefined && data.total <= data.results.length) return;
  }
}

/**
 * Reads companies by id, 100 per `batch/read` call, the calls at once (the client's in-flight gate
 * and pacer bound them; the accounts come back in the ids' order); ids HubSpot does not return are
 * `missing`.
 *
 * @example
 * const { accounts, missing } = await readCompanies(http, ['1', '2'], {});
 */
export async function readCompanies(
  http: HubSpotClient,
  ids: string[],
  propertyMap: PropertyMap = {},
  bounds: ValueBounds = DEFAULT_VALUE_BOUNDS,
): Promise<{ accounts: Account[]; issues: RecordIssue[]; missing: string[] }> {
  const unique = [...new Set(ids)];
  const properties = companyPropertyNames(propertyMap);
  const accounts: Account[] = [];
  const issues: RecordIssue[] = [];
  const found = new Set<string>();
  const pages = await inParallel(chunk(unique, BATCH_SIZE), (part) =>
    http.request({
      method: 'POST',
      path: '/crm/v3/objects/companies/batch/read',
      qs: { archived: 'false' },
      kind: 'batchRead',
      intent: 'read',
      schema: batchObjectsSchema,
      body: { properties, propertiesWithHistory: [], inputs: part.map((id) => ({ id })) },
    }),
  );
  for (const { data } of pages) {
    for (const raw of data.results) {
      if (found.has(raw.id)) continue;
      found.add(raw.id);
      const parsed = parseCompany({ id: raw.id, properties: raw.properties }, propertyMap, bounds);
      accounts.push(parsed.account);
      issues.push(...parsed.issues);
    }
  }
  return { accounts, issues, missing: unique.filter((id) => !found.has(id)) };
}

/**
 * Batch-updates companies, 100 per call (idempotent, so retried on 5xx). A 207 counts the
 * records that succeeded and reports the others per record; a 4xx for a whole chunk reports
 * every record of it. Auth and daily-limit errors stop the run (thrown).
 *
 * @example
 * const { ok, failed } = await updateCompanies(http, [{ id: '1', properties: { cs_health_score: 72 } }]);
 */
export async function updateCompanies(http: HubSpotClient, updates: CompanyUpdate[], options: { createMissing?: (names: string[]) => Promise<boolean> } = {}): Promise<BatchResult<string>> {
  // One input per id (HubSpot rejects duplicate ids in a batch); later values win.
  const merged = new Map<string, Record<string, string>>();
  for (const u of updates) {
    const props = merged.get(u.id) ?? {};
    for (const [k, v] of Object.entries(u.properties)) props[k] = formatPropertyValue(v);
    merged.set(u.id, props);
  }
  const inputs = [...merged.entries()].filter(([, p]) => Object.keys(p).length > 0).map(([id, properties]) => ({ id, properties }));
  const parts = await inParallel(chunk(inputs, BATCH_SIZE), (part) => updateChunk(http, part, options.createMissing));
  const result: BatchResult<string> = { ok: [], failed: [] };
  for (const r of parts) {
    result.ok.push(...r.ok);
    result.failed.push(...r.failed);
  }
  return result;
}

/**
 * One batch update. A 400 naming properties the portal lacks (`missingPropertyNames`: a version that
 * added properties to the contract, before `setup` ran) has `createMissing` create them, and the
 * chunk is sent once more: a 400 applied nothing, and an update is idempotent anyway.
 */
async function updateChunk(http: HubSpotClient, part: Array<{ id: string; properties: Record<string, string> }>, createMissing?: (names: string[]) => Promise<boolean>): Promise<BatchResult<string>> {
  const result: BatchResult<string> = { ok: [], failed: [] };
  const sent = new Set(part.map((p) => p.id));
  try {
    const { data } = await http.request({
      method: 'POST',
      path: '/crm/v3/objects/companies/batch/update',
      kind: 'batchUpdate',
      intent: 'idempotent-write',
      schema: batchObjectsSchema,
      body: { inputs: part },
    });
    const done = new Set<string>();
    for (const r of data.results) if (sent.has(r.id) && !done.has(r.id)) done.add(r.id);
    result.ok.push(...done);
    const reported = new Set<string>();
    for (const error of data.errors ?? []) {
      for (const id of idsInError(error, sent)) {
        if (done.has(id) || reported.has(id)) continue;
        reported.add(id);
        result.failed.push({ id, status: statusForCategory(error.category), message: error.message ?? error.category ?? 'error' });
      }
    }
    const generic = (data.errors ?? [])[0];
    for (const id of sent) {
      if (done.has(id) || reported.has(id)) continue;
      result.failed.push({ id, status: statusForCategory(generic?.category), message: generic?.message ?? 'not in HubSpot batch response' });
    }
  } catch (error) {
    const missing = missingPropertyNames(error);
    if (missing.length > 0 && createMissing !== undefined && (await createMissing(missing))) return updateChunk(http, part);
    if (error instanceof HubSpotApiError && error.kind === 'client') {
      for (const id of sent) result.failed.push({ id, status: error.status ?? 400, message: error.message });
      return result;
    }
    throw error;
  }
  return result;
}

/**
 * The health score's history from `propertiesWithHistory`, newest first; unparsable values skipped.
 *
 * @example
 * await healthHistory(http, '42') // [{ value: 71, at: '2026-11-01T00:00:00.000Z' }, ...]
 */
export async function healthHistory(http: HubSpotClient, companyId: string): Promise<HistoryPoint[]> {
  const property = WRITTEN_PROPERTIES.healthScore;
  const { data } = await http.request({
    method: 'GET',
    path: `/crm/v3/objects/companies/${encodeURIComponent(companyId)}`,
    qs: { properties: property, propertiesWithHistory: property, archived: 'false' },
    kind: 'history',
    intent: 'read',
    schema: simpleObjectSchema,
  });
  const points: HistoryPoint[] = [];
  for (const h of data.propertiesWithHistory?.[property] ?? []) {
    const value = h.value?.trim();
    if (!value || !/^[+-]?\d+(\.\d+)?$/.test(value)) continue;
    const at = parseDateTimeValue(h.timestamp);
    if (!at.ok || at.value === null) continue;
    points.push({ value: Number(value), at: at.value });
  }
  return points.sort((a, b) => b.at.localeCompare(a.at));
}
