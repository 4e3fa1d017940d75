import { defaultConfig, MS_PER_DAY, type OpenTask } from '../core';
import { makeAccount } from '../core/test-support';
import { backlogSummary, digitalTouchSummary, escalationsOf, isUrgentTask, type WorkloadContext } from './portfolio-report-workload';

const TODAY = Math.floor(Date.UTC(2026, 10, 23) / MS_PER_DAY); // 23 Nov 2026
const config = defaultConfig();
const ctx: WorkloadContext = {
  config,
  today: TODAY,
  from: TODAY - 30,
  nameOf: (id) => `Company ${id}`,
  recordUrl: (id) => `https://crm.example/record/${id}`,
  ownerNameOf: (id) => (id === '501' ? 'Priya Raman' : `Owner ${id}`),
};
const openTask = (key: string | null, ownerId: string | null = '501'): OpenTask => ({ id: `t-${key}`, subject: 's', dueAt: null, status: 'NOT_STARTED', priority: 'HIGH', ownerId, queueIds: [], key });

describe('backlogSummary', () => {
  it('counts every waiting entry, names the oldest with its company and link, and splits it by who it waits for', () => {
    const accounts = [
      makeAccount({ id: '1', healthBand: 'watch', playbookBacklog: ['cs:1:renewal:d60:2027-01-31@2026-11-20', 'cs:1:no_touch:check_in:2026-W48@2026-11-22'] }),
      makeAccount({ id: '2', healthBand: 'at_risk', lifecycleStage: 'onboarding', onboardingCsmId: '501', playbookBacklog: ['cs:2:onboarding:day_7:2026-11-10@2026-11-16'] }),
      makeAccount({ id: '3', playbookBacklog: [] }),
      // A malformed date waits since today (never dropped, never invented as old).
      makeAccount({ id: '4', healthBand: null, playbookBacklog: ['cs:4:usage_drop:alert:2026-W48@yesterday'] }),
    ];
    const b = backlogSummary(accounts, ctx);
    expect(b.count).toBe(4);
    expect(b.companies).toBe(3);
    expect(b.oldest).toMatchObject({ companyId: '2', companyName: 'Company 2', playbook: 'onboarding', label: 'Onboarding', since: '2026-11-16', daysWaiting: 7, ownerId: '501', url: 'https://crm.example/record/2' });
    expect(b.oldestItems.map((i) => [i.companyId, i.daysWaiting])).toEqual([['2', 7], ['1', 3], ['1', 1], ['4', 0]]);
    expect(b.byOwner).toEqual([
      { ownerId: null, ownerName: 'The pool (any CSM working that day)', count: 3 },
      { ownerId: '501', ownerName: 'Priya Raman', count: 1 },
    ]);
    expect(b.byBand).toEqual([
      { band: 'healthy', count: 0 },
      { band: 'watch', count: 2 },
      { band: 'at_risk', count: 1 },
      { band: 'unknown', count: 1 },
    ]);
    expect(b.byPlaybook[0]).toEqual({ playbook: 'no_touch', label: 'Check-in', count: 1 });
  });

  it('is empty, with no oldest, when nothing waits', () => {
    expect(backlogSummary([makeAccount({ id: '1' })], ctx)).toMatchObject({ count: 0, companies: 0, oldest: null, oldestItems: [], byPlaybook: [], byOwner: [] });
  });
});

describe('digitalTouchSummary', () => {
  it('counts the period\'s touches by type (as the core chose it) and whether the customer answered', () => {
    const accounts = [
      // Renewal 60 days out → a renewal reminder; the customer engaged the day after.
      makeAccount({ id: '1', playbookLedger: ['cs:1:renewal:d60-digital:2027-01-22@2026-11-20', 'cs:1:renewal:d60:2027-01-22@2026-11-20'], lastEngagedAt: '2026-11-21T10:00:00.000Z' }),
      // Check-in 2 days ago: still within the wait for an answer.
      makeAccount({ id: '2', playbookLedger: ['cs:2:no_touch:check_in-digital:2026-W48@2026-11-21'], lastEngagedAt: '2026-11-01T10:00:00.000Z' }),
      // "We noticed" 10 days ago, no engagement since: unanswered. One 40 days ago is outside the period.
      makeAccount({ id: '3', playbookLedger: ['cs:3:nps_detractor:risk-digital:2026-11-13@2026-11-13', 'cs:3:no_touch:check_in-digital:2026-W41@2026-10-14'] }),
    ];
    const d = digitalTouchSummary(accounts, ctx);
    expect(d.count).toBe(3);
    expect(d.byType.map((t) => [t.type, t.label, t.count])).toEqual([
      ['check_in', 'Check-in email', 1],
      ['renewal_reminder', 'Renewal reminder', 1],
      ['we_noticed', '"We noticed…" email', 1],
    ]);
    expect(d.byPlaybook.map((p) => p.label).sort()).toEqual(['Check-in', 'NPS detractor', 'Renewal']);
    expect([d.engaged, d.awaitingAnswer, d.unanswered]).toEqual([1, 1, 1]);
  });

  it('an answer counts only after the touch\'s instant, not earlier the same day', () => {
    const touch = (id: string, lastEngagedAt: string) =>
      makeAccount({ id, playbookLedger: [`cs:${id}:nps_detractor:risk-digital:2026-11-13@2026-11-13`], digitalTouchAt: '2026-11-13T10:00:00.000Z', lastEngagedAt });
    const before = digitalTouchSummary([touch('1', '2026-11-13T08:00:00.000Z')], ctx);
    const after = digitalTouchSummary([touch('2', '2026-11-13T11:00:00.000Z')], ctx);
    expect([before.engaged, before.unanswered]).toEqual([0, 1]);
    expect([after.engaged, after.unanswered]).toEqual([1, 0]);
  });
});

