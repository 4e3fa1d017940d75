/**
 * Reliability cases 12–14: exactly one task per key under repeated and concurrent workflow
 * deliveries, a new key for the next period, and no duplicate under search lag. Real stack: the
 * workflow-action handler over the real company service over the adapter over the local CRM.
 */
import { createCompanyService, runSweep, memorySweepStateStore } from '../../src/app';
import { createManualClock } from '../../src/platform/clock';
import { deliveryBody, signedDelivery } from '../../src/server/test-support';
import { createWorkflowActionHandler } from '../../src/server/workflow-action';
import type { LocalCrm } from '../../src/emulator';
import { duplicates, NOW, startStack, taskKeyCounts, type Stack } from './stack';

const SECRET = 'wf-client-secret';
const DAY = 86_400_000;

let s: Stack;
afterEach(() => s.stop());

function addCompany(local: LocalCrm, props: Record<string, string>): string {
  return String(local.store.insertRaw('companies', { name: 'Task Co', ...props }, NOW - 800 * DAY).id);
}

function tasksOf(local: LocalCrm, companyId: string): string[] {
  return local.store
    .associated('companies', Number(companyId), 'tasks')
    .map((id) => /Idempotency key:\s*(\S+)/.exec(local.store.get('tasks', id)?.props.hs_task_body ?? '')?.[1] ?? '')
    .sort();
}

test('case 12: the same workflow delivery twice, and two at once — exactly one task', async () => {
  s = await startStack({ companies: 30, server: { logRequests: true } });
  const companyId = addCompany(s.local, { cs_acv: '18000', cs_contract_start_date: '2026-11-23', cs_licensed_seats: '20' });
  const service = createCompanyService(s.deps);
  const wfClock = createManualClock(s.clock.now());
  const completed: string[] = [];
  const handler = createWorkflowActionHandler({
    actions: service,
    clientSecret: SECRET,
    clock: wfClock,
    completer: async (id, fields) => {
      completed.push(id);
      await s.crm.completeCallback(id, fields);
    },
  });
  const deliver = (callbackId: string) =>
    handler.handle(signedDelivery({ baseUrl: 'https://cs.example.com', action: 'run-playbooks', body: deliveryBody({ callbackId, companyId }), clientSecret: SECRET, now: wfClock.now() }));

  // Two deliveries of the same callbackId and one of another callbackId, all at once.
  const [a1, a2, b1] = await Promise.all([deliver('cb-A'), deliver('cb-A'), deliver('cb-B')]);
  for (const r of [a1, a2, b1]) expect(r).toMatchObject({ status: 200, body: { outputFields: { hs_execution_state: 'SUCCESS' } } });
  const keys = tasksOf(s.local, companyId);
  expect(keys.length).toBeGreaterThan(0);
  expect(new Set(keys).size).toBe(keys.length);
  const created = (r: typeof a1) => ('outputFields' in r.body ? Number(r.body.outputFields.tasks_created) : Number.NaN);
  expect(created(a1)).toBe(keys.length);
  expect(handler.stats().actionCalls).toBe(1); // the three shared one action call

  // The same delivery again later: answered from the idempotency store, no HubSpot request at all.
  const before = s.local.counters.total;
  const again = await deliver('cb-A');
  expect(again.body).toEqual(a1.body);
  expect(s.local.counters.total).toBe(before);

  // A new delivery for the same company (another callbackId): runs, but creates nothing new.
  wfClock.advance(60_000);
  s.clock.advance(60_000);
  const c = await deliver('cb-C');
  expect(c).toMatchObject({ status: 200, body: { outputFields: { hs_execution_state: 'SUCCESS', tasks_created: 0 } } });
  expect(tasksOf(s.local, companyId)).toEqual(keys);
  expect(duplicates(taskKeyCounts(s.local))).toEqual([]);
  expect(s.local.counters.get('POST /crm/v3/objects/tasks/batch/create')).toBe(1);
  await handler.drain();
  expect(completed).toEqual([]); // nothing was BLOCKed
});

test('case 13: the next period (e.g. next renewal window) — a new task, with a new key', async () => {
  s = await startStack({ companies: 10 });
  const renewal = new Date(s.clock.now() + 90 * DAY).toISOString().slice(0, 10);
  const companyId = addCompany(s.local, {
    cs_acv: '12000',
    cs_contract_start_date: '2024-02-01',
    cs_graduated_at: '2024-05-01',
    cs_lifecycle_stage: 'graduated',
    cs_renewal_date: renewal,
  });
  const renewalKeys = () => tasksOf(s.local, companyId).filter((k) => k.includes(':renewal:'));

  await runSweep(s.deps, { store: memorySweepStateStore() });
  const first = renewalKeys();
  expect(first).toHaveLength(1);
  expect(first[0]).toContain(renewal);

  // Same window, a week later: nothing new.
  s.clock.advance(7 * DAY);
  await runSweep(s.deps, { store: memorySweepStateStore() });
  expect(renewalKeys()).toEqual(first);

  // The 60-day window: a new task with a new key; the first one is still there once.
  s.clock.advance(24 * DAY);
  await runSweep(s.deps, { store: memorySweepStateStore() });
  const second = renewalKeys();
  expect(second).toHaveLength(2);
  const added = second.filter((k) => !first.includes(k));
  expect(added).toHaveLength(1);
  expect(added[0]).not.toBe(first[0]);

  // Next year's renewal (the date moved on a year): its 90-day window gives another new key.
  const nextRenewal = new Date(Date.parse(`${renewal}T00:00:00Z`) + 365 * DAY).toISOString().slice(0, 10);
  s.local.store.update('companies', s.local.store.get('companies', Number(companyId))!, { cs_renewal_date: nextRenewal }, s.clock.now());
  s.clock.set(Date.parse(`${nextRenewal}T09:00:00Z`) - 90 * DAY);
  await runSweep(s.deps, { store: memorySweepStateStore() });
  const third = renewalKeys();
  expect(third).toHaveLength(3);
  expect(third.filter((k) => k.includes(nextRenewal))).toHaveLength(1);
  expect(duplicates(taskKeyCounts(s.local))).toEqual([]);
});

test('case 14: search lag (a just-created task not yet searchable) — still no duplicate', async () => {
  s = await startStack({ companies: 400, server: { searchLagMs: 120_000 } });
  const store = memorySweepStateStore();
  const first = await runSweep(s.deps, { store });
  expect(first.status).toBe('complete');
  const keys = taskKeyCounts(s.local);
  expect(keys.size).toBeGreaterThan(50);
  expect(s.local.store.hasPendingIndex()).toBe(true); // writes not yet searchable

  // Rerun at once: search still shows the companies as they were (no ledger yet), so the pipeline
  // must find the tasks through associations — and it does.
  s.clock.advance(1_000);
  const second = await runSweep(s.deps, { store });
  expect(second.status).toBe('complete');
  expect(second.run.totals.tasksCreated).toBe(0);
  expect(second.run.totals.reconciled).toBeGreaterThan(0);
  expect(taskKeyCounts(s.local)).toEqual(keys);
  expect(duplicates(taskKeyCounts(s.local))).toEqual([]);
});
