/**
 * Task creation: `batch/create` 100 per call, associated inline to the company (type 192) and to
 * the company's primary contacts when it has any (type 204, at most `contactsMax`, read first with
 * one v4 association read per 1,000 companies),
 * results mapped back to keys by the key line in the returned body. A create whose outcome is
 * unknown (5xx, timeout, network error) is never re-sent blindly: after a settle time (HubSpot may
 * still be applying it) the companies' tasks are read through associations (no search lag) and only
 * the keys not found are created again, bounded.
 */
import { z } from 'zod';
import type { OpenTask, PlannedTask } from '../core';
import { HubSpotApiError, UncertainWriteError } from './errors';
import type { HubSpotClient } from './client';
import type { BatchFailure, BatchResult, CreatedTask, TaskChange } from '../app/ports';
import { BATCH_SIZE, chunk, inParallel, statusForCategory } from './batch';
import { CONTACTS_LINE_PREFIX, KEY_LINE_PREFIX, TASK_PROPERTIES, companyTasks, keyFromBody, primaryContactIds, toOpenTask } from './associations';
import { batchObjectsSchema, simpleObjectSchema } from './schemas';

/** HubSpot-defined association type id, task → company. */
export const TASK_TO_COMPANY_TYPE_ID = 192;
/** HubSpot-defined association type id, task → contact (HubSpot's association type table: "Task to contact 204"). */
export const TASK_TO_CONTACT_TYPE_ID = 204;
/** Primary contacts a task is linked to, at most (default of `CreateTasksOptions.contactsMax`). */
export const TASK_CONTACTS_MAX = 3;

/**
 * The body with our key line (added when the core's body lacks it).
 *
 * @example
 * bodyWithKey('Renewal in 90 days', 'k1') // 'Renewal in 90 days\n\nIdempotency key: k1'
 */
export function bodyWithKey(body: string, key: string): string {
  return keyFromBody(body) === key ? body : `${body}\n\n${KEY_LINE_PREFIX} ${key}`;
}

/**
 * The body with a "Linked contacts: …" line just before the key line (the key stays last), so the
 * card can tell which contacts a task was linked to without another read.
 *
 * @example
 * bodyWithContacts('Do X\n\nIdempotency key: k', ['101']) // 'Do X\n\nLinked contacts: 101\n\nIdempotency key: k'
 */
export function bodyWithContacts(body: string, contactIds: readonly string[]): string {
  if (contactIds.length === 0) return body;
  const line = `${CONTACTS_LINE_PREFIX} ${contactIds.join(', ')}`;
  const at = body.lastIndexOf(KEY_LINE_PREFIX);
  if (at < 0) return `${body}\n\n${line}`;
  return `${body.slice(0, at)}${line}\n\n${body.slice(at)}`;
}

/**
 * The batch/create input for one planned task, linked to `contactIds` too (type 204).
 *
 * @example
 * taskInput(task).associations[0].types[0].associationTypeId // 192
 * taskInput(task, ['101']).associations[1].types[0].associationTypeId // 204
 */
export function taskInput(task: PlannedTask, contactIds: readonly string[] = []) {
  // A task planned with deferred words (the sweep's units) is never created without them.
  if (task.deferredTexts !== undefined) throw new Error(`task ${task.key}: its subject and body were not built (withTaskTexts) before the create`);
  const properties: Record<string, string> = {
    hs_task_subject: task.subject,
    hs_task_body: bodyWithContacts(bodyWithKey(task.body, task.key), contactIds),
    hs_timestamp: new Date(Date.parse(task.dueAt)).toISOString(),
    hs_task_status: 'NOT_STARTED',
    hs_task_priority: task.priority,
    hs_task_type: 'TODO',
  };
  if (task.ownerId) properties.hubspot_owner_id = task.ownerId;
  else if (task.queueId) properties.hs_queue_membership_ids = task.queueId;
  return {
    properties,
    associations: [
      { to: { id: task.accountId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: TASK_TO_COMPANY_TYPE_ID }] },
      ...contactIds.map((id) => ({ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: TASK_TO_CONTACT_TYPE_ID }] })),
    ],
  };
}

export interface CreateTasksOptions {
  /** Rounds of reconcile-then-recreate after uncertain creates. Default 3. */
  maxReconcileRounds?: number;
  /** Primary contacts each task is also linked to (0 = company only). Default `TASK_CONTACTS_MAX`. */
  contactsMax?: number;
  /** The tasks' companies' primary contacts, already read (see `prefetchTaskContacts`); read here otherwise. */
  contacts?: ReadonlyMap<string, string[]>;
}

/**
 * The primary contacts of the tasks' companies. A company whose links could not be read gets
 * company-only tasks (a missing contact link never costs the task itself).
 */
