import { defaultConfig, type Config } from './config';
import { makeAccount } from './test-support';
import { computeHealth } from './health';
import { computeLifecycle } from './lifecycle';
import { appendLedger, extractTaskKey, parseLedger, planPlaybooks, type PlaybookInput } from './playbooks';
import { computeSegment } from './segment';
import type { Account } from './types';

const base: Partial<Account> = {
  id: '123',
  name: 'Acme',
  acv: 10_000,
  usageCurrentPeriod: 100,
  usagePreviousPeriod: 100,
  licensedSeats: 100,
  activeUsers: 50,
  lastLoginDate: '2026-06-14',
  usageUpdatedAt: '2026-06-14T00:00:00Z',
  openTickets: 0,
  highPriorityTickets: 0,
  npsScore: 8,
  npsDate: '2026-06-01',
  lastContactedAt: '2026-06-10T00:00:00Z',
  openCsTasks: 0,
  graduatedAt: '2026-01-01',
  onboardingStartDate: '2025-10-01',
};

/** Every play as a human task: the trigger tests below are about when rules fire, not the channel. */
function allTasks(config: Config): Config {
  const plays = Object.fromEntries(Object.keys(config.channels.plays).map((k) => [k, { pooled: 'task', mid_pooled: 'task', named: 'task' } as const]));
  return { ...config, channels: { ...config.channels, plays } };
}

function plan(fields: Partial<Account>, now: Date, opts: { config?: Config; previous?: PlaybookInput['previous']; owner?: PlaybookInput['owner']; trend?: PlaybookInput['trend'] } = {}) {
  const config = allTasks(opts.config ?? defaultConfig());
  const account = makeAccount({ ...base, ...fields });
  const segment = computeSegment(account, config, now);
  const health = computeHealth(account, segment.segment, config, now);
  const lifecycle = computeLifecycle(account, config, now, health.score);
  return planPlaybooks({
    account,
    segment,
    health,
    lifecycle,
    previous: opts.previous ?? { healthScore: health.score, healthBand: health.band },
    trend: opts.trend ?? null,
    owner: opts.owner === undefined ? { ownerId: '7' } : opts.owner,
    config,
    now,
  });
}

const now = new Date('2026-06-16T15:00:00Z'); // Tuesday, ISO week 2026-W25

