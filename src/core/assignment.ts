/**
 * Assignment of onboarding CSMs and pool tasks among the pool's members: skills, coverage days,
 * out of office, capacity; least loaded first, then a fair rotation by *last-assigned sequence*
 * (not by list index), so members joining or leaving never reshuffle everyone else's turn.
 *
 * The state is a value: every assignment returns a new state (maps copied), the input is untouched.
 */
import type { Config, PoolMember } from './config';
import { parseIsoDay, utcDay, weekdayOf } from './dates';
import type { Account, Owner } from './types';

export interface AssignmentState {
  readonly members: readonly PoolMember[];
  readonly owners: ReadonlyMap<string, Owner>;
  /** Concurrent onboardings per owner id. */
  readonly loads: ReadonlyMap<string, number>;
  /** Open pool tasks per owner id (for pool-task assignment). */
  readonly taskLoads: ReadonlyMap<string, number>;
  /** Sequence number of each owner's last onboarding assignment (0 = never). */
  readonly lastAssigned: ReadonlyMap<string, number>;
  /** Sequence number of each owner's last pool task. */
  readonly lastTask: ReadonlyMap<string, number>;
  readonly seq: number;
}

export interface CreateAssignmentStateInput {
  members: readonly PoolMember[];
  owners: readonly Owner[] | ReadonlyMap<string, Owner>;
  loads?: ReadonlyMap<string, number>;
  taskLoads?: ReadonlyMap<string, number>;
  /** Owner ids in the order they were last assigned, least recent first (from `rotationOf`). */
  rotation?: readonly string[];
}

/**
 * Builds the assignment state from the pool's members, HubSpot owners and current loads.
 * @example
 * const state = createAssignmentState({ members: config.pool.members, owners, loads: new Map([['7', 3]]) });
 */
export function createAssignmentState(input: CreateAssignmentStateInput): AssignmentState {
  const owners = input.owners instanceof Map ? new Map(input.owners) : new Map((input.owners as readonly Owner[]).map((o) => [o.id, o]));
  const lastAssigned = new Map<string, number>();
  const rotation = input.rotation ?? [];
  rotation.forEach((id, i) => lastAssigned.set(id, i + 1));
  return {
    members: input.members,
    owners,
    loads: new Map(input.loads ?? []),
    taskLoads: new Map(input.taskLoads ?? []),
    lastAssigned,
    lastTask: new Map(lastAssigned),
    seq: rotation.length,
  };
}

/**
 * Owner ids ordered by last onboarding assignment, least recent first (persist it to keep the rotation).
 * @example
 * rotationOf(state) // ['12', '7', '9']
 */
