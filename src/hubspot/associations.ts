/**
 * Reads through v4 associations (not subject to search lag): companies → tickets and tasks,
 * then the associated objects by batch read. Used for ticket counts, open CS tasks and the
 * reconciliation of uncertain task creates.
 */
import type { OpenTask } from '../core';
import type { HubSpotClient } from './client';
import type { TicketCounts } from '../app/ports';
import { ASSOCIATION_BATCH_SIZE, BATCH_SIZE, chunk, idsInError, inParallel } from './batch';
import { associationBatchSchema, batchObjectsSchema, type SimpleObject } from './schemas';
import { searchAll } from './companies';
import type { SearchFilter } from './company-queries';

/** The line our task bodies carry; the key ends at whitespace or markup. */
export const KEY_LINE_PREFIX = 'Idempotency key:';
const KEY_RE = /Idempotency key:\s*([^\s<]+)/;

/**
 * The idempotency key in a task body, or null.
 *
 * @example
 * keyFromBody('Why...\n\nIdempotency key: 42:renewal:90:2026-11') // '42:renewal:90:2026-11'
 */
export function keyFromBody(body: string | null | undefined): string | null {
  if (!body) return null;
  return KEY_RE.exec(body)?.[1] ?? null;
}

/** One association type of a v4 association read (`{ category, typeId, label }`). */
export interface AssociationTypeRead {
  typeId?: number | undefined;
  category?: string | undefined;
  label?: string | null | undefined;
}

/**
 * HubSpot-defined company → contact type of a "Primary" association (the company is the contact's
 * primary company); the unlabeled company → contact type is 280. HubSpot's association type table
 * (https://developers.hubspot.com/docs/api-reference/latest/crm/associations/guide, "Company to
 * object": 2 = company to contact (Primary), 280 = company to contact).
 */
export const COMPANY_TO_CONTACT_PRIMARY_TYPE_ID = 2;

/** Whether a v4 association's types include the "Primary" one. */
export function isPrimaryAssociation(types: readonly AssociationTypeRead[]): boolean {
  return types.some((t) => t.typeId === COMPANY_TO_CONTACT_PRIMARY_TYPE_ID || /^primary$/i.test(t.label ?? ''));
}

/**
 * The primary contacts of each company (at most `max` each, the lowest ids first: the oldest
 * links), through v4 associations companies → contacts, 1,000 companies per call. A company with
 * no primary contact maps to `[]`; companies whose links could not be read are in `failed`.
 *
 * @example
 * (await primaryContactIds(http, ['4021'], 3)).byId.get('4021') // ['101', '102']
 */
export async function primaryContactIds(http: HubSpotClient, companyIds: string[], max: number): Promise<{ byId: Map<string, string[]>; failed: Set<string> }> {
  const { byId, failed } = await readAssociations(http, 'companies', 'contacts', companyIds, { keep: isPrimaryAssociation });
  for (const [id, list] of byId) byId.set(id, [...list].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)).slice(0, Math.max(0, max)));
  return { byId, failed };
}

/** The line our task bodies carry when the task was also linked to contacts (before the key line). */
export const CONTACTS_LINE_PREFIX = 'Linked contacts:';
const CONTACTS_RE = /Linked contacts:\s*([0-9][0-9, ]*)/;

/**
 * The contact ids a task body says the task was linked to when it was created (`[]` when none).
 *
 * @example
 * contactIdsFromBody('Why…\n\nLinked contacts: 101, 102\n\nIdempotency key: k') // ['101', '102']
 */
export function contactIdsFromBody(body: string | null | undefined): string[] {
  if (!body) return [];
  const m = CONTACTS_RE.exec(body);
  if (!m?.[1]) return [];
  return m[1].split(',').map((s) => s.trim()).filter((s) => /^\d+$/.test(s));
}

/** Most associated objects followed per company (bounded work on huge association sets). */
export const MAX_ASSOCIATIONS_PER_OBJECT = 10_000;

/**
 * Associated object ids per `from` id, 1,000 ids per call. Follows each result's paging with `{ id, after }` inputs.
 * Ids with an error other than "no associations" are in `failed` (unknown), not in the map.
 *
 * @example
 * const { byId } = await readAssociations(http, 'companies', 'tickets', ['1', '2']);
 */
