/**
 * The portfolio sweep: every company (or, incrementally, those modified since the last complete
 * run plus those with a time-based trigger due) through the shared pipeline, in units of about
 * 1,000 companies, streaming search pages so memory stays flat.
 *
 * Resumable: after each unit the state store records the cursor and the totals; a rerun after a
 * kill continues from there, and the pipeline's reconciliation makes a repeated unit harmless (no
 * duplicate task, no lost update). A deadline (the 15 s function budget) pauses between units and
 * returns; a daily-limit 429 stops cleanly; a Retry-After longer than the budget defers.
 */
import { availabilityOf, appendLedger, capacityToday, createAssignmentState, dispatchDay, dispatchOrder, dispatchReaches, fairness, formatIsoDay, loadsOf, maxScoreDrop, MS_PER_DAY, cooldownEndsAfterCreating, cooldownEndsOf, parseBacklog, parseIsoDay, riskCapEndsOf, rotationOf, taskRotationOf, utcDay, withTaskTexts, type AssignmentState, type Availability, type Fairness, type Account, type Owner, type PlannedTask, type WaitingTask } from '../core';
import { DailyLimitError, LIMITS, RateLimitError, honestMinimumCalls, packCompanyQueries, rateFloor, type RateFloor, type SweepWork } from '../hubspot';
import type { BatchResult, CallStats, CreatedTask, CompanyDateField, CompanyPage, CompanyQuery, IterateCompaniesOptions, TicketCounts } from './ports';
import { assignmentStateFrom, loadAssignmentState } from './assignment-loader';
import { ISSUE_EXAMPLES_MAX, describeIssues } from './data-issues';
import type { AppDeps } from './deps';
import { ownerName } from './owner-name';
import { processAccounts, type ProcessResult, type WrittenWorkload } from './process';
import { prepend, readAhead, readAheadNow } from './read-ahead';
import { emptyTotals, type SavedAssignment, type SweepRun, type SweepStateStore, type SweepTotals } from './sweep-state';

export interface SweepOptions {
  store: SweepStateStore;
  /** `incremental` falls back to a full sweep when no run has completed yet. */
  mode?: 'full' | 'incremental';
  dryRun?: boolean;
  /** Companies per unit (tickets, tasks, updates and creates are batched per unit). */
  unitSize?: number;
  /** Epoch ms after which no new unit starts (the run pauses with its cursor). */
  deadlineMs?: number | null;
  /** The real clock (default Date.now): the deadline, and when a complete run ended (incremental watermark). */
  clockMs?: () => number;
  /** Drop a run in progress and start afresh. */
  restart?: boolean;
  /** Read each unit's tickets by company links even in a full sweep (not the portfolio's open tickets by search). */
  ticketsPerUnit?: boolean;
  /**
   * An incremental run whose companies modified since the last run are at least this share of the
   * portfolio (the last full run's companies) runs as a full sweep (default `FULL_WHEN_MODIFIED`).
   */
  fullWhenModified?: number;
  /** After each unit: companies done in this run, and the total expected when known (full sweeps). */
  onProgress?: (p: { done: number; total: number | null; totals: SweepTotals }) => void;
}

export type SweepStatus = 'complete' | 'paused' | 'daily_limit' | 'deferred';

export interface SweepReport {
  status: SweepStatus;
  message: string;
  run: SweepRun;
  /** Resumed a run that an earlier call or process left in progress. */
  resumed: boolean;
  /**
   * An incremental run asked for that ran as a full sweep: the companies modified since the last run
   * (the first page's total) against the portfolio's size (the last full run's companies).
   */
  asFull?: { modified: number; portfolio: number; since: string };
  loads: {
    ownerId: string;
    name: string;
    active: boolean;
    today: Availability;
    onboarding: number;
    poolTasks: number;
    /** Tasks created for this CSM by this run, and what they were allowed today (0 when off). */
    tasksToday: number;
    capacityToday: number;
  }[];
  /** Over the tasks created today for the CSMs available today (members off or out of office take no new work). */
  fairness: Fairness | null;
  /** Onboardings per CSM available today. */
  onboardingFairness: Fairness | null;
  stats: CallStats;
  /** The honest minimum: the fewest calls that could carry this run's work (see `honestMinimumCalls`). */
  minimumCalls: number;
  /** The work that minimum counts. */
  work: SweepWork;
  floorSeconds: number;
  /** Both budgets the run respects (10 s window for all but search; search per second). */
  floor: RateFloor;
  /** Up to 20 companies whose properties would change / changed, for dry runs and logs. */
  examples: { id: string; name: string | null; properties: Record<string, string>; tasks: string[] }[];
  /** Today's human work, dispatched by capacity and priority (issue 14). */
  workload: WorkloadReport;
}

export interface WorkloadReport {
  /** Human tasks the rules wanted today (new and waiting), over the companies read. */
  wanted: number;
  /** Created today (this run's dispatch). */
  created: number;
  /** ownerId (or `queue:<id>`) → tasks created this run. */
  byOwner: Record<string, number>;
  /** ownerId → tasks allowed today (0 when off). */
  capacity: Record<string, number>;
  urgentOverCapacity: number;
  /** Waiting after today's dispatch: entries, and the longest wait in days. */
  backlog: { count: number; oldestDays: number | null };
  digital: { created: number; byType: Record<string, number> };
  /** Backlog entries the rules no longer want (condition gone). */
  noLongerNeeded: number;
  /** Creates that failed (they stay in the backlog). */
  failed: number;
  /** The lowest rank created when the day's capacity ran out (null when everything waiting was created). */
  cutoff: number | null;
  /** Companies whose ledger and backlog the dispatch rewrote after creating their tasks. */
  dispatchWrites?: number;
  /** Companies the dispatch read by id (written by an earlier call of a chunked run). */
  dispatchReads?: number;
}

/**
 * An incremental run reads the companies modified since the last run and, on top, those the clock
 * may have moved (a third of the portfolio the day after a first run, at 26,000), each query its own
 * pages; with half the portfolio modified (a product sync that stamps every company each night) it
 * reads about as many companies as a full sweep, reads their tickets one company link at a time,
 * and leaves the companies it skips to drift. From this share a full sweep is run instead: it costs
 * about the same or less, leaves nothing behind, and restarts the drift window of the next days.
 */
export const FULL_WHEN_MODIFIED = 0.5;

/** Companies per unit of a run that goes to the end in one go, and of a time-boxed call. */
export const DEFAULT_UNIT = 5000;
export const DEFAULT_TIMEBOXED_UNIT = 1000;
/**
 * Companies per unit of an incremental run that goes to the end in one go. Its units start only
 * once they fill or the pages end, so a second unit waits on the first one's writes (the assignment
 * state is threaded through them) after the last page: one unit where the day's reads fit in it
 * (about 7,000 companies at 26,000 the day after) ends sooner, costs the calls of one unit, and
 * evaluates in id order throughout, as a full sweep does.
 */
export const DEFAULT_INCREMENTAL_UNIT = 10_000;

function newRun(mode: 'full' | 'incremental', startedAt: Date, since: string | null, clockStartedMs: number): SweepRun {
  return {
    runId: `${startedAt.toISOString()}-${mode}`,
    mode,
    startedAt: startedAt.toISOString(),
    clockStartedAt: new Date(clockStartedMs).toISOString(),
    since,
    query: 0,
    cursor: null,
    totals: emptyTotals(),
    seen: [],
    chunks: 0,
    assignment: null,
    pending: null,
    waiting: [],
    written: {},
    dispatch: null,
  };
}

function restoreAssignment(saved: SavedAssignment, deps: AppDeps, owners: Owner[]): AssignmentState {
  return createAssignmentState({
    members: deps.config.pool.members,
    owners,
    loads: new Map(Object.entries(saved.loads)),
    taskLoads: new Map(Object.entries(saved.taskLoads)),
    rotation: saved.rotation,
    taskRotation: saved.taskRotation,
  });
}

function saveAssignment(state: AssignmentState): SavedAssignment {
  return {
    loads: Object.fromEntries(loadsOf(state, 'onboarding')),
    taskLoads: Object.fromEntries(loadsOf(state, 'tasks')),
    rotation: rotationOf(state),
    taskRotation: taskRotationOf(state),
  };
}

