/**
 * The manager's portfolio report (app page and CLI `report`): streams every company once,
 * aggregates the stored CS properties with the core KPI functions, reads the open CS tasks of the
 * companies that have any (ledger not empty), and builds the links to filtered HubSpot views.
 * A plain model (`PortfolioReport`, page-data.ts): the app page renders it, and
 * `renderReportHtml` (`portfolio-report-html.ts`) turns it into the CLI's HTML page.
 */
import {
  availabilityOf,
  capacityToday,
  createAssignmentState,
  isOwnerUsable,
  computeLifecycle,
  MS_PER_DAY,
  formatIsoDay,
  isoWeekKey,
  isoWeekdayIndex,
  parseInstantMs,
  parseIsoDay,
  utcDay,
  portfolioKpis,
  PLAYBOOK_TITLES,
  isDigitalTouchKey,
  parseLedger,
  HEALTH_BANDS,
  LIFECYCLE_STAGES,
  SEGMENTS,
  type KpiRow,
  type PlaybookId,
  type Account,
  type HealthBand,
  type Owner,
  type RecordIssue,
  type Segment,
} from '../core';
import { parseTaskKey } from './card-data-builder';
import { ownerName } from './owner-name';
import type { AppDeps } from './deps';
import type { CompanyViewFilter } from './ports';
import type {
  ArrCell,
  CompanyViewLink,
  CoverageBenchmark,
  CoverageStatus,
  CsmLoad,
  CsmWorkload,
  DataIssueItem,
  MyDay,
  PipelineWeek,
  PlaybookTaskStats,
  PortfolioReport,
  RenewalAtRisk,
  SegmentBandCell,
  SegmentCoverage,
} from './page-data';
import { ISSUE_EXAMPLES_MAX, describeIssue } from './data-issues';
import { backlogSummary, digitalTouchSummary, escalationsOf, isUrgentTask, type WorkloadContext } from './portfolio-report-workload';

export interface PortfolioReportOptions {
  /** HubSpot portal (hub) id for the view links; without it links are left out (url null). */
  portalId?: string | null;
  /** Task figures cover this many days back from today. Default 30. */
  periodDays?: number;
  /** HubSpot's app host. Default https://app.hubspot.com. */
  appHost?: string;
  /** The signed-in HubSpot user: adds their "My day". */
  userId?: number | null;
}

/** Segment names for people (report, link labels). */
export const SEGMENT_LABEL: Record<Segment, string> = { pooled: 'Pooled', mid_pooled: 'Mid-pooled', named: 'Named' };
/** Band names for people: always shown next to the band's colour. */
export const BAND_LABEL: Record<HealthBand, string> = { healthy: 'Healthy', watch: 'Watch', at_risk: 'At risk', unknown: 'Unknown' };
const STAGE_LABEL: Record<string, string> = { not_started: 'Not started', onboarding: 'Onboarding', onboarding_overdue: 'Onboarding overdue', graduated: 'Graduated' };
const BENCH_LABEL: Record<Segment, string> = { pooled: 'SMB (pooled)', mid_pooled: 'Mid-market (mid-pooled)', named: 'Enterprise (named)' };

/** Days a week is looked at for availability: today and the 6 days after. */
const WEEK_DAYS = 7;

function status(ratio: number | null, bench: CoverageBenchmark | null): CoverageStatus {
  if (ratio === null || bench === null) return 'unknown';
  return ratio < bench.min ? 'below' : ratio > bench.max ? 'above' : 'within';
}

/**
 * Builds the report.
 *
 * @example
 * const report = await buildPortfolioReport(deps, { portalId: '123' });
 * report.totals.accounts // 200
 */
