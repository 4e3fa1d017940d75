/**
 * Owners (HubSpot users): active and archived, with teams. A deactivated user keeps its owner
 * record but loses `userId` (only `userIdIncludingInactive` remains): it is not active.
 */
import type { Owner } from '../core';
import type { HubSpotClient } from './client';
import { ownersPageSchema } from './schemas';

/**
 * Lists owners, paging `GET /crm/v3/owners` (100 per page) for `archived=false` then `archived=true`.
 *
 * @example
 * const owners = await listOwners(http); // owners.filter((o) => o.active)
 */
export async function listOwners(http: HubSpotClient): Promise<Owner[]> {
  // Active first, then archived (removed users): one after the other, so a refused first listing
  // (401/403, a rate limit) stops before a second request is spent. The card lists the active ones
  // alone and the archived ones only when a name it shows is missing (see the card read).
  const out = new Map<string, Owner>();
  for (const archived of [false, true]) for (const o of await listOwnerPages(http, archived)) out.set(o.id, o);
  return [...out.values()];
}

/**
 * One of the two listings: the active owners (`archived=false`, deactivated users included, not
 * active) or the archived ones (removed users), all pages.
 *
 * @example
 * const active = await listOwnerPages(http, false);
 */
export async function listOwnerPages(http: HubSpotClient, archived: boolean): Promise<Owner[]> {
  const out = new Map<string, Owner>();
  let after: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const { data } = await http.request({
      method: 'GET',
      path: '/crm/v3/owners',
      qs: { limit: '100', archived: String(archived), ...(after ? { after } : {}) },
      kind: 'owners',
      intent: 'read',
      schema: ownersPageSchema,
    });
    for (const o of data.results) {
      const isArchived = archived || o.archived === true;
      const deactivated = (o.userId === null || o.userId === undefined) && o.userIdIncludingInactive !== null && o.userIdIncludingInactive !== undefined;
      out.set(o.id, {
        id: o.id,
        userId: o.userId ?? o.userIdIncludingInactive ?? null,
        email: o.email ?? null,
        firstName: o.firstName ?? null,
        lastName: o.lastName ?? null,
        active: !isArchived && !deactivated,
        archived: isArchived,
        teams: (o.teams ?? []).map((t) => ({ id: t.id, name: t.name, primary: t.primary ?? false })),
      });
    }
    after = data.paging?.next?.after;
    if (!after) break;
  }
  return [...out.values()];
}

/**
 * Owners cached across calls for a short time (a card load should not list every owner twice,
 * nor on every open). Keyed by portal (base URL + a hash of the token), kept in memory only.
 *
 * @example
 * const cache = createOwnersCache();
 * const owners = await cache.get('key', 300_000, Date.now(), () => listOwners(http));
 */
export interface TtlCache<T> {
  get(key: string, ttlMs: number, nowMs: number, load: () => Promise<T>): Promise<T>;
  clear(): void;
}
export type OwnersCache = TtlCache<Owner[]>;

export function createOwnersCache(): OwnersCache {
  return createTtlCache<Owner[]>();
}

/**
 * A value per key kept `ttlMs` in memory (0 = never kept); a failed load is not kept, and
 * concurrent gets of a missing key share one load.
 *
 * @example
 * const linked = createTtlCache<boolean>();
 * await linked.get('portal', 300_000, Date.now(), () => ticketsLinked(http));
 */
export function createTtlCache<T>(): TtlCache<T> {
  const entries = new Map<string, { at: number; owners: Promise<T> }>();
  return {
    async get(key, ttlMs, nowMs, load) {
      const hit = entries.get(key);
      if (hit && ttlMs > 0 && nowMs - hit.at < ttlMs && nowMs >= hit.at) return hit.owners;
      const owners = load();
      if (ttlMs > 0) entries.set(key, { at: nowMs, owners });
      try {
        return await owners;
      } catch (error) {
        entries.delete(key); // a failed list is not cached
        throw error;
      }
    },
    clear: () => entries.clear(),
  };
}
