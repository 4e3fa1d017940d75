/**
 * Everything the company card needs from HubSpot in as few calls as possible:
 *
 * 1. one `GET /crm/v3/objects/companies/{id}` with the card's properties, `propertiesWithHistory`
 *    for `cs_health_score` and `cs_health_summary` (the score history with its causes, no store of
 *    ours) and `associations=tasks,tickets` (the associated ids);
 * 2. then, in parallel, one `batch/read` per associated object type that has ids: tasks (our open
 *    CS tasks, with the contacts each was linked to, from its body) and tickets (open /
 *    high-priority counts); for a company with no ticket, the portal's tickets-linked answer
 *    (cached per portal and process) in the same round trip.
 *
 * The contacts (the card's People section) are not read here: the card reads them itself with the
 * UI extensions SDK's `useAssociations` hook, a read HubSpot's CRM UI makes for the record shown,
 * not a call on the app's token. Owners come from the CRM's owners cache (see
 * `createOwnersCache`; the card lists the active ones, and the archived ones only when a name it
 * shows is missing), so a card load in a warm container is 1 to 3 calls in two round trips instead
 * of 6–8 in four; a cold container adds the owners list (and the tickets-linked probe when the
 * company has no ticket).
 *
 * HubSpot reference: "Companies" CRM API, `GET /crm/v3/objects/companies/{companyId}` with the
 * `properties`, `propertiesWithHistory` and `associations` query parameters
 * (https://developers.hubspot.com/docs/api-reference/crm-companies-v3/basic/get-crm-v3-objects-companies-companyId);
 * each association list is `{ results: [{ id, type }], paging }`.
 */
import { z } from 'zod';
import type { Account, HistoryPoint, OpenTask } from '../core';
import type { CompanyCardRead } from '../app/ports';
import type { HubSpotClient } from './client';
import { batchReadObjects, contactIdsFromBody, HIGH_PRIORITIES, TASK_PROPERTIES, TICKET_PROPERTIES, URGENT_PRIORITY, toOpenTask } from './associations';
import { BATCH_SIZE } from './batch';
import { INPUT_PROPERTIES, WRITTEN_PROPERTIES, companyPropertyNames, resolveProperty, type PropertyMap } from './company-properties';
import { parseCompany } from './company-parser';
import { parseDateTimeValue } from './value-codecs';
import { HubSpotApiError } from './errors';
import { simpleObjectSchema, type SimpleObject } from './schemas';
import { newestSet, usageHistoryProperties } from './value-history';

/** The company's HubSpot owner (standard property). */
export const COMPANY_OWNER_PROPERTY = 'hubspot_owner_id';

const associationListSchema = z
  .object({
    results: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String), type: z.string().optional() }).loose()).default([]),
  })
  .loose();

const companyWithAssociationsSchema = simpleObjectSchema.and(
  z.object({ associations: z.record(z.string(), associationListSchema).optional() }).loose(),
);



export interface CompanyCardOptions {
  propertyMap?: PropertyMap;
  closedTicketStageIds?: readonly string[];
  /**
   * Whether the portal links tickets to companies (cached per portal): asked, in the same round
   * trip as the batch reads, only for a company with no ticket at all whose answer `ticketsLinkedKnown`
   * does not already give.
   */
  ticketsLinked?: () => Promise<boolean>;
  /**
   * The tickets-linked answer from the company as read (e.g. what the last sweep judged, from the
   * health summary it wrote); null = not known from the record, ask `ticketsLinked`.
   */
  ticketsLinkedKnown?: (account: Account) => boolean | null;
}

function instant(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const parsed = parseDateTimeValue(raw);
  return parsed.ok ? parsed.value : null;
}

function historyOf(obj: SimpleObject, name: string): { value: string; at: string }[] {
  const out: { value: string; at: string }[] = [];
  for (const h of obj.propertiesWithHistory?.[name] ?? []) {
    const at = instant(h.timestamp);
    const value = h.value?.trim();
    if (at === null || value === undefined || value === '') continue;
    out.push({ value, at });
  }
  return out.sort((a, b) => b.at.localeCompare(a.at));
}

/** The newest `max` ids (HubSpot ids grow with time), as one batch read holds at most 100. */
function newest(ids: readonly string[], max: number): string[] {
  return [...new Set(ids)].sort((a, b) => (a.length - b.length) || (a < b ? -1 : a > b ? 1 : 0)).slice(-max);
}

/**
 * Reads the card's data for one company; null when it does not exist (404 or archived).
 *
 * @example
 * const r = await readCompanyCard(http, '4021', {});
 * if (r) console.log(r.account.name, r.openTasks.length, r.scoreHistory[0]);
 */
