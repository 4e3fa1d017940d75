/**
 * Onboarding lifecycle: start, graduation date (start + 90 days unless extended), day N of 90,
 * exit criteria, overdue, graduation (early by hand, on time, late). All in UTC calendar days.
 *
 * Day numbering: the start date is **day 1**; with 90 onboarding days the last onboarding day is
 * start + 89 ("day 90 of 90") and the graduation date is start + 90. On the graduation date the
 * account graduates if its exit criteria are met, otherwise it becomes `onboarding_overdue`.
 * The onboarding playbook schedule uses 0-based offsets (Day 0 = the start date).
 */
import type { Config, ExitCriterionId } from './config';
import * as dates from './dates';
import type { Account, IsoDate, LifecycleStage, WrittenState } from './types';

// Bound once: under tsx (CommonJS output) each call through a named import goes through a getter,
// which showed in the profile of the per-account hot path.
const { formatIsoDay, parseIsoDay, utcDay } = dates;

export interface ExitCriterion {
  id: ExitCriterionId;
  label: string;
  met: boolean;
}

export interface LifecycleResult {
  stage: LifecycleStage;
  startDate: IsoDate | null;
  graduationDate: IsoDate | null;
  graduatedAt: IsoDate | null;
  /** Day N (1-based, start date = day 1) while onboarding or overdue; null otherwise. */
  day: number | null;
  /** Onboarding length in days (start → graduation date, includes extensions). */
  totalDays: number;
  exitCriteria: ExitCriterion[];
  /** Days past the graduation date while still onboarding (0 on the graduation date itself). */
  overdueDays: number | null;
  /** True when this evaluation graduates the account (write `graduatedAt`: today, or the graduation date for an account first seen after it). */
  graduateNow: boolean;
  /** Still onboarding, before the graduation date, with every exit criterion met: ready to graduate (early, by hand, or on the date). */
  readyToGraduate: boolean;
  reason: string;
}

const CRITERIA_LABELS: Record<ExitCriterionId, string> = {
  csm_assigned: 'Onboarding CSM assigned',
  seat_adoption: 'Seat adoption reached',
  recent_login: 'Logged in recently',
  health_ok: 'Health not at risk',
};

/**
 * Exit criteria of onboarding for an account. Unknown data never meets a criterion.
 * @example
 * exitCriteria(makeAccount({ onboardingCsmId: '7' }), defaultConfig(), now)[0] // { id: 'csm_assigned', met: true, ... }
 */
export function exitCriteria(account: Account, config: Config, now: Date, healthScore: number | null = account.healthScore): ExitCriterion[] {
  return criteriaOf(account, account.onboardingCsmId, config, utcDay(now), healthScore);
}

function criteriaOf(account: Account, csmId: string | null, config: Config, today: number, healthScore: number | null): ExitCriterion[] {
  const lc = config.lifecycle;
  const ids = lc.exitCriteria;
  let mask = 0;
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k] as ExitCriterionId;
    let met: boolean;
    if (id === 'csm_assigned') met = csmId !== null;
    else if (id === 'seat_adoption') {
      const lic = account.licensedSeats;
      const act = account.activeUsers;
      met = lic !== null && act !== null && Number.isFinite(lic) && Number.isFinite(act) && lic > 0 && act >= 0 && act / lic >= lc.exitSeatUtilisation;
    } else if (id === 'recent_login') {
      const d = parseIsoDay(account.lastLoginDate);
      met = d !== null && today - d <= lc.exitLoginDays;
    } else {
      met = healthScore !== null && Number.isFinite(healthScore) && healthScore >= lc.exitHealthScore;
    }
    if (met) mask |= 1 << k;
  }
  return criteriaFor(lc, mask);
}

/**
 * The exit criteria with the met flags of `mask` (bit k = criterion k). Each combination is built
 * once for the configuration last used and shared, frozen, by every account with it: no objects
 * per account. The memo is keyed by the values the texts use, so a changed config is never read stale.
 */
