import fc from 'fast-check';
import { createAssignmentState, loadOf } from './assignment';
import { configVersion, defaultConfig } from './config';
import { evaluateAccount } from './evaluate';
import { withTaskTexts, withTouchTexts } from './playbooks';
import { computeHealth, withCap } from './health';
import { computeLifecycle } from './lifecycle';
import { riskTaskCaps } from './risk-cap';
import { computeSegment } from './segment';
import { makeAccount } from './test-support';
import type { Account, Owner, PlannedTask } from './types';

const owner = (id: string, active = true): Owner => ({ id, userId: null, email: null, firstName: null, lastName: null, active, archived: false, teams: [] });
const config = defaultConfig();
config.pool.members = [
  { ownerId: '1', skills: [], coverageDays: [], outOfOffice: [], capacity: 20 },
  { ownerId: '2', skills: [], coverageDays: [], outOfOffice: [], capacity: 20 },
];
const version = configVersion(config);
const now = new Date('2026-06-16T15:00:00Z');
const ctx = (owners: Owner[] = [owner('1'), owner('2')]) => ({ config, configVersion: version, now, assignment: createAssignmentState({ members: config.pool.members, owners, loads: new Map([['1', 3]]) }) });

describe('evaluateAccount', () => {
  it('starts onboarding a new customer: CSM assigned, tasks to the CSM, full next state', () => {
    const account = makeAccount({ id: '9', acv: 30_000, contractStartDate: '2026-06-16' });
    const ev = evaluateAccount(account, ctx());
    expect(ev.assignment).toMatchObject({ ok: true, ownerId: '2', kept: false });
    expect(ev.lifecycle).toMatchObject({ stage: 'onboarding', day: 1 });
    expect(ev.lifecycle.exitCriteria.find((c) => c.id === 'csm_assigned')?.met).toBe(true);
    // One step: the Day 0 welcome is the kick-off (the new-contract rule stays quiet), pinned to the CSM.
    expect(ev.tasks.map((t) => [t.key, t.ownerId, t.pinnedOwner])).toEqual([['cs:9:onboarding:day0:2026-06-16', '2', true]]);
    expect(loadOf(ev.state, '2')).toBe(1);
    expect(ev.next).toMatchObject({
      segment: 'mid_pooled',
      lifecycleStage: 'onboarding',
      onboardingCsmId: '2',
      onboardingStartDate: '2026-06-16',
      graduationDate: '2026-09-14',
      graduatedAt: null,
      configVersion: version,
      healthComputedAt: '2026-06-16T15:00:00.000Z',
      healthBand: 'unknown',
    });
    expect(ev.next.playbookLedger).toHaveLength(1);
  });

  it('is idempotent: re-evaluating with the next state plans nothing new', () => {
    const account = makeAccount({ id: '9', acv: 30_000, contractStartDate: '2026-06-16' });
    const first = evaluateAccount(account, ctx());
    const second = evaluateAccount({ ...account, ...first.next, openCsTasks: 2 }, { ...ctx(), assignment: first.state });
    expect(second.tasks).toEqual([]);
    expect(second.skipped.every((s) => s.reason === 'ledger')).toBe(true);
    expect(second.assignment).toMatchObject({ ok: true, kept: true, ownerId: '2' });
    expect(second.next.playbookLedger).toEqual(first.next.playbookLedger);
  });

  it('sends graduated accounts\' tasks to the pool (queue if configured)', () => {
    const account = makeAccount({ id: '5', acv: 5_000, graduatedAt: '2026-01-01', onboardingStartDate: '2025-10-01', renewalDate: '2026-07-01' });
    const ev = evaluateAccount(account, ctx());
    expect(ev.assignment).toBeNull();
    expect(ev.tasks[0]).toMatchObject({ playbook: 'renewal', ownerId: '1', queueId: null });
    const queued = evaluateAccount(account, { ...ctx(), config: { ...config, pool: { ...config.pool, queueId: 'q-1' } } });
    expect(queued.tasks[0]).toMatchObject({ queueId: 'q-1', ownerId: null });
  });

  it('flags a deactivated onboarding CSM and routes onboarding tasks to the pool', () => {
    const account = makeAccount({ id: '6', onboardingCsmId: '3', contractStartDate: '2026-06-16' });
    const ev = evaluateAccount(account, ctx([owner('1'), owner('2'), owner('3', false)]));
    expect(ev.assignment).toMatchObject({ ok: false, needsReassignment: true });
    expect(ev.next.onboardingCsmId).toBe('3');
    expect(ev.tasks.every((t) => t.ownerId === '1' || t.ownerId === '2')).toBe(true);
  });

  it('clears an expired override in the next state', () => {
    const account: Account = makeAccount({ acv: 5_000, segment: 'named', segmentOverride: { segment: 'named', reason: 'x', expires: '2026-06-01' } });
    const ev = evaluateAccount(account, ctx());
    expect(ev.next.segmentOverride).toBeNull();
    expect(ev.next.segment).toBe('pooled');
    const active = evaluateAccount({ ...account, segmentOverride: { segment: 'named', reason: 'x', expires: '2026-07-01' } }, ctx());
    expect(active.next.segmentOverride).not.toBeNull();
  });

  it('handles an account with every field unknown', () => {
    const ev = evaluateAccount(makeAccount(), ctx());
    expect(ev.next).toMatchObject({ segment: 'pooled', healthScore: null, healthBand: 'unknown', lifecycleStage: 'not_started', playbookLedger: [] });
    expect(ev.tasks).toEqual([]);
  });
});