describe('planPlaybooks: triggers', () => {
  it('a healthy, recently touched account gets no task', () => {
    expect(plan({}, now)).toEqual({ tasks: [], touches: [], skipped: [] });
  });

  it('usage drop fires strictly above 30%, keyed by the ISO week, due at the fixed UTC hour', () => {
    expect(plan({ usageCurrentPeriod: 70 }, now).tasks).toHaveLength(0);
    const { tasks } = plan({ usageCurrentPeriod: 69 }, now);
    expect(tasks.map((t) => t.key)).toEqual(['cs:123:usage_drop:alert:2026-W25']);
    const t = tasks[0];
    expect(t?.dueAt).toBe('2026-06-18T09:00:00.000Z');
    expect(t?.priority).toBe('HIGH');
    expect(t?.ownerId).toBe('7');
    expect(t?.queueId).toBeNull();
    expect(t?.subject.startsWith('Usage drop')).toBe(true);
    expect(t?.body).toContain('69 vs 100');
    expect(extractTaskKey(t?.body)).toBe(t?.key);
    expect(t?.trigger.values).toMatchObject({ current: 69, previous: 100 });
  });

  it('seat utilisation: < 10% → adoption, ≥ 90% → expansion', () => {
    expect(plan({ activeUsers: 10 }, now).tasks).toHaveLength(0);
    expect(plan({ activeUsers: 9 }, now).tasks.map((t) => t.playbook)).toEqual(['low_seat_utilisation']);
    expect(plan({ activeUsers: 90 }, now).tasks.map((t) => t.playbook)).toEqual(['expansion']);
    expect(plan({ activeUsers: 89 }, now).tasks).toHaveLength(0);
  });

  it('no login for 30+ days and no touch for 45+ days', () => {
    expect(plan({ lastLoginDate: '2026-05-18' }, now).tasks).toHaveLength(0); // 29 days
    expect(plan({ lastLoginDate: '2026-05-17' }, now).tasks.map((t) => t.playbook)).toEqual(['no_login']);
    expect(plan({ lastContactedAt: '2026-05-03T00:00:00Z' }, now).tasks).toHaveLength(0); // 44 days
    expect(plan({ lastContactedAt: '2026-05-02T23:00:00Z' }, now).tasks.map((t) => t.playbook)).toEqual(['no_touch']);
  });

  it('stale or unknown data never fires data rules', () => {
    expect(plan({ usageCurrentPeriod: 10, usageUpdatedAt: '2026-04-01T00:00:00Z' }, now).tasks.map((t) => t.playbook)).not.toContain('usage_drop');
    expect(plan({ usageCurrentPeriod: null, activeUsers: null, lastLoginDate: null, npsScore: null, lastContactedAt: null }, now).tasks).toHaveLength(0);
  });

  it('NPS detractor 0–6 keyed by the answer date', () => {
    expect(plan({ npsScore: 7 }, now).tasks).toHaveLength(0);
    expect(plan({ npsScore: 6 }, now).tasks.map((t) => t.key)).toEqual(['cs:123:nps_detractor:follow_up:2026-06-01']);
  });

  it('health drop ≥ 20 and health < 50 → risk escalation', () => {
    const bad: Partial<Account> = { usageCurrentPeriod: 40, activeUsers: 11, lastLoginDate: '2026-05-01', npsScore: 7, openTickets: 4, highPriorityTickets: 2 };
    const r = plan(bad, now, { previous: { healthScore: 80, healthBand: 'healthy' } });
    const pbs = r.tasks.map((t) => t.playbook);
    expect(pbs).toEqual(expect.arrayContaining(['health_drop', 'risk_escalation']));
    const noDrop = plan(bad, now, { previous: { healthScore: null, healthBand: null } });
    expect(noDrop.tasks.map((t) => t.playbook)).not.toContain('health_drop');
    const trendDrop = plan(bad, now, { previous: { healthScore: null, healthBand: null }, trend: { change: -25, dropped: true } });
    expect(trendDrop.tasks.map((t) => t.playbook)).toContain('health_drop');
  });

  it('renewal: only the tightest window, a new key per renewal date (next period)', () => {
    expect(plan({ renewalDate: '2026-09-15' }, now).tasks).toHaveLength(0); // 91 days
    expect(plan({ renewalDate: '2026-09-14' }, now).tasks.map((t) => t.key)).toEqual(['cs:123:renewal:d90:2026-09-14']);
    // 60 days out a person is needed only when usage is low or expansion potential is high (named: always).
    expect(plan({ renewalDate: '2026-08-15' }, now).tasks).toHaveLength(0); // 50% of seats used
    expect(plan({ renewalDate: '2026-08-15', activeUsers: 30 }, now).tasks.map((t) => t.key)).toEqual(['cs:123:renewal:d60:2026-08-15']);
    expect(plan({ renewalDate: '2026-08-15', activeUsers: 95 }, now).tasks[0]?.body).toContain('expansion potential (95% of seats used)');
    expect(plan({ renewalDate: '2026-08-15', acv: 150_000 }, now).tasks.map((t) => t.key)).toEqual(['cs:123:renewal:d60:2026-08-15']);
    expect(plan({ renewalDate: '2026-08-15', activeUsers: 30 }, now).tasks[0]?.subject).toContain('Renewal: renewal in 60 days');
    const d30 = plan({ renewalDate: '2026-07-01' }, now).tasks[0];
    expect(d30).toMatchObject({ key: 'cs:123:renewal:d30:2026-07-01', priority: 'HIGH' });
    const nextYear = plan({ renewalDate: '2027-07-01' }, new Date('2027-06-16T15:00:00Z')).tasks[0];
    expect(nextYear?.key).toBe('cs:123:renewal:d30:2027-07-01');
    expect(plan({ renewalDate: '2026-06-15' }, now).tasks).toHaveLength(0); // already past
  });

  it('onboarding schedule Day 0/3/7/14 keyed by the start date; the welcome is the kick-off (one step)', () => {
    const onboarding: Partial<Account> = { graduatedAt: null, onboardingStartDate: null, contractStartDate: '2026-06-16' };
    const day0 = plan(onboarding, now, { config: Object.assign(defaultConfig(), {}) });
    expect(day0.tasks.map((t) => t.key).sort()).toEqual(['cs:123:onboarding:day0:2026-06-16']);
    expect(day0.tasks[0]?.subject).toContain('welcome the new customer and plan the onboarding');
    const day3 = plan({ ...onboarding, contractStartDate: '2026-06-13' }, now);
    expect(day3.tasks.map((t) => t.key)).toEqual(expect.arrayContaining(['cs:123:onboarding:day0:2026-06-13', 'cs:123:onboarding:day3:2026-06-13']));
    const day14 = plan({ ...onboarding, contractStartDate: '2026-06-02' }, now);
    expect(day14.tasks.map((t) => t.key)).toEqual(['cs:123:onboarding:day14:2026-06-02', 'cs:123:onboarding:day7:2026-06-02']);
    // Day 0 and Day 3 are past the catch-up window: shown as missed, with the reason.
    expect(day14.skipped).toEqual(expect.arrayContaining([{ key: 'cs:123:onboarding:day0:2026-06-02', reason: 'missed' }, { key: 'cs:123:onboarding:day3:2026-06-02', reason: 'missed' }]));
    // …unless they were done.
    const done = plan({ ...onboarding, contractStartDate: '2026-06-02', playbookLedger: ['cs:123:onboarding:day0:2026-06-02@2026-06-02'] }, now);
    expect(done.skipped).toEqual(expect.arrayContaining([{ key: 'cs:123:onboarding:day0:2026-06-02', reason: 'ledger' }]));
    // Day 7's due date was in the past: it is due today at the fixed hour.
    expect(day14.tasks.find((t) => t.step === 'day7')?.dueAt).toBe('2026-06-16T09:00:00.000Z');
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

  it('appends new keys once, newest last, bounded', () => {
    const at = new Date('2026-06-16T23:30:00Z');
    expect(appendLedger(['a@2026-01-01'], ['a', 'b', 'b'], at, 10)).toEqual(['a@2026-01-01', 'b@2026-06-16']);
    expect(appendLedger(['a@2026-01-01', 'b@2026-01-02'], ['c'], at, 2)).toEqual(['b@2026-01-02', 'c@2026-06-16']);
    expect(appendLedger([], [], at, 5)).toEqual([]);
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
    const account = makeAccount({ ...base, ...fields });
    const segment = computeSegment(account, config, at);
    const health = computeHealth(account, segment.segment, config, at);
    const lifecycle = computeLifecycle(account, config, at, health.score);
    return planPlaybooks({ account, segment, health, lifecycle, previous: { healthScore: health.score, healthBand: health.band }, owner: { ownerId: '7' }, config, now: at });
  }

  it('a pooled 45-day check-in is a digital touch, a named one a task', () => {
    const pooled = planWith({ lastContactedAt: '2026-05-01T00:00:00Z' }, now);
    expect(pooled.tasks).toHaveLength(0);
    expect(pooled.touches).toEqual([expect.objectContaining({ key: 'cs:123:no_touch:check_in-digital:2026-W25', touchType: 'check_in' })]);
    const named = planWith({ lastContactedAt: '2026-05-01T00:00:00Z', acv: 150_000 }, now);
    expect(named.touches).toHaveLength(0);
    expect(named.tasks.map((t) => t.key)).toEqual(['cs:123:no_touch:check_in:2026-W25']);
  });

  it('one digital touch per run: the most important, the other waits (digital_busy)', () => {
    const r = planWith({ lastContactedAt: '2026-05-01T00:00:00Z', lastLoginDate: '2026-05-01' }, now);
    expect(r.touches).toHaveLength(1);
    expect(r.skipped.filter((s) => s.reason === 'digital_busy')).toHaveLength(1);
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

  it('an overdue onboarding gets a task for the onboarding CSM naming the missing criteria', () => {
    const overdue: Partial<Account> = { graduatedAt: null, onboardingStartDate: null, contractStartDate: '2026-02-01', activeUsers: 5, onboardingCsmId: '7', lifecycleStage: 'onboarding' }; // tracked as onboarding by an earlier run
    const r = planWith(overdue, now);
    const t = r.tasks.find((x) => x.step === 'overdue');
    expect(t?.key).toMatch(/^cs:123:onboarding:overdue:2026-05-02$/);
    expect(t?.subject).toContain('seat adoption reached');
    expect(t?.body).toContain('exit criteria not met');
    expect(t?.priority).toBe('HIGH');
  });

  it('expansion only for healthy accounts', () => {
    const config = allTasks(defaultConfig());
    expect(planWith({ activeUsers: 95 }, now, config).tasks.map((t) => t.playbook)).toEqual(['expansion']);
    expect(planWith({ activeUsers: 95, npsScore: 2, usageCurrentPeriod: 40 }, now, config).tasks.map((t) => t.playbook)).not.toContain('expansion');
  });

  it('the body says what to do first, then why, the key last; tasks carry a rank', () => {
    const r = planWith({ acv: 150_000, lastLoginDate: '2026-05-01' }, now);
    const body = r.tasks[0]?.body ?? '';
    expect(body.startsWith('What to do: ')).toBe(true);
    expect(body.indexOf('Why:')).toBeGreaterThan(body.indexOf('What to do:'));
    expect(body.trimEnd().endsWith(`Idempotency key: ${r.tasks[0]?.key}`)).toBe(true);
    expect(r.tasks[0]?.rank).toBeGreaterThan(0);
  });
});
