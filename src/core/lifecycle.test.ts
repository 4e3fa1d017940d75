import { defaultConfig } from './config';
import { makeAccount } from './test-support';
import { computeLifecycle, exitCriteria, extendOnboarding, graduateNow } from './lifecycle';
import type { Account } from './types';

const config = defaultConfig();
const at = (d: string, t = '10:00:00') => new Date(`${d}T${t}Z`);
const ready: Partial<Account> = { onboardingCsmId: '7', licensedSeats: 10, activeUsers: 8, healthScore: 80, lastLoginDate: '2026-03-30' };

describe('computeLifecycle', () => {
  it('is not_started without a start date, or before it', () => {
    expect(computeLifecycle(makeAccount(), config, at('2026-01-01'))).toMatchObject({ stage: 'not_started', day: null, startDate: null });
    expect(computeLifecycle(makeAccount({ contractStartDate: '2026-02-01' }), config, at('2026-01-31', '23:59:59'))).toMatchObject({ stage: 'not_started', startDate: '2026-02-01', graduationDate: '2026-05-02' });
  });

  it('counts the start date as day 1 and start + 89 as day 90 of 90', () => {
    const a = makeAccount({ contractStartDate: '2026-01-01' });
    expect(computeLifecycle(a, config, at('2026-01-01', '00:00:00'))).toMatchObject({ stage: 'onboarding', day: 1, totalDays: 90, graduationDate: '2026-04-01' });
    expect(computeLifecycle(a, config, at('2026-03-31', '23:59:59'))).toMatchObject({ stage: 'onboarding', day: 90 });
  });

  it('on exactly day 90 after start graduates when criteria are met, else is overdue', () => {
    const when = at('2026-04-01', '00:00:00');
    expect(computeLifecycle(makeAccount({ contractStartDate: '2026-01-01', lifecycleStage: 'onboarding', ...ready }), config, when)).toMatchObject({ stage: 'graduated', graduateNow: true, graduatedAt: '2026-04-01' });
    const overdue = computeLifecycle(makeAccount({ contractStartDate: '2026-01-01', lifecycleStage: 'onboarding', ...ready, activeUsers: 1 }), config, when);
    expect(overdue).toMatchObject({ stage: 'onboarding_overdue', overdueDays: 0, graduateNow: false, day: 91 });
    expect(overdue.reason).toContain('Seat adoption');
    expect(overdue.exitCriteria.find((c) => c.id === 'seat_adoption')?.met).toBe(false);
  });

  it('graduates late with a reason once criteria are met, and forces graduation after maxOverdueDays', () => {
    const late = computeLifecycle(makeAccount({ contractStartDate: '2026-01-01', lifecycleStage: 'onboarding_overdue', ...ready }), config, at('2026-04-11'));
    expect(late).toMatchObject({ stage: 'graduated', graduateNow: true });
    expect(late.reason).toContain('10 days late');
    const notReady = makeAccount({ contractStartDate: '2026-01-01', lifecycleStage: 'onboarding_overdue' });
    expect(computeLifecycle(notReady, config, at('2026-05-30'))).toMatchObject({ stage: 'onboarding_overdue', overdueDays: 59 });
    expect(computeLifecycle(notReady, config, at('2026-05-29')).reason).toBe(computeLifecycle(notReady, config, at('2026-05-30')).reason);
    expect(computeLifecycle(notReady, config, at('2026-05-30')).reason).toMatch(/^Overdue since 2026-04-01 \(its graduation date\): not met: /);
    const forced = computeLifecycle(notReady, config, at('2026-05-31'));
    expect(forced).toMatchObject({ stage: 'graduated', graduateNow: true });
    expect(forced.reason).toContain('without meeting');
  });

  it('a company first seen after its onboarding window graduated as of start + 90 days, not today', () => {
    const old = makeAccount({ contractStartDate: '2024-06-15' });
    const r = computeLifecycle(old, config, at('2026-12-01'));
    expect(r).toMatchObject({ stage: 'graduated', graduateNow: true, graduatedAt: '2024-09-13', graduationDate: '2024-09-13', overdueDays: null, day: null });
    expect(r.reason).toBe('Graduated before the app was installed (start 2024-06-15 + 90 days)');
    // Also on the graduation date itself, and whatever the exit criteria.
    expect(computeLifecycle(makeAccount({ contractStartDate: '2026-01-01' }), config, at('2026-04-01'))).toMatchObject({ stage: 'graduated', graduatedAt: '2026-04-01' });
    // Recorded by the app as not started (no start date then): graduated on its date, with that said.
    const late = computeLifecycle(makeAccount({ contractStartDate: '2024-06-15', lifecycleStage: 'not_started' }), config, at('2026-12-01'));
    expect(late).toMatchObject({ stage: 'graduated', graduatedAt: '2024-09-13' });
    expect(late.reason).toContain('the app did not track its onboarding');
    // Once written, the graduation date stays: a later evaluation keeps it.
    const again = computeLifecycle(makeAccount({ contractStartDate: '2024-06-15', lifecycleStage: 'graduated', graduatedAt: '2024-09-13' }), config, at('2026-12-02'));
    expect(again).toMatchObject({ stage: 'graduated', graduateNow: false, graduatedAt: '2024-09-13' });
  });

  it('says "ready to graduate" when every exit criterion is met before the graduation date', () => {
    const r = computeLifecycle(makeAccount({ contractStartDate: '2026-03-20', lifecycleStage: 'onboarding', ...ready }), config, at('2026-03-31'));
    expect(r).toMatchObject({ stage: 'onboarding', day: 12, readyToGraduate: true });
    expect(r.reason).toBe('Onboarding since 2026-03-20 (90 days); graduates on 2026-06-18; ready to graduate: every exit criterion is met');
    // The same words the next day (no day count): the text is a company property, and one that
    // changed daily would rewrite every onboarding company every day. The card shows day N of 90.
    expect(computeLifecycle(makeAccount({ contractStartDate: '2026-03-20', lifecycleStage: 'onboarding', ...ready }), config, at('2026-04-01')).reason).toBe(r.reason);
    const notYet = computeLifecycle(makeAccount({ contractStartDate: '2026-03-20', lifecycleStage: 'onboarding', ...ready, activeUsers: 1 }), config, at('2026-03-31'));
    expect(notYet.readyToGraduate).toBe(false);
    const none = defaultConfig();
    none.lifecycle.exitCriteria = [];
    expect(computeLifecycle(makeAccount({ contractStartDate: '2026-03-20', lifecycleStage: 'onboarding' }), none, at('2026-03-31')).readyToGraduate).toBe(false);
  });

  it('handles a leap-day start (2028-02-29)', () => {
    const a = makeAccount({ contractStartDate: '2028-02-29' });
    const r = computeLifecycle(a, config, at('2028-03-01'));
    expect(r).toMatchObject({ stage: 'onboarding', day: 2, graduationDate: '2028-05-29' });
  });

  it('keeps an extended graduation date, ignores an earlier stored one', () => {
    const extended = computeLifecycle(makeAccount({ onboardingStartDate: '2026-01-01', graduationDate: '2026-05-01' }), config, at('2026-04-15'));
    expect(extended).toMatchObject({ stage: 'onboarding', totalDays: 120, graduationDate: '2026-05-01' });
    const earlier = computeLifecycle(makeAccount({ onboardingStartDate: '2026-01-01', graduationDate: '2026-02-01' }), config, at('2026-02-15'));
    expect(earlier).toMatchObject({ stage: 'onboarding', graduationDate: '2026-04-01' });
  });

  it('prefers the stored onboarding start over the contract start', () => {
    expect(computeLifecycle(makeAccount({ onboardingStartDate: '2026-01-10', contractStartDate: '2026-01-01' }), config, at('2026-01-10'))).toMatchObject({ day: 1 });
  });

  it('reports graduated accounts as early, on time or late', () => {
    const g = (graduatedAt: string) => computeLifecycle(makeAccount({ onboardingStartDate: '2026-01-01', graduatedAt }), config, at('2026-06-01')).reason;
    expect(g('2026-03-01')).toContain('early');
    expect(g('2026-04-01')).toContain('on time');
    expect(g('2026-04-05')).toContain('late by 4 days');
  });

  it('treats malformed dates as unknown', () => {
    expect(computeLifecycle(makeAccount({ contractStartDate: '2026-02-30' }), config, at('2026-03-01')).stage).toBe('not_started');
  });
});

