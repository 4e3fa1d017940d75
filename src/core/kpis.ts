/**
 * Portfolio KPIs (by segment), what-if comparison of two configs, and a churn backtest of the score.
 */
import { createAssignmentState } from './assignment';
import { configVersion, type Config } from './config';
import { parseIsoDay } from './dates';
import { evaluateAccount } from './evaluate';
import { HEALTH_BANDS, SEGMENTS, type Account, type HealthBand, type LifecycleStage, type Owner, type Segment } from './types';

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

export interface WhatIfExample {
  accountId: string;
  name: string | null;
  segment: [Segment, Segment];
  band: [HealthBand, HealthBand];
  score: [number | null, number | null];
  tasks: [number, number];
}

export interface WhatIfResult {
  accounts: number;
  segmentChanged: number;
  bandChanged: number;
  tasks: { a: number; b: number };
  /** Band transitions, e.g. { 'healthy→watch': 12 }. */
  bandMoves: Record<string, number>;
  examples: WhatIfExample[];
}

/**
 * Compares two configs over the same accounts: how many change segment or band, how many tasks would fire.
 * Assignment uses each config's pool with `owners` (all pool members active when not given).
 *
 * @example
 * whatIf(accounts, current, proposed, now, { examples: 5 })
 * // { accounts: 1200, segmentChanged: 14, bandChanged: 87, tasks: { a: 310, b: 342 }, bandMoves: { 'healthy→watch': 60, … }, examples: [...] }
 */
export function whatIf(accounts: readonly Account[], configA: Config, configB: Config, now: Date, options: { owners?: readonly Owner[]; examples?: number } = {}): WhatIfResult {
  const max = options.examples ?? 10;
  const ownersFor = (c: Config): readonly Owner[] =>
    options.owners ?? c.pool.members.map((m) => ({ id: m.ownerId, userId: null, email: null, firstName: null, lastName: null, active: true, archived: false, teams: [] }));
  let stateA = createAssignmentState({ members: configA.pool.members, owners: ownersFor(configA) });
  let stateB = createAssignmentState({ members: configB.pool.members, owners: ownersFor(configB) });
  const va = configVersion(configA);
  const vb = configVersion(configB);
  const out: WhatIfResult = { accounts: 0, segmentChanged: 0, bandChanged: 0, tasks: { a: 0, b: 0 }, bandMoves: {}, examples: [] };
  for (const account of accounts) {
    const a = evaluateAccount(account, { config: configA, configVersion: va, now, assignment: stateA });
    const b = evaluateAccount(account, { config: configB, configVersion: vb, now, assignment: stateB });
    stateA = a.state;
    stateB = b.state;
    out.accounts++;
    out.tasks.a += a.tasks.length;
    out.tasks.b += b.tasks.length;
    const segChanged = a.segment.segment !== b.segment.segment;
    const bandChanged = a.health.band !== b.health.band;
    if (segChanged) out.segmentChanged++;
    if (bandChanged) {
      out.bandChanged++;
      const move = `${a.health.band}→${b.health.band}`;
      out.bandMoves[move] = (out.bandMoves[move] ?? 0) + 1;
    }
    if ((segChanged || bandChanged || a.tasks.length !== b.tasks.length) && out.examples.length < max) {
      out.examples.push({
        accountId: account.id,
        name: account.name,
        segment: [a.segment.segment, b.segment.segment],
        band: [a.health.band, b.health.band],
        score: [a.health.score, b.health.score],
        tasks: [a.tasks.length, b.tasks.length],
      });
    }
  }
  return out;
}

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
  for (const b of Object.values(byBand)) b.churnRate = ratio(b.churned, b.accounts);
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

/** Segments in display order (re-exported for report builders). */
export const KPI_SEGMENTS: readonly Segment[] = SEGMENTS;
