/**
 * An incremental run asked for when most of the portfolio was modified since the last run (a
 * product sync that stamps every company each night) runs as a full sweep: it reads no more, costs
 * no more calls than the incremental would, and leaves nothing to drift. End to end on the local CRM
 * server: two identical portals, the same day's changes, one run as asked and one forced incremental.
 */
import { configVersion, defaultConfig, type Config } from '../core';
import { SimClock, startLocalCrm, type LocalCrm } from '../emulator';
import { call } from '../emulator/test-helpers';
import { createHubSpotCrm } from '../hubspot';
import { silentLogger } from './deps';
import { runSweep, type SweepOptions } from './sweep';
import { memorySweepStateStore, type SweepState } from './sweep-state';

const DAY = 86_400_000;
const MONDAY = Date.UTC(2026, 10, 23, 9, 0, 0); // 2026-11-23
const COMPANIES = 600;

const started: LocalCrm[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((l) => l.stop()));
});

async function portal() {
  const clock = new SimClock(MONDAY);
  const local = await startLocalCrm({ dir: false, clock, rateLimits: false, seed: { seed: 11, companies: COMPANIES, csms: 6, now: MONDAY } });
  started.push(local);
  const config = defaultConfig();
  config.pool = local.store.meta['poolConfig'] as Config['pool'];
  const crm = createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock, timeoutMs: 0 });
  await crm.installProperties();
  const store = memorySweepStateStore();
  const sweep = async (ms: number, options: Omit<SweepOptions, 'store'>, status = 'complete') => {
    clock.set(ms);
    const r = await runSweep({ crm, config, configVersion: configVersion(config), now: () => new Date(ms), log: silentLogger }, { store, clockMs: () => clock.now(), ...options });
    expect(r.status).toBe(status);
    return r;
  };
  /** The nightly product sync: the first `count` companies (by id) get today's usage date. */
  const sync = async (ms: number, count: number) => {
    clock.set(ms);
    const ids = [...local.store.objects.companies.keys()].sort((a, b) => a - b).slice(0, count);
    for (let i = 0; i < ids.length; i += 100) {
      const inputs = ids.slice(i, i + 100).map((id) => ({ id: String(id), properties: { cs_usage_updated_at: new Date(ms).toISOString() } }));
      const r = await call(local, 'POST', '/crm/v3/objects/companies/batch/update', { inputs });
      expect(r.status).toBe(200);
    }
  };
  return { sweep, sync, store, local };
}

test('the full sweep records the portfolio size; an incremental run with most companies modified runs as a full sweep and spends fewer calls than the incremental would', async () => {
  const asked = await portal();
  const forced = await portal();
  for (const p of [asked, forced]) {
    const first = await p.sweep(MONDAY, { mode: 'full' });
    expect(first.run.totals.accounts).toBe(COMPANIES);
    expect(p.store.current().lastFullRunCompanies).toBe(COMPANIES);
    await p.sync(MONDAY + DAY - 6 * 3_600_000, 540); // 03:00 Tuesday: 90% of the portfolio
  }
  const tuesday = MONDAY + DAY;
  const asFull = await asked.sweep(tuesday, { mode: 'incremental' });
  const incremental = await forced.sweep(tuesday, { mode: 'incremental', fullWhenModified: Number.POSITIVE_INFINITY });

  expect(incremental.run.mode).toBe('incremental');
  expect(incremental.asFull).toBeUndefined();
  expect(asFull.run.mode).toBe('full');
  expect(asFull.asFull).toEqual({ modified: 540, portfolio: COMPANIES, since: expect.any(String) });
  expect(asFull.message).toMatch(/Ran as a full sweep, not incremental: 540 of the 600 companies were modified since the last run/);
  // It reads every company, the incremental only most of them …
  expect(asFull.run.totals.accounts).toBe(COMPANIES);
  expect(incremental.run.totals.accounts).toBeGreaterThanOrEqual(540);
  // … for fewer calls (the page that told it so included), within its honest minimum's count.
  expect(asFull.stats.total).toBeLessThan(incremental.stats.total);
  expect(asFull.stats.total).toBeGreaterThanOrEqual(asFull.minimumCalls);
  // The state says a full run completed: the next incremental run's drift window starts today.
  const state: SweepState = asked.store.current();
  expect(state.lastFullRunStartedAt).toBe(new Date(tuesday).toISOString());
  expect(state.lastFullRunCompanies).toBe(COMPANIES);
  // Wednesday, a few companies modified: the incremental runs as asked.
  await asked.sync(tuesday + DAY - 6 * 3_600_000, 30);
  const wednesday = await asked.sweep(tuesday + DAY, { mode: 'incremental' });
  expect(wednesday.run.mode).toBe('incremental');
  expect(wednesday.asFull).toBeUndefined();
  expect(wednesday.run.totals.accounts).toBeLessThan(COMPANIES / 2);
});

test('below half the portfolio, or with no full run of this version recorded, the incremental runs as asked', async () => {
  const p = await portal();
  await p.sweep(MONDAY, { mode: 'full' });
  await p.sync(MONDAY + DAY - 6 * 3_600_000, 290); // just under half
  const below = await p.sweep(MONDAY + DAY, { mode: 'incremental' });
  expect(below.run.mode).toBe('incremental');
  expect(below.asFull).toBeUndefined();
  // A state saved by the previous version (no portfolio size): the incremental runs as asked.
  const older = p.store.current();
  await p.store.save({ ...older, lastFullRunCompanies: null });
  await p.sync(MONDAY + 2 * DAY - 6 * 3_600_000, COMPANIES);
  const unknown = await p.sweep(MONDAY + 2 * DAY, { mode: 'incremental' });
  expect(unknown.run.mode).toBe('incremental');
  expect(unknown.asFull).toBeUndefined();
  // The next full sweep records it again, and the day after, all modified, runs as a full sweep.
  await p.sweep(MONDAY + 3 * DAY, { mode: 'full' });
  expect(p.store.current().lastFullRunCompanies).toBe(COMPANIES);
  await p.sync(MONDAY + 4 * DAY - 6 * 3_600_000, COMPANIES);
  const all = await p.sweep(MONDAY + 4 * DAY, { mode: 'incremental' });
  expect(all.run.mode).toBe('full');
  expect(all.asFull?.modified).toBe(COMPANIES);
});

test("HubSpot's daily limit on the page that decides: the run stops cleanly (daily_limit, nothing written), and the next day's run goes on", async () => {
  const p = await portal();
  await p.sweep(MONDAY, { mode: 'full' });
  await p.sync(MONDAY + DAY - 6 * 3_600_000, 540);
  const before = p.store.current();
  p.local.faults.add({ match: { method: 'POST', pathPrefix: '/crm/v3/objects/companies/search' }, respond: 429, policyName: 'DAILY', times: 2 });
  const stopped = await p.sweep(MONDAY + DAY, { mode: 'incremental' }, 'daily_limit');
  expect(stopped.message).toMatch(/daily API limit/);
  expect(stopped.stats.calls.batchUpdate ?? 0).toBe(0);
  expect(p.store.current().lastCompleteRunStartedAt).toBe(before.lastCompleteRunStartedAt);
  const next = await p.sweep(MONDAY + DAY + 3_600_000, { mode: 'incremental' });
  expect(next.run.mode).toBe('full');
  expect(next.run.totals.accounts).toBe(COMPANIES);
});
