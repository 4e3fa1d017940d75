import { defaultConfig } from './config';
import { makeAccount } from './test-support';
import { portfolioKpis } from './kpis';

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
