/**
 * A day's work that fits the team (product.md; seeds 000 ~20 concurrent engagements, 001 §8).
 *
 * - `taskRank`: the documented priority of a human task (band severity, ARR, days to renewal, days waiting).
 * - `nextBacklog`: the waiting work kept on the company (`cs_playbook_backlog`), never dropped while
 *   the rule still wants it, never twice (one entry per play), with the day it started waiting.
 * - `dispatchDay`: each day only the capacity of the CSMs working that day is created, highest
 *   priority first; urgent work may exceed it (counted); due dates fall on the assignee's working days;
 *   a company's series stays with the CSM who took its previous task when they work that day.
 *
 * Pure: `now`, config and data are arguments.
 */
import type { Config, PoolMember } from './config';
import { WEEKDAYS, dayAtUtcHour, formatIsoDay, isoWeekdayIndex, parseIsoDay, utcDay } from './dates';
import type { HealthBand, IsoDate, Owner, PlannedTask, Segment } from './types';

export interface RankInput {
  priority: PlannedTask['priority'];
  band: HealthBand | null;
  acv: number | null;
  /** Days to the renewal date; null = unknown or past. */
  daysToRenewal: number | null;
  daysWaiting: number;
}

/**
 * Priority of a human task (higher first); see `workload.priority` in the config.
 * @example
 * taskRank({ priority: 'HIGH', band: 'at_risk', acv: 40000, daysToRenewal: 30, daysWaiting: 2 }, defaultConfig())
 * // 300 + 60 + 20 + 30 + 6 = 416
 */
export function taskRank(input: RankInput, config: Config): number {
  const p = config.workload.priority;
  const arr = input.acv !== null && input.acv > 0 ? Math.min(p.arrMaxPoints, (input.acv / 1000) * p.perArrThousand) : 0;
  const renewal = input.daysToRenewal !== null && input.daysToRenewal >= 0 ? Math.max(0, p.renewalHorizonDays - input.daysToRenewal) * p.perRenewalDay : 0;
  const waiting = Math.min(p.waitingMaxPoints, Math.max(0, input.daysWaiting) * p.perDayWaiting);
  const score = p.byTaskPriority[input.priority] + p.byBand[input.band ?? 'unknown'] + arr + renewal + waiting;
  return Math.round(score * 10) / 10;
}

/**
 * Whether a task may exceed capacity: a renewal within `urgent.renewalWithinDays`, or a named account at risk.
 * @example
 * isUrgent({ playbook: 'renewal', daysToRenewal: 20, segment: 'pooled', band: 'watch' }, config) // true
 */
export function isUrgent(input: { playbook: string; daysToRenewal: number | null; segment: Segment | null; band: HealthBand | null }, config: Config): boolean {
  const u = config.workload.urgent;
  if (input.playbook === 'renewal' && input.daysToRenewal !== null && input.daysToRenewal >= 0 && input.daysToRenewal <= u.renewalWithinDays) return true;
  return u.namedAtRisk && input.segment === 'named' && input.band === 'at_risk';
}

/**
 * The piece of work a key stands for, whatever its period: `cs:<id>:<playbook>:<step>:<period>` → `<playbook>:<step>`
 * (a weekly rule that keeps firing is the same work waiting, not new work).
 * @example
 * workOfKey('cs:1:no_login:reengage:2026-W49') // 'no_login:reengage'
 */
export function workOfKey(key: string): string {
  // `key.split(':')` fields 2 and 3, joined by ':', without the array: one substring when the key is well formed.
  const a = key.indexOf(':');
  const b = a < 0 ? -1 : key.indexOf(':', a + 1);
  if (b < 0) return ':';
  const c = key.indexOf(':', b + 1);
  if (c < 0) return `${key.slice(b + 1)}:`;
  const d = key.indexOf(':', c + 1);
  return d < 0 ? key.slice(b + 1) : key.slice(b + 1, d);
}

export interface BacklogEntry {
  key: string;
  since: IsoDate;
}

/**
 * Reads `key@YYYY-MM-DD` entries (blank or malformed dates: waiting since `fallback`).
 * @example
 * parseBacklog(['cs:1:renewal:d60:2027-01-31@2026-11-20'], '2026-11-28') // [{ key: 'cs:1:renewal:d60:2027-01-31', since: '2026-11-20' }]
 */
