/**
 * Assignment of onboarding CSMs and pool tasks among the pool's members: skills, coverage days,
 * out of office, capacity; least loaded first, then a fair rotation by *last-assigned sequence*
 * (not by list index), so members joining or leaving never reshuffle everyone else's turn.
 *
 * The state is a value: every assignment returns a new state (maps copied), the input is untouched.
 */
import type { Config, PoolMember } from './config';
import * as dates from './dates';
import type { Account, Owner } from './types';

// Bound once: under tsx (CommonJS output) each call through a named import goes through a getter,
// which showed in the profile of the per-account hot path.
const { WEEKDAYS, isoWeekdayIndex, parseIsoDay, utcDay, weekdayOf } = dates;

export interface AssignmentState {
  readonly members: readonly PoolMember[];
  readonly owners: ReadonlyMap<string, Owner>;
  /** Concurrent onboardings per member (same index as `members`); read with `loadOf` / `loadsOf`. */
  readonly loads: Int32Array;
  /** Open pool tasks per member (same index as `members`). */
  readonly taskLoads: Int32Array;
  /** Sequence number of each member's last onboarding assignment (0 = never). */
  readonly lastAssigned: Float64Array;
  /** Sequence number of each member's last pool task. */
  readonly lastTask: Float64Array;
  readonly seq: number;
  /** Precomputed per member: usable owner, coverage-day bitmask (bit 0 = mon), out-of-office ranges (epoch days). */
  readonly usable: readonly boolean[];
  readonly dayMask: readonly number[];
  readonly ooo: readonly (readonly [number, number])[][];
  readonly index: ReadonlyMap<string, number>;
  /** Member indices sorted by owner id (the final tie-break), usable owners only. */
  readonly byId: readonly number[];
}

export interface CreateAssignmentStateInput {
  members: readonly PoolMember[];
  owners: readonly Owner[] | ReadonlyMap<string, Owner>;
  /** Concurrent onboardings per owner id. */
  loads?: ReadonlyMap<string, number>;
  /** Open pool tasks per owner id. */
  taskLoads?: ReadonlyMap<string, number>;
  /** Owner ids in the order they were last assigned, least recent first (from `rotationOf`). */
  rotation?: readonly string[];
  /** Owner ids in the order they last got a pool task (from `taskRotationOf`); default `rotation`. */
  taskRotation?: readonly string[];
}

function orderOf(rotation: readonly string[], index: ReadonlyMap<string, number>, n: number): Float64Array {
  const out = new Float64Array(n);
  rotation.forEach((id, i) => {
    const at = index.get(id);
    if (at !== undefined) out[at] = i + 1;
  });
  return out;
}

/** An owner that may receive work: known, active and not archived. */
export function isOwnerUsable(owner: Owner | undefined): boolean {
  return owner !== undefined && owner.active && !owner.archived;
}

/**
 * Builds the assignment state from the pool's members, HubSpot owners and current loads.
 * A member listed twice counts once (the first entry).
 * @example
 * const state = createAssignmentState({ members: config.pool.members, owners, loads: new Map([['7', 3]]) });
 */
export function createAssignmentState(input: CreateAssignmentStateInput): AssignmentState {
  const owners = input.owners instanceof Map ? new Map(input.owners) : new Map((input.owners as readonly Owner[]).map((o) => [o.id, o]));
  const seen = new Set<string>();
  const members = input.members.filter((m) => (seen.has(m.ownerId) ? false : (seen.add(m.ownerId), true)));
  const n = members.length;
  const index = new Map(members.map((m, i) => [m.ownerId, i]));
  const loads = new Int32Array(n);
  const taskLoads = new Int32Array(n);
  const lastAssigned = new Float64Array(n);
  members.forEach((m, i) => {
    loads[i] = Math.max(0, Math.floor(input.loads?.get(m.ownerId) ?? 0));
    taskLoads[i] = Math.max(0, Math.floor(input.taskLoads?.get(m.ownerId) ?? 0));
  });
  const rotation = input.rotation ?? [];
  rotation.forEach((id, i) => {
    const at = index.get(id);
    if (at !== undefined) lastAssigned[at] = i + 1;
  });
  return {
    members,
    owners,
    loads,
    taskLoads,
    lastAssigned,
    lastTask: input.taskRotation ? orderOf(input.taskRotation, index, n) : Float64Array.from(lastAssigned),
    seq: Math.max(rotation.length, input.taskRotation?.length ?? 0),
    usable: members.map((m) => isOwnerUsable(owners.get(m.ownerId))),
    dayMask: members.map((m) => (m.coverageDays.length === 0 ? 0x7f : m.coverageDays.reduce((mask, d) => mask | (1 << WEEKDAYS.indexOf(d)), 0))),
    ooo: members.map((m) =>
      m.outOfOffice.flatMap((o) => {
        const from = parseIsoDay(o.from);
        const to = parseIsoDay(o.to);
        return from !== null && to !== null ? [[from, to] as const] : [];
      }),
    ),
    index,
    byId: members
      .map((m, i) => ({ id: m.ownerId, i }))
      .filter((x) => isOwnerUsable(owners.get(x.id)))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((x) => x.i),
  };
}

