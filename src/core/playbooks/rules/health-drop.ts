/**
 * Health drop: the score fell by `points`+ against the stored score, or over the trend window (known
 * scores only). A drop seen stays in force for `holdDays` while the score stays that far below
 * (`healthDropNow`), so its work is keyed by the ISO week of the day the drop was seen: waiting
 * work keeps its key, and the call after an unanswered digital touch still finds the drop.
 * Settings: `playbooks.rules.health_drop`. Channel play: `health_drop`.
 */
import type { Config } from '../../config';
import * as dates from '../../dates';
import { healthDropNow } from '../../health';
import { ownSettings, type PlaybookRule, type RuleContext } from '../rule';

type Settings = Config['playbooks']['rules']['health_drop'];

const { formatIsoDay, isoWeekKey } = dates;

function dropOf(ctx: RuleContext, s: Settings) {
  return healthDropNow(ctx.previous.healthScore, ctx.account.healthDrop, ctx.health.score, ctx.today, s);
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
    const since = now !== null && now.onDay !== ctx.today ? ` on ${formatIsoDay(now.onDay)}` : '';
    return {
      subject: `health down ${c.arg} points to ${score}`,
      why: `Health dropped by ${s.points}+ points: ${c.arg} points, now ${score}${before !== null ? ` (was ${before}${since})` : ''}.`,
      values: { score, previousScore: before, drop: c.arg, threshold: s.points },
    };
  },
};
