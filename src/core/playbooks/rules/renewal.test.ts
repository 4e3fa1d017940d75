import { NOW, evaluate, plan, routeOf, routesBySegment, withRule } from '../test-support';

describe('renewal rule', () => {
  it('renewal: only the tightest window, a new key per renewal date (next period)', () => {
    expect(plan({ renewalDate: '2026-09-15' }, NOW).tasks).toHaveLength(0); // 91 days
    expect(plan({ renewalDate: '2026-09-14' }, NOW).tasks.map((t) => t.key)).toEqual(['cs:123:renewal:d90:2026-09-14']);
    // 60 days out a person is needed only when usage is low or expansion potential is high (named: always).
    expect(plan({ renewalDate: '2026-08-15' }, NOW).tasks).toHaveLength(0); // 50% of seats used
    expect(plan({ renewalDate: '2026-08-15', activeUsers: 30 }, NOW).tasks.map((t) => t.key)).toEqual(['cs:123:renewal:d60:2026-08-15']);
    expect(plan({ renewalDate: '2026-08-15', activeUsers: 95 }, NOW).tasks[0]?.body).toContain('expansion potential (95% of seats used)');
    expect(plan({ renewalDate: '2026-08-15', acv: 150_000 }, NOW).tasks.map((t) => t.key)).toEqual(['cs:123:renewal:d60:2026-08-15']);
    expect(plan({ renewalDate: '2026-08-15', activeUsers: 30 }, NOW).tasks[0]?.subject).toContain('Renewal: renewal in 60 days');
    const d30 = plan({ renewalDate: '2026-07-01' }, NOW).tasks[0];
    expect(d30).toMatchObject({ key: 'cs:123:renewal:d30:2026-07-01', priority: 'HIGH' });
    const nextYear = plan({ renewalDate: '2027-07-01' }, new Date('2027-06-16T15:00:00Z')).tasks[0];
    expect(nextYear?.key).toBe('cs:123:renewal:d30:2027-07-01');
    expect(plan({ renewalDate: '2026-06-15' }, NOW).tasks).toHaveLength(0); // already past
  });

  it('the subject and the why say the true number of days (not the window)', () => {
    const { health } = evaluate({});
    const t = plan({ renewalDate: '2026-07-01' }, NOW).tasks[0];
    expect(t?.subject).toBe('Renewal: renewal in 15 days (2026-07-01) — Acme');
    expect(t?.body).toContain('Why: Renewal on 2026-07-01 is 15 days out (the 30-day window).');
    expect(t?.trigger.values).toEqual({ renewalDate: '2026-07-01', daysOut: 15, window: 30, score: health.score, band: health.band });
    const d90 = plan({ renewalDate: '2026-09-09' }, NOW).tasks[0];
    expect(d90).toMatchObject({ key: 'cs:123:renewal:d90:2026-09-09', priority: 'MEDIUM' });
    expect(d90?.subject).toBe('Renewal: renewal in 85 days (2026-09-09) — Acme');
    expect(plan({ renewalDate: '2026-08-15', activeUsers: 30 }, NOW).tasks[0]?.body).toContain(
      'Why: Renewal on 2026-08-15 is 60 days out (the 60-day window); usage is low (30% of seats, below 50%).',
    );
  });

  it('due in 7 days, but before the renewal day; a renewal today is due today', () => {
    expect(plan({ renewalDate: '2026-07-01' }, NOW).tasks[0]?.dueAt).toBe('2026-06-23T09:00:00.000Z');
    expect(plan({ renewalDate: '2026-06-19' }, NOW).tasks[0]?.dueAt).toBe('2026-06-18T09:00:00.000Z');
    expect(plan({ renewalDate: '2026-06-16' }, NOW).tasks[0]).toMatchObject({ key: 'cs:123:renewal:d30:2026-06-16', dueAt: '2026-06-16T09:00:00.000Z' });
  });

  it('a qualified window needs fresh seat data to qualify a pooled account; named always qualifies', () => {
    expect(plan({ renewalDate: '2026-08-15', activeUsers: null }, NOW).tasks).toHaveLength(0);
    expect(plan({ renewalDate: '2026-08-15', activeUsers: null, acv: 150_000 }, NOW).tasks.map((t) => t.key)).toEqual(['cs:123:renewal:d60:2026-08-15']);
  });

  it('windows, priority and qualified windows come from its settings; switched off it never fires', () => {
    const config = withRule('renewal', { windows: [120, 30], qualifiedWindows: [], priority: 'LOW' });
    expect(plan({ renewalDate: '2026-09-24' }, NOW, { config }).tasks[0]).toMatchObject({ key: 'cs:123:renewal:d120:2026-09-24', priority: 'LOW' });
    expect(plan({ renewalDate: '2026-08-15' }, NOW, { config }).tasks.map((t) => t.key)).toEqual(['cs:123:renewal:d120:2026-08-15']);
    expect(plan({ renewalDate: '2026-07-01' }, NOW, { config: withRule('renewal', { enabled: false }) }).tasks).toHaveLength(0);
  });

  it('channel per segment and window: 90 days a digital usage summary (named: a person), 60 and 30 days a person', () => {
    expect(routesBySegment({ renewalDate: '2026-09-01' }, 'renewal')).toEqual({ pooled: 'digital', mid_pooled: 'digital', named: 'task' });
    const d90 = plan({ renewalDate: '2026-09-01' }, NOW, { channels: 'config' }).touches[0];
    expect(d90).toMatchObject({ key: 'cs:123:renewal:d90-digital:2026-09-01', touchType: 'usage_summary' });
    expect(routesBySegment({ renewalDate: '2026-08-01', activeUsers: 30 }, 'renewal')).toEqual({ pooled: 'task', mid_pooled: 'task', named: 'task' });
    expect(routesBySegment({ renewalDate: '2026-07-01' }, 'renewal')).toEqual({ pooled: 'task', mid_pooled: 'task', named: 'task' });
    expect(routeOf(plan({ renewalDate: '2026-08-01' }, NOW, { channels: 'config' }), 'renewal')).toBe('none'); // 60 days, usage neither low nor high
  });
});
