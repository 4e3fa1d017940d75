import { defaultConfig } from '../../config';
import type { Account } from '../../types';
import { NOW, evaluate, plan, routesBySegment, withRule } from '../test-support';

describe('health drop rule', () => {
  it('health drop ≥ 20 and health < 50 → risk escalation', () => {
    const bad: Partial<Account> = { usageCurrentPeriod: 40, activeUsers: 11, lastLoginDate: '2026-05-01', npsScore: 7, openTickets: 4, highPriorityTickets: 2 };
    const r = plan(bad, NOW, { previous: { healthScore: 80, healthBand: 'healthy' } });
    const pbs = r.tasks.map((t) => t.playbook);
    expect(pbs).toEqual(expect.arrayContaining(['health_drop', 'risk_escalation']));
    const noDrop = plan(bad, NOW, { previous: { healthScore: null, healthBand: null } });
    expect(noDrop.tasks.map((t) => t.playbook)).not.toContain('health_drop');
    const trendDrop = plan(bad, NOW, { previous: { healthScore: null, healthBand: null }, trend: { change: -25, dropped: true } });
    expect(trendDrop.tasks.map((t) => t.playbook)).toContain('health_drop');
  });

  const score = evaluate({}).health.score as number;

  it('fires at a drop of 20 points against the stored score, not 19; keyed by the ISO week, HIGH, due in 2 days', () => {
    expect(score).toBeGreaterThan(50);
    expect(plan({}, NOW, { previous: { healthScore: score + 19, healthBand: 'healthy' } }).tasks).toHaveLength(0);
    const t = plan({}, NOW, { previous: { healthScore: score + 20, healthBand: 'healthy' } }).tasks[0];
    expect(t).toMatchObject({ key: 'cs:123:health_drop:review:2026-W25', priority: 'HIGH', dueAt: '2026-06-18T09:00:00.000Z' });
    expect(t?.subject).toBe(`Health drop: health down 20 points to ${score} — Acme`);
    expect(t?.body).toContain(`Why: Health dropped by 20+ points: 20 points, now ${score} (was ${score + 20}).`);
    expect(t?.trigger.values).toEqual({ score, previousScore: score + 20, drop: 20, threshold: 20 });
  });

  it('a drop over the trend window counts when the stored score shows none; a trend that did not drop does not', () => {
    const t = plan({}, NOW, { previous: { healthScore: null, healthBand: null }, trend: { change: -25, dropped: true } }).tasks[0];
    expect(t?.subject).toBe(`Health drop: health down 25 points to ${score} — Acme`);
    expect(t?.body).toContain(`Health dropped by 20+ points: 25 points, now ${score}.`);
    expect(plan({}, NOW, { previous: { healthScore: null, healthBand: null }, trend: { change: -25, dropped: false } }).tasks).toHaveLength(0);
    expect(plan({}, NOW, { previous: { healthScore: null, healthBand: null }, trend: { change: null, dropped: true } }).tasks).toHaveLength(0);
  });

  it('no score (too little evidence) never fires, whatever was stored before', () => {
    const bare: Partial<Account> = { usageCurrentPeriod: null, usagePreviousPeriod: null, licensedSeats: null, activeUsers: null, lastLoginDate: null, npsScore: null, npsDate: null, lastContactedAt: null, openTickets: null, highPriorityTickets: null };
    expect(evaluate(bare).health.score).toBeNull();
    expect(plan(bare, NOW, { previous: { healthScore: 90, healthBand: 'healthy' } }).tasks.map((t) => t.playbook)).not.toContain('health_drop');
  });

  it('points come from its settings; switched off it never fires', () => {
    expect(plan({}, NOW, { config: withRule('health_drop', { points: 10 }), previous: { healthScore: score + 10, healthBand: 'healthy' } }).tasks.map((t) => t.playbook)).toEqual(['health_drop']);
    expect(plan({}, NOW, { config: withRule('health_drop', { enabled: false }), previous: { healthScore: score + 30, healthBand: 'healthy' } }).tasks).toHaveLength(0);
  });

  it('a drop seen on an earlier day holds while the score stays 20 below: keyed by the week it was seen, the text says when', () => {
    // Seen on Sunday 2026-06-14 (ISO week 24); today (Tuesday, week 25) the stored score is today's.
    const held = { healthDrop: { from: score + 25, on: '2026-06-14' } };
    const t = plan(held, NOW, { previous: { healthScore: score, healthBand: 'healthy' } }).tasks[0];
    expect(t).toMatchObject({ key: 'cs:123:health_drop:review:2026-W24', priority: 'HIGH' });
    expect(t?.subject).toBe(`Health drop: health down 25 points to ${score} — Acme`);
    expect(t?.body).toContain(`now ${score} (was ${score + 25} on 2026-06-14).`);
    // Recovered to within 19 points, or seen 14 days ago: nothing.
    expect(plan({ healthDrop: { from: score + 19, on: '2026-06-14' } }, NOW, { previous: { healthScore: score, healthBand: 'healthy' } }).tasks).toHaveLength(0);
    expect(plan({ healthDrop: { from: score + 25, on: '2026-06-02' } }, NOW, { previous: { healthScore: score, healthBand: 'healthy' } }).tasks).toHaveLength(0);
    expect(plan({ healthDrop: { from: score + 25, on: '2026-06-03' } }, NOW, { previous: { healthScore: score, healthBand: 'healthy' } }).tasks).toHaveLength(1);
    // holdDays comes from its settings.
    expect(plan({ healthDrop: { from: score + 25, on: '2026-06-14' } }, NOW, { config: withRule('health_drop', { holdDays: 1 }), previous: { healthScore: score, healthBand: 'healthy' } }).tasks).toHaveLength(0);
  });

  it('a slow slide of 20 from the recorded peak within the trend comparison window fires once, and the text says from when', () => {
    // One point lower than yesterday, 20 below the peak of 2026-05-25 (within 30 days of NOW, 2026-06-16).
    const peak = { healthPeak: { score: score + 20, on: '2026-05-25' } };
    const t = plan(peak, NOW, { previous: { healthScore: score + 1, healthBand: 'healthy' } }).tasks[0];
    expect(t).toMatchObject({ key: 'cs:123:health_drop:review:2026-W25', priority: 'HIGH' });
    expect(t?.subject).toBe(`Health drop: health down 20 points to ${score} — Acme`);
    expect(t?.body).toContain(`now ${score} (was ${score + 20} on 2026-05-25).`);
    // 19 below, a peak 30 days old, or the slide already recorded since the peak: nothing.
    expect(plan({ healthPeak: { score: score + 19, on: '2026-05-25' } }, NOW, { previous: { healthScore: score + 1, healthBand: 'healthy' } }).tasks).toHaveLength(0);
    expect(plan({ healthPeak: { score: score + 20, on: '2026-05-17' } }, NOW, { previous: { healthScore: score + 1, healthBand: 'healthy' } }).tasks).toHaveLength(0);
    expect(plan({ ...peak, healthDrop: { from: score + 20, on: '2026-06-01' } }, NOW, { previous: { healthScore: score + 1, healthBand: 'healthy' } }).tasks).toHaveLength(0);
    // The window is the trend's comparison days.
    const wide = defaultConfig();
    wide.health.trendCompareDays = 40;
    expect(plan({ healthPeak: { score: score + 20, on: '2026-05-17' } }, NOW, { config: wide, previous: { healthScore: score + 1, healthBand: 'healthy' } }).tasks).toHaveLength(1);
  });

  it('channel per segment: pooled digital first (then a call), mid-pooled and named a person', () => {
    expect(routesBySegment({}, 'health_drop', NOW, { previous: { healthScore: score + 30, healthBand: 'healthy' } })).toEqual({ pooled: 'digital', mid_pooled: 'task', named: 'task' });
  });
});
