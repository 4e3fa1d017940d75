/**
 * Health drop: the score fell by `points`+ against the stored score, from its recorded peak within
 * the trend's comparison window (a slow slide, no history needed), or over the trend window (known
 * scores only). A drop seen stays in force for `holdDays` while the score stays that far below
 * (`healthDropNow`), so its work is keyed by the ISO week of the day the drop was seen: waiting
 * work keeps its key, and the call after an unanswered digital touch still finds the drop.
 * Settings: `playbooks.rules.health_drop`. Channel play: `health_drop`.
 */
import type { Config } from '../../config';
import * as dates from '../../dates';
import { healthDropNow } from '../../health';
import type { IsoDate } from '../../types';
import { ownSettings, type PlaybookRule, type RuleContext } from '../rule';

type Settings = Config['playbooks']['rules']['health_drop'];

const { formatIsoDay, isoWeekKey, parseIsoDay } = dates;

function dropOf(ctx: RuleContext, s: Settings) {
  return healthDropNow(ctx.previous.healthScore, ctx.account.healthDrop, ctx.health.score, ctx.today, s, ctx.account.healthPeak, ctx.config.health.trendCompareDays);
}

/** The day the score stood at `from`: the recorded peak's when the drop is measured from it, else the day the drop was seen (null: today). */
function fromDayOf(ctx: RuleContext, from: number, onDay: number): IsoDate | null {
  const peak = ctx.account.healthPeak;
  if (peak !== null && peak !== undefined && peak.score === from) {
    const day = parseIsoDay(peak.on);
    if (day !== null && day <= onDay) return peak.on;
  }
  return onDay !== ctx.today ? formatIsoDay(onDay) : null;
}

export const healthDropRule: PlaybookRule<Settings> = {
  id: 'health_drop',
  title: 'Health drop',
  resolve: ownSettings('health_drop'),
  trigger(ctx, s) {
    const score = ctx.health.score;
    if (score === null || ctx.health.band === 'unknown') return;
    const now = dropOf(ctx, s);
    if (now !== null) {
      ctx.add('review', now.onDay === ctx.today ? ctx.week : isoWeekKey(now.onDay), s.priority, ctx.today + s.dueInDays, s.cooldownDays, now.points);
      return;
    }
    const trend = ctx.trend;
    const trendDrop = trend?.dropped === true && trend.change !== null ? -trend.change : null;
    if (trendDrop !== null && trendDrop >= s.points) ctx.add('review', ctx.week, s.priority, ctx.today + s.dueInDays, s.cooldownDays, trendDrop);
  },
  describe(c, ctx, s) {
    const score = ctx.health.score;
    const now = dropOf(ctx, s);
    const before = now !== null ? now.from : ctx.previous.healthScore;
    const fromDay = now !== null ? fromDayOf(ctx, now.from, now.onDay) : null;
    const since = fromDay !== null ? ` on ${fromDay}` : '';
    return {
      subject: `health down ${c.arg} points to ${score}`,
      why: `Health dropped by ${s.points}+ points: ${c.arg} points, now ${score}${before !== null ? ` (was ${before}${since})` : ''}.`,
      values: { score, previousScore: before, drop: c.arg, threshold: s.points },
    };
  },
};