async function contactsFor(http: HubSpotClient, tasks: PlannedTask[], max: number): Promise<Map<string, string[]>> {
  if (max <= 0 || tasks.length === 0) return new Map();
  try {
    return (await primaryContactIds(http, [...new Set(tasks.map((t) => t.accountId))], max)).byId;
  } catch (error) {
    if (error instanceof HubSpotApiError && (error.kind === 'client' || error.kind === 'bad-response' || (error.kind === 'auth' && error.status === 403))) {
      // Not silent: a missing contacts scope would otherwise leave every task unlinked unnoticed.
      http.logger?.warn('task_contacts_unread', { status: error.status, kind: error.kind, category: error.category, tasks: tasks.length });
      return new Map();
    }
    throw error;
  }
}

/**
 * Creates tasks; see the module comment for the no-duplicate rule.
 *
 * @example
 * const { ok, failed } = await createTasks(http, plannedTasks);
 */
export async function createTasks(http: HubSpotClient, tasks: PlannedTask[], options: CreateTasksOptions = {}): Promise<BatchResult<CreatedTask>> {
  const rounds = options.maxReconcileRounds ?? 3;
  const byKey = new Map<string, PlannedTask>();
  for (const t of tasks) if (!byKey.has(t.key)) byKey.set(t.key, t);
  const contacts = options.contacts ?? (await contactsFor(http, [...byKey.values()], options.contactsMax ?? TASK_CONTACTS_MAX));
  const parts = await inParallel(chunk([...byKey.values()], BATCH_SIZE), (part) => createChunk(http, part, rounds, contacts));
  const result: BatchResult<CreatedTask> = { ok: [], failed: [] };
  for (const r of parts) {
    result.ok.push(...r.ok);
    result.failed.push(...r.failed);
  }
  return result;
}

/** One chunk of at most 100: create, and after an uncertain outcome reconcile then recreate what is missing, bounded. */
async function createChunk(http: HubSpotClient, part: PlannedTask[], rounds: number, contacts: ReadonlyMap<string, string[]>): Promise<BatchResult<CreatedTask>> {
  const result: BatchResult<CreatedTask> = { ok: [], failed: [] };
  let pending = part;
  let lastUncertain: HubSpotApiError | null = null;
  for (let round = 0; pending.length > 0 && round <= rounds; round++) {
    const outcome = await createOnce(http, pending, contacts);
    result.ok.push(...outcome.ok);
    result.failed.push(...outcome.failed);
    if (outcome.uncertain.length === 0) {
      pending = [];
      break;
    }
    lastUncertain = outcome.error;
    // A lost answer (not a 2xx answer we could not match): HubSpot may still be applying the
    // create, so give it time before reading what it did.
    if (outcome.error instanceof UncertainWriteError) await http.settleUncertainWrite();
    // Reconcile: which of the uncertain keys exist now?
    const found = await findExisting(http, outcome.uncertain);
    for (const t of outcome.uncertain) {
      const hit = found.get(t.key);
      if (hit) result.ok.push({ key: t.key, taskId: hit, accountId: t.accountId });
    }
    pending = outcome.uncertain.filter((t) => !found.has(t.key));
  }
  for (const t of pending) {
    result.failed.push({
      id: t.key,
      status: lastUncertain?.status ?? 503,
      message: `not created after ${rounds + 1} attempts, none of them found applied: ${lastUncertain?.message ?? 'unknown outcome'}`,
    });
  }
  return result;
}

