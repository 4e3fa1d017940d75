/**
 * Issue 14, "digital then task", end to end on the local CRM server: a pooled usage drop first gets a
 * digital "we noticed" touch written to the company; N days later (`channels.followUpDays`, 7) a
 * customer who has not engaged gets one human call task, a customer who engaged (HubSpot's own
 * last-contacted timestamp moved after the touch) gets none.
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

async function company(properties: Record<string, string>): Promise<string> {
  const r = await call(local, 'POST', '/crm/v3/objects/companies', { properties });
  expect(r.status).toBe(201);
  return String(rec(r.body).id);
}

/** The usage-drop tasks of ours on a company in the local CRM, by key. */
function usageDropTasks(companyId: string): string[] {
  return local.store
    .associated('companies', Number(companyId), 'tasks')
    .map((id) => /Idempotency key:\s*(\S+)/.exec(local.store.get('tasks', id)?.props.hs_task_body ?? '')?.[1] ?? '')
    .filter((k) => k.includes(':usage_drop:'));
}

test('a digital touch without engagement becomes one human task after N days; with engagement, none', async () => {
  const clock = new SimClock(NOW);
  local = await startLocalCrm({ dir: false, clock, rateLimits: false, seed: { seed: 3, companies: 0, csms: 2, now: NOW } });
  const config = defaultConfig();
  config.pool = local.store.meta['poolConfig'] as Config['pool'];
  for (const m of config.pool.members) Object.assign(m, { coverageDays: [], outOfOffice: [] });
  const crm = createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock, timeoutMs: 0 });
  await crm.installProperties();
  const deps = (ms: number): AppDeps => ({ crm, config, configVersion: configVersion(config), now: () => new Date(ms), log: silentLogger });

  // Pooled (ACV $12k), usage down 45%, otherwise fine; the product synced yesterday.
  const dropped = { cs_acv: '12000', cs_usage_current_period: '550', cs_usage_previous_period: '1000', cs_licensed_seats: '10', cs_active_users: '8', cs_last_login_date: day(-1), cs_usage_updated_at: new Date(NOW - DAY).toISOString() };
  const silent = await company({ name: 'Silent Ltd', ...dropped });
  const answered = await company({ name: 'Answered Ltd', ...dropped });
  const store = memorySweepStateStore();

  const first = await runSweep(deps(NOW), { store });
  expect(first.status).toBe('complete');
  for (const id of [silent, answered]) {
    const p = local.store.get('companies', Number(id))?.props ?? {};
    expect([p.cs_digital_touch, p.cs_digital_touch_at]).toEqual(['we_noticed', new Date(NOW).toISOString()]);
    expect(usageDropTasks(id)).toEqual([]);
  }

  // Two days later the second customer answers: HubSpot moves its Last Contacted date.
  const answeredProps = local.store.get('companies', Number(answered))?.props;
  if (answeredProps) answeredProps.notes_last_contacted = new Date(NOW + 2 * DAY).toISOString();

  // Still within the 7 days: nobody gets a task.
  clock.set(NOW + 5 * DAY);
  await runSweep(deps(NOW + 5 * DAY), { store });
  expect([usageDropTasks(silent), usageDropTasks(answered)]).toEqual([[], []]);

  // After 7 days: one call task for the silent customer, none for the one who answered.
  clock.set(NOW + 8 * DAY);
  await runSweep(deps(NOW + 8 * DAY), { store });
  expect(usageDropTasks(silent)).toEqual([expect.stringMatching(new RegExp(`^cs:${silent}:usage_drop:alert-call:`))]);
  expect(usageDropTasks(answered)).toEqual([]);

  // …and only one: the next day creates nothing more for it.
  clock.set(NOW + 9 * DAY);
  await runSweep(deps(NOW + 9 * DAY), { store });
  expect(usageDropTasks(silent)).toHaveLength(1);
  expect(usageDropTasks(answered)).toEqual([]);
}, 60_000);

test('engagement counts only after the touch\'s exact instant (cs_digital_touch_at): a contact earlier that day is no answer', async () => {
  const clock = new SimClock(NOW);
  local = await startLocalCrm({ dir: false, clock, rateLimits: false, seed: { seed: 3, companies: 0, csms: 2, now: NOW } });
  const config = defaultConfig();
  config.pool = local.store.meta['poolConfig'] as Config['pool'];
  for (const m of config.pool.members) Object.assign(m, { coverageDays: [], outOfOffice: [] });
  const crm = createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock, timeoutMs: 0 });
  await crm.installProperties();
  const deps = (ms: number): AppDeps => ({ crm, config, configVersion: configVersion(config), now: () => new Date(ms), log: silentLogger });
  const dropped = { cs_acv: '12000', cs_usage_current_period: '550', cs_usage_previous_period: '1000', cs_licensed_seats: '10', cs_active_users: '8', cs_last_login_date: day(-1), cs_usage_updated_at: new Date(NOW - DAY).toISOString() };
  const before = await company({ name: 'Earlier That Day Ltd', ...dropped });
  const after = await company({ name: 'Later That Day Ltd', ...dropped });
  const store = memorySweepStateStore();
  // The touch goes out at 09:00.
  await runSweep(deps(NOW), { store });
  for (const id of [before, after]) expect(local.store.get('companies', Number(id))?.props.cs_digital_touch_at).toBe(new Date(NOW).toISOString());
  // One customer was last contacted at 08:00 that day (before the touch), the other at 15:00 (after it).
  const p1 = local.store.get('companies', Number(before))?.props;
  if (p1) p1.notes_last_contacted = new Date(NOW - 3_600_000).toISOString();
  const p2 = local.store.get('companies', Number(after))?.props;
  if (p2) p2.notes_last_contacted = new Date(NOW + 6 * 3_600_000).toISOString();
  clock.set(NOW + 8 * DAY);
  await runSweep(deps(NOW + 8 * DAY), { store });
  expect(usageDropTasks(before)).toEqual([expect.stringMatching(new RegExp(`^cs:${before}:usage_drop:alert-call:`))]);
  expect(usageDropTasks(after)).toEqual([]);
}, 60_000);
