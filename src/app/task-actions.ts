/**
 * Completing or snoozing a CS task from the card. Only our own tasks (the body carries the
 * idempotency key) of the company the card shows can be changed. A completed task stays in the
 * company's ledger, so the next sweep never creates it again.
 */
import { MS_PER_DAY, parseInstantMs } from '../core';
import type { ActionFailure } from './company-actions';
import type { AppDeps } from './deps';
import type { UpdateTaskParams } from './function-params';
import { hubspotFailure } from './failures';

export type UpdateTaskResult =
  | { ok: true; taskId: string; status: string; dueAt: string | null; changed: boolean }
  | ActionFailure;

function fail(code: string, message: string): ActionFailure {
  return { ok: false, error: { code, message, retryable: false } };
}

/**
 * The new due instant of a snooze: `days` after the later of today and the current due day, at
 * the playbooks' due hour (UTC).
 *
 * @example
 * snoozedDue('2026-11-20T09:00:00.000Z', 3, new Date('2026-11-23T10:00:00Z'), 9) // '2026-11-26T09:00:00.000Z'
 */
export function snoozedDue(currentDue: string | null, days: number, now: Date, dueHourUtc: number): string {
  const today = Math.floor(now.getTime() / MS_PER_DAY);
  const dueMs = parseInstantMs(currentDue);
  const from = dueMs === null ? today : Math.max(today, Math.floor(dueMs / MS_PER_DAY));
  return new Date((from + days) * MS_PER_DAY + dueHourUtc * 3_600_000).toISOString();
}

/**
 * Completes or snoozes one task.
 *
 * @example
 * await updateCardTask(deps, { companyId: '4021', taskId: '77', action: 'complete' }); // { ok: true, status: 'COMPLETED', … }
 */
export async function updateCardTask(deps: AppDeps, p: UpdateTaskParams): Promise<UpdateTaskResult> {
  try {
    const found = await deps.crm.readTask(p.taskId);
    if (found === null) return fail('not_found', `No task with id ${p.taskId} in HubSpot (deleted or never existed)`);
    if (!found.companyIds.includes(p.companyId)) return fail('not_this_company', `Task ${p.taskId} is not associated with company ${p.companyId}`);
    if (found.task.key === null) return fail('not_ours', `Task ${p.taskId} was not created by the Customer Success app; change it in HubSpot's task view`);
    const completed = found.task.status.toUpperCase() === 'COMPLETED';
    if (p.action === 'complete') {
      if (completed) return { ok: true, taskId: p.taskId, status: found.task.status, dueAt: found.task.dueAt, changed: false };
      const t = await deps.crm.updateTask(p.taskId, { status: 'COMPLETED' });
      deps.log.info('task_completed', { companyId: p.companyId, taskId: p.taskId });
      // HubSpot's answer may carry only the changed properties: keep what we read for the rest.
      return { ok: true, taskId: p.taskId, status: t.status || 'COMPLETED', dueAt: t.dueAt ?? found.task.dueAt, changed: true };
    }
    if (completed) return fail('already_completed', `Task ${p.taskId} is already completed: there is nothing to snooze`);
    const dueAt = snoozedDue(found.task.dueAt, p.days ?? 1, deps.now(), deps.config.playbooks.dueHourUtc);
    const t = await deps.crm.updateTask(p.taskId, { dueAt });
    deps.log.info('task_snoozed', { companyId: p.companyId, taskId: p.taskId, days: p.days ?? 1 });
    return { ok: true, taskId: p.taskId, status: t.status || found.task.status, dueAt: t.dueAt ?? dueAt, changed: true };
  } catch (error) {
    const failure = hubspotFailure(error);
    if (failure === null) throw error;
    return { ok: false, error: failure };
  }
}
