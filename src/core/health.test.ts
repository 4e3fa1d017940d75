import fc from 'fast-check';
import { defaultConfig } from './config';
import { makeAccount } from './test-support';
import { FRESH_BIT, bandFor, capReasonOf, computeHealth, withCap, healthDropDueDay, historyStaleDueDay, healthDropHeadroom, healthDropNow, healthTrend, maxScoreDrop, nextHealthDrop, nextHealthPeak } from './health';
import { formatIsoDay, parseIsoDay } from './dates';
import type { Config } from './config';
import { SEGMENTS, type Account } from './types';

const config = defaultConfig();
const now = new Date('2026-06-15T12:00:00Z');

const full: Partial<Account> = {
  usageCurrentPeriod: 630,
  usagePreviousPeriod: 630,
  licensedSeats: 100,
  activeUsers: 80,
  lastLoginDate: '2026-06-14',
  usageUpdatedAt: '2026-06-14T00:00:00Z',
  openTickets: 0,
  highPriorityTickets: 0,
  npsScore: 9,
  npsDate: '2026-05-01',
  lastContactedAt: '2026-06-10T00:00:00Z',
};

function sumTenths(cs: { contribution: number }[]): number {
  return cs.reduce((s, c) => s + Math.round(c.contribution * 10), 0);
}

