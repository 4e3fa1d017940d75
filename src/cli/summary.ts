/**
 * The end-of-run summary, as plain text for people: accounts by segment × band, CSM loads and
 * fairness, tasks by playbook, API calls vs. the minimum, 429s, and time vs. the rate-limit floor.
 */
import { HEALTH_BANDS, SEGMENTS, PLAYBOOK_TITLES, digitalTouchLabel } from '../core';
import type { InstallReport, SweepReport } from '../app';

const n = (x: number) => x.toLocaleString('en-US');

/** Why planned work was not created, in words (the JSON keeps the ids). */
const SKIP_WORDS: Record<string, string> = {
  ledger: 'already done',
  cooldown: 'within their cooldown',
  cap: 'waiting: company at its open-task cap',
  off: 'play switched off',
  awaiting_engagement: 'waiting for an answer to a digital touch',
  engaged: 'customer engaged after the digital touch',
  digital_busy: 'held for a later day: one digital touch per customer per channels.minDaysBetweenTouches days',
  no_owner: 'no owner',
  missed: 'onboarding steps past their catch-up window',
};

/** Ids in words for the text summary (the JSON keeps the ids); an unknown id is shown with spaces for `_`. */
const SEGMENT_WORDS: Record<string, string> = { pooled: 'pooled', mid_pooled: 'mid-pooled', named: 'named' };
const BAND_WORDS: Record<string, string> = { healthy: 'healthy', watch: 'watch', at_risk: 'at risk', unknown: 'unknown' };
const STAGE_WORDS: Record<string, string> = { not_started: 'not started', onboarding: 'onboarding', onboarding_overdue: 'onboarding overdue', graduated: 'graduated' };
const CAP_WORDS: Record<string, string> = {
  nps_detractor: 'NPS detractor',
  no_login: 'no login',
  usage_drop: 'usage drop',
  urgent_ticket: 'urgent open ticket',
  risk_task: 'open risk task',
};
const words = (map: Record<string, string>, id: string): string => map[id] ?? id.replace(/_/g, ' ');
/** A playbook id in words ('nps_detractor' → 'NPS detractor'); an unknown id with spaces for `_`. */
const playbookWords = (id: string): string => (PLAYBOOK_TITLES as Record<string, string>)[id] ?? id.replace(/_/g, ' ');

function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')).join('\n');
}

/** @example formatInstall({ groupCreated: true, created: ['cs_segment'], updated: [], unchanged: [] }) */
export function formatInstall(r: InstallReport): string {
  const parts = [`group ${r.groupCreated ? 'created' : 'present'}`, `${r.created.length} created`, `${r.updated.length} updated`, `${r.unchanged.length} unchanged`];
  return `Properties: ${parts.join(', ')}${r.updated.length ? ` (updated: ${r.updated.join(', ')})` : ''}`;
}

/**
 * The machine-readable summary (`--json`): one object, documented in the README.
 * @example
 * process.stdout.write(JSON.stringify(sweepJson(report, new Date())) + '\n');
 */
export function sweepJson(report: SweepReport, now: Date) {
  const t = report.run.totals;
  const w = report.workload;
  const capacity: Record<string, number> = { ...w.capacity };
  return {
    now: now.toISOString(),
    status: report.status,
    mode: report.run.mode,
    ...(report.asFull ? { asFull: report.asFull } : {}),
    ...(report.run.backlogRest === true ? { backlogRest: true } : {}),
    companies: t.accounts,
    tasks: {
      created: w.created,
      wanted: w.wanted,
      byOwner: w.byOwner,
      byPlaybook: t.tasksByPlaybook,
      urgentOverCapacity: w.urgentOverCapacity,
      failed: w.failed,
      reconciled: t.reconciled,
    },
    capacity: { byOwner: capacity, total: Object.values(capacity).reduce((a, b) => a + b, 0) },
    backlog: { count: w.backlog.count, oldestDays: w.backlog.oldestDays, noLongerNeeded: w.noLongerNeeded },
    digital: { created: w.digital.created, byType: w.digital.byType },
    skipped: t.skipped,
    csms: report.loads.map((l) => ({ ownerId: l.ownerId, name: l.name, today: l.today, onboardings: l.onboarding, tasksToday: l.tasksToday, capacityToday: l.capacityToday })),
    fairness: report.fairness,
    calls: { total: report.stats.total, minimum: report.minimumCalls, byKind: report.stats.calls, retries: report.stats.retries },
  };
}

