/**
 * One call per account: segment → health → lifecycle → onboarding CSM → playbooks → the next
 * written state. This is what the sweep, the workflow actions and the card functions use.
 */
import * as assignmentModule from './assignment';
import type { AssignmentState } from './assignment';
import type { Config } from './config';
import * as datesModule from './dates';
import * as healthModule from './health';
import type { HealthResult, HealthTrend } from './health';
import * as lifecycleModule from './lifecycle';
import type { LifecycleResult } from './lifecycle';
import * as playbooksModule from './playbooks';
import type { FiringPlay, PlaybookPlan } from './playbooks';
import * as riskCapModule from './risk-cap';
import * as segmentModule from './segment';
import type { SegmentResult } from './segment';
import type { Account, HistoryPoint, PlannedTask, StoredTicketCounts, WrittenState } from './types';

// Bound once: under tsx (CommonJS output) each call through a named import goes through a getter,
// which showed in the profile of the per-account hot path.
const { assignOnboardingCsm, assignPoolTask } = assignmentModule;
const { formatIsoDay, parseIsoDay, utcDay } = datesModule;
const { computeHealth, healthDropDueDay, historyStaleDueDay, healthDropHeadroom, healthTrend, nextHealthDrop, nextHealthPeak, withCap } = healthModule;
const { lifecycleOf } = lifecycleModule;
const { appendLedger, planPlaybooks } = playbooksModule;
type PlanInput = Parameters<typeof planPlaybooks>[0];
const { computeSegment } = segmentModule;
const { newestRiskTask, riskTaskCaps } = riskCapModule;
/** Nothing planned yet (the ledger's risk tasks only). */
const NO_TASKS: readonly PlannedTask[] = Object.freeze([]);

export interface EvaluateContext {
  config: Config;
  configVersion: string;
  now: Date;
  assignment: AssignmentState;
  /** Score history (optional): enables the trend-based health drop. */
  history?: HistoryPoint[] | null;
  /** `deferred`: planned tasks and touches come without their words until `withTaskTexts` / `withTouchTexts` (the sweep: most tasks wait in the backlog). Default: built now. */
  texts?: 'now' | 'deferred';
}

export type AssignmentOutcome =
  | { ok: true; ownerId: string; reason: string; kept: boolean; needsReassignment: false }
  | { ok: false; reason: string; needsReassignment: boolean };

export interface AccountEvaluation {
  segment: SegmentResult;
  health: HealthResult;
  lifecycle: LifecycleResult;
  /** Onboarding CSM assignment while onboarding; null otherwise. */
  assignment: AssignmentOutcome | null;
  trend: HealthTrend | null;
  tasks: PlannedTask[];
  /** At most one digital touch (written to cs_digital_touch by the adapter). */
  touches: PlaybookPlan['touches'];
  skipped: PlaybookPlan['skipped'];
  /** The plays with a cooldown that fire now (`PlaybookPlan.firing`): with the ledger written, `cooldownEndsOf`. */
  firing: readonly FiringPlay[];
  /** The full next written state. The ledger includes every planned key: if a create fails, write `appendLedger(account.playbookLedger, createdKeys, now, max)` instead. */
  next: WrittenState;
  /** Assignment state after this account (loads updated). */
  state: AssignmentState;
}

const POOL_PLACEHOLDER = '\u0000pool';
/** The pool's placeholder owner (read only by planning; shared by every evaluation). */
const POOL_OWNER: PlanInput['owner'] = { ownerId: POOL_PLACEHOLDER };

/** The keys of the planned tasks, then of the touches (the ledger's order). */
function plannedKeys(tasks: readonly PlannedTask[], touches: PlaybookPlan['touches']): string[] {
  const keys: string[] = [];
  for (const t of tasks) keys.push(t.key);
  for (const t of touches) keys.push(t.key);
  return keys;
}

/** `now.toISOString()`, remembered for the last instant (a sweep evaluates every account at one `now`). */
let lastInstantMs = Number.NaN;
let lastInstantText = '';
function isoInstant(now: Date): string {
  const ms = now.getTime();
  if (ms !== lastInstantMs) {
    lastInstantText = now.toISOString();
    lastInstantMs = ms;
  }
  return lastInstantText;
}

/**
 * Evaluates one account.
 * @example
 * let state = createAssignmentState({ members: config.pool.members, owners, loads });
 * for (const account of accounts) {
 *   const ev = evaluateAccount(account, { config, configVersion: configVersion(config), now, assignment: state });
 *   state = ev.state;
 *   // write ev.next (diffed), create ev.tasks
 * }
 */
