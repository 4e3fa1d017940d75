/** CRM search: filterGroups (OR of ANDs), sorts, paging, HubSpot's limits. */
import { z } from 'zod';
import type { CrmObject, CrmStore } from './store';
import type { ObjectType } from './schemas';
import { comparable } from './values';

export const SEARCH_MAX_LIMIT = 200;
/** HubSpot never returns a search result past the 10,000th. */
export const SEARCH_RESULT_CEILING = 10_000;

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));

export const FilterSchema = z.object({
  propertyName: z.string().min(1),
  operator: z.enum(['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN']),
  value: scalar.optional(),
  highValue: scalar.optional(),
  values: z.array(scalar).optional(),
});
export type Filter = z.infer<typeof FilterSchema>;

const SortSchema = z.union([
  z.string().transform((s) => (s.startsWith('-') ? { propertyName: s.slice(1), direction: 'DESCENDING' as const } : { propertyName: s, direction: 'ASCENDING' as const })),
  z.object({ propertyName: z.string(), direction: z.enum(['ASCENDING', 'DESCENDING']).default('ASCENDING') }),
]);

export const SearchRequestSchema = z.object({
  query: z.string().optional(),
  limit: z.number().int().min(0).optional(),
  after: z.union([z.string(), z.number()]).optional(),
  sorts: z.array(SortSchema).optional(),
  properties: z.array(z.string()).optional(),
  filterGroups: z.array(z.object({ filters: z.array(FilterSchema) })).optional(),
});
export type SearchRequest = z.infer<typeof SearchRequestSchema>;

export type SearchError = { status: 400; message: string };

export interface SearchHit {
  obj: CrmObject;
  view: { props: Record<string, string>; updatedAt: number };
}

export interface SearchPage {
  total: number;
  hits: SearchHit[];
  nextAfter: string | null;
}