export function rotationOf(state: AssignmentState): string[] {
  return state.members
    .map((m) => m.ownerId)
    .sort((a, b) => (state.lastAssigned.get(a) ?? 0) - (state.lastAssigned.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
}

/** An owner that may receive work: known, active and not archived. */
export function isOwnerUsable(owner: Owner | undefined): boolean {
  return owner !== undefined && owner.active && !owner.archived;
}

function isOutOfOffice(member: PoolMember, today: number): boolean {
  for (const o of member.outOfOffice) {
    const from = parseIsoDay(o.from);
    const to = parseIsoDay(o.to);
    if (from !== null && to !== null && from <= today && today <= to) return true;
  }
  return false;
}

/** Empty coverageDays means "every day" (not configured). */
function worksOn(member: PoolMember, today: number): boolean {
  return member.coverageDays.length === 0 || member.coverageDays.includes(weekdayOf(today));
}

export type OnboardingAssignment =
  | { ok: true; ownerId: string; reason: string; kept: boolean; needsReassignment: false; state: AssignmentState }
  | { ok: false; reason: string; needsReassignment: boolean; state: AssignmentState };

function pick(candidates: PoolMember[], loads: ReadonlyMap<string, number>, last: ReadonlyMap<string, number>): PoolMember | undefined {
  let best: PoolMember | undefined;
  let bestLoad = 0;
  let bestLast = 0;
  for (const m of candidates) {
    const load = loads.get(m.ownerId) ?? 0;
    const l = last.get(m.ownerId) ?? 0;
    if (best === undefined || load < bestLoad || (load === bestLoad && (l < bestLast || (l === bestLast && m.ownerId < best.ownerId)))) {
      best = m;
      bestLoad = load;
      bestLast = l;
    }
  }
  return best;
}

/**
 * Chooses the onboarding CSM for an account, or keeps the existing (manual) one.
 *
 * Eligible: an active, non-archived owner who is a pool member, has every required skill, works
 * today (UTC weekday in coverageDays), is not out of office and is under min(capacity, config cap).
 * Choice: least loaded, then least recently assigned, then owner id.
 *
 * @example
 * assignOnboardingCsm(account, state, config, now)
 * // { ok: true, ownerId: '7', reason: 'Least loaded eligible member (2 onboardings) …', kept: false, state }
 * // { ok: false, reason: 'No one available: 3 lack skills [de], 2 off on sun, …', needsReassignment: false, state }
 */
export function assignOnboardingCsm(account: Account, state: AssignmentState, config: Config, now: Date): OnboardingAssignment {
  if (account.onboardingCsmId !== null) {
    const owner = state.owners.get(account.onboardingCsmId);
    if (isOwnerUsable(owner)) {
      return { ok: true, ownerId: account.onboardingCsmId, reason: 'Existing assignment kept', kept: true, needsReassignment: false, state };
    }
    const why = owner === undefined ? 'no longer exists' : owner.archived ? 'is archived' : 'is deactivated';
    return { ok: false, reason: `Onboarding CSM ${account.onboardingCsmId} ${why}: needs reassignment`, needsReassignment: true, state };
  }
  const today = utcDay(now);
  const cap = config.assignment.concurrentOnboardingCap;
  const required = account.requiredSkills;
  const counts = { inactive: 0, skills: 0, off: 0, ooo: 0, full: 0 };
  const candidates: PoolMember[] = [];
  for (const m of state.members) {
    if (!isOwnerUsable(state.owners.get(m.ownerId))) counts.inactive++;
    else if (!required.every((s) => m.skills.includes(s))) counts.skills++;
    else if (!worksOn(m, today)) counts.off++;
    else if (isOutOfOffice(m, today)) counts.ooo++;
    else if ((state.loads.get(m.ownerId) ?? 0) >= Math.min(m.capacity, cap)) counts.full++;
    else candidates.push(m);
  }
  const chosen = pick(candidates, state.loads, state.lastAssigned);
  if (chosen === undefined) {
    const parts: string[] = [];
    if (state.members.length === 0) parts.push('the pool has no members');
    if (counts.inactive) parts.push(`${counts.inactive} inactive or unknown`);
    if (counts.skills) parts.push(`${counts.skills} lack skills [${required.join(', ')}]`);
    if (counts.off) parts.push(`${counts.off} off on ${weekdayOf(today)}`);
    if (counts.ooo) parts.push(`${counts.ooo} out of office`);
    if (counts.full) parts.push(`${counts.full} at capacity (cap ${cap})`);
    return { ok: false, reason: `No one available: ${parts.join(', ')}`, needsReassignment: false, state };
  }
  const load = state.loads.get(chosen.ownerId) ?? 0;
  const loads = new Map(state.loads);
  loads.set(chosen.ownerId, load + 1);
  const lastAssigned = new Map(state.lastAssigned);
  const seq = state.seq + 1;
  lastAssigned.set(chosen.ownerId, seq);
  const skills = required.length > 0 ? ` with skills [${required.join(', ')}]` : '';
  return {
    ok: true,
    ownerId: chosen.ownerId,
    reason: `Least loaded eligible member${skills} (${load} of ${Math.min(chosen.capacity, cap)} onboardings; ${candidates.length} eligible)`,
    kept: false,
    needsReassignment: false,
    state: { ...state, loads, lastAssigned, seq },
  };
}

export type PoolTaskAssignment =
  | { queueId: string; ownerId: null; reason: string; state: AssignmentState }
  | { queueId: null; ownerId: string; reason: string; state: AssignmentState }
  | { queueId: null; ownerId: null; reason: string; state: AssignmentState };

/**
 * Where a pool task goes: the pool's queue if configured, else the least-loaded active member in
 * rotation (preferring members working and not out of office on `now`'s UTC day when given).
 * @example
 * assignPoolTask(state, { ...config, pool: { queueId: 'q-1', members } }) // { queueId: 'q-1', ownerId: null, ... }
 */
export function assignPoolTask(state: AssignmentState, config: Config, now?: Date): PoolTaskAssignment {
  if (config.pool.queueId !== null) return { queueId: config.pool.queueId, ownerId: null, reason: 'Pool task queue', state };
  const active = state.members.filter((m) => isOwnerUsable(state.owners.get(m.ownerId)));
  let candidates = active;
  if (now !== undefined) {
    const today = utcDay(now);
    const present = active.filter((m) => worksOn(m, today) && !isOutOfOffice(m, today));
    if (present.length > 0) candidates = present;
  }
  const chosen = pick(candidates, state.taskLoads, state.lastTask);
  if (chosen === undefined) return { queueId: null, ownerId: null, reason: 'No queue configured and no active pool member', state };
  const taskLoads = new Map(state.taskLoads);
  taskLoads.set(chosen.ownerId, (state.taskLoads.get(chosen.ownerId) ?? 0) + 1);
  const lastTask = new Map(state.lastTask);
  const seq = state.seq + 1;
  lastTask.set(chosen.ownerId, seq);
  return { queueId: null, ownerId: chosen.ownerId, reason: 'Least-loaded pool member in rotation', state: { ...state, taskLoads, lastTask, seq } };
}

export interface Fairness {
  max: number;
  min: number;
  /** max / min; 1 when all are 0; null when min is 0 and max is not. */
  ratio: number | null;
  /** Gini coefficient 0 (equal) … 1. */
  gini: number;
}

/**
 * Fairness of a load distribution.
 * @example
 * fairness([10, 10, 11]) // { max: 11, min: 10, ratio: 1.1, gini: 0.0208… }
 * fairness([]) // { max: 0, min: 0, ratio: 1, gini: 0 }
 */
export function fairness(loads: readonly number[]): Fairness {
  const xs = loads.filter((x) => Number.isFinite(x) && x >= 0).sort((a, b) => a - b);
  const n = xs.length;
  if (n === 0) return { max: 0, min: 0, ratio: 1, gini: 0 };
  const min = xs[0] ?? 0;
  const max = xs[n - 1] ?? 0;
  let sum = 0;
  let weighted = 0;
  xs.forEach((x, i) => {
    sum += x;
    weighted += (i + 1) * x;
  });
  const gini = sum === 0 ? 0 : (2 * weighted) / (n * sum) - (n + 1) / n;
  const ratio = max === 0 ? 1 : min === 0 ? null : max / min;
  return { max, min, ratio, gini: Math.max(0, gini) };
}