describe('evaluateAccount: an assignment that completes the exit criteria', () => {
  test('an overdue onboarding graduating on assignment takes no onboarding place', () => {
    const config = defaultConfig();
    config.pool.members = [{ ownerId: '7', skills: [], coverageDays: [], outOfOffice: [], capacity: 5 }];
    const now = new Date('2026-11-23T09:00:00Z');
    const owners = [{ id: '7', userId: 1, email: 'a@example.com', firstName: 'A', lastName: 'B', active: true, archived: false, teams: [] }];
    const state = createAssignmentState({ members: config.pool.members, owners });
    // Started 120 days ago; seats used and recent login: only the CSM criterion was missing.
    const account = makeAccount({
      id: '1',
      contractStartDate: '2026-07-26',
      lifecycleStage: 'onboarding_overdue',
      licensedSeats: 10,
      activeUsers: 9,
      lastLoginDate: '2026-11-22',
      usageCurrentPeriod: 100,
      usagePreviousPeriod: 100,
      npsScore: 9,
      healthScore: 90,
    });
    const ev = evaluateAccount(account, { config, configVersion: 'v', now, assignment: state });
    expect(ev.lifecycle.stage).toBe('graduated');
    expect(ev.next.onboardingCsmId).toBe('7');
    expect(loadOf(ev.state, '7')).toBe(0);
  });
});