let memoIds: readonly ExitCriterionId[] = [];
let memoSeat = Number.NaN;
let memoLogin = Number.NaN;
let memoHealth = Number.NaN;
let memoLabels: Record<ExitCriterionId, string> | null = null;
let memoByMask: (ExitCriterion[] | undefined)[] = [];

function criteriaFor(lc: Config['lifecycle'], mask: number): ExitCriterion[] {
  const ids = lc.exitCriteria;
  let same = memoLabels !== null && ids.length === memoIds.length && lc.exitSeatUtilisation === memoSeat && lc.exitLoginDays === memoLogin && lc.exitHealthScore === memoHealth;
  for (let k = 0; same && k < ids.length; k++) if (ids[k] !== memoIds[k]) same = false;
  if (!same) {
    memoIds = ids.slice();
    memoSeat = lc.exitSeatUtilisation;
    memoLogin = lc.exitLoginDays;
    memoHealth = lc.exitHealthScore;
    memoLabels = criteriaLabels(lc);
    memoByMask = [];
  }
  const labels = memoLabels as Record<ExitCriterionId, string>;
  // More than 16 criteria (duplicates in the config) would make the table large: build them per call.
  if (ids.length > 16) return ids.map((id, k) => ({ id, label: labels[id], met: (mask & (1 << k)) !== 0 }));
  const hit = memoByMask[mask];
  if (hit !== undefined) return hit;
  const made = Object.freeze(ids.map((id, k) => Object.freeze({ id, label: labels[id], met: (mask & (1 << k)) !== 0 }))) as ExitCriterion[];
  memoByMask[mask] = made;
  return made;
}

function criteriaLabels(lc: Config['lifecycle']): Record<ExitCriterionId, string> {
  return {
    csm_assigned: CRITERIA_LABELS.csm_assigned,
    seat_adoption: `${CRITERIA_LABELS.seat_adoption} (≥ ${Math.round(lc.exitSeatUtilisation * 100)}% of seats)`,
    recent_login: `${CRITERIA_LABELS.recent_login} (within ${lc.exitLoginDays} days)`,
    health_ok: `${CRITERIA_LABELS.health_ok} (score ≥ ${lc.exitHealthScore})`,
  };
}

/**
 * The onboarding start day: the stored start, else the contract start.
 */
function startDayOf(account: Account): number | null {
  return parseIsoDay(account.onboardingStartDate) ?? parseIsoDay(account.contractStartDate);
}

/** The graduation day: start + onboardingDays, or the stored date when it was extended beyond it. */
function graduationDayOf(account: Account, start: number, config: Config): number {
  const planned = start + config.lifecycle.onboardingDays;
  const stored = parseIsoDay(account.graduationDate);
  return stored !== null && stored > planned ? stored : planned;
}

/**
 * Computes the lifecycle stage and its explanation. `healthScore` (this run's score) feeds the
 * `health_ok` exit criterion; it defaults to the stored score.
 *
 * @example
 * computeLifecycle(makeAccount({ contractStartDate: '2026-01-01' }), defaultConfig(), new Date('2026-03-31T10:00:00Z'))
 * // { stage: 'onboarding', day: 90, totalDays: 90, graduationDate: '2026-04-01', ... }
 */
export function computeLifecycle(account: Account, config: Config, now: Date, healthScore: number | null = account.healthScore): LifecycleResult {
  return lifecycleOf(account, account.onboardingCsmId, config, now, healthScore);
}

function lifecycleResult(
  stage: LifecycleStage,
  startDay: number | null,
  gradDay: number | null,
  graduatedAt: IsoDate | null,
  day: number | null,
  totalDays: number,
  criteria: ExitCriterion[],
  overdueDays: number | null,
  graduate: boolean,
  reason: string,
): LifecycleResult {
  return {
    stage,
    startDate: startDay === null ? null : formatIsoDay(startDay),
    graduationDate: gradDay === null ? null : formatIsoDay(gradDay),
    graduatedAt,
    day,
    totalDays,
    exitCriteria: criteria,
    overdueDays,
    graduateNow: graduate,
    readyToGraduate: false,
    reason,
  };
}

