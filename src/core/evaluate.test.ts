import { createAssignmentState, loadOf } from './assignment';
import { configVersion, defaultConfig } from './config';
import { evaluateAccount } from './evaluate';
import { makeAccount } from './test-support';
import type { Account, Owner } from './types';

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
