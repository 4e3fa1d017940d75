import { defaultConfig, type Config, type PoolMember } from './config';
import type { Owner, PlannedTask } from './types';
import { capacityToday, dispatchDay, dispatchReaches, isUrgent, nextBacklog, taskRank, waitingSince, workOfKey, type WaitingTask } from './workload';

const owner = (id: string, active = true): Owner => ({ id, userId: null, email: null, firstName: null, lastName: null, active, archived: false, teams: [] });
const member = (ownerId: string, fields: Partial<PoolMember> = {}): PoolMember => ({ ownerId, skills: [], coverageDays: [], outOfOffice: [], capacity: 20, ...fields });

function configWith(members: PoolMember[], patch: (c: Config) => void = () => undefined): Config {
  const c = defaultConfig();
  c.pool.members = members;
  patch(c);
  return c;
}

let seq = 0;
function task(fields: Partial<WaitingTask> = {}): WaitingTask {
  seq++;
  const t: PlannedTask = {
    accountId: String(seq),
    key: `cs:${seq}:no_touch:check_in:2026-W48`,
    playbook: 'no_touch',
    step: 'check_in',
    subject: 's',
    body: 'b',
    dueAt: '2026-11-30T09:00:00.000Z',
    priority: 'MEDIUM',
    ownerId: '\u0000pool',
    queueId: null,
    trigger: { rule: 'r', values: {} },
    rank: 200,
  };
  return { ...t, ...fields };
}

// 2026-11-28 is a Saturday.
const saturday = new Date('2026-11-28T09:00:00Z');
const monday = new Date('2026-11-30T09:00:00Z');
const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

describe('taskRank', () => {
  it('adds band severity, ARR, renewal proximity and days waiting, as documented', () => {
    const c = defaultConfig();
    expect(taskRank({ priority: 'HIGH', band: 'at_risk', acv: 40_000, daysToRenewal: 30, daysWaiting: 2 }, c)).toBe(300 + 60 + 20 + 30 + 6);
    expect(taskRank({ priority: 'LOW', band: null, acv: null, daysToRenewal: null, daysWaiting: 0 }, c)).toBe(100 + 15);
    // bounded: ARR and waiting points have a ceiling
    expect(taskRank({ priority: 'LOW', band: 'healthy', acv: 10_000_000, daysToRenewal: 400, daysWaiting: 1000 }, c)).toBe(100 + 0 + 50 + 0 + 90);
  });

  it('a task that waits long enough overtakes newer work of the same kind', () => {
    const c = defaultConfig();
    const old = taskRank({ priority: 'MEDIUM', band: 'watch', acv: 5000, daysToRenewal: null, daysWaiting: 10 }, c);
    const fresh = taskRank({ priority: 'MEDIUM', band: 'watch', acv: 5000, daysToRenewal: null, daysWaiting: 0 }, c);
    expect(old).toBeGreaterThan(fresh);
  });
});

describe('isUrgent', () => {
  it('renewal within 30 days, or a named account at risk', () => {
    const c = defaultConfig();
    expect(isUrgent({ playbook: 'renewal', daysToRenewal: 30, segment: 'pooled', band: 'healthy' }, c)).toBe(true);
    expect(isUrgent({ playbook: 'renewal', daysToRenewal: 31, segment: 'pooled', band: 'healthy' }, c)).toBe(false);
    expect(isUrgent({ playbook: 'no_login', daysToRenewal: 10, segment: 'named', band: 'at_risk' }, c)).toBe(true);
    expect(isUrgent({ playbook: 'no_login', daysToRenewal: null, segment: 'mid_pooled', band: 'at_risk' }, c)).toBe(false);
  });
});

