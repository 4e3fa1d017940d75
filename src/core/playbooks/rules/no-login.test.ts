import { NOW, plan, routesBySegment, withRule } from '../test-support';

describe('no login rule', () => {
  it('fires at 30+ days without a login, not at 29', () => {
    expect(plan({ lastLoginDate: '2026-05-18' }, NOW).tasks).toHaveLength(0); // 29 days
    expect(plan({ lastLoginDate: '2026-05-17' }, NOW).tasks.map((t) => t.playbook)).toEqual(['no_login']);
    expect(plan({ lastLoginDate: null }, NOW).tasks.map((t) => t.playbook)).not.toContain('no_login');
  });

  it('keyed by the ISO week, MEDIUM, due in 3 days; the text has the true figures', () => {
    const t = plan({ lastLoginDate: '2026-05-01' }, NOW).tasks.find((x) => x.playbook === 'no_login');
    expect(t).toMatchObject({ key: 'cs:123:no_login:reengage:2026-W25', priority: 'MEDIUM', dueAt: '2026-06-19T09:00:00.000Z' });
    expect(t?.subject).toBe('No login: no login for 46 days — Acme');
    expect(t?.body).toContain('Why: No login for 30+ days: last login 2026-05-01 (46 days ago).');
    expect(t?.trigger.values).toEqual({ lastLoginDate: '2026-05-01', daysSince: 46, threshold: 30 });
  });

  it('days and priority come from its settings; switched off it never fires', () => {
    const config = withRule('no_login', { days: 50, priority: 'HIGH' });
    expect(plan({ lastLoginDate: '2026-05-01' }, NOW, { config }).tasks.map((t) => t.playbook)).not.toContain('no_login');
    expect(plan({ lastLoginDate: '2026-04-27' }, NOW, { config }).tasks.find((t) => t.playbook === 'no_login')?.priority).toBe('HIGH');
    expect(plan({ lastLoginDate: '2026-04-01' }, NOW, { config: withRule('no_login', { enabled: false }) }).tasks.map((t) => t.playbook)).not.toContain('no_login');
  });

  it('channel per segment: pooled and mid-pooled digital first, named a person', () => {
    expect(routesBySegment({ lastLoginDate: '2026-05-10' }, 'no_login')).toEqual({ pooled: 'digital', mid_pooled: 'digital', named: 'task' });
  });
});
