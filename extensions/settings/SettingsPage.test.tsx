import { Alert, Button, ErrorState, Flex, LoadingSpinner, StatisticsItem, Table, TableRow, Text, TextArea } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { FunctionResult, SettingsData } from '../../src/app/view-models';
import { fire, mockServerless, never, textOf, until } from '../test-utils';
import { SettingsPage, parseOverride } from './SettingsPage';
import { invalidPreview, preview, settings } from './fixtures';

afterEach(() => jest.restoreAllMocks());

function serve(whatIf = preview) {
  return mockServerless((_uid, params): FunctionResult<SettingsData> => {
    const p = params as { configOverride?: unknown };
    return { ok: true, data: p.configOverride ? { ...settings, whatIf } : settings };
  });
}

async function ready(whatIf = preview) {
  const server = serve(whatIf);
  const r = createRenderer('settings');
  r.render(<SettingsPage actions={r.mocks.actions} />);
  await until(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
  return { ...r, server };
}

describe('SettingsPage', () => {
  it('loads settings-data without an override, spinner meanwhile', async () => {
    const server = mockServerless(never);
    const r = createRenderer('settings');
    r.render(<SettingsPage actions={r.mocks.actions} />);
    expect(r.find(LoadingSpinner).props.label).toBe('Loading settings…');
    await until(() => expect(server.calls('settings-data')).toEqual([{}]));
  });

  it('shows the effective config in words and its validation', async () => {
    const { findByTestId } = await ready();
    expect(findByTestId(Text, 'config-version').text).toBe('Config cfg-2026-11-01.3 from config file cs-config.json, read 23 Nov 2026, 06:00 UTC');
    expect(findByTestId(Alert, 'validation').props).toMatchObject({ title: 'The config is valid', variant: 'success' });
    expect(textOf(findByTestId(Text, 'bands'))).toBe('Healthy from 70, watch from 50, at risk below 50; unknown when less than 50% of the weight is fresh.');
    expect(textOf(findByTestId(TableRow, 'weight-usage_trend'))).toBe('Usage trend 35% 20%');
    expect(textOf(findByTestId(TableRow, 'weight-nps'))).toBe('NPS 15% 30%');
    expect(textOf(findByTestId(TableRow, 'playbook-usage_drop'))).toBe('Usage drop usage drops more than 30% period over period 30 days On');
    expect(textOf(findByTestId(TableRow, 'playbook-renewal'))).toBe('Renewal 90/60/30 renewal date 90, 60 or 30 days out Once per period Off');
    expect(textOf(findByTestId(TableRow, 'member-501'))).toBe('Priya Raman german, sso Mon, Tue, Wed 20 Available');
    expect(textOf(findByTestId(TableRow, 'member-509'))).toBe('Leo Park — Tue, Wed, Thu 15 Inactive');
    expect(findByTestId(Text, 'config-json').text).toContain('"healthyFrom": 70');
  });

  it('lists validation errors with their paths', async () => {
    mockServerless(() => ({ ok: true, data: { ...settings, validation: { ok: false, errors: [{ path: 'pool.members[1].capacity', message: 'must be a whole number ≥ 1' }] } } }));
    const r = createRenderer('settings');
    r.render(<SettingsPage actions={r.mocks.actions} />);
    await until(() => expect(r.maybeFindByTestId(Alert, 'validation')).not.toBeNull());
    const alert = r.findByTestId(Alert, 'validation');
    expect(alert.props).toMatchObject({ title: '1 problem in the config', variant: 'danger' });
    expect(textOf(alert)).toBe('pool.members[1].capacity: must be a whole number ≥ 1');
  });

  it('what-if: refuses text that is not a JSON object before calling', async () => {
    const { find, findByTestId, server } = await ready();
    findByTestId(Button, 'preview').trigger('onClick');
    await until(() => expect(find(TextArea).props.validationMessage).toContain('Paste a JSON object'));
    fire(find(TextArea), 'onChange', '{"bands": ');
    findByTestId(Button, 'preview').trigger('onClick');
    await until(() => expect(find(TextArea).props.validationMessage).toMatch(/^Not valid JSON: /));
    fire(find(TextArea), 'onChange', '[1, 2]');
    findByTestId(Button, 'preview').trigger('onClick');
    await until(() => expect(find(TextArea).props.validationMessage).toContain('configOverride must be a JSON object'));
    expect(server.calls('settings-data')).toHaveLength(1);
  });

  it('what-if: sends the override and shows band/segment changes, tasks and examples', async () => {
    const { find, findAll, findByTestId, server } = await ready();
    // The page's own first example, taken with its "Use" button.
    findByTestId(Button, 'example-0').trigger('onClick');
    await until(() => expect(find(TextArea).props.value).toBe('{"health": {"bands": {"healthy": 75}}}'));
    findByTestId(Button, 'preview').trigger('onClick');
    await until(() => expect(server.calls('settings-data')).toHaveLength(2));
    expect(server.calls('settings-data')[1]).toEqual({ configOverride: { health: { bands: { healthy: 75 } } } });
    await until(() => expect(findAll(StatisticsItem).map((s) => [s.props.label, s.props.number])).toEqual([
      ['Accounts evaluated', 471],
      ['Change band', 43],
      ['Change segment', 4],
    ]));
    expect(findByTestId(Alert, 'whatif-validation').props.title).toBe('The proposed config is valid');
    expect(findByTestId(Table, 'whatif-changes').findAll(TableRow).map((row) => textOf(row))).toEqual([
      'Change Accounts',
      'Healthy → Watch 31',
      'Watch → At risk 12',
      'Pooled → Mid-pooled 4',
    ]);
    expect(findByTestId(Table, 'whatif-tasks').findAll(TableRow).map((row) => textOf(row))).toEqual([
      'Playbook Tasks now Tasks with the change',
      'Usage drop 26 41',
    ]);
    expect(textOf(findByTestId(Flex, 'whatif-examples'))).toBe('Brightwave Analytics: healthy → watch (score 72 → 68)');
  });

  it('what-if: an invalid proposed config shows its errors and no figures', async () => {
    const { find, findByTestId, maybeFindByTestId } = await ready(invalidPreview);
    fire(find(TextArea), 'onChange', '{"bands": {"watchFrom": 80}}');
    findByTestId(Button, 'preview').trigger('onClick');
    await until(() => expect(maybeFindByTestId(Alert, 'whatif-validation')).not.toBeNull());
    const alert = findByTestId(Alert, 'whatif-validation');
    expect([alert.props.title, alert.props.variant, textOf(alert)]).toEqual([
      '1 problem in the config',
      'danger',
      'bands.watchFrom: must be below bands.healthyFrom (70)',
    ]);
    expect(maybeFindByTestId(Table, 'whatif-changes')).toBeNull();
  });

  it('what-if: a failed call is reported with an alert', async () => {
    let n = 0;
    mockServerless(() => (++n === 1 ? { ok: true, data: settings } : { ok: false, error: { code: 'timeout', message: 'Preview took longer than 15 s' } }));
    const r = createRenderer('settings');
    r.render(<SettingsPage actions={r.mocks.actions} />);
    await until(() => expect(r.maybeFind(LoadingSpinner)).toBeNull());
    fire(r.find(TextArea), 'onChange', '{"openTaskCap": 3}');
    r.findByTestId(Button, 'preview').trigger('onClick');
    await until(() => expect(r.mocks.actions.addAlert.calls).toEqual([[{ type: 'danger', title: 'Preview failed', message: 'Preview took longer than 15 s' }]]));
  });

  it('error then retry', async () => {
    let n = 0;
    const server = mockServerless(() => (++n === 1 ? { ok: false, error: { code: 'config_unreadable', message: 'cs-config.json could not be read' } } : { ok: true, data: settings }));
    const r = createRenderer('settings');
    r.render(<SettingsPage actions={r.mocks.actions} />);
    await until(() => expect(r.maybeFind(ErrorState)).not.toBeNull());
    expect(textOf(r.find(ErrorState))).toContain('cs-config.json could not be read');
    r.findByTestId(Button, 'retry').trigger('onClick');
    await until(() => expect(r.maybeFindByTestId(Alert, 'validation')).not.toBeNull());
    expect(server.calls('settings-data')).toEqual([{}, {}]);
  });
});

describe('parseOverride', () => {
  it('accepts a JSON object and refuses the rest', () => {
    expect(parseOverride('{"openTaskCap": 3}')).toEqual({ ok: true, value: { openTaskCap: 3 } });
    expect(parseOverride('  ').ok).toBe(false);
    expect(parseOverride('null')).toEqual({ ok: false, message: 'configOverride must be a JSON object (for example {"health": {"bands": {"healthy": 75}}})' });
  });
});