/**
 * Concurrent onboardings of one owner (0 when not a member).
 * @example
 * loadOf(state, '7') // 3
 */
export function loadOf(state: AssignmentState, ownerId: string): number {
  const i = state.index.get(ownerId);
  return i === undefined ? 0 : (state.loads[i] ?? 0);
}

/**
 * Loads per owner id: onboardings (default) or pool tasks.
 * @example
 * loadsOf(state) // Map { '7' => 3, '9' => 2 }
 */
export function loadsOf(state: AssignmentState, kind: 'onboarding' | 'tasks' = 'onboarding'): Map<string, number> {
  const src = kind === 'onboarding' ? state.loads : state.taskLoads;
  return new Map(state.members.map((m, i) => [m.ownerId, src[i] ?? 0]));
}

export type Availability = 'available' | 'off' | 'out_of_office' | 'inactive' | 'not_in_pool';

/**
 * Whether a pool member can take work on `now`'s UTC day, and if not, why.
 * @example
 * availabilityOf(state, '7', now) // 'out_of_office'
 */
export function availabilityOf(state: AssignmentState, ownerId: string, now: Date): Availability {
  const i = state.index.get(ownerId);
  if (i === undefined) return 'not_in_pool';
  if (!state.usable[i]) return 'inactive';
  const today = utcDay(now);
  if (!worksOn(state, i, today)) return 'off';
  if (isOutOfOffice(state, i, today)) return 'out_of_office';
  return 'available';
}

/**
 * Owner ids ordered by last onboarding assignment, least recent first (persist it to keep the rotation).
 * @example
 * rotationOf(state) // ['12', '7', '9']
 */
export function rotationOf(state: AssignmentState): string[] {
  return byLast(state, state.lastAssigned);
}

/**
 * Owner ids ordered by last pool task, least recent first (persist it with `rotationOf` to resume exactly).
 * @example
 * taskRotationOf(state) // ['9', '12', '7']
 */
export function taskRotationOf(state: AssignmentState): string[] {
  return byLast(state, state.lastTask);
}