export async function readCompanyCard(http: HubSpotClient, companyId: string, options: CompanyCardOptions): Promise<CompanyCardRead | null> {
  const map = options.propertyMap ?? {};
  const properties = [...companyPropertyNames(map), COMPANY_OWNER_PROPERTY];
  // The same GET carries the history of the usage and NPS values: their age when no sync date is mapped.
  const usageProps = usageHistoryProperties(map);
  const npsProp = resolveProperty(INPUT_PROPERTIES.npsScore, map);
  const withHistory = [WRITTEN_PROPERTIES.healthScore, WRITTEN_PROPERTIES.healthSummary, ...usageProps, npsProp];
  let company: z.infer<typeof companyWithAssociationsSchema>;
  try {
    const { data } = await http.request({
      method: 'GET',
      path: `/crm/v3/objects/companies/${encodeURIComponent(companyId)}`,
      qs: { properties: properties.join(','), propertiesWithHistory: withHistory.join(','), associations: 'tasks,tickets', archived: 'false' },
      kind: 'read',
      intent: 'read',
      schema: companyWithAssociationsSchema,
    });
    company = data;
  } catch (error) {
    if (error instanceof HubSpotApiError && error.status === 404) return null;
    throw error;
  }
  const assoc = company.associations ?? {};
  const taskIds = newest((assoc.tasks?.results ?? []).map((a) => a.id), BATCH_SIZE);
  const ticketIds = newest((assoc.tickets?.results ?? []).map((a) => a.id), BATCH_SIZE);

  const parsed = parseCompany({ id: company.id, properties: company.properties }, map);
  // A company with no ticket: the record may already say whether tickets count (the sweep's
  // judgement); the portal is asked only when it does not.
  const known = ticketIds.length === 0 ? (options.ticketsLinkedKnown?.(parsed.account) ?? null) : null;
  const none = Promise.resolve(new Map<string, SimpleObject>());
  const [tasks, tickets, asked] = await Promise.all([
    taskIds.length > 0 ? batchReadObjects(http, 'tasks', taskIds, TASK_PROPERTIES) : none,
    ticketIds.length > 0 ? batchReadObjects(http, 'tickets', ticketIds, TICKET_PROPERTIES) : none,
    ticketIds.length === 0 && known === null && options.ticketsLinked ? options.ticketsLinked() : Promise.resolve(null),
  ]);
  const linked = known ?? asked;

  const openTasks: OpenTask[] = [];
  const taskContactIds: Record<string, string[]> = {};
  for (const id of taskIds) {
    const t = tasks.get(id);
    if (!t) continue;
    const task = toOpenTask(t);
    if (task.key === null || task.status.toUpperCase() === 'COMPLETED') continue;
    openTasks.push(task);
    // The contacts the task was linked to when created (createTasks writes them before the key line).
    const linked = contactIdsFromBody(t.properties.hs_task_body);
    if (linked.length > 0) taskContactIds[task.id] = linked;
  }
  const closed = new Set(options.closedTicketStageIds ?? ['4']);
  let open = 0;
  let highPriority = 0;
  let urgent = 0;
  for (const id of ticketIds) {
    const t = tickets.get(id);
    if (!t || closed.has(t.properties.hs_pipeline_stage ?? '')) continue;
    open++;
    const priority = (t.properties.hs_ticket_priority ?? '').toUpperCase();
    if (HIGH_PRIORITIES.has(priority)) highPriority++;
    if (priority === URGENT_PRIORITY) urgent++;
  }

  const usageMs = usageProps.map((p) => newestSet(company, p)).reduce<number | null>((a, b) => (b === null ? a : a === null ? b : Math.max(a, b)), null);
  const npsMs = newestSet(company, npsProp);
  const account: Account = {
    ...parsed.account,
    openTickets: open,
    highPriorityTickets: highPriority,
    urgentTickets: urgent,
    openCsTasks: openTasks.length,
    usageValueAt: usageMs === null ? null : new Date(usageMs).toISOString(),
    npsValueAt: npsMs === null ? null : new Date(npsMs).toISOString(),
  };
  const scoreHistory: HistoryPoint[] = historyOf(company, WRITTEN_PROPERTIES.healthScore)
    .filter((h) => /^[+-]?\d+(\.\d+)?$/.test(h.value))
    .map((h) => ({ value: Number(h.value), at: h.at }));
  const owner = company.properties[COMPANY_OWNER_PROPERTY]?.trim();
  return {
    account,
    issues: parsed.issues,
    accountOwnerId: owner ? owner : null,
    scoreHistory,
    summaryHistory: historyOf(company, WRITTEN_PROPERTIES.healthSummary),
    openTasks,
    taskContactIds,
    ticketsTotal: ticketIds.length,
    ...(linked === null ? {} : { ticketsLinked: linked }),
  };
}
