/**
 * A health drop is seen against the score stored before the run; the run then stores today's score,
 * so the next day's comparison shows no drop. The drop is recorded (cs_health_drop_from / _on) and
 * stays in force for `playbooks.rules.health_drop.holdDays` while the score stays that far below, so
 * the work it asked for is still wanted the days after: end to end on the local CRM server.
 */
import { configVersion, defaultConfig, type Config } from '../core';
import { SimClock, startLocalCrm, type LocalCrm } from '../emulator';
import { call, rec } from '../emulator/test-helpers';
import { createHubSpotCrm } from '../hubspot';
import { silentLogger, type AppDeps } from './deps';
import { runSweep } from './sweep';
import { memorySweepStateStore } from './sweep-state';

const DAY = 86_400_000;
const SATURDAY = Date.UTC(2026, 10, 21, 9, 0, 0); // 2026-11-21, ISO week 2026-W47
const MONDAY = Date.UTC(2026, 10, 23, 9, 0, 0); // 2026-11-23, ISO week 2026-W48
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let local: LocalCrm;
afterEach(async () => {
  await local?.stop();
});

async function company(properties: Record<string, string>): Promise<string> {
  // HubSpot sets Last Contacted itself (read-only): the test puts it in the store.
  const { notes_last_contacted: contacted, ...writable } = properties;
  const r = await call(local, 'POST', '/crm/v3/objects/companies', { properties: writable });
  expect(r.status).toBe(201);
  const id = String(rec(r.body).id);
  if (contacted !== undefined) Object.assign(props(id), { notes_last_contacted: contacted });
  return id;
}

function props(id: string): Record<string, string> {
  const c = local.store.get('companies', Number(id));
  if (c === undefined) throw new Error(`no company ${id}`);
  return c.props;
}

/** The health-drop task keys of ours on a company in the local CRM. */
function healthDropTasks(companyId: string): string[] {
  return local.store
    .associated('companies', Number(companyId), 'tasks')
    .map((id) => /Idempotency key:\s*(\S+)/.exec(local.store.get('tasks', id)?.props.hs_task_body ?? '')?.[1] ?? '')
    .filter((k) => k.includes(':health_drop:'));
}

/**
 * A customer that scored 95 when last computed and now scores in the 50s–60s: usage flat, 4 (or
 * `activeUsers`) of 10 seats active, last login 20 days before `at`, contacted 10 days before (no other play fires).
 */
function dropped(acv: number, at: number, activeUsers = 4): Record<string, string> {
  return {
    cs_acv: String(acv),
    cs_usage_current_period: '1000',
    cs_usage_previous_period: '1000',
    cs_licensed_seats: '10',
    cs_active_users: String(activeUsers),
    cs_last_login_date: iso(at - 20 * DAY),
    cs_usage_updated_at: new Date(at - DAY).toISOString(),
    notes_last_contacted: new Date(at - 10 * DAY).toISOString(),
    cs_health_score: '95',
    cs_health_band: 'healthy',
  };
}

async function setUp(now: number, weekdaysOnly: boolean) {
  const clock = new SimClock(now);
  local = await startLocalCrm({ dir: false, clock, rateLimits: false, seed: { seed: 3, companies: 0, csms: 2, now } });
  const config = defaultConfig();
  config.pool = local.store.meta['poolConfig'] as Config['pool'];
  for (const m of config.pool.members) Object.assign(m, { coverageDays: weekdaysOnly ? ['mon', 'tue', 'wed', 'thu', 'fri'] : [], outOfOffice: [] });
  const crm = createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock, timeoutMs: 0 });
  await crm.installProperties();
  const deps = (ms: number): AppDeps => ({ crm, config, configVersion: configVersion(config), now: () => new Date(ms), log: silentLogger });
  const store = memorySweepStateStore();
  const sweep = async (ms: number) => {
    clock.set(ms);
    const r = await runSweep(deps(ms), { store });
    expect(r.status).toBe('complete');
    return r;
  };
  return { sweep, config };
}

test('a health drop seen on Saturday, when nobody works, is still called on Monday (it waited; it did not vanish on Sunday)', async () => {
  const { sweep } = await setUp(SATURDAY, true);
  // Mid-pooled: a health drop is a task for a person.
  const id = await company({ name: 'Weekend Drop Ltd', ...dropped(50_000, SATURDAY, 2) });

  await sweep(SATURDAY);
  const score = Number(props(id).cs_health_score);
  // The fixture is what the test means: a drop of 20+ that is not at risk.
  expect(95 - score).toBeGreaterThanOrEqual(20);
  expect(score).toBeGreaterThanOrEqual(50);
  expect([props(id).cs_health_drop_from, props(id).cs_health_drop_on]).toEqual(['95', '2026-11-21']);
  expect(healthDropTasks(id)).toEqual([]);
  expect(props(id).cs_playbook_backlog).toContain(`cs:${id}:health_drop:review:2026-W47@2026-11-21`);

  // Sunday: the stored score is Saturday's, so the step shows no drop; the recorded one still holds.
  const sunday = await sweep(SATURDAY + DAY);
  expect(props(id).cs_playbook_backlog).toContain(`cs:${id}:health_drop:review:2026-W47@2026-11-21`);
  expect(sunday.workload?.noLongerNeeded ?? 0).toBe(0);

  // Monday: the CSMs work, and the review is created under the key it waited with (no second one).
  await sweep(MONDAY);
  expect(healthDropTasks(id)).toEqual([`cs:${id}:health_drop:review:2026-W47`]);
  expect(props(id).cs_playbook_backlog ?? '').not.toContain(':health_drop:');
  await sweep(MONDAY + DAY);
  expect(healthDropTasks(id)).toHaveLength(1);
}, 60_000);

