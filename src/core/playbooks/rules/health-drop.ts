/**
 * Health drop: the score fell by `points`+ against the stored score, or over the trend window (known
 * scores only; period: the ISO week). Settings: `playbooks.rules.health_drop`. Channel play: `health_drop`.
 */
import type { Config } from '../../config';
import { ownSettings, type PlaybookRule } from '../rule';

type Settings = Config['playbooks']['rules']['health_drop'];

export const healthDropRule: PlaybookRule<Settings> = {
  id: 'health_drop',
  title: 'Health drop',
  resolve: ownSettings('health_drop'),
  trigger(ctx, s) {
    const score = ctx.health.score;
    if (score === null || ctx.health.band === 'unknown') return;
    const before = ctx.previous.healthScore;
    const stepDrop = before !== null ? before - score : null;
    const trend = ctx.trend;
    const trendDrop = trend?.dropped === true && trend.change !== null ? -trend.change : null;
    const drop = stepDrop !== null && stepDrop >= s.points ? stepDrop : trendDrop;
    if (drop !== null && drop >= s.points) ctx.add('review', ctx.week, s.priority, ctx.today + s.dueInDays, s.cooldownDays, drop);
  },
  describe(c, ctx, s) {
    const score = ctx.health.score;
    const before = ctx.previous.healthScore;
    return {
      subject: `health down ${c.arg} points to ${score}`,
      why: `Health dropped by ${s.points}+ points: ${c.arg} points, now ${score}${before !== null ? ` (was ${before})` : ''}.`,
      values: { score, previousScore: before, drop: c.arg, threshold: s.points },
    };
  },
};
