import { defaultConfig } from '../../config';
import type { Account } from '../../types';
import { NOW, evaluate, plan, routesBySegment } from '../test-support';

// Tracked as onboarding by an earlier run, started 2026-02-01: due to graduate 2026-05-02, 45 days overdue, seat adoption missing.
const overdue: Partial<Account> = { graduatedAt: null, onboardingStartDate: null, contractStartDate: '2026-02-01', activeUsers: 5, onboardingCsmId: '7', lifecycleStage: 'onboarding' };

describe('onboarding overdue rule', () => {
  it('an overdue onboarding gets a task for the onboarding CSM naming the missing criteria', () => {
    const r = plan(overdue, NOW, { channels: 'config' });
    const t = r.tasks.find((x) => x.step === 'overdue');
    expect(t?.key).toMatch(/^cs:123:onboarding:overdue:2026-05-02$/);
    expect(t?.subject).toContain('seat adoption reached');
    expect(t?.body).toContain('exit criteria not met');
    expect(t?.priority).toBe('HIGH');
  });

  it('the text has the true figures; due tomorrow', () => {
    const { lifecycle } = evaluate(overdue);
    expect(lifecycle).toMatchObject({ stage: 'onboarding_overdue', overdueDays: 45, graduationDate: '2026-05-02' });
    const t = plan(overdue, NOW).tasks.find((x) => x.step === 'overdue');
    expect(t?.subject).toBe('Onboarding: overdue 45 days, missing: seat adoption reached (≥ 50% of seats) — Acme');
    expect(t?.body).toContain('Why: Onboarding was due to end on 2026-05-02 and is 45 days overdue; exit criteria not met: Seat adoption reached (≥ 50% of seats).');
    expect(t?.trigger.values).toEqual({ graduationDate: '2026-05-02', overdueDays: 45, missing: 'Seat adoption reached (≥ 50% of seats)' });
    expect(t?.dueAt).toBe('2026-06-17T09:00:00.000Z');
  });

  it('an onboarding still within its window gets no overdue task; a switched-off schedule neither', () => {
    expect(plan({ ...overdue, contractStartDate: '2026-04-01' }, NOW).tasks.map((t) => t.step)).not.toContain('overdue');
    const off = defaultConfig();
    off.playbooks.onboarding.enabled = false;
    expect(plan(overdue, NOW, { config: off }).tasks.map((t) => t.step)).not.toContain('overdue');
  });

  it('channel per segment: a person in every segment', () => {
    expect(routesBySegment(overdue, 'onboarding')).toEqual({ pooled: 'task', mid_pooled: 'task', named: 'task' });
  });
});