async function createOnce(
  http: HubSpotClient,
  tasks: PlannedTask[],
  contacts: ReadonlyMap<string, string[]>,
): Promise<{ ok: CreatedTask[]; failed: BatchFailure[]; uncertain: PlannedTask[]; error: HubSpotApiError | null }> {
  const linked = tasks.some((t) => (contacts.get(t.accountId) ?? []).length > 0);
  try {
    const { data } = await http.request({
      method: 'POST',
      path: '/crm/v3/objects/tasks/batch/create',
      kind: 'batchCreate',
      intent: 'create',
      schema: batchObjectsSchema,
      body: { inputs: tasks.map((t) => taskInput(t, contacts.get(t.accountId) ?? [])) },
    });
    const sentKeys = new Map(tasks.map((t) => [t.key, t]));
    const ok: CreatedTask[] = [];
    let unmatched = 0;
    for (const r of data.results) {
      const key = keyFromBody(r.properties.hs_task_body);
      const task = key ? sentKeys.get(key) : undefined;
      if (!task || ok.some((c) => c.key === task.key)) {
        unmatched++;
        continue;
      }
      ok.push({ key: task.key, taskId: r.id, accountId: task.accountId });
    }
    const done = new Set(ok.map((c) => c.key));
    const rest = tasks.filter((t) => !done.has(t.key));
    if (unmatched > 0) {
      // Created but not attributable from the answer: find them by reading, never re-send blindly.
      return { ok, failed: [], uncertain: rest, error: new HubSpotApiError({ kind: 'bad-response', retryable: false, message: 'created tasks without our key in the answer' }) };
    }
    const first = (data.errors ?? [])[0];
    const failed = rest.map((t) => ({ id: t.key, status: statusForCategory(first?.category), message: first?.message ?? 'not in HubSpot batch response' }));
    return { ok, failed, uncertain: [], error: null };
  } catch (error) {
    if (error instanceof UncertainWriteError) return { ok: [], failed: [], uncertain: tasks, error };
    if (error instanceof HubSpotApiError && error.kind === 'client') {
      // HubSpot validates a batch's associations before creating anything: a contact deleted since
      // it was read fails the whole batch with a 400 and nothing created, so the batch is sent once
      // more linked to the companies only (not a blind re-send: the first one created nothing).
      // Only that refusal: any other 400 fails the tasks as before (they stay in the backlog).
      if (linked && isAssociationRefusal(error)) {
        http.logger?.warn('task_contacts_dropped', { status: error.status, category: error.category, tasks: tasks.length });
        return createOnce(http, tasks, new Map());
      }
      return { ok: [], failed: tasks.map((t) => ({ id: t.key, status: error.status ?? 400, message: error.message })), uncertain: [], error: null };
    }
    throw error;
  }
}

/** A batch refused for its associations (a linked record that no longer exists), nothing created. */
function isAssociationRefusal(error: HubSpotApiError): boolean {
  return error.status === 400 && (error.category === null || error.category === 'VALIDATION_ERROR') && /associat/i.test(error.message);
}

async function findExisting(http: HubSpotClient, tasks: PlannedTask[]): Promise<Map<string, string>> {
  const byCompany = await companyTasks(http, [...new Set(tasks.map((t) => t.accountId))], { includeCompleted: true });
  const found = new Map<string, string>();
  for (const list of byCompany.values()) for (const t of list) if (t.key !== null && !found.has(t.key)) found.set(t.key, t.id);
  return found;
}


const taskWithAssociationsSchema = simpleObjectSchema.and(
  z
    .object({
      associations: z
        .record(z.string(), z.object({ results: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String) }).loose()).default([]) }).loose())
        .optional(),
    })
    .loose(),
);

/**
 * One task with the companies it is associated to; null when it does not exist.
 * `GET /crm/v3/objects/tasks/{taskId}?associations=companies` (HubSpot "Tasks" CRM API).
 *
 * @example
 * const t = await readTask(http, '77'); // { task: { id: '77', key: 'cs:…', … }, companyIds: ['4021'] }
 */
export async function readTask(http: HubSpotClient, taskId: string): Promise<{ task: OpenTask; companyIds: string[] } | null> {
  try {
    const { data } = await http.request({
      method: 'GET',
      path: `/crm/v3/objects/tasks/${encodeURIComponent(taskId)}`,
      qs: { properties: TASK_PROPERTIES.join(','), associations: 'companies', archived: 'false' },
      kind: 'read',
      intent: 'read',
      schema: taskWithAssociationsSchema,
    });
    return { task: toOpenTask(data), companyIds: (data.associations?.companies?.results ?? []).map((r) => r.id) };
  } catch (error) {
    if (error instanceof HubSpotApiError && error.status === 404) return null;
    throw error;
  }
}

/**
 * Completes or snoozes a task: `PATCH /crm/v3/objects/tasks/{taskId}` with `hs_task_status`
 * `COMPLETED` and/or a new `hs_timestamp` (HubSpot "Tasks" CRM API, update a task). Setting the
 * same values twice is harmless, so the call is retried like a read.
 *
 * @example
 * await updateTask(http, '77', { status: 'COMPLETED' }); // the task as HubSpot now has it
 */
export async function updateTask(http: HubSpotClient, taskId: string, change: TaskChange): Promise<OpenTask> {
  const properties: Record<string, string> = {};
  if (change.status) properties.hs_task_status = change.status;
  if (change.dueAt) properties.hs_timestamp = new Date(Date.parse(change.dueAt)).toISOString();
  const { data } = await http.request({
    method: 'PATCH',
    path: `/crm/v3/objects/tasks/${encodeURIComponent(taskId)}`,
    kind: 'update',
    intent: 'idempotent-write',
    schema: simpleObjectSchema,
    body: { properties },
  });
  // HubSpot answers with the properties it changed; fill the rest from what we sent.
  return toOpenTask({ ...data, properties: { ...properties, ...data.properties } });
}