export function evaluateAccount(account: Account, ctx: EvaluateContext): AccountEvaluation {
  const { config, now } = ctx;
  let state = ctx.assignment;
  const segment = computeSegment(account, config, now);
  const riskTask = newestRiskTask(account.playbookLedger, config, now);
  let health = computeHealth(account, segment.segment, config, now, riskTaskCaps(account.playbookLedger, NO_TASKS, config, now, riskTask));
  const trend = ctx.history ? healthTrend(ctx.history, now, config) : null;
  let lifecycle = lifecycleOf(account, account.onboardingCsmId, config, now, health.score);

  let assignment: AssignmentOutcome | null = null;
  let csmId = account.onboardingCsmId;
  if (lifecycle.stage === 'onboarding' || lifecycle.stage === 'onboarding_overdue') {
    const r = assignOnboardingCsm(account, state, config, now);
    if (r.ok) {
      assignment = { ok: true, ownerId: r.ownerId, reason: r.reason, kept: r.kept, needsReassignment: false };
      if (!r.kept) {
        csmId = r.ownerId;
        lifecycle = lifecycleOf(account, csmId, config, now, health.score);
        // An overdue onboarding whose only missing exit criterion was the CSM graduates at once:
        // it keeps the CSM on record but takes no place in the CSM's concurrent onboardings.
        if (lifecycle.stage === 'onboarding' || lifecycle.stage === 'onboarding_overdue') state = r.state;
      }
    } else {
      state = r.state;
      assignment = { ok: false, reason: r.reason, needsReassignment: r.needsReassignment };
    }
  }

  // Onboarding work goes to the onboarding CSM (when usable); everything else to the pool.
  const onboarding = lifecycle.stage === 'onboarding' || lifecycle.stage === 'onboarding_overdue';
  const csmUsable = assignment !== null && assignment.ok;
  const input: PlanInput = {
    account,
    segment,
    health,
    lifecycle,
    previous: { healthScore: account.healthScore, healthBand: account.healthBand },
    trend,
    owner: onboarding && csmUsable && csmId !== null ? { ownerId: csmId } : POOL_OWNER,
    config,
    now,
    texts: ctx.texts ?? 'now',
  };
  let plan = planPlaybooks(input);
  // A risk task planned now caps the band too (never a green card beside a red task); plan again
  // with the capped band so band-dependent plays (expansion) agree with it.
  if (health.band === 'healthy' && plan.tasks.length > 0) {
    const cap = riskTaskCaps(account.playbookLedger, plan.tasks, config, now, riskTask)[0];
    if (cap !== undefined) {
      health = withCap(health, cap);
      input.health = health;
      plan = planPlaybooks(input);
    }
  }
  let tasks = plan.tasks;
  const skipped = plan.skipped;
  const touches = plan.touches;
  if (tasks.length > 0 && tasks[0]?.ownerId !== POOL_PLACEHOLDER) for (const t of tasks) t.pinnedOwner = true;
  if (tasks.length > 0 && tasks[0]?.ownerId === POOL_PLACEHOLDER) {
    const target = assignPoolTask(state, config, now);
    state = target.state;
    // The planned tasks are fresh objects of this call: set their owner in place.
    if (target.queueId !== null) {
      for (const t of tasks) {
        t.ownerId = null;
        t.queueId = target.queueId;
      }
    } else if (target.ownerId !== null) {
      for (const t of tasks) {
        t.ownerId = target.ownerId;
        t.queueId = null;
      }
    } else {
      for (const t of tasks) skipped.push({ key: t.key, reason: 'no_owner' });
      tasks = [];
    }
  }

  const next: WrittenState = {
    segment: segment.segment,
    segmentReason: segment.reason,
    segmentOverride: segment.override !== null && segment.override.expired ? null : account.segmentOverride,
    healthScore: health.score,
    healthBand: health.band,
    healthCoverage: health.coverage,
    healthSummary: health.summary,
    healthComputedAt: isoInstant(now),
    lifecycleStage: lifecycle.stage,
    onboardingCsmId: csmId,
    onboardingStartDate: lifecycle.startDate,
    graduationDate: lifecycle.graduationDate,
    graduatedAt: lifecycle.graduatedAt,
    // An automatic graduation records why (on time, late, before the app was installed).
    lifecycleReason: lifecycle.graduateNow ? lifecycle.reason : account.lifecycleReason,
    configVersion: ctx.configVersion,
    playbookLedger: tasks.length === 0 && touches.length === 0 ? account.playbookLedger : appendLedger(account.playbookLedger, plannedKeys(tasks, touches), now, config.playbooks.ledgerMaxEntries),
    ticketCounts: ticketCountsOf(account),
  };

  const known = health.band === 'unknown' ? null : health.score;
  const today = utcDay(now);
  const peakDays = config.health.trendCompareDays;
  const drop = nextHealthDrop(account.healthScore, account.healthDrop, known, today, config.playbooks.rules.health_drop, account.healthPeak, peakDays);
  if (drop !== undefined) next.healthDrop = drop;
  const peak = nextHealthPeak(account.healthPeak, known, today, peakDays);
  if (peak !== undefined) {
    next.healthPeak = peak;
    next.healthDropHeadroom = healthDropHeadroom(peak, known, today, config.playbooks.rules.health_drop.points, peakDays);
    const peakOn = peak === null ? null : parseIsoDay(peak.on);
    const due = peakOn === null ? null : healthDropDueDay(next.healthDropHeadroom, health.clockRate ?? 0, today, peakOn, peakDays);
    next.healthDropDue = due === null ? null : formatIsoDay(due);
  }

  const staleDue = historyStaleDueDay(account, config, now.getTime());
  if (staleDue !== null || account.healthStaleDue !== undefined) next.healthStaleDue = staleDue === null ? null : formatIsoDay(staleDue);

  return { segment, health, lifecycle, assignment, trend, tasks, touches, skipped, firing: plan.firing ?? [], next, state };
}

/**
 * The ticket counts to record: what this evaluation counted, else what was recorded before (an
 * evaluation that did not read tickets leaves the record as it is).
 *
 * @example
 * ticketCountsOf({ ...account, openTickets: 2, highPriorityTickets: 1, urgentTickets: 0 }) // { open: 2, highPriority: 1, urgent: 0 }
 */
export function ticketCountsOf(account: Account): StoredTicketCounts | null {
  const stored = account.ticketCounts ?? null;
  if (account.openTickets === null) return stored;
  const highPriority = account.highPriorityTickets ?? 0;
  const urgent = account.urgentTickets ?? 0;
  // The record itself when nothing moved (no object per account in the hot loop).
  if (stored !== null && stored.open === account.openTickets && stored.highPriority === highPriority && stored.urgent === urgent) return stored;
  return { open: account.openTickets, highPriority, urgent };
}
