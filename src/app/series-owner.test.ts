/**
 * Issue 14 item 4, end to end on the local CRM server: a company's series (renewal 60 → 30 days)
 * stays with the CSM who holds its previous task when they work that day, and goes to someone
 * else when they do not.
 */
import { configVersion, defaultConfig, type Config } from '../core';
import { SimClock, startLocalCrm, type LocalCrm } from '../emulator';
import { call, rec } from '../emulator/test-helpers';
import { createHubSpotCrm } from '../hubspot';
import { silentLogger, type AppDeps } from './deps';
import { runSweep } from './sweep';
import { memorySweepStateStore } from './sweep-state';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 23, 9, 0, 0); // a Monday
const day = (offset: number) => new Date(NOW + offset * DAY).toISOString().slice(0, 10);

let local: LocalCrm;
afterEach(async () => {
  await local?.stop();
});

/** The renewal tasks of ours on a company: key → owner. */
function renewalTasks(companyId: string): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const t of local.store.associated('companies', Number(companyId), 'tasks').map((id) => local.store.get('tasks', id))) {
    const key = /Idempotency key:\s*(\S+)/.exec(t?.props.hs_task_body ?? '')?.[1];
    if (t && key?.includes(':renewal:')) out.set(key.split(':')[3] ?? '', t.props.hubspot_owner_id ?? null);
  }
  return out;
}

async function setUp(): Promise<{ config: Config; ids: string[]; deps: (ms: number) => AppDeps }> {
  const clock = new SimClock(NOW);
  local = await startLocalCrm({ dir: false, clock, rateLimits: false, seed: { seed: 3, companies: 0, csms: 3, now: NOW } });
  const config = defaultConfig();
  config.pool = local.store.meta['poolConfig'] as Config['pool'];
  for (const m of config.pool.members) Object.assign(m, { coverageDays: [], outOfOffice: [], skills: [] });
  const crm = createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock, timeoutMs: 0 });
  await crm.installProperties();
  const ids = config.pool.members.map((m) => m.ownerId);
  const deps = (ms: number): AppDeps => {
    clock.set(ms);
    return { crm, config, configVersion: configVersion(config), now: () => new Date(ms), log: silentLogger };
  };
  return { config, ids, deps };
}

async function namedRenewingIn(days: number): Promise<string> {
  const r = await call(local, 'POST', '/crm/v3/objects/companies', {
    properties: { name: 'Renewing Corp', cs_acv: '150000', cs_contract_start_date: day(-400), cs_renewal_date: day(days), cs_usage_current_period: '1100', cs_usage_previous_period: '1000', cs_licensed_seats: '10', cs_active_users: '8', cs_last_login_date: day(-1), cs_usage_updated_at: new Date(NOW - DAY).toISOString() },
  });
  expect(r.status).toBe(201);
  return String(rec(r.body).id);
}

test('the renewal series stays with the CSM who holds its 60-day task when they work; else it goes to someone working', async () => {
  const { config, ids, deps } = await setUp();
  const id = await namedRenewingIn(59);
  const store = memorySweepStateStore();
  await runSweep(deps(NOW), { store });
  const first = renewalTasks(id);
  expect([...first.keys()]).toEqual(['d60']);
  // The 60-day task is handed to the third CSM (not the one the dispatcher would pick first).
  const holder = ids.find((o) => o !== first.get('d60')) as string;
  const taskId = local.store.associated('companies', Number(id), 'tasks')[0];
  const patched = await call(local, 'PATCH', `/crm/v3/objects/tasks/${taskId}`, { properties: { hubspot_owner_id: holder } });
  expect(patched.status).toBe(200);

  // 30 days later the 30-day task follows the holder.
  await runSweep(deps(NOW + 30 * DAY), { store });
  expect(renewalTasks(id).get('d30')).toBe(holder);

  // The same series when the holder is off that day: someone working gets it.
  const other = await namedRenewingIn(59 + 31);
  await runSweep(deps(NOW + 31 * DAY), { store });
  const otherTask = local.store.associated('companies', Number(other), 'tasks')[0];
  const otherHolder = ids.find((o) => o !== renewalTasks(other).get('d60')) as string;
  expect((await call(local, 'PATCH', `/crm/v3/objects/tasks/${otherTask}`, { properties: { hubspot_owner_id: otherHolder } })).status).toBe(200);
  const member = config.pool.members.find((m) => m.ownerId === otherHolder);
  if (member) member.outOfOffice = [{ from: day(61), to: day(61) }];
  await runSweep(deps(NOW + 61 * DAY), { store });
  const d30 = renewalTasks(other).get('d30');
  expect(d30).toBeDefined();
  expect(d30).not.toBe(otherHolder);
}, 60_000);