/**
 * The searches of a run. Full: one (every company). Incremental: companies modified since `since`
 * (when the last complete run ended: what others changed during that run is left to the next full
 * sweep, so schedule one weekly),
 * plus those whose time-based triggers came due since then (onboarding schedule and graduation,
 * renewal windows, 30 days without login, 45 days without touch, expiring overrides, contracts
 * starting, a detractor's NPS cap ending, data going stale, a score sliding below a band threshold,
 * digital touches held for a later day, a digital touch's follow-up coming due).
 * `previousStart` is when that last complete run started (its companies were evaluated between then
 * and `since`); unknown, the day before `since`'s day is assumed. `followUpDueRecorded`: every
 * company's next follow-up day is recorded (a full run of this version completed), so the latest
 * touch's own window is not needed. `evaluatedAt`: the instant the last complete run evaluated its
 * companies as of (its start, on the evaluation clock, `now`'s): the time triggers count days from
 * it. `since` is on the real clock (HubSpot's modification dates are), and a run evaluated as of
 * another day (`--now`: a replay, a backfill) is days away from it; unknown, `since` is taken.
 */
export function sweepQueries(run: Pick<SweepRun, 'mode' | 'since'>, deps: Pick<AppDeps, 'config'>, now: Date, backlogCutoff: number | null = null, previousStart: string | null = null, followUpDueRecorded = false, evaluatedAt: string | null = null): IterateCompaniesOptions[] {
  if (run.mode === 'full' || run.since === null) return [{}];
  const { sinceDay, today, driftFrom } = incrementalDays(run.since, now, previousStart, evaluatedAt);
  // Days `from` … `to` inclusive (the adapter compares up to the last instant of `to`, so a
  // date-time such as a contact at 14:00 on the last day is in).
  const between = (field: CompanyDateField, fromDay: number, toDay: number): CompanyQuery => ({ dateBetween: { field, fromDay, toDay } });
  const rules = deps.config.playbooks.rules;
  const due: CompanyQuery[] = [
    { lifecycleStages: ['onboarding', 'onboarding_overdue'] },
    between('contractStartDate', sinceDay, today),
    between('segmentOverrideExpires', sinceDay - 1, today),
  ];
  if (rules.renewal.enabled) for (const w of rules.renewal.windows) due.push(between('renewalDate', sinceDay + w, today + w));
  if (rules.no_login.enabled) due.push(between('lastLoginDate', sinceDay - rules.no_login.days, today - rules.no_login.days));
  if (rules.no_touch.enabled) due.push(between('lastContactedAt', sinceDay - rules.no_touch.days - 1, today - rules.no_touch.days));
  // Critical caps that come or go with time alone: an NPS detractor's cap ends `withinDays` after
  // its answer (only a detractor's answer, at most `max`, has that cap); the no-login cap starts
  // `days` after the last login (when it differs from the rule's).
  const caps = deps.config.health.caps;
  if (caps.nps_detractor.enabled) due.push({ ...between('npsDate', sinceDay - caps.nps_detractor.withinDays - 1, today - caps.nps_detractor.withinDays), npsAtMost: caps.nps_detractor.max });
  if (caps.no_login.enabled && !(rules.no_login.enabled && rules.no_login.days === caps.no_login.days)) due.push(between('lastLoginDate', sinceDay - caps.no_login.days, today - caps.no_login.days));
  // Time alone also moves health: data going stale (usage / NPS age past their limits; every answer) …
  const h = deps.config.health;
  due.push(between('usageUpdatedAt', sinceDay - h.staleness.usageDays - 1, today - h.staleness.usageDays));
  due.push(between('npsDate', sinceDay - h.staleness.npsDays - 1, today - h.staleness.npsDays));
  // … and scores sliding below a band threshold (from the day the last run's evaluations began).
  due.push(...scoreDriftQueries(deps.config, driftFrom, today));
  // … and scores the clock may take past their slide line (health_drop.points below the recorded
  // peak) by today: each evaluation records the first day it could (its own ageing rate).
  if (rules.health_drop.enabled) due.push(between('healthDropDue', 0, today));
  // … and data aged by its HubSpot property history (no sync date to search on) going stale.
  if (deps.config.health.staleness.valueHistory) due.push(between('healthStaleDue', 0, today));
  // … and the risk-task cap lifting (30 days after the newest risk task, a day each company records).
  if (caps.risk_task.enabled) due.push(between('riskCapEnds', sinceDay - 1, today));
  // … and plays that fire but wait for their cooldown (an at-risk escalation again after 30 days).
  due.push(between('cooldownEnds', sinceDay - 1, today));
  // Work waiting for capacity (what ranks near the last cutoff, `backlogFloor`), and digital
  // touches whose follow-up may be due.
  due.push(backlogCutoff === null ? { hasBacklog: true } : { backlogPriorityAtLeast: backlogFloor(deps.config, backlogCutoff, today, driftFrom) });
  // Urgent work goes out over capacity whatever its rank (today's urgent allowance is new): waiting
  // work of a named account at risk, or of a renewal within the urgent window.
  if (backlogCutoff !== null) {
    const urgent = deps.config.workload.urgent;
    if (urgent.namedAtRisk) due.push({ hasBacklog: true, segments: ['named'], healthBands: ['at_risk'] });
    due.push({ hasBacklog: true, dateBetween: { field: 'renewalDate', fromDay: today, toDay: today + urgent.renewalWithinDays } });
  }
  const followUp = deps.config.channels.followUpDays;
  // Follow-ups come due a week after each touch; the company records the next such day (its latest
  // touch alone does not tell when touches go out more often than the follow-up wait). Until a full run has recorded it for every
  // company (after an upgrade), the latest touch's own window too.
  due.push(between('digitalFollowUpDue', sinceDay - 1, today));
  if (!followUpDueRecorded) due.push({ dateBetween: { field: 'digitalTouchAt', fromDay: sinceDay - followUp - 1, toDay: today - followUp } });
  // Digital touches held for a later day (one goes out per company per `minDaysBetweenTouches`
  // days) are due again once the company's latest touch is that many days old.
  due.push({ hasDigitalWaiting: true, dateBetween: { field: 'digitalTouchAt', fromDay: 0, toDay: today - deps.config.channels.minDaysBetweenTouches } });
  // Packed as alternatives (OR) within HubSpot's limits per search by the adapter, so a dozen
  // triggers cost a few searches, not one each.
  const queries: IterateCompaniesOptions[] = [{ modifiedSince: run.since }, ...packCompanyQueries(due)];
  return queries;
}

/** Whether a query reads every company whose stored stage is onboarding (alone or as one of its alternatives). */
function readsOnboarding(query: IterateCompaniesOptions): boolean {
  const all = (q: CompanyQuery) => q.lifecycleStages !== undefined && q.lifecycleStages.includes('onboarding') && q.lifecycleStages.includes('onboarding_overdue') && Object.keys(q).length === 1;
  return all(query) || (query.anyOf ?? []).some(all);
}

/** Ranks are rounded to a tenth (`taskRank`): two rounded ranks differ by up to a tenth more than the exact ones. */
const RANK_ROUNDING = 0.1;

/**
 * The days an incremental run reasons with: the day the last run evaluated (`sinceDay`), today, and
 * the day every stored score and backlog priority was computed on or after (`driftFrom`: the last
 * full run's start, else the day before the last run's).
 */
function incrementalDays(since: string, now: Date, previousStart: string | null, evaluatedAt: string | null): { sinceDay: number; today: number; driftFrom: number } {
  const evaluatedMs = evaluatedAt === null ? Number.NaN : Date.parse(evaluatedAt);
  const sinceMs = Number.isFinite(evaluatedMs) ? evaluatedMs : Date.parse(since);
  const sinceDay = utcDay(sinceMs);
  const startedMs = previousStart === null ? Number.NaN : Date.parse(previousStart);
  const driftFrom = Number.isFinite(startedMs) ? utcDay(Math.min(sinceMs, startedMs)) : sinceDay - 1;
  return { sinceDay, today: utcDay(now), driftFrom };
}

/**
 * The lowest stored backlog priority an incremental run reads: below the last cutoff, less what a
 * waiting task's rank can gain since it was stored (a day of waiting and a day nearer its renewal,
 * each day; a tenth for the ranks' rounding). A company none of the runs since the last full one
 * read holds the rank that run gave it: the days count from there, as the score drift's do. So
 * whatever was not read ranks below the cutoff today.
 */
function backlogFloor(config: AppDeps['config'], cutoff: number, today: number, driftFrom: number): number {
  const p = config.workload.priority;
  return Math.floor(cutoff - ((p.perDayWaiting + p.perRenewalDay) * Math.max(1, today - driftFrom) + RANK_ROUNDING));
}