describe('graduateNow / extendOnboarding', () => {
  const onboarding = makeAccount({ contractStartDate: '2026-01-01' });
  it('requires a reason', () => {
    expect(graduateNow(onboarding, '  ', at('2026-02-01'))).toMatchObject({ ok: false, error: { code: 'reason_required' } });
    expect(extendOnboarding(onboarding, 10, '')).toMatchObject({ ok: false, error: { code: 'reason_required' } });
  });

  it('graduates early by hand', () => {
    expect(graduateNow(onboarding, 'Done early', at('2026-02-01'))).toEqual({
      ok: true,
      state: { lifecycleStage: 'graduated', graduatedAt: '2026-02-01', graduationDate: '2026-04-01', onboardingStartDate: '2026-01-01' },
      reason: 'Graduated by hand: Done early',
    });
    expect(graduateNow(makeAccount(), 'x', at('2026-02-01')).ok).toBe(false);
    expect(graduateNow(makeAccount({ contractStartDate: '2026-01-01', graduatedAt: '2026-01-30' }), 'x', at('2026-02-01')).ok).toBe(false);
  });

  it('extends by days or to a later date, never earlier', () => {
    const r = extendOnboarding(onboarding, 30, 'SSO delayed', { now: at('2026-04-02') });
    expect(r).toMatchObject({ ok: true, state: { graduationDate: '2026-05-01', lifecycleStage: 'onboarding' } });
    expect(extendOnboarding(onboarding, '2026-06-01', 'SSO').ok).toBe(true);
    expect(extendOnboarding(onboarding, '2026-03-01', 'SSO')).toMatchObject({ ok: false, error: { code: 'invalid_extension' } });
    expect(extendOnboarding(onboarding, -5, 'SSO').ok).toBe(false);
    expect(extendOnboarding(onboarding, Number.NaN, 'SSO').ok).toBe(false);
    expect(extendOnboarding(onboarding, '2026-13-01', 'SSO').ok).toBe(false);
  });
});