test('the series stays with the CSM who took its previous step also once that task is completed (the ledger names them)', async () => {
  const { config, deps } = await setUp();
  const id = await namedRenewingIn(59);
  const store = memorySweepStateStore();
  await runSweep(deps(NOW), { store });
  const holder = renewalTasks(id).get('d60') as string;
  expect(holder).toBeTruthy();
  const ledger = String(local.store.get('companies', Number(id))?.props.cs_playbook_ledger ?? '');
  expect(ledger).toMatch(new RegExp(`:renewal:d60:[^@]+@${day(0)}@${holder}$`, 'm'));
  // The CSM completes the 60-day task.
  const taskId = local.store.associated('companies', Number(id), 'tasks')[0];
  expect((await call(local, 'PATCH', `/crm/v3/objects/tasks/${taskId}`, { properties: { hs_task_status: 'COMPLETED' } })).status).toBe(200);
  // 30 days later the holder has the least room of the team (the dispatcher alone would pick another), yet works: the 30-day task is theirs.
  const member = config.pool.members.find((m) => m.ownerId === holder);
  if (member) member.tasksPerDay = 1;
  await runSweep(deps(NOW + 30 * DAY), { store });
  expect(renewalTasks(id).get('d30')).toBe(holder);
}, 60_000);

test('a configured task queue takes the pool work within the same daily capacity as the CSMs who work it; onboarding work stays with its CSM', async () => {
  const clock = new SimClock(NOW);
  local = await startLocalCrm({ dir: false, clock, rateLimits: false, seed: { seed: 3, companies: 300, csms: 3, now: NOW } });
  const config = defaultConfig();
  config.pool = { ...(local.store.meta['poolConfig'] as Config['pool']), queueId: '4242' };
  for (const m of config.pool.members) Object.assign(m, { coverageDays: [], outOfOffice: [] });
  const crm = createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock, timeoutMs: 0 });
  await crm.installProperties();
  const report = await runSweep({ crm, config, configVersion: configVersion(config), now: () => new Date(NOW), log: silentLogger }, { store: memorySweepStateStore() });
  expect(report.status).toBe('complete');
  const tasks = [...local.store.objects.tasks.values()].map((t) => t.props);
  const queued = tasks.filter((t) => t.hs_queue_membership_ids === '4242');
  const capacity = Object.values(report.workload.capacity).reduce((a, b) => a + b, 0);
  const urgentAllowance = config.workload.urgent.maxExtraPerCsm * Object.values(report.workload.capacity).filter((n) => n > 0).length;
  // The rules want more than a day's capacity: the team (its members and the queue they work) gets that capacity, plus at most the urgent allowance.
  expect(report.workload.wanted).toBeGreaterThan(capacity);
  expect(queued.length).toBe(report.workload.byOwner['queue:4242']);
  expect(queued.length).toBeGreaterThan(0);
  expect(queued.every((t) => !t.hubspot_owner_id)).toBe(true);
  expect(tasks.length).toBe(report.workload.created);
  expect(tasks.length).toBeLessThanOrEqual(capacity + urgentAllowance);
  // Every other task is for a company in onboarding, owned by its onboarding CSM.
  for (const t of tasks.filter((x) => x.hs_queue_membership_ids !== '4242')) expect(config.pool.members.map((m) => m.ownerId)).toContain(t.hubspot_owner_id);
}, 60_000);

test('a second run the same day with a queue: the queue\'s tasks (no owner) count as given today; the team stays within the day', async () => {
  const clock = new SimClock(NOW);
  local = await startLocalCrm({ dir: false, clock, rateLimits: false, seed: { seed: 3, companies: 300, csms: 3, now: NOW } });
  const config = defaultConfig();
  config.pool = { ...(local.store.meta['poolConfig'] as Config['pool']), queueId: '4242' };
  for (const m of config.pool.members) Object.assign(m, { coverageDays: [], outOfOffice: [] });
  const crm = createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock, timeoutMs: 0 });
  await crm.installProperties();
  const deps: AppDeps = { crm, config, configVersion: configVersion(config), now: () => new Date(NOW), log: silentLogger };
  const store = memorySweepStateStore();
  const first = await runSweep(deps, { store });
  expect(first.status).toBe('complete');
  const capacity = Object.values(first.workload.capacity).reduce((a, b) => a + b, 0);
  const urgentAllowance = config.workload.urgent.maxExtraPerCsm * Object.values(first.workload.capacity).filter((n) => n > 0).length;
  expect(first.workload.byOwner['queue:4242']).toBeGreaterThan(0);
  clock.set(NOW + 3_600_000);
  const second = await runSweep({ ...deps, now: () => new Date(NOW + 3_600_000) }, { store });
  expect(second.status).toBe('complete');
  // The backlog is still there, but the day was given: members and queue together stay within it.
  expect(second.workload.backlog.count).toBeGreaterThan(0);
  expect(local.store.objects.tasks.size).toBeLessThanOrEqual(capacity + urgentAllowance);
  expect(second.workload.byOwner['queue:4242'] ?? 0).toBeLessThanOrEqual(Math.max(0, capacity + urgentAllowance - first.workload.created));
}, 60_000);