/**
 * The rest of the backlog an incremental run with a cutoff did not read (stored priority below
 * `backlogFloor`), and the rank just under the cutoff that everything there ranks below today: the
 * run reads it too when the day's dispatch would still give a place to work of that rank (the work
 * ranked at the top went away overnight: a churned customer, a trigger no longer firing).
 * Null when the run reads the whole backlog anyway.
 *
 * @example
 * backlogRest({ mode: 'incremental', since }, deps, now, 367.5, lastFullStart, lastStart)
 * // { query: { hasBacklog: true, backlogPriorityBelow: 363 }, probeRank: 367.45 }
 */
export function backlogRest(run: Pick<SweepRun, 'mode' | 'since'>, deps: Pick<AppDeps, 'config'>, now: Date, backlogCutoff: number | null, previousStart: string | null = null, evaluatedAt: string | null = null): { query: IterateCompaniesOptions; probeRank: number } | null {
  if (run.mode === 'full' || run.since === null || backlogCutoff === null) return null;
  const { today, driftFrom } = incrementalDays(run.since, now, previousStart, evaluatedAt);
  return { query: { hasBacklog: true, backlogPriorityBelow: backlogFloor(deps.config, backlogCutoff, today, driftFrom) }, probeRank: backlogCutoff - RANK_ROUNDING / 2 };
}

/**
 * The companies whose band the clock alone may have lowered since they were evaluated (on
 * `fromDay` or later) until `today`. Time only lowers a score (`maxScoreDrop`), and only while the
 * login or the engagement recency is sliding (between its full and zero days): so a stored score at
 * or above a band threshold and within the drop of it, with the last login or the last touch inside
 * its sliding window (one alternative each). The band is that of the stored score, the rounded one:
 * from `s`, a drop of at most `D` reaches below `t` only if `s ≤ t + ⌈D⌉ − 1`. Days only (not the
 * hour), so every call of a run asks the same.
 */
function scoreDriftQueries(config: AppDeps['config'], fromDay: number, today: number): CompanyQuery[] {
  const h = config.health;
  const n = h.normalise;
  // Login ages (dates) grow by one each UTC day; a touch's whole days (a date-time) by one each 24
  // hours from its instant: from any time on `fromDay` to any time today, at most one more.
  const loginDays = Math.max(0, today - fromDay);
  const touchDays = loginDays + 1;
  const span = Math.ceil(maxScoreDrop(config, loginDays, touchDays)) - 1;
  if (span < 0) return [];
  const recencies: CompanyQuery['dateBetween'][] = [];
  // Login recency is below 100 today once the last login is more than `loginFullDays` days back
  // (its day at most today − full − 1), and was above 0 when evaluated if it was less than
  // `loginZeroDays` days back then (its day at least fromDay − zero + 1).
  if (loginDays > 0) recencies.push({ field: 'lastLoginDate', fromDay: fromDay - n.loginZeroDays + 1, toDay: today - n.loginFullDays - 1 });
  // A touch at instant x: floor((now − x) / day) > full ⇒ x before the start of day today − full;
  // floor((evaluated − x) / day) < zero ⇒ x after evaluated − zero days, so on day fromDay − zero or later.
  recencies.push({ field: 'lastContactedAt', fromDay: fromDay - n.engagementZeroDays, toDay: today - n.engagementFullDays - 1 });
  const out: CompanyQuery[] = [];
  for (const threshold of [h.bands.healthy, h.bands.watch]) {
    for (const dateBetween of recencies) if (dateBetween && dateBetween.fromDay <= dateBetween.toDay) out.push({ scoreBetween: { min: threshold, max: threshold + span }, dateBetween });
  }
  return out;
}

/**
 * The most health-score points time alone can take off in a day (a day of login and of engagement
 * recency; see `maxScoreDrop`).
 *
 * @example
 * maxScoreDriftPerDay(defaultConfig()) // ≈ 1.03 with the default weights
 */
export function maxScoreDriftPerDay(config: AppDeps['config']): number {
  return maxScoreDrop(config, 1, 1);
}

function isoDayOrNull(day: number | null): string | null {
  return day === null ? null : formatIsoDay(day);
}

/** HubSpot record ids (digits) in numeric order: shorter first, then by their digits. */
function byNumericId(a: { id: string }, b: { id: string }): number {
  return a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function addTotals(t: SweepTotals, r: ProcessResult, issues: number, issueTexts: readonly string[]): void {
  t.accounts += r.processed.length;
  t.updated += r.updated;
  t.scoreOnly = (t.scoreOnly ?? 0) + r.scoreOnly;
  t.unchanged += r.unchanged;
  t.tasksPlanned += r.tasksPlanned;
  t.tasksCreated += r.tasksCreated.length;
  t.reconciled += r.reconciled;
  t.failures += r.failures.length;
  for (const f of r.failures) {
    const examples = (t.failureExamples ??= []);
    if (examples.length >= 3) break;
    examples.push(`${f.op} ${f.id}: ${f.message}`);
  }
  t.issues += issues;
  for (const text of issueTexts) if (t.issueExamples.length < ISSUE_EXAMPLES_MAX) t.issueExamples.push(text);
  for (const [k, v] of Object.entries(r.skipped)) t.skipped[k] = (t.skipped[k] ?? 0) + (v ?? 0);
  const byType = (t.digitalByType ??= {});
  for (const [k, v] of Object.entries(r.digitalByType)) byType[k] = (byType[k] ?? 0) + v;
  t.noLongerNeeded = (t.noLongerNeeded ?? 0) + r.noLongerNeeded;
  t.backlogCount = (t.backlogCount ?? 0) + r.backlog.count;
  const bySince = (t.backlogBySince ??= {});
  for (const [k, v] of Object.entries(r.backlog.bySince)) bySince[k] = (bySince[k] ?? 0) + v;
  const created = new Set(r.tasksCreated.map((c) => c.key));
  for (const p of r.processed) {
    const ev = p.evaluation;
    const seg = ev.next.segment ?? 'unknown';
    const band = ev.next.healthBand ?? 'unknown';
    const row = (t.segmentBand[seg] ??= {});
    row[band] = (row[band] ?? 0) + 1;
    const stage = ev.next.lifecycleStage ?? 'unknown';
    t.stages[stage] = (t.stages[stage] ?? 0) + 1;
    if (ev.lifecycle.readyToGraduate) t.readyToGraduate++;
    const cap = ev.health.cappedBy;
    if (cap !== null) t.capped[cap.id] = (t.capped[cap.id] ?? 0) + 1;
    if (ev.assignment) {
      if (ev.assignment.ok && !ev.assignment.kept) t.assignments++;
      else if (!ev.assignment.ok && ev.assignment.needsReassignment) t.needsReassignment++;
      else if (!ev.assignment.ok) t.unassigned++;
    }
    for (const task of ev.tasks) {
      if (!created.has(task.key) && !p.created.includes(task.key)) continue;
      t.tasksByPlaybook[task.playbook] = (t.tasksByPlaybook[task.playbook] ?? 0) + 1;
    }
  }
}

/** Calls made between two snapshots of the client's counters (a run's own calls). */
function statsSince(start: CallStats, end: CallStats): CallStats {
  const minus = (a: Record<string, number>, b: Record<string, number>) => {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(a)) if (v - (b[k] ?? 0) !== 0) out[k] = v - (b[k] ?? 0);
    return out;
  };
  return {
    calls: minus(end.calls, start.calls),
    items: minus(end.items, start.items),
    total: end.total - start.total,
    retries: end.retries - start.retries,
    rateLimited10s: end.rateLimited10s - start.rateLimited10s,
    rateLimitedSecondly: (end.rateLimitedSecondly ?? 0) - (start.rateLimitedSecondly ?? 0),
    rateLimitedDaily: end.rateLimitedDaily - start.rateLimitedDaily,
    waitedMs: end.waitedMs - start.waitedMs,
  };
}

/**
 * Runs (or resumes) a sweep.
 *
 * @example
 * const report = await runSweep(deps, { store: fileSweepStateStore('.cs-state/sweep.json') });
 * report.status // 'complete'
 */