describe('exit criteria', () => {
  it('follow the config, also when it changes between calls, and cannot be altered by a reader', () => {
    const c = defaultConfig();
    const a = makeAccount({ ...ready, activeUsers: 6 });
    const now = at('2026-04-01');
    const before = exitCriteria(a, c, now);
    expect(before.find((x) => x.id === 'seat_adoption')).toEqual({ id: 'seat_adoption', label: 'Seat adoption reached (≥ 50% of seats)', met: true });
    c.lifecycle.exitSeatUtilisation = 0.75;
    c.lifecycle.exitLoginDays = 7;
    const after = exitCriteria(a, c, now);
    expect(after.find((x) => x.id === 'seat_adoption')).toEqual({ id: 'seat_adoption', label: 'Seat adoption reached (≥ 75% of seats)', met: false });
    expect(after.find((x) => x.id === 'recent_login')).toEqual({ id: 'recent_login', label: 'Logged in recently (within 7 days)', met: true });
    c.lifecycle.exitCriteria = ['health_ok', 'csm_assigned'];
    expect(exitCriteria(a, c, now).map((x) => [x.id, x.met])).toEqual([['health_ok', true], ['csm_assigned', true]]);
    // The first answer is unchanged by the later ones, and a reader cannot change what others get.
    expect(before.find((x) => x.id === 'seat_adoption')?.label).toBe('Seat adoption reached (≥ 50% of seats)');
    expect(() => {
      (before[0] as { met: boolean }).met = false;
    }).toThrow();
  });
});