describe('computeHealth', () => {
  it('scores a healthy account with full coverage and explains every signal', () => {
    const h = computeHealth(makeAccount(full), 'pooled', config, now);
    expect(h.coverage).toBe(100);
    expect(h.band).toBe('healthy');
    expect(h.score).not.toBeNull();
    expect(sumTenths(h.contributions)).toBe((h.score ?? -1) * 10);
    expect(h.contributions.map((c) => c.status)).toEqual(Array(6).fill('fresh'));
    expect(h.contributions.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(1, 10);
    const usage = h.contributions.find((c) => c.id === 'usage_trend');
    expect(usage?.raw).toBe('630 vs 630 (0%)');
    expect(h.summary).toMatch(/^\d+\/100 healthy, coverage 100%/);
  });

  it('treats nulls as unknown: no score, band unknown, zero contributions', () => {
    const h = computeHealth(makeAccount(), 'pooled', config, now);
    expect(h).toMatchObject({ score: null, band: 'unknown', coverage: 0 });
    expect(h.contributions.every((c) => c.status === 'unknown' && c.contribution === 0 && c.weight === 0)).toBe(true);
    expect(h.summary).toContain('unknown');
  });

  it('excludes unknown signals and renormalises the rest', () => {
    // Usage, seats and NPS: 60 of 100 weight, above the 50% minimum coverage.
    const h = computeHealth(
      makeAccount({ usageCurrentPeriod: 100, usagePreviousPeriod: 100, licensedSeats: 10, activeUsers: 8, usageUpdatedAt: '2026-06-14T00:00:00Z', npsScore: 10, npsDate: '2026-06-01' }),
      'pooled',
      config,
      now,
    );
    expect(h.coverage).toBe(60);
    expect(h.contributions.find((c) => c.id === 'nps')).toMatchObject({ weight: 0.25, normalized: 100 });
    expect(h.contributions.find((c) => c.id === 'login_recency')).toMatchObject({ weight: 0, contribution: 0, status: 'unknown' });
    expect(sumTenths(h.contributions)).toBe((h.score ?? -1) * 10);
  });

  it('no evidence, no score: below the coverage threshold the score is empty and the summary names what is missing', () => {
    // NPS alone is 15 of 100 weight; a portal's "0 open tickets" alone is 10.
    const nps = computeHealth(makeAccount({ npsScore: 10, npsDate: '2026-06-01' }), 'pooled', config, now);
    expect(nps).toMatchObject({ score: null, band: 'unknown', coverage: 15 });
    expect(nps.contributions.every((c) => c.contribution === 0)).toBe(true);
    const tickets = computeHealth(makeAccount({ openTickets: 0, highPriorityTickets: 0 }), 'pooled', config, now);
    expect(tickets).toMatchObject({ score: null, band: 'unknown', coverage: 10 });
    expect(tickets.summary).toBe(
      'Health unknown: too little fresh data for a score (coverage 10%, needs 50%). Missing: usage trend, seat utilisation, last login, nps, last touch.',
    );
    // At the threshold there is a score.
    const half = computeHealth(makeAccount({ ...full, npsScore: null, lastContactedAt: null, openTickets: null, licensedSeats: null }), 'pooled', config, now);
    expect(half.coverage).toBe(45);
    expect(half.score).toBeNull();
    const enough = computeHealth(makeAccount({ ...full, npsScore: null, lastContactedAt: null, licensedSeats: null }), 'pooled', config, now);
    expect(enough.coverage).toBe(55);
    expect(enough.score).not.toBeNull();
  });

  it('never yields NaN for malformed numbers, negative seats or Infinity', () => {
    const h = computeHealth(
      makeAccount({ ...full, usageCurrentPeriod: Number.NaN, licensedSeats: -3, activeUsers: Infinity, npsScore: 11, openTickets: -1, lastLoginDate: '2026-13-45' }),
      'mid_pooled',
      config,
      now,
    );
    for (const id of ['usage_trend', 'seat_utilisation', 'nps', 'tickets', 'login_recency']) {
      expect(h.contributions.find((c) => c.id === id)?.status).toBe('unknown');
    }
    expect(Number.isNaN(h.score)).toBe(false);
    expect(h.contributions.every((c) => Number.isFinite(c.contribution) && Number.isFinite(c.weight))).toBe(true);
  });

  it('zero previous usage is unknown, not a division by zero', () => {
    const h = computeHealth(makeAccount({ ...full, usagePreviousPeriod: 0, usageCurrentPeriod: 5 }), 'pooled', config, now);
    expect(h.contributions.find((c) => c.id === 'usage_trend')?.status).toBe('unknown');
  });

  it('zero licensed seats are unknown', () => {
    const h = computeHealth(makeAccount({ ...full, licensedSeats: 0, activeUsers: 0 }), 'pooled', config, now);
    expect(h.contributions.find((c) => c.id === 'seat_utilisation')?.status).toBe('unknown');
  });

  it('marks usage data stale past the window and lowers coverage, but keeps it in the score', () => {
    const fresh = computeHealth(makeAccount({ ...full, usageUpdatedAt: '2026-06-01T12:00:00Z' }), 'pooled', config, now);
    expect(fresh.contributions.find((c) => c.id === 'usage_trend')?.status).toBe('fresh');
    const stale = computeHealth(makeAccount({ ...full, usageUpdatedAt: '2026-05-31T12:00:00Z' }), 'pooled', config, now);
    expect(stale.contributions.filter((c) => c.status === 'stale').map((c) => c.id)).toEqual(['usage_trend', 'seat_utilisation', 'login_recency']);
    expect(stale.coverage).toBe(35);
    expect(stale.band).toBe('unknown');
    // 35% fresh is below the threshold: no score. With a lower threshold the stale data still counts.
    expect(stale.score).toBeNull();
    const lenient = defaultConfig();
    lenient.health.minCoverage = 30;
    expect(computeHealth(makeAccount({ ...full, usageUpdatedAt: '2026-05-31T12:00:00Z' }), 'pooled', lenient, now).score).toBe(fresh.score);
  });

  it('without a sync date, ages usage and NPS by the timestamp HubSpot keeps for the value (property history)', () => {
    const noSync = { ...full, usageUpdatedAt: null, npsDate: null };
    const old = computeHealth(makeAccount({ ...noSync, usageValueAt: '2026-03-07T00:00:00Z', npsValueAt: '2025-10-01T00:00:00Z' }), 'pooled', config, now);
    const usage = old.contributions.find((c) => c.id === 'usage_trend');
    expect(usage?.status).toBe('stale');
    expect(usage?.note).toBe('data is 100 days old (limit 14; age from HubSpot property history)');
    expect(old.contributions.find((c) => c.id === 'nps')?.status).toBe('stale');
    expect(old.coverage).toBe(20);
    expect(old).toMatchObject({ score: null, band: 'unknown' });
    const recent = computeHealth(makeAccount({ ...noSync, usageValueAt: '2026-06-10T00:00:00Z', npsValueAt: '2026-05-01T00:00:00Z' }), 'pooled', config, now);
    expect(recent.coverage).toBe(100);
    // A sync date wins over the history.
    const synced = computeHealth(makeAccount({ ...full, usageValueAt: '2026-01-01T00:00:00Z' }), 'pooled', config, now);
    expect(synced.contributions.find((c) => c.id === 'usage_trend')?.status).toBe('fresh');
    // Without either, the config decides (unknownAgeIsFresh).
    const strict = defaultConfig();
    strict.health.staleness.unknownAgeIsFresh = false;
    expect(computeHealth(makeAccount(noSync), 'pooled', strict, now).contributions.find((c) => c.id === 'usage_trend')?.status).toBe('stale');
  });

  describe('critical signals cap the band', () => {
    it('a recent detractor with no login for 45 days and good usage is not healthy, and the cap is named', () => {
      const h = computeHealth(makeAccount({ ...full, npsScore: 3, npsDate: '2026-06-01', lastLoginDate: '2026-05-01' }), 'pooled', config, now);
      expect(h.score).toBeGreaterThanOrEqual(config.health.bands.watch);
      expect(h.band).toBe('watch');
      expect(h.caps.map((c) => c.id)).toEqual(['nps_detractor', 'no_login']);
      expect(h.cappedBy?.reason).toBe('NPS detractor: 3 on 2026-06-01');
      expect(h.summary).toMatch(/ watch \(capped: NPS detractor: 3 on 2026-06-01\), coverage 100%\. .*Critical: no login since 2026-05-01 \(30\+ days\)\./);
      // The stored summary gives the cap back to readers of HubSpot (the cockpit), and nothing when there is none.
      expect(capReasonOf(h.summary)).toBe(h.cappedBy?.reason);
      expect(capReasonOf(computeHealth(makeAccount(full), 'pooled', config, now).summary)).toBeNull();
      expect([capReasonOf(null), capReasonOf(''), capReasonOf('80/100 healthy, coverage 90%.')]).toEqual([null, null, null]);
    });

    it('each cap alone; the strictest wins; an old detractor or stale usage does not cap', () => {
      const drop = computeHealth(makeAccount({ ...full, usageCurrentPeriod: 600, usagePreviousPeriod: 1000, npsScore: 10 }), 'pooled', config, now);
      expect(drop.caps.map((c) => c.reason)).toEqual(['usage down 40% (limit 30%)']);
      expect(drop.band).toBe('watch');
      const urgent = computeHealth(makeAccount({ ...full, urgentTickets: 1, npsScore: 3, npsDate: '2026-06-01' }), 'pooled', config, now);
      expect(urgent.caps.map((c) => c.id)).toEqual(['urgent_ticket', 'nps_detractor']);
      expect(urgent.band).toBe('at_risk');
      const oldNps = computeHealth(makeAccount({ ...full, npsScore: 3, npsDate: '2026-01-01' }), 'pooled', config, now);
      expect(oldNps.caps).toEqual([]);
      const staleDrop = computeHealth(makeAccount({ ...full, usageCurrentPeriod: 100, usagePreviousPeriod: 1000, usageUpdatedAt: '2026-05-01T00:00:00Z' }), 'pooled', config, now);
      expect(staleDrop.caps).toEqual([]);
      const off = defaultConfig();
      off.health.caps.urgent_ticket.enabled = false;
      expect(computeHealth(makeAccount({ ...full, urgentTickets: 2 }), 'pooled', off, now).band).toBe('healthy');
    });

    it('a cap never raises a band and never gives an unknown account a band', () => {
      const low = computeHealth(makeAccount({ ...full, usageCurrentPeriod: 100, usagePreviousPeriod: 1000, activeUsers: 5, openTickets: 3, highPriorityTickets: 3, urgentTickets: 0 }), 'pooled', config, now);
      expect(low.band).toBe('at_risk');
      expect(low.cappedBy).toBeNull();
      expect(low.caps.map((c) => c.id)).toEqual(['usage_drop']);
      const unknown = computeHealth(makeAccount({ urgentTickets: 1, openTickets: 1 }), 'pooled', config, now);
      expect(unknown.band).toBe('unknown');
      expect(unknown.caps.map((c) => c.id)).toEqual(['urgent_ticket']);
    });
  });

  it('marks an old NPS stale', () => {
    const h = computeHealth(makeAccount({ ...full, npsDate: '2025-06-01' }), 'pooled', config, now);
    expect(h.contributions.find((c) => c.id === 'nps')?.status).toBe('stale');
    expect(h.coverage).toBe(85);
  });

  it('uses per-segment weights', () => {
    const a = makeAccount({ ...full, npsScore: 0 });
    const pooled = computeHealth(a, 'pooled', config, now);
    const named = computeHealth(a, 'named', config, now);
    expect(pooled.contributions.find((c) => c.id === 'nps')?.weight).toBeCloseTo(0.15);
    expect(named.contributions.find((c) => c.id === 'nps')?.weight).toBeCloseTo(0.2);
    expect(named.score).toBeLessThan(pooled.score ?? 0);
  });

  it('penalises tickets, high priority more', () => {
    const a = computeHealth(makeAccount({ openTickets: 3, highPriorityTickets: 1 }), 'pooled', config, now);
    expect(a.contributions.find((c) => c.id === 'tickets')).toMatchObject({ normalized: 55, raw: '3 open, 1 high priority' });
  });

  it('property: random accounts never produce NaN and contributions add up to the score', () => {
    const num = fc.oneof(fc.constant(null), fc.double(), fc.integer({ min: -5, max: 2000 }));
    const day = fc.oneof(fc.constant(null), fc.constant('2026-13-45'), fc.date({ min: new Date('2020-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)));
    const instant = fc.oneof(fc.constant(null), fc.constant('garbage'), fc.date({ min: new Date('2020-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }).map((d) => d.toISOString()));
    fc.assert(
      fc.property(
        fc.record({ usageCurrentPeriod: num, usagePreviousPeriod: num, licensedSeats: num, activeUsers: num, npsScore: num, openTickets: num, highPriorityTickets: num, lastLoginDate: day, npsDate: day, usageUpdatedAt: instant, lastContactedAt: instant }),
        fc.constantFrom('pooled' as const, 'mid_pooled' as const, 'named' as const),
        (fields, seg) => {
          const h = computeHealth(makeAccount(fields), seg, config, now);
          if (h.score !== null) {
            expect(Number.isInteger(h.score)).toBe(true);
            expect(h.score).toBeGreaterThanOrEqual(0);
            expect(h.score).toBeLessThanOrEqual(100);
            expect(sumTenths(h.contributions)).toBe(h.score * 10);
          }
          expect(Number.isFinite(h.coverage)).toBe(true);
          for (const c of h.contributions) {
            expect(Number.isFinite(c.contribution)).toBe(true);
            expect(c.contribution).toBeGreaterThanOrEqual(0);
            expect(c.normalized === null || Number.isFinite(c.normalized)).toBe(true);
          }
          expect(h.summary).not.toMatch(/NaN|Infinity|undefined/);
        },
      ),
      { numRuns: 500, seed: 42 },
    );
  });
});

describe('bandFor', () => {
  it('has exact boundaries at 70 and 50 and needs the minimum coverage', () => {
    expect(bandFor(70, 100, config)).toBe('healthy');
    expect(bandFor(69, 100, config)).toBe('watch');
    expect(bandFor(50, 100, config)).toBe('watch');
    expect(bandFor(49, 100, config)).toBe('at_risk');
    expect(bandFor(90, 50, config)).toBe('healthy');
    expect(bandFor(90, 49, config)).toBe('unknown');
    expect(bandFor(null, 100, config)).toBe('unknown');
  });
});

describe('healthTrend', () => {
  it('keeps the last 90 days oldest first and compares with 30 days ago', () => {
    const t = healthTrend(
      [
        { value: 55, at: '2026-06-14T00:00:00Z' },
        { value: 90, at: '2026-01-01T00:00:00Z' },
        { value: 80, at: '2026-05-10T00:00:00Z' },
        { value: 75, at: '2026-05-20T00:00:00Z' },
        { value: Number.NaN, at: '2026-06-01T00:00:00Z' },
        { value: 60, at: 'not a date' },
      ],
      now,
      config,
    );
    expect(t.points.map((p) => p.score)).toEqual([80, 75, 55]);
    expect(t.change).toBe(-25);
    expect(t.dropped).toBe(true);
  });

  it('a 19-point drop is not a drop; an empty history has no change', () => {
    expect(healthTrend([{ value: 70, at: '2026-05-01T00:00:00Z' }, { value: 51, at: '2026-06-10T00:00:00Z' }], now, config)).toMatchObject({ change: -19, dropped: false });
    expect(healthTrend([], now, config)).toEqual({ points: [], change: null, dropped: false });
  });
});

describe('computeHealth: summary stable from day to day', () => {
  test('the summary names dates, not ages, so it does not change while the inputs do not', () => {
    const config = defaultConfig();
    const account = makeAccount({ lastLoginDate: '2026-08-01', lastContactedAt: '2026-07-01T10:00:00.000Z', usageCurrentPeriod: 10, usagePreviousPeriod: 100 });
    const a = computeHealth(account, 'pooled', config, new Date('2026-11-23T09:00:00Z'));
    const b = computeHealth(account, 'pooled', config, new Date('2026-11-24T09:00:00Z'));
    expect(a.summary).not.toMatch(/days ago/);
    expect(a.summary).toContain('2026-08-01');
    expect(b.summary.replace(/\d+\/100 \w+/, '')).toBe(a.summary.replace(/\d+\/100 \w+/, ''));
  });

  test('each signal is named by its value in the summary; a free-text NPS date loses its age', () => {
    const now = new Date('2026-06-15T12:00:00Z');
    const weak = computeHealth(makeAccount({ ...full, usageCurrentPeriod: 100, usagePreviousPeriod: 400, licensedSeats: 100, activeUsers: 10 }), 'pooled', config, now);
    expect(weak.summary).toContain('Weak: usage trend 100 vs 400 (−75%); seat utilisation 10 of 100 seats (10%).');
    const strong = computeHealth(makeAccount(full), 'pooled', config, now);
    expect(strong.summary).toContain('Strong: usage trend 630 vs 630 (0%); seat utilisation 80 of 100 seats (80%).');
    const odd = computeHealth(makeAccount({ ...full, npsScore: 2, npsDate: '5 days ago', usageCurrentPeriod: 630 }), 'pooled', config, now);
    expect(odd.contributions.find((c) => c.id === 'nps')?.raw).toBe('2 (5 days ago)');
    expect(odd.summary).toContain('Weak: nps 2.');
    expect(odd.summary).not.toMatch(/days ago/);
  });
});

describe('computeHealth: the contributions are built when read', () => {
  const day = fc.integer({ min: 20_400, max: 20_620 }).map((d) => formatIsoDay(d));
  const maybe = <T,>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
  const account = fc
    .record({
      usageCurrentPeriod: maybe(fc.integer({ min: -5, max: 2000 })),
      usagePreviousPeriod: maybe(fc.integer({ min: -5, max: 2000 })),
      licensedSeats: maybe(fc.integer({ min: -1, max: 300 })),
      activeUsers: maybe(fc.integer({ min: -1, max: 400 })),
      lastLoginDate: maybe(fc.oneof(day, fc.constant('2026-13-40'))),
      usageUpdatedAt: maybe(day.map((d) => `${d}T06:00:00Z`)),
      openTickets: maybe(fc.integer({ min: -1, max: 9 })),
      highPriorityTickets: maybe(fc.integer({ min: 0, max: 9 })),
      npsScore: maybe(fc.integer({ min: -1, max: 11 })),
      npsDate: maybe(fc.oneof(day, fc.constant('12 days ago'))),
      lastContactedAt: maybe(fc.oneof(day.map((d) => `${d}T14:30:00.000Z`), fc.constant('not a date'))),
      urgentTickets: maybe(fc.integer({ min: 0, max: 2 })),
    })
    .map((fields) => makeAccount(fields));
  const segment = fc.constantFrom(...SEGMENTS);

  test('read after other accounts were scored, they are those of their own account: statuses as freshMask says, points adding up to the score, kept in JSON', () => {
    fc.assert(
      fc.property(account, segment, fc.array(fc.tuple(account, segment), { minLength: 1, maxLength: 4 }), (a, seg, others) => {
        const early = computeHealth(a, seg, config, now);
        // Other accounts scored in between reuse the scratch the first one was measured into.
        for (const [o, os] of others) void computeHealth(o, os, config, now).summary;
        const read = early.contributions;
        const fresh = computeHealth(a, seg, config, now);
        expect(read).toEqual(fresh.contributions);
        expect(early.contributions).toBe(read); // built once
        const mask = read.reduce((m, c) => (c.status === 'fresh' ? m | FRESH_BIT[c.id] : m), 0);
        expect(early.freshMask).toBe(mask);
        if (early.score !== null) expect(sumTenths(read)).toBe(early.score * 10);
        // The raw inputs too are built when read, from the result's own account.
        expect(early.inputs).toEqual(fresh.inputs);
        expect(early.inputs['lastLoginDate']).toBe(a.lastLoginDate);
        expect(JSON.parse(JSON.stringify(early))).toEqual(JSON.parse(JSON.stringify({ ...fresh, inputs: fresh.inputs, contributions: read })));
        expect((JSON.parse(JSON.stringify(early)) as { contributions: unknown[] }).contributions).toHaveLength(6);
      }),
      { numRuns: 300 },
    );
  });

  test('a capped result keeps the contributions of the result it caps', () => {
    const base = computeHealth(makeAccount(full), 'pooled', config, now);
    const capped = withCap(base, { id: 'risk_task', band: 'watch', reason: 'risk task from 2026-06-10: No login' });
    expect(capped.band).toBe('watch');
    expect(capped.summary).toMatch(/^\d+\/100 watch \(capped: risk task from 2026-06-10: No login\)/);
    expect(capped.contributions).toEqual(base.contributions);
    expect(capped.contributions.find((c) => c.id === 'usage_trend')?.raw).toBe('630 vs 630 (0%)');
    expect(capped.freshMask).toBe(base.freshMask);
    expect(JSON.parse(JSON.stringify(capped)).contributions).toEqual(JSON.parse(JSON.stringify(base.contributions)));
    const notLower = withCap(capped, { id: 'risk_task', band: 'watch', reason: 'again' });
    expect(notLower.caps).toHaveLength(2);
    expect(notLower.contributions).toEqual(base.contributions);
  });

  test('each known signal has its value in words, as the card shows it', () => {
    const h = computeHealth(makeAccount({ ...full, openTickets: 3, highPriorityTickets: 1 }), 'pooled', config, now);
    expect(Object.fromEntries(h.contributions.map((c) => [c.id, c.raw]))).toEqual({
      usage_trend: '630 vs 630 (0%)',
      seat_utilisation: '80 of 100 seats (80%)',
      login_recency: '2026-06-14 (1 days ago)',
      tickets: '3 open, 1 high priority',
      nps: '9 (2026-05-01)',
      engagement: '2026-06-10 (5 days ago)',
    });
  });
});

describe('computeHealth: time alone only lowers the score (what the incremental sweep relies on)', () => {
  const DAY = 86_400_000;
  const isoDay = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
  const weights = fc.record({ usage_trend: fc.integer({ min: 0, max: 30 }), seat_utilisation: fc.integer({ min: 0, max: 30 }), login_recency: fc.integer({ min: 0, max: 30 }), tickets: fc.integer({ min: 0, max: 30 }), nps: fc.integer({ min: 0, max: 30 }), engagement: fc.integer({ min: 0, max: 30 }) });
  const configs = fc
    .record({
      pooled: weights,
      mid_pooled: weights,
      named: weights,
      minCoverage: fc.integer({ min: 0, max: 100 }),
      loginFull: fc.integer({ min: 0, max: 20 }),
      loginSpan: fc.integer({ min: 1, max: 80 }),
      touchFull: fc.integer({ min: 0, max: 20 }),
      touchSpan: fc.integer({ min: 1, max: 100 }),
      usageDays: fc.integer({ min: 1, max: 30 }),
      npsDays: fc.integer({ min: 1, max: 200 }),
    })
    .map((r): Config => {
      const c = defaultConfig();
      c.health.weights = { pooled: r.pooled, mid_pooled: r.mid_pooled, named: r.named };
      c.health.minCoverage = r.minCoverage;
      Object.assign(c.health.normalise, { loginFullDays: r.loginFull, loginZeroDays: r.loginFull + r.loginSpan, engagementFullDays: r.touchFull, engagementZeroDays: r.touchFull + r.touchSpan });
      Object.assign(c.health.staleness, { usageDays: r.usageDays, npsDays: r.npsDays });
      return c;
    });
  const t0Arb = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-12-31T23:59:59Z') });
  const num = fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 500 }));
  // Inputs around the first evaluation, so the recencies are often sliding, flat, or crossing an end.
  const inputs = fc.record({
    usageCurrentPeriod: num,
    usagePreviousPeriod: num,
    licensedSeats: num,
    activeUsers: num,
    npsScore: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 10 })),
    openTickets: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 6 })),
    highPriorityTickets: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 3 })),
    loginBack: fc.oneof(fc.constant(null), fc.integer({ min: -5, max: 130 })),
    touchBackMs: fc.oneof(fc.constant(null), fc.integer({ min: -5 * DAY, max: 150 * DAY })),
    usageBackMs: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 40 * DAY })),
    npsBack: fc.integer({ min: 0, max: 250 }),
  });
  const later = fc.record({ days: fc.integer({ min: 0, max: 12 }), ms: fc.integer({ min: 0, max: DAY - 1 }) });
  /** The score's fall before rounding, from the contributions' weights and normalised values. */
  const exactDrop = (a: ReturnType<typeof computeHealth>, b: ReturnType<typeof computeHealth>) =>
    a.contributions.reduce((sum, c, i) => sum + c.weight * ((c.normalized ?? 0) - (b.contributions[i]?.normalized ?? 0)), 0);

  test('property: the same account evaluated later scores no higher, at most ⌈maxScoreDrop⌉ lower, and the same when neither recency is sliding', () => {
    fc.assert(
      fc.property(configs, inputs, t0Arb, later, fc.constantFrom('pooled' as const, 'mid_pooled' as const, 'named' as const), (config, f, t0, dt, segment) => {
        const t1 = t0 + dt.days * DAY + dt.ms;
        const day0 = Math.floor(t0 / DAY);
        const day1 = Math.floor(t1 / DAY);
        const loginDay = f.loginBack === null ? null : day0 - f.loginBack;
        const touchedMs = f.touchBackMs === null ? null : t0 - f.touchBackMs;
        const account = makeAccount({
          usageCurrentPeriod: f.usageCurrentPeriod,
          usagePreviousPeriod: f.usagePreviousPeriod,
          licensedSeats: f.licensedSeats,
          activeUsers: f.activeUsers,
          npsScore: f.npsScore,
          npsDate: isoDay(day0 - f.npsBack),
          openTickets: f.openTickets,
          highPriorityTickets: f.highPriorityTickets,
          lastLoginDate: loginDay === null ? null : isoDay(loginDay),
          lastContactedAt: touchedMs === null ? null : new Date(touchedMs).toISOString(),
          usageUpdatedAt: f.usageBackMs === null ? null : new Date(t0 - f.usageBackMs).toISOString(),
        });
        const a = computeHealth(account, segment, config, new Date(t0));
        const b = computeHealth(account, segment, config, new Date(t1));
        // Which signals are known does not depend on the clock; staleness may empty the score (coverage), never raise it.
        expect(b.contributions.map((c) => c.status === 'unknown')).toEqual(a.contributions.map((c) => c.status === 'unknown'));
        expect(b.coverage).toBeLessThanOrEqual(a.coverage);
        if (a.score === null || b.score === null) return;
        expect(b.score).toBeLessThanOrEqual(a.score);
        // Crossing below any threshold t (a.score ≥ t > b.score) needs a.score ≤ t + ⌈drop⌉ − 1; t = b.score + 1 is the tightest.
        const drop = maxScoreDrop(config, day1 - day0, Math.ceil((t1 - t0) / DAY));
        expect(a.score - b.score).toBeLessThanOrEqual(Math.ceil(drop));
        // Unrounded too (weights exact; each normalised value rounded to 0.1, so the difference within 0.1).
        expect(exactDrop(a, b)).toBeLessThanOrEqual(drop + 0.1 + 1e-9);
        // Login recency slides only for a last login on day0 − zero + 1 … day1 − full − 1; engagement
        // only for a touch on day0 − zero … day1 − full − 1 (the windows the incremental sweep asks for).
        const n = config.health.normalise;
        const loginSliding = loginDay !== null && loginDay >= day0 - n.loginZeroDays + 1 && loginDay <= day1 - n.loginFullDays - 1;
        const touchDay = touchedMs === null ? null : Math.floor(touchedMs / DAY);
        const touchSliding = touchDay !== null && touchDay >= day0 - n.engagementZeroDays && touchDay <= day1 - n.engagementFullDays - 1;
        if (!loginSliding) expect(b.contributions[2]?.normalized).toBe(a.contributions[2]?.normalized);
        if (!touchSliding) expect(b.contributions[5]?.normalized).toBe(a.contributions[5]?.normalized);
        if (!loginSliding && !touchSliding) expect(b.score).toBe(a.score);
      }),
      { numRuns: 3000 },
    );
  });

  test('the bound is the worst case over segments, with the known weight as small as the coverage threshold allows', () => {
    const config = defaultConfig();
    // Pooled: login 20 and engagement 10 of 100; a score needs 49.5 fresh (coverage rounds to 50).
    const perDay = (20 * (100 / 53) + 10 * (100 / 76)) / 49.5;
    expect(maxScoreDrop(config, 1, 1)).toBeCloseTo(perDay, 9);
    expect(maxScoreDrop(config, 0, 0)).toBe(0);
    // Nothing falls below 0: a recency loses at most 100 points however many days go by.
    expect(maxScoreDrop(config, 1000, 1000)).toBeCloseTo((20 * 100 + 10 * 100) / 49.5, 9);
    // Known: usage trend, login, engagement (55 of 100, coverage 55%): three days later both
    // recencies have slid (login 8 → 11 days, touch 15 → 18 days), within the bound.
    const account = makeAccount({ lastLoginDate: '2026-06-07', lastContactedAt: '2026-05-31T12:00:00Z', usageCurrentPeriod: 100, usagePreviousPeriod: 100, usageUpdatedAt: '2026-06-14T00:00:00Z' });
    const a = computeHealth(account, 'pooled', config, new Date('2026-06-15T12:00:00Z'));
    const b = computeHealth(account, 'pooled', config, new Date('2026-06-18T12:00:00Z'));
    expect(a.coverage).toBe(55);
    // (20 × 3 × 100/53 + 10 × 3 × 100/76) / 55 ≈ 2.78 points.
    expect(a.score).toBe(91);
    expect(b.score).toBe(89);
    expect((a.score as number) - (b.score as number)).toBeLessThanOrEqual(Math.ceil(maxScoreDrop(config, 3, 3)));
    // Nearly the worst case: seats, login and engagement known (50 of 100, the least a score needs);
    // ten days of both recencies sliding lose (20 × 10 × 100/53 + 10 × 10 × 100/76) / 50 ≈ 10.2 points.
    const thin = makeAccount({ licensedSeats: 10, activeUsers: 8, lastLoginDate: '2026-06-07', lastContactedAt: '2026-05-31T12:00:00Z', usageUpdatedAt: '2026-06-14T00:00:00Z' });
    const c = computeHealth(thin, 'pooled', config, new Date('2026-06-15T12:00:00Z'));
    const d = computeHealth(thin, 'pooled', config, new Date('2026-06-25T12:00:00Z'));
    expect(c.coverage).toBe(50);
    const bound = maxScoreDrop(config, 10, 10);
    const fell = c.contributions.reduce((sum, x, i) => sum + x.weight * ((x.normalized ?? 0) - (d.contributions[i]?.normalized ?? 0)), 0);
    expect(fell).toBeLessThanOrEqual(bound);
    expect(fell).toBeGreaterThan(0.97 * bound);
    expect((c.score as number) - (d.score as number)).toBeLessThanOrEqual(Math.ceil(bound));
  });
});