export async function runSweep(deps: AppDeps, options: SweepOptions): Promise<SweepReport> {
  const clockMs = options.clockMs ?? Date.now;
  const saved = await options.store.load();
  const now = deps.now();
  const statsAtStart = deps.crm.stats();
  let resumed = false;
  let run: SweepRun;
  if (saved.inProgress && !options.restart && !options.dryRun) {
    run = saved.inProgress;
    resumed = true;
  } else {
    const wantIncremental = options.mode === 'incremental' && saved.lastCompleteRunStartedAt !== null;
    run = newRun(wantIncremental ? 'incremental' : 'full', now, wantIncremental ? (saved.lastCompleteRunEndedAt ?? saved.lastCompleteRunStartedAt) : null, clockMs());
  }
  // The owners are read while the run decides how to read the companies.
  const ownersPromise = deps.crm.listOwners();
  ownersPromise.catch(() => undefined); // awaited below
  // A new incremental run reads its first page of modified companies before anything else: when
  // they are most of the portfolio (the first page's total says), it runs as a full sweep instead
  // (that page is the one call it wastes); otherwise that page is its first.
  let asFull: SweepReport['asFull'];
  let modifiedFirst: { page: CompanyPage; rest: AsyncIterator<CompanyPage> } | null = null;
  const portfolio = saved.lastFullRunCompanies ?? null;
  if (!resumed && run.mode === 'incremental' && run.since !== null && portfolio !== null && portfolio > 0) {
    const since = run.since;
    const rest = deps.crm.iterateCompanies({ modifiedSince: since })[Symbol.asyncIterator]();
    // Unread (a daily limit, a fault the retries did not get past), the run goes on as asked and
    // meets the same answer where a run stops cleanly (daily limit, deferred) or fails.
    const first = await rest.next().catch((error: unknown) => {
      deps.log.warn('incremental_size_unknown', { error: error instanceof Error ? error.message : String(error) });
      return null;
    });
    const modified = first === null ? null : first.done ? 0 : first.value.total;
    // (Modified companies that fit in one page cost the incremental one page: it runs as asked.)
    if (modified !== null && modified > LIMITS.searchPageSize && modified >= (options.fullWhenModified ?? FULL_WHEN_MODIFIED) * portfolio) {
      await rest.return?.();
      asFull = { modified, portfolio, since };
      run = newRun('full', now, null, clockMs());
      deps.log.info('incremental_as_full', { modified, portfolio, since });
    } else if (first !== null && !first.done) modifiedFirst = { page: first.value, rest };
  }
  let cutoff: number | null = saved.backlogCutoff ?? null;
  // Saves go out one at a time, each with the state as it was when asked (the dispatch handed the
  // last unit's waiting work saves while that unit is still writing).
  let saving: Promise<void> = Promise.resolve();
  const persist = async (inProgress: SweepRun | null, complete?: { startedAt: string; endedAt: string }) => {
    if (options.dryRun) return;
    const state = structuredClone({
      version: 1 as const,
      lastCompleteRunStartedAt: complete?.startedAt ?? saved.lastCompleteRunStartedAt,
      lastCompleteRunEndedAt: complete?.endedAt ?? saved.lastCompleteRunEndedAt,
      backlogCutoff: cutoff,
      lastFullRunStartedAt: complete && run.mode === 'full' ? complete.startedAt : (saved.lastFullRunStartedAt ?? null),
      lastFullRunCompanies: complete && run.mode === 'full' ? run.totals.accounts : (saved.lastFullRunCompanies ?? null),
      // (On the real clock, as the tickets' modification dates are: a run evaluated as of another day
      // would otherwise ask for changes since a day that is not the one it read them.)
      ticketsRecordedAt: complete && (run.mode === 'full' || ticketsChanged !== undefined) ? (run.clockStartedAt ?? complete.startedAt) : (saved.ticketsRecordedAt ?? null),
      followUpDueRecorded: (complete !== undefined && run.mode === 'full') || (saved.followUpDueRecorded ?? false),
      inProgress,
    });
    const next = saving.then(() => options.store.save(state));
    saving = next.catch(() => undefined);
    await next;
  };

  // A full sweep that runs to the end in one go reads the portfolio's open tickets once (by search,
  // then their company links), alongside the company pages; a run cut into time-boxed calls, or an
  // incremental one, reads the tickets of each unit's companies instead.
  const portfolioTickets = run.mode === 'full' && options.deadlineMs == null && !options.ticketsPerUnit;
  const ticketsPromise: Promise<{ byCompany: Map<string, TicketCounts>; openTickets: number; unlinked: number }> | null = portfolioTickets ? deps.crm.openTicketCounts() : null;
  ticketsPromise?.catch(() => undefined); // awaited before the first unit
  // An incremental run reads the tickets only of companies whose tickets changed since the last
  // complete run started (or were never counted): the others take the counts that run recorded.
  const ticketsSince = run.mode === 'incremental' && !portfolioTickets ? (saved.ticketsRecordedAt ?? saved.lastCompleteRunStartedAt) : null;
  const changesPromise = ticketsSince !== null && deps.crm.ticketChangesSince ? deps.crm.ticketChangesSince(ticketsSince) : null;
  changesPromise?.catch(() => undefined); // awaited before the first unit
  let ticketsChanged: ReadonlySet<string> | undefined;
  // (Set in a callback: typed so, not narrowed to null.)
  let ticketChanges = null as { tickets: number } | null;
  /** Companies read by id because their tickets changed and nothing else brought them in. */
  let ticketChangeCompanies = 0;
  let changesAsked = false;
  const knowTicketChanges = async () => {
    if (!changesPromise || changesAsked) return;
    changesAsked = true;
    try {
      const changes = await changesPromise;
      ticketsChanged = changes.companies;
      ticketChanges = { tickets: changes.tickets };
    } catch (error) {
      // Not knowing what changed, every company's tickets are read (nothing is guessed).
      deps.log.warn('ticket_changes_unreadable', { error: error instanceof Error ? error.message : String(error) });
    }
  };
  let ticketCounts: Map<string, TicketCounts> | undefined;
  let openTickets: number | null = null;
  let ticketLinksReadFor = 0;
  let ticketsLinked = 0;
  let prepass = 0;
  let prepassRan = false;
  let taskAssociations = 0;
  let tasksRead = 0;
  let historyReadFor = 0;

  // The first query's pages start coming while owners and loads are read.
  // Scores drift from when they were all computed: the last full run's start (incremental runs in
  // between read only some companies), else the last complete run's.
  const previousStart = run.mode === 'incremental' ? (saved.lastFullRunStartedAt ?? saved.lastCompleteRunStartedAt) : null;
  const evaluatedAt = run.mode === 'incremental' ? saved.lastCompleteRunStartedAt : null;
  const queries = sweepQueries(run, deps, now, saved.backlogCutoff ?? null, previousStart, saved.followUpDueRecorded ?? false, evaluatedAt);
  // An incremental run with a cutoff reads the rest of the backlog too (its last query) when the
  // day's dispatch would still give a place to work ranked below what it read (`backlogRest`).
  const rest = backlogRest(run, deps, now, saved.backlogCutoff ?? null, previousStart, evaluatedAt);
  if (rest !== null && run.backlogRest === true) queries.push(rest.query);
  const unreadBelow = (): number | null => (rest !== null && run.backlogRest !== true ? rest.probeRank : null);
  // Pages requested ahead: a unit's worth, and in a run that goes to the end two units' worth, so
  // the page chain does not stall while a unit waits (the first unit waits for the portfolio's open
  // tickets) or writes: the search budget is the floor at scale, and a stalled chain leaves it idle.
  // Each unit reads its companies' task links and value histories in its own calls, so small units
  // cost calls (about 2 per unit beyond the pooled minimum); a run that goes to the end in one go
  // takes 5,000 companies per unit (an incremental one 10,000), a time-boxed call 1,000 (a unit must
  // fit in what is left).
  const unitSize = Math.max(1, options.unitSize ?? (options.deadlineMs != null ? DEFAULT_TIMEBOXED_UNIT : run.mode === 'incremental' ? DEFAULT_INCREMENTAL_UNIT : DEFAULT_UNIT));
  const unitPages = Math.ceil(unitSize / LIMITS.searchPageSize);
  const ahead = (options.deadlineMs == null ? 2 * unitPages : unitPages) + 1;
  const firstQuery = run.query;
  // (An incremental run's first query is its modified companies, whose first page is in already.)
  const firstSource = modifiedFirst !== null && run.query === 0 ? prepend(modifiedFirst.page, modifiedFirst.rest) : run.query < queries.length ? deps.crm.iterateCompanies({ ...(queries[run.query] ?? {}), after: run.cursor }) : null;
  const firstPages = firstSource !== null ? readAheadNow(firstSource, ahead) : null;

  // The pool's open and dispatched-today task counts (the day's capacity) do not depend on the
  // units (they create no task; the dispatch does), so a run that goes to the end in one go asks
  // for them once the last page is in, while its last unit is processed (not as one more round
  // trip before the dispatch, nor taking a search place the pages need).
  const memberIds = [...new Set(deps.config.pool.members.map((m) => m.ownerId))];
  let earlyLoads: EarlyLoads | null = null;
  const readLoadsEarly = () => {
    if (options.deadlineMs != null || run.dispatch !== null || !deps.crm.ownerTaskLoads || memberIds.length === 0 || earlyLoads !== null) return;
    const day = formatIsoDay(utcDay(now));
    earlyLoads = { day, loads: deps.crm.ownerTaskLoads(memberIds, day, deps.config.pool.queueId) };
    earlyLoads.loads.catch(() => undefined); // awaited by the dispatch
  };
  const owners = await ownersPromise;
  const ownersById = new Map(owners.map((o) => [o.id, o]));
  // A resumed run continues with the assignment state it saved; a new one reads the loads (the
  // pre-pass), except a full run from the start whose first page says the whole portfolio fits in
  // its one unit: that unit holds every company the pre-pass would read, so the loads are counted
  // from it (one search and one round trip fewer, the common case below 5,000 companies).
  // (Set in callbacks: typed so, not narrowed to null.)
  let state = (run.assignment ? restoreAssignment(run.assignment, deps, owners) : null) as AssignmentState | null;
  let loading: Promise<void> | null = null;
  const startPrepass = () => {
    if (state !== null || loading !== null) return;
    loading = loadAssignmentState(deps, owners).then((loaded) => {
      state = loaded.state;
      prepass = loaded.scanned;
      prepassRan = true;
    });
    loading.catch(() => undefined); // awaited by the first unit
  };
  const mayCount = state === null && run.mode === 'full' && run.query === 0 && run.cursor === null && options.deadlineMs == null;
  let countFromUnit = false;
  // An incremental run reads every onboarding company anyway (a due query): when that query is read
  // to its end before the first unit is evaluated, the first unit holds every company the pre-pass
  // would read, and the loads are counted from it (the pre-pass's searches saved: 4 at 26,000).
  const onboardingQuery = run.mode === 'incremental' ? queries.findIndex(readsOnboarding) : -1;
  const mayCountIncremental = state === null && onboardingQuery >= 0 && run.query === 0 && run.cursor === null;
  if (state === null && !mayCount && !mayCountIncremental) {
    startPrepass();
    await loading;
  }
  /**
   * The state the next unit starts from: counted from the unit when it is the whole portfolio, or
   * the first unit of an incremental run read past its onboarding query; else the pre-pass.
   */
  const stateFor = async (accounts: readonly Account[], whole: boolean, end: { query: number }): Promise<AssignmentState> => {
    if (state === null && countFromUnit && whole && loading === null) state = assignmentStateFrom(accounts, deps, owners).state;
    if (state === null && mayCountIncremental && run.chunks === 0 && end.query > onboardingQuery && loading === null) state = assignmentStateFrom(accounts, deps, owners).state;
    if (state === null) {
      startPrepass();
      await loading;
    }
    return state as AssignmentState;
  };
  // A unit that crashed while writing: redo it from the decisions it had made.
  let crashedUnit = run.pending;
  const seen = new Set(run.seen);
  const examples: SweepReport['examples'] = [];
  // Human work is dispatched once the portfolio is ranked; the run keeps only what today's team could take.
  const retainLimit = retainLimitFor(deps, owners, now);
  const writtenNow = new Map<string, WrittenWorkload>();
  let status = 'complete' as SweepStatus; // (set in readQueries too: not narrowed)
  let message = '';

  /** Processes a unit and records where it ends (query and cursor): the resume point. */
  const processUnit = async (accounts: Account[], issues: number, issueTexts: string[], end: { query: number; cursor: string | null }, handOver?: (waiting: WaitingTask[], written: Map<string, WrittenWorkload>) => void) => {
    const redo = crashedUnit;
    crashedUnit = null;
    // Evaluated in id order, as a full sweep reads: the assignment state is threaded through the
    // unit, so when onboarding places run out the order decides who gets a CSM, and an incremental
    // run (modified companies first, then each time trigger) must decide as a full sweep would.
    if (run.mode === 'incremental') accounts.sort(byNumericId);
    // The only unit of a run that read every page (no unit before it, the pages ended).
    const startState = await stateFor(accounts, run.chunks === 0 && end.query >= queries.length, end);
    if (ticketsPromise && ticketCounts === undefined) {
      const read = await ticketsPromise;
      ticketCounts = read.byCompany;
      openTickets = read.openTickets;
      if (read.unlinked > 0) deps.log.warn('open_tickets_unlinked', { count: read.unlinked });
    }
    await knowTicketChanges();
    const result = await processAccounts(accounts, deps, redo ? restoreAssignment(redo.assignment, deps, owners) : startState, {
      dryRun: options.dryRun,
      ...(ticketCounts ? { ticketCounts } : {}),
      ...(ticketsChanged ? { ticketsChanged } : {}),
      deferHumanTasks: true,
      ...(handOver ? { handOver } : {}),
      // The only unit of the run (nothing retained from an earlier one): the dispatch creates for its companies only.
      contactsAhead: handOver !== undefined && run.chunks === 0 && run.waiting.length === 0,
      ...(redo ? { presetCsm: new Map(Object.entries(redo.chosen)) } : {}),
      beforeWrite: async (planned, chosen) => {
        run.pending = { assignment: saveAssignment(planned), chosen: Object.fromEntries(chosen) };
        await persist(run);
      },
    });
    state = redo ? restoreAssignment(redo.assignment, deps, owners) : result.state;
    run.pending = null;
    ticketLinksReadFor += result.work.ticketLinksReadFor;
    historyReadFor += result.work.historyReadFor;
    if (result.work.ticketLinksReadFor > 0) ticketsLinked += result.work.tickets;
    taskAssociations += result.work.tasksReadFor;
    tasksRead += result.work.openTasksRead;
    addTotals(run.totals, result, issues, issueTexts);
    // Twice what a day can take: the dispatch's choice, and the next day's cutoff beyond it.
    retainWaiting(run, result.waiting, 2 * retainLimit);
    // This call's view of the retained companies' ledger and backlog (companies from an earlier call are read afresh).
    for (const [id, w] of result.written) writtenNow.set(id, w);
    const keep = new Set(run.waiting.map((t) => t.accountId));
    for (const id of writtenNow.keys()) if (!keep.has(id)) writtenNow.delete(id);
    for (const p of result.processed) {
      if (examples.length >= 20) break;
      if (p.update !== null || p.evaluation.tasks.length > 0) examples.push({ id: p.account.id, name: p.account.name, properties: p.update ?? {}, tasks: p.evaluation.tasks.map((t) => withTaskTexts(t).subject) });
    }
    run.query = end.query;
    run.cursor = end.cursor;
    run.chunks++;
    run.assignment = saveAssignment(state);
    if (run.mode === 'incremental') for (const a of accounts) seen.add(a.id);
    run.seen = run.mode === 'incremental' ? [...seen] : [];
    await persist(run);
    options.onProgress?.({ done: run.totals.accounts, total: run.mode === 'full' ? expected : null, totals: run.totals });
  };

  // A unit may span queries (incremental runs), so the small queries share their batch calls.
  let unit: Account[] = [];
  let unitIds = new Set<string>();
  let unitIssues = 0;
  let unitIssueTexts: string[] = [];
  // A run that goes to the end hands the last unit's waiting work to the day's dispatch before that
  // unit writes: the dispatch chooses and creates while the unit writes, and moves the created keys
  // to the ledgers once the unit is written (see `dispatchToday`). A full unit is flushed when the
  // next page comes, so the last unit is always the one flushed after the pages end.
  const handOverLast = options.deadlineMs == null;
  // (Set in a callback: typed so, not narrowed to null.)
  let handedOver = null as Promise<WorkloadReport | null> | null;
  let fullAt: { query: number; cursor: string | null } | null = null;
  let flushing = false;
  const flush = async (end: { query: number; cursor: string | null }, last = false) => {
    fullAt = null;
    flushing = true;
    if (last && handOverLast) {
      let unitDone: () => void = () => undefined;
      let unitFailed: (e: unknown) => void = () => undefined;
      const done = new Promise<void>((resolve, reject) => {
        unitDone = resolve;
        unitFailed = reject;
      });
      done.catch(() => undefined); // the dispatch awaits it
      try {
        await processUnit(unit, unitIssues, unitIssueTexts, end, (waiting, written) => {
          const all = retained(run.waiting, waiting, 2 * retainLimit);
          handedOver = dispatchToday(deps, owners, run, options.dryRun === true, () => persist(run), retainLimit, new Map([...writtenNow, ...written]), earlyLoads, { waiting: all, unitDone: done }, unreadBelow());
          handedOver.catch(() => undefined); // awaited after the loop
        });
        unitDone();
      } catch (error) {
        unitFailed(error);
        throw error;
      }
    } else await processUnit(unit, unitIssues, unitIssueTexts, end);
    flushing = false;
    unit = [];
    unitIds = new Set();
    unitIssues = 0;
    unitIssueTexts = [];
  };
  // Full runs: what the query matched when it started, plus what earlier calls of this run did.
  let expected: number | null = null;
  const outOfTime = () => options.deadlineMs != null && clockMs() >= options.deadlineMs;
  /** Reads the queries from the run's resume point to the last, each unit processed, the last one handed to the dispatch. */
  const readQueries = async () => {
    outer: for (let q = run.query, after = run.cursor; q < queries.length; q++, after = null) {
      // The next pages are requested while this unit is evaluated and written.
      const pages = q === firstQuery && firstPages ? firstPages : readAhead(deps.crm.iterateCompanies({ ...(queries[q] ?? {}), after }), ahead);
      for await (const page of pages) {
        if (fullAt !== null) await flush(fullAt);
        if (expected === null && page.total !== null) expected = page.total + run.totals.accounts;
        if (mayCount && !countFromUnit && state === null && loading === null) {
          // Decided on the first page: the portfolio fits in one unit, or the pre-pass starts now.
          if (page.total !== null && page.total <= unitSize) countFromUnit = true;
          else startPrepass();
        }
        for (const a of page.accounts) {
          if (seen.has(a.id) || unitIds.has(a.id)) continue;
          unit.push(a);
          unitIds.add(a.id);
        }
        unitIssues += page.issues.length;
        if (unitIssueTexts.length < ISSUE_EXAMPLES_MAX) unitIssueTexts.push(...describeIssues(page.issues.slice(0, ISSUE_EXAMPLES_MAX), page.accounts));
        if (unit.length >= unitSize && handOverLast) fullAt = { query: q, cursor: page.cursor };
        else if (unit.length >= unitSize) {
          await flush({ query: q, cursor: page.cursor });
          if (outOfTime()) {
            status = 'paused';
            break outer;
          }
        }
      }
    }
    // Every page is in: the pool's loads go out now, beside the reads of companies whose tickets changed.
    if (status === 'complete') readLoadsEarly();
    if (status === 'complete' && changesPromise) {
      // A company whose tickets changed is evaluated today even when nothing else brought it in
      // (a new urgent ticket caps its band): read by id, with the last unit.
      await knowTicketChanges();
      const extra = ticketsChanged ? [...ticketsChanged].filter((id) => !seen.has(id) && !unitIds.has(id)).sort((a, b) => Number(a) - Number(b)) : [];
      if (extra.length > 0) {
        const read = await deps.crm.readCompanies(extra);
        ticketChangeCompanies = read.accounts.length;
        for (const a of read.accounts) {
          unit.push(a);
          unitIds.add(a.id);
        }
        unitIssues += read.issues.length;
        if (unitIssueTexts.length < ISSUE_EXAMPLES_MAX) unitIssueTexts.push(...describeIssues(read.issues.slice(0, ISSUE_EXAMPLES_MAX), read.accounts));
      }
    }
    if (status === 'complete' && (unit.length > 0 || unitIssues > 0)) await flush({ query: queries.length, cursor: null }, true);
  };
  try {
    await readQueries();
    if (status === 'complete' && unreadBelow() !== null) {
      const first = await (handedOver ?? dispatchToday(deps, owners, run, options.dryRun === true, () => persist(run), retainLimit, writtenNow, earlyLoads, null, unreadBelow()));
      handedOver = Promise.resolve(first);
      if (first === null && rest !== null) {
        // The work ranked at the top went away (a churned customer, a trigger no longer firing):
        // what the day can still take may be below the cutoff. Read the rest of the backlog, then
        // dispatch from everything (nothing was chosen or created yet).
        deps.log.info('backlog_rest', { below: rest.query.backlogPriorityBelow, cutoff: saved.backlogCutoff });
        run.backlogRest = true;
        queries.push(rest.query);
        handedOver = null;
        await persist(run);
        await readQueries();
      }
    }
  } catch (error) {
    // A full unit that waited for the next page when reading it failed is still processed (its
    // pages are in): unless the same limit stops it too.
    const limit = (e: unknown) => e instanceof DailyLimitError || e instanceof RateLimitError;
    if (fullAt !== null && !flushing && limit(error)) {
      try {
        await flush(fullAt);
      } catch (again) {
        if (!limit(again)) throw again;
      }
    }
    // The state store already holds the end of the last finished unit: a rerun resumes there.
    if (error instanceof DailyLimitError) {
      status = 'daily_limit';
      message = `HubSpot's daily API limit is reached: stopped cleanly after ${run.totals.accounts} companies; rerun after midnight (portal time) to continue from the saved cursor.`;
    } else if (error instanceof RateLimitError) {
      status = 'deferred';
      message = `HubSpot asked to wait ${Math.ceil((error.retryAfterMs ?? 0) / 1000)} s, longer than the time left: deferred with the saved cursor.`;
    } else {
      if (handedOver !== null) await Promise.allSettled([handedOver]);
      throw error;
    }
  }

  // A dispatch handed the last unit's work is awaited here (when that unit failed, the run is not
  // complete and the dispatch stopped before touching the run's totals: the next call reconciles).
  if (status !== 'complete' && handedOver !== null) await Promise.allSettled([handedOver]);
  const workload = status === 'complete' ? dispatched(await (handedOver ?? dispatchToday(deps, owners, run, options.dryRun === true, () => persist(run), retainLimit, writtenNow, earlyLoads))) : emptyWorkload(run);
  if (status === 'complete') cutoff = workload.cutoff;

  if (status === 'complete') {
    // +1 ms: the run's last writes may carry this very millisecond as their modification time.
    await persist(null, { startedAt: run.startedAt, endedAt: new Date(clockMs() + 1).toISOString() });
    message = `Sweep complete: ${run.totals.accounts.toLocaleString('en-US')} companies in ${run.chunks} unit${run.chunks === 1 ? '' : 's'}.`;
    if (asFull) message += ` Ran as a full sweep, not incremental: ${asFull.modified.toLocaleString('en-US')} of the ${asFull.portfolio.toLocaleString('en-US')} companies were modified since the last run (a full sweep then reads no more and leaves nothing to drift).`;
  } else if (status === 'paused') {
    message = `Paused at the time budget after ${run.totals.accounts} companies; call again to continue.`;
  }

  // A run that stopped before its only unit was evaluated: the loads of the companies it read.
  const endState = state ?? assignmentStateFrom(unit, deps, owners).state;
  const loadMap = loadsOf(endState, 'onboarding');
  const taskMap = loadsOf(endState, 'tasks');
  const loads = endState.members.map((m) => ({
    ownerId: m.ownerId,
    name: ownerName(ownersById.get(m.ownerId), m.ownerId),
    active: Boolean(ownersById.get(m.ownerId)?.active && !ownersById.get(m.ownerId)?.archived),
    today: availabilityOf(endState, m.ownerId, now),
    onboarding: loadMap.get(m.ownerId) ?? 0,
    poolTasks: taskMap.get(m.ownerId) ?? 0,
    tasksToday: workload.byOwner[m.ownerId] ?? 0,
    capacityToday: workload.capacity[m.ownerId] ?? 0,
  }));
  const activeLoads = loads.filter((l) => l.today === 'available').map((l) => l.onboarding);
  const activeTasks = loads.filter((l) => l.today === 'available').map((l) => l.tasksToday);
  const stats = statsSince(statsAtStart, deps.crm.stats());
  const work: SweepWork = {
    companies: run.totals.accounts,
    prepass,
    openTickets,
    ticketLinksRead: ticketLinksReadFor > 0 ? { companies: ticketLinksReadFor, tickets: ticketsLinked } : null,
    ticketChanges: ticketChanges === null ? null : { ...ticketChanges, companiesRead: ticketChangeCompanies },
    taskAssociations,
    tasksRead,
    writes: run.totals.updated,
    writesScoreOnly: run.totals.scoreOnly ?? 0,
    creates: run.totals.tasksCreated,
    historyRead: historyReadFor,
    prepassRan: prepassRan,
    // The dispatch rewrites the ledger of the companies whose tasks it created (after the whole
    // portfolio was ranked, so it cannot share the unit's write), reading by id those of earlier calls.
    writes2: (workload.dispatchWrites ?? 0),
    reads2: (workload.dispatchReads ?? 0),
    // The owners list, the one paged search of the pool's open tasks (capacity) when work waits (a
    // run that goes to the end reads it before knowing: without waiting work that call is surplus),
    // and the one ticket list that tells whether the portal links tickets to companies (when asked).
    // … and, for an incremental run asked for that ran as a full sweep, the page that told it so.
    single: (stats.calls.owners ?? 0) + (workload.wanted > 0 ? (stats.calls.taskSearch ?? 0) : 0) + (stats.calls.list ?? 0) + (asFull ? 1 : 0),
  };
  const floor = rateFloor(stats);
  return {
    status,
    message,
    run,
    resumed,
    ...(asFull ? { asFull } : {}),
    loads,
    fairness: activeTasks.length > 0 ? fairness(activeTasks) : null,
    onboardingFairness: activeLoads.length > 0 ? fairness(activeLoads) : null,
    stats,
    minimumCalls: honestMinimumCalls(work),
    work,
    floorSeconds: floor.seconds,
    floor,
    examples,
    workload,
  };
}

