import { defaultConfig } from '../../config';
import type { Account } from '../../types';
import { NOW, evaluate, plan, routesBySegment } from '../test-support';

const onboarding: Partial<Account> = { graduatedAt: null, onboardingStartDate: null, contractStartDate: '2026-06-16' };

describe('onboarding schedule rule', () => {
  it('onboarding schedule Day 0/3/7/14 keyed by the start date; the welcome is the kick-off (one step)', () => {
    const day0 = plan(onboarding, NOW, { config: Object.assign(defaultConfig(), {}) });
    expect(day0.tasks.map((t) => t.key).sort()).toEqual(['cs:123:onboarding:day0:2026-06-16']);
    expect(day0.tasks[0]?.subject).toContain('welcome the new customer and plan the onboarding');
    const day3 = plan({ ...onboarding, contractStartDate: '2026-06-13' }, NOW);
    expect(day3.tasks.map((t) => t.key)).toEqual(expect.arrayContaining(['cs:123:onboarding:day0:2026-06-13', 'cs:123:onboarding:day3:2026-06-13']));
    const day14 = plan({ ...onboarding, contractStartDate: '2026-06-02' }, NOW);
    expect(day14.tasks.map((t) => t.key)).toEqual(['cs:123:onboarding:day14:2026-06-02', 'cs:123:onboarding:day7:2026-06-02']);
    // Day 0 and Day 3 are past the catch-up window: shown as missed, with the reason.
    expect(day14.skipped).toEqual(expect.arrayContaining([{ key: 'cs:123:onboarding:day0:2026-06-02', reason: 'missed' }, { key: 'cs:123:onboarding:day3:2026-06-02', reason: 'missed' }]));
    // …unless they were done.
    const done = plan({ ...onboarding, contractStartDate: '2026-06-02', playbookLedger: ['cs:123:onboarding:day0:2026-06-02@2026-06-02'] }, NOW);
    expect(done.skipped).toEqual(expect.arrayContaining([{ key: 'cs:123:onboarding:day0:2026-06-02', reason: 'ledger' }]));
    // Day 7's due date was in the past: it is due today at the fixed hour.
    expect(day14.tasks.find((t) => t.step === 'day7')?.dueAt).toBe('2026-06-16T09:00:00.000Z');
  });

  it('each step with its own priority and the true figures; a step is not planned before its day', () => {
    const r = plan({ ...onboarding, contractStartDate: '2026-06-13' }, NOW);
    expect(r.tasks.map((t) => t.step)).toEqual(['day0', 'day3']);
    const day3 = r.tasks.find((t) => t.step === 'day3');
    const { lifecycle } = evaluate({ ...onboarding, contractStartDate: '2026-06-13' });
    expect(day3).toMatchObject({ priority: 'MEDIUM', dueAt: '2026-06-16T09:00:00.000Z', subject: 'Onboarding: usage check — Acme' });
    expect(day3?.body).toContain('Why: Onboarding schedule: Day 3 (Usage check) of the onboarding that started on 2026-06-13.');
    expect(day3?.trigger.values).toEqual({ startDate: '2026-06-13', scheduleDay: 3, lifecycleDay: lifecycle.day });
    expect(r.tasks.find((t) => t.step === 'day0')?.priority).toBe('HIGH');
  });

  it('a step missed by exactly the catch-up window (7 days) is still planned, by 8 it is missed', () => {
    expect(plan({ ...onboarding, contractStartDate: '2026-06-06' }, NOW).tasks.map((t) => t.step)).toContain('day3'); // due 06-09, 7 days late
    expect(plan({ ...onboarding, contractStartDate: '2026-06-05' }, NOW).skipped).toContainEqual({ key: 'cs:123:onboarding:day3:2026-06-05', reason: 'missed' });
  });

  it('graduated accounts and a switched-off schedule get no step', () => {
    expect(plan({ contractStartDate: '2026-06-13' }, NOW).tasks.map((t) => t.playbook)).not.toContain('onboarding');
    const off = defaultConfig();
    off.playbooks.onboarding.enabled = false;
    expect(plan({ ...onboarding, contractStartDate: '2026-06-13' }, NOW, { config: off }).tasks.map((t) => t.playbook)).not.toContain('onboarding');
  });

  it('channel per segment: a person (the onboarding CSM) in every segment', () => {
    expect(routesBySegment(onboarding, 'onboarding')).toEqual({ pooled: 'task', mid_pooled: 'task', named: 'task' });
  });
});
