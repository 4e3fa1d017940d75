import type { PortfolioReport } from './page-data';
import { escapeHtml, renderReportHtml } from './portfolio-report-html';

const report: PortfolioReport = {
  generatedAt: '2026-11-23T09:00:00.000Z',
  configVersion: 'c-0123456789ab',
  period: { from: '2026-10-24', to: '2026-11-23' },
  totals: { accounts: 3, onboarding: 1, onboardingOverdue: 0, graduated: 1, notStarted: 1, unknownHealth: 1, openTasks: 2, activeCsms: 1 },
  segmentBand: [
    { segment: 'pooled', band: 'healthy', count: 2, url: null },
    { segment: 'named', band: 'unknown', count: 1, url: null },
  ],
  coverage: [{ segment: 'pooled', accounts: 2, csms: 1, coverageRatio: 2, benchmark: { label: 'SMB (pooled)', min: 250, max: 500 }, status: 'below' }],
  csmLoads: [
    { ownerId: '501', ownerName: '<script>alert(1)</script>', active: true, onboardingCount: 1, onboardingCap: 20, pooledAccountsServed: 1, coverageRatio: 2, benchmark: null, status: 'unknown', url: null },
  ],
  onboardingPipeline: [{ week: '2027-W06', weekStart: '2027-02-08', count: 1, overdue: 0, url: null }],
  tasksByPlaybook: [{ playbook: 'renewal', label: 'Renewal', created: 2, completed: 1, open: 1, completionRate: 0.5 }],
  links: [{ kind: 'segment', value: 'pooled', label: 'Pooled "accounts"', url: 'https://app.hubspot.com/contacts/123/objects/0-2/views/all/list?cs_segment=pooled&x=1' }],
  dataIssues: { count: 1, examples: ['company 7: cs_acv not a number: "12,5"'] },
};

const withWorkload: PortfolioReport = {
  ...report,
  workload: [
    { ownerId: '501', ownerName: 'Priya Raman', active: true, availableThisWeek: true, open: 14, overdue: 2, dueThisWeek: 5, oldestDue: '2026-11-20', urgent: 3, createdToday: 12, capacityToday: 8 },
    { ownerId: '502', ownerName: 'Tomás Ortega', active: true, availableThisWeek: false, open: 0, overdue: 0, dueThisWeek: 0, oldestDue: null, urgent: 0, createdToday: 0, capacityToday: 0 },
  ],
  backlog: {
    count: 41,
    companies: 30,
    oldest: { companyId: '7', companyName: 'Harbor <Logistics>', playbook: 'renewal', label: 'Renewal', since: '2026-11-16', daysWaiting: 7, band: 'at_risk', segment: 'pooled', ownerId: null, url: 'https://app.hubspot.com/contacts/123/record/0-2/7' },
    oldestItems: [{ companyId: '7', companyName: 'Harbor <Logistics>', playbook: 'renewal', label: 'Renewal', since: '2026-11-16', daysWaiting: 7, band: 'at_risk', segment: 'pooled', ownerId: null, url: 'https://app.hubspot.com/contacts/123/record/0-2/7' }],
    byPlaybook: [{ playbook: 'renewal', label: 'Renewal', count: 41 }],
    byBand: [{ band: 'healthy', count: 0 }, { band: 'watch', count: 10 }, { band: 'at_risk', count: 31 }, { band: 'unknown', count: 0 }],
    byOwner: [{ ownerId: null, ownerName: 'The pool (any CSM working that day)', count: 38 }, { ownerId: '501', ownerName: 'Priya Raman', count: 3 }],
  },
  digitalTouches: { count: 12, byType: [{ type: 'check_in', label: 'Check-in email', count: 12 }], byPlaybook: [{ playbook: 'no_touch', label: 'Check-in', count: 12 }], engaged: 2, awaitingAnswer: 9, unanswered: 1 },
  escalations: {
    namedAtRisk: [{ companyId: '9', companyName: 'Acme Bank', reason: 'Named account at risk (health 31)', arr: 200000, band: 'at_risk', segment: 'named', openTasks: 0, url: null }],
    namedAtRiskCount: 1,
    namedAtRiskArr: 200000,
    noAnswerCalls: { created: 2, open: 1, items: [] },
    urgentOpen: 3,
    overCapacityToday: 4,
    renewalWithinDays: 30,
  },
};