/**
 * How many waiting tasks a run keeps for the dispatch, and how deep the backlog cutoff for the next
 * incremental run reaches: what the members could take on the busiest day of the week starting
 * today (tasks per day plus the urgent allowance of those working). Today's team alone would set it
 * too shallow after a thin day (a Friday with three CSMs working, then a Monday with all of them).
 * Anything ranked below can't be created on any of those days; it waits in the company's backlog in
 * HubSpot. Every pinned (onboarding) task is kept as well.
 */
function retainLimitFor(deps: AppDeps, owners: Owner[], now: Date): number {
  const byId = new Map(owners.map((o) => [o.id, o]));
  const queue = deps.config.workload.queueTasksPerDay ?? 0;
  let most = 0;
  for (let d = 0; d < 7; d++) {
    const members = capacityToday(deps.config, byId, new Date(now.getTime() + d * MS_PER_DAY), new Map());
    const working = members.filter((m) => m.available).length;
    most = Math.max(most, members.reduce((s, m) => s + m.allowed, 0) + working * deps.config.workload.urgent.maxExtraPerCsm + queue);
  }
  return most;
}

/** Keeps the highest ranked waiting tasks (all pinned ones); the dispatch reads their companies' ledger and backlog afresh. */
function retainWaiting(run: SweepRun, add: readonly WaitingTask[], limit: number): void {
  run.waiting = retained(run.waiting, add, limit);
  run.written = {};
}

