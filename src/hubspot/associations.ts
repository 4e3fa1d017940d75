/**
 * Reads through v4 associations (not subject to search lag): companies → tickets and tasks,
 * then the associated objects by batch read. Used for ticket counts, open CS tasks and the
 * reconciliation of uncertain task creates.
 */
import type { OpenTask } from '../core';
import type { HubSpotClient } from './client';
import type { TicketCounts } from '../app/ports';
import { ASSOCIATION_BATCH_SIZE, BATCH_SIZE, chunk, idsInError } from './batch';
import { associationBatchSchema, batchObjectsSchema, type SimpleObject } from './schemas';

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
): Promise<{ byId: Map<string, string[]>; failed: Set<string> }> {
  const unique = [...new Set(ids)];
  const byId = new Map<string, string[]>(unique.map((id) => [id, []]));
  const failed = new Set<string>();
  let pending: Array<{ id: string; after?: string }> = unique.map((id) => ({ id }));
  while (pending.length > 0) {
    const next: Array<{ id: string; after?: string }> = [];
    for (const part of chunk(pending, ASSOCIATION_BATCH_SIZE)) {
      const sent = new Set(part.map((p) => p.id));
      const { data } = await http.request({
        method: 'POST',
        path: `/crm/v4/associations/${fromType}/${toType}/batch/read`,
        kind: 'associations',
        intent: 'read',
        schema: associationBatchSchema,
        body: { inputs: part },
      });
      for (const r of data.results) {
        const list = byId.get(r.from.id);
        if (!list) continue;
        for (const t of r.to) if (list.length < MAX_ASSOCIATIONS_PER_OBJECT && !list.includes(t.toObjectId)) list.push(t.toObjectId);
        const after = r.paging?.next?.after;
        if (after !== undefined && list.length < MAX_ASSOCIATIONS_PER_OBJECT) next.push({ id: r.from.id, after });
      }
      for (const error of data.errors ?? []) {
        const noAssociations = /NO_ASSOCIATIONS/i.test(String(error.subCategory ?? '')) || /no .*associat/i.test(error.message ?? '');
        if (noAssociations) continue;
        for (const id of idsInError(error, sent)) failed.add(id);
      }
    }
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
  for (const part of chunk([...new Set(ids)], BATCH_SIZE)) {
    const { data } = await http.request({
      method: 'POST',
      path: `/crm/v3/objects/${objectType}/batch/read`,
      qs: { archived: 'false' },
      kind: 'batchRead',
      intent: 'read',
      schema: batchObjectsSchema,
      body: { properties, propertiesWithHistory: [], inputs: part.map((id) => ({ id })) },
    });
    for (const r of data.results) out.set(r.id, r);
  }
  return out;
}

export const TICKET_PROPERTIES = ['hs_pipeline_stage', 'hs_ticket_priority'];
export const HIGH_PRIORITIES = new Set(['HIGH', 'URGENT']);

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
    for (const id of ids) {
      const t = tickets.get(id);
      if (!t) continue;
      const stage = t.properties.hs_pipeline_stage ?? '';
      if (closed.has(stage)) continue;
      open++;
      if (HIGH_PRIORITIES.has((t.properties.hs_ticket_priority ?? '').toUpperCase())) highPriority++;
    }
    out.set(companyId, { open, highPriority });
  }
  return out;
}

export const TASK_PROPERTIES = ['hs_task_status', 'hs_task_subject', 'hs_task_body', 'hs_timestamp', 'hs_task_priority', 'hubspot_owner_id', 'hs_queue_membership_ids'];

function toOpenTask(t: SimpleObject): OpenTask {
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