/** Validates the request against HubSpot's search limits. */
export function validateSearch(store: CrmStore, type: ObjectType, req: SearchRequest): SearchError | null {
  const groups = req.filterGroups ?? [];
  if (groups.length > 5) return { status: 400, message: `Too many filter groups (${groups.length}); the maximum is 5.` };
  let total = 0;
  for (const g of groups) {
    if (g.filters.length > 6) return { status: 400, message: `Too many filters in a group (${g.filters.length}); the maximum is 6.` };
    total += g.filters.length;
    for (const f of g.filters) {
      if (!f.propertyName.startsWith('associations.') && !store.properties[type].has(f.propertyName)) {
        return { status: 400, message: `Property "${f.propertyName}" does not exist on ${type}.` };
      }
      const needsValue = !['HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'IN', 'NOT_IN'].includes(f.operator);
      if (needsValue && f.value === undefined) return { status: 400, message: `Filter on ${f.propertyName} with operator ${f.operator} needs a value.` };
      if ((f.operator === 'IN' || f.operator === 'NOT_IN') && !f.values) return { status: 400, message: `Filter on ${f.propertyName} with operator ${f.operator} needs values.` };
      if (f.operator === 'BETWEEN' && f.highValue === undefined) return { status: 400, message: `BETWEEN on ${f.propertyName} needs a highValue.` };
    }
  }
  if (total > 18) return { status: 400, message: `Too many filters (${total}); the maximum is 18.` };
  if ((req.sorts ?? []).length > 1) return { status: 400, message: 'Only one sort is supported.' };
  const limit = req.limit ?? 10;
  if (limit > SEARCH_MAX_LIMIT) return { status: 400, message: `limit must be at most ${SEARCH_MAX_LIMIT}.` };
  return null;
}

function matches(store: CrmStore, type: ObjectType, obj: CrmObject, view: SearchHit['view'], f: Filter): boolean {
  if (f.propertyName.startsWith('associations.')) {
    const other = f.propertyName.slice('associations.'.length);
    const target: ObjectType | null = other === 'company' ? 'companies' : other === 'task' ? 'tasks' : other === 'ticket' ? 'tickets' : null;
    const ids = target ? store.associated(type, obj.id, target).map(String) : [];
    switch (f.operator) {
      case 'EQ':
        return ids.includes(f.value ?? '');
      case 'NEQ':
        return !ids.includes(f.value ?? '');
      case 'IN':
        return (f.values ?? []).some((v) => ids.includes(v));
      case 'NOT_IN':
        return !(f.values ?? []).some((v) => ids.includes(v));
      case 'HAS_PROPERTY':
        return ids.length > 0;
      case 'NOT_HAS_PROPERTY':
        return ids.length === 0;
      default:
        return false;
    }
  }
  const def = store.properties[type].get(f.propertyName);
  const raw = store.valueOf(type, { id: obj.id, createdAt: obj.createdAt, updatedAt: view.updatedAt, props: view.props }, f.propertyName);
  const has = raw !== undefined && raw !== '';
  switch (f.operator) {
    case 'HAS_PROPERTY':
      return has;
    case 'NOT_HAS_PROPERTY':
      return !has;
    default:
      break;
  }
  const multi = def?.type === 'enumeration' && def.fieldType === 'checkbox';
  const tokens = (): Array<number | string | null> => (multi && raw ? raw.split(';').map((t) => comparable(def, t)) : [comparable(def, raw)]);
  const cmp = (v: string | undefined) => (v === undefined ? null : comparable(def, v));
  switch (f.operator) {
    case 'EQ': {
      const want = cmp(f.value);
      return has && tokens().some((t) => t === want);
    }
    case 'NEQ': {
      const want = cmp(f.value);
      return !has || !tokens().some((t) => t === want);
    }
    case 'IN': {
      const wants = (f.values ?? []).map((v) => cmp(v));
      return has && tokens().some((t) => wants.includes(t));
    }
    case 'NOT_IN': {
      const wants = (f.values ?? []).map((v) => cmp(v));
      return !has || !tokens().some((t) => wants.includes(t));
    }
    case 'CONTAINS_TOKEN':
      return has && String(raw).toLowerCase().includes(String(f.value ?? '').toLowerCase().replace(/\*/g, ''));
    case 'NOT_CONTAINS_TOKEN':
      return !has || !String(raw).toLowerCase().includes(String(f.value ?? '').toLowerCase().replace(/\*/g, ''));
    default: {
      const v = comparable(def, raw);
      const a = cmp(f.value);
      if (v === null || a === null || typeof v !== typeof a) return false;
      switch (f.operator) {
        case 'LT':
          return v < a;
        case 'LTE':
          return v <= a;
        case 'GT':
          return v > a;
        case 'GTE':
          return v >= a;
        case 'BETWEEN': {
          const b = cmp(f.highValue);
          return b !== null && typeof b === typeof v && v >= a && v <= b;
        }
        default:
          return false;
      }
    }
  }
}

interface CacheEntry {
  version: number;
  hits: SearchHit[];
}

/** Runs searches; caches the ordered hit list of a query between its pages while nothing changes. */
export class SearchEngine {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(private readonly store: CrmStore) {}

  run(type: ObjectType, req: SearchRequest, now: number): SearchPage | SearchError {
    const limit = req.limit ?? 10;
    const after = req.after === undefined || req.after === '' ? 0 : Number(req.after);
    if (!Number.isInteger(after) || after < 0) return { status: 400, message: `Invalid after: ${String(req.after)}` };
    if (after >= SEARCH_RESULT_CEILING) {
      return { status: 400, message: `The search API cannot page past ${SEARCH_RESULT_CEILING} results (after=${after}). Narrow the query, e.g. hs_object_id > the last id seen.` };
    }
    const hits = this.hits(type, req, now);
    const end = Math.min(after + limit, hits.length, SEARCH_RESULT_CEILING);
    const page = hits.slice(after, end);
    // Like HubSpot, the page that ends at the ceiling still offers `next` ("10000"); asking for it is a 400.
    const nextAfter = end < hits.length ? String(end) : null;
    return { total: hits.length, hits: page, nextAfter };
  }

  private hits(type: ObjectType, req: SearchRequest, now: number): SearchHit[] {
    const cacheable = !this.store.hasPendingIndex();
    const key = `${type}|${JSON.stringify([req.query ?? '', req.filterGroups ?? [], req.sorts ?? []])}`;
    if (cacheable) {
      const c = this.cache.get(key);
      if (c && c.version === this.store.version) return c.hits;
    }
    const groups = req.filterGroups ?? [];
    const q = req.query?.trim().toLowerCase() ?? '';
    const out: SearchHit[] = [];
    for (const obj of this.store.objects[type].values()) {
      if (obj.archived) continue;
      const view = this.store.searchView(type, obj, now);
      if (!view) continue;
      if (groups.length > 0 && !groups.some((g) => g.filters.every((f) => matches(this.store, type, obj, view, f)))) continue;
      if (q && !Object.values(view.props).some((v) => v.toLowerCase().includes(q))) continue;
      out.push({ obj, view });
    }
    const sort = req.sorts?.[0];
    if (sort && sort.propertyName !== 'hs_object_id') {
      const def = this.store.properties[type].get(sort.propertyName);
      const dir = sort.direction === 'DESCENDING' ? -1 : 1;
      const keyed = out.map((h) => ({ h, k: comparable(def, this.store.valueOf(type, { ...h.obj, updatedAt: h.view.updatedAt, props: h.view.props }, sort.propertyName)) }));
      keyed.sort((x, y) => {
        if (x.k === null || y.k === null) return x.k === y.k ? x.h.obj.id - y.h.obj.id : x.k === null ? 1 : -1;
        if (x.k < y.k) return -dir;
        if (x.k > y.k) return dir;
        return x.h.obj.id - y.h.obj.id;
      });
      out.length = 0;
      for (const k of keyed) out.push(k.h);
    } else if (sort?.direction === 'DESCENDING') {
      out.reverse();
    }
    if (cacheable) {
      if (this.cache.size > 32) this.cache.clear();
      this.cache.set(key, { version: this.store.version, hits: out });
    }
    return out;
  }
}