/** The waiting tasks kept: every pinned one, and the `limit` best ranked of the rest. */
function retained(kept: readonly WaitingTask[], add: readonly WaitingTask[], limit: number): WaitingTask[] {
  const all = [...kept, ...add];
  const pinned = all.filter((t) => t.pinnedOwner === true);
  const pool = all.filter((t) => t.pinnedOwner !== true).sort(dispatchOrder).slice(0, limit);
  // The units plan with deferred words: the tasks kept for the dispatch (and saved with the run) get theirs now.
  return [...pinned, ...pool].map(withTaskTexts);
}

/**
 * The top rank of what a company still has waiting after the dispatch (`backlog`, entries
 * `key@since`), null when none of it is ranked (nothing left, or only work the company's open-task
 * cap holds back, which the evaluation does not rank: the same as the sweep writes for it): from its retained tasks and the ranks its evaluation gave all of its
 * tasks (`companyRanks`), since the tasks ranked below the retained ones are not in `waiting`.
 * @example
 * backlogTop([{ accountId: '1', key: 'a', rank: 320, companyRanks: { a: 320, b: 290 } }], '1', ['b@2026-11-24']) // 290
 */
export function backlogTop(waiting: readonly Pick<WaitingTask, 'accountId' | 'key' | 'rank' | 'companyRanks'>[], accountId: string, backlog: readonly string[]): number | null {
  const left = new Set(backlog.map((e) => e.slice(0, e.lastIndexOf('@'))));
  let top: number | null = null;
  const see = (rank: number | undefined) => {
    if (rank !== undefined && (top === null || rank > top)) top = rank;
  };
  for (const t of waiting) {
    if (t.accountId !== accountId) continue;
    if (left.has(t.key)) see(t.rank);
    const ranks = t.companyRanks;
    if (ranks !== undefined) for (const k in ranks) if (left.has(k)) see(ranks[k]);
  }
  return top;
}