/**
 * `computeLifecycle` with the onboarding CSM given apart from the account (the evaluation assigns
 * one without copying the account). Internal to the core.
 */
export function lifecycleOf(account: Account, csmId: string | null, config: Config, now: Date, healthScore: number | null): LifecycleResult {
  const today = utcDay(now);
  const total = config.lifecycle.onboardingDays;
  const criteria = criteriaOf(account, csmId, config, today, healthScore);
  const start = startDayOf(account);
  const graduatedAtDay = parseIsoDay(account.graduatedAt);

  if (graduatedAtDay !== null) {
    const grad = start === null ? parseIsoDay(account.graduationDate) : graduationDayOf(account, start, config);
    let when = '';
    if (grad !== null) when = graduatedAtDay < grad ? ` (early, ${grad - graduatedAtDay} days before ${formatIsoDay(grad)})` : graduatedAtDay > grad ? ` (late by ${graduatedAtDay - grad} days)` : ' (on time)';
    const totalDays = start !== null && grad !== null ? grad - start : total;
    const at = formatIsoDay(graduatedAtDay);
    return lifecycleResult('graduated', start, grad, at, null, totalDays, criteria, null, false, `Graduated on ${at}${when}`);
  }
  if (start === null) return lifecycleResult('not_started', null, null, null, null, total, criteria, null, false, 'No contract start date');
  const grad = graduationDayOf(account, start, config);
  const totalDays = grad - start;
  if (today < start) return lifecycleResult('not_started', start, grad, null, null, totalDays, criteria, null, false, `Onboarding starts on ${formatIsoDay(start)}`);
  const day = today - start + 1;
  if (today < grad) {
    const extended = totalDays > total ? ', extended' : '';
    let ready = criteria.length > 0;
    for (let k = 0; ready && k < criteria.length; k++) if (!(criteria[k] as ExitCriterion).met) ready = false;
    const result = lifecycleResult(
      'onboarding',
      start,
      grad,
      null,
      day,
      totalDays,
      criteria,
      null,
      false,
      // No day count here: this text is a company property, and one that changed every day would
      // rewrite every onboarding company daily (the card shows day N of 90).
      `Onboarding since ${formatIsoDay(start)} (${totalDays} days${extended}); graduates on ${formatIsoDay(grad)}${ready ? '; ready to graduate: every exit criterion is met' : ''}`,
    );
    result.readyToGraduate = ready;
    return result;
  }
  // First seen after its onboarding window (the app never tracked its onboarding): it graduated as
  // of its graduation date, not on the day the app first saw it.
  if (account.lifecycleStage !== 'onboarding' && account.lifecycleStage !== 'onboarding_overdue') {
    const why =
      account.lifecycleStage === null
        ? `Graduated before the app was installed (start ${formatIsoDay(start)} + ${totalDays} days)`
        : `Graduated on its graduation date (start ${formatIsoDay(start)} + ${totalDays} days); the app did not track its onboarding`;
    return lifecycleResult('graduated', start, grad, formatIsoDay(grad), null, totalDays, criteria, null, true, why);
  }
  let unmetText = '';
  for (const c of criteria) if (!c.met) unmetText += (unmetText ? ', ' : '') + c.label;
  const overdue = today - grad;
  if (unmetText === '') {
    const reason = overdue === 0 ? 'Graduated on time: exit criteria met' : `Graduated ${overdue} days late: exit criteria met on ${formatIsoDay(today)}`;
    return lifecycleResult('graduated', start, grad, formatIsoDay(today), null, totalDays, criteria, null, true, reason);
  }
  const max = config.lifecycle.maxOverdueDays;
  if (max !== null && overdue >= max) {
    return lifecycleResult('graduated', start, grad, formatIsoDay(today), null, totalDays, criteria, null, true, `Graduated ${overdue} days late without meeting: ${unmetText} (limit ${max} overdue days)`);
  }
  return lifecycleResult('onboarding_overdue', start, grad, null, day, totalDays, criteria, overdue, false, `Overdue since ${formatIsoDay(grad)} (its graduation date): not met: ${unmetText}`);
}