describe('renderReportHtml: the cockpit parts', () => {
  const html = renderReportHtml(withWorkload);
  const text = (id: string) => (new RegExp(`<(p|ul) id="${id}">(.*?)</\\1>`, 's').exec(html)?.[2] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

  it('shows today\'s tasks against the capacity per CSM, the excess in red, and "off today"', () => {
    expect(html).toContain('<td>12 of 8 <span class="late">(4 over)</span></td>');
    expect(html).toContain('<td>off today</td>');
  });

  it('shows the backlog: size, the oldest item with its company linked (escaped), who it waits for', () => {
    expect(text('backlog-summary')).toContain('41 tasks from 30 companies wait for a CSM with capacity');
    expect(text('backlog-summary')).toContain('The oldest has waited 7 days (since 16 Nov 2026): Renewal for Harbor &lt;Logistics&gt;');
    expect(html).toContain('<a href="https://app.hubspot.com/contacts/123/record/0-2/7">Harbor &lt;Logistics&gt;</a>');
    expect(html).toContain('<td>The pool (any CSM working that day)</td><td>38</td>');
  });

  it('shows the digital touches by type and whether they were answered, and the escalations', () => {
    expect(text('digital-summary')).toBe('12 automated touches asked of HubSpot workflows in the period: 2 answered (the customer engaged after it), 9 waiting for an answer, 1 without an answer.');
    expect(html).toContain('<td>Check-in email</td><td>12</td>');
    const esc = text('escalation-summary');
    expect(esc).toContain('1 named account at risk ($200,000 ARR)');
    expect(esc).toContain('2 calls after a digital touch got no answer in the period, 1 still open');
    expect(esc).toContain('3 urgent tasks open');
    expect(esc).toContain('4 tasks created today beyond');
    // Nobody holds a task on the named account: said in red, not as a 0.
    expect(html).toMatch(/Acme Bank<\/td><td>Named account at risk \(health 31\)<\/td>.*<span class="late">none<\/span>/);
  });

  it('on a first day, says nothing has waited a full day yet rather than "waited 0 days"', () => {
    const oldest = { ...withWorkload.backlog!.oldest!, since: '2026-11-23', daysWaiting: 0 };
    const first = renderReportHtml({ ...withWorkload, backlog: { ...withWorkload.backlog!, oldest, oldestItems: [oldest] } });
    expect(first).toContain('Nothing has waited a full day yet: all of it since 23 Nov 2026 (e.g. Renewal for <a href="https://app.hubspot.com/contacts/123/record/0-2/7">Harbor &lt;Logistics&gt;</a>).');
    expect(first).not.toContain('waited 0 days');
  });

  it('says so when nothing waits and no touch went out; leaves the parts out of a report without them', () => {
    const quiet = renderReportHtml({ ...withWorkload, backlog: { ...withWorkload.backlog!, count: 0, companies: 0, oldest: null, oldestItems: [], byPlaybook: [], byOwner: [] }, digitalTouches: { count: 0, byType: [], byPlaybook: [], engaged: 0, awaitingAnswer: 0, unanswered: 0 } });
    expect(quiet).toContain('Nothing waits: every task the rules want has been created.');
    expect(quiet).toContain('No digital touch in the period.');
    expect(renderReportHtml(report)).not.toMatch(/<h2>(Backlog|Digital touches|Escalations)<\/h2>/);
  });
});

describe('renderReportHtml', () => {
  const html = renderReportHtml(report);

  it('is self-contained: inline CSS and SVG charts, no external asset', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i);
  });

  it('escapes every text from data', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Pooled &quot;accounts&quot;');
    expect(html).toContain('href="https://app.hubspot.com/contacts/123/objects/0-2/views/all/list?cs_segment=pooled&amp;x=1"');
    expect(html).toContain('cs_acv not a number: &quot;12,5&quot;');
    expect(escapeHtml(`<a href='x'>&</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('shows the figures: totals, completion rate, pipeline week', () => {
    expect(html).toContain('<td>3</td>');
    expect(html).toContain('50%');
    expect(html).toContain('Week of 8 Feb 2027');
  });
});
