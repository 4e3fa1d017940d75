import { extractTaskKey } from '../../playbooks';
import { NOW, plan, routesBySegment, withRule } from '../test-support';

describe('usage drop rule', () => {
  it('usage drop fires strictly above 30%, keyed by the ISO week, due at the fixed UTC hour', () => {
    expect(plan({ usageCurrentPeriod: 70 }, NOW).tasks).toHaveLength(0);
    const { tasks } = plan({ usageCurrentPeriod: 69 }, NOW);
    expect(tasks.map((t) => t.key)).toEqual(['cs:123:usage_drop:alert:2026-W25']);
    const t = tasks[0];
    expect(t?.dueAt).toBe('2026-06-18T09:00:00.000Z');
    expect(t?.priority).toBe('HIGH');
    expect(t?.ownerId).toBe('7');
    expect(t?.queueId).toBeNull();
    expect(t?.subject.startsWith('Usage drop')).toBe(true);
    expect(t?.body).toContain('69 vs 100');
    expect(extractTaskKey(t?.body)).toBe(t?.key);
    expect(t?.trigger.values).toMatchObject({ current: 69, previous: 100 });
  });

  it('the text has the true figures', () => {
    const t = plan({ usageCurrentPeriod: 55 }, NOW).tasks[0];
    expect(t?.subject).toBe('Usage drop: usage down 45% — Acme');
    expect(t?.body).toContain('Why: Usage dropped by more than 30% period over period: 55 vs 100 (−45%).');
    expect(t?.trigger.values).toEqual({ current: 55, previous: 100, change: -0.45, threshold: 0.3 });
  });

  it('stale, unknown or zero previous usage never fires', () => {
    expect(plan({ usageCurrentPeriod: 10, usageUpdatedAt: '2026-04-01T00:00:00Z' }, NOW).tasks.map((t) => t.playbook)).not.toContain('usage_drop');
    expect(plan({ usageCurrentPeriod: null }, NOW).tasks.map((t) => t.playbook)).not.toContain('usage_drop');
    expect(plan({ usageCurrentPeriod: 0, usagePreviousPeriod: 0 }, NOW).tasks.map((t) => t.playbook)).not.toContain('usage_drop');
  });

  it('threshold, priority and due day come from its settings; switched off it never fires', () => {
    const config = withRule('usage_drop', { dropAbove: 0.5, priority: 'LOW', dueInDays: 0 });
    expect(plan({ usageCurrentPeriod: 55 }, NOW, { config }).tasks).toHaveLength(0);
    expect(plan({ usageCurrentPeriod: 49 }, NOW, { config }).tasks[0]).toMatchObject({ priority: 'LOW', dueAt: '2026-06-16T09:00:00.000Z' });
    expect(plan({ usageCurrentPeriod: 10 }, NOW, { config: withRule('usage_drop', { enabled: false }) }).tasks.map((t) => t.playbook)).not.toContain('usage_drop');
  });

  it('channel per segment: pooled digital first (then a call), mid-pooled and named a person', () => {
    expect(routesBySegment({ usageCurrentPeriod: 55 }, 'usage_drop')).toEqual({ pooled: 'digital', mid_pooled: 'task', named: 'task' });
    const pooled = plan({ usageCurrentPeriod: 55 }, NOW, { channels: 'config' });
    expect(pooled.touches.map((t) => [t.key, t.touchType])).toEqual([['cs:123:usage_drop:alert-digital:2026-W25', 'we_noticed']]);
  });
});
