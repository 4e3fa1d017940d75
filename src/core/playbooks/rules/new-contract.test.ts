import { defaultConfig, type Config } from '../../config';
import type { Account } from '../../types';
import { NOW, plan, routesBySegment, withRule } from '../test-support';

const fresh: Partial<Account> = { graduatedAt: null, onboardingStartDate: null, contractStartDate: '2026-06-10' };

/** A schedule without a Day 0 step: the new-contract kick-off is then its own task. */
function noDay0(config: Config = defaultConfig()): Config {
  config.playbooks.onboarding.steps = config.playbooks.onboarding.steps.filter((s) => s.day !== 0);
  return config;
}

describe('new contract rule', () => {
  it('stays quiet while the onboarding schedule has a Day 0 welcome (one step)', () => {
    expect(plan(fresh, NOW).tasks.map((t) => t.playbook)).not.toContain('new_contract');
  });

  it('without a Day 0 step: a kick-off keyed by the contract start, HIGH, due tomorrow, with the true figures', () => {
    const t = plan(fresh, NOW, { config: noDay0() }).tasks.find((x) => x.playbook === 'new_contract');
    expect(t).toMatchObject({ key: 'cs:123:new_contract:kickoff:2026-06-10', priority: 'HIGH', dueAt: '2026-06-17T09:00:00.000Z' });
    expect(t?.subject).toBe('New contract: plan the onboarding — Acme');
    expect(t?.body).toContain('Why: A new contract started on 2026-06-10: onboarding starts (90 days).');
    expect(t?.trigger.values).toEqual({ contractStartDate: '2026-06-10' });
  });

  it('fires within 14 days of the contract start, not 15, never for a future start', () => {
    const config = noDay0();
    expect(plan({ ...fresh, contractStartDate: '2026-06-02' }, NOW, { config }).tasks.map((t) => t.playbook)).toContain('new_contract');
    expect(plan({ ...fresh, contractStartDate: '2026-06-01' }, NOW, { config }).tasks.map((t) => t.playbook)).not.toContain('new_contract');
    expect(plan({ ...fresh, contractStartDate: '2026-06-20' }, NOW, { config }).tasks.map((t) => t.playbook)).not.toContain('new_contract');
  });

  it('with the schedule switched off it is the kick-off; a graduated account gets none; switched off it never fires', () => {
    const off = defaultConfig();
    off.playbooks.onboarding.enabled = false;
    expect(plan(fresh, NOW, { config: off }).tasks.map((t) => t.key)).toEqual(['cs:123:new_contract:kickoff:2026-06-10']);
    expect(plan({ contractStartDate: '2026-06-10' }, NOW, { config: noDay0() }).tasks.map((t) => t.playbook)).not.toContain('new_contract');
    expect(plan(fresh, NOW, { config: noDay0(withRule('new_contract', { enabled: false })) }).tasks.map((t) => t.playbook)).not.toContain('new_contract');
  });

  it('channel per segment: a person in every segment', () => {
    expect(routesBySegment(fresh, 'new_contract', NOW, { config: noDay0() })).toEqual({ pooled: 'task', mid_pooled: 'task', named: 'task' });
  });
});
