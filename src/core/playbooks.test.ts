import fc from 'fast-check';
import { defaultConfig, parseConfig, type Config } from './config';
import { appendLedger, cooldownEndsOf, extractTaskKey, nextFollowUpDay, parseLedger, seriesOwnerOf } from './playbooks';
import { utcDay } from './dates';
import { plan } from './playbooks/test-support';
import type { Account } from './types';

// What each rule wants (trigger edges, channel per segment, priority, texts) is tested beside the rule
// in ./playbooks/rules; here: the planner's gates (ledger, cooldown, cap, owner, channels) and the ledger.

const now = new Date('2026-06-16T15:00:00Z'); // Tuesday, ISO week 2026-W25

describe('planPlaybooks: triggers', () => {
  it('a healthy, recently touched account gets no task', () => {
    expect(plan({}, now)).toEqual({ tasks: [], touches: [], skipped: [] });
  });

  it('stale or unknown data never fires data rules', () => {
    expect(plan({ usageCurrentPeriod: 10, usageUpdatedAt: '2026-04-01T00:00:00Z' }, now).tasks.map((t) => t.playbook)).not.toContain('usage_drop');
    expect(plan({ usageCurrentPeriod: null, activeUsers: null, lastLoginDate: null, npsScore: null, lastContactedAt: null }, now).tasks).toHaveLength(0);
  });
});