export async function buildPortfolioReport(deps: AppDeps, options: PortfolioReportOptions = {}): Promise<PortfolioReport> {
  const { crm, config } = deps;
  const now = deps.now();
  const today = utcDay(now);
  const periodDays = options.periodDays ?? 30;
  const from = today - periodDays;
  const url = (filter: CompanyViewFilter) => crm.companyViewUrl(filter, { portalId: options.portalId, appHost: options.appHost });
  const companyRecordUrl = (companyId: string) => crm.companyRecordUrl(companyId, { portalId: options.portalId, appHost: options.appHost });

  const rows: KpiRow[] = [];
  const withTasks: string[] = [];
  const issues: string[] = [];
  const issueRecords: RecordIssue[] = [];
  const names = new Map<string, string>();
  let issueCount = 0;
  for await (const page of crm.iterateCompanies()) {
    for (const a of page.accounts) {
      rows.push({ account: a });
      if (a.name) names.set(a.id, a.name);
      if (a.playbookLedger.length > 0) withTasks.push(a.id);
    }
    issueCount += page.issues.length;
    for (const i of page.issues) if (issueRecords.length < ISSUE_EXAMPLES_MAX) issueRecords.push(i);
  }
  const nameOf = (id: string): string => names.get(id) ?? `Company ${id}`;
  for (const i of issueRecords.slice(0, 5)) issues.push(describeIssue(i, names.get(i.recordId)));
  const issueItems: DataIssueItem[] = issueRecords.map((i) => ({ companyId: i.recordId, companyName: nameOf(i.recordId), property: i.property, message: i.message, url: companyRecordUrl(i.recordId) }));
  const [owners, openByCompany] = await Promise.all([crm.listOwners(), withTasks.length > 0 ? crm.openCsTasks(withTasks) : Promise.resolve(new Map())]);
  const ownerById = new Map<string, Owner>(owners.map((o) => [o.id, o]));
  const activeMembers = config.pool.members.filter((m) => isOwnerUsable(ownerById.get(m.ownerId)));
  // Coverage is counted over the CSMs who can work this week (not those off or out of office all week).
  const availability = createAssignmentState({ members: config.pool.members, owners });
  const availableThisWeek = (id: string): boolean =>
    Array.from({ length: WEEK_DAYS }, (_, d) => availabilityOf(availability, id, new Date((today + d) * MS_PER_DAY))).includes('available');
  const availableMembers = activeMembers.filter((m) => availableThisWeek(m.ownerId));
  const coverageCsms = availableMembers.length;
  const kpis = portfolioKpis(rows, config, now, { csms: coverageCsms > 0 ? { pooled: coverageCsms, mid_pooled: coverageCsms } : {} });

  // Segment × band, from the stored properties (what the HubSpot views filter on).
  const cells = new Map<string, number>();
  const segOf = (a: Account): Segment => a.segment ?? config.segments.unknownAcvSegment;
  for (const { account: a } of rows) {
    const k = `${segOf(a)}:${a.healthBand ?? 'unknown'}`;
    cells.set(k, (cells.get(k) ?? 0) + 1);
  }
  const segmentBand: SegmentBandCell[] = SEGMENTS.flatMap((segment) =>
    HEALTH_BANDS.map((band) => ({ segment, band, count: cells.get(`${segment}:${band}`) ?? 0, url: url({ segment, healthBand: band }) })),
  );

  const coverage: SegmentCoverage[] = SEGMENTS.map((segment) => {
    const k = kpis.bySegment[segment];
    const bench = { label: BENCH_LABEL[segment], ...config.kpis.coverageBenchmarks[segment] };
    return { segment, accounts: k.accounts, csms: k.coverage.csms ?? 0, coverageRatio: k.coverage.accountsPerCsm, benchmark: bench, status: k.coverage.status };
  });

  // Open tasks: per owner, per playbook; created in the period from the ledgers.
  const openTasks = [...openByCompany.values()].flat();
  const servedBy = new Map<string, Set<string>>();
  for (const [companyId, tasks] of openByCompany) {
    for (const t of tasks) {
      if (t.ownerId === null) continue;
      const set = servedBy.get(t.ownerId) ?? new Set<string>();
      set.add(companyId);
      servedBy.set(t.ownerId, set);
    }
  }
  const openKeys = new Set(openTasks.map((t) => t.key).filter((k): k is string => k !== null));
  const byPlaybook = new Map<string, { created: number; open: number }>();
  for (const { account: a } of rows) {
    for (const e of parseLedger(a.playbookLedger)) {
      const day = parseIsoDay(e.createdOn);
      if (day === null || day < from || day > today) continue;
      // A digital touch (an automated email) is no task: it does not count in tasks by playbook.
      if (isDigitalTouchKey(e.key)) continue;
      const pb = parseTaskKey(e.key)?.playbook ?? 'unknown';
      const s = byPlaybook.get(pb) ?? { created: 0, open: 0 };
      s.created++;
      if (openKeys.has(e.key)) s.open++;
      byPlaybook.set(pb, s);
    }
  }
  const tasksByPlaybook: PlaybookTaskStats[] = [...byPlaybook.entries()]
    .sort((x, y) => y[1].created - x[1].created || x[0].localeCompare(y[0]))
    .map(([playbook, s]) => ({
      playbook,
      label: Object.prototype.hasOwnProperty.call(PLAYBOOK_TITLES, playbook) ? PLAYBOOK_TITLES[playbook as PlaybookId] : playbook,
      created: s.created,
      completed: s.created - s.open,
      open: s.open,
      completionRate: s.created > 0 ? (s.created - s.open) / s.created : null,
    }));

  // CSM loads: onboarding counts by onboarding CSM, plus pool members with none.
  const onboardingBy = new Map<string, number>();
  const pipeline = new Map<string, { weekStart: number; count: number; overdue: number }>();
  for (const { account: a } of rows) {
    const stage = a.lifecycleStage;
    if (stage !== 'onboarding' && stage !== 'onboarding_overdue') continue;
    if (a.onboardingCsmId !== null) onboardingBy.set(a.onboardingCsmId, (onboardingBy.get(a.onboardingCsmId) ?? 0) + 1);
    const grad = parseIsoDay(a.graduationDate);
    if (grad === null) continue;
    const week = isoWeekKey(grad);
    const w = pipeline.get(week) ?? { weekStart: grad - isoWeekdayIndex(grad), count: 0, overdue: 0 };
    w.count++;
    if (stage === 'onboarding_overdue' || grad < today) w.overdue++;
    pipeline.set(week, w);
  }
  const pooledAccounts = kpis.bySegment.pooled.accounts + kpis.bySegment.mid_pooled.accounts;
  const csmIds = [...new Set([...config.pool.members.map((m) => m.ownerId), ...onboardingBy.keys()])];
  const csmLoads: CsmLoad[] = csmIds.map((id) => {
    const owner = ownerById.get(id);
    const member = config.pool.members.find((m) => m.ownerId === id);
    const active = isOwnerUsable(owner);
    const ratio = member && active && coverageCsms > 0 ? Math.round((pooledAccounts / coverageCsms) * 10) / 10 : null;
    const bench = member ? { label: BENCH_LABEL.pooled, ...config.kpis.coverageBenchmarks.pooled } : null;
    return {
      ownerId: id,
      ownerName: ownerName(owner, id),
      active,
      onboardingCount: onboardingBy.get(id) ?? 0,
      onboardingCap: member ? Math.min(member.capacity, config.assignment.concurrentOnboardingCap) : config.assignment.concurrentOnboardingCap,
      pooledAccountsServed: servedBy.get(id)?.size ?? 0,
      coverageRatio: ratio,
      benchmark: bench,
      status: status(ratio, bench),
      url: url({ onboardingCsmId: id }),
    };
  });

  const onboardingPipeline: PipelineWeek[] = [...pipeline.entries()]
    .sort((x, y) => x[1].weekStart - y[1].weekStart)
    .map(([week, w]) => ({ week, weekStart: formatIsoDay(w.weekStart), count: w.count, overdue: w.overdue, url: url({ graduationWeek: week }) }));

  const links: CompanyViewLink[] = [];
  const push = (kind: CompanyViewLink['kind'], value: string, label: string, filter: CompanyViewFilter) => {
    const u = url(filter);
    if (u !== null) links.push({ kind, value, label, url: u });
  };
  for (const s of SEGMENTS) push('segment', s, `${SEGMENT_LABEL[s]} accounts`, { segment: s });
  for (const b of HEALTH_BANDS) push('band', b, `${BAND_LABEL[b]} accounts`, { healthBand: b });
  for (const st of LIFECYCLE_STAGES) push('stage', st, STAGE_LABEL[st] ?? st, { lifecycleStage: st });
  for (const c of csmLoads) push('csm', c.ownerId, `Onboardings of ${c.ownerName}`, { onboardingCsmId: c.ownerId });

  // Workload per CSM: open, overdue, due this week, oldest open task; urgent ones; created today vs the day's capacity.
  const accountById = new Map(rows.map((r) => [r.account.id, r.account]));
  const createdTodayKeys = new Set<string>();
  for (const { account: a } of rows) for (const e of parseLedger(a.playbookLedger)) if (parseIsoDay(e.createdOn) === today && !isDigitalTouchKey(e.key)) createdTodayKeys.add(e.key);
  const dayCapacity = new Map(capacityToday(config, ownerById, now, new Map()).map((m) => [m.ownerId, m.allowed]));
  type Work = { open: number; overdue: number; dueThisWeek: number; oldest: number | null; urgent: number; createdToday: number };
  const blank = (): Work => ({ open: 0, overdue: 0, dueThisWeek: 0, oldest: null, urgent: 0, createdToday: 0 });
  const work = new Map<string, Work>();
  for (const m of config.pool.members) work.set(m.ownerId, blank());
  for (const [companyId, tasks] of openByCompany as Map<string, typeof openTasks>) {
    const company = accountById.get(companyId);
    for (const task of tasks) {
      if (task.ownerId === null) continue;
      const w = work.get(task.ownerId) ?? blank();
      if (company !== undefined && isUrgentTask(task, company, { config, today })) w.urgent++;
      if (task.key !== null && createdTodayKeys.has(task.key)) w.createdToday++;
      work.set(task.ownerId, w);
    }
  }
  for (const task of openTasks) {
    if (task.ownerId === null) continue;
    const w = work.get(task.ownerId) ?? blank();
    w.open++;
    const dueMs = parseInstantMs(task.dueAt);
    if (dueMs !== null) {
      const day = Math.floor(dueMs / MS_PER_DAY);
      if (day < today) w.overdue++;
      else if (day < today + WEEK_DAYS) w.dueThisWeek++;
      w.oldest = w.oldest === null ? day : Math.min(w.oldest, day);
    }
    work.set(task.ownerId, w);
  }
  const workload: CsmWorkload[] = [...work.entries()]
    .map(([id, w]) => ({
      ownerId: id,
      ownerName: ownerName(ownerById.get(id), id),
      active: isOwnerUsable(ownerById.get(id)),
      availableThisWeek: availableThisWeek(id),
      open: w.open,
      overdue: w.overdue,
      dueThisWeek: w.dueThisWeek,
      oldestDue: w.oldest === null ? null : formatIsoDay(w.oldest),
      urgent: w.urgent,
      createdToday: w.createdToday,
      capacityToday: dayCapacity.get(id) ?? 0,
    }))
    .sort((a, b) => b.overdue - a.overdue || b.open - a.open || a.ownerName.localeCompare(b.ownerName));

  // ARR by segment × band, and the renewals ahead that are at risk or unknown.
  const arrCells = new Map<string, { arr: number; accounts: number; unknownArr: number }>();
  const renewalsAtRisk: RenewalAtRisk[] = [];
  const ahead = config.card.renewalsAheadDays;
  for (const { account: a } of rows) {
    const band: HealthBand = a.healthBand ?? 'unknown';
    const key = `${segOf(a)}:${band}`;
    const cell = arrCells.get(key) ?? { arr: 0, accounts: 0, unknownArr: 0 };
    cell.accounts++;
    if (a.acv === null) cell.unknownArr++;
    else cell.arr += a.acv;
    arrCells.set(key, cell);
    const renewal = parseIsoDay(a.renewalDate);
    if (renewal === null || a.renewalDate === null || renewal < today || renewal > today + ahead) continue;
    if (band !== 'at_risk' && band !== 'unknown') continue;
    renewalsAtRisk.push({
      companyId: a.id,
      companyName: nameOf(a.id),
      renewalDate: a.renewalDate,
      daysToRenewal: renewal - today,
      band,
      arr: a.acv,
      segment: segOf(a),
      url: companyRecordUrl(a.id),
    });
  }
  renewalsAtRisk.sort((x, y) => x.daysToRenewal - y.daysToRenewal || (y.arr ?? 0) - (x.arr ?? 0));
  const arrBySegmentBand: ArrCell[] = SEGMENTS.flatMap((segment) =>
    HEALTH_BANDS.map((band) => ({ segment, band, ...(arrCells.get(`${segment}:${band}`) ?? { arr: 0, accounts: 0, unknownArr: 0 }) })),
  );

  // Backlog, digital touches, escalations (portfolio-report-workload.ts).
  const accounts = rows.map((r) => r.account);
  const workCtx: WorkloadContext = { config, today, from, nameOf, recordUrl: companyRecordUrl, ownerNameOf: (id) => ownerName(ownerById.get(id), id) };
  const backlog = backlogSummary(accounts, workCtx);
  const digitalTouches = digitalTouchSummary(accounts, workCtx);
  const escalations = escalationsOf(accounts, openByCompany as Map<string, typeof openTasks>, workload, workCtx);

  // My day: the signed-in CSM's tasks due today or overdue, their onboardings and what is missing.
  let myDay: MyDay | null | undefined;
  if (options.userId !== undefined && options.userId !== null) {
    const me = owners.find((o) => o.userId === options.userId);
    if (me === undefined) myDay = null;
    else {
      const tasks: MyDay['tasks'] = [];
      for (const [companyId, list] of openByCompany as Map<string, typeof openTasks>) {
        for (const task of list) {
          if (task.ownerId !== me.id) continue;
          const dueMs = parseInstantMs(task.dueAt);
          const day = dueMs === null ? null : Math.floor(dueMs / MS_PER_DAY);
          if (day === null || day > today) continue;
          tasks.push({ taskId: task.id, companyId, companyName: nameOf(companyId), subject: task.subject, dueAt: task.dueAt, overdueDays: today - day, url: companyRecordUrl(companyId) });
        }
      }
      tasks.sort((a, b) => b.overdueDays - a.overdueDays || a.companyName.localeCompare(b.companyName));
      const onboardings: MyDay['onboardings'] = rows
        .filter(({ account: a }) => a.onboardingCsmId === me.id && (a.lifecycleStage === 'onboarding' || a.lifecycleStage === 'onboarding_overdue'))
        .map(({ account: a }) => {
          const lc = computeLifecycle(a, config, now);
          return {
            companyId: a.id,
            companyName: nameOf(a.id),
            day: lc.day,
            totalDays: lc.totalDays,
            overdue: lc.stage === 'onboarding_overdue',
            missing: lc.exitCriteria.filter((c) => !c.met).map((c) => c.label),
            url: companyRecordUrl(a.id),
          };
        })
        .sort((a, b) => Number(b.overdue) - Number(a.overdue) || (b.day ?? 0) - (a.day ?? 0));
      const held = openTasks.filter((x) => x.ownerId !== null).length;
      const mine = openTasks.filter((x) => x.ownerId === me.id).length;
      const pool = backlog.byOwner.find((o) => o.ownerId === null)?.count ?? 0;
      const workingToday = [...dayCapacity.values()].filter((n) => n > 0).length;
      myDay = {
        ownerId: me.id,
        ownerName: ownerName(me, me.id),
        tasks,
        onboardings,
        openTasks: mine,
        share: held > 0 ? mine / held : null,
        backlog: { mine: backlog.byOwner.find((o) => o.ownerId === me.id)?.count ?? 0, pool, poolPerCsmToday: workingToday > 0 ? Math.round((pool / workingToday) * 10) / 10 : null },
      };
    }
  }

  const t = kpis.total;
  return {
    generatedAt: now.toISOString(),
    configVersion: deps.configVersion,
    period: { from: formatIsoDay(from), to: formatIsoDay(today) },
    totals: {
      accounts: t.accounts,
      onboarding: t.stages.onboarding,
      onboardingOverdue: t.stages.onboarding_overdue,
      graduated: t.stages.graduated,
      notStarted: t.stages.not_started,
      unknownHealth: t.bands.unknown,
      openTasks: openTasks.length,
      activeCsms: activeMembers.length,
    },
    segmentBand,
    coverage,
    csmLoads,
    onboardingPipeline,
    tasksByPlaybook,
    links,
    dataIssues: { count: issueCount, examples: issues, items: issueItems },
    workload,
    arrBySegmentBand,
    renewalsAtRisk,
    renewalsAheadDays: ahead,
    availableCsms: coverageCsms,
    backlog,
    digitalTouches,
    escalations,
    ...(myDay !== undefined ? { myDay } : {}),
  };
}