export async function readAssociations(
  http: HubSpotClient,
  fromType: string,
  toType: string,
  ids: string[],
  options: { keep?: (types: readonly AssociationTypeRead[]) => boolean } = {},
): Promise<{ byId: Map<string, string[]>; failed: Set<string> }> {
  const unique = [...new Set(ids)];
  const byId = new Map<string, string[]>(unique.map((id) => [id, []]));
  const failed = new Set<string>();
  let pending: Array<{ id: string; after?: string }> = unique.map((id) => ({ id }));
  while (pending.length > 0) {
    const next: Array<{ id: string; after?: string }> = [];
    const parts = chunk(pending, ASSOCIATION_BATCH_SIZE);
    const answers = await inParallel(parts, (part) =>
      http.request({
        method: 'POST',
        path: `/crm/v4/associations/${fromType}/${toType}/batch/read`,
        kind: 'associations',
        intent: 'read',
        schema: associationBatchSchema,
        body: { inputs: part },
      }),
    );
    answers.forEach(({ data }, i) => {
      const sent = new Set((parts[i] ?? []).map((p) => p.id));
      for (const r of data.results) {
        const list = byId.get(r.from.id);
        if (!list) continue;
        for (const t of r.to) {
          if (options.keep && !options.keep(t.associationTypes ?? [])) continue;
          if (list.length < MAX_ASSOCIATIONS_PER_OBJECT && !list.includes(t.toObjectId)) list.push(t.toObjectId);
        }
        const after = r.paging?.next?.after;
        if (after !== undefined && list.length < MAX_ASSOCIATIONS_PER_OBJECT) next.push({ id: r.from.id, after });
      }
      for (const error of data.errors ?? []) {
        const noAssociations = /NO_ASSOCIATIONS/i.test(String(error.subCategory ?? '')) || /no .*associat/i.test(error.message ?? '');
        if (noAssociations) continue;
        for (const id of idsInError(error, sent)) failed.add(id);
      }
    });
    pending = next;
  }
  for (const id of failed) byId.delete(id);
  return { byId, failed };
}

/**
 * Reads objects by id, 100 per `batch/read`; returns those found.
 *
 * @example
 * const tickets = await batchReadObjects(http, 'tickets', ['7'], ['hs_pipeline_stage']);
 */
export async function batchReadObjects(http: HubSpotClient, objectType: string, ids: string[], properties: string[]): Promise<Map<string, SimpleObject>> {
  const out = new Map<string, SimpleObject>();
  const answers = await inParallel(chunk([...new Set(ids)], BATCH_SIZE), (part) =>
    http.request({
      method: 'POST',
      path: `/crm/v3/objects/${objectType}/batch/read`,
      qs: { archived: 'false' },
      kind: 'batchRead',
      intent: 'read',
      schema: batchObjectsSchema,
      body: { properties, propertiesWithHistory: [], inputs: part.map((id) => ({ id })) },
    }),
  );
  for (const { data } of answers) for (const r of data.results) out.set(r.id, r);
  return out;
}

export const TICKET_PROPERTIES = ['hs_pipeline_stage', 'hs_ticket_priority'];
export const HIGH_PRIORITIES = new Set(['HIGH', 'URGENT']);
/** HubSpot's highest ticket priority (hs_ticket_priority: LOW, MEDIUM, HIGH, URGENT). */
export const URGENT_PRIORITY = 'URGENT';

/**
 * Open and high-priority (HIGH / URGENT) open tickets per company. A ticket is open unless its
 * `hs_pipeline_stage` is in `closedStageIds` (default `['4']`, the default pipeline's Closed).
 * Companies whose associations could not be read are absent (unknown).
 *
 * @example
 * (await ticketCounts(http, ['1'])).get('1') // { open: 2, highPriority: 1 }
 */
