/**
 * The seeded demo portfolio read by the real sweep: a book that reads like a real one (issue 14
 * item 6), and freshness from property history (issue 13 item 3 on the demo): a portal
 * whose product sync writes no sync dates reads the age of its usage and NPS values from the
 * timestamps HubSpot keeps for them. The seeded history agrees with the data, so such a run reads
 * about as many accounts stale as a run with sync dates — not most of them.
 */
import { configVersion, defaultConfig } from '../core';
import { SimClock, startLocalCrm, type LocalCrm } from '../emulator';
import { createHubSpotCrm } from '../hubspot';
import { silentLogger } from './deps';
import { runSweep } from './sweep';
import { memorySweepStateStore } from './sweep-state';

const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);
const COMPANIES = 1000;

interface Read {
  /** Accounts whose usage figures read stale (named in the summary, or too stale for a score). */
  usageStale: number;
  unknown: number;
  atRisk: number;
  watch: number;
  /** Accounts with seat data, and those at 90% or more of their seats. */
  withSeats: number;
  seatsAbove90: number;
  historyCalls: number;
}

async function sweepSeeded(syncDates: boolean, dropSeededTimes = false): Promise<Read> {
  const clock = new SimClock(NOW);
  const local: LocalCrm = await startLocalCrm({ dir: false, clock, rateLimits: false, seed: { seed: 11, companies: COMPANIES, csms: 6, now: NOW, syncDates } });
  try {
    // The counterfactual: values without their seeded times date from the company's creation.
    if (dropSeededTimes) for (const o of local.store.objects.companies.values()) delete o.setAt;
    const crm = createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock, timeoutMs: 0 });
    await crm.installProperties();
    const config = defaultConfig();
    const report = await runSweep({ crm, config, configVersion: configVersion(config), now: () => new Date(clock.now()), log: silentLogger }, { store: memorySweepStateStore() });
    const read: Read = { usageStale: 0, unknown: 0, atRisk: 0, watch: 0, withSeats: 0, seatsAbove90: 0, historyCalls: report.stats.calls.historyRead ?? 0 };
    for (const o of local.store.objects.companies.values()) {
      const summary = o.props.cs_health_summary ?? '';
      if (/Stale: usage trend/.test(summary)) read.usageStale++;
      if (o.props.cs_health_band === 'unknown') read.unknown++;
      if (o.props.cs_health_band === 'at_risk') read.atRisk++;
      if (o.props.cs_health_band === 'watch') read.watch++;
      const seats = Number(o.props.cs_licensed_seats);
      const active = Number(o.props.cs_active_users);
      if (o.props.cs_active_users && seats > 0 && active >= 0) {
        read.withSeats++;
        if (active / seats >= 0.9) read.seatsAbove90++;
      }
    }
    return read;
  } finally {
    await local.stop();
  }
}

test('the seeded book reads like a real one: 10–20% at risk, a larger watch list, a minority unknown, seats mostly below 90%', async () => {
  const r = await sweepSeeded(true);
  process.stdout.write(`of ${COMPANIES}: at risk ${r.atRisk}, watch ${r.watch}, unknown ${r.unknown}, seats ≥ 90% ${r.seatsAbove90} of ${r.withSeats}\n`);
  expect(r.atRisk / COMPANIES).toBeGreaterThanOrEqual(0.1);
  expect(r.atRisk / COMPANIES).toBeLessThanOrEqual(0.2);
  expect(r.watch).toBeGreaterThan(r.atRisk);
  expect(r.unknown / COMPANIES).toBeGreaterThan(0.01);
  expect(r.unknown / COMPANIES).toBeLessThan(0.1);
  expect(r.seatsAbove90 / r.withSeats).toBeLessThan(0.15);
}, 60_000);

test('without sync dates, the seeded portfolio reads about as stale from property history as with them (not most accounts)', async () => {
  const synced = await sweepSeeded(true);
  const fromHistory = await sweepSeeded(false);
  const undated = await sweepSeeded(false, true);
  process.stdout.write(`usage stale of ${COMPANIES}: sync dates ${synced.usageStale}, property history ${fromHistory.usageStale}, history without seeded times ${undated.usageStale}\n`);

  // With sync dates, only the few unreadable ones ask for history; without, every company does (50 per call).
  expect(synced.historyCalls).toBeLessThan(fromHistory.historyCalls);
  expect(fromHistory.historyCalls).toBeGreaterThanOrEqual(COMPANIES / 50);
  // About 7% of the seeded syncs stopped 10–60 days ago: that share reads stale either way.
  expect(synced.usageStale / COMPANIES).toBeGreaterThan(0.03);
  expect(synced.usageStale / COMPANIES).toBeLessThan(0.12);
  expect(Math.abs(fromHistory.usageStale - synced.usageStale) / COMPANIES).toBeLessThan(0.02);
  expect(Math.abs(fromHistory.unknown - synced.unknown) / COMPANIES).toBeLessThan(0.03);
  expect(Math.abs(fromHistory.atRisk - synced.atRisk) / COMPANIES).toBeLessThan(0.03);
  // Without the seeded times every value would date from the company's creation: most read stale.
  expect(undated.usageStale / COMPANIES).toBeGreaterThan(0.5);
}, 120_000);
