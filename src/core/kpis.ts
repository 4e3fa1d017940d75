/**
 * Portfolio KPIs by segment and in total. (What-if of two configs: `what-if.ts`; the churn
 * backtest of the score: `backtest.ts`.)
 */
import type { Config } from './config';
import { parseIsoDay } from './dates';
import { SEGMENTS, type Account, type HealthBand, type LifecycleStage, type Segment } from './types';

export interface KpiRow {
  account: Account;
  /** This run's results; when absent, the account's written state is used. */
  evaluation?: { segment: { segment: Segment }; health: { band: HealthBand; score: number | null }; lifecycle: { stage: LifecycleStage; graduatedAt: string | null; graduationDate: string | null } } | null;
  /** Revenue over the period, when known. */
  revenue?: { startArr: number; endArr: number; churned: boolean } | null;
  /** Tasks created / completed for this company over the period, when known. */
  tasks?: { created: number; completed: number } | null;
}

export interface SegmentKpis {
  accounts: number;
  bands: Record<HealthBand, number>;
  stages: Record<LifecycleStage | 'unknown', number>;
  /** CSMs covering the segment (from options) and accounts per CSM vs the benchmark. */
  coverage: { csms: number | null; accountsPerCsm: number | null; benchmark: { min: number; max: number }; status: 'below' | 'within' | 'above' | 'unknown' };
  graduation: { graduated: number; onTime: number; rate: number | null };
  tasks: { created: number; completed: number; completionRate: number | null };
  revenue: { accounts: number; startArr: number; endArr: number; grr: number | null; nrr: number | null; logoChurn: number | null };
  /** Yearly CSM cost per account when the cost and CSM count are known. */
  costPerAccount: number | null;
}

export interface PortfolioKpis {
  total: SegmentKpis;
  bySegment: Record<Segment, SegmentKpis>;
}

function emptyKpis(): {
  accounts: number;
  bands: Record<HealthBand, number>;
  stages: Record<LifecycleStage | 'unknown', number>;
  graduated: number;
  onTime: number;
  created: number;
  completed: number;
  revAccounts: number;
  startArr: number;
  endArr: number;
  retained: number;
  churned: number;
} {
  return {
    accounts: 0,
    bands: { healthy: 0, watch: 0, at_risk: 0, unknown: 0 },
    stages: { not_started: 0, onboarding: 0, onboarding_overdue: 0, graduated: 0, unknown: 0 },
    graduated: 0,
    onTime: 0,
    created: 0,
    completed: 0,
    revAccounts: 0,
    startArr: 0,
    endArr: 0,
    retained: 0,
    churned: 0,
  };
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);
const finiteNonNeg = (n: number): boolean => Number.isFinite(n) && n >= 0;

/**
 * Portfolio KPIs by segment and in total.
 * `options.csms` gives the number of CSMs covering each segment (default: active pool members for
 * pooled + mid_pooled together, unknown for named).
 *
 * @example
 * portfolioKpis([{ account, evaluation }], config, now).bySegment.pooled.coverage
 * // { csms: 4, accountsPerCsm: 310, benchmark: { min: 250, max: 500 }, status: 'within' }
 */
export function portfolioKpis(rows: readonly KpiRow[], config: Config, _now: Date, options: { csms?: Partial<Record<Segment | 'total', number>> } = {}): PortfolioKpis {
  const acc: Record<Segment | 'total', ReturnType<typeof emptyKpis>> = { pooled: emptyKpis(), mid_pooled: emptyKpis(), named: emptyKpis(), total: emptyKpis() };
  for (const row of rows) {
    const a = row.account;
    const seg: Segment = row.evaluation?.segment.segment ?? a.segment ?? config.segments.unknownAcvSegment;
    const band: HealthBand = row.evaluation?.health.band ?? a.healthBand ?? 'unknown';
    const stage = row.evaluation?.lifecycle.stage ?? a.lifecycleStage ?? 'unknown';
    const graduatedAt = parseIsoDay(row.evaluation ? row.evaluation.lifecycle.graduatedAt : a.graduatedAt);
    const graduationDate = parseIsoDay(row.evaluation ? row.evaluation.lifecycle.graduationDate : a.graduationDate);
    for (const k of [acc[seg], acc.total]) {
      k.accounts++;
      k.bands[band]++;
      k.stages[stage]++;
      if (graduatedAt !== null && graduationDate !== null) {
        k.graduated++;
        if (graduatedAt <= graduationDate) k.onTime++;
      }
      const t = row.tasks;
      if (t && finiteNonNeg(t.created) && finiteNonNeg(t.completed)) {
        k.created += t.created;
        k.completed += Math.min(t.completed, t.created);
      }
      const r = row.revenue;
      if (r && finiteNonNeg(r.startArr) && finiteNonNeg(r.endArr)) {
        const end = r.churned ? 0 : r.endArr;
        k.revAccounts++;
        k.startArr += r.startArr;
        k.endArr += end;
        k.retained += Math.min(end, r.startArr);
        if (r.churned) k.churned++;
      }
    }
  }
  const activeMembers = config.pool.members.length;
  const csmsFor = (s: Segment | 'total'): number | null => {
    const given = options.csms?.[s];
    if (given !== undefined && Number.isFinite(given) && given > 0) return given;
    return null;
  };
  const build = (s: Segment | 'total'): SegmentKpis => {
    const k = acc[s];
    const bench = s === 'total' ? config.kpis.coverageBenchmarks.pooled : config.kpis.coverageBenchmarks[s];
    let csms = csmsFor(s);
    let accountsForRatio = k.accounts;
    if (csms === null && (s === 'pooled' || s === 'mid_pooled') && activeMembers > 0) {
      // The pool covers pooled and mid-pooled together.
      csms = activeMembers;
      accountsForRatio = acc.pooled.accounts + acc.mid_pooled.accounts;
    }
    const perCsm = csms === null ? null : accountsForRatio / csms;
    const status = perCsm === null ? 'unknown' : perCsm < bench.min ? 'below' : perCsm > bench.max ? 'above' : 'within';
    const cost = config.kpis.csmYearlyCost;
    return {
      accounts: k.accounts,
      bands: k.bands,
      stages: k.stages,
      coverage: { csms, accountsPerCsm: perCsm === null ? null : Math.round(perCsm * 10) / 10, benchmark: bench, status },
      graduation: { graduated: k.graduated, onTime: k.onTime, rate: ratio(k.onTime, k.graduated) },
      tasks: { created: k.created, completed: k.completed, completionRate: ratio(k.completed, k.created) },
      revenue: { accounts: k.revAccounts, startArr: k.startArr, endArr: k.endArr, grr: ratio(k.retained, k.startArr), nrr: ratio(k.endArr, k.startArr), logoChurn: ratio(k.churned, k.revAccounts) },
      costPerAccount: cost !== null && perCsm !== null && perCsm > 0 ? cost / perCsm : null,
    };
  };
  return { total: build('total'), bySegment: { pooled: build('pooled'), mid_pooled: build('mid_pooled'), named: build('named') } };
}

/** Segments in display order (re-exported for report builders). */
export const KPI_SEGMENTS: readonly Segment[] = SEGMENTS;
