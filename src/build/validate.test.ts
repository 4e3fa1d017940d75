import { validateHsmeta, formatIssue, type HsmetaResult } from './validate';

const messages = (r: HsmetaResult): string[] => (r.ok ? [] : r.issues.map(formatIssue));
const out = (json: unknown): string[] => messages(validateHsmeta(json, 'x-hsmeta.json', 'output'));
const src = (json: unknown): string[] => messages(validateHsmeta(json, 'x-hsmeta.json', 'source'));

// Shapes of HubSpot's 2026.03 templates (hubspot-project-components/2026.03/components/*).
const app = {
  uid: 'sample_static_private_app',
  type: 'app',
  config: {
    name: 'Sample',
    distribution: 'private',
    auth: { type: 'static', requiredScopes: ['oauth', 'crm.objects.contacts.read'], optionalScopes: [], conditionallyRequiredScopes: [] },
    permittedUrls: { fetch: ['https://api.hubapi.com'], iframe: [], img: [] },
    support: { supportEmail: 'support@example.com' },
  },
};
const card = { uid: 'card_extension', type: 'card', config: { name: 'New Card', location: 'crm.record.tab', entrypoint: '/app/cards/NewCard.jsx', objectTypes: ['contacts'] } };
const fn = { uid: 'app_function_endpoint', type: 'app-function', config: { entrypoint: '/app/functions/NewEndpointFunction.js', endpoint: { path: '/api/function-one', methods: ['GET'] }, secretKeys: [] } };
const page = { uid: 'app_pages_extension', type: 'page', config: { entrypoint: '/app/pages/Pages.jsx' } };
const settings = { uid: 'settings_extension', type: 'settings', config: { entrypoint: '/app/settings/SettingsPage.jsx' } };
const action = {
  uid: 'workflow_action',
  type: 'workflow-action',
  config: {
    actionUrl: 'https://example.com',
    isPublished: true,
    supportedClients: [{ client: 'WORKFLOWS' }, { client: 'AGENTS' }],
    inputFields: [
      { typeDefinition: { name: 'message', type: 'string', fieldType: 'textarea' }, supportedValueTypes: ['STATIC_VALUE'], isRequired: true },
      { typeDefinition: { name: 'priority', type: 'enumeration', fieldType: 'select', options: [{ value: 'high', label: 'High' }] }, supportedValueTypes: ['STATIC_VALUE'], isRequired: true },
    ],
    labels: { en: { actionName: 'My Custom Action', inputFieldLabels: { message: 'Message', priority: 'Priority' } } },
    objectTypes: ['CONTACT'],
  },
};

const withConfig = <T extends { config: object }>(base: T, patch: Record<string, unknown>): T => ({ ...base, config: { ...base.config, ...patch } });

describe('hsmeta schemas accept HubSpot 2026.03 template shapes', () => {
  test.each([['app', app], ['card', card], ['app-function', fn], ['page', page], ['settings', settings], ['workflow-action', action]])('%s', (_name, json) => {
    expect(out(json)).toEqual([]);
  });
});

