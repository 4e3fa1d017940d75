/**
 * Each CSM's task load, for the day's capacity: open tasks (all of theirs, not only ours: it is
 * their open work that must not pile up) and the tasks our dispatch gave them on a given day (the
 * `Dispatched on <day>` line of the body: what today's earlier runs used, also when runs are
 * evaluated `--now` another day). One task search, paged by id: owner IN members AND status ≠ COMPLETED,
 * OR (with the pool's queue) in the queue AND status ≠ COMPLETED: the queue's tasks have no owner,
 * and a rerun the same day must see what the queue was given (filterGroups are ORed).
 * Search request shape: https://developers.hubspot.com/docs/api-reference/search/guide
 */
import type { HubSpotClient } from './client';
import { searchAll } from './companies';
import type { SearchFilter } from './company-queries';

/** `IN` takes at most this many values per filter (HubSpot's search limit). */
const MAX_IN_VALUES = 100;

export interface OwnerTaskLoads {
  open: Map<string, number>;
  /**
   * Open tasks our dispatch gave each owner on the day asked for; with a queue, the ones it gave the
   * queue under `queue:<id>` (a queue task counts for the queue, whoever took it since).
   */
  dispatchedOn: Map<string, number>;
}

const DISPATCHED = /Dispatched on (\d{4}-\d{2}-\d{2})/;

/**
 * @example
 * const { open, dispatchedOn } = await ownerTaskLoads(http, ['7', '9'], '2026-11-30', '4242');
 * dispatchedOn.get('queue:4242') // tasks the dispatch gave the queue that day
 */
export async function ownerTaskLoads(http: HubSpotClient, ownerIds: readonly string[], day: string, queueId: string | null = null): Promise<OwnerTaskLoads> {
  const open = new Map<string, number>();
  const dispatchedOn = new Map<string, number>();
  const members = new Set(ownerIds);
  // A queue task with a member as owner matches both groups of one search, once; across the
  // owner chunks (the queue's group is in the first only) it could come twice: counted once.
  const counted = queueId !== null && ownerIds.length > MAX_IN_VALUES ? new Set<string>() : null;
  const openFilter: SearchFilter = { propertyName: 'hs_task_status', operator: 'NEQ', value: 'COMPLETED' };
  for (let i = 0; i < Math.max(ownerIds.length, 1); i += MAX_IN_VALUES) {
    const owners = ownerIds.slice(i, i + MAX_IN_VALUES) as string[];
    const groups: SearchFilter[][] = [];
    if (owners.length > 0) groups.push([{ propertyName: 'hubspot_owner_id', operator: 'IN', values: owners }, openFilter]);
    if (queueId !== null && i === 0) groups.push([{ propertyName: 'hs_queue_membership_ids', operator: 'EQ', value: queueId }, openFilter]);
    if (groups.length === 0) break;
    // Paged by id (each page a search above the last id read, see `searchAll`): a task completed
    // while the pages are read would shift HubSpot's `after` offset and skip one; no 10,000 ceiling.
    for await (const page of searchAll(http, 'tasks', { filterGroups: groups, properties: ['hubspot_owner_id', 'hs_task_status', 'hs_task_body', ...(queueId !== null ? ['hs_queue_membership_ids'] : [])], kind: 'taskSearch' })) {
      for (const r of page.results) {
        if (counted !== null) {
          if (counted.has(r.id)) continue;
          counted.add(r.id);
        }
        const owner = r.properties.hubspot_owner_id;
        const member = typeof owner === 'string' && owner !== '' && members.has(owner) ? owner : null;
        if (member !== null) open.set(member, (open.get(member) ?? 0) + 1);
        if (DISPATCHED.exec(r.properties.hs_task_body ?? '')?.[1] !== day) continue;
        const queued = queueId !== null && (r.properties.hs_queue_membership_ids ?? '').split(';').some((q) => q.trim() === queueId);
        const k = queued ? `queue:${queueId}` : member;
        if (k !== null) dispatchedOn.set(k, (dispatchedOn.get(k) ?? 0) + 1);
      }
    }
  }
  return { open, dispatchedOn };
}
