import { backtest } from './backtest';

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