/**
 * @example
 * console.log(formatSweepSummary(report, { seconds: 12.3 }));
 */
export function formatSweepSummary(report: SweepReport, timing: { seconds: number; simulatedSeconds?: number | null }, dryRun = false): string {
  const t = report.run.totals;
  const out: string[] = [];
  out.push('');
  out.push(`${dryRun ? 'DRY RUN — nothing written. ' : ''}${report.message}`);
  const asFull = report.asFull ? ` (incremental asked: most companies were modified since ${report.asFull.since})` : '';
  out.push(`Mode: ${report.run.mode}${report.run.since ? ` (since ${report.run.since})` : ''}${asFull}${report.resumed ? ', resumed from a saved cursor' : ''}`);
  // The work ranked at the top of the backlog went away: the day had room for work below the cutoff.
  if (report.run.backlogRest === true) out.push('Read the rest of the backlog too: the work ranked at the top of it went away since the last run (churned, or no longer needed), so today had room for work the incremental run does not usually read.');
  out.push('');
  out.push('Accounts by segment × health band');
  const segRows: string[][] = [['segment', ...HEALTH_BANDS.map((b) => words(BAND_WORDS, b)), 'total']];
  const totalsByBand = HEALTH_BANDS.map(() => 0);
  for (const seg of SEGMENTS) {
    const row = t.segmentBand[seg] ?? {};
    const counts = HEALTH_BANDS.map((b) => row[b] ?? 0);
    counts.forEach((c, i) => (totalsByBand[i] = (totalsByBand[i] ?? 0) + c));
    segRows.push([words(SEGMENT_WORDS, seg), ...counts.map(n), n(counts.reduce((a, b) => a + b, 0))]);
  }
  segRows.push(['all', ...totalsByBand.map(n), n(t.accounts)]);
  out.push(table(segRows));
  out.push('');
  out.push(
    `Lifecycle: ${Object.entries(t.stages).map(([k, v]) => `${words(STAGE_WORDS, k)} ${n(v)}${k === 'onboarding' && t.readyToGraduate > 0 ? ` (${n(t.readyToGraduate)} ready to graduate: every exit criterion met)` : ''}`).join(', ') || 'none'}`,
  );
  const unknownHealth = Object.values(t.segmentBand).reduce((s, row) => s + (row['unknown'] ?? 0), 0);
  if (unknownHealth > 0) out.push(`Health unknown (no score: too little fresh data): ${n(unknownHealth)} accounts`);
  const capped = Object.entries(t.capped).filter(([, v]) => v > 0);
  if (capped.length > 0) out.push(`Band capped by a critical signal: ${capped.map(([k, v]) => `${words(CAP_WORDS, k)} ${n(v)}`).join(', ')}`);
  out.push(`Companies: ${n(t.accounts)} read, ${n(t.updated)} ${dryRun ? 'would change' : 'updated'}, ${n(t.unchanged)} unchanged, ${n(t.issues)} bad values reported, ${n(t.failures)} failed writes`);
  if ((t.failureExamples ?? []).length > 0) {
    out.push(`Failed writes${t.failures > (t.failureExamples ?? []).length ? `, first ${(t.failureExamples ?? []).length} of ${n(t.failures)}` : ''}:`);
    for (const e of t.failureExamples ?? []) out.push(`  - ${e}`);
    if ((t.failureExamples ?? []).some((e) => /does not exist/i.test(e))) out.push("  The portal lacks a property of this version: run `npm run cli -- setup` (after every upgrade), then sweep again.");
  }
  if (t.issueExamples.length > 0) {
    out.push(`Bad values (read as unknown, fix them in HubSpot)${t.issues > t.issueExamples.length ? `, first ${t.issueExamples.length} of ${n(t.issues)}` : ''}:`);
    for (const e of t.issueExamples) out.push(`  - ${e}`);
  }
  out.push('');
  out.push(`Onboarding CSMs: ${n(t.assignments)} assigned this run, ${n(t.unassigned)} waiting (no one available), ${n(t.needsReassignment)} flagged for reassignment (CSM inactive)`);
  const TODAY: Record<string, string> = { available: 'available', off: 'off today', out_of_office: 'out of office', inactive: 'INACTIVE', not_in_pool: 'not in pool' };
  const loadRows: string[][] = [['CSM', 'onboardings', 'tasks today', 'capacity', 'today']];
  for (const l of report.loads) loadRows.push([l.name, n(l.onboarding), n(l.tasksToday), n(l.capacityToday), TODAY[l.today] ?? l.today]);
  if (report.loads.length > 0) out.push(table(loadRows));
  const available = report.loads.filter((l) => l.today === 'available').length;
  const fair = (f: NonNullable<SweepReport['fairness']>) => `max ${f.max}, min ${f.min}, max/min ${f.ratio !== null && Number.isFinite(f.ratio) ? f.ratio.toFixed(2) : '∞'}, Gini ${f.gini.toFixed(3)}`;
  if (report.fairness) out.push(`Fairness over tasks today (${available} CSMs available): ${fair(report.fairness)}`);
  else if (report.loads.length > 0) out.push('Fairness: no CSM is available today (all off, out of office or inactive).');
  if (report.onboardingFairness) out.push(`Fairness over onboardings (${available} CSMs available): ${fair(report.onboardingFairness)}`);
  out.push('');
  const w = report.workload;
  const cap = Object.values(w.capacity).reduce((a, b) => a + b, 0);
  out.push(`Today's work: ${n(w.created)} human tasks ${dryRun ? 'would be created' : 'created'} (capacity of the CSMs working today: ${n(cap)}; urgent over capacity: ${n(w.urgentOverCapacity)}) of ${n(w.wanted)} wanted`);
  const oldest = w.backlog.oldestDays === null ? '' : w.backlog.oldestDays > 0 ? `, oldest ${n(w.backlog.oldestDays)} days` : ', nothing has waited a full day yet';
  out.push(`Backlog (kept on the companies, created on later days in priority order): ${n(w.backlog.count)} waiting${oldest}; ${n(w.noLongerNeeded)} no longer needed`);
  const byType = Object.entries(w.digital.byType).sort((a, b) => b[1] - a[1]);
  out.push(`Digital touches (cs_digital_touch, sent by HubSpot workflows): ${n(w.digital.created)}${byType.length ? ` — ${byType.map(([k, v]) => `${digitalTouchLabel(k)} ${n(v)}`).join(', ')}` : ''}`);
  out.push(`Playbook tasks: ${n(t.tasksCreated)} ${dryRun ? 'would be created' : 'created'}; ${n(t.reconciled)} found already in HubSpot (not re-created)`);
  const pbRows: string[][] = [['playbook', 'tasks']];
  for (const [k, v] of Object.entries(t.tasksByPlaybook).sort((a, b) => b[1] - a[1])) pbRows.push([playbookWords(k), n(v)]);
  if (pbRows.length > 1) out.push(table(pbRows));
  const skipped = Object.entries(t.skipped).filter(([, v]) => v > 0);
  if (skipped.length) out.push(`Not created (quiet by design): ${skipped.map(([k, v]) => `${n(v)} ${SKIP_WORDS[k] ?? k} (${k})`).join(', ')}`);
  out.push('');
  const s = report.stats;
  const ratio = report.minimumCalls > 0 ? (s.total / report.minimumCalls).toFixed(3) : '—';
  out.push(`API calls: ${n(s.total)} (honest minimum ${n(report.minimumCalls)}, ratio ${ratio}); retries ${n(s.retries)}; 429s: ${n(s.rateLimited10s)} ten-second, ${(s.rateLimitedSecondly ?? 0) > 0 ? `${n(s.rateLimitedSecondly ?? 0)} search per-second (absorbed: the pacer now counts each search until its answer), ` : ''}${n(s.rateLimitedDaily)} daily`);
  out.push(`By kind: ${Object.entries(s.calls).map(([k, v]) => `${k} ${n(v)}`).join(', ')}`);
  const floor = report.floorSeconds;
  const sim = timing.simulatedSeconds;
  const wall = sim ?? timing.seconds;
  out.push(
    `Time: ${timing.seconds.toFixed(1)} s wall${sim != null ? `, ${sim.toFixed(1)} s simulated HubSpot time` : ''}; rate-limit floor ${floor.toFixed(1)} s${floor > 0 ? ` (ratio ${(wall / floor).toFixed(2)})` : ''}`,
  );
  const f = report.floor;
  out.push(
    `Budgets: ${n(f.tenSecond.calls)} calls in the ${f.tenSecond.perTenSeconds} / 10 s window → ${f.tenSecond.seconds.toFixed(0)} s; ${n(f.search.calls)} searches at ${f.search.perSecond} / s (exempt from the 10 s window) → ${f.search.seconds.toFixed(0)} s`,
  );
  return out.join('\n');
}
