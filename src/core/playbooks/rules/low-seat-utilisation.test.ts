import { NOW, plan, routesBySegment, withRule } from '../test-support';

describe('low seat utilisation rule', () => {
  it('seat utilisation: < 10% → adoption, ≥ 90% → expansion', () => {
    expect(plan({ activeUsers: 10 }, NOW).tasks).toHaveLength(0);
    expect(plan({ activeUsers: 9 }, NOW).tasks.map((t) => t.playbook)).toEqual(['low_seat_utilisation']);
    expect(plan({ activeUsers: 90 }, NOW).tasks.map((t) => t.playbook)).toEqual(['expansion']);
    expect(plan({ activeUsers: 89 }, NOW).tasks).toHaveLength(0);
  });

  it('keyed by the ISO week, MEDIUM, due in 5 days; the text has the true figures', () => {
    const t = plan({ activeUsers: 5 }, NOW).tasks[0];
    expect(t).toMatchObject({ key: 'cs:123:low_seat_utilisation:adoption:2026-W25', priority: 'MEDIUM', dueAt: '2026-06-21T09:00:00.000Z' });
    expect(t?.subject).toBe('Low seat utilisation: only 5% of seats used — Acme');
    expect(t?.body).toContain('Why: Seat utilisation is below 10%: 5 active of 100 licensed (5%).');
    expect(t?.trigger.values).toEqual({ activeUsers: 5, licensedSeats: 100, utilisation: 0.05, threshold: 0.1 });
  });

  it('unknown seats, no licensed seats or unknown active users never fire', () => {
    for (const fields of [{ activeUsers: null }, { licensedSeats: 0, activeUsers: 0 }, { licensedSeats: null, activeUsers: 1 }]) {
      expect(plan(fields, NOW).tasks.map((t) => t.playbook)).not.toContain('low_seat_utilisation');
    }
  });

  it('threshold and priority come from its settings; switched off it never fires', () => {
    const config = withRule('low_seat_utilisation', { below: 0.3, priority: 'HIGH' });
    expect(plan({ activeUsers: 29 }, NOW, { config }).tasks[0]).toMatchObject({ playbook: 'low_seat_utilisation', priority: 'HIGH' });
    expect(plan({ activeUsers: 30 }, NOW, { config }).tasks).toHaveLength(0);
    expect(plan({ activeUsers: 1 }, NOW, { config: withRule('low_seat_utilisation', { enabled: false }) }).tasks).toHaveLength(0);
  });

  it('channel per segment: pooled and mid-pooled digital first, named a person', () => {
    expect(routesBySegment({ activeUsers: 5 }, 'low_seat_utilisation')).toEqual({ pooled: 'digital', mid_pooled: 'digital', named: 'task' });
  });
});