/** The dispatch's report (only a dispatch asked whether to read more first answers null, and it is asked before this). */
function dispatched(report: WorkloadReport | null): WorkloadReport {
  if (report === null) throw new Error('The day’s dispatch was deferred to read the rest of the backlog, and the run ended without it.');
  return report;
}

function emptyWorkload(run: SweepRun): WorkloadReport {
  const t = run.totals;
  return {
    wanted: t.tasksPlanned,
    created: 0,
    byOwner: {},
    capacity: {},
    urgentOverCapacity: 0,
    backlog: { count: t.backlogCount ?? 0, oldestDays: null },
    digital: { created: Object.values(t.digitalByType ?? {}).reduce((a, b) => a + b, 0), byType: t.digitalByType ?? {} },
    noLongerNeeded: t.noLongerNeeded ?? 0,
    failed: 0,
    cutoff: null,
  };
}

/** The pool's task loads read before the dispatch (while the last unit is processed), for the day they count. */
type EarlyLoads = { day: string; loads: Promise<{ open: Map<string, number>; dispatchedOn: Map<string, number> }> };

/**
 * Today's dispatch: the waiting human work of the whole run, highest priority first, within the
 * capacity of the CSMs working today; creates the tasks, then moves their keys from each company's
 * backlog to its ledger (a crash in between is reconciled by the next run's task read).
 *
 * `handOver`: the run's last unit is still writing. The dispatch takes `waiting` (the run's waiting
 * work with that unit's), chooses, saves its choice and creates (as always, the choice is saved
 * before any create: a crash from there on is reconciled by reading which tasks exist), then waits
 * for `unitDone` before it touches the run's totals or writes a ledger (its write of a company of
 * that unit must come after the unit's own).
 */
