/**
 * The manager's portfolio report (app page and CLI `report`): streams every company once,
 * aggregates the stored CS properties with the core KPI functions, reads the open CS tasks of the
 * companies that have any (ledger not empty), and builds the links to filtered HubSpot views.
 * `renderReportHtml` turns it into a self-contained HTML page (inline CSS and SVG, text escaped).
 */
import { isOwnerUsable, formatIsoDay, isoWeekKey, isoWeekdayIndex, parseIsoDay, utcDay, portfolioKpis, PLAYBOOK_TITLES, parseLedger, HEALTH_BANDS, LIFECYCLE_STAGES, SEGMENTS, type KpiRow, type PlaybookId, type Account, type HealthBand, type Owner, type Segment } from '../core';
import { parseTaskKey } from './card-data-builder';
import { ownerName } from './owner-name';
import type { AppDeps } from './deps';
import type { CompanyViewFilter } from './ports';
import type { CompanyViewLink, CoverageBenchmark, CoverageStatus, CsmLoad, PipelineWeek, PlaybookTaskStats, PortfolioReport, SegmentBandCell, SegmentCoverage } from './page-data';

export interface PortfolioReportOptions {
  /** HubSpot portal (hub) id for the view links; without it links are left out (url null). */
  portalId?: string | null;
  /** Task figures cover this many days back from today. Default 30. */
  periodDays?: number;
  /** HubSpot's app host. Default https://app.hubspot.com. */
  appHost?: string;
}

const SEGMENT_LABEL: Record<Segment, string> = { pooled: 'Pooled', mid_pooled: 'Mid-pooled', named: 'Named' };
const BAND_LABEL: Record<HealthBand, string> = { healthy: 'Healthy', watch: 'Watch', at_risk: 'At risk', unknown: 'Unknown' };
const STAGE_LABEL: Record<string, string> = { not_started: 'Not started', onboarding: 'Onboarding', onboarding_overdue: 'Onboarding overdue', graduated: 'Graduated' };
const BENCH_LABEL: Record<Segment, string> = { pooled: 'SMB (pooled)', mid_pooled: 'Mid-market (mid-pooled)', named: 'Enterprise (named)' };

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

  const rows: KpiRow[] = [];
  const withTasks: string[] = [];
  const issues: string[] = [];
  let issueCount = 0;
  for await (const page of crm.iterateCompanies()) {
    for (const a of page.accounts) {
      rows.push({ account: a });
      if (a.playbookLedger.length > 0) withTasks.push(a.id);
    }
    issueCount += page.issues.length;
    for (const i of page.issues) if (issues.length < 5) issues.push(`company ${i.recordId}: ${i.property} ${i.message}`);
  }
  const [owners, openByCompany] = await Promise.all([crm.listOwners(), withTasks.length > 0 ? crm.openCsTasks(withTasks) : Promise.resolve(new Map())]);
  const ownerById = new Map<string, Owner>(owners.map((o) => [o.id, o]));
  const activeMembers = config.pool.members.filter((m) => isOwnerUsable(ownerById.get(m.ownerId)));
  const kpis = portfolioKpis(rows, config, now, { csms: activeMembers.length > 0 ? { pooled: activeMembers.length, mid_pooled: activeMembers.length } : {} });

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
    const ratio = member && active && activeMembers.length > 0 ? Math.round((pooledAccounts / activeMembers.length) * 10) / 10 : null;
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
    dataIssues: { count: issueCount, examples: issues },
  };
}

// ---------------------------------------------------------------- HTML

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** A horizontal SVG bar chart (inline, no external assets). */
function barChart(title: string, bars: { label: string; value: number }[]): string {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rowH = 22;
  const height = bars.length * rowH + 8;
  const body = bars
    .map((b, i) => {
      const w = Math.round((b.value / max) * 300);
      const y = i * rowH + 4;
      return `<text x="0" y="${y + 14}" font-size="12">${escapeHtml(b.label)}</text><rect x="170" y="${y + 2}" width="${w}" height="16" fill="#ff7a59"/><text x="${176 + w}" y="${y + 14}" font-size="12">${b.value}</text>`;
    })
    .join('');
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="540" height="${height}" role="img" aria-label="${escapeHtml(title)}">${body}</svg></figure>`;
}

function table(head: string[], rows: (string | number)[][]): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const tr = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(String(c))}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>`;
}

