/**
 * Overdue onboarding → a task to the onboarding CSM naming the exit criteria still missing (period: the
 * graduation date it was due). Settings: `playbooks.onboarding.enabled`; always HIGH, due tomorrow.
 * Channel play: `onboarding`.
 */
import * as dates from '../../dates';
import type { PlaybookRule } from '../rule';

const { formatIsoDay, parseIsoDay } = dates;

export const onboardingOverdueRule: PlaybookRule<true> = {
  id: 'onboarding',
  title: 'Onboarding',
  resolve(config) {
    return config.playbooks.onboarding.enabled ? true : null;
  },
  trigger(ctx) {
    if (ctx.lifecycle.stage !== 'onboarding_overdue') return;
    const graduation = parseIsoDay(ctx.lifecycle.graduationDate);
    if (graduation === null) return;
    ctx.add('overdue', formatIsoDay(graduation), 'HIGH', ctx.today + 1, 0);
  },
  describe(c, ctx) {
    const lc = ctx.lifecycle;
    const missing = lc.exitCriteria.filter((x) => !x.met).map((x) => x.label);
    const days = lc.overdueDays ?? 0;
    return {
      subject: `overdue ${days} days${missing.length > 0 ? `, missing: ${missing.join(', ').toLowerCase()}` : ''}`,
      why: `Onboarding was due to end on ${c.period} and is ${days} days overdue; exit criteria not met: ${missing.length > 0 ? missing.join(', ') : 'none recorded'}.`,
      values: { graduationDate: c.period, overdueDays: lc.overdueDays, missing: missing.join('; ') },
    };
  },
};