export async function ticketCounts(http: HubSpotClient, companyIds: string[], closedStageIds: readonly string[] = ['4']): Promise<Map<string, TicketCounts>> {
  const { byId } = await readAssociations(http, 'companies', 'tickets', companyIds);
  const ticketIds = [...new Set([...byId.values()].flat())];
  const tickets = ticketIds.length > 0 ? await batchReadObjects(http, 'tickets', ticketIds, TICKET_PROPERTIES) : new Map<string, SimpleObject>();
  const closed = new Set(closedStageIds);
  const out = new Map<string, TicketCounts>();
  for (const [companyId, ids] of byId) {
    let open = 0;
    let highPriority = 0;
    let urgent = 0;
    for (const id of ids) {
      const t = tickets.get(id);
      if (!t) continue;
      const stage = t.properties.hs_pipeline_stage ?? '';
      if (closed.has(stage)) continue;
      open++;
      const priority = (t.properties.hs_ticket_priority ?? '').toUpperCase();
      if (HIGH_PRIORITIES.has(priority)) highPriority++;
      if (priority === URGENT_PRIORITY) urgent++;
    }
    out.set(companyId, { open, highPriority, urgent, total: ids.length });
  }
  return out;
}

/** Open tickets of the portfolio and how many open / high-priority tickets each company has. */
export interface OpenTicketCounts {
  /** Companies with at least one open ticket; a company absent here has none. */
  byCompany: Map<string, TicketCounts>;
  /** Open tickets found by the search. */
  openTickets: number;
  /** Open tickets whose company links could not be read (counted for no company). */
  unlinked: number;
}

/**
 * Open-ticket counts for the whole portfolio, reading only open tickets: a search for tickets whose
 * `hs_pipeline_stage` is not a closed stage (200 per page, past the 10,000 ceiling), then their
 * company links (v4 associations tickets → companies, 1,000 per call, read while the search goes on).
 * A full sweep needs ⌈open / 200⌉ + ⌈open / 1,000⌉ calls instead of reading every ticket of every
 * company. (Search operators incl. NOT_IN: https://developers.hubspot.com/docs/api/crm/search)
 *
 * @example
 * (await openTicketCounts(http)).byCompany.get('1') // { open: 2, highPriority: 1 }
 */
export async function openTicketCounts(http: HubSpotClient, closedStageIds: readonly string[] = ['4']): Promise<OpenTicketCounts> {
  const filters: SearchFilter[] = closedStageIds.length > 0 ? [{ propertyName: 'hs_pipeline_stage', operator: 'NOT_IN', values: [...closedStageIds] }] : [];
  const high = new Set<string>();
  const urgentIds = new Set<string>();
  const links: Array<Promise<{ byId: Map<string, string[]>; failed: Set<string> }>> = [];
  let batch: string[] = [];
  let openTickets = 0;
  const flush = () => {
    if (batch.length === 0) return;
    const ids = batch;
    batch = [];
    const p = readAssociations(http, 'tickets', 'companies', ids);
    p.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
    links.push(p);
  };
  for await (const page of searchAll(http, 'tickets', { filters, properties: TICKET_PROPERTIES })) {
    for (const t of page.results) {
      openTickets++;
      const priority = (t.properties.hs_ticket_priority ?? '').toUpperCase();
      if (HIGH_PRIORITIES.has(priority)) high.add(t.id);
      if (priority === URGENT_PRIORITY) urgentIds.add(t.id);
      batch.push(t.id);
      if (batch.length >= ASSOCIATION_BATCH_SIZE) flush();
    }
  }
  flush();
  const byCompany = new Map<string, TicketCounts>();
  let unlinked = 0;
  const settled = await Promise.allSettled(links);
  for (const r of settled) {
    if (r.status === 'rejected') throw r.reason;
    unlinked += r.value.failed.size;
    for (const [ticketId, companies] of r.value.byId) {
      const isHigh = high.has(ticketId);
      const isUrgent = urgentIds.has(ticketId);
      for (const companyId of companies) {
        const c = byCompany.get(companyId);
        if (c) {
          c.open++;
          if (isHigh) c.highPriority++;
          if (isUrgent) c.urgent = (c.urgent ?? 0) + 1;
        } else byCompany.set(companyId, { open: 1, highPriority: isHigh ? 1 : 0, urgent: isUrgent ? 1 : 0 });
      }
    }
  }
  return { byCompany, openTickets, unlinked };
}