const pct = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 100)}%`);

/**
 * The report as one self-contained HTML page (inline CSS + SVG; every text escaped).
 *
 * @example
 * await writeFile('report.html', renderReportHtml(report));
 */
export function renderReportHtml(report: PortfolioReport): string {
  const t = report.totals;
  const css =
    'body{font-family:system-ui,sans-serif;margin:2rem;color:#33475b}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #cbd6e2;padding:4px 8px;text-align:left}' +
    'th{background:#f5f8fa}h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}figure{margin:1rem 0}figcaption{font-weight:600;margin-bottom:4px}';
  const segBand = table(
    ['Segment', ...HEALTH_BANDS.map((b) => BAND_LABEL[b])],
    SEGMENTS.map((s) => [SEGMENT_LABEL[s], ...HEALTH_BANDS.map((b) => report.segmentBand.find((c) => c.segment === s && c.band === b)?.count ?? 0)]),
  );
  const bands = barChart(
    'Accounts by health band',
    HEALTH_BANDS.map((b) => ({ label: BAND_LABEL[b], value: report.segmentBand.filter((c) => c.band === b).reduce((n, c) => n + c.count, 0) })),
  );
  const coverage = table(
    ['Segment', 'Accounts', 'CSMs', 'Accounts per CSM', 'Benchmark', 'Status'],
    report.coverage.map((c) => [SEGMENT_LABEL[c.segment], c.accounts, c.csms, c.coverageRatio ?? '—', c.benchmark ? `${c.benchmark.min}–${c.benchmark.max}` : '—', c.status]),
  );
  const loads = barChart('Onboardings per CSM', report.csmLoads.map((c) => ({ label: `${c.ownerName}${c.active ? '' : ' (inactive)'}`, value: c.onboardingCount })));
  const pipeline = barChart('Onboarding pipeline by graduation week', report.onboardingPipeline.map((w) => ({ label: `${w.week}${w.overdue ? ` (${w.overdue} overdue)` : ''}`, value: w.count })));
  const tasks = table(
    ['Playbook', 'Created', 'Completed', 'Open', 'Completion'],
    report.tasksByPlaybook.map((p) => [p.label, p.created, p.completed, p.open, pct(p.completionRate)]),
  );
  const links = report.links.length
    ? `<ul>${report.links.map((l) => `<li><a href="${escapeHtml(l.url)}">${escapeHtml(l.label)}</a></li>`).join('')}</ul>`
    : '<p>Set the portal id to get links to filtered HubSpot views.</p>';
  const issues = report.dataIssues.count
    ? `<p>${report.dataIssues.count} bad values read from HubSpot, e.g.:</p><ul>${report.dataIssues.examples.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul>`
    : '<p>No bad values read.</p>';
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Customer Success portfolio</title>',
    `<style>${css}</style></head><body>`,
    '<h1>Customer Success portfolio</h1>',
    `<p>Generated ${escapeHtml(report.generatedAt)} · config ${escapeHtml(report.configVersion)} · tasks from ${escapeHtml(report.period.from)} to ${escapeHtml(report.period.to)}</p>`,
    table(
      ['Accounts', 'Onboarding', 'Overdue', 'Graduated', 'Not started', 'Unknown health', 'Open CS tasks', 'Active CSMs'],
      [[t.accounts, t.onboarding, t.onboardingOverdue, t.graduated, t.notStarted, t.unknownHealth, t.openTasks, t.activeCsms]],
    ),
    '<h2>Segment × health band</h2>',
    segBand,
    bands,
    '<h2>Coverage vs benchmarks</h2>',
    coverage,
    '<h2>CSM loads</h2>',
    loads,
    '<h2>Onboarding pipeline</h2>',
    pipeline,
    '<h2>Tasks by playbook</h2>',
    tasks,
    '<h2>HubSpot views</h2>',
    links,
    '<h2>Data issues</h2>',
    issues,
    '</body></html>',
  ].join('\n');
}
