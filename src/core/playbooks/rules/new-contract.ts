/**
 * New contract → plan the onboarding (period: the contract start date). Settings:
 * `playbooks.rules.new_contract` (windowDays). Channel play: `new_contract`.
 * "New contract" and "welcome" are one step: with an onboarding schedule that has a Day 0 step, the
 * welcome (its first step) is the kick-off and this rule stays quiet for onboarding accounts.
 */
import type { Config } from '../../config';
import * as dates from '../../dates';
import type { PlaybookRule } from '../rule';

const { formatIsoDay, parseIsoDay } = dates;

interface Settings {
  rule: Config['playbooks']['rules']['new_contract'];
  /** The onboarding schedule's Day 0 step is the kick-off. */
  welcomeIsKickoff: boolean;
  onboardingDays: number;
}

export const newContractRule: PlaybookRule<Settings> = {
  id: 'new_contract',
  title: 'New contract',
  resolve(config) {
    const rule = config.playbooks.rules.new_contract;
    if (!rule.enabled) return null;
    const ob = config.playbooks.onboarding;
    return { rule, welcomeIsKickoff: ob.enabled && ob.steps.some((s) => s.day === 0), onboardingDays: config.lifecycle.onboardingDays };
  },
  trigger(ctx, s) {
    if (s.welcomeIsKickoff && ctx.onboarding) return;
    const contract = parseIsoDay(ctx.account.contractStartDate);
    const today = ctx.today;
    if (contract === null || contract > today || today - contract > s.rule.windowDays || ctx.lifecycle.stage === 'graduated') return;
    ctx.add('kickoff', formatIsoDay(contract), s.rule.priority, today + s.rule.dueInDays, s.rule.cooldownDays);
  },
  describe(c, _ctx, s) {
    return {
      subject: 'plan the onboarding',
      why: `A new contract started on ${c.period}: onboarding starts (${s.onboardingDays} days).`,
      values: { contractStartDate: c.period },
    };
  },
};