function byLast(state: AssignmentState, last: Float64Array): string[] {
  return state.members
    .map((m, i) => ({ id: m.ownerId, last: last[i] ?? 0 }))
    .sort((a, b) => a.last - b.last || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((x) => x.id);
}

function isOutOfOffice(state: AssignmentState, i: number, today: number): boolean {
  for (const [from, to] of state.ooo[i] ?? []) if (from <= today && today <= to) return true;
  return false;
}

/** Empty coverageDays means "every day" (not configured). */
function worksOn(state: AssignmentState, i: number, today: number): boolean {
  return ((state.dayMask[i] ?? 0) & (1 << isoWeekdayIndex(today))) !== 0;
}

/**
 * Copies of the small per-member arrays are carved out of shared 256 KiB slabs: one evaluation per
 * account copies two of them, and a fresh ArrayBuffer for each (off-heap, tracked by the GC) cost
 * more than the rest of the assignment; making a slab costs about the same whatever its size, so
 * slabs are large. Views never overlap, so each copy is still independent.
 */
const SLAB_BYTES = 262_144;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

function slabOffset(bytes: number): number | null {
  if (bytes === 0 || bytes > SLAB_BYTES / 4) return null;
  if (slabUsed + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const at = slabUsed;
  slabUsed += (bytes + 7) & ~7;
  return at;
}

function copyInt32(src: Int32Array): Int32Array {
  const at = slabOffset(src.length * 4);
  if (at === null) return src.slice();
  const out = new Int32Array(slab, at, src.length);
  out.set(src);
  return out;
}

function copyFloat64(src: Float64Array): Float64Array {
  const at = slabOffset(src.length * 8);
  if (at === null) return src.slice();
  const out = new Float64Array(slab, at, src.length);
  out.set(src);
  return out;
}

/** The state with new loads / rotation; everything else shared with the input. */
function withCounters(state: AssignmentState, loads: Int32Array, taskLoads: Int32Array, lastAssigned: Float64Array, lastTask: Float64Array, seq: number): AssignmentState {
  // Same keys in the same order as createAssignmentState builds them (a spread was slower here).
  return {
    members: state.members,
    owners: state.owners,
    loads,
    taskLoads,
    lastAssigned,
    lastTask,
    seq,
    usable: state.usable,
    dayMask: state.dayMask,
    ooo: state.ooo,
    index: state.index,
    byId: state.byId,
  };
}

export type OnboardingAssignment =
  | { ok: true; ownerId: string; reason: string; kept: boolean; needsReassignment: false; state: AssignmentState }
  | { ok: false; reason: string; needsReassignment: boolean; state: AssignmentState };

/** Whether `skills` include every one of `required` (a plain loop: no closure per member). */
function hasSkills(skills: readonly string[], required: readonly string[]): boolean {
  for (let k = 0; k < required.length; k++) if (!skills.includes(required[k] as string)) return false;
  return true;
}

/** Least loaded, then least recently assigned; candidates come in owner-id order so the first full tie wins. -1 when none. */
function pick(candidates: readonly number[], loads: Int32Array, last: Float64Array): number {
  let best = -1;
  let bestLoad = 0;
  let bestLast = 0;
  for (const i of candidates) {
    const load = loads[i] ?? 0;
    const l = last[i] ?? 0;
    if (best < 0 || load < bestLoad || (load === bestLoad && l < bestLast)) {
      best = i;
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
 * today (UTC weekday in coverageDays; empty = every day), is not out of office and is under
 * min(capacity, config cap). Choice: least loaded, then least recently assigned, then owner id.
 *
 * @example
 * assignOnboardingCsm(account, state, config, now)
 * // { ok: true, ownerId: '7', reason: 'Least loaded eligible member (2 of 20 onboardings; 14 eligible)', kept: false, state }
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
  const candidates: number[] = [];
  counts.inactive = state.members.length - state.byId.length;
  for (const i of state.byId) {
    const m = state.members[i];
    if (m === undefined) continue;
    if (required.length > 0 && !hasSkills(m.skills, required)) counts.skills++;
    else if (!worksOn(state, i, today)) counts.off++;
    else if (isOutOfOffice(state, i, today)) counts.ooo++;
    else if ((state.loads[i] ?? 0) >= Math.min(m.capacity, cap)) counts.full++;
    else candidates.push(i);
  }
  const chosen = pick(candidates, state.loads, state.lastAssigned);
  const member = state.members[chosen];
  if (member === undefined) {
    const parts: string[] = [];
    if (state.members.length === 0) parts.push('the pool has no members');
    if (counts.inactive) parts.push(`${counts.inactive} inactive or unknown`);
    if (counts.skills) parts.push(`${counts.skills} lack skills [${required.join(', ')}]`);
    if (counts.off) parts.push(`${counts.off} off on ${weekdayOf(today)}`);
    if (counts.ooo) parts.push(`${counts.ooo} out of office`);
    if (counts.full) parts.push(`${counts.full} at capacity (cap ${cap})`);
    return { ok: false, reason: `No one available: ${parts.join(', ')}`, needsReassignment: false, state };
  }
  const load = state.loads[chosen] ?? 0;
  const loads = copyInt32(state.loads);
  loads[chosen] = load + 1;
  const lastAssigned = copyFloat64(state.lastAssigned);
  const seq = state.seq + 1;
  lastAssigned[chosen] = seq;
  const skills = required.length > 0 ? ` with skills [${required.join(', ')}]` : '';
  return {
    ok: true,
    ownerId: member.ownerId,
    reason: `Least loaded eligible member${skills} (${load} of ${Math.min(member.capacity, cap)} onboardings; ${candidates.length} eligible)`,
    kept: false,
    needsReassignment: false,
    state: withCounters(state, loads, state.taskLoads, lastAssigned, state.lastTask, seq),
  };
}

const presentCache = new WeakMap<readonly number[], { day: number | null; list: readonly number[] }>();
/** Usable members working and not out of office on `day` (all usable members if none, or day null); cached per day. */
function presentOn(state: AssignmentState, day: number | null): readonly number[] {
  const hit = presentCache.get(state.byId);
  if (hit !== undefined && hit.day === day) return hit.list;
  const present = day === null ? [] : state.byId.filter((i) => worksOn(state, i, day) && !isOutOfOffice(state, i, day));
  const list = present.length > 0 ? present : state.byId;
  presentCache.set(state.byId, { day, list });
  return list;
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
  const chosen = pick(presentOn(state, now === undefined ? null : utcDay(now)), state.taskLoads, state.lastTask);
  const member = state.members[chosen];
  if (member === undefined) return { queueId: null, ownerId: null, reason: 'No queue configured and no active pool member', state };
  const taskLoads = copyInt32(state.taskLoads);
  taskLoads[chosen] = (taskLoads[chosen] ?? 0) + 1;
  const lastTask = copyFloat64(state.lastTask);
  const seq = state.seq + 1;
  lastTask[chosen] = seq;
  return { queueId: null, ownerId: member.ownerId, reason: 'Least-loaded pool member in rotation', state: withCounters(state, state.loads, taskLoads, state.lastAssigned, lastTask, seq) };
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