export function parseBacklog(entries: readonly string[] | undefined, fallback: IsoDate): BacklogEntry[] {
  const out: BacklogEntry[] = [];
  for (const raw of entries ?? []) {
    const e = raw.trim();
    if (e.length === 0) continue;
    const at = e.lastIndexOf('@');
    if (at > 0 && parseIsoDay(e.slice(at + 1)) !== null) out.push({ key: e.slice(0, at), since: e.slice(at + 1) });
    else out.push({ key: e, since: fallback });
  }
  return out;
}

/**
 * The day a planned task has been waiting since: the backlog entry of the same work (playbook and
 * step, even when its weekly period moved on), else today.
 * @example
 * waitingSince(backlog, 'cs:1:no_login:reengage:2026-W49', '2026-12-01') // '2026-11-24' when W48 waited since then
 */
export function waitingSince(backlog: readonly BacklogEntry[], key: string, today: IsoDate): IsoDate {
  if (backlog.length === 0) return today;
  const work = workOfKey(key);
  let since: IsoDate | null = null;
  for (const e of backlog) if ((e.key === key || workOfKey(e.key) === work) && (since === null || e.since < since)) since = e.since;
  return since ?? today;
}

export interface BacklogOutcome {
  /** The new `cs_playbook_backlog` entries, oldest first. */
  entries: string[];
  /** Entries that left because the rule no longer wants them (condition gone, period over). */
  noLongerNeeded: string[];
  /** Oldest waiting day, or null when empty. */
  oldest: IsoDate | null;
}

/**
 * The backlog after a run: every wanted task not created waits (keeping when it started waiting),
 * one entry per piece of work; created ones leave; ones the rules no longer want leave as "no longer needed".
 * @example
 * nextBacklog(['cs:1:no_touch:check_in:2026-W48@2026-11-25'], [], [], '2026-12-01', 20).noLongerNeeded // ['cs:1:no_touch:check_in:2026-W48']
 */
export function nextBacklog(current: readonly string[] | undefined, waiting: readonly Pick<PlannedTask, 'key' | 'waitingSince'>[], createdKeys: readonly string[], today: IsoDate, maxEntries: number): BacklogOutcome {
  const before = parseBacklog(current, today);
  const created = new Set(createdKeys);
  const createdPlays = new Set(createdKeys.map(workOfKey));
  const keep: BacklogEntry[] = [];
  const plays = new Set<string>();
  for (const t of waiting) {
    if (created.has(t.key)) continue;
    const play = workOfKey(t.key);
    if (plays.has(play)) continue;
    plays.add(play);
    keep.push({ key: t.key, since: t.waitingSince ?? waitingSince(before, t.key, today) });
  }
  const noLongerNeeded = before.filter((e) => !created.has(e.key) && !createdPlays.has(workOfKey(e.key)) && !plays.has(workOfKey(e.key))).map((e) => e.key);
  keep.sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : a.key < b.key ? -1 : 1));
  const bounded = keep.slice(0, Math.max(1, maxEntries));
  return { entries: bounded.map((e) => `${e.key}@${e.since}`), noLongerNeeded, oldest: bounded[0]?.since ?? null };
}

// ---------------------------------------------------------------- dispatch

export interface MemberDay {
  ownerId: string;
  /** Works today and not out of office, active in HubSpot. */
  available: boolean;
  /** Tasks allowed today (0 when not available or at maxOpenTasks). */
  allowed: number;
  /** Open tasks at the start of the day (null = not read). */
  open: number | null;
  /** Urgent tasks an earlier run today already gave beyond the day's capacity (they use today's urgent allowance). */
  extraUsed?: number;
}

function worksOnDay(m: PoolMember, day: number): boolean {
  if (m.coverageDays.length > 0 && !m.coverageDays.includes(WEEKDAYS[isoWeekdayIndex(day)] ?? 'mon')) return false;
  for (const o of m.outOfOffice) {
    const from = parseIsoDay(o.from);
    const to = parseIsoDay(o.to);
    if (from !== null && to !== null && from <= day && day <= to) return false;
  }
  return true;
}

