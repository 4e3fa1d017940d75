/**
 * Low seat utilisation → an adoption task: active users / licensed seats below `below` (fresh seat data
 * only; period: the ISO week). Settings: `playbooks.rules.low_seat_utilisation`. Channel play:
 * `low_seat_utilisation`.
 */
import type { Config } from '../../config';
import { ownSettings, pctText, type PlaybookRule } from '../rule';

type Settings = Config['playbooks']['rules']['low_seat_utilisation'];

export const lowSeatUtilisationRule: PlaybookRule<Settings> = {
  id: 'low_seat_utilisation',
  title: 'Low seat utilisation',
  resolve: ownSettings('low_seat_utilisation'),
  trigger(ctx, s) {
    const util = ctx.utilisation;
    if (util !== null && util < s.below) ctx.add('adoption', ctx.week, s.priority, ctx.today + s.dueInDays, s.cooldownDays, util);
  },
  describe(c, ctx, s) {
    const util = c.arg;
    const act = ctx.account.activeUsers;
    const lic = ctx.account.licensedSeats;
    return {
      subject: `only ${pctText(util)} of seats used`,
      why: `Seat utilisation is below ${pctText(s.below)}: ${act} active of ${lic} licensed (${pctText(util)}).`,
      values: { activeUsers: act, licensedSeats: lic, utilisation: Math.round(util * 1000) / 1000, threshold: s.below },
    };
  },
};