/** Accounts with every kind of value the adapter can hand over: missing, malformed, out of range, typical. */
const accountArb: fc.Arbitrary<Account> = (() => {
  const day = fc.constantFrom('2026-06-16', '2026-06-10', '2026-05-01', '2026-03-18', '2026-03-10', '2025-12-31', '2027-01-31', '2026-09-10', '2026-02-30', 'garbage', '');
  const instant = fc.constantFrom('2026-06-16T10:00:00.000Z', '2026-06-01T00:00:00Z', '2026-01-01T12:30:00.123Z', '2026-06-16', 'not a date', '2026-06-16T10:00:00+02:00');
  const num = fc.constantFrom(0, 1, 3, 6, 9, 10, 40, 100, 250, -5, Number.NaN, 1e12, 0.5);
  const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null, freq: 3 });
  return fc
    .record({
      id: fc.integer({ min: 1, max: 99 }).map(String),
      acv: maybe(fc.constantFrom(0, 5_000, 24_000, 26_000, 99_999, 100_000, 104_000, -5, Number.NaN)),
      dedicatedCsmContract: fc.constantFrom(null, true, false),
      contractStartDate: maybe(day),
      renewalDate: maybe(day),
      licensedSeats: maybe(num),
      activeUsers: maybe(num),
      usageCurrentPeriod: maybe(num),
      usagePreviousPeriod: maybe(num),
      lastLoginDate: maybe(day),
      npsScore: maybe(num),
      npsDate: maybe(day),
      usageUpdatedAt: maybe(instant),
      lastContactedAt: maybe(instant),
      openTickets: maybe(fc.constantFrom(0, 1, 5, -1)),
      highPriorityTickets: maybe(fc.constantFrom(0, 1, 3)),
      urgentTickets: maybe(fc.constantFrom(0, 1, 2)),
      openCsTasks: maybe(fc.constantFrom(0, 1, 3)),
      healthScore: maybe(fc.constantFrom(20, 55, 75, 95)),
      healthBand: fc.constantFrom(null, 'healthy', 'watch', 'at_risk', 'unknown' as const),
      segment: fc.constantFrom(null, 'pooled', 'mid_pooled', 'named' as const),
      lifecycleStage: fc.constantFrom(null, 'onboarding', 'onboarding_overdue', 'graduated' as const),
      onboardingCsmId: fc.constantFrom(null, '1', '2'),
      onboardingStartDate: maybe(day),
      graduatedAt: maybe(day),
      playbookLedger: fc.subarray(['cs:1:usage_drop:alert:2026-W24@2026-06-10', 'cs:1:no_touch:check_in-digital:2026-W20@2026-05-15', 'cs:1:risk_escalation:escalate:2026-W23@2026-06-02', 'bare-key']),
    })
    .map((fields) => makeAccount(fields as Partial<Account>));
})();

describe('evaluateAccount: results are values of their own', () => {
  // The core reuses scratch space between accounts (per-signal arrays, shared exit-criteria lists): no
  // result may depend on the account evaluated before it, or change when the next one is evaluated.
  it('the same account gives the same result whatever was evaluated before, and a result never changes afterwards', () => {
    fc.assert(
      fc.property(accountArb, fc.array(accountArb, { minLength: 1, maxLength: 4 }), (account, others) => {
        const c = ctx();
        const first = evaluateAccount(account, c);
        const snapshot = JSON.stringify(first);
        for (const other of others) evaluateAccount(other, c);
        expect(JSON.stringify(first)).toBe(snapshot);
        expect(JSON.stringify(evaluateAccount(account, c))).toBe(snapshot);
      }),
      { numRuns: 300 },
    );
  });

  it('equals its parts: segment, health (with the ledger risk cap) and lifecycle as the plain API gives them', () => {
    fc.assert(
      fc.property(accountArb, (account) => {
        const ev = evaluateAccount(account, ctx());
        const segment = computeSegment(account, config, now);
        expect(ev.segment).toEqual(segment);
        const health = computeHealth(account, segment.segment, config, now, riskTaskCaps(account.playbookLedger, [], config, now));
        // A risk task planned in this evaluation may cap a healthy band afterwards (withCap).
        const cap = ev.health.cappedBy?.id === 'risk_task' && health.band === 'healthy' ? ev.health.cappedBy : null;
        expect(ev.health).toEqual(cap !== null ? withCap(health, cap) : health);
        if (ev.assignment === null || (ev.assignment.ok && ev.assignment.kept)) expect(ev.lifecycle).toEqual(computeLifecycle(account, config, now, health.score));
      }),
      { numRuns: 300 },
    );
  });
});

