/**
 * NPS detractor: a fresh answer of `max` or lower (period: the answer's date, else the ISO week).
 * Settings: `playbooks.rules.nps_detractor`. Channel play: `nps_detractor`.
 */
import type { Config } from '../../config';
import * as dates from '../../dates';
import { ownSettings, type PlaybookRule } from '../rule';

const { formatIsoDay, parseIsoDay } = dates;

type Settings = Config['playbooks']['rules']['nps_detractor'];

export const npsDetractorRule: PlaybookRule<Settings> = {
  id: 'nps_detractor',
  title: 'NPS detractor',
  resolve: ownSettings('nps_detractor'),
  trigger(ctx, s) {
    const nps = ctx.account.npsScore;
    if (!ctx.freshNps || nps === null || nps > s.max) return;
    const npsDay = parseIsoDay(ctx.account.npsDate);
    ctx.add('follow_up', npsDay !== null ? formatIsoDay(npsDay) : ctx.week, s.priority, ctx.today + s.dueInDays, s.cooldownDays, npsDay ?? NaN);
  },
  describe(c, ctx, s) {
    const nps = ctx.account.npsScore;
    // With an answer date the period is that date.
    const npsDate = Number.isNaN(c.arg) ? null : c.period;
    return {
      subject: `NPS ${nps}`,
      why: `NPS detractor (0–${s.max}): answered ${nps}${npsDate !== null ? ` on ${npsDate}` : ''}.`,
      values: { npsScore: nps, npsDate, threshold: s.max },
    };
  },
};
