/**
 * Usage drop: usage fell by more than `dropAbove` period over period (fresh usage data only; period:
 * the ISO week). Settings: `playbooks.rules.usage_drop`. Channel play: `usage_drop`.
 */
import type { Config } from '../../config';
import { ownSettings, pctText, type PlaybookRule } from '../rule';

type Settings = Config['playbooks']['rules']['usage_drop'];

export const usageDropRule: PlaybookRule<Settings> = {
  id: 'usage_drop',
  title: 'Usage drop',
  resolve: ownSettings('usage_drop'),
  trigger(ctx, s) {
    const cur = ctx.account.usageCurrentPeriod;
    const prev = ctx.account.usagePreviousPeriod;
    if (!ctx.freshUsage || cur === null || prev === null || !(prev > 0)) return;
    const change = (cur - prev) / prev;
    if (-change > s.dropAbove) ctx.add('alert', ctx.week, s.priority, ctx.today + s.dueInDays, s.cooldownDays, change);
  },
  describe(c, ctx, s) {
    const change = c.arg;
    const cur = ctx.account.usageCurrentPeriod;
    const prev = ctx.account.usagePreviousPeriod;
    return {
      subject: `usage down ${pctText(-change)}`,
      why: `Usage dropped by more than ${pctText(s.dropAbove)} period over period: ${cur} vs ${prev} (−${pctText(-change)}).`,
      values: { current: cur, previous: prev, change: Math.round(change * 1000) / 1000, threshold: s.dropAbove },
    };
  },
};