describe('backlog', () => {
  it('keeps when work started waiting, also when its weekly period moves on', () => {
    expect(workOfKey('cs:1:no_login:reengage:2026-W49')).toBe('no_login:reengage');
    // Any key, well formed or not, reads as fields 2 and 3 of its ':'-split.
    for (const k of ['', 'cs', 'cs:1', 'cs:1:', 'cs:1:renewal', 'cs:1:renewal:d60', 'cs:1:renewal:d60:', 'cs:1:renewal:d60:2027-01-31:x', '::::', 'a:b:c:d:e:f']) {
      const parts = k.split(':');
      expect(workOfKey(k)).toBe(`${parts[2] ?? ''}:${parts[3] ?? ''}`);
    }
    expect(waitingSince([], 'cs:1:no_login:reengage:2026-W49', '2026-12-01')).toBe('2026-12-01');
    const before = ['cs:1:no_login:reengage:2026-W48@2026-11-25'];
    const since = waitingSince([{ key: 'cs:1:no_login:reengage:2026-W48', since: '2026-11-25' }], 'cs:1:no_login:reengage:2026-W49', '2026-12-01');
    expect(since).toBe('2026-11-25');
    const r = nextBacklog(before, [{ key: 'cs:1:no_login:reengage:2026-W49' }], [], '2026-12-01', 20);
    expect(r).toEqual({ entries: ['cs:1:no_login:reengage:2026-W49@2026-11-25'], noLongerNeeded: [], oldest: '2026-11-25' });
  });

  it('created work leaves; work the rules no longer want leaves as no longer needed; nothing twice', () => {
    const before = ['cs:1:renewal:d30:2027-01-01@2026-11-20', 'cs:1:no_touch:check_in:2026-W47@2026-11-18'];
    const r = nextBacklog(before, [{ key: 'cs:1:usage_drop:alert-call:2026-W48' }, { key: 'cs:1:usage_drop:alert-call:2026-W48' }], ['cs:1:renewal:d30:2027-01-01'], '2026-12-01', 20);
    expect(r.entries).toEqual(['cs:1:usage_drop:alert-call:2026-W48@2026-12-01']);
    expect(r.noLongerNeeded).toEqual(['cs:1:no_touch:check_in:2026-W47']);
  });

  it('blank and malformed entries do not crash (waiting since today)', () => {
    const r = nextBacklog(['', '  ', 'cs:1:no_touch:check_in:2026-W48@not-a-day'], [{ key: 'cs:1:no_touch:check_in:2026-W48' }], [], '2026-12-01', 20);
    expect(r.entries).toEqual(['cs:1:no_touch:check_in:2026-W48@2026-12-01']);
  });
});

describe('capacityToday', () => {
  const owners = new Map([
    ['1', owner('1')],
    ['2', owner('2')],
    ['3', owner('3', false)],
  ]);
  it('tasksPerDay for members working today; 0 when off, out of office or inactive; less what passes maxOpenTasks', () => {
    const c = configWith([member('1', { coverageDays: [...weekdays] }), member('2', { tasksPerDay: 5 }), member('3')]);
    expect(capacityToday(c, owners, saturday, new Map()).map((m) => [m.ownerId, m.allowed])).toEqual([
      ['1', 0],
      ['2', 5],
      ['3', 0],
    ]);
    expect(capacityToday(c, owners, monday, new Map([['1', 38]])).map((m) => m.allowed)).toEqual([2, 5, 0]);
    expect(capacityToday(c, owners, monday, new Map([['1', 45]]))[0]?.allowed).toBe(0);
    // A second run the same day: what the first gave counts.
    expect(capacityToday(c, owners, monday, new Map(), new Map([['1', 6]]))[0]?.allowed).toBe(2);
    // …and what it gave beyond the day's capacity used the urgent allowance: 10 given to a CSM of 8 a
    // day; 4 given to a CSM who started the day at maxOpenTasks (40 open then, 44 now).
    expect(capacityToday(c, owners, monday, new Map([['1', 10]]), new Map([['1', 10]]))[0]).toMatchObject({ allowed: 0, extraUsed: 2 });
    expect(capacityToday(c, owners, monday, new Map([['1', 44]]), new Map([['1', 4]]))[0]).toMatchObject({ allowed: 0, extraUsed: 4 });
    expect(capacityToday(c, owners, monday, new Map([['1', 37]]), new Map([['1', 4]]))[0]).toMatchObject({ allowed: 3, open: 37 });
    expect(capacityToday(c, owners, monday, new Map([['1', 37]]), new Map([['1', 4]]))[0]?.extraUsed).toBeUndefined();
    const ooo = configWith([member('1', { outOfOffice: [{ from: '2026-11-30', to: '2026-12-04' }] })]);
    expect(capacityToday(ooo, owners, monday, new Map())[0]).toMatchObject({ available: false, allowed: 0 });
  });
});

