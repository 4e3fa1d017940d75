import { Button, ErrorState, LoadingSpinner, StatusTag, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { mockServerless, textOf, until } from '../test-utils';
import { CompanyHealthSidebar } from './CompanyHealthSidebar';
import { cappedReadyCard, emptyCard, fullCard, noScoreCard, overdueCard } from './fixtures';

afterEach(() => jest.restoreAllMocks());

function setup() {
  const r = createRenderer('crm.record.sidebar');
  r.render(<CompanyHealthSidebar context={r.mocks.context} actions={r.mocks.actions} />);
  return r;
}

describe('CompanyHealthSidebar', () => {
  it('shows score, band, stage, day N of 90 and the open task count', async () => {
    const server = mockServerless(() => ({ ok: true, data: fullCard }));
    const r = setup();
    await until(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
    expect(server.calls('card-data')).toEqual([{ companyId: '123' }]);
    expect(r.findByTestId(Text, 'sidebar-score').text).toBe('Health 69');
    expect([r.findByTestId(StatusTag, 'sidebar-band').text, r.findByTestId(StatusTag, 'sidebar-band').props.variant]).toEqual(['Watch', 'warning']);
    expect(r.findByTestId(StatusTag, 'sidebar-stage').text).toBe('Onboarding');
    expect(r.findByTestId(Text, 'sidebar-day').text).toBe('Day 12 of 90');
    expect(r.findByTestId(Text, 'sidebar-tasks').text).toBe('2 open CS tasks');
    // The most urgent task (due first), and the renewal in days.
    expect(r.findByTestId(Text, 'sidebar-next').text).toBe('Next: Usage drop: check in on falling usage — Due 25 Nov 2026');
    expect(r.findByTestId(Text, 'sidebar-renewal').text).toBe('Renewal in 354 days');
  });

  it("writes the next task's date in the portal user's locale when given, else 25 Nov 2026", async () => {
    mockServerless(() => ({ ok: true, data: fullCard }));
    const r = createRenderer('crm.record.sidebar');
    r.render(<CompanyHealthSidebar context={{ ...r.mocks.context, user: { ...r.mocks.context.user, locale: 'en-US' } }} actions={r.mocks.actions} />);
    await until(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
    expect(r.findByTestId(Text, 'sidebar-next').text).toBe('Next: Usage drop: check in on falling usage — Due Nov 25, 2026');
    const plain = setup();
    await until(() => expect(plain.maybeFind(LoadingSpinner)).toBeNull());
    expect(plain.findByTestId(Text, 'sidebar-next').text).toBe('Next: Usage drop: check in on falling usage — Due 25 Nov 2026');
  });

  it('no score: says there is no data yet instead of a number; a cap is named on the band', async () => {
    const noData = { ...fullCard, health: { ...fullCard.health, score: null, band: 'unknown' as const, noData: true }, playbooks: { ...fullCard.playbooks, openTasks: [] } };
    mockServerless(() => ({ ok: true, data: noData }));
    const r = setup();
    await until(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
    expect(r.findByTestId(Text, 'sidebar-score').text).toBe('Health: no data yet');
    expect(r.findByTestId(StatusTag, 'sidebar-band').text).toBe('Unknown');
    expect(r.findByTestId(Text, 'sidebar-next').text).toBe('No open CS task');
    jest.restoreAllMocks();

    const capped = { ...fullCard, health: { ...fullCard.health, band: 'watch' as const, cap: { id: 'nps_detractor', band: 'watch' as const, reason: 'NPS detractor: 3 on 2026-11-01' } } };
    mockServerless(() => ({ ok: true, data: capped }));
    const r2 = setup();
    await until(() => expect(r2.maybeFind(LoadingSpinner)).toBeNull());
    expect(r2.findByTestId(StatusTag, 'sidebar-band').text).toBe('Watch (capped)');
  });

  it('no score is said in words, never a number; a cap and "ready to graduate" are shown', async () => {
    mockServerless(() => ({ ok: true, data: noScoreCard }));
    const r = setup();
    await until(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
    expect(r.findByTestId(Text, 'sidebar-score').text).toBe('No health score (too little data)');
    jest.restoreAllMocks();
    mockServerless(() => ({ ok: true, data: cappedReadyCard }));
    const r2 = setup();
    await until(() => expect(r2.maybeFind(LoadingSpinner)).toBeNull());
    expect(r2.findByTestId(Text, 'sidebar-score').text).toBe('Health 78');
    expect(r2.findByTestId(Text, 'sidebar-cap').text).toBe('Capped at Watch: NPS detractor: 3 on 1 Nov 2026');
    expect(r2.findByTestId(Text, 'sidebar-ready').text).toBe('Ready to graduate');
  });

  it('overdue stage in red', async () => {
    mockServerless(() => ({ ok: true, data: overdueCard }));
    const r = setup();
    await until(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
    expect(r.findByTestId(StatusTag, 'sidebar-stage').props.variant).toBe('danger');
    expect(r.findByTestId(Text, 'sidebar-day').text).toBe('Day 96 of 90');
  });

  it('empty and error states', async () => {
    mockServerless(() => ({ ok: true, data: emptyCard }));
    const r = setup();
    await until(() => expect(r.maybeFindByTestId(Text, 'sidebar-empty')).not.toBeNull());
    jest.restoreAllMocks();

    let n = 0;
    mockServerless(() => (++n === 1 ? { ok: false, error: { code: 'timeout', message: 'Timed out after 15 s' } } : { ok: true, data: fullCard }));
    const r2 = setup();
    await until(() => expect(r2.maybeFind(ErrorState)).not.toBeNull());
    expect(textOf(r2.find(ErrorState))).toContain('Timed out after 15 s');
    r2.findByTestId(Button, 'retry').trigger('onClick');
    await until(() => expect(r2.findByTestId(Text, 'sidebar-tasks').text).toBe('2 open CS tasks'));
  });
});
