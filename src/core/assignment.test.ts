import { assignOnboardingCsm, availabilityOf, assignPoolTask, createAssignmentState, fairness, loadOf, loadsOf, rotationOf, taskRotationOf, type AssignmentState } from './assignment';
import { defaultConfig, type Config, type PoolMember } from './config';
import { makeAccount } from './test-support';
import type { Owner } from './types';

const now = new Date('2026-06-16T08:00:00Z'); // a Tuesday (UTC)
const owner = (id: string, over: Partial<Owner> = {}): Owner => ({ id, userId: Number(id), email: null, firstName: null, lastName: null, active: true, archived: false, teams: [], ...over });
const member = (ownerId: string, over: Partial<PoolMember> = {}): PoolMember => ({ ownerId, skills: [], coverageDays: [], outOfOffice: [], capacity: 20, ...over });

function setup(members: PoolMember[], owners: Owner[], loads: [string, number][] = [], rotation?: string[]): { config: Config; state: AssignmentState } {
  const config = defaultConfig();
  config.pool.members = members;
  return { config, state: createAssignmentState({ members, owners, loads: new Map(loads), rotation }) };
}

describe('assignOnboardingCsm', () => {
  it('picks the least loaded eligible member', () => {
    const { config, state } = setup([member('1'), member('2'), member('3')], [owner('1'), owner('2'), owner('3')], [['1', 5], ['2', 2], ['3', 4]]);
    const r = assignOnboardingCsm(makeAccount(), state, config, now);
    expect(r).toMatchObject({ ok: true, ownerId: '2', kept: false });
    if (!r.ok) return;
    expect(loadOf(r.state, '2')).toBe(3);
    expect(loadOf(state, '2')).toBe(2); // input untouched
    expect(loadsOf(r.state)).toEqual(new Map([['1', 5], ['2', 3], ['3', 4]]));
  });

  it('filters on skills, coverage day (UTC), out of office, capacity, inactive and archived owners', () => {
    const members = [
      member('skill', { skills: ['fr'] }),
      member('weekend', { skills: ['de'], coverageDays: ['sat', 'sun'] }),
      member('ooo', { skills: ['de'], outOfOffice: [{ from: '2026-06-15', to: '2026-06-16' }] }),
      member('full', { skills: ['de'], capacity: 2 }),
      member('inactive', { skills: ['de'] }),
      member('archived', { skills: ['de'] }),
      member('ok', { skills: ['de', 'fr'], coverageDays: ['tue', 'wed', 'thu'] }),
    ];
    const owners = [owner('skill'), owner('weekend'), owner('ooo'), owner('full'), owner('inactive', { active: false }), owner('archived', { archived: true }), owner('ok')];
    const { config, state } = setup(members, owners, [['full', 2], ['ok', 10]]);
    const r = assignOnboardingCsm(makeAccount({ requiredSkills: ['de'] }), state, config, now);
    expect(r).toMatchObject({ ok: true, ownerId: 'ok' });
    // On Monday the only skilled member is off.
    const mon = assignOnboardingCsm(makeAccount({ requiredSkills: ['de'] }), state, config, new Date('2026-06-15T23:59:59Z'));
    expect(mon.ok).toBe(false);
    expect(mon.reason).toMatch(/2 inactive or unknown, 1 lack skills \[de\], 2 off on mon, 1 out of office, 1 at capacity/);
  });

  it('respects the config cap even when member capacity is higher', () => {
    const { config, state } = setup([member('1', { capacity: 50 })], [owner('1')], [['1', 20]]);
    expect(assignOnboardingCsm(makeAccount(), state, config, now)).toMatchObject({ ok: false });
  });

  it('keeps a manual assignment and flags an inactive one for reassignment', () => {
    const { config, state } = setup([member('1')], [owner('1'), owner('9', { active: false })]);
    expect(assignOnboardingCsm(makeAccount({ onboardingCsmId: '42' }), state, config, now)).toMatchObject({ ok: false, needsReassignment: true });
    expect(assignOnboardingCsm(makeAccount({ onboardingCsmId: '9' }), state, config, now)).toMatchObject({ ok: false, needsReassignment: true });
    const keep = assignOnboardingCsm(makeAccount({ onboardingCsmId: '1' }), state, config, now);
    expect(keep).toMatchObject({ ok: true, ownerId: '1', kept: true });
    if (keep.ok) expect(keep.state).toBe(state);
  });

  it('rotates fairly among equals, and a member joining does not reshuffle the others', () => {
    const members = [member('a'), member('b'), member('c')];
    const owners = [owner('a'), owner('b'), owner('c'), owner('d')];
    let { config, state } = setup(members, owners);
    const picks: string[] = [];
    // Each finished onboarding frees the load: loads stay equal so only the rotation decides.
    for (let i = 0; i < 6; i++) {
      const r = assignOnboardingCsm(makeAccount(), state, config, now);
      if (!r.ok) throw new Error(r.reason);
      picks.push(r.ownerId);
      state = { ...r.state, loads: new Int32Array(r.state.members.length) };
    }
    expect(picks).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    // 'd' joins; a persisted rotation keeps a/b/c's order and d (never assigned) goes first.
    const rotation = rotationOf(state);
    expect(rotation).toEqual(['a', 'b', 'c']);
    ({ config, state } = setup([member('d'), ...members], owners, [], rotation));
    const next: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = assignOnboardingCsm(makeAccount(), state, config, now);
      if (!r.ok) throw new Error(r.reason);
      next.push(r.ownerId);
      state = { ...r.state, loads: new Int32Array(r.state.members.length) };
    }
    expect(next).toEqual(['d', 'a', 'b', 'c']);
  });

  it('10,000 accounts over 60 identical CSMs: max/min load ≤ 1.1', () => {
    const members = Array.from({ length: 60 }, (_, i) => member(`o${i}`, { capacity: 1000 }));
    const { config, state: s0 } = setup(members, members.map((m) => owner(m.ownerId)));
    config.assignment.concurrentOnboardingCap = 1000;
    let state = s0;
    for (let i = 0; i < 10_000; i++) {
      const r = assignOnboardingCsm(makeAccount({ id: String(i) }), state, config, now);
      if (!r.ok) throw new Error(r.reason);
      state = r.state;
    }
    const f = fairness(members.map((m) => loadOf(state, m.ownerId)));
    expect(f.min).toBe(166);
    expect(f.max).toBe(167);
    expect(f.ratio).toBeLessThanOrEqual(1.1);
  });
});