describe('hsmeta schemas reject', () => {
  test('uids that HubSpot rejects', () => {
    expect(out({ ...card, uid: 'a'.repeat(64) })).toEqual([]);
    expect(out({ ...card, uid: 'a'.repeat(65) })).toEqual(['x-hsmeta.json: uid: must be 64 characters or less']);
    expect(out({ ...card, uid: 'has space' })).toEqual(['x-hsmeta.json: uid: may use only letters, digits, ".", "_" and "-"']);
    expect(out({ ...card, uid: '' })).toEqual(['x-hsmeta.json: uid: must be at least one character long']);
  });

  test('unknown type, unexpected top-level fields, permissions on 2026.03', () => {
    expect(out({ ...card, type: 'widget' })[0]).toMatch(/^x-hsmeta\.json: type: must be one of app, card/);
    expect(out({ ...card, permissions: {} })[0]).toMatch(/^x-hsmeta\.json: .*permissions/);
  });

  test('an app without scopes or with a non-https permitted URL', () => {
    expect(out(withConfig(app, { auth: { type: 'static', requiredScopes: [] } }))).toEqual(['x-hsmeta.json: config.auth.requiredScopes: must list at least one scope']);
    expect(out(withConfig(app, { permittedUrls: { fetch: ['http://insecure.example.com'] } }))).toEqual(['x-hsmeta.json: config.permittedUrls.fetch.0: must be an https:// URL']);
    expect(out(withConfig(app, { distribution: 'public' }))[0]).toMatch(/^x-hsmeta\.json: config\.distribution: /);
  });

  test('a card without name, in an unknown location, or with no object types', () => {
    const { name: _name, ...noName } = card.config;
    expect(out({ ...card, config: noName })[0]).toMatch(/^x-hsmeta\.json: config\.name: /);
    expect(out(withConfig(card, { location: 'crm.record.middle' }))[0]).toMatch(/^x-hsmeta\.json: config\.location: must be one of/);
    expect(out(withConfig(card, { objectTypes: [] }))).toEqual(['x-hsmeta.json: config.objectTypes: must list at least one object type']);
    expect(out(withConfig(card, { location: 'helpdesk.sidebar', objectTypes: ['tickets'] }))).toEqual([]);
  });

  test('function endpoint with `method` instead of `methods`, or an unknown method', () => {
    expect(out(withConfig(fn, { endpoint: { path: '/x', method: 'GET' } })).length).toBeGreaterThan(0);
    expect(out(withConfig(fn, { endpoint: { path: '/x', methods: ['FETCH'] } }))[0]).toMatch(/^x-hsmeta\.json: config\.endpoint\.methods\.0: /);
  });

  test('output entrypoints outside their folder or of the wrong kind', () => {
    expect(out(withConfig(fn, { entrypoint: '/app/functions/fn.ts' }))).toEqual(['x-hsmeta.json: config.entrypoint: must end with .js (got "/app/functions/fn.ts")']);
    expect(out(withConfig(card, { entrypoint: '/app/pages/NewCard.jsx' }))).toEqual(['x-hsmeta.json: config.entrypoint: must be a file directly in /app/cards/ (got "/app/pages/NewCard.jsx")']);
    expect(out(withConfig(card, { entrypoint: 'extensions/cards/NewCard.tsx' }))[0]).toMatch(/must be a file directly in \/app\/cards\//);
  });

  test('source entrypoints must be repo-relative', () => {
    expect(src(withConfig(fn, { entrypoint: 'functions/card-data.ts' }))).toEqual([]);
    expect(src(withConfig(fn, { entrypoint: '/app/functions/card-data.js' }))[0]).toMatch(/must be a repo-relative source path/);
    expect(src(withConfig(fn, { entrypoint: '../outside/card-data.ts' }))[0]).toMatch(/must be a repo-relative source path/);
  });

  test('workflow actions: objectTypes case, clients, labels for fields that do not exist, duplicate fields', () => {
    expect(out(withConfig(action, { objectTypes: ['companies'] }))[0]).toMatch(/^x-hsmeta\.json: config\.objectTypes\.0: must be an upper-case object type/);
    expect(out(withConfig(action, { supportedClients: [] }))).toEqual(['x-hsmeta.json: config.supportedClients: must list at least one client']);
    expect(out(withConfig(action, { labels: { en: { actionName: 'A', inputFieldLabels: { mesage: 'typo' } } } }))).toEqual([
      'x-hsmeta.json: config.labels.en.inputFieldLabels.mesage: names no input field',
    ]);
    expect(out(withConfig(action, { labels: { fr: { actionName: 'A' } } }))[0]).toMatch(/^x-hsmeta\.json: config\.labels\.en: /);
    const dup = action.config.inputFields[0];
    expect(out(withConfig(action, { inputFields: [dup, dup], labels: { en: { actionName: 'A' } } }))).toEqual(['x-hsmeta.json: config.inputFields.1.typeDefinition.name: duplicate input field "message"']);
    expect(out(withConfig(action, { actionUrl: 'http://example.com' }))).toEqual(['x-hsmeta.json: config.actionUrl: must be an https:// URL']);
  });

  test('the {{ACTION_BASE_URL}} placeholder is allowed only in source files', () => {
    const templated = withConfig(action, { actionUrl: '{{ACTION_BASE_URL}}/workflow-actions/recompute' });
    expect(src(templated)).toEqual([]);
    expect(out(templated)).toEqual(['x-hsmeta.json: config.actionUrl: must be an https:// URL']);
  });
});
