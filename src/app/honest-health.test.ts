/**
 * Issue 13 (honest health and lifecycle), end to end: companies created through the HubSpot API on
 * the local CRM server, swept by the real adapter, read back through the API and the card data.
 */
import { configVersion, defaultConfig, type Config } from '../core';
import { SimClock, startLocalCrm, type LocalCrm } from '../emulator';
import { call, rec } from '../emulator/test-helpers';
import { createHubSpotCrm } from '../hubspot';
import { buildCardData } from './card-data-builder';
import { silentLogger, type AppDeps } from './deps';
import { runSweep } from './sweep';
import { memorySweepStateStore } from './sweep-state';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 28, 9, 0, 0);
const day = (offset: number) => new Date(NOW + offset * DAY).toISOString().slice(0, 10);

let local: LocalCrm;
let clock: SimClock;

async function start(config: Config = defaultConfig(), csms = 0, startAt = NOW): Promise<AppDeps> {
  clock = new SimClock(startAt);
  local = await startLocalCrm({ dir: false, clock, rateLimits: false, ...(csms > 0 ? { seed: { seed: 3, companies: 0, csms, now: NOW } } : {}) });
  const crm = createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock, timeoutMs: 0, propertyMap: config.propertyMapping, skills: ['german'] });
  await crm.installProperties();
  return { crm, config, configVersion: configVersion(config), now: () => new Date(clock.now()), log: silentLogger };
}

/** Creates a company through the API; returns its id. */
async function company(properties: Record<string, string>): Promise<string> {
  const r = await call(local, 'POST', '/crm/v3/objects/companies', { properties });
  expect([r.status, r.status === 201 ? null : r.body]).toEqual([201, null]);
  return String(rec(r.body).id);
}

/** Creates a ticket through the API, associated with the company (type 339). */
async function ticket(companyId: string, properties: Record<string, string>): Promise<void> {
  const r = await call(local, 'POST', '/crm/v3/objects/tickets', {
    properties: { subject: 'Help', hs_pipeline: '0', ...properties },
    associations: [{ to: { id: companyId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 339 }] }],
  });
  expect(r.status).toBe(201);
}

async function props(id: string, names: string[]): Promise<Record<string, string | null>> {
  const r = await call(local, 'GET', `/crm/v3/objects/companies/${id}?properties=${names.join(',')}`);
  return rec(rec(r.body).properties) as Record<string, string | null>;
}

/** Good product data, synced yesterday (notes_last_contacted is read-only in HubSpot: engagement stays unknown). */
const good = {
  cs_usage_current_period: '1100',
  cs_usage_previous_period: '1000',
  cs_licensed_seats: '10',
  cs_active_users: '9',
  cs_usage_updated_at: new Date(NOW - DAY).toISOString(),
};

afterEach(async () => {
  await local?.stop();
});

describe('no evidence, no score (through the HubSpot API)', () => {
  test('a company with only a name: cs_health_score empty, band unknown, the card shows its no-data state', async () => {
    const deps = await start();
    // The portal links tickets to companies (another company has one): "0 open" is evidence, but too little.
    const other = await company({ name: 'Has tickets', ...good, cs_last_login_date: day(-1) });
    await ticket(other, { hs_pipeline_stage: '1', hs_ticket_priority: 'LOW' });
    const id = await company({ name: 'Name Only GmbH' });
    const report = await runSweep(deps, { store: memorySweepStateStore() });
    expect(report.status).toBe('complete');
    const p = await props(id, ['cs_health_score', 'cs_health_band', 'cs_health_coverage', 'cs_health_summary']);
    expect(p.cs_health_score ?? '').toBe('');
    expect(p.cs_health_band).toBe('unknown');
    expect(p.cs_health_coverage).toBe('10');
    expect(p.cs_health_summary).toContain('Health unknown: too little fresh data for a score (coverage 10%, needs 50%)');
    // The sweep's table counts it as unknown, not healthy.
    expect(report.run.totals.segmentBand.pooled?.unknown).toBe(1);

    const card = await buildCardData(deps, id);
    if (!card.ok) throw new Error(card.error.message);
    expect(card.data.health).toMatchObject({ score: null, band: 'unknown', noData: true, cap: null });
    expect(card.data.health.missing.map((m) => m.id)).toEqual(['usage_trend', 'seat_utilisation', 'login_recency', 'nps', 'engagement']);
    expect(card.data.health.missing[0]?.howTo).toContain('cs_usage_current_period');
  });

  test('tickets are evidence only where the portal links tickets to companies (one call to learn it)', async () => {
    const deps = await start();
    const id = await company({ name: 'No tickets anywhere' });
    const report = await runSweep(deps, { store: memorySweepStateStore() });
    expect((await props(id, ['cs_health_coverage'])).cs_health_coverage).toBe('0');
    expect(report.stats.calls.list).toBe(1);
    const card = await buildCardData(deps, id);
    if (!card.ok) throw new Error(card.error.message);
    const tickets = card.data.health.signals.find((s) => s.id === 'tickets');
    expect(tickets?.status).toBe('unknown');
    expect(card.data.health.missing.find((m) => m.id === 'tickets')?.howTo).toContain('Associate support tickets with their company');
  });
});