describe('healthDropNow / nextHealthDrop: a drop seen stays in force while it holds', () => {
  const s = { points: 20, holdDays: 14 };
  const d0 = parseIsoDay('2026-11-21') as number;

  it('a step of 20 against the stored score is a drop seen today, and is recorded; 19 is none', () => {
    expect(healthDropNow(80, null, 60, d0, s)).toEqual({ points: 20, from: 80, onDay: d0 });
    expect(nextHealthDrop(80, null, 60, d0, s)).toEqual({ from: 80, on: '2026-11-21' });
    expect(healthDropNow(80, null, 61, d0, s)).toBeNull();
    expect(nextHealthDrop(80, null, 61, d0, s)).toBeNull();
    // An older caller that reads no record writes none.
    expect(nextHealthDrop(80, undefined, 61, d0, s)).toBeUndefined();
  });

  it('held from the day seen to 13 days later while the score stays 20 below; not on day 14, not once recovered', () => {
    const record = { from: 80, on: '2026-11-21' };
    // The next day the stored score is the day's own: no step, the record holds.
    expect(healthDropNow(60, record, 58, d0 + 1, s)).toEqual({ points: 22, from: 80, onDay: d0 });
    expect(healthDropNow(60, record, 60, d0 + 13, s)).toEqual({ points: 20, from: 80, onDay: d0 });
    expect(healthDropNow(60, record, 60, d0 + 14, s)).toBeNull();
    expect(healthDropNow(60, record, 61, d0 + 3, s)).toBeNull();
    // A record dated after today (a clock set back) does not hold.
    expect(healthDropNow(60, record, 50, d0 - 1, s)).toBeNull();
    // The record is kept as it is (the latest drop stays on record for views).
    expect(nextHealthDrop(60, record, 58, d0 + 1, s)).toBe(record);
    expect(nextHealthDrop(60, record, 75, d0 + 20, s)).toBe(record);
  });

  it('of a held and a new step drop the larger counts; a larger new one is recorded, a second run the same day changes nothing', () => {
    const record = { from: 80, on: '2026-11-21' };
    // Held 80 → 50 (30) beats a step 65 → 50 (15, not even a drop).
    expect(healthDropNow(65, record, 50, d0 + 2, s)).toEqual({ points: 30, from: 80, onDay: d0 });
    // After the hold a new step drop is a new record.
    expect(nextHealthDrop(75, record, 50, d0 + 20, s)).toEqual({ from: 75, on: formatIsoDay(d0 + 20) });
    // Back up to 79, then down to 55: the held drop (80 → 55, 25) is larger than the step (79 → 55, 24).
    // From 90 to 55 the step (35) is the larger.
    expect(healthDropNow(79, record, 55, d0 + 4, s)).toEqual({ points: 25, from: 80, onDay: d0 });
    expect(healthDropNow(90, record, 55, d0 + 4, s)).toEqual({ points: 35, from: 90, onDay: d0 + 4 });
    expect(nextHealthDrop(90, record, 55, d0 + 4, s)).toEqual({ from: 90, on: formatIsoDay(d0 + 4) });
    const today = { from: 90, on: formatIsoDay(d0 + 4) };
    expect(nextHealthDrop(55, today, 55, d0 + 4, s)).toBe(today);
  });

  it('no score, no drop', () => {
    expect(healthDropNow(80, { from: 90, on: '2026-11-21' }, null, d0, s)).toBeNull();
    expect(nextHealthDrop(80, null, null, d0, s)).toBeNull();
  });
  describe('a slow slide from the recorded peak (no history read)', () => {
    const peak = { score: 95, on: '2026-11-01' };
    const p0 = parseIsoDay(peak.on) as number;

    it('20 below a peak younger than the window is a drop seen today, though no day fell by 20; 19 is none', () => {
      // Yesterday 76, today 75: a step of 1.
      expect(healthDropNow(76, null, 75, p0 + 20, s, peak, 30)).toEqual({ points: 20, from: 95, onDay: p0 + 20 });
      expect(nextHealthDrop(76, null, 75, p0 + 20, s, peak, 30)).toEqual({ from: 95, on: formatIsoDay(p0 + 20) });
      expect(healthDropNow(77, null, 76, p0 + 20, s, peak, 30)).toBeNull();
      // Without the peak (an older caller, or none recorded) the same scores are no drop.
      expect(healthDropNow(76, null, 75, p0 + 20, s)).toBeNull();
      expect(healthDropNow(76, null, 75, p0 + 20, s, null, 30)).toBeNull();
    });

    it('a peak as old as the window or older does not count; nor one dated after today', () => {
      expect(healthDropNow(71, null, 70, p0 + 29, s, peak, 30)).toEqual({ points: 25, from: 95, onDay: p0 + 29 });
      expect(healthDropNow(71, null, 70, p0 + 30, s, peak, 30)).toBeNull();
      expect(healthDropNow(71, null, 70, p0 - 1, s, peak, 30)).toBeNull();
    });

    it('one slide is one drop: held for its days, then over while the same peak stands', () => {
      const seen = nextHealthDrop(76, null, 75, p0 + 20, s, peak, 30) as { from: number; on: string };
      // The next days the record holds it, keyed by the day it was seen.
      expect(healthDropNow(75, seen, 74, p0 + 21, s, peak, 30)).toEqual({ points: 21, from: 95, onDay: p0 + 20 });
      expect(nextHealthDrop(75, seen, 74, p0 + 21, s, peak, 30)).toBe(seen);
      // After the hold the slide from the same peak does not fire again (it would every 14 days).
      expect(healthDropNow(75, seen, 74, p0 + 20 + 14, s, { score: 95, on: formatIsoDay(p0 + 20) }, 30)).toBeNull();
      // A drop recorded before a newer peak does not stand for a slide from that peak.
      const older = { from: 90, on: formatIsoDay(p0 - 5) };
      expect(healthDropNow(76, older, 75, p0 + 20, s, peak, 30)).toEqual({ points: 20, from: 95, onDay: p0 + 20 });
    });

    it('of a step and a slide the larger counts (the step on a tie)', () => {
      // 80 yesterday, 55 today: step 25, slide 40 from 95.
      expect(healthDropNow(80, null, 55, p0 + 5, s, peak, 30)).toEqual({ points: 40, from: 95, onDay: p0 + 5 });
      expect(healthDropNow(95, null, 70, p0 + 5, s, peak, 30)).toEqual({ points: 25, from: 95, onDay: p0 + 5 });
    });
  });

  it('healthDropHeadroom: the points left before a slide from the peak in force is a drop; negative past it; none without a peak or a score', () => {
    const peak = { score: 95, on: '2026-11-01' };
    const p0 = parseIsoDay(peak.on) as number;
    expect(healthDropHeadroom(peak, 80, p0 + 3, 20, 30)).toBe(5);
    expect(healthDropHeadroom(peak, 75, p0 + 3, 20, 30)).toBe(0);
    expect(healthDropHeadroom(peak, 70.5, p0 + 3, 20, 30)).toBe(-4.5);
    expect(healthDropHeadroom(peak, 80, p0 + 30, 20, 30)).toBeNull();
    expect(healthDropHeadroom(null, 80, p0, 20, 30)).toBeNull();
    expect(healthDropHeadroom(peak, null, p0, 20, 30)).toBeNull();
    // Agrees with healthDropNow: headroom ≤ 0 exactly when the slide is a drop.
    for (const score of [74, 75, 76]) expect(healthDropHeadroom(peak, score, p0 + 3, 20, 30)! <= 0).toBe(healthDropNow(score + 1, null, score, p0 + 3, { points: 20, holdDays: 14 }, peak, 30) !== null);
  });

  it('healthDropDueDay: not before the clock could get there at its rate, with a point of slack; none once past, without ageing, or after the peak window', () => {
    const d = 20_000;
    expect(healthDropDueDay(10, 0.5, d, d - 10, 30)).toBe(d + 17);
    expect(healthDropDueDay(1.5, 2, d, d - 10, 30)).toBe(d + 1);
    expect(healthDropDueDay(0, 1, d, d, 30)).toBeNull();
    expect(healthDropDueDay(-3, 1, d, d, 30)).toBeNull();
    expect(healthDropDueDay(10, 0, d, d, 30)).toBeNull();
    expect(healthDropDueDay(null, 1, d, d, 30)).toBeNull();
    // The peak of day d − 20 counts until d + 9: a due day after that is none.
    expect(healthDropDueDay(20, 1, d, d - 20, 30)).toBeNull();
  });

  it('historyStaleDueDay: the first day data aged by its HubSpot history goes stale, as computeHealth counts it (never a sync date\'s, never one stale already)', () => {
    const day = (iso: string) => Math.floor(Date.parse(iso) / 86_400_000);
    const at = '2026-11-01T10:00:00.000Z';
    const base = { usageUpdatedAt: null, usageValueAt: at, npsScore: null, npsDate: null, npsValueAt: null };
    // 14 days' limit: 15 whole days from 10:00 on 1 Nov is 10:00 on 16 Nov.
    expect(historyStaleDueDay(makeAccount(base), config, Date.parse('2026-11-05T00:00:00Z'))).toBe(day('2026-11-16'));
    expect(historyStaleDueDay(makeAccount(base), config, Date.parse('2026-11-16T09:59:00Z'))).toBe(day('2026-11-16'));
    expect(historyStaleDueDay(makeAccount(base), config, Date.parse('2026-11-16T10:00:00Z'))).toBeNull();
    // A sync date is searchable: not this day's business.
    expect(historyStaleDueDay(makeAccount({ ...base, usageUpdatedAt: '2026-11-01T10:00:00Z' }), config, Date.parse('2026-11-05T00:00:00Z'))).toBeNull();
    expect(historyStaleDueDay(makeAccount({ ...base, usageValueAt: null }), config, Date.parse('2026-11-05T00:00:00Z'))).toBeNull();
    // An NPS answer with no readable date ages by its history (180 days); the earlier of the two.
    const nps = { ...base, npsScore: 9, npsDate: 'last spring', npsValueAt: '2026-06-01T00:00:00Z' };
    expect(historyStaleDueDay(makeAccount(nps), config, Date.parse('2026-11-05T00:00:00Z'))).toBe(day('2026-11-16'));
    expect(historyStaleDueDay(makeAccount({ ...nps, usageValueAt: null }), config, Date.parse('2026-11-05T00:00:00Z'))).toBe(day('2026-11-29'));
    // It agrees with computeHealth: fresh to the end of the day before, stale from the day after on
    // (and the day itself is when it turns: an incremental run that day or the next reads it).
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 * 86_400_000 }), (back) => {
        const nowMs = Date.parse('2026-11-20T00:00:00Z');
        const a = makeAccount({ ...full, usageUpdatedAt: null, usageValueAt: new Date(nowMs - back).toISOString() });
        const due = historyStaleDueDay(a, config, nowMs);
        const usageStale = (ms: number) => computeHealth(a, 'pooled', config, new Date(ms)).contributions.find((c) => c.id === 'usage_trend')?.status === 'stale';
        if (due === null) return expect(usageStale(nowMs)).toBe(true);
        expect(usageStale(nowMs)).toBe(false);
        expect(usageStale((due + 1) * 86_400_000)).toBe(true);
        expect(usageStale(due * 86_400_000 - 1)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('clockRate: what a day of ageing can take off this score, from the recencies still above zero, by this company\'s weights', () => {
    const cfg = defaultConfig();
    const now = new Date('2026-06-15T00:00:00Z');
    const base = { usageCurrentPeriod: 100, usagePreviousPeriod: 100, usageUpdatedAt: '2026-06-14T00:00:00Z', licensedSeats: 10, activeUsers: 8, openTickets: 0, highPriorityTickets: 0, npsScore: 9, npsDate: '2026-06-01' };
    const fresh = computeHealth(makeAccount({ ...base, lastLoginDate: '2026-06-10', lastContactedAt: '2026-06-10T00:00:00Z' }), 'pooled', cfg, now);
    const n = cfg.health.normalise;
    const w = cfg.health.weights.pooled;
    const all = Object.values(w).reduce((a, b) => a + b, 0);
    expect(fresh.clockRate).toBeCloseTo((w.login_recency / all) * (100 / (n.loginZeroDays - n.loginFullDays)) + (w.engagement / all) * (100 / (n.engagementZeroDays - n.engagementFullDays)), 6);
    // A login past its zero mark ages no more: only the touch is left.
    const lapsed = computeHealth(makeAccount({ ...base, lastLoginDate: '2026-01-01', lastContactedAt: '2026-06-10T00:00:00Z' }), 'pooled', cfg, now);
    expect(lapsed.clockRate).toBeCloseTo((w.engagement / all) * (100 / (n.engagementZeroDays - n.engagementFullDays)), 6);
    // Over any day the score falls by no more than the rate, a point of rounding aside.
    const tomorrow = computeHealth(makeAccount({ ...base, lastLoginDate: '2026-05-20', lastContactedAt: '2026-05-20T00:00:00Z' }), 'pooled', cfg, new Date('2026-06-16T00:00:00Z'));
    const today = computeHealth(makeAccount({ ...base, lastLoginDate: '2026-05-20', lastContactedAt: '2026-05-20T00:00:00Z' }), 'pooled', cfg, now);
    expect((today.score as number) - (tomorrow.score as number)).toBeLessThanOrEqual((today.clockRate as number) + 1);
  });

  it('nextHealthPeak: a higher score or an expired window starts a new peak today; otherwise the record stands', () => {
    const peak = { score: 90, on: '2026-11-01' };
    const p0 = parseIsoDay(peak.on) as number;
    expect(nextHealthPeak(peak, 93, p0 + 3, 30)).toEqual({ score: 93, on: formatIsoDay(p0 + 3) });
    expect(nextHealthPeak(peak, 90, p0 + 3, 30)).toBe(peak);
    expect(nextHealthPeak(peak, 70, p0 + 29, 30)).toBe(peak);
    expect(nextHealthPeak(peak, 70, p0 + 30, 30)).toEqual({ score: 70, on: formatIsoDay(p0 + 30) });
    // None recorded: today's score starts it; a peak dated after today (a clock set back) is replaced.
    expect(nextHealthPeak(null, 64, p0, 30)).toEqual({ score: 64, on: peak.on });
    expect(nextHealthPeak(peak, 50, p0 - 2, 30)).toEqual({ score: 50, on: formatIsoDay(p0 - 2) });
    // An unknown score keeps the record; a caller that read none writes none.
    expect(nextHealthPeak(peak, null, p0 + 40, 30)).toBe(peak);
    expect(nextHealthPeak(undefined, 80, p0, 30)).toBeUndefined();
  });
});