test('pooled: the call after an unanswered "we noticed" touch comes 7 days after the drop, once; a recovered customer gets none', async () => {
  const { sweep } = await setUp(MONDAY, false);
  const silent = await company({ name: 'Still Down Ltd', ...dropped(12_000, MONDAY) });
  const recovered = await company({ name: 'Back Up Ltd', ...dropped(12_000, MONDAY) });

  await sweep(MONDAY);
  for (const id of [silent, recovered]) {
    expect(props(id).cs_digital_touch).toBe('we_noticed');
    expect(props(id).cs_health_drop_on).toBe('2026-11-23');
    expect(healthDropTasks(id)).toEqual([]);
  }

  // Two days later the second customer is back: all 10 seats active, a login yesterday.
  Object.assign(local.store.get('companies', Number(recovered))?.props ?? {}, { cs_active_users: '10', cs_last_login_date: iso(MONDAY + DAY) });

  await sweep(MONDAY + 5 * DAY);
  expect([healthDropTasks(silent), healthDropTasks(recovered)]).toEqual([[], []]);

  await sweep(MONDAY + 8 * DAY);
  expect(healthDropTasks(silent)).toEqual([`cs:${silent}:health_drop:review-call:2026-W48`]);
  const task = local.store.associated('companies', Number(silent), 'tasks').map((t) => local.store.get('tasks', t)?.props.hs_task_body ?? '')[0];
  expect(task).toContain('(was 95 on 2026-11-23)');
  expect(Number(props(recovered).cs_health_score)).toBeGreaterThan(75);
  expect(healthDropTasks(recovered)).toEqual([]);

  await sweep(MONDAY + 9 * DAY);
  expect(healthDropTasks(silent)).toHaveLength(1);
}, 60_000);

test('upgraded without rerunning setup: the run creates the two new properties itself and loses no write', async () => {
  const { sweep } = await setUp(MONDAY, false);
  // A portal set up by the previous version: the contract had no drop record.
  for (const name of ['cs_health_drop_from', 'cs_health_drop_on']) local.store.properties.companies.delete(name);
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push(await company({ name: `Upgraded ${i} Ltd`, ...dropped(12_000, MONDAY) }));
  const report = await sweep(MONDAY);
  expect(report.run.totals.failures).toBe(0);
  for (const id of ids) {
    expect(Number(props(id).cs_health_score)).toBeLessThanOrEqual(75);
    expect([props(id).cs_health_drop_from, props(id).cs_health_drop_on, props(id).cs_digital_touch]).toEqual(['95', '2026-11-23', 'we_noticed']);
  }
  expect(local.store.properties.companies.get('cs_health_drop_from')?.groupName).toBe('customer_success');
}, 60_000);

