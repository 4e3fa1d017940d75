/**
 * The report's model, built from an in-memory CRM (no HTML): the workload per CSM with urgent work
 * and today's tasks against the day's capacity, the backlog, digital touches, escalations and the
 * signed-in CSM's day with their backlog share.
 */
import { configVersion, parseConfig, type Config, type OpenTask, type Owner } from '../core';
import { makeAccount } from '../core/test-support';
import { silentLogger, type AppDeps } from './deps';
import { buildPortfolioReport } from './portfolio-report';
import { memoryCrm } from './test-support';

const NOW = new Date('2026-11-23T09:00:00Z'); // a Monday

const owner = (id: string, userId: number, firstName: string): Owner => ({ id, userId, email: null, firstName, lastName: 'CSM', active: true, archived: false, teams: [] });
const task = (id: string, key: string, ownerId: string, dueAt: string): OpenTask => ({ id, subject: `Task ${id}`, dueAt, status: 'NOT_STARTED', priority: 'HIGH', ownerId, queueIds: [], key });

function testConfig(): Config {
  const parsed = parseConfig({
    pool: {
      members: [
        { ownerId: '501', skills: [], coverageDays: ['mon', 'tue', 'wed', 'thu', 'fri'], outOfOffice: [], capacity: 20, tasksPerDay: 2 },
        { ownerId: '502', skills: [], coverageDays: ['sat'], outOfOffice: [], capacity: 20 },
      ],
    },
  });
  if (!parsed.ok) throw new Error('bad test config');
  return parsed.config;
}

function deps(config: Config = testConfig(), extraOwners: Owner[] = []): AppDeps {
  const companies = [
    makeAccount({ id: '1', name: 'Harbor Logistics', segment: 'pooled', healthBand: 'healthy', renewalDate: '2026-12-10', playbookLedger: ['cs:1:renewal:d30:2026-12-10@2026-11-23'] }),
    makeAccount({
      id: '2',
      name: 'Northwind',
      segment: 'pooled',
      healthBand: 'watch',
      playbookLedger: ['cs:2:usage_drop:alert:2026-W48@2026-11-23', 'cs:2:no_login:reengage:2026-W48@2026-11-23', 'cs:2:no_touch:check_in-digital:2026-W48@2026-11-22'],
    }),
    makeAccount({
      id: '3',
      name: 'Brightwave',
      segment: 'pooled',
      healthBand: 'unknown',
      lifecycleStage: 'onboarding',
      onboardingCsmId: '501',
      contractStartDate: '2026-11-11',
      onboardingStartDate: '2026-11-11',
      graduationDate: '2027-02-09',
      playbookBacklog: ['cs:3:onboarding:day_7:2026-11-18@2026-11-18'],
    }),
    makeAccount({ id: '4', name: 'Acme Bank', segment: 'named', healthBand: 'at_risk', healthScore: 32, acv: 200_000, playbookBacklog: ['cs:4:usage_drop:alert:2026-W48@2026-11-21'] }),
  ];
  const open = new Map<string, OpenTask[]>([
    ['1', [task('t1', 'cs:1:renewal:d30:2026-12-10', '501', '2026-11-23T09:00:00.000Z')]],
    ['2', [task('t2', 'cs:2:usage_drop:alert:2026-W48', '501', '2026-11-20T09:00:00.000Z'), task('t3', 'cs:2:no_login:reengage:2026-W48', '501', '2026-11-25T09:00:00.000Z')]],
  ]);
  const crm = {
    ...memoryCrm({ companies, owners: [owner('501', 9001, 'Priya'), owner('502', 9002, 'Tomas'), ...extraOwners], open }),
    companyViewUrl: () => null,
    companyRecordUrl: (id: string) => `https://crm.example/record/${id}`,
  };
  return { crm, config, configVersion: configVersion(config), now: () => NOW, log: silentLogger };
}