describe('dispatchDay', () => {
  const owners = new Map(['1', '2', '3'].map((id) => [id, owner(id)]));

  it('creates only the capacity of the CSMs working today, highest priority first; the rest waits', () => {
    const c = configWith([member('1', { coverageDays: [...weekdays] }), member('2', { coverageDays: ['sat'] }), member('3', { coverageDays: [...weekdays] })]);
    const tasks = Array.from({ length: 30 }, (_, i) => task({ rank: i }));
    const r = dispatchDay(tasks, capacityToday(c, owners, saturday, new Map()), c, saturday);
    expect(r.assigned).toHaveLength(8);
    expect(new Set(r.assigned.map((t) => t.ownerId))).toEqual(new Set(['2']));
    expect(r.assigned.map((t) => t.rank)).toEqual([29, 28, 27, 26, 25, 24, 23, 22]);
    expect(r.waiting).toHaveLength(22);
    expect(r.capacity).toEqual({ '1': 0, '2': 8, '3': 0 });
    expect(r.byOwner).toEqual({ '2': 8 });
  });

  it('due dates fall on the assignee’s working days', () => {
    const c = configWith([member('1', { coverageDays: ['mon', 'wed'] })]);
    // Due on Tuesday by the rule → moved to Wednesday for a Mon/Wed CSM.
    const r = dispatchDay([task({ dueDay: Date.UTC(2026, 11, 1) / 86_400_000 })], capacityToday(c, owners, monday, new Map()), c, monday);
    expect(r.assigned[0]?.dueAt).toBe('2026-12-02T09:00:00.000Z');
  });

  it('a due day inside an absence longer than two weeks moves before it, never onto a day off', () => {
    // Works Tue–Sat, away 30 Nov – 12 Dec; given a task on Saturday 28 Nov due Sunday 29 Nov → due that Saturday.
    const sat = configWith([member('1', { coverageDays: ['tue', 'wed', 'thu', 'fri', 'sat'], outOfOffice: [{ from: '2026-11-30', to: '2026-12-12' }] })]);
    const r = dispatchDay([task({ dueDay: Date.UTC(2026, 10, 29) / 86_400_000 })], capacityToday(sat, owners, saturday, new Map()), sat, saturday);
    expect(r.assigned[0]?.dueAt).toBe('2026-11-28T09:00:00.000Z');
    // Works Mon–Fri, away 30 Nov – 13 Dec; given on Monday 23 Nov a task due 30 Nov → due Friday 27 Nov.
    const mon = configWith([member('1', { coverageDays: [...weekdays], outOfOffice: [{ from: '2026-11-30', to: '2026-12-13' }] })]);
    const m = dispatchDay([task({ dueDay: Date.UTC(2026, 10, 30) / 86_400_000 })], capacityToday(mon, owners, new Date('2026-11-23T09:00:00Z'), new Map()), mon, new Date('2026-11-23T09:00:00Z'));
    expect(m.assigned[0]?.dueAt).toBe('2026-11-27T09:00:00.000Z');
  });

  it('spreads tasks evenly over the CSMs working today (fair over tasks)', () => {
    const c = configWith([member('1'), member('2'), member('3')]);
    const r = dispatchDay(Array.from({ length: 12 }, () => task()), capacityToday(c, owners, monday, new Map()), c, monday);
    expect(r.byOwner).toEqual({ '1': 4, '2': 4, '3': 4 });
  });

  it('a company’s series stays with the CSM who took its previous task when they work today', () => {
    const c = configWith([member('1'), member('2'), member('3')]);
    const r = dispatchDay([task({ preferredOwnerId: '3' }), task({ preferredOwnerId: '3' })], capacityToday(c, owners, monday, new Map()), c, monday);
    expect(r.assigned.map((t) => t.ownerId)).toEqual(['3', '3']);
    // …not when they are off today.
    const off = configWith([member('1'), member('2'), member('3', { coverageDays: ['sun'] })]);
    const r2 = dispatchDay([task({ preferredOwnerId: '3' })], capacityToday(off, owners, monday, new Map()), off, monday);
    expect(r2.assigned[0]?.ownerId).not.toBe('3');
  });

  it('urgent work may exceed capacity, counted as such; nothing goes to someone off today', () => {
    const c = configWith([member('1', { tasksPerDay: 1 }), member('2', { coverageDays: ['sun'] })]);
    const r = dispatchDay([task({ rank: 1 }), task({ urgent: true, rank: 0 }), task({ urgent: true, rank: 0 })], capacityToday(c, owners, monday, new Map()), c, monday);
    expect(r.assigned.every((t) => t.ownerId === '1')).toBe(true);
    expect(r.assigned.filter((t) => t.urgent)).toHaveLength(2);
    expect(r.urgentOverCapacity).toBe(1);
    expect(r.waiting).toHaveLength(1);
  });

  it('the onboarding CSM keeps their onboarding tasks; they wait while the CSM is off', () => {
    const c = configWith([member('1', { coverageDays: [...weekdays] }), member('2')]);
    const pinned = task({ ownerId: '1', pinnedOwner: true, playbook: 'onboarding' });
    expect(dispatchDay([pinned], capacityToday(c, owners, saturday, new Map()), c, saturday).waiting).toHaveLength(1);
    expect(dispatchDay([pinned], capacityToday(c, owners, monday, new Map()), c, monday).assigned[0]?.ownerId).toBe('1');
  });

  it('urgent work beyond the per-CSM allowance waits (first in line tomorrow)', () => {
    const c = configWith([member('1', { tasksPerDay: 1 })], (x) => (x.workload.urgent.maxExtraPerCsm = 2));
    const r = dispatchDay(Array.from({ length: 6 }, () => task({ urgent: true })), capacityToday(c, owners, monday, new Map()), c, monday);
    expect(r.assigned).toHaveLength(3);
    expect(r.urgentOverCapacity).toBe(2);
    expect(r.waiting).toHaveLength(3);
  });

  it('the urgent allowance is per day: a second run the same day gives only what the first left of it', () => {
    const c = configWith([member('1', { tasksPerDay: 1 })], (x) => (x.workload.urgent.maxExtraPerCsm = 2));
    const urgent = () => Array.from({ length: 6 }, () => task({ urgent: true }));
    // The first run gave 1 + 2 (capacity and the whole allowance): a rerun gives nothing more.
    const rerun = dispatchDay(urgent(), capacityToday(c, owners, monday, new Map(), new Map([['1', 3]])), c, monday);
    expect(rerun.assigned).toHaveLength(0);
    expect(rerun.urgentOverCapacity).toBe(0);
    // One beyond capacity given earlier: one more urgent today.
    const partly = dispatchDay(urgent(), capacityToday(c, owners, monday, new Map(), new Map([['1', 2]])), c, monday);
    expect(partly.assigned).toHaveLength(1);
    expect(partly.urgentOverCapacity).toBe(1);
  });

  it('a configured queue takes pool work under the same capacity', () => {
    const c = configWith([member('1'), member('2', { coverageDays: ['sun'] })], (x) => (x.pool.queueId = 'q-9'));
    const r = dispatchDay(Array.from({ length: 20 }, () => task()), capacityToday(c, owners, monday, new Map()), c, monday);
    expect(r.assigned).toHaveLength(8);
    expect(r.assigned.every((t) => t.queueId === 'q-9' && t.ownerId === null)).toBe(true);
    expect(r.byOwner).toEqual({ 'queue:q-9': 8 });
  });

  it('the queue takes what the working CSMs have left after their onboarding schedules (the same people work it)', () => {
    const c = configWith([member('1'), member('2')], (x) => (x.pool.queueId = 'q-9'));
    const pinned = Array.from({ length: 5 }, () => task({ ownerId: '1', pinnedOwner: true, playbook: 'onboarding' }));
    const r = dispatchDay([...pinned, ...Array.from({ length: 30 }, () => task())], capacityToday(c, owners, monday, new Map()), c, monday);
    // 2 × 8 = 16 for the day: 5 onboarding steps to CSM 1, 11 to the queue (not 16 more).
    expect(r.byOwner).toEqual({ '1': 5, 'queue:q-9': 11 });
    // A configured queue capacity is taken as it is.
    const fixed = configWith([member('1'), member('2')], (x) => {
      x.pool.queueId = 'q-9';
      x.workload.queueTasksPerDay = 3;
    });
    expect(dispatchDay([...pinned, ...Array.from({ length: 30 }, () => task())], capacityToday(fixed, owners, monday, new Map()), fixed, monday).byOwner['queue:q-9']).toBe(3);
  });

  it('a rerun the same day: what the queue was given earlier counts against the day (then against its urgent allowance)', () => {
    const c = configWith([member('1'), member('2')], (x) => (x.pool.queueId = 'q-9'));
    const work = () => [...Array.from({ length: 30 }, () => task()), ...Array.from({ length: 5 }, () => task({ urgent: true, rank: 500 }))];
    const first = dispatchDay(work(), capacityToday(c, owners, monday, new Map()), c, monday);
    const extra = c.workload.urgent.maxExtraPerCsm * 2;
    expect(first.byOwner['queue:q-9']).toBe(16);
    // Same day, the queue's tasks (no owner) were given: nothing more but what the urgent allowance has left.
    const again = dispatchDay(work(), capacityToday(c, owners, monday, new Map()), c, monday, first.byOwner['queue:q-9']);
    expect(again.assigned).toHaveLength(Math.min(5, extra));
    expect(again.assigned.every((t) => t.urgent === true)).toBe(true);
    expect(again.urgentOverCapacity).toBe(again.assigned.length);
    // The allowance spent too: nothing at all.
    expect(dispatchDay(work(), capacityToday(c, owners, monday, new Map()), c, monday, 16 + extra).assigned).toHaveLength(0);
    // Half the day given: the other half.
    expect(dispatchDay(work(), capacityToday(c, owners, monday, new Map()), c, monday, 8).byOwner['queue:q-9']).toBe(8);
    // With a configured queue capacity.
    const fixed = configWith([member('1'), member('2')], (x) => {
      x.pool.queueId = 'q-9';
      x.workload.queueTasksPerDay = 3;
    });
    expect(dispatchDay(work(), capacityToday(fixed, owners, monday, new Map()), fixed, monday, 2).byOwner['queue:q-9']).toBe(1 + Math.min(5 - 1, extra));
    expect(dispatchDay(Array.from({ length: 9 }, () => task()), capacityToday(fixed, owners, monday, new Map()), fixed, monday, 3).assigned).toHaveLength(0);
  });

  it('nobody working: everything waits (no crash, no owner)', () => {
    const c = configWith([]);
    const r = dispatchDay([task(), task({ urgent: true })], capacityToday(c, owners, monday, new Map()), c, monday);
    expect(r.assigned).toHaveLength(0);
    expect(r.waiting).toHaveLength(2);
  });
});

