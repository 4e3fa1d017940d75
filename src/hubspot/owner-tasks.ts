/**
 * Each CSM's task load, for the day's capacity: open tasks (all of theirs, not only ours: it is
 * their open work that must not pile up) and tasks created for them since a given instant (what
 * today's earlier runs already gave them). One paged task search with two filter groups (OR):
 * owner IN members AND status ≠ COMPLETED, or owner IN members AND created since.
 * Search request shape: https://developers.hubspot.com/docs/api-reference/search/guide
 */
import type { HubSpotClient } from './client';
import { searchPageSchema } from './schemas';

/** HubSpot's search returns no result past this index; the counts are then lower bounds. */
const SEARCH_CEILING = 10_000;
const PAGE = 200;
/** `IN` takes at most this many values per filter (HubSpot's search limit). */
const MAX_IN_VALUES = 100;

export interface OwnerTaskLoads {
  open: Map<string, number>;
  createdSince: Map<string, number>;
}

/**
 * @example
 * const { open, createdSince } = await ownerTaskLoads(http, ['7', '9'], '2026-11-30T00:00:00.000Z');
 */
export async function ownerTaskLoads(http: HubSpotClient, ownerIds: readonly string[], sinceIso: string): Promise<OwnerTaskLoads> {
  const open = new Map<string, number>();
  const createdSince = new Map<string, number>();
  const sinceMs = Date.parse(sinceIso);
  for (let i = 0; i < ownerIds.length; i += MAX_IN_VALUES) {
    const owners = ownerIds.slice(i, i + MAX_IN_VALUES) as string[];
    const ownerFilter = { propertyName: 'hubspot_owner_id', operator: 'IN', values: owners };
    let after: string | undefined;
    let seen = 0;
    for (;;) {
      const body: Record<string, unknown> = {
        filterGroups: [
          { filters: [ownerFilter, { propertyName: 'hs_task_status', operator: 'NEQ', value: 'COMPLETED' }] },
          { filters: [ownerFilter, { propertyName: 'hs_createdate', operator: 'GTE', value: String(sinceMs) }] },
        ],
        sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
        properties: ['hubspot_owner_id', 'hs_task_status', 'hs_createdate'],
        limit: PAGE,
      };
      if (after !== undefined) body.after = after;
      const { data } = await http.request({ method: 'POST', path: '/crm/v3/objects/tasks/search', kind: 'taskSearch', intent: 'read', schema: searchPageSchema, body });
      for (const r of data.results) {
        const owner = r.properties.hubspot_owner_id;
        if (typeof owner !== 'string' || owner === '') continue;
        if (r.properties.hs_task_status !== 'COMPLETED') open.set(owner, (open.get(owner) ?? 0) + 1);
        const created = Date.parse(r.properties.hs_createdate ?? '');
        if (Number.isFinite(created) && created >= sinceMs) createdSince.set(owner, (createdSince.get(owner) ?? 0) + 1);
      }
      seen += data.results.length;
      const next = data.paging?.next?.after;
      if (next === undefined || data.results.length === 0 || seen + PAGE > SEARCH_CEILING) break;
      after = next;
    }
  }
  return { open, createdSince };
}
