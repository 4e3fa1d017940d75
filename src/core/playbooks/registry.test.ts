import { defaultConfig, type RuleId } from '../config';
import { PLAYBOOK_RULES, PLAYBOOK_TITLES, activeRules } from './registry';
import { usageDropRule } from './rules/usage-drop';
import { NOW, plan, withRule } from './test-support';

describe('playbook registry', () => {
  it('every rule of the config schema and the onboarding schedule has a module and a title', () => {
    const ids = [...(Object.keys(defaultConfig().playbooks.rules) as RuleId[]), 'onboarding'];
    expect(new Set(PLAYBOOK_RULES.map((r) => r.id))).toEqual(new Set(ids));
    for (const id of ids) expect(PLAYBOOK_TITLES[id as keyof typeof PLAYBOOK_TITLES]).toMatch(/^[A-Z]/);
    expect(PLAYBOOK_TITLES.no_touch).toBe('Check-in');
  });

  it('resolves the rules once per config, without the switched-off ones, in planning order', () => {
    const config = defaultConfig();
    const a = activeRules(config);
    expect(activeRules(config)).toBe(a);
    expect(a.map((x) => x.rule.id)).toEqual(PLAYBOOK_RULES.map((r) => r.id));
    const off = withRule('usage_drop', { enabled: false });
    off.playbooks.onboarding.enabled = false;
    expect(activeRules(off).map((x) => x.rule.id)).toEqual(PLAYBOOK_RULES.filter((r) => r.id !== 'usage_drop' && r.id !== 'onboarding').map((r) => r.id));
  });

  it('texts are built only for work that is planned (not for work the ledger or the cooldown skips)', () => {
    const spy = jest.spyOn(usageDropRule, 'describe');
    try {
      const skipped = plan({ usageCurrentPeriod: 10, playbookLedger: ['cs:123:usage_drop:alert:2026-W25@2026-06-15'] }, NOW);
      expect(skipped.skipped).toEqual([{ key: 'cs:123:usage_drop:alert:2026-W25', reason: 'ledger' }]);
      expect(spy).not.toHaveBeenCalled();
      const planned = plan({ usageCurrentPeriod: 10 }, NOW);
      expect(planned.tasks).toHaveLength(1);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});