describe('dispatchReaches', () => {
  const owners = new Map(['1', '2'].map((id) => [id, owner(id)]));
  const c = configWith([member('1'), member('2')]);
  const members = () => capacityToday(c, owners, monday, new Map());

  it('is true while the day keeps room below the given rank, false once work ranked above it fills the day', () => {
    // Two CSMs, 8 a day each: 16 places.
    const above = (n: number) => Array.from({ length: n }, () => task({ rank: 300 }));
    expect(dispatchReaches(above(15), members(), c, monday, 0, 299.95)).toBe(true);
    expect(dispatchReaches(above(16), members(), c, monday, 0, 299.95)).toBe(false);
    // Work ranked below it does not take its place; urgent and onboarding work does, whatever its rank.
    const below = Array.from({ length: 30 }, () => task({ rank: 100 }));
    expect(dispatchReaches([...above(15), ...below], members(), c, monday, 0, 299.95)).toBe(true);
    expect(dispatchReaches([...above(15), task({ urgent: true, rank: 0 })], members(), c, monday, 0, 299.95)).toBe(false);
    expect(dispatchReaches([...above(15), task({ ownerId: '1', pinnedOwner: true, playbook: 'onboarding', rank: 0 })], members(), c, monday, 0, 299.95)).toBe(false);
    // Urgent work over capacity does not leave room for ordinary work.
    expect(dispatchReaches(Array.from({ length: 20 }, () => task({ urgent: true, rank: 500 })), members(), c, monday, 0, 299.95)).toBe(false);
    // Nobody working today: no room.
    const weekdaysOnly = configWith([member('1', { coverageDays: [...weekdays] }), member('2', { coverageDays: [...weekdays] })]);
    expect(dispatchReaches([], capacityToday(weekdaysOnly, owners, saturday, new Map()), weekdaysOnly, saturday, 0, 299.95)).toBe(false);
    expect(dispatchReaches([], capacityToday(weekdaysOnly, owners, monday, new Map()), weekdaysOnly, monday, 0, 299.95)).toBe(true);
  });

  it('counts the queue: room left in it is room below the rank', () => {
    const q = configWith([member('1'), member('2')], (x) => {
      x.pool.queueId = 'q-9';
      x.workload.queueTasksPerDay = 3;
    });
    const m = capacityToday(q, owners, monday, new Map());
    expect(dispatchReaches([task({ rank: 300 }), task({ rank: 300 })], m, q, monday, 0, 299.95)).toBe(true);
    expect(dispatchReaches([task({ rank: 300 }), task({ rank: 300 })], m, q, monday, 1, 299.95)).toBe(false);
  });
});