/** The companies whose tickets changed since an instant (an incremental sweep's ticket delta). */
export interface TicketChanges {
  /** Companies linked to a ticket created or modified at or after the instant. */
  companies: Set<string>;
  /** Tickets found created or modified since. */
  tickets: number;
}

/**
 * The companies whose tickets changed since `sinceMs`: a search for tickets whose
 * `hs_lastmodifieddate` (HubSpot bumps it on create, on a stage or priority change) is at or after
 * it, then their company links (1,000 per call). An incremental sweep takes the recorded counts of
 * every other company instead of reading its tickets. Throws when a link read fails (the caller then
 * reads every company's tickets: nothing is guessed).
 *
 * @example
 * (await ticketChangesSince(http, Date.parse('2026-11-23T09:00:00Z'))).companies // Set { '12', '40' }
 */
export async function ticketChangesSince(http: HubSpotClient, sinceMs: number): Promise<TicketChanges> {
  const filters: SearchFilter[] = [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(Math.floor(sinceMs)) }];
  const ids: string[] = [];
  for await (const page of searchAll(http, 'tickets', { filters, properties: ['hs_pipeline_stage'] })) for (const t of page.results) ids.push(t.id);
  const companies = new Set<string>();
  if (ids.length === 0) return { companies, tickets: 0 };
  const { byId, failed } = await readAssociations(http, 'tickets', 'companies', ids);
  if (failed.size > 0) throw new Error(`ticket links unreadable for ${failed.size} changed ticket(s)`);
  for (const list of byId.values()) for (const c of list) companies.add(c);
  return { companies, tickets: ids.length };
}

export const TASK_PROPERTIES = ['hs_task_status', 'hs_task_subject', 'hs_task_body', 'hs_timestamp', 'hs_task_priority', 'hubspot_owner_id', 'hs_queue_membership_ids'];

/** A task object as the app reads it (key from the body; due instant normalised). */
export function toOpenTask(t: SimpleObject): OpenTask {
  const p = t.properties;
  const due = p.hs_timestamp ?? null;
  let dueAt: string | null = null;
  if (due) {
    const ms = /^\d+$/.test(due) ? Number(due) : Date.parse(due);
    dueAt = Number.isFinite(ms) ? new Date(ms).toISOString() : null;
  }
  return {
    id: t.id,
    subject: p.hs_task_subject ?? '',
    dueAt,
    status: p.hs_task_status ?? '',
    priority: p.hs_task_priority || null,
    ownerId: p.hubspot_owner_id || null,
    queueIds: (p.hs_queue_membership_ids ?? '').split(';').map((s) => s.trim()).filter((s) => s.length > 0),
    key: keyFromBody(p.hs_task_body),
  };
}

/**
 * Our tasks (body carries the key line) per company. `includeCompleted` is for reconciliation.
 * Companies whose associations could not be read are absent.
 *
 * @example
 * (await companyTasks(http, ['1'])).get('1') // [{ id: '9', key: '1:renewal:90:2026-11', ... }]
 */
export async function companyTasks(http: HubSpotClient, companyIds: string[], options: { includeCompleted?: boolean } = {}): Promise<Map<string, OpenTask[]>> {
  const { byId } = await readAssociations(http, 'companies', 'tasks', companyIds);
  const taskIds = [...new Set([...byId.values()].flat())];
  const tasks = taskIds.length > 0 ? await batchReadObjects(http, 'tasks', taskIds, TASK_PROPERTIES) : new Map<string, SimpleObject>();
  const out = new Map<string, OpenTask[]>();
  for (const [companyId, ids] of byId) {
    const list: OpenTask[] = [];
    for (const id of ids) {
      const t = tasks.get(id);
      if (!t) continue;
      const task = toOpenTask(t);
      if (task.key === null) continue;
      if (!options.includeCompleted && task.status.toUpperCase() === 'COMPLETED') continue;
      list.push(task);
    }
    out.set(companyId, list);
  }
  return out;
}