async function dispatchToday(
  deps: AppDeps,
  owners: Owner[],
  run: SweepRun,
  dryRun: boolean,
  save: () => Promise<void>,
  retainLimit: number,
  writtenNow: ReadonlyMap<string, WrittenWorkload>,
  early: EarlyLoads | null = null,
  handOver: { waiting: WaitingTask[]; unitDone: Promise<void> } | null = null,
  /** Work below this rank was not read: null (nothing chosen, nothing created) when the day would still give it a place. */
  unreadBelow: number | null = null,
): Promise<WorkloadReport | null> {
  const now = deps.now();
  const waiting: WaitingTask[] = handOver?.waiting ?? run.waiting;
  const written = new Map<string, WrittenWorkload>([...Object.entries(run.written), ...writtenNow]);
  const ownerMap = new Map(owners.map((o) => [o.id, o]));
  const memberIds = [...new Set(deps.config.pool.members.map((m) => m.ownerId))];
  const todayIso = formatIsoDay(utcDay(now));
  // Loads read early for another day (a run that crossed midnight UTC) do not count today's work.
  const earlyLoads = early !== null && early.day === todayIso ? early.loads : null;
  const report = emptyWorkload(run);
  let assigned: PlannedTask[];
  let reconcile = false;
  if (run.dispatch !== null) {
    // A crash after the dispatch was chosen: finish it, reading first which tasks exist.
    assigned = run.dispatch.assigned;
    reconcile = true;
    for (const m of capacityToday(deps.config, ownerMap, now, new Map())) report.capacity[m.ownerId] = m.allowed;
  } else {
    const loads =
      deps.crm.ownerTaskLoads && memberIds.length > 0 && (waiting.length > 0 || earlyLoads !== null)
        ? await (earlyLoads ?? deps.crm.ownerTaskLoads(memberIds, todayIso, deps.config.pool.queueId))
        : { open: new Map<string, number>(), dispatchedOn: new Map<string, number>() };
    const members = capacityToday(deps.config, ownerMap, now, loads.open, loads.dispatchedOn);
    const queueId = deps.config.pool.queueId;
    const queueGiven = queueId === null ? 0 : (loads.dispatchedOn.get(`queue:${queueId}`) ?? 0);
    // Room left for work the run did not read: it reads that work first (the caller), then dispatches.
    if (unreadBelow !== null && dispatchReaches(waiting, members, deps.config, now, queueGiven, unreadBelow)) return null;
    const plan = dispatchDay(waiting, members, deps.config, now, queueGiven);
    assigned = plan.assigned;
    report.capacity = plan.capacity;
    report.urgentOverCapacity = plan.urgentOverCapacity;
    if (!dryRun && assigned.length > 0) {
      run.dispatch = { assigned };
      await save();
    }
  }
  let createdKeys: { key: string; accountId: string }[] = [];
  let reconciledNow = 0;
  // The creates of a dispatch chosen now go out with the ledger move (below) in flight beside them,
  // each company's keys written as if its tasks were created: one round trip fewer at the end of
  // every run that creates. A create that fails is written back after both answers (its key to
  // the backlog again, out of the ledger); a crash in between leaves the dispatch saved, and the
  // next run reads which tasks exist, creates the rest and writes again. Finishing a crashed
  // dispatch creates first and writes after, as it reads what exists.
  let creating: Promise<BatchResult<CreatedTask>> | null = null;
  let toCreate: PlannedTask[] = [];
  if (dryRun) {
    createdKeys = assigned;
  } else if (assigned.length > 0) {
    toCreate = assigned;
    if (reconcile) {
      const existing = await deps.crm.openCsTasks([...new Set(assigned.map((t) => t.accountId))]);
      const found = new Set<string>();
      for (const list of existing.values()) for (const t of list) if (t.key !== null) found.add(t.key);
      createdKeys = assigned.filter((t) => found.has(t.key));
      reconciledNow = createdKeys.length;
      toCreate = assigned.filter((t) => !found.has(t.key));
    }
    if (toCreate.length > 0) {
      creating = deps.crm.createTasks(toCreate);
      if (reconcile) {
        const res = await creating;
        creating = null;
        createdKeys = [...createdKeys, ...res.ok];
        report.failed = res.failed.length;
      } else creating.catch(() => undefined); // awaited below, whatever happens first
    }
  }
  // Nothing is left on its way when this call fails (a later run must not race it).
  const settleCreates = async () => {
    if (creating !== null) await creating.catch(() => undefined);
  };
  if (handOver !== null) {
    // From here on the run's totals and the companies' ledgers: after the last unit is written.
    await handOver.unitDone.catch(async (e: unknown) => {
      await settleCreates();
      throw e;
    });
    const totals = emptyWorkload(run);
    report.wanted = totals.wanted;
    report.backlog = totals.backlog;
    report.digital = totals.digital;
    report.noLongerNeeded = totals.noLongerNeeded;
  }
  const firingOf = new Map<string, NonNullable<WaitingTask['firing']>>();
  for (const t of [...waiting, ...assigned]) if ((t as WaitingTask).firing !== undefined) firingOf.set(t.accountId, (t as WaitingTask).firing ?? []);
  // Who took each task: the ledger names them (the company's next step goes to them when they work).
  const takenBy = new Map(assigned.map((t) => [t.key, t.ownerId]));
  const playOf = new Map(assigned.map((t) => [t.key, t.playbook]));
  const today = new Date(now.getTime()).toISOString().slice(0, 10);
  // The companies' ledger and backlog as this call's units wrote them; companies written by an
  // earlier call (a resumed or chunked run) are read as HubSpot holds them now (batch read by id:
  // no search lag).
  const current = new Map<string, WrittenWorkload>();
  const expected = creating !== null ? [...createdKeys, ...toCreate] : createdKeys;
  const missing = [...new Set(expected.map((c) => c.accountId))].filter((id) => !written.has(id));
  if (!dryRun && missing.length > 0) {
    const read = await deps.crm.readCompanies(missing).catch(async (e: unknown) => {
      await settleCreates();
      throw e;
    });
    report.dispatchReads = missing.length;
    for (const a of read.accounts) current.set(a.id, { ledger: a.playbookLedger, backlog: a.playbookBacklog ?? [], riskCapEnds: a.riskCapEnds ?? null, cooldownEnds: a.cooldownEnds ?? null });
  }
  /** The ledger move of `companies` (default: those with a key in `keys`): `keys` from backlog to ledger. */
  const moves = (keys: readonly { key: string; accountId: string }[], companies?: ReadonlySet<string>) => {
    const byCompany = new Map<string, string[]>();
    for (const id of companies ?? []) byCompany.set(id, []);
    for (const c of keys) {
      if (companies !== undefined && !companies.has(c.accountId)) continue;
      const list = byCompany.get(c.accountId);
      if (list) list.push(c.key);
      else byCompany.set(c.accountId, [c.key]);
    }
    const updates: { id: string; properties: Record<string, string> }[] = [];
    for (const [id, ks] of byCompany) {
      const w = written.get(id) ?? current.get(id);
      if (!w) continue;
      const backlog = w.backlog.filter((e) => !ks.includes(e.slice(0, e.lastIndexOf('@'))));
      const oldest = parseBacklog(backlog, today).reduce<string | null>((m, e) => (m === null || e.since < m ? e.since : m), null);
      const ledger = appendLedger(w.ledger, ks, now, deps.config.playbooks.ledgerMaxEntries, takenBy);
      updates.push({
        id,
        properties: deps.crm.workloadChanges({
          ledger,
          // A risk task created now holds the band for its days: the day that ends is recorded too.
          riskCapEnds: { current: w.riskCapEnds, next: riskCapEndsOf(ledger, deps.config, now) },
          // A play created now waits for its cooldown: the day one of the plays that fired may come
          // again, by the ledger as written now (a state saved by the previous version: from what was created).
          cooldownEnds: {
            current: w.cooldownEnds,
            next: isoDayOrNull(firingOf.has(id) ? cooldownEndsOf(ledger, firingOf.get(id) ?? [], utcDay(now)) : cooldownEndsAfterCreating(w.cooldownEnds === null ? null : parseIsoDay(w.cooldownEnds), ks.map((k) => playOf.get(k) ?? ''), deps.config, utcDay(now))),
          },
          backlog: { next: backlog, oldestSince: oldest, topPriority: backlogTop(waiting, id, backlog) },
        }),
      });
    }
    return updates;
  };
  const warnFailed = (res: BatchResult<string>) => {
    if (res.failed.length > 0) deps.log.warn('dispatch_update_failures', { count: res.failed.length, ids: res.failed.slice(0, 20).map((f) => f.id) });
  };
  const first = dryRun ? [] : moves(expected);
  if (first.length > 0) report.dispatchWrites = first.length;
  const writing = first.length > 0 ? deps.crm.updateCompanies(first) : null;
  if (creating === null) {
    if (writing !== null) warnFailed(await writing);
  } else {
    const [made, moved] = await Promise.allSettled([creating, writing ?? Promise.resolve(null)]);
    if (made.status === 'rejected') throw made.reason;
    if (moved.status === 'rejected') throw moved.reason;
    if (moved.value !== null) warnFailed(moved.value);
    createdKeys = [...createdKeys, ...made.value.ok];
    report.failed = made.value.failed.length;
    const createdNow = new Set(createdKeys.map((c) => c.key));
    // The companies of a create that failed: written again with the keys of the tasks that exist.
    const again = new Set(toCreate.filter((t) => !createdNow.has(t.key)).map((t) => t.accountId));
    if (again.size > 0) {
      const fixes = moves(createdKeys, again);
      report.dispatchWrites = (report.dispatchWrites ?? 0) + fixes.length;
      if (fixes.length > 0) warnFailed(await deps.crm.updateCompanies(fixes));
    }
  }
  const created = new Set(createdKeys.map((c) => c.key));
  for (const t of assigned) {
    if (!created.has(t.key)) continue;
    const k = t.ownerId ?? `queue:${t.queueId ?? ''}`;
    report.byOwner[k] = (report.byOwner[k] ?? 0) + 1;
  }
  report.created = created.size;
  run.totals.reconciled += reconciledNow;
  run.totals.tasksCreated += created.size;
  for (const t of assigned) if (created.has(t.key)) run.totals.tasksByPlaybook[t.playbook] = (run.totals.tasksByPlaybook[t.playbook] ?? 0) + 1;
  run.dispatch = null;
  // Tomorrow's incremental run re-reads the backlog companies ranked near the top: the K best of
  // what is left (K = what a day can take), all of them when fewer are left.
  const left = waiting.filter((t) => !created.has(t.key) && t.pinnedOwner !== true).sort(dispatchOrder);
  report.cutoff = left.length >= retainLimit && retainLimit > 0 ? (left[retainLimit - 1]?.rank ?? null) : null;
  run.waiting = [];
  run.written = {};
  // What still waits: the units' backlog less what was created now (each created key was waiting).
  const bySince = { ...(run.totals.backlogBySince ?? {}) };
  let count = run.totals.backlogCount ?? 0;
  for (const t of assigned) {
    if (!created.has(t.key)) continue;
    const since = t.waitingSince ?? today;
    if ((bySince[since] ?? 0) > 0) {
      bySince[since] = (bySince[since] ?? 0) - 1;
      count--;
    }
  }
  const oldest = Object.keys(bySince)
    .filter((d) => (bySince[d] ?? 0) > 0)
    .sort()[0];
  report.backlog = { count, oldestDays: oldest === undefined ? null : Math.round((Date.parse(today) - Date.parse(oldest)) / MS_PER_DAY) };
  return report;
}
