import { defaultConfig } from './config';
import { evaluateAccount } from './evaluate';
import { createAssignmentState } from './assignment';
import { makeAccount } from './test-support';
import { newestRiskTask, riskCapEndsDay, riskCapEndsOf, riskTaskCaps } from './risk-cap';
import { parseIsoDay } from './dates';

const config = defaultConfig();
const now = new Date('2026-11-28T09:00:00Z');

describe('riskTaskCaps', () => {
  it('a risk task planned now or in the ledger within the window caps at watch; other plays and old tasks do not', () => {
    expect(riskTaskCaps([], [{ playbook: 'expansion' }, { playbook: 'nps_detractor' }], config, now)).toEqual([
      { id: 'risk_task', band: 'watch', reason: 'risk task from 2026-11-28: NPS detractor' },
    ]);
    const ledger = ['cs:1:renewal:d90:2027-02-01@2026-11-27', 'cs:1:usage_drop:alert:2026-W44@2026-10-29', 'cs:1:no_login:alert:2026-11@2026-11-01'];
    expect(riskTaskCaps(ledger, [], config, now)).toEqual([{ id: 'risk_task', band: 'watch', reason: 'risk task from 2026-11-01: No login' }]);
    expect(riskTaskCaps(['cs:1:usage_drop:alert:2026-W40@2026-10-01', 'cs:1:renewal:d90:x@2026-11-28', 'bare-key'], [], config, now)).toEqual([]);
    const off = defaultConfig();
    off.health.caps.risk_task.enabled = false;
    expect(riskTaskCaps(ledger, [{ playbook: 'no_login' }], off, now)).toEqual([]);
  });

  it('reads ledger entries as the ledger is written: trimmed, dated, `cs:<id>:<playbook>:…` with both parts present', () => {
    const capOf = (entry: string) => riskTaskCaps([entry], [], config, now)[0]?.reason ?? null;
    expect(capOf('  cs:1:no_login:reengage:2026-W47@2026-11-20  ')).toBe('risk task from 2026-11-20: No login');
    expect(capOf('cs:1:usage_drop:alert:a@b@2026-11-21')).toBe('risk task from 2026-11-21: Usage drop');
    // An entry that names the CSM who took the task (`key@day@owner`) reads the same.
    expect(capOf('cs:1:no_login:reengage:2026-W47@2026-11-20@7')).toBe('risk task from 2026-11-20: No login');
    for (const entry of ['cs::no_login:reengage:2026-W47@2026-11-20', 'xs:1:no_login:reengage:2026-W47@2026-11-20', 'cs:1:no_login@2026-11-20', 'cs:1:no_login:reengage:2026-W47', 'cs:1:no_login:reengage:2026-W47@2026-11-31', '@cs:1:no_login:x:y', 'cs:1:no_login:reengage:2026-W47@2026-11-29', 'cs:1:renewal:no_login:x@2026-11-20']) {
      expect([entry, capOf(entry)]).toEqual([entry, null]);
    }
    // The newest risk task in the window names the cap.
    expect(riskTaskCaps(['cs:1:health_drop:review:w@2026-11-25', 'cs:1:no_login:reengage:w@2026-11-27', 'cs:1:nps_detractor:follow_up:d@2026-11-26'], [], config, now)[0]?.reason).toBe('risk task from 2026-11-27: No login');
  });

  it('a digital "we noticed" touch in the ledger is no task: it does not cap the band', () => {
    expect(riskTaskCaps(['cs:1:nps_detractor:risk-digital:2026-11-20@2026-11-27'], [], config, now)).toEqual([]);
    expect(riskTaskCaps(['cs:1:nps_detractor:risk-digital:2026-11-20@2026-11-27', 'cs:1:nps_detractor:risk-call:2026-11-20@2026-11-28'], [], config, now)).toEqual([
      { id: 'risk_task', band: 'watch', reason: 'risk task from 2026-11-28: NPS detractor' },
    ]);
  });
});