export type LifecycleActionResult =
  | { ok: true; state: Pick<WrittenState, 'lifecycleStage' | 'graduatedAt' | 'graduationDate' | 'onboardingStartDate'>; reason: string }
  | { ok: false; error: { code: 'reason_required' | 'not_onboarding' | 'invalid_extension'; message: string } };

function cleanReason(reason: string | null | undefined): string | null {
  const r = typeof reason === 'string' ? reason.trim() : '';
  return r.length > 0 ? r : null;
}

/**
 * Manual early (or forced) graduation. Needs a reason; the account must have started onboarding and not graduated.
 * @example
 * graduateNow(account, 'All milestones done early', new Date('2026-02-10T00:00:00Z'))
 * // { ok: true, state: { lifecycleStage: 'graduated', graduatedAt: '2026-02-10', ... }, reason: 'Graduated by hand: All milestones done early' }
 */
export function graduateNow(account: Account, reason: string, now: Date, config?: Config): LifecycleActionResult {
  const why = cleanReason(reason);
  if (why === null) return { ok: false, error: { code: 'reason_required', message: 'A reason is required to graduate by hand' } };
  if (parseIsoDay(account.graduatedAt) !== null) return { ok: false, error: { code: 'not_onboarding', message: `Already graduated on ${account.graduatedAt ?? ''}` } };
  const start = startDayOf(account);
  const today = utcDay(now);
  if (start === null || start > today) return { ok: false, error: { code: 'not_onboarding', message: 'Onboarding has not started' } };
  const days = config?.lifecycle.onboardingDays ?? 90;
  const stored = parseIsoDay(account.graduationDate);
  const grad = stored !== null && stored > start + days ? stored : start + days;
  return {
    ok: true,
    state: { lifecycleStage: 'graduated', graduatedAt: formatIsoDay(today), graduationDate: formatIsoDay(grad), onboardingStartDate: formatIsoDay(start) },
    reason: `Graduated by hand: ${why}`,
  };
}

/**
 * Extends onboarding by a number of days or to a new graduation date (later than the current one).
 * @example
 * extendOnboarding(account, 30, 'Waiting for SSO', { now }) // { ok: true, state: { graduationDate: '<current + 30>', lifecycleStage: 'onboarding', ... } }
 * extendOnboarding(account, '2026-05-01', '') // { ok: false, error: { code: 'reason_required', ... } }
 */
export function extendOnboarding(account: Account, by: number | IsoDate, reason: string, options: { config?: Config; now?: Date } = {}): LifecycleActionResult {
  const why = cleanReason(reason);
  if (why === null) return { ok: false, error: { code: 'reason_required', message: 'A reason is required to extend onboarding' } };
  if (parseIsoDay(account.graduatedAt) !== null) return { ok: false, error: { code: 'not_onboarding', message: 'Already graduated' } };
  const start = startDayOf(account);
  if (start === null) return { ok: false, error: { code: 'not_onboarding', message: 'Onboarding has not started' } };
  const days = options.config?.lifecycle.onboardingDays ?? 90;
  const stored = parseIsoDay(account.graduationDate);
  const current = stored !== null && stored > start + days ? stored : start + days;
  let next: number | null;
  if (typeof by === 'number') next = Number.isInteger(by) && by > 0 && by <= 3650 ? current + by : null;
  else next = parseIsoDay(by);
  if (next === null || next <= current) {
    return { ok: false, error: { code: 'invalid_extension', message: `The new graduation date must be after ${formatIsoDay(current)} (a positive whole number of days or a later YYYY-MM-DD)` } };
  }
  const today = options.now ? utcDay(options.now) : null;
  const stage: LifecycleStage = today !== null && today < start ? 'not_started' : today !== null && today >= next ? 'onboarding_overdue' : 'onboarding';
  return {
    ok: true,
    state: { lifecycleStage: stage, graduatedAt: null, graduationDate: formatIsoDay(next), onboardingStartDate: formatIsoDay(start) },
    reason: `Onboarding extended to ${formatIsoDay(next)} (${next - start} days): ${why}`,
  };
}
