import { NOW, plan, routesBySegment, withRule } from '../test-support';

describe('expansion rule', () => {
  it('fires from 90% of seats used, not at 89%', () => {
    expect(plan({ activeUsers: 89 }, NOW).tasks).toHaveLength(0);
    expect(plan({ activeUsers: 90 }, NOW).tasks.map((t) => t.playbook)).toEqual(['expansion']);
  });

  it('expansion only for healthy accounts', () => {
    expect(plan({ activeUsers: 95 }, NOW).tasks.map((t) => t.playbook)).toEqual(['expansion']);
    expect(plan({ activeUsers: 95, npsScore: 2, usageCurrentPeriod: 40 }, NOW).tasks.map((t) => t.playbook)).not.toContain('expansion');
    // …unless the config says otherwise.
    expect(plan({ activeUsers: 95, npsScore: 2, usageCurrentPeriod: 40 }, NOW, { config: withRule('expansion', { onlyHealthy: false }) }).tasks.map((t) => t.playbook)).toContain('expansion');
  });

  it('keyed by the ISO week, LOW, due in 7 days; the text has the true figures', () => {
    const t = plan({ activeUsers: 95 }, NOW).tasks[0];
    expect(t).toMatchObject({ key: 'cs:123:expansion:seats:2026-W25', priority: 'LOW', dueAt: '2026-06-23T09:00:00.000Z' });
    expect(t?.subject).toBe('Expansion: 95% of seats used — Acme');
    expect(t?.body).toContain('Why: Licence utilisation is at or above 90%: 95 active of 100 licensed (95%). Expansion opportunity.');
    expect(t?.trigger.values).toEqual({ activeUsers: 95, licensedSeats: 100, utilisation: 0.95, threshold: 0.9 });
  });

  it('switched off it never fires; stale seat data never fires', () => {
    expect(plan({ activeUsers: 95 }, NOW, { config: withRule('expansion', { enabled: false }) }).tasks).toHaveLength(0);
    expect(plan({ activeUsers: 95, usageUpdatedAt: '2026-01-01T00:00:00Z' }, NOW).tasks.map((t) => t.playbook)).not.toContain('expansion');
  });

  it('channel per segment: pooled digital, mid-pooled and named a person', () => {
    expect(routesBySegment({ activeUsers: 95 }, 'expansion')).toEqual({ pooled: 'digital', mid_pooled: 'task', named: 'task' });
  });
});