describe('recorded ticket counts', () => {
  test('the counts this evaluation read are recorded; without a read the record stays as it was', () => {
    const read = evaluateAccount(makeAccount({ openTickets: 2, highPriorityTickets: 1, urgentTickets: 1 }), ctx());
    expect(read.next.ticketCounts).toEqual({ open: 2, highPriority: 1, urgent: 1 });
    const recorded = { open: 4, highPriority: 0, urgent: 0 };
    const notRead = evaluateAccount(makeAccount({ openTickets: null, highPriorityTickets: null, ticketCounts: recorded }), ctx());
    expect(notRead.next.ticketCounts).toBe(recorded);
    // Nothing moved: the record itself (no new object per account).
    expect(evaluateAccount(makeAccount({ openTickets: 4, highPriorityTickets: 0, urgentTickets: 0, ticketCounts: recorded }), ctx()).next.ticketCounts).toBe(recorded);
    expect(evaluateAccount(makeAccount({ openTickets: null, highPriorityTickets: null }), ctx()).next.ticketCounts).toBeNull();
  });
});

describe('evaluateAccount with deferred texts (as the sweep plans)', () => {
  const eagerAndDeferred = (account: Account, others: readonly Account[]) => {
    const eager = evaluateAccount(account, ctx());
    const deferred = evaluateAccount(account, { ...ctx(), texts: 'deferred' as const });
    // The planner's scratch (candidates, ledger) serves other accounts before the words are built.
    const c = { ...ctx(), texts: 'deferred' as const };
    for (const other of others) evaluateAccount(other, c);
    return { eager, deferred };
  };

  it('plans the same work, and withTaskTexts / withTouchTexts build exactly the words an evaluation that builds them now gives', () => {
    let withTasks = 0;
    let withTouches = 0;
    fc.assert(
      fc.property(accountArb, fc.array(accountArb, { minLength: 1, maxLength: 4 }), (account, others) => {
        const { eager, deferred } = eagerAndDeferred(account, others);
        if (eager.tasks.length > 0) withTasks++;
        const { tasks: eagerTasks, touches: eagerTouches, ...eagerRest } = eager;
        const { tasks: deferredTasks, touches: deferredTouches, ...deferredRest } = deferred;
        expect(JSON.stringify(deferredRest)).toBe(JSON.stringify(eagerRest));
        expect(deferredTasks.map((t) => withTaskTexts(t))).toEqual(eagerTasks);
        expect(deferredTouches.map((t) => withTouchTexts(t))).toEqual(eagerTouches);
        if (eagerTouches.length > 0) withTouches++;
        for (const t of deferredTouches) {
          expect(t.why).toBe('');
          expect('deferredTexts' in withTouchTexts(t)).toBe(false);
        }
        for (const t of deferredTasks) {
          expect(t.subject).toBe('');
          expect(t.body).toBe('');
          expect(t.deferredTexts).toBeDefined();
          expect('deferredTexts' in withTaskTexts(t)).toBe(false);
        }
      }),
      { numRuns: 400 },
    );
    // The property is about tasks: enough of the accounts must plan some.
    expect(withTasks).toBeGreaterThan(40);
    expect(withTouches).toBeGreaterThan(40);
  });

  it('leaves a task whose words are built as it is, and builds a renewal task with its figures', () => {
    const account = makeAccount({ id: '5', name: 'Acme', renewalDate: '2026-08-10', licensedSeats: 10, activeUsers: 2, usageUpdatedAt: '2026-06-15T00:00:00Z' });
    const eager = evaluateAccount(account, ctx());
    const renewal = eager.tasks.find((t) => t.playbook === 'renewal');
    expect(renewal).toBeDefined();
    expect(withTaskTexts(renewal as PlannedTask)).toBe(renewal);
    const deferred = evaluateAccount(account, { ...ctx(), texts: 'deferred' as const }).tasks.find((t) => t.playbook === 'renewal') as PlannedTask;
    const built = withTaskTexts(deferred);
    expect(built.subject).toBe((renewal as PlannedTask).subject);
    expect(built.subject).toMatch(/^Renewal: renewal in 55 days \(2026-08-10\) — Acme$/);
    expect(built.body).toContain('Idempotency key: cs:5:renewal:');
    expect(built.trigger.values).toMatchObject({ renewalDate: '2026-08-10', daysOut: 55 });
  });
});
