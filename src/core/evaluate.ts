/**
 * One call per account: segment → health → lifecycle → onboarding CSM → playbooks → the next
 * written state. This is what the sweep, the workflow actions and the card functions use.
 */
import { assignOnboardingCsm, assignPoolTask, type AssignmentState } from './assignment';
import type { Config } from './config';
import { computeHealth, healthTrend, type HealthResult, type HealthTrend } from './health';
import { computeLifecycle, type LifecycleResult } from './lifecycle';
import { appendLedger, planPlaybooks, type PlaybookPlan } from './playbooks';
import { computeSegment, type SegmentResult } from './segment';
import type { Account, HistoryPoint, PlannedTask, WrittenState } from './types';

export interface EvaluateContext {
  config: Config;
  configVersion: string;
  now: Date;
  assignment: AssignmentState;
  /** Score history (optional): enables the trend-based health drop. */
  history?: HistoryPoint[] | null;
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
  skipped: PlaybookPlan['skipped'];
  /** The full next written state. The ledger includes every planned key: if a create fails, write `appendLedger(account.playbookLedger, createdKeys, now, max)` instead. */
  next: WrittenState;
  /** Assignment state after this account (loads updated). */
  state: AssignmentState;
}

const POOL_PLACEHOLDER = '\u0000pool';

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
  const health = computeHealth(account, segment.segment, config, now);
  const trend = ctx.history ? healthTrend(ctx.history, now, config) : null;
  let lifecycle = computeLifecycle(account, config, now, health.score);

  let assignment: AssignmentOutcome | null = null;
  let csmId = account.onboardingCsmId;
  if (lifecycle.stage === 'onboarding' || lifecycle.stage === 'onboarding_overdue') {
    const r = assignOnboardingCsm(account, state, config, now);
    if (r.ok) {
      assignment = { ok: true, ownerId: r.ownerId, reason: r.reason, kept: r.kept, needsReassignment: false };
      if (!r.kept) {
        csmId = r.ownerId;
        lifecycle = computeLifecycle({ ...account, onboardingCsmId: csmId }, config, now, health.score);
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
  const plan = planPlaybooks({
    account,
    segment,
    health,
    lifecycle,
    previous: { healthScore: account.healthScore, healthBand: account.healthBand },
    trend,
    owner: onboarding && csmUsable && csmId !== null ? { ownerId: csmId } : { ownerId: POOL_PLACEHOLDER },
    config,
    now,
  });
  let tasks = plan.tasks;
  const skipped = plan.skipped;
  if (tasks.length > 0 && tasks[0]?.ownerId === POOL_PLACEHOLDER) {
    const target = assignPoolTask(state, config, now);
    state = target.state;
    if (target.queueId !== null) tasks = tasks.map((t) => ({ ...t, ownerId: null, queueId: target.queueId }));
    else if (target.ownerId !== null) tasks = tasks.map((t) => ({ ...t, ownerId: target.ownerId, queueId: null }));
    else {
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
    healthComputedAt: now.toISOString(),
    lifecycleStage: lifecycle.stage,
    onboardingCsmId: csmId,
    onboardingStartDate: lifecycle.startDate,
    graduationDate: lifecycle.graduationDate,
    graduatedAt: lifecycle.graduatedAt,
    configVersion: ctx.configVersion,
    playbookLedger:
      tasks.length === 0 ? account.playbookLedger : appendLedger(account.playbookLedger, tasks.map((t) => t.key), now, config.playbooks.ledgerMaxEntries),
  };

  return { segment, health, lifecycle, assignment, trend, tasks, skipped, next, state };
}
