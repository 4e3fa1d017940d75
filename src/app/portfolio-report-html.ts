/**
 * The manager's portfolio report as one self-contained HTML page (CLI `report`): inline CSS and SVG,
 * every text escaped. Renders the `PortfolioReport` model built by `buildPortfolioReport`
 * (`portfolio-report.ts`) and nothing else: no I/O, no figures computed here.
 */
import { HEALTH_BANDS, MS_PER_DAY, SEGMENTS, parseIsoDay, type HealthBand } from '../core';
import { BAND_LABEL, SEGMENT_LABEL } from './portfolio-report';
import type { BacklogSummary, CoverageStatus, DigitalTouchSummary, Escalations, PortfolioReport } from './page-data';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/**
 * One colour per band, always with its text label next to it (colour-blind readers): at risk red,
 * watch amber, healthy green, unknown grey.
 */
export const BAND_COLOURS: Record<HealthBand, string> = { at_risk: '#d93025', watch: '#f5a623', healthy: '#1e8e3e', unknown: '#8c959f' };
const BAND_TINTS: Record<HealthBand, string> = { at_risk: '#fce8e6', watch: '#fef3e0', healthy: '#e6f4ea', unknown: '#f1f3f4' };

/** A horizontal SVG bar chart (inline, no external assets); each bar may have its own colour. */
function barChart(title: string, bars: { label: string; value: number; colour?: string }[]): string {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rowH = 22;
  const height = bars.length * rowH + 8;
  const body = bars
    .map((b, i) => {
      const w = Math.round((b.value / max) * 300);
      const y = i * rowH + 4;
      return `<text x="0" y="${y + 14}" font-size="12">${escapeHtml(b.label)}</text><rect x="170" y="${y + 2}" width="${w}" height="16" fill="${b.colour ?? '#516f90'}"/><text x="${176 + w}" y="${y + 14}" font-size="12">${b.value}</text>`;
    })
    .join('');
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="540" height="${height}" role="img" aria-label="${escapeHtml(title)}">${body}</svg></figure>`;
}

/** A table cell: text (escaped), or pre-built HTML, with an optional style. */
type Cell = string | number | { html: string; style?: string } | { text: string | number; style?: string };

function cellHtml(c: Cell): string {
  if (typeof c === 'object') {
    const style = c.style ? ` style="${escapeHtml(c.style)}"` : '';
    return 'html' in c ? `<td${style}>${c.html}</td>` : `<td${style}>${escapeHtml(String(c.text))}</td>`;
  }
  return `<td>${escapeHtml(typeof c === 'number' ? c.toLocaleString('en-US') : c)}</td>`;
}

function table(head: string[], rows: Cell[][], id?: string): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const tr = rows.map((r) => `<tr>${r.map(cellHtml).join('')}</tr>`).join('');
  return `<table${id ? ` id="${escapeHtml(id)}"` : ''}><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>`;
}

const pct = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 100)}%`);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** @example dayText('2026-11-12') // '12 Nov 2026' */
export function dayText(iso: string | null): string {
  if (iso === null) return '—';
  const d = parseIsoDay(iso.slice(0, 10));
  if (d === null) return iso;
  const date = new Date(d * MS_PER_DAY);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** @example money(18400) // '$18,400' */
export function money(value: number | null): string {
  return value === null ? '—' : `$${Math.round(value).toLocaleString('en-US')}`;
}

/** A band as coloured text with its label, e.g. a red "At risk". */
function bandBadge(band: HealthBand): string {
  return `<span class="band band-${band}" style="background:${BAND_COLOURS[band]}">${escapeHtml(BAND_LABEL[band])}</span>`;
}

function link(text: string, url: string | null): string {
  return url === null ? escapeHtml(text) : `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>`;
}

const COVERAGE_TEXT: Record<CoverageStatus, string> = {
  below: 'below the benchmark (fewer accounts per CSM)',
  within: 'within the benchmark',
  above: 'above the benchmark (more accounts per CSM)',
  unknown: 'no benchmark',
};

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** "12 of 8 (4 over)", "3 of 8", "off today". */
function createdVsCapacity(created: number | undefined, capacity: number | undefined): Cell {
  if (created === undefined || capacity === undefined) return '—';
  if (capacity === 0 && created === 0) return 'off today';
  const over = created - capacity;
  return over > 0 ? { html: `${created} of ${capacity} <span class="late">(${over} over)</span>` } : `${created} of ${capacity}`;
}

function escalationsHtml(e: Escalations): string {
  const named = e.namedAtRisk;
  const calls = e.noAnswerCalls;
  const summary = `<ul id="escalation-summary">${[
    `<li>${plural(e.namedAtRiskCount, 'named account')} at risk${e.namedAtRiskCount > 0 ? ` (${money(e.namedAtRiskArr)} ARR${named.length < e.namedAtRiskCount ? `; the ${named.length} largest below` : ''})` : ''}</li>`,
    `<li>${plural(calls.created, 'call')} after a digital touch got no answer in the period, ${calls.open.toLocaleString('en-US')} still open</li>`,
    `<li>${plural(e.urgentOpen, 'urgent task')} open (renewal within ${e.renewalWithinDays} days, or a named account at risk: created even over capacity)</li>`,
    `<li>${plural(e.overCapacityToday, 'task')} created today beyond their CSM's daily capacity</li>`,
  ].join('')}</ul>`;
  const rows = [...named, ...calls.items];
  const list =
    rows.length > 0
      ? table(
          ['Company', 'Why', 'Health', 'ARR', 'Open CS tasks'],
          rows.map((x) => [{ html: link(x.companyName, x.url) }, x.reason, { html: bandBadge(x.band) }, money(x.arr), x.openTasks === 0 ? { html: '<span class="late">none</span>' } : x.openTasks]),
          'escalations',
        )
      : '';
  return summary + list;
}

function backlogHtml(b: BacklogSummary): string {
  if (b.count === 0) return '<p id="backlog-summary">Nothing waits: every task the rules want has been created.</p>';
  const o = b.oldest;
  const oldest =
    o === null
      ? ''
      : o.daysWaiting === 0
        ? ` Nothing has waited a full day yet: all of it since ${dayText(o.since)} (e.g. ${escapeHtml(o.label)} for ${link(o.companyName, o.url)}).`
        : ` The oldest has waited ${plural(o.daysWaiting, 'day')} (since ${dayText(o.since)}): ${escapeHtml(o.label)} for ${link(o.companyName, o.url)}.`;
  const summary = `<p id="backlog-summary">${plural(b.count, 'task')} from ${plural(b.companies, 'company', 'companies')} wait for a CSM with capacity; they are created on the next working days, highest priority first (band, ARR, days to renewal, days waiting).${oldest}</p>`;
  const split = table(
    ['Waiting for', 'Tasks'],
    b.byOwner.map((x) => [x.ownerName, x.count]),
    'backlog-by-owner',
  );
  const byBand = `<p>By health: ${b.byBand.map((x) => `${bandBadge(x.band)} ${x.count.toLocaleString('en-US')}`).join(' ')}</p>`;
  const byPlaybook = `<p>By playbook: ${b.byPlaybook.map((x) => `${escapeHtml(x.label)} ${x.count.toLocaleString('en-US')}`).join(' · ')}</p>`;
  const oldestItems = table(
    ['Company', 'Task', 'Waiting since', 'Days waiting', 'Health'],
    b.oldestItems.map((i) => [{ html: link(i.companyName, i.url) }, i.label, dayText(i.since), i.daysWaiting, { html: bandBadge(i.band) }]),
    'backlog-oldest',
  );
  return summary + byBand + byPlaybook + split + oldestItems;
}

function digitalHtml(d: DigitalTouchSummary): string {
  if (d.count === 0) return '<p id="digital-summary">No digital touch in the period.</p>';
  const summary = `<p id="digital-summary">${plural(d.count, 'automated touch', 'automated touches')} asked of HubSpot workflows in the period: ${d.engaged.toLocaleString('en-US')} answered (the customer engaged after it), ${d.awaitingAnswer.toLocaleString('en-US')} waiting for an answer, ${d.unanswered.toLocaleString('en-US')} without an answer.</p>`;
  const byType = table(
    ['Touch', 'Sent'],
    d.byType.map((x) => [x.label, x.count]),
    'digital-by-type',
  );
  return summary + byType + barChart('Digital touches by playbook', d.byPlaybook.map((x) => ({ label: x.label, value: x.count })));
}

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
    'th{background:#f5f8fa}h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}figure{margin:1rem 0}figcaption{font-weight:600;margin-bottom:4px}' +
    '.band{color:#fff;font-weight:600;padding:1px 6px;border-radius:3px;white-space:nowrap}.band-watch{color:#33475b}.late{color:#d93025;font-weight:600}.legend span{margin-right:8px}';
  const legend = `<p class="legend">${HEALTH_BANDS.map((b) => bandBadge(b)).join(' ')}</p>`;
  const segBand = table(
    ['Segment', ...HEALTH_BANDS.map((b) => BAND_LABEL[b])],
    SEGMENTS.map((s) => [
      SEGMENT_LABEL[s],
      ...HEALTH_BANDS.map((b): Cell => {
        const cell = report.segmentBand.find((c) => c.segment === s && c.band === b);
        return { html: link((cell?.count ?? 0).toLocaleString('en-US'), cell?.url ?? null), style: `background:${BAND_TINTS[b]}` };
      }),
    ]),
    'segment-band',
  );
  const bands = barChart(
    'Accounts by health band',
    HEALTH_BANDS.map((b) => ({ label: BAND_LABEL[b], value: report.segmentBand.filter((c) => c.band === b).reduce((n, c) => n + c.count, 0), colour: BAND_COLOURS[b] })),
  );
  const arr = report.arrBySegmentBand
    ? table(
        ['Segment', ...HEALTH_BANDS.map((b) => `${BAND_LABEL[b]} ARR`)],
        SEGMENTS.map((s) => [
          SEGMENT_LABEL[s],
          ...HEALTH_BANDS.map((b): Cell => {
            const c = report.arrBySegmentBand?.find((x) => x.segment === s && x.band === b);
            const unknown = c && c.unknownArr > 0 ? ` (+${c.unknownArr} without ACV)` : '';
            return { text: `${money(c?.arr ?? 0)}${unknown}`, style: `background:${BAND_TINTS[b]}` };
          }),
        ]),
        'arr-by-band',
      )
    : '';
  const coverage = table(
    ['Segment', 'Accounts', 'CSMs available this week', 'Accounts per CSM', 'Benchmark', 'Status'],
    report.coverage.map((c) =>
      c.segment === 'named' && c.csms === 0
        ? [SEGMENT_LABEL[c.segment], c.accounts, 'Dedicated CSMs (not in the pool)', '—', c.benchmark ? `1:${c.benchmark.min}–${c.benchmark.max}` : '—', 'not pooled']
        : [SEGMENT_LABEL[c.segment], c.accounts, c.csms, c.coverageRatio === null ? '—' : `1:${Math.round(c.coverageRatio)}`, c.benchmark ? `1:${c.benchmark.min}–${c.benchmark.max}` : '—', COVERAGE_TEXT[c.status]],
    ),
    'coverage',
  );
  const pooledRows = report.coverage.filter((c) => c.segment !== 'named');
  const poolAccounts = pooledRows.reduce((n, c) => n + c.accounts, 0);
  const poolCsms = report.availableCsms ?? null;
  const poolNote =
    pooledRows.length > 1 && poolCsms !== null && poolCsms > 0
      ? `<p id="pool-coverage">The same ${plural(poolCsms, 'CSM')} available this week serve both pooled segments: ${poolAccounts.toLocaleString('en-US')} accounts, 1:${Math.round(poolAccounts / poolCsms)} together. Their open work is in the workload table above.</p>`
      : '';
  const workload = report.workload
    ? table(
        ['CSM', 'This week', 'Open', 'Overdue', 'Due this week', 'Urgent', 'Created today / capacity', 'Oldest open task due'],
        report.workload.map((w) => [
          `${w.ownerName}${w.active ? '' : ' (inactive)'}`,
          w.availableThisWeek ? 'available' : 'off or out of office',
          w.open,
          w.overdue > 0 ? { html: `<span class="late">${w.overdue}</span>` } : 0,
          w.dueThisWeek,
          w.urgent ?? '—',
          createdVsCapacity(w.createdToday, w.capacityToday),
          dayText(w.oldestDue),
        ]),
        'workload',
      )
    : '';
  const renewals = report.renewalsAtRisk
    ? report.renewalsAtRisk.length > 0
      ? table(
          ['Company', 'Renewal', 'In', 'Health', 'ARR', 'Segment'],
          report.renewalsAtRisk.map((r) => [
            { html: link(r.companyName, r.url) },
            dayText(r.renewalDate),
            `${r.daysToRenewal} days`,
            { html: bandBadge(r.band) },
            money(r.arr),
            SEGMENT_LABEL[r.segment],
          ]),
          'renewals-at-risk',
        )
      : `<p id="renewals-at-risk">No renewal in the next ${report.renewalsAheadDays ?? 90} days is at risk or unknown.</p>`
    : '';
  const escalations = report.escalations ? escalationsHtml(report.escalations) : '';
  const backlog = report.backlog ? backlogHtml(report.backlog) : '';
  const digital = report.digitalTouches ? digitalHtml(report.digitalTouches) : '';
  const loads = barChart('Onboardings per CSM', report.csmLoads.map((c) => ({ label: `${c.ownerName}${c.active ? '' : ' (inactive)'}`, value: c.onboardingCount })));
  const pipeline = barChart('Onboarding pipeline by graduation week', report.onboardingPipeline.map((w) => ({ label: `Week of ${dayText(w.weekStart)}${w.overdue ? ` (${w.overdue} overdue)` : ''}`, value: w.count })));
  const tasks = table(
    ['Playbook', 'Created', 'Completed', 'Open', 'Completion'],
    report.tasksByPlaybook.map((p) => [p.label, p.created, p.completed, p.open, pct(p.completionRate)]),
  );
  const links = report.links.length
    ? `<ul>${report.links.map((l) => `<li><a href="${escapeHtml(l.url)}">${escapeHtml(l.label)}</a></li>`).join('')}</ul>`
    : '<p>Set HUBSPOT_PORTAL_ID (your HubSpot account id) to get links to filtered company views and to each company named in this report.</p>';
  const items = report.dataIssues.items ?? [];
  const issues = report.dataIssues.count
    ? items.length > 0
      ? `<p>${plural(report.dataIssues.count, 'bad value')} read from HubSpot${items.length < report.dataIssues.count ? ` (the first ${items.length} below)` : ''}; each was read as unknown, fix it in HubSpot:</p>${table(
          ['Company', 'Property', 'Problem'],
          items.map((i) => [{ html: link(i.companyName, i.url) }, i.property, i.message]),
          'data-issues',
        )}`
      : `<p>${report.dataIssues.count} bad values read from HubSpot, e.g.:</p><ul>${report.dataIssues.examples.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul>`
    : '<p>No bad values read.</p>';
  const generated = `${dayText(report.generatedAt)}, ${report.generatedAt.slice(11, 16)} UTC`;
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Customer Success portfolio</title>',
    `<style>${css}</style></head><body>`,
    '<h1>Customer Success portfolio</h1>',
    `<p>Generated ${escapeHtml(generated)} · config ${escapeHtml(report.configVersion)} · tasks from ${escapeHtml(dayText(report.period.from))} to ${escapeHtml(dayText(report.period.to))}</p>`,
    table(
      ['Accounts', 'Onboarding', 'Onboarding overdue', 'Graduated', 'Not started', 'Unknown health', 'Open CS tasks', 'Active CSMs', 'Available this week'],
      [[t.accounts, t.onboarding, t.onboardingOverdue, t.graduated, t.notStarted, t.unknownHealth, t.openTasks, t.activeCsms, report.availableCsms ?? '—']],
    ),
    report.escalations ? '<h2>Escalations</h2>' : '',
    escalations,
    '<h2>Renewals at risk</h2>',
    `<p>Renewals in the next ${report.renewalsAheadDays ?? 90} days whose health is at risk or unknown, soonest first${
      report.renewalsAtRisk && report.renewalsAtRisk.length > 0 ? `: ${plural(report.renewalsAtRisk.length, 'company', 'companies')}, ${money(report.renewalsAtRisk.reduce((n, r) => n + (r.arr ?? 0), 0))} ARR` : ''
    }.</p>`,
    renewals,
    '<h2>Workload per CSM</h2>',
    workload,
    report.backlog ? '<h2>Backlog</h2>' : '',
    backlog,
    report.digitalTouches ? '<h2>Digital touches</h2>' : '',
    digital,
    '<h2>Segment × health band</h2>',
    legend,
    segBand,
    bands,
    '<h2>ARR by segment × band</h2>',
    arr,
    '<h2>Coverage vs benchmarks</h2>',
    coverage,
    poolNote,
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
