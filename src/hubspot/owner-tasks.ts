/**
 * Each CSM's task load, for the day's capacity: open tasks (all of theirs, not only ours: it is
 * their open work that must not pile up) and the tasks our dispatch gave them on a given day (the
 * `Dispatched on <day>` line of the body: what today's earlier runs used, also when runs are
 * evaluated `--now` another day). One paged task search: owner IN members AND status ≠ COMPLETED.
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
  /** Open tasks our dispatch gave each owner on the day asked for. */
  dispatchedOn: Map<string, number>;
}

const DISPATCHED = /Dispatched on (\d{4}-\d{2}-\d{2})/;

/**
 * @example
 * const { open, dispatchedOn } = await ownerTaskLoads(http, ['7', '9'], '2026-11-30');
 */
export async function ownerTaskLoads(http: HubSpotClient, ownerIds: readonly string[], day: string): Promise<OwnerTaskLoads> {
  const open = new Map<string, number>();
  const dispatchedOn = new Map<string, number>();
  for (let i = 0; i < ownerIds.length; i += MAX_IN_VALUES) {
    const owners = ownerIds.slice(i, i + MAX_IN_VALUES) as string[];
    const ownerFilter = { propertyName: 'hubspot_owner_id', operator: 'IN', values: owners };
    let after: string | undefined;
    let seen = 0;
    for (;;) {
      const body: Record<string, unknown> = {
        filterGroups: [{ filters: [ownerFilter, { propertyName: 'hs_task_status', operator: 'NEQ', value: 'COMPLETED' }] }],
        sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
        properties: ['hubspot_owner_id', 'hs_task_status', 'hs_task_body'],
        limit: PAGE,
      };
      if (after !== undefined) body.after = after;
      const { data } = await http.request({ method: 'POST', path: '/crm/v3/objects/tasks/search', kind: 'taskSearch', intent: 'read', schema: searchPageSchema, body });
      for (const r of data.results) {
        const owner = r.properties.hubspot_owner_id;
        if (typeof owner !== 'string' || owner === '') continue;
        open.set(owner, (open.get(owner) ?? 0) + 1);
        if (DISPATCHED.exec(r.properties.hs_task_body ?? '')?.[1] === day) dispatchedOn.set(owner, (dispatchedOn.get(owner) ?? 0) + 1);
      }
      seen += data.results.length;
      const next = data.paging?.next?.after;
      if (next === undefined || data.results.length === 0 || seen + PAGE > SEARCH_CEILING) break;
      after = next;
    }
  }
  return { open, dispatchedOn };
}
