import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createHubSpotCrm } from './crm';
import { PROPERTY_GROUP, definitionBody, propertyDefinitions } from './properties';
import { BASE, TOKEN, fakeClock, recordRequests } from './test-support';

const server = setupServer();
const sent = recordRequests(server);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  sent.clear();
});
afterAll(() => server.close());

type Prop = Record<string, unknown> & { name: string };

/** A portal's property store, answering like HubSpot (extra read-only fields included). */
function portal(initial: Prop[] = []) {
  const groups = [{ name: 'companyinformation', label: 'Company information', displayOrder: -1, archived: false }];
  const props = new Map<string, Prop>(initial.map((p) => [p.name, p]));
  const decorate = (p: Prop) => ({ hidden: false, formField: false, hasUniqueValue: false, calculated: false, displayOrder: -1, modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false }, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', archived: false, options: [], ...p });
  const handlers = [
    http.get(`${BASE}/crm/v3/properties/companies/groups`, () => HttpResponse.json({ results: groups })),
    http.post(`${BASE}/crm/v3/properties/companies/groups`, async ({ request }) => {
      const g = (await request.json()) as { name: string; label: string; displayOrder: number };
      groups.push({ ...g, archived: false });
      return HttpResponse.json({ ...g, archived: false }, { status: 201 });
    }),
    http.get(`${BASE}/crm/v3/properties/companies`, () => HttpResponse.json({ results: [...props.values()].map(decorate) })),
    http.post(`${BASE}/crm/v3/properties/companies`, async ({ request }) => {
      const p = (await request.json()) as Prop;
      if (props.has(p.name)) return HttpResponse.json({ status: 'error', message: `Property ${p.name} already exists`, category: 'OBJECT_ALREADY_EXISTS' }, { status: 409 });
      props.set(p.name, p);
      return HttpResponse.json(decorate(p), { status: 201 });
    }),
    http.patch(`${BASE}/crm/v3/properties/companies/:name`, async ({ request, params }) => {
      const name = String(params.name);
      const patch = (await request.json()) as Record<string, unknown>;
      const merged = { ...(props.get(name) ?? { name }), ...patch } as Prop;
      props.set(name, merged);
      return HttpResponse.json(decorate(merged));
    }),
  ];
  return { handlers, props, groups };
}

const writes = async () => (await sent.all()).filter((r) => r.method !== 'GET');

describe('installProperties', () => {
  test('first run: creates the group and every property; the owner picker as HubSpot documents it', async () => {
    const p = portal([{ name: 'notes_last_contacted', label: 'Last Contacted', type: 'datetime', fieldType: 'date', groupName: 'sales_properties', description: '' }]);
    server.use(...p.handlers);
    const report = await createHubSpotCrm({ accessToken: TOKEN, basePath: BASE, clock: fakeClock(), timeoutMs: 0 }).installProperties();
    const defs = propertyDefinitions();
    expect(report.groupCreated).toBe(true);
    expect(report.created.sort()).toEqual(defs.map((d) => d.name).sort());
    expect(report.updated).toEqual([]);
    const w = await writes();
    expect(w[0]).toMatchObject({ method: 'POST', path: '/crm/v3/properties/companies/groups', body: { ...PROPERTY_GROUP } });
    expect(w.slice(1).every((r) => r.method === 'POST' && r.path === '/crm/v3/properties/companies')).toBe(true);
    expect(w).toHaveLength(1 + defs.length);
    const csm = w.find((r) => (r.body as Prop).name === 'cs_onboarding_csm');
    expect(csm?.body).toEqual({
      name: 'cs_onboarding_csm',
      label: 'Onboarding CSM',
      description: 'The HubSpot user onboarding this customer.',
      groupName: 'customer_success',
      type: 'enumeration',
      fieldType: 'select',
      options: [],
      externalOptions: true,
      referencedObjectType: 'OWNER',
    });
    const segment = w.find((r) => (r.body as Prop).name === 'cs_segment')?.body as Prop;
    expect((segment.options as Array<{ value: string }>).map((o) => o.value)).toEqual(['pooled', 'mid_pooled', 'named']);
    expect(w.find((r) => (r.body as Prop).name === 'cs_health_computed_at')?.body).toMatchObject({ type: 'datetime', fieldType: 'date' });
    expect(w.find((r) => (r.body as Prop).name === 'cs_nps_date')?.body).toMatchObject({ type: 'date', fieldType: 'date' });
    expect(w.find((r) => (r.body as Prop).name === 'cs_usage_updated_at')?.body).toMatchObject({ type: 'datetime', fieldType: 'date' });
  });

  test('second run changes nothing: zero POST / PATCH', async () => {
    const p = portal();
    server.use(...p.handlers);
    const crm = createHubSpotCrm({ accessToken: TOKEN, basePath: BASE, clock: fakeClock(), timeoutMs: 0 });
    await crm.installProperties();
    sent.clear();
    const report = await crm.installProperties();
    expect(report).toMatchObject({ groupCreated: false, created: [], updated: [] });
    expect(await writes()).toEqual([]);
    expect((await sent.all()).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /crm/v3/properties/companies/groups', 'GET /crm/v3/properties/companies']);
  });

  test('a changed definition is PATCHed once, with only what we define; nothing deleted', async () => {
    const stale = propertyDefinitions().map((d) => definitionBody(d) as Prop);
    const band = stale.find((d) => d.name === 'cs_health_band');
    if (band) band.options = [{ label: 'Healthy', value: 'healthy', displayOrder: 0, hidden: false }];
    const p = portal([...stale, { name: 'cs_legacy_thing', label: 'Legacy', type: 'string', fieldType: 'text', groupName: 'customer_success' }]);
    p.groups.push({ name: 'customer_success', label: 'Customer Success', displayOrder: -1, archived: false });
    server.use(...p.handlers);
    const report = await createHubSpotCrm({ accessToken: TOKEN, basePath: BASE, clock: fakeClock(), timeoutMs: 0 }).installProperties();
    expect(report).toMatchObject({ groupCreated: false, created: [], updated: ['cs_health_band'] });
    const w = await writes();
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ method: 'PATCH', path: '/crm/v3/properties/companies/cs_health_band' });
    expect((w[0]?.body as { options: Array<{ value: string }> }).options.map((o) => o.value)).toEqual(['healthy', 'watch', 'at_risk', 'unknown']);
    expect(p.props.has('cs_legacy_thing')).toBe(true);
  });

  test('input properties the portal has, or the config maps elsewhere, are not created', async () => {
    const p = portal([{ name: 'cs_licensed_seats', label: 'Seats (from billing)', type: 'number', fieldType: 'number', groupName: 'billing', description: 'theirs' }]);
    server.use(...p.handlers);
    const report = await createHubSpotCrm({ accessToken: TOKEN, basePath: BASE, clock: fakeClock(), timeoutMs: 0, propertyMap: { cs_acv: 'annualrevenue' } }).installProperties();
    expect(report.created).not.toContain('cs_acv');
    expect(report.created).not.toContain('cs_licensed_seats');
    expect(report.unchanged).toEqual(expect.arrayContaining(['cs_acv', 'cs_licensed_seats']));
    const names = (await writes()).map((r) => (r.body as Prop).name);
    expect(names).not.toContain('cs_acv');
    expect(names).not.toContain('cs_licensed_seats');
    expect((await writes()).some((r) => r.method === 'PATCH')).toBe(false);
  });
});
