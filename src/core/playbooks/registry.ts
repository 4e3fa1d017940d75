/**
 * The playbook rules, in planning order (the order breaks ties between equal priorities), and their
 * settings resolved once per config.
 *
 * Adding a rule: write `rules/<rule>.ts` exporting a `PlaybookRule` (trigger, priority, texts; its
 * channel is `channels.plays[<id>]`), with `rules/<rule>.test.ts` beside it; list it below; add its
 * settings to `playbooks.rules` in the config schema (and defaults, and a channel per segment in
 * `channels.plays` if it is not a human task). Nothing else changes: the planner (../playbooks.ts)
 * applies the ledger, cooldowns, channels, the open-task cap and the owner to every rule alike.
 */
import type { Config } from '../config';
import type { ActiveRule, PlaybookId, PlaybookRule } from './rule';
import { checkInRule } from './rules/check-in';
import { expansionRule } from './rules/expansion';
import { healthDropRule } from './rules/health-drop';
import { lowSeatUtilisationRule } from './rules/low-seat-utilisation';
import { newContractRule } from './rules/new-contract';
import { noLoginRule } from './rules/no-login';
import { npsDetractorRule } from './rules/nps-detractor';
import { onboardingOverdueRule } from './rules/onboarding-overdue';
import { onboardingStepsRule } from './rules/onboarding-steps';
import { renewalRule } from './rules/renewal';
import { riskRule } from './rules/risk';
import { usageDropRule } from './rules/usage-drop';

export const PLAYBOOK_RULES: readonly PlaybookRule<unknown>[] = [
  newContractRule,
  onboardingStepsRule,
  onboardingOverdueRule,
  usageDropRule,
  lowSeatUtilisationRule,
  expansionRule,
  noLoginRule,
  healthDropRule,
  riskRule,
  npsDetractorRule,
  renewalRule,
  checkInRule,
];

/** The title of each playbook (from its rules). */
export const PLAYBOOK_TITLES = Object.fromEntries(PLAYBOOK_RULES.map((r) => [r.id, r.title])) as Record<PlaybookId, string>;

// A validated config is not changed after parsing (overrides make a new object), so its rules are
// resolved once and kept as long as the config lives.
const resolved = new WeakMap<Config, readonly ActiveRule[]>();

/**
 * The rules that can fire under a config, each with its settings (resolved once per config).
 * @example activeRules(defaultConfig()).map((a) => a.rule.id) // ['new_contract', 'onboarding', …, 'no_touch']
 */
export function activeRules(config: Config): readonly ActiveRule[] {
  let out = resolved.get(config);
  if (out === undefined) {
    const list: ActiveRule[] = [];
    for (const rule of PLAYBOOK_RULES) {
      const settings = rule.resolve(config);
      if (settings !== null) list.push({ rule, settings, plays: config.channels.plays[rule.id], touchType: config.channels.touchTypes[rule.id] });
    }
    out = list;
    resolved.set(config, out);
  }
  return out;
}
