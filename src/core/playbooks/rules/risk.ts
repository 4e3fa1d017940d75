/**
 * Risk escalation: a known health score below `below` (period: the ISO week). Settings:
 * `playbooks.rules.risk_escalation`. Channel play: `risk_escalation` (a digital "we noticed" first, then
 * a call if the customer does not engage, by default).
 */
import type { Config } from '../../config';
import { ownSettings, type PlaybookRule } from '../rule';

type Settings = Config['playbooks']['rules']['risk_escalation'];

export const riskRule: PlaybookRule<Settings> = {
  id: 'risk_escalation',
  title: 'Risk escalation',
  resolve: ownSettings('risk_escalation'),
  trigger(ctx, s) {
    const score = ctx.health.score;
    if (score !== null && ctx.health.band !== 'unknown' && score < s.below) ctx.add('escalate', ctx.week, s.priority, ctx.today + s.dueInDays, s.cooldownDays);
  },
  describe(_c, ctx, s) {
    const score = ctx.health.score;
    const edge = ctx.previous.healthBand !== 'at_risk';
    return {
      subject: `health ${score}`,
      why: `Health is below ${s.below}: ${score} (${edge ? 'newly at risk' : 'still at risk'}). ${ctx.health.summary}`,
      values: { score, previousBand: ctx.previous.healthBand, threshold: s.below },
    };
  },
};
