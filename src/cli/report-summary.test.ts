import type { PortfolioReport } from '../app';
import { reportHeadline } from './report-summary';

const base: PortfolioReport = {
  generatedAt: '2026-11-23T09:00:00.000Z',
  configVersion: 'c-1',
  period: { from: '2026-10-24', to: '2026-11-23' },
  totals: { accounts: 0, onboarding: 0, onboardingOverdue: 0, graduated: 0, notStarted: 0, unknownHealth: 0, openTasks: 0, activeCsms: 0 },
  segmentBand: [],
  coverage: [],
  csmLoads: [],
  onboardingPipeline: [],
  tasksByPlaybook: [],
  links: [],
  dataIssues: { count: 0, examples: [] },
};

describe('reportHeadline', () => {
  it('prints the escalations, renewals at risk, backlog with its oldest company, touches by type and bad values', () => {
    const text = reportHeadline({
      ...base,
      renewalsAtRisk: [],
      renewalsAheadDays: 90,
      escalations: { namedAtRisk: [], namedAtRiskCount: 0, namedAtRiskArr: 0, noAnswerCalls: { created: 0, open: 2, items: [] }, urgentOpen: 1234, overCapacityToday: 4, renewalWithinDays: 30 },
      backlog: {
        count: 12,
        companies: 9,
        oldest: { companyId: '1', companyName: 'Harbor', playbook: 'renewal', label: 'Renewal', since: '2026-11-20', daysWaiting: 3, band: 'watch', segment: 'pooled', ownerId: null, url: null },
        oldestItems: [],
        byPlaybook: [],
        byBand: [],
        byOwner: [],
      },
      digitalTouches: { count: 5, byType: [{ type: 'check_in', label: 'Check-in email', count: 5 }], byPlaybook: [], engaged: 0, awaitingAnswer: 5, unanswered: 0 },
      dataIssues: { count: 2, examples: [] },
    });
    expect(text.split('\n')).toEqual([
      'Escalations: 0 named accounts at risk, 2 open calls after no answer, 1,234 urgent tasks open, 4 created today over capacity',
      'Renewals in the next 90 days at risk or unknown: 0',
      'Backlog: 12 tasks waiting (9 companies), oldest 3 days (Harbor)',
      'Digital touches in the period: 5 — Check-in email 5',
      'Bad values read from HubSpot: 2 (listed by company in the report)',
    ]);
  });

  it('says nothing waits, and prints nothing for parts a report does not have', () => {
    expect(reportHeadline({ ...base, backlog: { count: 0, companies: 0, oldest: null, oldestItems: [], byPlaybook: [], byBand: [], byOwner: [] } })).toBe('Backlog: nothing waits');
    expect(reportHeadline(base)).toBe('');
  });

  it('on a first day says nothing has waited a full day yet, never "oldest 0 days" (as the HTML report does)', () => {
    const oldest = { companyId: '1', companyName: 'Harbor', playbook: 'renewal', label: 'Renewal', since: '2026-11-23', daysWaiting: 0, band: 'watch' as const, segment: 'pooled' as const, ownerId: null, url: null };
    expect(reportHeadline({ ...base, backlog: { count: 3, companies: 2, oldest, oldestItems: [], byPlaybook: [], byBand: [], byOwner: [] } })).toBe('Backlog: 3 tasks waiting (2 companies), nothing has waited a full day yet (e.g. Harbor)');
  });
});
