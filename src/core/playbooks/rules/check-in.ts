/**
 * Check-in: no touch (HubSpot's last contacted) in `days`+ days (period: the ISO week). Settings:
 * `playbooks.rules.no_touch`. Channel play: `no_touch` (digital for pooled, a person for named by default).
 */
import type { Config } from '../../config';
import * as dates from '../../dates';
import { ownSettings, type PlaybookRule } from '../rule';

const { formatIsoDay, parseInstantMs, MS_PER_DAY } = dates;

type Settings = Config['playbooks']['rules']['no_touch'];

export const checkInRule: PlaybookRule<Settings> = {
  id: 'no_touch',
  title: 'Check-in',
  resolve: ownSettings('no_touch'),
  trigger(ctx, s) {
    const touched = parseInstantMs(ctx.account.lastContactedAt);
    if (touched === null) return;
    const days = ctx.today - Math.floor(touched / MS_PER_DAY);
    if (days >= s.days) ctx.add('check_in', ctx.week, s.priority, ctx.today + s.dueInDays, s.cooldownDays, days);
  },
  describe(c, ctx, s) {
    const days = c.arg;
    return {
      subject: `no touch in ${days} days`,
      why: `No touch in ${s.days}+ days: last contact ${formatIsoDay(ctx.today - days)} (${days} days ago).`,
      values: { lastContactedAt: ctx.account.lastContactedAt, daysSince: days, threshold: s.days },
    };
  },
};
