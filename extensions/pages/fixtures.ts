/** A realistic `portfolio-report` result for the page tests (to be joined by real function output). */
import { HEALTH_BANDS, SEGMENTS, type PortfolioReport } from '../../src/app/view-models';

const counts: Record<string, number> = {
  'pooled:healthy': 212, 'pooled:watch': 96, 'pooled:at_risk': 41, 'pooled:unknown': 23,
  'mid_pooled:healthy': 58, 'mid_pooled:watch': 19, 'mid_pooled:at_risk': 7, 'mid_pooled:unknown': 2,
  'named:healthy': 9, 'named:watch': 3, 'named:at_risk': 1, 'named:unknown': 0,
};

const view = (q: string) => `https://app.hubspot.com/contacts/123/objects/0-2/views/all/list?${q}`;

export const report: PortfolioReport = {
  generatedAt: '2026-11-23T06:00:00.000Z',
  configVersion: 'cfg-2026-11-01.3',
  period: { from: '2026-10-24', to: '2026-11-23' },
  totals: { accounts: 471, onboarding: 38, onboardingOverdue: 4, graduated: 402, notStarted: 27, unknownHealth: 25, openTasks: 143, activeCsms: 5 },
  segmentBand: SEGMENTS.flatMap((segment) =>
    HEALTH_BANDS.map((band) => ({ segment, band, count: counts[`${segment}:${band}`] ?? 0, url: view(`cs_segment=${segment}&cs_health_band=${band}`) })),
  ),
  coverage: [
    { segment: 'pooled', accounts: 372, csms: 3, coverageRatio: 124, benchmark: { label: 'SMB (pooled)', min: 250, max: 500 }, status: 'below' },
    { segment: 'mid_pooled', accounts: 86, csms: 1, coverageRatio: 86, benchmark: { label: 'Mid-market', min: 75, max: 150 }, status: 'within' },
    { segment: 'named', accounts: 13, csms: 1, coverageRatio: 13, benchmark: null, status: 'unknown' },
  ],
  csmLoads: [
    { ownerId: '501', ownerName: 'Priya Raman', active: true, onboardingCount: 14, onboardingCap: 20, pooledAccountsServed: 131, coverageRatio: 131, benchmark: { label: 'SMB (pooled)', min: 250, max: 500 }, status: 'below', url: view('cs_onboarding_csm=501') },
    { ownerId: '502', ownerName: 'Tomás Ortega', active: true, onboardingCount: 21, onboardingCap: 20, pooledAccountsServed: 118, coverageRatio: 118, benchmark: { label: 'Mid-market', min: 75, max: 150 }, status: 'within', url: view('cs_onboarding_csm=502') },
    { ownerId: '509', ownerName: 'Leo Park', active: false, onboardingCount: 3, onboardingCap: 20, pooledAccountsServed: 0, coverageRatio: null, benchmark: null, status: 'unknown', url: null },
  ],
  onboardingPipeline: [
    { week: '2026-W48', weekStart: '2026-11-23', count: 6, overdue: 0, url: view('cs_graduation_date=2026-W48') },
    { week: '2026-W49', weekStart: '2026-11-30', count: 4, overdue: 0, url: null },
    { week: '2026-W50', weekStart: '2026-12-07', count: 9, overdue: 0, url: null },
  ],
  tasksByPlaybook: [
    { playbook: 'onboarding', label: 'Onboarding schedule', created: 120, completed: 84, open: 36, completionRate: 0.7 },
    { playbook: 'usage_drop', label: 'Usage drop', created: 40, completed: 14, open: 26, completionRate: 0.35 },
    { playbook: 'renewal', label: 'Renewal 90/60/30', created: 0, completed: 0, open: 0, completionRate: null },
  ],
  links: [
    { kind: 'segment', value: 'pooled', label: 'Pooled accounts', url: view('cs_segment=pooled') },
    { kind: 'band', value: 'at_risk', label: 'At-risk accounts', url: view('cs_health_band=at_risk') },
    { kind: 'stage', value: 'onboarding_overdue', label: 'Overdue onboardings', url: view('cs_lifecycle_stage=onboarding_overdue') },
  ],
  dataIssues: {
    count: 2,
    examples: ['Acme GmbH: cs_acv "12k" is not a number'],
    items: [{ companyId: '4410', companyName: 'Acme GmbH', property: 'cs_acv', message: "ACV unreadable: '12k'", url: 'https://app.hubspot.com/contacts/123/record/0-2/4410' }],
  },
  workload: [
    { ownerId: '501', ownerName: 'Priya Raman', active: true, availableThisWeek: true, open: 31, overdue: 4, dueThisWeek: 12, oldestDue: '2026-11-02', urgent: 3, createdToday: 11, capacityToday: 8 },
    { ownerId: '502', ownerName: 'Tomás Ortega', active: true, availableThisWeek: false, open: 9, overdue: 0, dueThisWeek: 2, oldestDue: '2026-11-20', urgent: 0, createdToday: 0, capacityToday: 0 },
  ],
  renewalsAtRisk: [
    { companyId: '4021', companyName: 'Harbor Logistics', renewalDate: '2026-12-15', daysToRenewal: 22, band: 'at_risk', arr: 42000, segment: 'mid_pooled', url: 'https://app.hubspot.com/contacts/123/record/0-2/4021' },
    { companyId: '4022', companyName: 'Northwind', renewalDate: '2027-01-30', daysToRenewal: 68, band: 'unknown', arr: null, segment: 'pooled', url: null },
  ],
  renewalsAheadDays: 90,
  availableCsms: 5,
  arrBySegmentBand: SEGMENTS.flatMap((segment) =>
    HEALTH_BANDS.map((band) => ({ segment, band, accounts: counts[`${segment}:${band}`] ?? 0, arr: segment === 'pooled' && band === 'at_risk' ? 612_500 : 0, unknownArr: segment === 'pooled' && band === 'at_risk' ? 3 : 0 })),
  ),
  backlog: {
    count: 41,
    companies: 30,
    oldest: { companyId: '4055', companyName: 'Fjord Retail', playbook: 'renewal', label: 'Renewal', since: '2026-11-16', daysWaiting: 7, band: 'at_risk', segment: 'pooled', ownerId: null, url: 'https://app.hubspot.com/contacts/123/record/0-2/4055' },
    oldestItems: [],
    byPlaybook: [
      { playbook: 'renewal', label: 'Renewal', count: 25 },
      { playbook: 'onboarding', label: 'Onboarding', count: 16 },
    ],
    byBand: [
      { band: 'healthy', count: 12 },
      { band: 'watch', count: 10 },
      { band: 'at_risk', count: 19 },
      { band: 'unknown', count: 0 },
    ],
    byOwner: [
      { ownerId: null, ownerName: 'The pool (any CSM working that day)', count: 25 },
      { ownerId: '501', ownerName: 'Priya Raman', count: 16 },
    ],
  },
  digitalTouches: {
    count: 57,
    byType: [
      { type: 'check_in', label: 'Check-in email', count: 40 },
      { type: 'we_noticed', label: '"We noticed…" email', count: 17 },
    ],
    byPlaybook: [],
    engaged: 9,
    awaitingAnswer: 44,
    unanswered: 4,
  },
  escalations: {
    namedAtRisk: [{ companyId: '4090', companyName: 'Acme Bank', reason: 'Named account at risk (health 31)', arr: 210000, band: 'at_risk', segment: 'named', openTasks: 0, url: 'https://app.hubspot.com/contacts/123/record/0-2/4090' }],
    namedAtRiskCount: 1,
    namedAtRiskArr: 210000,
    noAnswerCalls: { created: 3, open: 1, items: [{ companyId: '4021', companyName: 'Harbor Logistics', reason: 'Risk escalation: no answer to the digital touch, call task open', arr: 42000, band: 'at_risk', segment: 'mid_pooled', openTasks: 2, url: null }] },
    urgentOpen: 3,
    overCapacityToday: 3,
    renewalWithinDays: 30,
  },
};

/** A portal where setup ran but no company has been swept yet. */
export const emptyReport: PortfolioReport = {
  ...report,
  totals: { accounts: 0, onboarding: 0, onboardingOverdue: 0, graduated: 0, notStarted: 0, unknownHealth: 0, openTasks: 0, activeCsms: 0 },
  segmentBand: report.segmentBand.map((c) => ({ ...c, count: 0 })),
  coverage: [],
  csmLoads: [],
  onboardingPipeline: [],
  tasksByPlaybook: [],
  dataIssues: { count: 0, examples: [] },
};