/**
 * Today's capacity per pool member: `tasksPerDay` when working (coverage day, not out of office,
 * an active HubSpot owner), less what they were given earlier today, less what would take them past `maxOpenTasks`.
 * @example
 * capacityToday(config, owners, now, new Map([['7', 38]])) // [{ ownerId: '7', available: true, allowed: 2, open: 38 }, …]
 */
export function capacityToday(
  config: Config,
  owners: ReadonlyMap<string, Owner>,
  now: Date,
  openByOwner: ReadonlyMap<string, number>,
  /** Tasks already created for each owner today (an earlier run today used that much of the day). */
  givenToday: ReadonlyMap<string, number> = new Map(),
): MemberDay[] {
  const today = utcDay(now);
  const seen = new Set<string>();
  const out: MemberDay[] = [];
  for (const m of config.pool.members) {
    if (seen.has(m.ownerId)) continue;
    seen.add(m.ownerId);
    const o = owners.get(m.ownerId);
    const available = o !== undefined && o.active && !o.archived && worksOnDay(m, today);
    const perDay = m.tasksPerDay ?? config.workload.tasksPerDay;
    const maxOpen = m.maxOpenTasks ?? config.workload.maxOpenTasks;
    const open = openByOwner.get(m.ownerId) ?? null;
    const given = givenToday.get(m.ownerId) ?? 0;
    const allowed = available ? Math.max(0, Math.min(perDay - given, maxOpen - (open ?? 0))) : 0;
    // What the day allowed before any run today (its open tasks then: those now, less today's), and
    // so how much of what an earlier run gave went over it, on the urgent allowance: a CSM at
    // maxOpenTasks whose 4 tasks today were all urgent has none of it left for a second run.
    const dayCapacity = Math.max(0, Math.min(perDay, maxOpen - Math.max(0, (open ?? 0) - given)));
    const extraUsed = Math.max(0, given - dayCapacity);
    out.push({ ownerId: m.ownerId, available, allowed, open, ...(extraUsed > 0 ? { extraUsed } : {}) });
  }
  return out;
}

/**
 * The first day ≥ `from` the member works (within 14 days); when a long absence covers all of them,
 * the last day before `from`, not before `notBefore`, they work (due before they leave); else `from`.
 */
export function nextWorkingDay(m: PoolMember | undefined, from: number, notBefore: number = from): number {
  if (m === undefined) return from;
  for (let d = from; d < from + 14; d++) if (worksOnDay(m, d)) return d;
  for (let d = from - 1; d >= notBefore; d--) if (worksOnDay(m, d)) return d;
  return from;
}

export interface WaitingTask extends PlannedTask {
  /** The owner of the company's latest open task of ours (the series stays with them when they work today). */
  preferredOwnerId?: string | null;
  /** The company's plays with a cooldown that fired in the evaluation (`AccountEvaluation.firing`): the dispatch records when one may come again. */
  firing?: Array<{ playbook: string; cooldownDays: number }>;
  /**
   * The rank of every task the company's evaluation planned (key → rank), when it planned more than
   * one: a dispatch keeps only the best ranked tasks, and ranks what it leaves in the backlog from these.
   */
  companyRanks?: Record<string, number>;
}

export interface DispatchResult {
  /** Tasks to create today, with owner (or queue) and a due date on a working day. */
  assigned: PlannedTask[];
  /** The rest, still waiting (highest priority first). */
  waiting: WaitingTask[];
  /** ownerId (or `queue:<id>`) → tasks assigned today. */
  byOwner: Record<string, number>;
  /** ownerId → tasks allowed today (0 when off). */
  capacity: Record<string, number>;
  /** Urgent tasks created beyond capacity. */
  urgentOverCapacity: number;
}