describe('assignPoolTask', () => {
  it('uses the queue when configured', () => {
    const { config, state } = setup([member('1')], [owner('1')]);
    config.pool.queueId = 'q-9';
    expect(assignPoolTask(state, config)).toMatchObject({ queueId: 'q-9', ownerId: null });
  });

  it('else the least-loaded active member in rotation, skipping inactive ones', () => {
    const { config, state } = setup([member('1'), member('2'), member('3')], [owner('1'), owner('2', { archived: true }), owner('3')]);
    const a = assignPoolTask(state, config, now);
    const b = assignPoolTask(a.state, config, now);
    const c = assignPoolTask(b.state, config, now);
    expect([a.ownerId, b.ownerId, c.ownerId]).toEqual(['1', '3', '1']);
  });

  it('reports when no one can take it', () => {
    const { config, state } = setup([], []);
    expect(assignPoolTask(state, config)).toMatchObject({ queueId: null, ownerId: null });
  });
});

describe('fairness', () => {
  it('handles empty, zero and unequal loads', () => {
    expect(fairness([])).toEqual({ max: 0, min: 0, ratio: 1, gini: 0 });
    expect(fairness([0, 0])).toEqual({ max: 0, min: 0, ratio: 1, gini: 0 });
    expect(fairness([0, 5]).ratio).toBeNull();
    expect(fairness([5, 5, 5]).gini).toBe(0);
    expect(fairness([0, 0, 0, 10]).gini).toBeCloseTo(0.75);
    expect(fairness([10, 11]).ratio).toBeCloseTo(1.1);
  });
});

describe('assignment state: saved and restored', () => {
  test('loads, rotation and task rotation restored from their saved forms continue exactly as the original', () => {
    const config = defaultConfig();
    const members = ['1', '2', '3', '4'].map((id) => ({ ownerId: id, skills: [], coverageDays: [], outOfOffice: [], capacity: 50 }));
    config.pool.members = members;
    const owners = members.map((m) => ({ id: m.ownerId, userId: 1, email: null, firstName: null, lastName: null, active: true, archived: false, teams: [] }));
    let state = createAssignmentState({ members, owners });
    const newAccount = (i: number) => makeAccount({ id: String(i), onboardingCsmId: null });
    for (let i = 0; i < 7; i++) {
      const r = assignOnboardingCsm(newAccount(i), state, config, now);
      state = r.state;
      if (i % 2 === 0) state = assignPoolTask(state, config, now).state;
    }
    const restored = createAssignmentState({ members, owners, loads: loadsOf(state), taskLoads: loadsOf(state, 'tasks'), rotation: rotationOf(state), taskRotation: taskRotationOf(state) });
    let a = state;
    let b = restored;
    for (let i = 7; i < 30; i++) {
      const ra = assignOnboardingCsm(newAccount(i), a, config, now);
      const rb = assignOnboardingCsm(newAccount(i), b, config, now);
      expect(rb.ok && rb.ownerId).toBe(ra.ok && ra.ownerId);
      const ta = assignPoolTask(ra.state, config, now);
      const tb = assignPoolTask(rb.state, config, now);
      expect(tb.ownerId).toBe(ta.ownerId);
      a = ta.state;
      b = tb.state;
    }
  });
});

describe('availabilityOf', () => {
  test('says why a member cannot take work today', () => {
    const members = [member('1'), member('2', { coverageDays: ['mon'] }), member('3', { outOfOffice: [{ from: '2026-06-15', to: '2026-06-20' }] }), member('4')];
    const state = createAssignmentState({ members, owners: [owner('1'), owner('2'), owner('3'), owner('4', { active: false })] });
    // `now` is a Tuesday.
    expect(['1', '2', '3', '4', '99'].map((id) => availabilityOf(state, id, now))).toEqual(['available', 'off', 'out_of_office', 'inactive', 'not_in_pool']);
  });
});