describe('escalations', () => {
  it('names the at-risk named accounts (largest ARR first), the open no-answer calls, urgent work and what went over capacity', () => {
    const accounts = [
      makeAccount({ id: '1', segment: 'named', healthBand: 'at_risk', healthScore: 31, acv: 150_000 }),
      makeAccount({ id: '2', segment: 'named', healthBand: 'at_risk', healthScore: null, acv: 400_000 }),
      makeAccount({ id: '3', segment: 'named', healthBand: 'watch', acv: 900_000 }),
      makeAccount({ id: '5', segment: 'named', healthBand: 'at_risk', healthScore: 96, acv: 100_000, healthSummary: '96/100 at risk (capped: urgent ticket open: 1), coverage 90%.' }),
      makeAccount({
        id: '4',
        segment: 'pooled',
        healthBand: 'at_risk',
        acv: 9_000,
        playbookLedger: ['cs:4:risk_escalation:call-call:2026-11-06@2026-11-20', 'cs:4:nps_detractor:risk-call:2026-11-01@2026-11-15'],
      }),
    ];
    const open = new Map<string, OpenTask[]>([
      ['1', [openTask('cs:1:risk_escalation:call:2026-11-20')]],
      ['4', [openTask('cs:4:risk_escalation:call-call:2026-11-06')]],
    ]);
    const e = escalationsOf(accounts, open, [{ urgent: 2, createdToday: 10, capacityToday: 8 }, { urgent: 1, createdToday: 3, capacityToday: 8 }, {}], ctx);
    expect(e.namedAtRisk.map((x) => [x.companyId, x.reason, x.openTasks])).toEqual([
      ['2', 'Named account at risk', 0],
      ['1', 'Named account at risk (health 31)', 1],
      ['5', 'Named account at risk (health 96, held at risk by urgent ticket open: 1)', 0],
    ]);
    expect([e.namedAtRiskCount, e.namedAtRiskArr]).toEqual([3, 650_000]);
    expect(e.noAnswerCalls.created).toBe(2);
    expect(e.noAnswerCalls.open).toBe(1);
    expect(e.noAnswerCalls.items[0]).toMatchObject({ companyId: '4', reason: 'Risk escalation: no answer to the digital touch, call task open', url: 'https://crm.example/record/4' });
    expect(e.urgentOpen).toBe(3);
    expect(e.overCapacityToday).toBe(2);
    expect(e.renewalWithinDays).toBe(config.workload.urgent.renewalWithinDays);
  });

  it('lists at most 50 named accounts at risk, the largest first, and counts them all', () => {
    const many = Array.from({ length: 60 }, (_, i) => makeAccount({ id: String(i + 1), segment: 'named', healthBand: 'at_risk', acv: 100_000 + i }));
    const e = escalationsOf(many, new Map(), [], ctx);
    expect(e.namedAtRisk).toHaveLength(50);
    expect(e.namedAtRisk[0]?.arr).toBe(100_059);
    expect(e.namedAtRiskCount).toBe(60);
    expect(e.namedAtRiskArr).toBe(60 * 100_000 + (59 * 60) / 2);
  });

  it('judges urgent tasks on the company as stored: a renewal within the window, any task of a named account at risk', () => {
    const within = makeAccount({ id: '1', segment: 'pooled', healthBand: 'healthy', renewalDate: '2026-12-10' });
    const later = makeAccount({ id: '2', segment: 'pooled', healthBand: 'healthy', renewalDate: '2027-02-10' });
    const named = makeAccount({ id: '3', segment: 'named', healthBand: 'at_risk' });
    expect(isUrgentTask(openTask('cs:1:renewal:d30:2026-12-10'), within, ctx)).toBe(true);
    expect(isUrgentTask(openTask('cs:2:renewal:d90:2027-02-10'), later, ctx)).toBe(false);
    expect(isUrgentTask(openTask('cs:3:usage_drop:alert:2026-W48'), named, ctx)).toBe(true);
    expect(isUrgentTask(openTask(null), named, ctx)).toBe(false);
  });
});
