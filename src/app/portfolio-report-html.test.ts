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
