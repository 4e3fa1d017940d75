import {
  Alert,
  Button,
  DateInput,
  EmptyState,
  ErrorState,
  Flex,
  LineChart,
  LoadingSpinner,
  NumberInput,
  ProgressBar,
  Select,
  StatisticsItem,
  StatusTag,
  Tag,
  TableRow,
  Text,
  TextArea,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { CardData, FunctionResult } from '../../src/app/view-models';
import { fire, mockServerless, never, testIdOrder, textOf, until } from '../test-utils';
import { CompanyHealthCard } from './CompanyHealthCard';
import { associationsAnswer, cappedReadyCard, emptyCard, fullPeopleRows, expiredOverrideCard, fullCard, noDataCard, noScoreCard, overdueCard, partialCard } from './fixtures';

const ok = (data: CardData): FunctionResult<CardData> => ({ ok: true, data });

/** Serves `card` from card-data and `{ ok: true }` from every action. */
function serve(card: CardData, actionResult: FunctionResult<unknown> = { ok: true, data: {} }) {
  return mockServerless((uid) => (uid === 'card-data' ? ok(card) : actionResult));
}

function setup() {
  const renderer = createRenderer('crm.record.tab');
  const { mocks } = renderer;
  // The People section's contacts, as HubSpot's useAssociations hook answers them.
  mocks.useAssociations.willCall(() => associationsAnswer(fullPeopleRows));
  renderer.render(<CompanyHealthCard context={mocks.context} actions={mocks.actions} />);
  return renderer;
}

/** Renders the card and waits until card data is shown. */
async function ready(card: CardData, actionResult?: FunctionResult<unknown>) {
  const server = serve(card, actionResult);
  const r = setup();
  await until(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
  return { ...r, server };
}

afterEach(() => jest.restoreAllMocks());

describe('CompanyHealthCard states', () => {
  it('shows a spinner while loading and asks card-data for the record in context', async () => {
    const server = mockServerless(never);
    const { find } = setup();
    expect(find(LoadingSpinner).props.label).toBe('Loading customer success data…');
    await until(() => expect(server.calls('card-data')).toEqual([{ companyId: '123' }]));
    expect(find(LoadingSpinner).props.label).toBe('Loading customer success data…');
  });

  it('renders health, segment, onboarding and playbooks from full card data', async () => {
    const { findByTestId, find, findAll } = await ready(fullCard);

    const band = findByTestId(StatusTag, 'health-band');
    expect([band.text, band.props.variant]).toEqual(['Watch', 'warning']);
    expect(findByTestId(StatisticsItem, 'health-score').props.number).toBe('69');
    expect(findByTestId(Text, 'health-footnote').text).toContain('80% of the weight');
    expect(findByTestId(Text, 'health-change').text).toBe('−5 in 30 days');

    // Facts: money, dates in one format with the days to them, people.
    expect(findByTestId(Text, 'fact-arr').text).toBe('$18,400');
    expect(findByTestId(Text, 'fact-renewal').text).toBe('12 Nov 2027 (in 354 days)');
    expect(findByTestId(Text, 'fact-segment').text).toBe('Pooled');
    expect(findByTestId(Text, 'fact-stage').text).toBe('Onboarding, day 12 of 90');
    expect(findByTestId(Text, 'fact-owner').text).toBe('Sam Carter');
    expect(findByTestId(Text, 'fact-csm').text).toBe('Priya Raman');
    expect(findByTestId(Text, 'fact-touch').text).toBe('2 Nov 2026 (21 days ago)');
    // History with causes, in words and the one date format.
    expect(findByTestId(Text, 'history-2026-11-22T06:00:00.000Z').text).toBe('−18 to 68 on 22 Nov 2026: usage trend 412 vs 630 (−35%); last login 20 Oct 2026');
    expect(textOf(findByTestId(TableRow, 'person-3001'))).toContain('Ana Costa Primary Head of Operations 2 Nov 2026');

    const chart = find(LineChart);
    const data = chart.props.data as { date: string; score: number }[];
    expect(data).toHaveLength(7);
    expect(data[0]).toEqual({ date: '2026-08-25', score: 74 });

    const usage = findByTestId(TableRow, 'signal-usage_trend');
    expect(textOf(usage)).toContain('412 vs 630 sessions (−35%)');
    expect(textOf(usage)).toContain('30%');
    // Points lost, not points added: 30% of 100 = 30 possible, 16.5 earned → −13.5.
    expect(textOf(usage)).toContain('−13.5');
    const nps = findByTestId(TableRow, 'signal-nps');
    expect(nps.find(StatusTag).props.variant).toBe('warning');
    expect(textOf(nps)).toContain('Stale');
    expect(textOf(nps)).toContain('Answer from 14 Feb 2026, older than 180 days');
    expect(findAll(Alert)).toHaveLength(0);

    expect(findByTestId(Tag, 'segment').text).toBe('Pooled');
    expect(findByTestId(Text, 'segment-reason').text).toBe('ACV $18,400 is below $25,000');

    expect(findByTestId(Text, 'csm').text).toBe('Priya Raman');
    expect(findByTestId(Text, 'start-date').text).toBe('12 Nov 2026');
    expect(findByTestId(Text, 'graduation-date').text).toBe('10 Feb 2027');
    const progress = findByTestId(ProgressBar, 'day-progress');
    expect([progress.props.title, progress.props.value]).toEqual(['Day 12 of 90', 13]);
    expect(findByTestId(StatusTag, 'stage').text).toBe('Onboarding');

    expect(findByTestId(Text, 'task-count').text).toBe('2 open CS tasks (at most 5 at a time)');
    expect(textOf(findByTestId(TableRow, 'task-90001'))).toContain('Onboarding: Day 14 success call');
    expect(textOf(findByTestId(TableRow, 'task-90001'))).toContain('Due 26 Nov 2026');
    expect(textOf(findByTestId(TableRow, 'task-90001'))).toContain('Priya Raman');
    // Not linked to a contact: about the primary one; linked: named from the People read.
    expect(findByTestId(Text, 'task-contact-90001').text).toBe('About: Ana Costa');
    expect(findByTestId(Text, 'task-contact-90002').text).toBe('Linked to: Ben Ito');
    expect(textOf(findByTestId(TableRow, 'task-90002'))).toContain('Pool queue 7731');
    const trigger = findByTestId(TableRow, 'trigger-4021:usage_drop:2026-W47');
    expect(textOf(trigger)).toContain('Usage fell more than 30% period over period');
    expect(textOf(trigger)).toContain('21 Nov 2026');
    expect(textOf(trigger)).not.toContain('usageCurrent');
    expect(textOf(trigger)).not.toContain('00:00');
  });

  it('onboarding day 12: each step of the plan with its state, a skipped step with its reason, in words', async () => {
    const { findByTestId, maybeFindByTestId } = await ready(fullCard);
    const steps = findByTestId(Flex, 'onboarding-steps');
    expect(textOf(steps)).toContain('Onboarding steps');
    const step = (id: string) => {
      const row = findByTestId(Flex, `step-${id}`);
      return { tag: row.find(Tag).text, text: textOf(row) };
    };
    expect(step('day0').tag).toBe('Done');
    expect(step('day0').text).toContain('Day 0 (12 Nov 2026): Welcome the new customer and plan the onboarding. Done');
    expect(step('day3').tag).toBe('Skipped');
    expect(step('day3').text).toContain('Day 3 (15 Nov 2026): Usage check. Skipped: no task was created within 7 days of its day');
    expect(step('day7').tag).toBe('Open task');
    expect(step('day7').text).toContain('Open task, due 20 Nov 2026');
    expect(step('day14').tag).toBe('Due on 26 Nov 2026');
    expect(step('day14').text).toContain('Day 14 (26 Nov 2026): Success call. Due on 26 Nov 2026.');
    expect(textOf(steps)).not.toMatch(/\b\d{4}-\d{2}-\d{2}\b|day0|day14|missed|null|undefined/);
    expect(maybeFindByTestId(Flex, 'step-day21')).toBeNull();
  });

  it('no onboarding steps once the plan is empty (not onboarding)', async () => {
    const { maybeFindByTestId } = await ready(emptyCard);
    expect(maybeFindByTestId(Flex, 'onboarding-steps')).toBeNull();
  });

  it('partial: when the unknown signals could change the band, they are named with how to get them', async () => {
    const { findByTestId } = await ready(partialCard);
    const alert = findByTestId(Alert, 'missing-alert');
    expect(alert.props.title).toBe('Missing data could change the band');
    expect(textOf(alert)).toContain('Usage trend (usage not reported): Sync product usage');
    expect(textOf(alert)).toContain('Support tickets: Associate the customer');
    expect(findByTestId(Text, 'health-footnote').text).toContain('55% of the weight');
    expect(textOf(findByTestId(TableRow, 'signal-usage_trend'))).toContain('No usage synced (cs_usage_current_period is empty)');
    expect(findByTestId(Text, 'data-issues').text).toContain('cs_usage_current_period = "n/a" (Not a number)');
  });

  it('no data: the no-data state names what is missing and how to get it', async () => {
    const { findByTestId, maybeFindByTestId } = await ready(noDataCard);
    // The whole card stays (tasks, facts); the health section is the no-data state, never a number.
    expect(maybeFindByTestId(StatisticsItem, 'health-score')).toBeNull();
    expect(findByTestId(StatusTag, 'health-band').text).toBe('No data yet');
    const alert = findByTestId(Alert, 'missing-alert');
    expect(alert.props.title).toBe('No data yet: nothing to score this account on');
    const missing = textOf(alert);
    expect(missing).toContain('Usage trend (usage not reported): Sync product usage into cs_usage_current_period');
    expect(missing).toContain('NPS (no NPS answer): Record NPS answers in cs_nps_score');
  });

  it('no score below the coverage threshold: "—", an alert with the missing data, never a number', async () => {
    const { findByTestId, maybeFindByTestId } = await ready(noScoreCard);
    expect(maybeFindByTestId(StatisticsItem, 'health-score')).toBeNull();
    const alert = findByTestId(Alert, 'missing-alert');
    expect(alert.props.title).toBe('No health score: too little data');
    expect(textOf(alert)).toContain('covers 35% of the signal weight; a score needs 50%');
    expect(textOf(alert)).toContain('Record NPS answers in cs_nps_score');
    expect(findByTestId(StatusTag, 'health-band').text).toBe('No data yet');
  });

  it('names the cap that holds the band, and says "ready to graduate"', async () => {
    const { findByTestId, maybeFindByTestId } = await ready(cappedReadyCard);
    expect(findByTestId(StatusTag, 'health-band').text).toBe('Watch');
    expect(findByTestId(Alert, 'health-cap').props.title).toBe('Capped at Watch: NPS detractor: 3 on 1 Nov 2026');
    expect(findByTestId(Tag, 'ready-to-graduate').text).toBe('Ready to graduate: every exit criterion is met');
    const plain = await ready(fullCard);
    expect(plain.maybeFindByTestId(Alert, 'health-cap')).toBeNull();
    expect(plain.maybeFindByTestId(Tag, 'ready-to-graduate')).toBeNull();
    expect(maybeFindByTestId(Alert, 'missing-alert')).toBeNull();
  });

  it('empty: explains what to do and recomputes on request', async () => {
    const { find, findByTestId, server, mocks } = await ready(emptyCard);
    expect(find(EmptyState).props.title).toBe('No customer success data yet');
    expect(textOf(find(EmptyState))).toContain('Run the app\'s setup and a portfolio sweep');
    findByTestId(Button, 'empty-recompute').trigger('onClick');
    await until(() => expect(server.calls('card-data')).toHaveLength(2));
    expect(server.calls('recompute-health')).toEqual([{ companyId: '123' }]);
    expect(mocks.actions.refreshObjectProperties.callCount).toBe(1);
  });

  it('error: shows the function\'s message and retries', async () => {
    let calls = 0;
    const server = mockServerless(() => {
      calls += 1;
      return calls === 1 ? { ok: false, error: { code: 'hubspot_unavailable', message: 'HubSpot answered 503, try again' } } : ok(fullCard);
    });
    const r = setup();
    await until(() => expect(r.maybeFind(ErrorState)).not.toBeNull());
    expect(r.find(ErrorState).props.title).toBe('Customer success data could not be loaded');
    expect(textOf(r.find(ErrorState))).toContain('HubSpot answered 503, try again');
    r.findByTestId(Button, 'retry').trigger('onClick');
    await until(() => expect(r.findByTestId(StatusTag, 'health-band').text).toBe('Watch'));
    expect(server.calls('card-data')).toHaveLength(2);
  });

  it('error: a call that throws or answers garbage becomes a message, not a crash', async () => {
    mockServerless(() => {
      throw new Error('network down');
    });
    const r = setup();
    await until(() => expect(r.maybeFind(ErrorState)).not.toBeNull());
    expect(textOf(r.find(ErrorState))).toContain('The card-data function could not be reached: network down');

    jest.restoreAllMocks();
    mockServerless(() => '<html>502</html>');
    const r2 = setup();
    await until(() => expect(r2.maybeFind(ErrorState)).not.toBeNull());
    expect(textOf(r2.find(ErrorState))).toContain('The card-data function answered in an unexpected format.');
  });

  it('expired override, at risk, graduated, no tasks', async () => {
    const { findByTestId, maybeFindByTestId } = await ready(expiredOverrideCard);
    expect(findByTestId(StatusTag, 'health-band').props.variant).toBe('danger');
    expect(findByTestId(StatusTag, 'health-band').text).toBe('At risk');
    expect(findByTestId(Tag, 'segment').text).toBe('Pooled');
    const override = findByTestId(Text, 'segment-reason');
    expect(override.text).toContain('override expired 30 Sep 2026');
    expect(findByTestId(Tag, 'override-expired').text).toBe('Expired');
    const list = maybeFindByTestId(Tag, 'override-expired');
    expect(list).not.toBeNull();
    expect(findByTestId(StatusTag, 'stage').text).toBe('Graduated');
    expect(findByTestId(Text, 'graduation-date').text).toBe('1 Jun 2026');
    expect(maybeFindByTestId(Button, 'assign-open')).toBeNull();
    expect(findByTestId(Text, 'task-count').text).toBe('0 open CS tasks (at most 5 at a time)');
    expect(findByTestId(EmptyState, 'no-tasks').props.title).toBe('No open CS tasks');
    expect(findByTestId(Text, 'no-triggers').text).toBe('No playbook has fired recently.');
  });

  it('overdue onboarding with an inactive CSM', async () => {
    const { findByTestId } = await ready(overdueCard);
    expect(findByTestId(Tag, 'overdue').text).toBe('Overdue by 6 days');
    expect(findByTestId(StatusTag, 'stage').props.variant).toBe('danger');
    expect(findByTestId(StatusTag, 'stage').text).toBe('Onboarding overdue');
    expect(findByTestId(Text, 'csm').text).toBe('Leo Park');
    expect(findByTestId(Tag, 'csm-inactive').text).toBe('Inactive user');
    const progress = findByTestId(ProgressBar, 'day-progress');
    expect([progress.props.title, progress.props.value, progress.props.variant]).toEqual(['Day 96 of 90', 100, 'danger']);
    expect(findByTestId(Text, 'lifecycle-reason').text).toBe('Last decision: Extended by 14 days: waiting for the customer’s SSO rollout');
  });

  it('no lifecycle reason line when nobody decided anything by hand', async () => {
    const { find } = await ready(fullCard);
    expect(find(Text, { testId: 'csm' }).text).toBe('Priya Raman'); // the query itself works
    expect(() => find(Text, { testId: 'lifecycle-reason' })).toThrow();
  });
});

describe("CompanyHealthCard dates in the portal user's locale", () => {
  async function readyIn(locale: string | undefined) {
    serve(fullCard);
    const renderer = createRenderer('crm.record.tab');
    renderer.mocks.useAssociations.willCall(() => associationsAnswer(fullPeopleRows));
    const context = { ...renderer.mocks.context, user: { ...renderer.mocks.context.user, locale } };
    renderer.render(<CompanyHealthCard context={context} actions={renderer.mocks.actions} />);
    await until(() => expect(renderer.maybeFind(LoadingSpinner)).toBeNull());
    return renderer;
  }

  it('with user.locale en-US every date on the card is written the US way (one format across the card)', async () => {
    const { findByTestId } = await readyIn('en-US');
    expect(findByTestId(Text, 'fact-renewal').text).toBe('Nov 12, 2027 (in 354 days)');
    expect(findByTestId(Text, 'fact-touch').text).toBe('Nov 2, 2026 (21 days ago)');
    expect(textOf(findByTestId(TableRow, 'task-90001'))).toContain('Due Nov 26, 2026');
    // Dates inside words (causes) too.
    expect(findByTestId(Text, 'history-2026-11-22T06:00:00.000Z').text).toBe('−18 to 68 on Nov 22, 2026: usage trend 412 vs 630 (−35%); last login Oct 20, 2026');
    expect(textOf(findByTestId(TableRow, 'person-3001'))).toContain('Nov 2, 2026');
  });

  it('with user.locale de-DE: German dates; without a locale (or an unknown one): 12 Nov 2026', async () => {
    const de = await readyIn('de-DE');
    expect(de.findByTestId(Text, 'fact-renewal').text).toBe('12. Nov. 2027 (in 354 days)');
    for (const locale of [undefined, 'no such locale!']) {
      const r = await readyIn(locale);
      expect(r.findByTestId(Text, 'fact-renewal').text).toBe('12 Nov 2027 (in 354 days)');
      expect(textOf(r.findByTestId(TableRow, 'task-90001'))).toContain('Due 26 Nov 2026');
    }
  });
});

describe('CompanyHealthCard order and words', () => {
  const SECTIONS = ['open-tasks', 'no-tasks', 'facts', 'health-band', 'history', 'history-none', 'people', 'recent-triggers', 'segment', 'stage'];

  it('act, then understand: the tasks come before the facts, the facts before health, health before history', async () => {
    const { getRootNode } = await ready(fullCard);
    expect(testIdOrder(getRootNode(), SECTIONS)).toEqual(['open-tasks', 'facts', 'health-band', 'history', 'people', 'recent-triggers', 'segment', 'stage']);
  });

  it('the most urgent task comes first: overdue before due, then by due date', async () => {
    const overdue = { ...fullCard.playbooks.openTasks[0]!, id: '90003', subject: 'Renewal: 30 days to renewal', dueAt: '2026-11-20T09:00:00.000Z', overdueDays: 3 };
    const card = { ...fullCard, playbooks: { ...fullCard.playbooks, openTasks: [...fullCard.playbooks.openTasks, overdue] } };
    const { getRootNode, findByTestId } = await ready(card);
    expect(testIdOrder(getRootNode(), ['task-90001', 'task-90002', 'task-90003'])).toEqual(['task-90003', 'task-90002', 'task-90001']);
    expect(textOf(findByTestId(TableRow, 'task-90003'))).toContain('Overdue by 3 days (20 Nov 2026)');
  });

  it('unknown signals that cannot change the band are not named in an alert', async () => {
    const quiet = { ...partialCard, health: { ...partialCard.health, unknownMatters: false } };
    const { maybeFindByTestId, findByTestId } = await ready(quiet);
    expect(maybeFindByTestId(Alert, 'missing-alert')).toBeNull();
    expect(textOf(findByTestId(TableRow, 'signal-usage_trend'))).toContain('not scored');
  });

  it('no score: "No data yet" and what is missing, never a number', async () => {
    const noData = {
      ...partialCard,
      health: { ...partialCard.health, score: null, band: 'unknown' as const, missing: [
        { id: 'nps', label: 'NPS', status: 'unknown' as const, note: null, howTo: 'Send an NPS survey.' },
        { id: 'login_recency', label: 'Last login', status: 'unknown' as const, note: null, howTo: 'Sync the last login date.' },
      ] },
    };
    const { findByTestId, maybeFindByTestId } = await ready(noData);
    expect(findByTestId(StatusTag, 'health-band').text).toBe('No data yet');
    expect(maybeFindByTestId(StatisticsItem, 'health-score')).toBeNull();
    const alert = findByTestId(Alert, 'missing-alert');
    expect(alert.props.title).toBe('No health score: too little data');
    expect(textOf(alert)).toContain('NPS: Send an NPS survey.');
    expect(textOf(alert)).toContain('Last login: Sync the last login date.');
  });

  it('a cap names the band it holds and why', async () => {
    const capped = { ...fullCard, health: { ...fullCard.health, band: 'watch' as const, score: 82, cap: { id: 'nps_detractor', band: 'watch' as const, reason: 'NPS detractor: answered 3 on 2026-11-02' } } };
    const { findByTestId } = await ready(capped);
    expect(findByTestId(Alert, 'health-cap').props.title).toBe('Capped at Watch: NPS detractor: answered 3 on 2 Nov 2026');
    expect(findByTestId(StatusTag, 'health-band').text).toBe('Watch');
  });
});

describe('CompanyHealthCard actions', () => {
  it('complete: calls update-task for that task, then refetches the card', async () => {
    const { findByTestId, server, mocks } = await ready(fullCard);
    findByTestId(Button, 'complete-90001').trigger('onClick');
    await until(() => expect(server.calls('card-data')).toHaveLength(2));
    expect(server.calls('update-task')).toEqual([{ companyId: '123', taskId: '90001', action: 'complete' }]);
    expect(mocks.actions.addAlert.calls).toEqual([[{ type: 'success', message: 'Task completed in HubSpot.' }]]);
  });

  it('snooze: the chosen days are sent; nothing is sent without a choice', async () => {
    const { find, server, mocks } = await ready(fullCard);
    const select = find(Select, { name: 'snooze-90002' });
    expect(select.props.options.map((o) => o.label)).toEqual(['1 day', '3 days', '7 days']);
    fire(select, 'onChange', undefined);
    fire(find(Select, { name: 'snooze-90002' }), 'onChange', 3);
    await until(() => expect(server.calls('card-data')).toHaveLength(2));
    expect(server.calls('update-task')).toEqual([{ companyId: '123', taskId: '90002', action: 'snooze', days: 3 }]);
    expect(mocks.actions.addAlert.calls).toEqual([[{ type: 'success', message: 'Task snoozed by 3 days.' }]]);
  });

  it('recompute: calls recompute-health, alerts, refreshes HubSpot properties and refetches', async () => {
    const { findByTestId, server, mocks } = await ready(fullCard);
    findByTestId(Button, 'recompute').trigger('onClick');
    await until(() => expect(server.calls('card-data')).toHaveLength(2));
    expect(server.uids()).toEqual(['card-data', 'recompute-health', 'card-data']);
    expect(server.calls('recompute-health')).toEqual([{ companyId: '123' }]);
    expect(mocks.actions.addAlert.calls).toEqual([[{ type: 'success', message: 'Health recomputed.' }]]);
    expect(mocks.actions.refreshObjectProperties.callCount).toBe(1);
  });

  it('a failed action alerts the message and does not refresh', async () => {
    const failed = { ok: false as const, error: { code: 'rate_limited', message: 'HubSpot rate limit reached, try in a minute' } };
    const { findByTestId, server, mocks } = await ready(fullCard, failed);
    findByTestId(Button, 'run-playbooks').trigger('onClick');
    await until(() => expect(mocks.actions.addAlert.callCount).toBe(1));
    expect(server.calls('run-playbooks')).toEqual([{ companyId: '123' }]);
    expect(mocks.actions.addAlert.calls[0]).toEqual([
      { type: 'danger', title: 'Action failed', message: 'HubSpot rate limit reached, try in a minute' },
    ]);
    expect(mocks.actions.refreshObjectProperties.callCount).toBe(0);
    expect(server.calls('card-data')).toHaveLength(1);
  });

  it('override: refuses a missing reason in the UI, then sends segment, trimmed reason and expiry', async () => {
    const { findByTestId, find, server } = await ready(fullCard);
    findByTestId(Button, 'override-open').trigger('onClick');
    fire(find(Select, { name: 'override-segment' }), 'onChange', 'named');
    findByTestId(Button, 'override-submit').trigger('onClick');
    await until(() => expect(find(TextArea, { name: 'override-reason' }).props.error).toBe(true));
    expect(find(TextArea, { name: 'override-reason' }).props.validationMessage).toBe(
      'A reason is required (3–500 characters) to override the segment',
    );
    expect(server.calls('override-segment')).toEqual([]);

    fire(find(TextArea, { name: 'override-reason' }), 'onChange', '  Exec sponsor asked for a named CSM  ');
    fire(find(DateInput, { name: 'override-expires' }), 'onChange', { year: 2027, month: 0, date: 31 });
    findByTestId(Button, 'override-submit').trigger('onClick');
    await until(() => expect(server.calls('override-segment')).toHaveLength(1));
    expect(server.calls('override-segment')[0]).toEqual({
      companyId: '123',
      segment: 'named',
      reason: 'Exec sponsor asked for a named CSM',
      expires: '2027-01-31',
    });
  });

  it('override: refuses an expiry that is not after today (the card\'s computedAt)', async () => {
    const { findByTestId, find, server } = await ready(fullCard);
    findByTestId(Button, 'override-open').trigger('onClick');
    fire(find(Select, { name: 'override-segment' }), 'onChange', 'mid_pooled');
    fire(find(TextArea, { name: 'override-reason' }), 'onChange', 'Expansion deal signed');
    fire(find(DateInput, { name: 'override-expires' }), 'onChange', { year: 2026, month: 10, date: 23 });
    findByTestId(Button, 'override-submit').trigger('onClick');
    await until(() => expect(find(DateInput, { name: 'override-expires' }).props.validationMessage).toBe('The expiry must be after today'));
    expect(server.calls('override-segment')).toEqual([]);
  });

  it('override: removing an existing override sends segment null', async () => {
    const { findByTestId, find, server } = await ready(expiredOverrideCard);
    findByTestId(Button, 'override-open').trigger('onClick');
    fire(find(Select, { name: 'override-segment' }), 'onChange', 'remove');
    findByTestId(Button, 'override-submit').trigger('onClick');
    await until(() => expect(server.calls('override-segment')).toHaveLength(1));
    expect(server.calls('override-segment')[0]).toEqual({ companyId: '123', segment: null });
  });

  it('assign: automatic sends no owner; a manual choice needs a reason', async () => {
    const { findByTestId, find, server, mocks } = await ready(fullCard);
    findByTestId(Button, 'assign-open').trigger('onClick');
    const owners = find(Select, { name: 'assign-owner' }).props.options.map((o) => o.label);
    expect(owners).toEqual(['Automatic (skills, coverage days, capacity, rotation)', 'Priya Raman', 'Tomás Ortega', 'Hannah Weiss']);

    fire(find(Select, { name: 'assign-owner' }), 'onChange', '502');
    findByTestId(Button, 'onboarding-submit').trigger('onClick');
    await until(() => expect(find(TextArea, { name: 'onboarding-reason' }).props.error).toBe(true));
    expect(find(TextArea, { name: 'onboarding-reason' }).props.validationMessage).toBe(
      'A reason is required (3–500 characters) when choosing the CSM by hand',
    );
    expect(server.calls('assign-onboarding-csm')).toEqual([]);

    fire(find(TextArea, { name: 'onboarding-reason' }), 'onChange', 'Speaks Spanish with the customer');
    findByTestId(Button, 'onboarding-submit').trigger('onClick');
    await until(() => expect(server.calls('assign-onboarding-csm')).toHaveLength(1));
    expect(server.calls('assign-onboarding-csm')[0]).toEqual({ companyId: '123', ownerId: '502', reason: 'Speaks Spanish with the customer' });
    await until(() => expect(mocks.actions.addAlert.calls).toEqual([[{ type: 'success', message: 'Onboarding CSM assigned.' }]]));

    await until(() => expect(server.calls('card-data')).toHaveLength(2));
    findByTestId(Button, 'assign-open').trigger('onClick');
    findByTestId(Button, 'onboarding-submit').trigger('onClick');
    await until(() => expect(server.calls('assign-onboarding-csm')).toHaveLength(2));
    expect(server.calls('assign-onboarding-csm')[1]).toEqual({ companyId: '123' });
  });

  it('graduate now: refused without a reason, sent with it', async () => {
    const { findByTestId, find, server } = await ready(fullCard);
    findByTestId(Button, 'graduate-open').trigger('onClick');
    findByTestId(Button, 'onboarding-submit').trigger('onClick');
    await until(() =>
      expect(find(TextArea, { name: 'onboarding-reason' }).props.validationMessage).toBe('A reason is required (3–500 characters)'),
    );
    expect(server.calls('graduate-now')).toEqual([]);
    fire(find(TextArea, { name: 'onboarding-reason' }), 'onChange', 'All milestones met in 40 days');
    findByTestId(Button, 'onboarding-submit').trigger('onClick');
    await until(() => expect(server.calls('graduate-now')).toEqual([{ companyId: '123', reason: 'All milestones met in 40 days' }]));
  });

  it('extend: refuses 0 days and a missing reason, sends days and reason', async () => {
    const { findByTestId, find, server } = await ready(overdueCard);
    findByTestId(Button, 'extend-open').trigger('onClick');
    fire(find(NumberInput, { name: 'extend-days' }), 'onChange', 0);
    findByTestId(Button, 'onboarding-submit').trigger('onClick');
    await until(() => expect(find(NumberInput, { name: 'extend-days' }).props.validationMessage).toBe('Extend by at least 1 day'));
    expect(find(TextArea, { name: 'onboarding-reason' }).props.validationMessage).toBe('A reason is required (3–500 characters)');
    expect(server.calls('extend-onboarding')).toEqual([]);

    fire(find(NumberInput, { name: 'extend-days' }), 'onChange', 21);
    fire(find(TextArea, { name: 'onboarding-reason' }), 'onChange', 'SSO integration waits on their IT');
    findByTestId(Button, 'onboarding-submit').trigger('onClick');
    await until(() =>
      expect(server.calls('extend-onboarding')).toEqual([{ companyId: '123', days: 21, reason: 'SSO integration waits on their IT' }]),
    );
  });
});

describe('CompanyHealthCard People (HubSpot useAssociations hook, not card-data)', () => {
  const SECTIONS = ['open-tasks', 'facts', 'health-band', 'history', 'people', 'people-none', 'people-loading', 'people-error', 'recent-triggers'];

  /** Renders the full card with `answer` as the hook's result on every render. */
  async function withPeople(answer: ReturnType<typeof associationsAnswer>, card: CardData = fullCard) {
    const server = serve(card);
    const renderer = createRenderer('crm.record.tab');
    renderer.mocks.useAssociations.willCall(() => answer);
    renderer.render(<CompanyHealthCard context={renderer.mocks.context} actions={renderer.mocks.actions} />);
    await until(() => expect(renderer.maybeFindByTestId(Text, 'task-count')).not.toBeNull());
    return { ...renderer, server };
  }

  it('asks the hook for the record\'s contacts with the properties shown, in one small page; card-data is asked once and never for contacts', async () => {
    const { mocks, server } = await withPeople(associationsAnswer(fullPeopleRows));
    const config = mocks.useAssociations.calls[0]?.[0];
    expect(config).toEqual({ toObjectType: '0-1', properties: ['firstname', 'lastname', 'email', 'jobtitle', 'notes_last_contacted', 'hs_last_sales_activity_timestamp'], pageLength: 20 });
    expect(server.uids()).toEqual(['card-data']);
  });

  it('shows the primary contact first with its label, role and last engagement; the rest after; at most peopleMax', async () => {
    const { getRootNode, findByTestId, maybeFindByTestId } = await withPeople(associationsAnswer(fullPeopleRows));
    expect(testIdOrder(getRootNode(), ['person-3001', 'person-3002'])).toEqual(['person-3001', 'person-3002']);
    expect(textOf(findByTestId(TableRow, 'person-3001'))).toBe('Ana Costa Primary Head of Operations 2 Nov 2026');
    expect(textOf(findByTestId(TableRow, 'person-3002'))).toBe('Ben Ito — Never');
    const one = await withPeople(associationsAnswer(fullPeopleRows), { ...fullCard, peopleMax: 1 });
    expect(one.maybeFindByTestId(TableRow, 'person-3002')).toBeNull();
    expect(maybeFindByTestId(TableRow, 'person-3002')).not.toBeNull();
  });

  it('loading: a small spinner in the People section (the rest of the card is shown, in order); tasks count their linked contacts', async () => {
    const { getRootNode, findByTestId } = await withPeople(associationsAnswer([], { isLoading: true }));
    expect(testIdOrder(getRootNode(), SECTIONS)).toEqual(['open-tasks', 'facts', 'health-band', 'history', 'people-loading', 'recent-triggers']);
    expect(findByTestId(LoadingSpinner, 'people-loading').props.label).toBe('Loading contacts…');
    expect(findByTestId(Text, 'task-contact-90002').text).toBe('Linked to 1 contact');
  });

  it('error: says the contacts could not be loaded, with a retry that refetches; the card stays usable', async () => {
    const refetch = jest.fn(async () => undefined);
    const { getRootNode, findByTestId, maybeFindByTestId } = await withPeople(associationsAnswer([], { error: new Error('Request timed out'), refetch }));
    expect(testIdOrder(getRootNode(), SECTIONS)).toEqual(['open-tasks', 'facts', 'health-band', 'history', 'people-error', 'recent-triggers']);
    expect(textOf(getRootNode())).toContain('The contacts could not be loaded from HubSpot (Request timed out).');
    findByTestId(Button, 'people-retry').trigger('onClick');
    expect(refetch).toHaveBeenCalledTimes(1);
    // Linked contacts are still named, by id; no primary contact is guessed.
    expect(findByTestId(Text, 'task-contact-90002').text).toBe('Linked to: Contact 3002');
    expect(maybeFindByTestId(Text, 'task-contact-90001')).toBeNull();
  });

  it('empty: no contact associated is said in words; a task linked to a contact no longer associated names it by id', async () => {
    const { getRootNode, findByTestId, maybeFindByTestId } = await withPeople(associationsAnswer([]));
    expect(testIdOrder(getRootNode(), SECTIONS)).toEqual(['open-tasks', 'facts', 'health-band', 'history', 'people-none', 'recent-triggers']);
    expect(findByTestId(Text, 'people-none').text).toBe('No contact is associated with this company.');
    expect(findByTestId(Text, 'task-contact-90002').text).toBe('Linked to: Contact 3002');
    expect(maybeFindByTestId(Text, 'task-contact-90001')).toBeNull();
  });
});
