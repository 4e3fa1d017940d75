/**
 * `update-task` against the local CRM server: completing a task closes it in HubSpot and the next
 * playbook run does not create it again (its key stays in the company's ledger); snoozing moves
 * the due date; only our tasks of the company the card shows can be changed.
 */
import { main as runPlaybooks } from './run-playbooks';
import { main as updateTask } from './update-task';
import { main as cardData } from './card-data';
import { NOW, companies, isJustStarted, isOnboarding, startFunctionsEnv, sweepFunctionsEnv, tasksOf, type FunctionsEnv } from './test/local-crm';

let env: FunctionsEnv;
beforeAll(async () => {
  env = await startFunctionsEnv();
});
afterAll(async () => {
  await env.stop();
});

const ctx = (parameters: unknown) => ({ parameters, propertiesToSend: {} });

const candidates = () => companies(env.crm, (p) => isJustStarted(p) || isOnboarding(p));

const usedIds = new Set<string>();

/** The next onboarding company for which run-playbooks creates tasks. */
async function companyWithTasks(): Promise<{ companyId: string; taskIds: string[] }> {
  for (const company of candidates()) {
    if (usedIds.has(company.id)) continue;
    usedIds.add(company.id);
    const r = await runPlaybooks(ctx({ companyId: company.id }));
    if (!r.ok) throw new Error(r.error.message);
    const ids = env.crm.store.associated('companies', Number(company.id), 'tasks').map(String);
    if (ids.length > 0) return { companyId: company.id, taskIds: ids };
  }
  throw new Error('no onboarding company gets a task');
}

describe('update-task', () => {
  it('complete: the task is COMPLETED in HubSpot, leaves the card, and the next run does not recreate it', async () => {
    const { companyId, taskIds } = await companyWithTasks();
    const taskId = taskIds[0] as string;
    const before = await cardData(ctx({ companyId }));
    if (!before.ok) throw new Error(before.error.message);
    expect(before.data.playbooks.openTasks.map((t) => t.id)).toContain(taskId);

    const r = await updateTask(ctx({ companyId, taskId, action: 'complete' }));
    expect(r).toEqual({ ok: true, data: { taskId, status: 'COMPLETED', dueAt: expect.any(String), changed: true } });
    expect(env.crm.store.get('tasks', Number(taskId))?.props['hs_task_status']).toBe('COMPLETED');

    const after = await cardData(ctx({ companyId }));
    if (!after.ok) throw new Error(after.error.message);
    expect(after.data.playbooks.openTasks.map((t) => t.id)).not.toContain(taskId);

    const count = tasksOf(env.crm, companyId).length;
    const again = await runPlaybooks(ctx({ companyId }));
    expect(again.ok).toBe(true);
    expect(tasksOf(env.crm, companyId)).toHaveLength(count);

    // Completing twice is harmless: nothing changes.
    expect(await updateTask(ctx({ companyId, taskId, action: 'complete' }))).toMatchObject({ ok: true, data: { changed: false } });
    // A completed task cannot be snoozed.
    expect(await updateTask(ctx({ companyId, taskId, action: 'snooze', days: 3 }))).toMatchObject({ ok: false, error: { code: 'already_completed' } });
  });

  it('snooze: the due date moves N days after the later of today and the due day, at the due hour', async () => {
    const { companyId, taskIds } = await companyWithTasks();
    const taskId = taskIds[0] as string;
    const due = Date.parse(env.crm.store.get('tasks', Number(taskId))?.props['hs_timestamp'] ?? '');
    const r = await updateTask(ctx({ companyId, taskId, action: 'snooze', days: 3 }));
    const from = Math.max(Math.floor(NOW / 86_400_000), Math.floor(due / 86_400_000));
    const expected = new Date((from + 3) * 86_400_000 + 9 * 3_600_000).toISOString();
    expect(r).toEqual({ ok: true, data: { taskId, status: 'NOT_STARTED', dueAt: expected, changed: true } });
    expect(new Date(Date.parse(env.crm.store.get('tasks', Number(taskId))?.props['hs_timestamp'] ?? '')).toISOString()).toBe(expected);
  });

  it('refuses a task of another company, a task that is not ours, an unknown task and bad parameters', async () => {
    const a = await companyWithTasks();
    const b = candidates().find((c) => c.id !== a.companyId);
    if (!b) throw new Error('seed has no second onboarding company');
    expect(await updateTask(ctx({ companyId: b.id, taskId: a.taskIds[0], action: 'complete' }))).toMatchObject({ ok: false, error: { code: 'not_this_company' } });

    const foreign = env.crm.store.insertRaw('tasks', { hs_task_subject: 'Call from sales', hs_task_body: 'no key here', hs_task_status: 'NOT_STARTED' }, NOW);
    env.crm.store.associate('tasks', foreign.id, 'companies', Number(a.companyId));
    expect(await updateTask(ctx({ companyId: a.companyId, taskId: String(foreign.id), action: 'complete' }))).toMatchObject({ ok: false, error: { code: 'not_ours' } });
    expect(env.crm.store.get('tasks', foreign.id)?.props['hs_task_status']).toBe('NOT_STARTED');

    expect(await updateTask(ctx({ companyId: a.companyId, taskId: '7999999999', action: 'complete' }))).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await updateTask(ctx({ companyId: a.companyId, taskId: a.taskIds[0], action: 'snooze' }))).toMatchObject({ ok: false, error: { code: 'bad_parameters', message: expect.stringContaining('days') } });
    expect(await updateTask(ctx({ companyId: a.companyId, taskId: 'abc', action: 'complete' }))).toMatchObject({ ok: false, error: { code: 'bad_parameters', message: expect.stringContaining('taskId') } });
    expect(await updateTask(ctx({ companyId: a.companyId, taskId: a.taskIds[0], action: 'delete' }))).toMatchObject({ ok: false, error: { code: 'bad_parameters' } });
  });

  it('complete after a portfolio sweep: the next sweep does not recreate the task (nor any task with its key)', async () => {
    await sweepFunctionsEnv(env);
    const keyOf = (t: Record<string, string>) => /Idempotency key:\s*(\S+)/.exec(t['hs_task_body'] ?? '')?.[1] ?? null;
    const company = companies(env.crm, () => true).find((c) => !usedIds.has(c.id) && tasksOf(env.crm, c.id).some((t) => t['hs_task_status'] !== 'COMPLETED' && keyOf(t) !== null));
    if (!company) throw new Error('the sweep created no task');
    const taskId = env.crm.store.associated('companies', Number(company.id), 'tasks').map(String).find((id) => env.crm.store.get('tasks', Number(id))?.props['hs_task_status'] !== 'COMPLETED') as string;
    const key = keyOf(env.crm.store.get('tasks', Number(taskId))?.props ?? {});
    expect(await updateTask(ctx({ companyId: company.id, taskId, action: 'complete' }))).toMatchObject({ ok: true, data: { status: 'COMPLETED', changed: true } });
    const before = new Set(tasksOf(env.crm, company.id).map(keyOf));

    await sweepFunctionsEnv(env);
    const after = tasksOf(env.crm, company.id);
    // Nothing new for the same work (playbook and step) either.
    const work = (k: string | null) => (k ?? '').split(':').slice(2, 4).join(':');
    expect(after.map(keyOf).filter((k) => !before.has(k) && work(k) === work(key))).toEqual([]);
    expect(after.filter((t) => keyOf(t) === key)).toEqual([expect.objectContaining({ hs_task_status: 'COMPLETED' })]);
    expect(env.crm.store.get('companies', Number(company.id))?.props['cs_playbook_backlog'] ?? '').not.toContain(key);
  });
});
