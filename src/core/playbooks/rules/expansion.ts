/**
 * Expansion: seat utilisation at or above `utilisationFrom` (fresh seat data only), and only for healthy
 * accounts when `onlyHealthy` (period: the ISO week). Settings: `playbooks.rules.expansion`. Channel
 * play: `expansion` (digital for pooled, a person for mid-pooled and named by default).
 */
import type { Config } from '../../config';
import { ownSettings, pctText, type PlaybookRule } from '../rule';

type Settings = Config['playbooks']['rules']['expansion'];

export const expansionRule: PlaybookRule<Settings> = {
  id: 'expansion',
  title: 'Expansion',
  resolve: ownSettings('expansion'),
  trigger(ctx, s) {
    const util = ctx.utilisation;
    if (util !== null && util >= s.utilisationFrom && (!s.onlyHealthy || ctx.health.band === 'healthy')) {
      ctx.add('seats', ctx.week, s.priority, ctx.today + s.dueInDays, s.cooldownDays, util);
    }
  },
  describe(c, ctx, s) {
    const util = c.arg;
    const act = ctx.account.activeUsers;
    const lic = ctx.account.licensedSeats;
    return {
      subject: `${pctText(util)} of seats used`,
      why: `Licence utilisation is at or above ${pctText(s.utilisationFrom)}: ${act} active of ${lic} licensed (${pctText(util)}). Expansion opportunity.`,
      values: { activeUsers: act, licensedSeats: lic, utilisation: Math.round(util * 1000) / 1000, threshold: s.utilisationFrom },
    };
  },
};