/** Dispatch order: the onboarding schedule (pinned to its CSM) first, then urgent work, then rank, then key. */
export function dispatchOrder(a: WaitingTask, b: WaitingTask): number {
  return Number(b.pinnedOwner === true) - Number(a.pinnedOwner === true) || Number(b.urgent === true) - Number(a.urgent === true) || (b.rank ?? 0) - (a.rank ?? 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * Chooses today's human tasks from everything waiting, highest priority first, within the capacity
 * of the CSMs working today (or the pool's queue), and sets owner and due date.
 *
 * @example
 * const r = dispatchDay(waiting, capacityToday(config, owners, now, open), config, now);
 * r.assigned.length <= Object.values(r.capacity).reduce((a, b) => a + b, 0) + r.urgentOverCapacity // true
 */
export function dispatchDay(
  tasks: readonly WaitingTask[],
  members: readonly MemberDay[],
  config: Config,
  now: Date,
  /** Tasks an earlier run today gave the pool's queue (they used the queue's day, then its urgent allowance). */
  queueGivenToday = 0,
): DispatchResult {
  const today = utcDay(now);
  const hour = config.playbooks.dueHourUtc;
  const byId = new Map(config.pool.members.map((m) => [m.ownerId, m]));
  const left = new Map(members.map((m) => [m.ownerId, m.allowed]));
  const given = new Map<string, number>();
  const capacity: Record<string, number> = {};
  for (const m of members) capacity[m.ownerId] = m.allowed;
  const queueId = config.pool.queueId;
  // The queue's day: `queueTasksPerDay`, else what the working members have left once their onboarding
  // schedules (dispatched first) took theirs: the same CSMs work the queue, so it is the same capacity.
  const queueGiven = queueId === null ? 0 : Math.max(0, queueGivenToday);
  const queuePerDay = config.workload.queueTasksPerDay ?? null;
  let queueLeft: number | null = queueId === null ? 0 : queuePerDay === null ? null : Math.max(0, queuePerDay - queueGiven);
  const available = members.filter((m) => m.available);
  const assigned: PlannedTask[] = [];
  const waiting: WaitingTask[] = [];
  const byOwner: Record<string, number> = {};
  let urgentOver = 0;
  const maxExtra = config.workload.urgent.maxExtraPerCsm;
  // The urgent allowance is per day: what an earlier run today gave beyond capacity is spent.
  const extra = new Map<string, number>(members.filter((m) => (m.extraUsed ?? 0) > 0).map((m) => [m.ownerId, m.extraUsed ?? 0]));
  let queueExtra = maxExtra * available.length - (queuePerDay === null ? 0 : Math.max(0, queueGiven - queuePerDay));
  const canExceed = (ownerId: string) => (extra.get(ownerId) ?? 0) < maxExtra;
  const give = (t: WaitingTask, ownerId: string, over: boolean) => {
    if (over) {
      urgentOver++;
      extra.set(ownerId, (extra.get(ownerId) ?? 0) + 1);
    }
    else left.set(ownerId, (left.get(ownerId) ?? 0) - 1);
    given.set(ownerId, (given.get(ownerId) ?? 0) + 1);
    byOwner[ownerId] = (byOwner[ownerId] ?? 0) + 1;
    const due = nextWorkingDay(byId.get(ownerId), Math.max(today, t.dueDay ?? today), today);
    assigned.push({ ...stripDispatch(t), ownerId, queueId: null, dueAt: dayAtUtcHour(due, hour), body: withDispatchLine(t.body, today) });
  };

  for (const t of [...tasks].sort(dispatchOrder)) {
    const urgent = t.urgent === true;
    if (t.pinnedOwner === true && t.ownerId !== null) {
      const m = members.find((x) => x.ownerId === t.ownerId);
      // An onboarding CSM outside the pool config takes their schedule as it comes (no capacity known).
      if (m === undefined) give(t, t.ownerId, false);
      else if (!m.available) waiting.push(t);
      else if ((left.get(t.ownerId) ?? 0) > 0) give(t, t.ownerId, false);
      else if (urgent && canExceed(t.ownerId)) give(t, t.ownerId, true);
      else waiting.push(t);
      continue;
    }
    if (queueId !== null) {
      if (queueLeft === null) {
        // Less what the queue was given earlier today: first its share of the capacity, beyond that its urgent allowance.
        let room = 0;
        for (const m of members) room += Math.max(0, left.get(m.ownerId) ?? 0);
        queueLeft = Math.max(0, room - queueGiven);
        queueExtra = -Math.max(0, queueGiven - room);
        for (const m of available) queueExtra += Math.max(0, maxExtra - (extra.get(m.ownerId) ?? 0));
      }
      if (queueLeft > 0 || (urgent && queueExtra > 0)) {
        if (queueLeft > 0) queueLeft--;
        else {
          urgentOver++;
          queueExtra--;
        }
        const k = `queue:${queueId}`;
        byOwner[k] = (byOwner[k] ?? 0) + 1;
        const due = Math.max(today, t.dueDay ?? today);
        assigned.push({ ...stripDispatch(t), ownerId: null, queueId, dueAt: dayAtUtcHour(due, hour), body: withDispatchLine(t.body, today) });
      } else waiting.push(t);
      continue;
    }
    const pref = t.preferredOwnerId ?? null;
    if (pref !== null && (left.get(pref) ?? 0) > 0) {
      give(t, pref, false);
      continue;
    }
    // Least given today (then most room left, then owner id): fair over tasks, not accounts.
    let best: MemberDay | null = null;
    for (const m of available) {
      if ((left.get(m.ownerId) ?? 0) <= 0) continue;
      if (best === null) best = m;
      else {
        const g = given.get(m.ownerId) ?? 0;
        const gb = given.get(best.ownerId) ?? 0;
        const l = left.get(m.ownerId) ?? 0;
        const lb = left.get(best.ownerId) ?? 0;
        if (g < gb || (g === gb && (l > lb || (l === lb && m.ownerId < best.ownerId)))) best = m;
      }
    }
    if (best !== null) give(t, best.ownerId, false);
    else if (urgent && available.some((m) => canExceed(m.ownerId))) {
      // Over capacity (bounded per CSM): the series owner if working, else the one given least today.
      const open = available.filter((m) => canExceed(m.ownerId));
      const over = (pref !== null ? open.find((m) => m.ownerId === pref) : undefined) ?? [...open].sort((a, b) => (given.get(a.ownerId) ?? 0) - (given.get(b.ownerId) ?? 0) || (a.ownerId < b.ownerId ? -1 : 1))[0];
      if (over) give(t, over.ownerId, true);
      else waiting.push(t);
    } else waiting.push(t);
  }
  return { assigned, waiting, byOwner, capacity, urgentOverCapacity: urgentOver };
}

/** The key of `dispatchReaches`' probe (no real key starts with a NUL). */
const PROBE_KEY = '\u0000probe';

/**
 * Whether today's dispatch would still give a place to ordinary pool work (not urgent, no onboarding
 * CSM, no series owner) ranked `rank`: a member or the queue keeps room once everything in `tasks`
 * ranked above it has its place. A run that read only the waiting work ranked at or above some
 * line asks this just below the line: when the answer is no, nothing below could be created today
 * whether it was read or not.
 *
 * @example
 * dispatchReaches(waiting, members, config, now, 0, cutoff - 0.05) // false when the day is full above the cutoff
 */
export function dispatchReaches(tasks: readonly WaitingTask[], members: readonly MemberDay[], config: Config, now: Date, queueGivenToday: number, rank: number): boolean {
  const probe: WaitingTask = { accountId: '', key: PROBE_KEY, playbook: '', step: '', subject: '', body: '', dueAt: '', priority: 'LOW', ownerId: null, queueId: null, trigger: { rule: '', values: {} }, rank, urgent: false, pinnedOwner: false, preferredOwnerId: null };
  return dispatchDay([...tasks, probe], members, config, now, queueGivenToday).assigned.some((t) => t.key === PROBE_KEY);
}

/**
 * The body with the day of the dispatch, before the key line (the capacity a day already used is read back from it).
 * @example
 * withDispatchLine('Why: …\nIdempotency key: cs:1:x:y:z', day) // 'Why: …\nDispatched on 2026-11-30 (…)\nIdempotency key: cs:1:x:y:z'
 */
export function withDispatchLine(body: string, day: number): string {
  const line = `Dispatched on ${formatIsoDay(day)} (the day's capacity).`;
  const at = body.lastIndexOf('\nIdempotency key:');
  return at < 0 ? `${body}\n${line}` : `${body.slice(0, at)}\n${line}${body.slice(at)}`;
}

function stripDispatch(t: WaitingTask): PlannedTask {
  const { preferredOwnerId: _p, companyRanks: _r, ...rest } = t;
  return rest;
}

/** Days between an ISO day and today (0 when unknown). */
export function daysSince(day: IsoDate | null, now: Date): number {
  const d = parseIsoDay(day);
  return d === null ? 0 : Math.max(0, utcDay(now) - d);
}

