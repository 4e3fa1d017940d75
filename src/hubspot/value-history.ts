/**
 * What HubSpot itself knows about the age of a value and about how tickets are used:
 *
 * - `valueTimestamps`: when the current usage / NPS values were set, from property history
 *   (`propertiesWithHistory` on batch read, at most 50 inputs per call). Used for freshness when no
 *   sync date (`cs_usage_updated_at`, `cs_nps_date`) is known.
 *   https://developers.hubspot.com/docs/api-reference/latest/crm/objects/objects/batch/get-objects
 * - `ticketsLinked`: whether the portal associates its tickets with companies at all. One list call
 *   (`GET /crm/v3/objects/tickets?associations=companies`, 100 tickets): linked when any of them has a
 *   company. Without that, a company with no ticket has no ticket evidence (unknown, not "0 open").
 *   https://developers.hubspot.com/docs/api-reference/latest/crm/objects/objects/get-objects
 */
import { z } from 'zod';
import type { HubSpotClient } from './client';
import { INPUT_PROPERTIES, resolveProperty, type PropertyMap } from './company-properties';
import { parseDateTimeValue } from './value-codecs';
import { chunk } from './batch';
import { LIMITS } from './limits';
import { batchObjectsSchema, pagingSchema, type SimpleObject } from './schemas';
import type { ValueTimestamps } from '../app/ports';

/** The usage-side properties whose newest value dates the product sync. */
export function usageHistoryProperties(propertyMap: PropertyMap = {}): string[] {
  return [INPUT_PROPERTIES.usageCurrentPeriod, INPUT_PROPERTIES.activeUsers, INPUT_PROPERTIES.lastLoginDate].map((n) => resolveProperty(n, propertyMap));
}

/** Epoch ms of the newest entry with a value, or null. */
export function newestSet(obj: SimpleObject, property: string): number | null {
  let best: number | null = null;
  for (const h of obj.propertiesWithHistory?.[property] ?? []) {
    if (h.value === null || h.value === undefined || h.value.trim() === '') continue;
    const at = parseDateTimeValue(h.timestamp);
    if (!at.ok || at.value === null) continue;
    const ms = Date.parse(at.value);
    if (best === null || ms > best) best = ms;
  }
  return best;
}

/**
 * When the current usage and NPS values were set, per company, from property history. Companies
 * HubSpot does not return are absent (unknown).
 *
 * @example
 * (await valueTimestamps(http, ['42'])).get('42') // { usageValueAt: '2026-11-20T03:00:00.000Z', npsValueAt: null }
 */
export async function valueTimestamps(http: HubSpotClient, companyIds: string[], propertyMap: PropertyMap = {}): Promise<Map<string, ValueTimestamps>> {
  const usage = usageHistoryProperties(propertyMap);
  const nps = resolveProperty(INPUT_PROPERTIES.npsScore, propertyMap);
  const out = new Map<string, ValueTimestamps>();
  for (const part of chunk([...new Set(companyIds)], LIMITS.historyBatchSize)) {
    const { data } = await http.request({
      method: 'POST',
      path: '/crm/v3/objects/companies/batch/read',
      qs: { archived: 'false' },
      kind: 'historyRead',
      intent: 'read',
      schema: batchObjectsSchema,
      body: { properties: [], propertiesWithHistory: [...usage, nps], inputs: part.map((id) => ({ id })) },
    });
    for (const r of data.results) {
      let usageMs: number | null = null;
      for (const p of usage) {
        const ms = newestSet(r, p);
        if (ms !== null && (usageMs === null || ms > usageMs)) usageMs = ms;
      }
      const npsMs = newestSet(r, nps);
      out.set(r.id, { usageValueAt: usageMs === null ? null : new Date(usageMs).toISOString(), npsValueAt: npsMs === null ? null : new Date(npsMs).toISOString() });
    }
  }
  return out;
}

const ticketListSchema = z
  .object({
    results: z.array(
      z
        .object({
          id: z.string(),
          associations: z.record(z.string(), z.object({ results: z.array(z.object({ id: z.string() }).loose()) }).loose()).optional(),
        })
        .loose(),
    ),
    paging: pagingSchema,
  })
  .loose();

/** Tickets sampled to learn whether the portal links tickets to companies (one list page). */
export const TICKET_SAMPLE = 100;

/**
 * True when any of the portal's first `TICKET_SAMPLE` tickets is associated with a company.
 *
 * @example
 * await ticketsLinked(http) // false on a portal that does not use tickets, or never links them
 */
export async function ticketsLinked(http: HubSpotClient): Promise<boolean> {
  const { data } = await http.request({
    method: 'GET',
    path: '/crm/v3/objects/tickets',
    qs: { limit: String(TICKET_SAMPLE), associations: 'companies', archived: 'false' },
    kind: 'list',
    intent: 'read',
    schema: ticketListSchema,
  });
  return data.results.some((t) => Object.values(t.associations ?? {}).some((a) => a.results.length > 0));
}
