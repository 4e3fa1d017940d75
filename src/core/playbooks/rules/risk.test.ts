import type { Account } from '../../types';
import { NOW, evaluate, plan, routesBySegment, withRule } from '../test-support';

describe('risk escalation rule', () => {
  const score = evaluate({}).health.score as number;

  it('fires for a score strictly below the threshold (health < 50 by default)', () => {
    expect(plan({}, NOW).tasks.map((t) => t.playbook)).not.toContain('risk_escalation');
    expect(plan({}, NOW, { config: withRule('risk_escalation', { below: score }) }).tasks).toHaveLength(0);
    expect(plan({}, NOW, { config: withRule('risk_escalation', { below: score + 1 }) }).tasks.map((t) => t.playbook)).toEqual(['risk_escalation']);
    const bad: Partial<Account> = { usageCurrentPeriod: 40, activeUsers: 11, lastLoginDate: '2026-05-01', npsScore: 7, openTickets: 4, highPriorityTickets: 2 };
    const badScore = evaluate(bad).health.score as number;
    expect(badScore).toBeLessThan(50);
    expect(plan(bad, NOW).tasks.map((t) => t.playbook)).toContain('risk_escalation');
  });

  it('keyed by the ISO week, HIGH, due tomorrow; says whether it is new, with the health summary', () => {
    const config = withRule('risk_escalation', { below: 101 });
    const { health } = evaluate({});
    const t = plan({}, NOW, { config, previous: { healthScore: score, healthBand: 'healthy' } }).tasks[0];
    expect(t).toMatchObject({ key: 'cs:123:risk_escalation:escalate:2026-W25', priority: 'HIGH', dueAt: '2026-06-17T09:00:00.000Z' });
    expect(t?.subject).toBe(`Risk escalation: health ${score} — Acme`);
    expect(t?.body).toContain(`Why: Health is below 101: ${score} (newly at risk). ${health.summary}`);
    expect(t?.trigger.values).toEqual({ score, previousBand: 'healthy', threshold: 101 });
    expect(plan({}, NOW, { config, previous: { healthScore: score, healthBand: 'at_risk' } }).tasks[0]?.body).toContain(`${score} (still at risk)`);
  });

  it('no score never fires; switched off it never fires', () => {
    const bare: Partial<Account> = { usageCurrentPeriod: null, usagePreviousPeriod: null, licensedSeats: null, activeUsers: null, lastLoginDate: null, npsScore: null, npsDate: null, lastContactedAt: null, openTickets: null, highPriorityTickets: null };
    expect(plan(bare, NOW, { config: withRule('risk_escalation', { below: 101 }) }).tasks).toHaveLength(0);
    expect(plan({}, NOW, { config: withRule('risk_escalation', { below: 101, enabled: false }) }).tasks).toHaveLength(0);
  });

  it('channel per segment: pooled and mid-pooled a "we noticed" touch first, named a person', () => {
    const config = withRule('risk_escalation', { below: 101 });
    expect(routesBySegment({}, 'risk_escalation', NOW, { config })).toEqual({ pooled: 'digital', mid_pooled: 'digital', named: 'task' });
  });
});
