/**
 * A churn backtest of the health score: how well past scores ranked the accounts that churned.
 */
import { HEALTH_BANDS, type HealthBand } from './types';

export interface BacktestRow {
  score: number | null;
  band: HealthBand;
  churned: boolean;
}

export interface BacktestResult {
  accounts: number;
  churned: number;
  /** Rows with a score used for the AUC. */
  scored: number;
  /** P(score of a retained account > score of a churned one), ties count 0.5; null without both classes. */
  auc: number | null;
  byBand: Record<HealthBand, { accounts: number; churned: number; churnRate: number | null }>;
}

/**
 * Backtest of the score against known churn: AUC (Mann–Whitney with average ranks for ties) and churn by band.
 * @example
 * backtest([{ score: 90, band: 'healthy', churned: false }, { score: 30, band: 'at_risk', churned: true }]).auc // 1
 * backtest([]).auc // null
 */
export function backtest(rows: readonly BacktestRow[]): BacktestResult {
  const byBand = Object.fromEntries(HEALTH_BANDS.map((b) => [b, { accounts: 0, churned: 0, churnRate: null as number | null }])) as BacktestResult['byBand'];
  let churned = 0;
  const scored: { score: number; churned: boolean }[] = [];
  for (const r of rows) {
    const b = byBand[r.band] ?? byBand.unknown;
    b.accounts++;
    if (r.churned) {
      b.churned++;
      churned++;
    }
    if (r.score !== null && Number.isFinite(r.score)) scored.push({ score: r.score, churned: r.churned });
  }
  for (const b of Object.values(byBand)) b.churnRate = b.accounts > 0 ? b.churned / b.accounts : null;
  scored.sort((x, y) => x.score - y.score);
  let rankSumRetained = 0;
  let nRetained = 0;
  let nChurned = 0;
  for (let i = 0; i < scored.length; ) {
    let j = i;
    while (j < scored.length && scored[j]?.score === scored[i]?.score) j++;
    const avgRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (scored[k]?.churned) nChurned++;
      else {
        nRetained++;
        rankSumRetained += avgRank;
      }
    }
    i = j;
  }
  const auc = nRetained > 0 && nChurned > 0 ? (rankSumRetained - (nRetained * (nRetained + 1)) / 2) / (nRetained * nChurned) : null;
  return { accounts: rows.length, churned, scored: scored.length, auc, byBand };
}
