import { NOW, plan, routesBySegment, withRule } from '../test-support';

describe('check-in rule (no touch in N days)', () => {
  it('fires at 45+ days without a touch, not at 44; an unknown or unreadable last contact never fires', () => {
    expect(plan({ lastContactedAt: '2026-05-03T00:00:00Z' }, NOW).tasks).toHaveLength(0); // 44 days
    expect(plan({ lastContactedAt: '2026-05-02T23:00:00Z' }, NOW).tasks.map((t) => t.playbook)).toEqual(['no_touch']);
    expect(plan({ lastContactedAt: null }, NOW).tasks).toHaveLength(0);
    expect(plan({ lastContactedAt: 'not a date' }, NOW).tasks).toHaveLength(0);
  });

  it('keyed by the ISO week, MEDIUM, due in 5 days; the text has the true figures', () => {
    const t = plan({ lastContactedAt: '2026-04-01T10:00:00Z' }, NOW).tasks[0];
    expect(t).toMatchObject({ key: 'cs:123:no_touch:check_in:2026-W25', priority: 'MEDIUM', dueAt: '2026-06-21T09:00:00.000Z' });
    expect(t?.subject).toBe('Check-in: no touch in 76 days — Acme');
    expect(t?.body).toContain('Why: No touch in 45+ days: last contact 2026-04-01 (76 days ago).');
    expect(t?.trigger.values).toEqual({ lastContactedAt: '2026-04-01T10:00:00Z', daysSince: 76, threshold: 45 });
  });

  it('days, priority and due day come from its settings; switched off it never fires', () => {
    const config = withRule('no_touch', { days: 80, priority: 'LOW', dueInDays: 1 });
    expect(plan({ lastContactedAt: '2026-04-01T10:00:00Z' }, NOW, { config }).tasks).toHaveLength(0); // 76 days
    expect(plan({ lastContactedAt: '2026-03-28T10:00:00Z' }, NOW, { config }).tasks[0]).toMatchObject({ priority: 'LOW', dueAt: '2026-06-17T09:00:00.000Z' });
    expect(plan({ lastContactedAt: '2026-01-01T00:00:00Z' }, NOW, { config: withRule('no_touch', { enabled: false }) })).toEqual({ tasks: [], touches: [], skipped: [] });
  });

  it('a pooled 45-day check-in is a digital touch, a named one a task', () => {
    const pooled = plan({ lastContactedAt: '2026-05-01T00:00:00Z' }, NOW, { channels: 'config' });
    expect(pooled.tasks).toHaveLength(0);
    expect(pooled.touches).toEqual([expect.objectContaining({ key: 'cs:123:no_touch:check_in-digital:2026-W25', touchType: 'check_in' })]);
    expect(pooled.touches[0]?.why).toBe('No touch in 45+ days: last contact 2026-05-01 (46 days ago).');
    const named = plan({ lastContactedAt: '2026-05-01T00:00:00Z', acv: 150_000 }, NOW, { channels: 'config' });
    expect(named.touches).toHaveLength(0);
    expect(named.tasks.map((t) => t.key)).toEqual(['cs:123:no_touch:check_in:2026-W25']);
  });

  it('channel per segment: pooled and mid-pooled digital first, named a person', () => {
    expect(routesBySegment({ lastContactedAt: '2026-05-01T00:00:00Z' }, 'no_touch')).toEqual({ pooled: 'digital', mid_pooled: 'digital', named: 'task' });
  });
});