describe('planPlaybooks: quiet by design', () => {
  it('skips keys already in the ledger', () => {
    const r = plan({ usageCurrentPeriod: 10, playbookLedger: ['cs:123:usage_drop:alert:2026-W25@2026-06-15'] }, now);
    expect(r.tasks).toHaveLength(0);
    expect(r.skipped).toEqual([{ key: 'cs:123:usage_drop:alert:2026-W25', reason: 'ledger' }]);
  });

  it('a persisting condition fires again only after its cooldown (30 days for usage drop)', () => {
    const within = plan({ usageCurrentPeriod: 10, playbookLedger: ['cs:123:usage_drop:alert:2026-W21@2026-05-18'] }, now);
    expect(within.skipped).toEqual([{ key: 'cs:123:usage_drop:alert:2026-W25', reason: 'cooldown' }]);
    const after = plan({ usageCurrentPeriod: 10, playbookLedger: ['cs:123:usage_drop:alert:2026-W20@2026-05-17'] }, now);
    expect(after.tasks.map((t) => t.key)).toEqual(['cs:123:usage_drop:alert:2026-W25']);
  });

  it('the first day a play that fires now may fire again by the ledger as written (the earliest of several); none when nothing waits', () => {
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
    const today = day('2026-06-16');
    const ends = (p: ReturnType<typeof plan>, ledger: string[]) => cooldownEndsOf(ledger, p.firing ?? [], today);
    // Usage drop held since 2026-05-18 (30 days: again on 2026-06-17); no login held since 2026-06-01 (30 days: 2026-07-01).
    const ledger = ['cs:123:usage_drop:alert:2026-W21@2026-05-18', 'cs:123:no_login:reengage:2026-W23@2026-06-01'];
    const held = plan({ usageCurrentPeriod: 10, lastLoginDate: '2026-04-01', playbookLedger: ledger }, now);
    expect(held.skipped.filter((s) => s.reason === 'cooldown')).toHaveLength(2);
    expect(ends(held, ledger)).toBe(day('2026-06-17'));
    // Held by the ledger this week (the same key), then by the cooldown: the same day.
    const thisWeek = ['cs:123:usage_drop:alert:2026-W25@2026-06-15'];
    const byLedger = plan({ usageCurrentPeriod: 10, playbookLedger: thisWeek }, now);
    expect(byLedger.skipped).toEqual([{ key: 'cs:123:usage_drop:alert:2026-W25', reason: 'ledger' }]);
    expect(ends(byLedger, thisWeek)).toBe(day('2026-07-15'));
    // Planned now: nothing waits until the task exists; once created (in the ledger), its cooldown does.
    const planned = plan({ usageCurrentPeriod: 10, playbookLedger: ['cs:123:usage_drop:alert:2026-W20@2026-05-17'] }, now);
    expect(planned.tasks).toHaveLength(1);
    expect(ends(planned, ['cs:123:usage_drop:alert:2026-W20@2026-05-17'])).toBeNull();
    expect(ends(planned, ['cs:123:usage_drop:alert:2026-W20@2026-05-17', 'cs:123:usage_drop:alert:2026-W25@2026-06-16'])).toBe(day('2026-07-16'));
    // A play that does not fire records nothing, whatever its ledger.
    expect(plan({ playbookLedger: ['cs:123:usage_drop:alert:2026-W21@2026-05-18'] }, now).firing ?? []).toEqual([]);
  });

  it('caps open CS tasks per company, highest priority first', () => {
    const many: Partial<Account> = { usageCurrentPeriod: 10, activeUsers: 95, lastLoginDate: '2026-04-01', lastContactedAt: '2026-01-01T00:00:00Z', renewalDate: '2026-09-01' };
    const all = plan(many, now, { config: { ...defaultConfig(), playbooks: { ...defaultConfig().playbooks, openTaskCap: 10 } } });
    expect(all.tasks.length).toBeGreaterThanOrEqual(4);
    const capped = plan({ ...many, openCsTasks: 1 }, now);
    expect(capped.tasks).toHaveLength(2);
    expect(capped.tasks[0]?.priority).toBe('HIGH');
    expect(capped.skipped.filter((s) => s.reason === 'cap').length).toBe(all.tasks.length - 2);
    expect(plan({ ...many, openCsTasks: 5 }, now).tasks).toHaveLength(0);
  });

  it('with no owner nothing is created', () => {
    const r = plan({ usageCurrentPeriod: 10 }, now, { owner: null });
    expect(r.tasks).toHaveLength(0);
    expect(r.skipped[0]?.reason).toBe('no_owner');
  });

  it('routes to the pool queue', () => {
    const t = plan({ usageCurrentPeriod: 10 }, now, { owner: { queueId: 'q-1' } }).tasks[0];
    expect(t).toMatchObject({ queueId: 'q-1', ownerId: null });
  });

  it('keys and due dates come from UTC fields only (DST weekends in Europe and the US)', () => {
    // Europe springs forward 2026-03-29 01:00 UTC; the US falls back 2026-11-01 06:00 UTC.
    const cases: [string, string, string][] = [
      ['2026-03-28T23:30:00Z', '2026-W13', '2026-03-30T09:00:00.000Z'],
      ['2026-03-29T00:30:00Z', '2026-W13', '2026-03-31T09:00:00.000Z'],
      ['2026-03-29T23:59:59Z', '2026-W13', '2026-03-31T09:00:00.000Z'],
      ['2026-03-30T00:00:00Z', '2026-W14', '2026-04-01T09:00:00.000Z'],
      ['2026-11-01T05:30:00Z', '2026-W44', '2026-11-03T09:00:00.000Z'],
      ['2026-11-01T06:30:00Z', '2026-W44', '2026-11-03T09:00:00.000Z'],
      ['2026-11-02T00:00:00Z', '2026-W45', '2026-11-04T09:00:00.000Z'],
    ];
    for (const [at, week, due] of cases) {
      const when = new Date(at);
      const t = plan({ usageCurrentPeriod: 10, usageUpdatedAt: at, lastLoginDate: at.slice(0, 10), lastContactedAt: at }, when).tasks.find((x) => x.playbook === 'usage_drop');
      expect(t?.key).toBe(`cs:123:usage_drop:alert:${week}`);
      expect(t?.dueAt).toBe(due);
    }
  });
});

