import { defaultConfig, parseIsoDay, type OpenTask } from '../core';
import { causesFromSummary, onboardingSteps, ruleInWords, scoreChanges, ticketsCountedBySweep, unknownMatters } from './card-data-builder';

describe('unknownMatters', () => {
  const config = defaultConfig(); // healthy ≥ 70, watch ≥ 50
  it('is false when the band holds whatever the unknown signals would say', () => {
    // 95 on 85% of the weight: 80.75 … 95.75, healthy either way.
    expect(unknownMatters(95, 0.85, config)).toBe(false);
    expect(unknownMatters(80, 1, config)).toBe(false);
  });
  it('is true when they could move the band, and when there is no score at all', () => {
    // 72 on 85%: 61.2 (watch) … 76.2 (healthy).
    expect(unknownMatters(72, 0.85, config)).toBe(true);
    expect(unknownMatters(null, 0, config)).toBe(true);
  });
});

describe('causesFromSummary', () => {
  it('takes the weak signals of the summary, else the rest after the score', () => {
    expect(causesFromSummary('62/100 watch, coverage 85%. Weak: usage trend 412 vs 630 (−35%); last login 2026-10-20. Strong: NPS 9.')).toBe('usage trend 412 vs 630 (−35%); last login 2026-10-20');
    expect(causesFromSummary('88/100 healthy, coverage 100%. Strong: NPS 9.')).toBe('Strong: NPS 9.');
    expect(causesFromSummary('64/100 watch, coverage 80%.')).toBeNull();
    expect(causesFromSummary(null)).toBeNull();
  });
});

describe('scoreChanges', () => {
  it('pairs each score with the summary written with it, newest first, only real changes, bounded', () => {
    const scores = [
      { value: 60, at: '2026-11-12T06:00:00.000Z' },
      { value: 78, at: '2026-10-01T06:00:00.000Z' },
      { value: 78, at: '2026-10-15T06:00:00.000Z' },
    ];
    const summaries = [
      { value: '60/100 watch, coverage 90%. Weak: usage trend 300 vs 520 (−42%); last login 2026-10-10.', at: '2026-11-12T06:00:00.000Z' },
      { value: '78/100 healthy, coverage 90%.', at: '2026-10-01T06:00:00.000Z' },
    ];
    expect(scoreChanges(scores, summaries, 10)).toEqual([
      { at: '2026-11-12T06:00:00.000Z', score: 60, delta: -18, causes: 'usage trend 300 vs 520 (−42%); last login 2026-10-10' },
      { at: '2026-10-01T06:00:00.000Z', score: 78, delta: null, causes: null },
    ]);
    expect(scoreChanges(scores, summaries, 1)).toHaveLength(1);
    expect(scoreChanges([], [], 5)).toEqual([]);
  });
});

describe('ruleInWords', () => {
  it('replaces the rule id by the playbook title', () => {
    expect(ruleInWords('nps_detractor', 'nps_detractor: NPS detractor (0–6): answered 3.')).toBe('NPS detractor: NPS detractor (0–6): answered 3.');
    expect(ruleInWords('renewal', 'Renewal (d30)')).toBe('Renewal (d30)');
  });
});

describe('ticketsCountedBySweep', () => {
  it('is false when the summary names support tickets unknown or missing, true for any other summary, null without one', () => {
    expect(ticketsCountedBySweep('71/100 healthy, coverage 80%. Strong: NPS 8. Unknown: usage trend, support tickets.')).toBe(false);
    expect(ticketsCountedBySweep('Health unknown: too little fresh data for a score (coverage 20%, needs 60%). Missing: support tickets, NPS.')).toBe(false);
    expect(ticketsCountedBySweep('62/100 watch (capped: NPS detractor: 3 on 2026-11-16), coverage 100%. Weak: support tickets 3 open (1 high priority).')).toBe(true);
    expect(ticketsCountedBySweep('88/100 healthy, coverage 100%. Unknown: NPS.')).toBe(true);
    expect(ticketsCountedBySweep('Health unknown: no signal has data (coverage 0%). Missing: usage trend, seat utilisation.')).toBe(true);
    expect(ticketsCountedBySweep(null)).toBeNull();
    expect(ticketsCountedBySweep('  ')).toBeNull();
  });
});