describe('critical signals cap the band (through the HubSpot API)', () => {
  test('a detractor with no login for 45 days and good usage is not healthy; the card names the cap', async () => {
    const deps = await start();
    // A named account (ACV $150k): its score is above 70 on usage, seats and tickets, yet it is not healthy.
    const id = await company({ name: 'Detractor Inc', cs_acv: '150000', ...good, cs_last_login_date: day(-45), cs_nps_score: '3', cs_nps_date: day(-20) });
    await ticket(id, { hs_pipeline_stage: '4', hs_ticket_priority: 'LOW' });
    const control = await company({ name: 'Promoter Inc', cs_acv: '150000', ...good, cs_last_login_date: day(-1), cs_nps_score: '9', cs_nps_date: day(-20) });
    const report = await runSweep(deps, { store: memorySweepStateStore() });
    const p = await props(id, ['cs_health_score', 'cs_health_band', 'cs_health_summary']);
    expect(Number(p.cs_health_score)).toBeGreaterThanOrEqual(70);
    expect(p.cs_health_band).toBe('watch');
    expect(p.cs_health_summary).toContain(`(capped: NPS detractor: 3 on ${day(-20)})`);
    expect(p.cs_health_summary).toContain(`Critical: no login since ${day(-45)} (30+ days)`);
    expect((await props(control, ['cs_health_band'])).cs_health_band).toBe('healthy');
    expect(report.run.totals.capped).toEqual({ nps_detractor: 1 });

    const card = await buildCardData(deps, id);
    if (!card.ok) throw new Error(card.error.message);
    expect(card.data.health.band).toBe('watch');
    expect(card.data.health.cap).toEqual({ id: 'nps_detractor', band: 'watch', reason: `NPS detractor: 3 on ${day(-20)}` });
    expect(card.data.health.caps.map((c) => c.id)).toEqual(['nps_detractor', 'no_login']);
  });

  test('an open urgent ticket caps the band at at risk', async () => {
    const deps = await start();
    const id = await company({ name: 'Urgent Ltd', ...good, cs_last_login_date: day(-1), cs_nps_score: '9', cs_nps_date: day(-20) });
    await ticket(id, { hs_pipeline_stage: '1', hs_ticket_priority: 'URGENT' });
    await ticket(id, { hs_pipeline_stage: '4', hs_ticket_priority: 'URGENT' });
    await runSweep(deps, { store: memorySweepStateStore() });
    const p = await props(id, ['cs_health_score', 'cs_health_band', 'cs_health_summary']);
    expect(Number(p.cs_health_score)).toBeGreaterThanOrEqual(70);
    expect(p.cs_health_band).toBe('at_risk');
    expect(p.cs_health_summary).toContain('(capped: 1 urgent open ticket)');
  });
});

describe('freshness from HubSpot itself (property history)', () => {
  test('usage never synced again reads stale after 100 days without cs_usage_updated_at; 1 history read per 50 companies', async () => {
    // Values set 100 days ago (HubSpot's history keeps that timestamp), no sync date mapped.
    const deps = await start(defaultConfig(), 0, NOW - 100 * DAY);
    const { cs_usage_updated_at: _synced, ...noSync } = good;
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) ids.push(await company({ name: `Old usage ${i}`, ...noSync, cs_last_login_date: day(-101) }));
    clock.set(NOW - 2 * DAY);
    const fresh = await company({ name: 'Fresh usage', ...noSync, cs_last_login_date: day(-2) });
    clock.set(NOW);
    const report = await runSweep(deps, { store: memorySweepStateStore() });
    const p = await props(ids[0] ?? '', ['cs_health_score', 'cs_health_band', 'cs_health_summary']);
    expect(p.cs_health_band).toBe('unknown');
    expect(p.cs_health_score ?? '').toBe('');
    expect(p.cs_health_summary).toContain('Stale: usage trend, seat utilisation, last login');
    expect((await props(fresh, ['cs_health_band'])).cs_health_band).toBe('healthy');
    // 61 companies without a sync date: 2 batch reads with history (50 + 11).
    expect(report.stats.calls.historyRead).toBe(2);
    const card = await buildCardData(deps, ids[0] ?? '');
    if (!card.ok) throw new Error(card.error.message);
    expect(card.data.health.signals.find((s) => s.id === 'usage_trend')?.note).toBe('data is 100 days old (limit 14; age from HubSpot property history)');
  });

  test('with a sync date on every company the sweep reads no history', async () => {
    const deps = await start();
    await company({ name: 'Synced', ...good, cs_last_login_date: day(-1) });
    const report = await runSweep(deps, { store: memorySweepStateStore() });
    expect(report.stats.calls.historyRead ?? 0).toBe(0);
  });
});

