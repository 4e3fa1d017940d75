/**
 * The onboarding schedule (Day 0 = the onboarding start date; period: the start date). Settings:
 * `playbooks.onboarding` (steps, catchUpDays). Channel play: `onboarding` (the onboarding CSM).
 * A step due today or within the catch-up window is wanted (due on its own day); one missed by more than
 * `catchUpDays` is shown as skipped (`missed`, or `ledger` when it was done). The planner does not hold
 * these steps back for the open-task cap: the schedule is one plan.
 */
import type { Config } from '../../config';
import * as dates from '../../dates';
import { taskKey, type PlaybookRule } from '../rule';

const { formatIsoDay, parseIsoDay } = dates;

type Settings = Config['playbooks']['onboarding'];

export const onboardingStepsRule: PlaybookRule<Settings> = {
  id: 'onboarding',
  title: 'Onboarding',
  resolve(config) {
    const ob = config.playbooks.onboarding;
    return ob.enabled && ob.steps.length > 0 ? ob : null;
  },
  trigger(ctx, ob) {
    if (!ctx.onboarding) return;
    const start = parseIsoDay(ctx.lifecycle.startDate);
    if (start === null) return;
    const today = ctx.today;
    let period: string | null = null;
    for (let i = 0; i < ob.steps.length; i++) {
      const s = ob.steps[i] as Settings['steps'][number];
      const due = start + s.day;
      if (today - due > ob.catchUpDays) ctx.miss(taskKey(ctx.account.id, 'onboarding', s.step, (period ??= formatIsoDay(start))));
      else if (today >= due) ctx.add(s.step, (period ??= formatIsoDay(start)), s.priority, due, 0, i);
    }
  },
  describe(c, ctx, ob) {
    const s = ob.steps[c.arg] as Settings['steps'][number];
    return {
      subject: s.subject.toLowerCase(),
      why: `Onboarding schedule: Day ${s.day} (${s.subject}) of the onboarding that started on ${c.period}.`,
      values: { startDate: c.period, scheduleDay: s.day, lifecycleDay: ctx.lifecycle.day },
    };
  },
};
