/**
 * No login for `days`+ days → re-engage (fresh login data only; period: the ISO week). Settings:
 * `playbooks.rules.no_login`. Channel play: `no_login`.
 */
import type { Config } from '../../config';
import * as dates from '../../dates';
import { ownSettings, type PlaybookRule } from '../rule';

const { formatIsoDay, parseIsoDay } = dates;

type Settings = Config['playbooks']['rules']['no_login'];

export const noLoginRule: PlaybookRule<Settings> = {
  id: 'no_login',
  title: 'No login',
  resolve: ownSettings('no_login'),
  trigger(ctx, s) {
    if (!ctx.freshLogin) return;
    const login = parseIsoDay(ctx.account.lastLoginDate);
    if (login !== null && ctx.today - login >= s.days) ctx.add('reengage', ctx.week, s.priority, ctx.today + s.dueInDays, s.cooldownDays, login);
  },
  describe(c, ctx, s) {
    const login = c.arg;
    const since = ctx.today - login;
    return {
      subject: `no login for ${since} days`,
      why: `No login for ${s.days}+ days: last login ${formatIsoDay(login)} (${since} days ago).`,
      values: { lastLoginDate: formatIsoDay(login), daysSince: since, threshold: s.days },
    };
  },
};