describe('true lifecycle dates (through the HubSpot API)', () => {
  test('a company started 900 days ago, first seen today, graduated at start + 90 days; no exit criteria on its card', async () => {
    const deps = await start();
    const id = await company({ name: 'Old Customer', cs_contract_start_date: day(-900), ...good, cs_last_login_date: day(-1) });
    await runSweep(deps, { store: memorySweepStateStore() });
    const p = await props(id, ['cs_lifecycle_stage', 'cs_graduated_at', 'cs_graduation_date', 'cs_lifecycle_reason']);
    expect(p).toMatchObject({ cs_lifecycle_stage: 'graduated', cs_graduated_at: day(-810), cs_graduation_date: day(-810) });
    expect(p.cs_lifecycle_reason).toBe(`Graduated before the app was installed (start ${day(-900)} + 90 days)`);
    // The next day's sweep does not rewrite it to the sweep date.
    clock.set(NOW + DAY);
    await runSweep({ ...deps, now: () => new Date(NOW + DAY) }, { store: memorySweepStateStore() });
    expect((await props(id, ['cs_graduated_at'])).cs_graduated_at).toBe(day(-810));
    const card = await buildCardData(deps, id);
    if (!card.ok) throw new Error(card.error.message);
    expect(card.data.lifecycle).toMatchObject({ stage: 'graduated', graduatedAt: day(-810), exitCriteria: [], readyToGraduate: false });
  });

  test('all exit criteria met on day 12: "ready to graduate" on the card and in the sweep summary', async () => {
    const config = defaultConfig();
    const deps = await start(config, 2);
    config.pool = local.store.meta['poolConfig'] as Config['pool'];
    const ownerId = config.pool.members[0]?.ownerId ?? '';
    const id = await company({ name: 'Fast Starter', cs_contract_start_date: day(-11), cs_onboarding_csm: ownerId, ...good, cs_last_login_date: day(-1) });
    const report = await runSweep(deps, { store: memorySweepStateStore() });
    expect(report.run.totals.readyToGraduate).toBe(1);
    const card = await buildCardData(deps, id);
    if (!card.ok) throw new Error(card.error.message);
    expect(card.data.lifecycle).toMatchObject({ stage: 'onboarding', day: 12, readyToGraduate: true });
  });
});

describe('bad values are named (through the HubSpot API)', () => {
  test("a mapped text ACV '12,5k' and an absurd 1e12 are per-record issues with the company name, never a named account", async () => {
    const config = defaultConfig();
    config.propertyMapping = { cs_acv: 'acv_text' };
    const deps = await start(config);
    const created = await call(local, 'POST', '/crm/v3/properties/companies', { name: 'acv_text', label: 'ACV (text)', type: 'string', fieldType: 'text', groupName: 'companyinformation' });
    expect(created.status).toBe(201);
    const bad = await company({ name: 'Comma Corp', acv_text: '12,5k' });
    const huge = await company({ name: 'Huge Corp', acv_text: '1e12' });
    const report = await runSweep(deps, { store: memorySweepStateStore() });
    expect(report.run.totals.issues).toBe(2);
    expect(report.run.totals.issueExamples.sort()).toEqual([`Comma Corp (id ${bad}): ACV (acv_text) unreadable: '12,5k'`, `Huge Corp (id ${huge}): ACV (acv_text) rejected: 1e12 is not below 1,000,000,000`]);
    expect((await props(huge, ['cs_segment'])).cs_segment).toBe('pooled');
    const card = await buildCardData(deps, bad);
    if (!card.ok) throw new Error(card.error.message);
    expect(card.data.dataIssues).toEqual([{ property: 'acv_text', value: '12,5k', message: "ACV (acv_text) unreadable: '12,5k'" }]);
  });
});