describe('ledger', () => {
  it('parses dated and bare entries and drops blanks', () => {
    expect(parseLedger(['a@2026-01-02', 'b', ' ', 'c@notadate'])).toEqual([
      { key: 'a', createdOn: '2026-01-02' },
      { key: 'b', createdOn: null },
      { key: 'c@notadate', createdOn: null },
    ]);
  });

  it('an entry may name the CSM who took the task (`key@day@owner`); old entries still read', () => {
    expect(parseLedger(['a@2026-01-02@7', 'b@2026-01-03', 'c@2026-01-04@', 'd@2026-13-01@7', 'e@x@7'])).toEqual([
      { key: 'a', createdOn: '2026-01-02', ownerId: '7' },
      { key: 'b', createdOn: '2026-01-03' },
      { key: 'c@2026-01-04@', createdOn: null },
      { key: 'd@2026-13-01@7', createdOn: null },
      { key: 'e@x@7', createdOn: null },
    ]);
    const at = new Date('2026-06-16T23:30:00Z');
    // Written with the owner; a key already held (with or without an owner) is not appended again.
    expect(appendLedger(['a@2026-01-01@7'], ['a', 'b', 'c'], at, 10, new Map([['b', '9'], ['c', null]]))).toEqual(['a@2026-01-01@7', 'b@2026-06-16@9', 'c@2026-06-16']);
    // The series owner: the newest entry that names one (a digital touch or queue task names none).
    expect(seriesOwnerOf(['cs:1:renewal:d90:x@2026-01-01@7', 'cs:1:renewal:d60-digital:x@2026-02-01'])).toBe('7');
    expect(seriesOwnerOf(['cs:1:renewal:d90:x@2026-03-01@7', 'cs:1:risk:call:y@2026-02-01@9'])).toBe('7');
    expect(seriesOwnerOf(['cs:1:a:b:x@2026-03-01@7', 'cs:1:c:d:y@2026-03-01@9'])).toBe('9');
    expect(seriesOwnerOf(['cs:1:renewal:d90:x@2026-01-01', 'bare'])).toBeNull();
    expect(seriesOwnerOf([])).toBeNull();
  });

  it('appends new keys once, newest last, bounded', () => {
    const at = new Date('2026-06-16T23:30:00Z');
    expect(appendLedger(['a@2026-01-01'], ['a', 'b', 'b'], at, 10)).toEqual(['a@2026-01-01', 'b@2026-06-16']);
    expect(appendLedger(['a@2026-01-01', 'b@2026-01-02'], ['c'], at, 2)).toEqual(['b@2026-01-02', 'c@2026-06-16']);
    expect(appendLedger([], [], at, 5)).toEqual([]);
  });

  it('appends exactly the keys parseLedger does not already hold (entries read in place)', () => {
    const at = new Date('2026-06-16T23:30:00Z');
    // The plain definition: keys as parseLedger reads them, then each new key once, dated today.
    const reference = (ledger: string[], keys: string[], max: number): string[] => {
      const parsed = parseLedger(ledger);
      const out = parsed.map((e) => (e.createdOn === null ? e.key : `${e.key}@${e.createdOn}${e.ownerId !== undefined ? `@${e.ownerId}` : ''}`));
      const seen = parsed.map((e) => e.key);
      for (const k of keys) {
        if (seen.includes(k)) continue;
        seen.push(k);
        out.push(`${k}@2026-06-16`);
      }
      return out.slice(Math.max(0, out.length - max));
    };
    const part = fc.constantFrom('a', 'b', 'cs:1:x', '@', '@2026-01-01', '2026-02-30', '@2026-1-01', ' ', '');
    const text = fc.array(part, { maxLength: 4 }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(fc.array(text, { maxLength: 6 }), fc.array(text, { maxLength: 4 }), fc.integer({ min: 0, max: 8 }), (ledger, keys, max) => {
        expect(appendLedger(ledger, keys, at, max)).toEqual(reference(ledger, keys, max));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('nextFollowUpDay', () => {
  const day = (iso: string) => utcDay(new Date(`${iso}T00:00:00Z`));
  const monday = 'cs:1:usage_drop:alert-digital:2026-W48@2026-11-23';
  const wednesday = 'cs:1:no_login:reengage-digital:2026-W48@2026-11-25';

  it('the earliest touch still to follow up, not the latest touch: touches go out one a day', () => {
    expect(nextFollowUpDay([monday, wednesday], 7, day('2026-11-24'))).toBe(day('2026-11-30'));
    // On Monday's follow-up day, the next one is Wednesday's.
    expect(nextFollowUpDay([monday, wednesday], 7, day('2026-11-30'))).toBe(day('2026-12-02'));
    expect(nextFollowUpDay([monday, wednesday], 7, day('2026-12-02'))).toBeNull();
  });

  it('a touch whose follow-up task is in the ledger has none pending; a playbook counts from its latest touch; tasks and bare keys are not touches', () => {
    expect(nextFollowUpDay([monday, 'cs:1:usage_drop:alert-call:2026-W48@2026-11-27', wednesday], 7, day('2026-11-24'))).toBe(day('2026-12-02'));
    expect(nextFollowUpDay([monday, 'cs:1:usage_drop:alert-digital:2026-W49@2026-11-30'], 7, day('2026-11-24'))).toBe(day('2026-12-07'));
    expect(nextFollowUpDay(['cs:1:renewal:d90:2027-01-31@2026-11-23', 'cs:1:no_touch:check_in-digital:2026-W48'], 7, day('2026-11-24'))).toBeNull();
    expect(nextFollowUpDay([], 7, day('2026-11-24'))).toBeNull();
  });

  it('date periods and owner-named entries read as the planner reads them', () => {
    expect(nextFollowUpDay(['cs:1:nps_detractor:follow_up-digital:2026-11-13@2026-11-25', 'cs:1:nps_detractor:follow_up-call:2026-11-13@2026-12-02@7'], 7, day('2026-11-26'))).toBeNull();
    expect(nextFollowUpDay(['cs:1:nps_detractor:follow_up-digital:2026-11-13@2026-11-25'], 7, day('2026-11-26'))).toBe(day('2026-12-02'));
  });
});

describe('extractTaskKey', () => {
  it('finds the key on its own line, also in HTML bodies', () => {
    expect(extractTaskKey('x\nIdempotency key: cs:1:a:b:c\ny')).toBe('cs:1:a:b:c');
    expect(extractTaskKey('<p>Why</p><p>Idempotency key: cs:1:a:b:c</p>')).toBe('cs:1:a:b:c');
    expect(extractTaskKey('mentions Idempotency key: cs:1 inline')).toBeNull();
    expect(extractTaskKey(null)).toBeNull();
    expect(extractTaskKey('')).toBeNull();
  });
});

describe('planPlaybooks: channels (digital first)', () => {
  function planWith(fields: Partial<Account>, at: Date, config: Config = defaultConfig()) {
    return plan(fields, at, { config, channels: 'config' });
  }

  it('one digital touch per run: the most important, the other waits (digital_busy)', () => {
    const r = planWith({ lastContactedAt: '2026-05-01T00:00:00Z', lastLoginDate: '2026-05-01' }, now);
    expect(r.touches).toHaveLength(1);
    expect(r.skipped.filter((s) => s.reason === 'digital_busy')).toHaveLength(1);
  });

  describe('one touch per company per channels.minDaysBetweenTouches days (default 7)', () => {
    // No touch for months, no login for months: no_touch and no_login both want a digital touch.
    const quiet: Partial<Account> = { lastContactedAt: '2026-05-01T00:00:00Z', lastLoginDate: '2026-05-01' };
    const touchedOn = (day: string) => [`cs:123:expansion:seats-digital:2026-W20@${day}`];
    const heldBy = (r: ReturnType<typeof planWith>) => r.skipped.filter((s) => s.reason === 'digital_busy').length;

    it('a touch 6 days ago holds every other: none goes out, each waits (digital_busy)', () => {
      const r = planWith({ ...quiet, playbookLedger: touchedOn('2026-06-10') }, now);
      expect(defaultConfig().channels.minDaysBetweenTouches).toBe(7);
      expect(r.touches).toEqual([]);
      expect(heldBy(r)).toBe(2);
    });

    it('a touch 7 days ago holds nothing: the most important goes out, the other waits', () => {
      const r = planWith({ ...quiet, playbookLedger: touchedOn('2026-06-09') }, now);
      expect(r.touches).toHaveLength(1);
      expect(heldBy(r)).toBe(1);
    });

    it('set to 1, a touch yesterday holds nothing (one a day); one today holds every other', () => {
      const config = defaultConfig();
      config.channels.minDaysBetweenTouches = 1;
      expect(planWith({ ...quiet, playbookLedger: touchedOn('2026-06-15') }, now, config).touches).toHaveLength(1);
      const today = planWith({ ...quiet, playbookLedger: touchedOn('2026-06-16') }, now, config);
      expect(today.touches).toEqual([]);
      expect(heldBy(today)).toBe(2);
    });

    it('a task in the ledger is not a touch, nor is a touch dated after today', () => {
      const task = ['cs:123:renewal:d60:2026-08-01@2026-06-14'];
      expect(planWith({ ...quiet, playbookLedger: task }, now).touches).toHaveLength(1);
      expect(planWith({ ...quiet, playbookLedger: touchedOn('2026-06-20') }, now).touches).toHaveLength(1);
    });

    it('0 days is refused by the config (at least one day between touches)', () => {
      expect(parseConfig({ channels: { minDaysBetweenTouches: 0 } }).ok).toBe(false);
    });
  });

  it('off means nothing, with the reason', () => {
    const config = defaultConfig();
    config.channels.plays.no_touch = { pooled: 'off', mid_pooled: 'off', named: 'off' };
    const r = planWith({ lastContactedAt: '2026-05-01T00:00:00Z' }, now, config);
    expect(r.tasks).toHaveLength(0);
    expect(r.touches).toHaveLength(0);
    expect(r.skipped).toEqual([{ key: 'cs:123:no_touch:check_in:2026-W25', reason: 'off' }]);
  });

  describe('digital_then_task (pooled usage drop)', () => {
    const drop: Partial<Account> = { usageCurrentPeriod: 50 };
    const touchedOn = '2026-06-16';
    const ledger = [`cs:123:usage_drop:alert-digital:2026-W25@${touchedOn}`];

    it('first a digital touch', () => {
      const r = planWith(drop, now);
      expect(r.tasks).toHaveLength(0);
      expect(r.touches.map((t) => [t.key, t.touchType])).toEqual([['cs:123:usage_drop:alert-digital:2026-W25', 'we_noticed']]);
    });

    it('no task while the customer has time to answer', () => {
      const r = planWith({ ...drop, playbookLedger: ledger }, new Date('2026-06-22T10:00:00Z'));
      expect(r.tasks).toHaveLength(0);
      expect(r.touches).toHaveLength(0);
      expect(r.skipped).toEqual([{ key: 'cs:123:usage_drop:alert-call:2026-W25', reason: 'awaiting_engagement' }]);
    });

    it('no engagement after N days → one human task', () => {
      const at = new Date('2026-06-23T10:00:00Z');
      const r = planWith({ ...drop, playbookLedger: ledger, lastEngagedAt: '2026-06-10T10:00:00Z' }, at);
      expect(r.tasks.map((t) => t.key)).toEqual(['cs:123:usage_drop:alert-call:2026-W25']);
      expect(r.tasks[0]?.body).toContain('has not engaged since');
      // …and only one: once in the ledger it is done.
      const again = planWith({ ...drop, playbookLedger: [...ledger, 'cs:123:usage_drop:alert-call:2026-W25@2026-06-23'] }, new Date('2026-06-24T10:00:00Z'));
      expect(again.tasks).toHaveLength(0);
    });

    it('engagement earlier the touch\'s own day is not after it: the exact cs_digital_touch_at counts when it is that touch, else the day', () => {
      const at = new Date('2026-06-23T10:00:00Z');
      const touchAt = `${touchedOn}T10:00:00.000Z`;
      const call = 'cs:123:usage_drop:alert-call:2026-W25';
      // A contact at 08:00 the touch went out at 10:00: not an answer → the call task.
      expect(planWith({ ...drop, playbookLedger: ledger, lastEngagedAt: `${touchedOn}T08:00:00.000Z`, digitalTouchAt: touchAt }, at).tasks.map((t) => t.key)).toEqual([call]);
      // A contact at 11:00: an answer → none.
      const after = planWith({ ...drop, playbookLedger: ledger, lastEngagedAt: `${touchedOn}T11:00:00.000Z`, digitalTouchAt: touchAt }, at);
      expect(after.tasks).toHaveLength(0);
      expect(after.skipped).toEqual([{ key: call, reason: 'engaged' }]);
      // The instant unknown, or of a later touch (another day): the touch's day, as before.
      for (const digitalTouchAt of [null, '2026-06-20T09:00:00.000Z', 'not a date']) {
        expect(planWith({ ...drop, playbookLedger: ledger, lastEngagedAt: `${touchedOn}T08:00:00.000Z`, digitalTouchAt }, at).skipped).toEqual([{ key: call, reason: 'engaged' }]);
      }
    });

    it('engagement after the touch → no task', () => {
      const r = planWith({ ...drop, playbookLedger: ledger, lastEngagedAt: '2026-06-18T10:00:00Z' }, new Date('2026-06-23T10:00:00Z'));
      expect(r.tasks).toHaveLength(0);
      expect(r.skipped).toEqual([{ key: 'cs:123:usage_drop:alert-call:2026-W25', reason: 'engaged' }]);
    });
  });

  it('the onboarding schedule is one plan: not blocked by the open-task cap (day 7 and day 14 on time with the cap at 3)', () => {
    const onboarding: Partial<Account> = { graduatedAt: null, onboardingStartDate: null, contractStartDate: '2026-06-09', openCsTasks: 3 };
    const day7 = planWith(onboarding, now);
    expect(day7.tasks.map((t) => t.key)).toContain('cs:123:onboarding:day7:2026-06-09');
    expect(day7.tasks.find((t) => t.step === 'day7')?.dueAt).toBe('2026-06-16T09:00:00.000Z');
    const day14 = planWith({ ...onboarding, playbookLedger: ['cs:123:onboarding:day7:2026-06-09@2026-06-16'] }, new Date('2026-06-23T10:00:00Z'));
    expect(day14.tasks.map((t) => t.key)).toEqual(['cs:123:onboarding:day14:2026-06-09']);
    expect(day14.tasks[0]?.dueAt).toBe('2026-06-23T09:00:00.000Z');
    // Other rules still respect the cap.
    expect(planWith({ ...onboarding, lastLoginDate: '2026-05-01', acv: 150_000 }, now).skipped).toEqual(expect.arrayContaining([expect.objectContaining({ reason: 'cap' })]));
  });

  it('the body says what to do first, then why, the key last; tasks carry a rank', () => {
    const r = planWith({ acv: 150_000, lastLoginDate: '2026-05-01' }, now);
    const body = r.tasks[0]?.body ?? '';
    expect(body.startsWith('What to do: ')).toBe(true);
    expect(body.indexOf('Why:')).toBeGreaterThan(body.indexOf('What to do:'));
    expect(body.trimEnd().endsWith(`Idempotency key: ${r.tasks[0]?.key}`)).toBe(true);
    expect(r.tasks[0]?.rank).toBeGreaterThan(0);
  });

  it('what to do is configurable per play; a play without one starts with why', () => {
    const fields: Partial<Account> = { acv: 150_000, lastLoginDate: '2026-05-01' };
    const byDefault = planWith(fields, now).tasks.find((t) => t.playbook === 'no_login');
    expect(byDefault?.body.split('\n')[0]).toBe(`What to do: ${defaultConfig().playbooks.actions.no_login}`);
    const config = defaultConfig();
    config.playbooks.actions.no_login = 'Ask the admin to reset the SSO link.';
    expect(planWith(fields, now, config).tasks.find((t) => t.playbook === 'no_login')?.body.split('\n')[0]).toBe('What to do: Ask the admin to reset the SSO link.');
    delete config.playbooks.actions.no_login;
    expect(planWith(fields, now, config).tasks.find((t) => t.playbook === 'no_login')?.body.startsWith('Why: ')).toBe(true);
  });
});
