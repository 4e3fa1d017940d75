import { defaultConfig } from './config';
import { makeAccount } from './test-support';
import { backtest, portfolioKpis, whatIf } from './kpis';

const now = new Date('2026-06-16T15:00:00Z');

describe('portfolioKpis', () => {
  it('handles an empty portfolio', () => {
    const k = portfolioKpis([], defaultConfig(), now);
    expect(k.total.accounts).toBe(0);
    expect(k.total.coverage.status).toBe('unknown');
    expect(k.total.graduation.rate).toBeNull();
    expect(k.total.tasks.completionRate).toBeNull();
    expect(k.total.revenue).toMatchObject({ grr: null, nrr: null, logoChurn: null });
  });

  it('counts by segment, band and stage; coverage vs benchmark; graduation on time; tasks; GRR/NRR/churn', () => {
    const config = defaultConfig();
    config.pool.members = [{ ownerId: '1', skills: [], coverageDays: [], outOfOffice: [], capacity: 20 }];
    config.kpis.csmYearlyCost = 100_000;
    const rows = [
      { account: makeAccount({ id: 'a', segment: 'pooled', healthBand: 'healthy', lifecycleStage: 'graduated', graduatedAt: '2026-04-01', graduationDate: '2026-04-01' }), revenue: { startArr: 100, endArr: 120, churned: false }, tasks: { created: 10, completed: 4 } },
      { account: makeAccount({ id: 'b', segment: 'pooled', healthBand: 'at_risk', lifecycleStage: 'graduated', graduatedAt: '2026-04-10', graduationDate: '2026-04-01' }), revenue: { startArr: 100, endArr: 100, churned: true } },
      { account: makeAccount({ id: 'c', segment: 'named', healthBand: null, lifecycleStage: null }), revenue: { startArr: 200, endArr: 150, churned: false } },
      { account: makeAccount({ id: 'd', segment: 'named' }), evaluation: { segment: { segment: 'mid_pooled' as const }, health: { band: 'watch' as const, score: 60 }, lifecycle: { stage: 'onboarding' as const, graduatedAt: null, graduationDate: '2026-09-01' } } },
    ];
    const k = portfolioKpis(rows, config, now, { csms: { named: 1 } });
    expect(k.total.accounts).toBe(4);
    expect(k.bySegment.pooled.accounts).toBe(2);
    expect(k.bySegment.mid_pooled.accounts).toBe(1);
    expect(k.bySegment.named.accounts).toBe(1);
    expect(k.total.bands).toEqual({ healthy: 1, watch: 1, at_risk: 1, unknown: 1 });
    expect(k.total.stages).toMatchObject({ graduated: 2, onboarding: 1, unknown: 1 });
    // The pool (1 member) covers pooled + mid-pooled: 3 accounts per CSM, below 250.
    expect(k.bySegment.pooled.coverage).toMatchObject({ csms: 1, accountsPerCsm: 3, status: 'below' });
    expect(k.bySegment.named.coverage).toMatchObject({ csms: 1, accountsPerCsm: 1, status: 'below' });
    expect(k.bySegment.pooled.graduation).toEqual({ graduated: 2, onTime: 1, rate: 0.5 });
    expect(k.total.tasks).toEqual({ created: 10, completed: 4, completionRate: 0.4 });
    // GRR = (100 + 0 + 150) / 400; NRR = (120 + 0 + 150) / 400; logo churn 1/3.
    expect(k.total.revenue.grr).toBeCloseTo(250 / 400);
    expect(k.total.revenue.nrr).toBeCloseTo(270 / 400);
    expect(k.total.revenue.logoChurn).toBeCloseTo(1 / 3);
    expect(k.bySegment.pooled.costPerAccount).toBeCloseTo(100_000 / 3);
  });

  it('ignores malformed revenue and task figures', () => {
    const k = portfolioKpis([{ account: makeAccount(), revenue: { startArr: Number.NaN, endArr: 1, churned: false }, tasks: { created: -1, completed: 0 } }], defaultConfig(), now);
    expect(k.total.revenue.accounts).toBe(0);
    expect(k.total.tasks.created).toBe(0);
  });
});

describe('whatIf', () => {
  it('counts segment and band changes and tasks under each config, with examples', () => {
    const a = defaultConfig();
    const b = defaultConfig();
    b.segments.pooledBelow = 40_000;
    b.health.bands.healthy = 95;
    const accounts = [
      makeAccount({ id: '1', acv: 30_000, npsScore: 9, npsDate: '2026-06-01', openTickets: 0, lastContactedAt: '2026-06-10T00:00:00Z', licensedSeats: 10, activeUsers: 9, lastLoginDate: '2026-06-15', usageCurrentPeriod: 10, usagePreviousPeriod: 10 }),
      makeAccount({ id: '2', acv: 200_000 }),
    ];
    const r = whatIf(accounts, a, b, now, { examples: 1 });
    expect(r.accounts).toBe(2);
    expect(r.segmentChanged).toBe(1);
    expect(r.bandChanged).toBe(1);
    expect(r.bandMoves).toEqual({ 'healthy→watch': 1 });
    expect(r.examples).toHaveLength(1);
    expect(r.examples[0]).toMatchObject({ accountId: '1', segment: ['mid_pooled', 'pooled'] });
    expect(whatIf([], a, b, now)).toMatchObject({ accounts: 0, examples: [] });
  });
});

describe('backtest', () => {
  it('computes the AUC with ties as 0.5 and churn by band', () => {
    const r = backtest([
      { score: 90, band: 'healthy', churned: false },
      { score: 60, band: 'watch', churned: false },
      { score: 60, band: 'watch', churned: true },
      { score: 20, band: 'at_risk', churned: true },
      { score: null, band: 'unknown', churned: true },
    ]);
    // Pairs (retained, churned): (90,60)=1 (90,20)=1 (60,60)=0.5 (60,20)=1 → 3.5/4.
    expect(r.auc).toBeCloseTo(0.875);
    expect(r.scored).toBe(4);
    expect(r.byBand.watch).toEqual({ accounts: 2, churned: 1, churnRate: 0.5 });
    expect(r.byBand.unknown.churnRate).toBe(1);
    expect(r.byBand.healthy.churnRate).toBe(0);
  });

  it('perfect and inverted scores; empty and one-class inputs', () => {
    expect(backtest([{ score: 1, band: 'at_risk', churned: true }, { score: 2, band: 'at_risk', churned: false }]).auc).toBe(1);
    expect(backtest([{ score: 2, band: 'at_risk', churned: true }, { score: 1, band: 'at_risk', churned: false }]).auc).toBe(0);
    expect(backtest([])).toMatchObject({ accounts: 0, churned: 0, auc: null });
    expect(backtest([{ score: 5, band: 'at_risk', churned: false }]).auc).toBeNull();
    expect(backtest([]).byBand.healthy.churnRate).toBeNull();
  });
});