describe('buildPortfolioReport (the model)', () => {
  it('gives each CSM open, overdue, due this week, urgent, and today\'s tasks against the day\'s capacity', async () => {
    const r = await buildPortfolioReport(deps());
    const priya = r.workload?.find((w) => w.ownerId === '501');
    const tomas = r.workload?.find((w) => w.ownerId === '502');
    expect(priya).toMatchObject({ open: 3, overdue: 1, dueThisWeek: 2, urgent: 1, createdToday: 3, capacityToday: 2, oldestDue: '2026-11-20' });
    // Off on Mondays: no capacity today, nothing created.
    expect(tomas).toMatchObject({ open: 0, urgent: 0, createdToday: 0, capacityToday: 0 });
    expect(r.escalations).toMatchObject({ urgentOpen: 1, overCapacityToday: 1 });
  });

  it('has the backlog with its oldest item, the digital touches and the at-risk named accounts', async () => {
    const r = await buildPortfolioReport(deps());
    expect(r.backlog).toMatchObject({ count: 2, companies: 2 });
    expect(r.backlog?.oldest).toMatchObject({ companyName: 'Brightwave', daysWaiting: 5, ownerId: '501', url: 'https://crm.example/record/3' });
    expect(r.backlog?.byOwner.map((o) => [o.ownerName, o.count])).toEqual([
      ['The pool (any CSM working that day)', 1],
      ['Priya CSM', 1],
    ]);
    expect(r.digitalTouches).toMatchObject({ count: 1, byType: [{ type: 'check_in', label: 'Check-in email', count: 1 }] });
    expect(r.escalations?.namedAtRisk.map((x) => [x.companyName, x.reason, x.openTasks, x.arr])).toEqual([['Acme Bank', 'Named account at risk (health 32)', 0, 200_000]]);
    // Tasks by playbook count tasks only: the digital touch in Northwind's ledger is not one.
    expect(r.tasksByPlaybook.reduce((n, p) => n + p.created, 0)).toBe(3);
  });

  it('gives the signed-in CSM their tasks due today or overdue, their onboardings with what is missing, and their backlog share', async () => {
    const r = await buildPortfolioReport(deps(), { userId: 9001 });
    const day = r.myDay;
    expect(day?.ownerName).toBe('Priya CSM');
    // Overdue first; the task due on Wednesday is not today's.
    expect(day?.tasks.map((t) => [t.companyName, t.overdueDays])).toEqual([
      ['Northwind', 3],
      ['Harbor Logistics', 0],
    ]);
    expect(day?.onboardings).toHaveLength(1);
    expect(day?.onboardings[0]).toMatchObject({ companyName: 'Brightwave', day: 13, totalDays: 90, overdue: false });
    expect(day?.onboardings[0]?.missing.length).toBeGreaterThan(0);
    expect(day?.share).toBe(1);
    // One onboarding step waits for her; the pool's one waiting task is shared by the one CSM working today.
    expect(day?.backlog).toEqual({ mine: 1, pool: 1, poolPerCsmToday: 1 });
    // Someone who is not an owner here gets no day, not someone else's.
    expect((await buildPortfolioReport(deps(), { userId: 1234 })).myDay).toBeNull();
  });

  it('counts coverage over the CSMs who work this week: one out of office all week is not counted, one working only Saturday is', async () => {
    const config = testConfig();
    config.pool.members.push({ ownerId: '503', skills: [], coverageDays: ['mon', 'tue', 'wed', 'thu', 'fri'], outOfOffice: [{ from: '2026-11-23', to: '2026-11-29' }], capacity: 20 });
    const r = await buildPortfolioReport(deps(config, [owner('503', 9003, 'Olu')]));
    expect(r.availableCsms).toBe(2);
    // 3 pooled accounts over 2 CSMs (not 3).
    expect(r.coverage.find((c) => c.segment === 'pooled')).toMatchObject({ accounts: 3, csms: 2, coverageRatio: 1.5 });
    // Back the next week: counted.
    const back = testConfig();
    back.pool.members.push({ ownerId: '503', skills: [], coverageDays: ['mon', 'tue', 'wed', 'thu', 'fri'], outOfOffice: [{ from: '2026-11-23', to: '2026-11-26' }], capacity: 20 });
    expect((await buildPortfolioReport(deps(back, [owner('503', 9003, 'Olu')]))).availableCsms).toBe(3);
  });
});