describe('onboardingSteps', () => {
  const ob = defaultConfig().playbooks.onboarding; // day 0, 3, 7, 14; catch-up 7 days
  const start = '2026-11-12';
  const today = (parseIsoDay(start) as number) + 11; // day 12
  const key = (step: string) => `cs:42:onboarding:${step}:${start}`;
  const task = (k: string, dueAt: string): OpenTask => ({ id: 't1', subject: 's', dueAt, status: 'NOT_STARTED', priority: 'MEDIUM', ownerId: '7', queueIds: [], key: k });
  const base = { accountId: '42', stage: 'onboarding', startDate: start, onboarding: ob, today };
  const none = { tasks: [], touches: [], skipped: [] };

  it('day 12: done from the ledger, skipped with the reason, an open task, due on its day', () => {
    const steps = onboardingSteps({
      ...base,
      ledger: [`${key('day0')}@2026-11-12`, `${key('day7')}@2026-11-19`],
      open: [task(key('day7'), '2026-11-20T15:00:00.000Z')],
      dryRun: { ...none, skipped: [{ key: key('day3'), reason: 'missed' }] },
    });
    expect(steps.map((s) => [s.step, s.state, s.dueDate])).toEqual([
      ['day0', 'done', '2026-11-12'],
      ['day3', 'skipped', '2026-11-15'],
      ['day7', 'open', '2026-11-19'],
      ['day14', 'upcoming', '2026-11-26'],
    ]);
    expect(steps[1]?.reason).toBe('no task was created within 7 days of its day (e.g. the app first saw this customer later), so the app no longer creates it');
    expect(steps[2]?.taskDueAt).toBe('2026-11-20T15:00:00.000Z');
    for (const s of steps) if (s.state !== 'skipped') expect(s.reason).toBeNull();
  });

  it('due now when the dry run plans it; held back (waiting) with the reason when nobody can take it', () => {
    const planned = onboardingSteps({ ...base, ledger: [], open: [], dryRun: { ...none, tasks: [{ key: key('day7') }] } });
    expect(planned[2]?.state).toBe('due');
    const held = onboardingSteps({ ...base, ledger: [], open: [], dryRun: { ...none, skipped: [{ key: key('day7'), reason: 'no_owner' }] } });
    expect(held[2]).toMatchObject({ state: 'waiting', reason: expect.stringMatching(/^nobody can take it/) });
  });

  it('a digital step counts as its step; day1 is not day14; another company or start is not this plan', () => {
    const custom = { ...ob, steps: [{ step: 'day1', day: 1, subject: 'Hello', priority: 'LOW' as const }, ...ob.steps] };
    const steps = onboardingSteps({
      ...base,
      onboarding: custom,
      ledger: [`cs:42:onboarding:day14-digital:${start}@2026-11-26`, `cs:43:onboarding:day1:${start}@2026-11-13`, `cs:42:onboarding:day3:2026-01-01@2026-01-04`],
      open: [],
      dryRun: none,
    });
    // day1 (another company's ledger entry), day0 and day3 (another start's entry) were never created: past the catch-up window.
    expect(steps.map((s) => s.state)).toEqual(['skipped', 'skipped', 'skipped', 'due', 'done']);
  });

  it('nothing when not onboarding, without a start date, or with the schedule switched off', () => {
    const args = { ...base, ledger: [], open: [], dryRun: none };
    expect(onboardingSteps({ ...args, stage: 'graduated' })).toEqual([]);
    expect(onboardingSteps({ ...args, stage: 'not_started' })).toEqual([]);
    expect(onboardingSteps({ ...args, startDate: null })).toEqual([]);
    expect(onboardingSteps({ ...args, startDate: 'soon' })).toEqual([]);
    expect(onboardingSteps({ ...args, onboarding: { ...ob, enabled: false } })).toEqual([]);
    expect(onboardingSteps({ ...args, stage: 'onboarding_overdue' })).toHaveLength(4);
  });
});
