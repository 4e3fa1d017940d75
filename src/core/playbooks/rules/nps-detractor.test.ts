import { NOW, plan, routesBySegment, withRule } from '../test-support';

describe('NPS detractor rule', () => {
  it('NPS detractor 0–6 keyed by the answer date', () => {
    expect(plan({ npsScore: 7 }, NOW).tasks).toHaveLength(0);
    expect(plan({ npsScore: 6 }, NOW).tasks.map((t) => t.key)).toEqual(['cs:123:nps_detractor:follow_up:2026-06-01']);
  });

  it('HIGH, due in 2 days; the text has the true figures', () => {
    const t = plan({ npsScore: 3 }, NOW).tasks.find((x) => x.playbook === 'nps_detractor');
    expect(t).toMatchObject({ priority: 'HIGH', dueAt: '2026-06-18T09:00:00.000Z' });
    expect(t?.subject).toBe('NPS detractor: NPS 3 — Acme');
    expect(t?.body).toContain('Why: NPS detractor (0–6): answered 3 on 2026-06-01.');
    expect(t?.trigger.values).toEqual({ npsScore: 3, npsDate: '2026-06-01', threshold: 6 });
  });

  it('an old answer or no answer never fires', () => {
    expect(plan({ npsScore: 2, npsDate: '2025-01-01' }, NOW).tasks.map((t) => t.playbook)).not.toContain('nps_detractor');
    expect(plan({ npsScore: null, npsDate: null }, NOW).tasks).toHaveLength(0);
  });

  it('max and priority come from its settings; switched off it never fires', () => {
    const config = withRule('nps_detractor', { max: 8, priority: 'LOW' });
    expect(plan({ npsScore: 8 }, NOW, { config }).tasks[0]).toMatchObject({ playbook: 'nps_detractor', priority: 'LOW' });
    expect(plan({ npsScore: 0 }, NOW, { config: withRule('nps_detractor', { enabled: false }) }).tasks.map((t) => t.playbook)).not.toContain('nps_detractor');
  });

  it('channel per segment: pooled digital first (then a call), mid-pooled and named a person', () => {
    expect(routesBySegment({ npsScore: 5 }, 'nps_detractor')).toEqual({ pooled: 'digital', mid_pooled: 'task', named: 'task' });
  });
});
