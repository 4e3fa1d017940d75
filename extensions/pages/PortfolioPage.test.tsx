import { Alert, BarChart, Button, EmptyState, ErrorState, Flex, Link, LoadingSpinner, Statistics, StatisticsItem, StatusTag, TableRow, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { PageTitle } from '@hubspot/ui-extensions/pages';
import { mockServerless, never, textOf, until } from '../test-utils';
import { PortfolioHome, PortfolioRouter, SignedInUser, formatRate, formatRatio, myBacklogText } from './PortfolioPage';
import { emptyReport, report } from './fixtures';

afterEach(() => jest.restoreAllMocks());

async function ready() {
  const server = mockServerless(() => ({ ok: true, data: report }));
  const r = createRenderer('pages');
  r.render(<PortfolioHome />);
  await until(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
  return { ...r, server };
}

describe('PortfolioHome my day', () => {
  it('asks for the signed-in user\'s day and shows their tasks due, onboardings with what is missing, and their share', async () => {
    const withDay = {
      ...report,
      myDay: {
        ownerId: '501',
        ownerName: 'Priya Raman',
        tasks: [{ taskId: '9', companyId: '4021', companyName: 'Harbor Logistics', subject: 'Renewal: 30 days to renewal', dueAt: '2026-11-20T09:00:00.000Z', overdueDays: 3, url: null }],
        onboardings: [{ companyId: '4030', companyName: 'Brightwave', day: 12, totalDays: 90, overdue: false, missing: ['Seat adoption', 'Recent login'], url: null }],
        openTasks: 31,
        share: 0.22,
        backlog: { mine: 2, pool: 38, poolPerCsmToday: 4.2 },
      },
    };
    const server = mockServerless(() => ({ ok: true, data: withDay }));
    const r = createRenderer('pages');
    r.render(
      <SignedInUser.Provider value={9001}>
        <PortfolioHome />
      </SignedInUser.Provider>,
    );
    await until(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
    expect(server.calls('portfolio-report')).toEqual([{ userId: 9001 }]);
    expect(r.findByTestId(Text, 'my-share').text).toBe("31 open CS tasks, 22% of the team's");
    expect(r.findByTestId(Text, 'my-backlog').text).toBe('Backlog: 2 onboarding steps wait for you; the pool has 38 tasks waiting, about 4.2 per CSM working today.');
    expect(textOf(r.findByTestId(TableRow, 'my-task-9'))).toBe('Harbor Logistics Renewal: 30 days to renewal Overdue by 3 days');
    expect(textOf(r.findByTestId(TableRow, 'my-onboarding-4030'))).toBe('Brightwave Day 12 of 90 Seat adoption, Recent login');
  });
});

describe('PortfolioHome cockpit', () => {
  it('shows the renewals at risk with links, the workload per CSM, band tags in four colours and data issues by name', async () => {
    const { findByTestId } = await ready();
    const harbor = findByTestId(TableRow, 'renewal-4021');
    expect(textOf(harbor)).toBe('Harbor Logistics 15 Dec 2026 (in 22 days) At risk $42,000');
    expect(harbor.find(Link).props.href).toEqual({ url: 'https://app.hubspot.com/contacts/123/record/0-2/4021', external: true });
    expect(textOf(findByTestId(TableRow, 'renewal-4022'))).toBe('Northwind 30 Jan 2027 (in 68 days) Unknown Unknown');
    expect(textOf(findByTestId(TableRow, 'workload-501'))).toBe('Priya Raman 31 4 12 3 11 of 8 3 over 2 Nov 2026');
    expect(textOf(findByTestId(TableRow, 'workload-502'))).toBe('Tomás Ortega Away this week 9 0 2 0 Off today 20 Nov 2026');
    const variants = ['at_risk', 'watch', 'healthy', 'unknown'].map((b) => [findByTestId(StatusTag, `band-${b}`).text, findByTestId(StatusTag, `band-${b}`).props.variant]);
    expect(variants).toEqual([
      ['At risk', 'danger'],
      ['Watch', 'warning'],
      ['Healthy', 'success'],
      ['Unknown', 'default'],
    ]);
    expect(textOf(findByTestId(TableRow, 'arr-pooled'))).toBe('Pooled $0 $0 $612,500 (+3 without ACV) $0');
    expect(findByTestId(Alert, 'data-issues').find(Link).props.href).toEqual({ url: 'https://app.hubspot.com/contacts/123/record/0-2/4410', external: true });
  });
});

describe('PortfolioHome cockpit: escalations, backlog, digital touches', () => {
  it('shows the escalations: the figures, each company linked, and "None" where nobody holds a task', async () => {
    const { findByTestId } = await ready();
    const figures = findByTestId(Statistics, 'escalation-figures').findAll(StatisticsItem).map((s) => [s.props.label, s.props.number]);
    expect(figures).toEqual([
      ['Named accounts at risk', 1],
      ['Open calls after no answer', 1],
      ['Urgent tasks open', 3],
      ['Created today over capacity', 3],
    ]);
    const acme = findByTestId(TableRow, 'escalation-4090');
    expect(textOf(acme)).toBe('Acme Bank Named account at risk (health 31) At risk $210,000 None');
    expect(acme.find(Link).props.href).toEqual({ url: 'https://app.hubspot.com/contacts/123/record/0-2/4090', external: true });
    expect(textOf(findByTestId(TableRow, 'escalation-4021'))).toBe('Harbor Logistics Risk escalation: no answer to the digital touch, call task open At risk $42,000 2');
  });

  it('shows the backlog: its size, the oldest item linked to its company, by band and by whom it waits for', async () => {
    const { findByTestId } = await ready();
    expect(findByTestId(Text, 'backlog-summary').text).toBe('41 tasks from 30 companies wait for a CSM with capacity; they are created on the next working days, highest priority first.');
    const oldest = findByTestId(Text, 'backlog-oldest');
    expect(textOf(oldest).replace(/\s+/g, ' ')).toBe('Oldest: Renewal, waiting 7 days (since 16 Nov 2026) for Fjord Retail');
    expect(oldest.find(Link).props.href).toEqual({ url: 'https://app.hubspot.com/contacts/123/record/0-2/4055', external: true });
    expect(findByTestId(Flex, 'backlog-by-band').findAll(StatusTag).map((t) => [t.text, t.props.variant])).toEqual([
      ['Healthy 12', 'success'],
      ['Watch 10', 'warning'],
      ['At risk 19', 'danger'],
      ['Unknown 0', 'default'],
    ]);
    expect(textOf(findByTestId(TableRow, 'backlog-owner-pool'))).toBe('The pool (any CSM working that day) 25');
    expect(textOf(findByTestId(TableRow, 'backlog-owner-501'))).toBe('Priya Raman 16');
  });

  it('shows the digital touches by type in words and whether they were answered', async () => {
    const { findByTestId } = await ready();
    expect(findByTestId(Text, 'digital-summary').text).toBe('57 automated touches sent by HubSpot workflows: 9 answered, 44 waiting for an answer, 4 without an answer.');
    expect(textOf(findByTestId(TableRow, 'digital-check_in'))).toBe('Check-in email 40');
    expect(textOf(findByTestId(TableRow, 'digital-we_noticed'))).toBe('"We noticed…" email 17');
  });

  it('says so when nothing waits and no touch went out', async () => {
    const quiet = { ...report, backlog: { ...report.backlog!, count: 0, companies: 0, oldest: null, byPlaybook: [], byOwner: [] }, digitalTouches: { ...report.digitalTouches!, count: 0, byType: [] } };
    mockServerless(() => ({ ok: true, data: quiet }));
    const r = createRenderer('pages');
    r.render(<PortfolioHome />);
    await until(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
    expect(r.findByTestId(Text, 'backlog-summary').text).toBe('Nothing waits: every task the rules want has been created.');
    expect(r.findByTestId(Text, 'digital-summary').text).toBe('No digital touch in the period.');
    expect(r.maybeFind(TableRow, { testId: 'backlog-owner-pool' } as never)).toBeNull();
  });

  it('words a CSM\'s backlog share', () => {
    expect(myBacklogText({ mine: 2, pool: 38, poolPerCsmToday: 4.2 })).toBe('Backlog: 2 onboarding steps wait for you; the pool has 38 tasks waiting, about 4.2 per CSM working today.');
    expect(myBacklogText({ mine: 0, pool: 5, poolPerCsmToday: null })).toBe('Backlog: No onboarding step waits for you; the pool has 5 tasks waiting, nobody in the pool works today.');
    expect(myBacklogText({ mine: 1, pool: 0, poolPerCsmToday: 0 })).toBe('Backlog: 1 onboarding step waits for you; nothing waits in the pool.');
  });
});

describe('PortfolioHome', () => {
  it('loads portfolio-report with no parameters, spinner meanwhile', async () => {
    const server = mockServerless(never);
    const r = createRenderer('pages');
    r.render(<PortfolioHome />);
    expect(r.find(LoadingSpinner).props.label).toBe('Loading the portfolio…');
    await until(() => expect(server.calls('portfolio-report')).toEqual([{}]));
  });

  it('shows totals and the segment × band table with links to filtered views', async () => {
    const { find, findByTestId } = await ready();
    const totals = findByTestId(Statistics, 'totals').findAll(StatisticsItem).map((s) => [s.props.label, s.props.number]);
    expect(totals).toEqual([
      ['Accounts', 471],
      ['Onboarding', 38],
      ['Onboarding overdue', 4],
      ['Graduated', 402],
      ['Health unknown', 25],
      ['Open CS tasks', 143],
    ]);
    expect(textOf(findByTestId(TableRow, 'segment-pooled'))).toBe('Pooled 212 96 41 23');
    expect(textOf(findByTestId(TableRow, 'segment-named'))).toBe('Named 9 3 1 0');
    const atRiskPooled = findByTestId(TableRow, 'segment-pooled').findAll(Link)[2];
    expect(atRiskPooled?.props.href).toEqual({
      url: 'https://app.hubspot.com/contacts/123/objects/0-2/views/all/list?cs_segment=pooled&cs_health_band=at_risk',
      external: true,
    });
    expect(find(Alert).props.title).toBe('2 bad values read from HubSpot (read as unknown: fix them in HubSpot)');
    expect(textOf(find(Alert))).toContain("Acme GmbH : ACV unreadable: '12k' (cs_acv)");
  });

  it('shows coverage ratios against the seed benchmarks and CSM loads', async () => {
    const { findByTestId } = await ready();
    expect(textOf(findByTestId(TableRow, 'coverage-pooled'))).toBe('Pooled 372 3 1:124 SMB (pooled) 1:250–500 Below benchmark');
    expect(textOf(findByTestId(TableRow, 'coverage-mid_pooled'))).toContain('1:86 Mid-market 1:75–150 Within benchmark');
    expect(textOf(findByTestId(TableRow, 'csm-502'))).toBe('Tomás Ortega 21 of 20 Over cap 118 1:118 vs 1:75–150 Within benchmark');
    expect(textOf(findByTestId(TableRow, 'csm-509'))).toBe('Leo Park Inactive 3 of 20 0 — No benchmark');
  });

  it('shows the onboarding pipeline by week and tasks by playbook with completion rates', async () => {
    const { find, findByTestId, findAll } = await ready();
    expect(find(BarChart).props.data).toEqual([
      { week: '2026-W48', graduating: 6 },
      { week: '2026-W49', graduating: 4 },
      { week: '2026-W50', graduating: 9 },
    ]);
    expect(textOf(findByTestId(TableRow, 'playbook-onboarding'))).toBe('Onboarding schedule 120 84 36 70%');
    expect(textOf(findByTestId(TableRow, 'playbook-usage_drop'))).toBe('Usage drop 40 14 26 35%');
    expect(textOf(findByTestId(TableRow, 'playbook-renewal'))).toBe('Renewal 90/60/30 0 0 0 —');
    const views = findAll(Link).filter((l) => l.text === 'Overdue onboardings');
    expect(views[0]?.props.href).toEqual({
      url: 'https://app.hubspot.com/contacts/123/objects/0-2/views/all/list?cs_lifecycle_stage=onboarding_overdue',
      external: true,
    });
  });

  it('empty portfolio: explains setup and sweep', async () => {
    mockServerless(() => ({ ok: true, data: emptyReport }));
    const r = createRenderer('pages');
    r.render(<PortfolioHome />);
    await until(() => expect(r.maybeFind(EmptyState)).not.toBeNull());
    expect(r.find(EmptyState).props.title).toBe('No accounts in the portfolio yet');
    expect(textOf(r.find(EmptyState))).toContain('Run the setup command');
  });

  it('error then retry', async () => {
    let n = 0;
    const server = mockServerless(() => (++n === 1 ? { ok: false, error: { code: 'timeout', message: 'The report took longer than 15 s' } } : { ok: true, data: report }));
    const r = createRenderer('pages');
    r.render(<PortfolioHome />);
    await until(() => expect(r.maybeFind(ErrorState)).not.toBeNull());
    expect(textOf(r.find(ErrorState))).toContain('The report took longer than 15 s');
    r.findByTestId(Button, 'retry').trigger('onClick');
    await until(() => expect(r.maybeFind(BarChart)).not.toBeNull());
    expect(server.calls('portfolio-report')).toHaveLength(2);
  });

  it('the router renders the portfolio at the index route under the page title', async () => {
    mockServerless(() => ({ ok: true, data: report }));
    const r = createRenderer('pages');
    r.render(<PortfolioRouter />);
    await until(() => expect(r.maybeFind(BarChart)).not.toBeNull());
    expect(r.find(PageTitle).text).toBe('Customer Success portfolio');
  });

  it('formats rates and ratios', () => {
    expect([formatRate(0.347), formatRate(null), formatRatio(124.4), formatRatio(null)]).toEqual(['35%', '—', '1:124', '—']);
  });
});