describe('the day the risk-task cap ends (cs_risk_cap_ends)', () => {
  const day = (iso: string) => parseIsoDay(iso) as number;

  it('is the newest risk task in the window + withinDays + 1; none without one, for touches, or with the cap off', () => {
    const ledger = ['cs:1:no_login:alert:2026-11@2026-11-01', 'cs:1:renewal:d90:x@2026-11-27', 'cs:1:health_drop:review:w@2026-11-10'];
    expect(newestRiskTask(ledger, config, now)).toEqual({ day: day('2026-11-10'), playbook: 'health_drop' });
    expect(riskCapEndsDay(newestRiskTask(ledger, config, now), config)).toBe(day('2026-12-11'));
    // The cap holds on its last day (30 days after the task) and not on the day it ends.
    const last = new Date('2026-12-10T23:00:00Z');
    expect(riskTaskCaps(ledger, [], config, last)).toHaveLength(1);
    expect(riskTaskCaps(ledger, [], config, new Date('2026-12-11T00:00:00Z'))).toEqual([]);
    expect(riskCapEndsDay(newestRiskTask(ledger, config, new Date('2026-12-11T00:00:00Z')), config)).toBeNull();
    expect(newestRiskTask(['cs:1:nps_detractor:risk-digital:2026-11-20@2026-11-27', 'cs:1:renewal:d90:x@2026-11-27'], config, now)).toBeNull();
    const off = defaultConfig();
    off.health.caps.risk_task.enabled = false;
    expect(newestRiskTask(ledger, off, now)).toBeNull();
    const longer = defaultConfig();
    longer.health.caps.risk_task.withinDays = 45;
    expect(riskCapEndsDay(newestRiskTask(ledger, longer, now), longer)).toBe(day('2026-12-26'));
  });

  it('riskCapEndsOf words it as the date to record, from the ledger as written now', () => {
    expect(riskCapEndsOf(['cs:5:no_login:alert:2026-11@2026-11-01'], config, now)).toBe('2026-12-02');
    // Today's risk task (the dispatch just created it) holds the band for its 30 days from today.
    expect(riskCapEndsOf(['cs:5:no_login:alert:2026-11@2026-11-01', 'cs:5:usage_drop:alert:2026-W48@2026-11-28'], config, now)).toBe('2026-12-29');
    expect(riskCapEndsOf(['cs:5:no_login:alert:2026-10@2026-10-20', 'cs:5:renewal:d90:x@2026-11-27'], config, now)).toBeNull();
    expect(riskCapEndsOf([], config, now)).toBeNull();
  });
});

describe('evaluateAccount: never a green card beside a red task', () => {
  const healthyDetractor = makeAccount({
    id: '4',
    acv: 50_000,
    usageCurrentPeriod: 1100,
    usagePreviousPeriod: 1000,
    licensedSeats: 10,
    activeUsers: 10,
    lastLoginDate: '2026-11-26',
    usageUpdatedAt: '2026-11-27T00:00:00Z',
    openTickets: 0,
    highPriorityTickets: 0,
    lastContactedAt: '2026-11-20T00:00:00Z',
    // A detractor answer 107 days old: too old for the 90-day NPS cap, still fresh for the task.
    npsScore: 2,
    npsDate: '2026-08-13',
    lifecycleStage: 'graduated',
    graduatedAt: '2024-01-01',
  });

  it('the task planned now caps the band and the summary says why; the next run keeps it', () => {
    config.pool.members = [{ ownerId: '7', skills: [], coverageDays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], outOfOffice: [], capacity: 20 }];
    const owners = [{ id: '7', userId: 1, email: 'a@example.com', firstName: 'A', lastName: 'B', active: true, archived: false, teams: [] }];
    const state = createAssignmentState({ members: config.pool.members, owners });
    // A mid-pooled account: its NPS detractor play is a task for a person (pooled ones get an email first).
    const ev = evaluateAccount(healthyDetractor, { config, configVersion: 'v', now, assignment: state });
    expect(ev.tasks.map((t) => t.playbook)).toContain('nps_detractor');
    expect(ev.health.score).toBeGreaterThanOrEqual(70);
    expect(ev.health.band).toBe('watch');
    expect(ev.health.cappedBy?.reason).toBe('risk task from 2026-11-28: NPS detractor');
    // The next run reads the same cap from the ledger: the same band and summary (no write).
    const again = evaluateAccount({ ...healthyDetractor, ...ev.next }, { config, configVersion: 'v', now, assignment: ev.state });
    expect(again.tasks).toEqual([]);
    expect([again.health.band, again.health.summary]).toEqual([ev.health.band, ev.health.summary]);
  });
});

describe('withCap', () => {
  it('words the capped summary exactly as computeHealth with the cap would', async () => {
    const { computeHealth, withCap } = await import('./health');
    const account = makeAccount({
      usageCurrentPeriod: 1100,
      usagePreviousPeriod: 1000,
      licensedSeats: 10,
      activeUsers: 10,
      lastLoginDate: '2026-11-26',
      usageUpdatedAt: '2026-11-27T00:00:00Z',
      npsScore: 9,
      npsDate: '2026-11-01',
    });
    const cap = { id: 'risk_task' as const, band: 'watch' as const, reason: 'risk task from 2026-11-28: No login' };
    const plain = computeHealth(account, 'pooled', config, now);
    expect(plain.band).toBe('healthy');
    expect(withCap(plain, cap)).toEqual(computeHealth(account, 'pooled', config, now, [cap]));
    // Never raises a band, never touches an unknown one.
    const atRisk = { ...plain, band: 'at_risk' as const };
    expect(withCap(atRisk, cap).band).toBe('at_risk');
    const unknown = computeHealth(makeAccount(), 'pooled', config, now);
    expect(withCap(unknown, cap)).toMatchObject({ band: 'unknown', cappedBy: null, summary: unknown.summary });
  });
});