test('a slow slide (a few points a day) is a health drop once it is 20 below the recent peak: one review, the day it gets there', async () => {
  const { sweep } = await setUp(MONDAY, false);
  // Mid-pooled, all 10 seats active and a login yesterday; then a seat goes quiet every other day
  // and the last login stays where it was.
  const start = { cs_acv: '50000', cs_usage_current_period: '1000', cs_usage_previous_period: '1000', cs_licensed_seats: '10', cs_active_users: '10', cs_last_login_date: iso(MONDAY - DAY), cs_usage_updated_at: new Date(MONDAY - DAY).toISOString(), notes_last_contacted: new Date(MONDAY - 2 * DAY).toISOString() };
  const id = await company({ name: 'Slow Fade Ltd', ...start });

  const scores: number[] = [];
  let firstDropDay = -1;
  for (let d = 0; d < 24; d++) {
    const at = MONDAY + d * DAY;
    Object.assign(props(id), { cs_active_users: String(Math.max(2, 10 - Math.floor(d / 2))), cs_usage_updated_at: new Date(at - DAY).toISOString() });
    await sweep(at);
    scores.push(Number(props(id).cs_health_score));
    if (firstDropDay < 0 && healthDropTasks(id).length > 0) firstDropDay = d;
  }
  const peak = scores[0] as number;
  // The fixture is what the test means: no day fell by 20 (the step alone never fires), the score
  // ends 20+ below where it started, and it never went at risk.
  const steps = scores.slice(1).map((s, i) => (scores[i] as number) - s);
  expect(Math.max(...steps)).toBeLessThan(20);
  expect(peak - Math.min(...scores)).toBeGreaterThanOrEqual(20);
  expect(Math.min(...scores)).toBeGreaterThanOrEqual(50);

  // One review, created the first day the score was 20 below the peak, saying from what and when.
  const reached = scores.findIndex((s) => peak - s >= 20);
  expect(firstDropDay).toBe(reached);
  expect(healthDropTasks(id)).toHaveLength(1);
  const body = local.store.associated('companies', Number(id), 'tasks').map((t) => local.store.get('tasks', t)?.props.hs_task_body ?? '').find((b) => b.includes(':health_drop:'));
  expect(body).toContain(`(was ${peak} on ${iso(MONDAY)})`);
  // The peak and the drop are on record for views.
  expect([props(id).cs_health_peak, props(id).cs_health_peak_on]).toEqual([String(peak), iso(MONDAY)]);
  expect([props(id).cs_health_drop_from, props(id).cs_health_drop_on]).toEqual([String(peak), iso(MONDAY + reached * DAY)]);
}, 120_000);

test('incremental runs find a slide the clock alone completes (the recorded day it could): a same-day full sweep finds no drop they missed', async () => {
  const clock = new SimClock(MONDAY);
  local = await startLocalCrm({ dir: false, clock, rateLimits: false, seed: { seed: 3, companies: 0, csms: 2, now: MONDAY } });
  const config = defaultConfig();
  config.pool = local.store.meta['poolConfig'] as Config['pool'];
  for (const m of config.pool.members) Object.assign(m, { coverageDays: [], outOfOffice: [] });
  const crm = createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock, timeoutMs: 0 });
  await crm.installProperties();
  const store = memorySweepStateStore();
  const sweep = async (ms: number, mode: 'full' | 'incremental') => {
    clock.set(ms);
    const r = await runSweep({ crm, config, configVersion: configVersion(config), now: () => new Date(ms), log: silentLogger }, { store, mode, clockMs: () => clock.now() });
    expect(r.status).toBe('complete');
    expect(r.run.mode).toBe(mode);
    return r;
  };
  // Mid-pooled (a health drop is a task), all seats active; the last login (8 days) and contact
  // (15 days) are just past their full marks, so both recencies age from now on.
  const id = await company({
    name: 'Quiet Slide Ltd',
    cs_acv: '50000',
    cs_usage_current_period: '1000',
    cs_usage_previous_period: '1000',
    cs_licensed_seats: '10',
    cs_active_users: '10',
    cs_last_login_date: iso(MONDAY - 8 * DAY),
    cs_usage_updated_at: new Date(MONDAY - DAY).toISOString(),
    notes_last_contacted: new Date(MONDAY - 15 * DAY).toISOString(),
  });
  await sweep(MONDAY, 'full');
  const peak = Number(props(id).cs_health_peak);
  expect(props(id).cs_health_drop_headroom).toBe('20');

  // Day 1: the product sync says 7 seats went quiet (the company is modified): a fall short of 20.
  clock.set(MONDAY + DAY - 3_600_000);
  expect((await call(local, 'PATCH', `/crm/v3/objects/companies/${id}`, { properties: { cs_active_users: '3', cs_usage_updated_at: new Date(MONDAY + DAY - 3_600_000).toISOString() } })).status).toBe(200);
  await sweep(MONDAY + DAY, 'incremental');
  const headroom = Number(props(id).cs_health_drop_headroom);
  expect(healthDropTasks(id)).toEqual([]);
  expect(headroom).toBeGreaterThan(0);
  expect(headroom).toBeLessThan(10);
  // The first day the clock could take it past the line is on record, not before tomorrow.
  expect((props(id).cs_health_drop_due ?? '') >= iso(MONDAY + 2 * DAY)).toBe(true);

  // Then nothing changes but the clock: each day an incremental run, then a full sweep the same day
  // (the bench's stricter check), which must find no health-drop work the incremental left.
  let createdOn = -1;
  for (let d = 2; d <= 24 && createdOn < 0; d++) {
    const at = MONDAY + d * DAY;
    await sweep(at, 'incremental');
    const byIncremental = healthDropTasks(id).length;
    if (byIncremental > 0) createdOn = d;
    await sweep(at + 3_600_000, 'full');
    expect(healthDropTasks(id)).toHaveLength(byIncremental);
  }
  // The fixture is what the test means: the clock took it past the line, found by an incremental run.
  expect(createdOn).toBeGreaterThan(2);
  expect(healthDropTasks(id)).toHaveLength(1);
  expect(props(id).cs_health_drop_from).toBe(String(peak));
}, 180_000);