describe('onboarding that never goes quiet (through the HubSpot API)', () => {
  /** Pool from the seed; its first member works every day and is the onboarding CSM. */
  async function onboardingDeps(): Promise<{ deps: AppDeps; ownerId: string }> {
    const config = defaultConfig();
    const deps = await start(config, 2);
    config.pool = local.store.meta['poolConfig'] as Config['pool'];
    const first = config.pool.members[0];
    if (!first) throw new Error('seed has no CSM');
    first.coverageDays = [];
    first.outOfOffice = [];
    return { deps, ownerId: first.ownerId };
  }

  /** The app's tasks on a company in the local CRM: key → { owner, due, subject }. */
  function appTasks(companyId: string): Map<string, { owner: string | null; due: string; subject: string }> {
    const out = new Map<string, { owner: string | null; due: string; subject: string }>();
    for (const t of local.store.associated('companies', Number(companyId), 'tasks').map((id) => local.store.get('tasks', id))) {
      const key = /Idempotency key:\s*(\S+)/.exec(t?.props.hs_task_body ?? '')?.[1];
      if (t && key) out.set(key, { owner: t.props.hubspot_owner_id ?? null, due: new Date(Date.parse(t.props.hs_timestamp ?? '')).toISOString(), subject: t.props.hs_task_subject ?? '' });
    }
    return out;
  }

  test('a day-12 onboarding with 3 open CS tasks (the cap) still gets its day-7 step, and day 14 on its day', async () => {
    const { deps, ownerId } = await onboardingDeps();
    const id = await company({ name: 'Busy Starter', cs_contract_start_date: day(-11), cs_onboarding_csm: ownerId, ...good, cs_active_users: '2', cs_last_login_date: day(-1) });
    // Three open CS tasks of ours already on the company: the open-task cap (3) is reached.
    for (const key of ['usage_drop:alert-call:2026-W45', 'no_login:reengage:2026-W46', 'no_touch:check_in:2026-W47']) {
      const r = await call(local, 'POST', '/crm/v3/objects/tasks', {
        properties: { hs_task_subject: 'Earlier CS task', hs_task_body: `Idempotency key: cs:${id}:${key}`, hs_task_status: 'NOT_STARTED', hs_timestamp: new Date(NOW).toISOString(), hubspot_owner_id: ownerId },
        associations: [{ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 192 }] }],
      });
      expect(r.status).toBe(201);
    }
    const store = memorySweepStateStore();
    await runSweep(deps, { store });
    const first = appTasks(id);
    // Day 7 (due 5 days ago, within the catch-up window) is created today, to the onboarding CSM; day 0 and day 3 are past it.
    expect(first.get(`cs:${id}:onboarding:day7:${day(-11)}`)).toMatchObject({ owner: ownerId, due: `${day(0)}T09:00:00.000Z` });
    expect([...first.keys()].filter((k) => /:onboarding:day(0|3):/.test(k))).toEqual([]);

    // Three days later is day 14 of the schedule: created on its day, the cap still reached.
    const later = NOW + 3 * DAY;
    clock.set(later);
    await runSweep({ ...deps, now: () => new Date(later) }, { store });
    expect(appTasks(id).get(`cs:${id}:onboarding:day14:${day(-11)}`)).toMatchObject({ owner: ownerId, due: `${day(3)}T09:00:00.000Z` });
  });

  test('an overdue onboarding gets a task to its onboarding CSM naming the missing criteria', async () => {
    const { deps, ownerId } = await onboardingDeps();
    // Tracked as onboarding by an earlier run, started 100 days ago: its graduation date passed 10 days ago, 2 of 10 seats used.
    const id = await company({
      name: 'Slow Starter',
      cs_contract_start_date: day(-100),
      cs_onboarding_start_date: day(-100),
      cs_graduation_date: day(-10),
      cs_lifecycle_stage: 'onboarding',
      cs_onboarding_csm: ownerId,
      ...good,
      cs_active_users: '2',
      cs_last_login_date: day(-1),
    });
    await runSweep(deps, { store: memorySweepStateStore() });
    expect((await props(id, ['cs_lifecycle_stage'])).cs_lifecycle_stage).toBe('onboarding_overdue');
    const task = appTasks(id).get(`cs:${id}:onboarding:overdue:${day(-10)}`);
    expect(task?.owner).toBe(ownerId);
    expect(task?.subject).toMatch(/^Onboarding: overdue 10 days, missing: .*seat adoption reached/);
  });
});

describe('absurd magnitudes are bad values (through the HubSpot API)', () => {
  test('negative seats are rejected and named with the company, never read as 0 seats', async () => {
    const deps = await start();
    const id = await company({ name: 'Minus Seats Ltd', ...good, cs_licensed_seats: '-5', cs_last_login_date: day(-1) });
    const report = await runSweep(deps, { store: memorySweepStateStore() });
    expect(report.run.totals.issueExamples).toEqual([`Minus Seats Ltd (id ${id}): Licensed seats rejected: below 0: -5`]);
    const card = await buildCardData(deps, id);
    if (!card.ok) throw new Error(card.error.message);
    expect(card.data.dataIssues).toEqual([{ property: 'cs_licensed_seats', value: '-5', message: 'Licensed seats rejected: below 0: -5' }]);
    expect(card.data.health.signals.find((s) => s.id === 'seat_utilisation')?.status).toBe('unknown');
  });
});
