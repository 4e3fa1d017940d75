/**
 * The local CRM's request handlers on their own (no HTTP): routing with scopes, batch limits,
 * validation errors, 207 partial results, association type ids and property writes, in HubSpot's
 * shapes.
 */
import { ASSOCIATION_TYPES } from './schemas';
import { Api, BATCH_LIMIT, associationTarget, associationTypeId, type RequestContext } from './api';
import { CrmStore } from './store';

const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);

function call(api: Api, method: string, path: string, body?: unknown, extra: Partial<RequestContext> = {}) {
  const [pathname, search] = path.split('?');
  const route = api.route(method, pathname ?? path);
  if (route === null) return { route: null, reply: null };
  const reply = route.handle({ method, path: pathname ?? path, query: new URLSearchParams(search ?? ''), body, now: NOW, baseUrl: 'http://local.test', ...extra });
  return { route, reply };
}

function withCompanies(n: number): { api: Api; store: CrmStore; ids: string[] } {
  const store = new CrmStore();
  const ids = Array.from({ length: n }, (_, i) => String(store.insertRaw('companies', { name: `Company ${i + 1}` }, NOW - 1000).id));
  return { api: new Api(store), store, ids };
}

describe('Api.route', () => {
  it('names each route by its template and the scope it needs; search is marked for the search limit', () => {
    const { api } = withCompanies(0);
    expect(api.route('POST', '/crm/v3/objects/companies/search')).toMatchObject({ key: 'POST /crm/v3/objects/companies/search', scopes: ['crm.objects.companies.read'], isSearch: true });
    expect(api.route('POST', '/crm/v3/objects/companies/batch/update')).toMatchObject({ key: 'POST /crm/v3/objects/companies/batch/update', scopes: ['crm.objects.companies.write'], isSearch: false });
    expect(api.route('GET', '/crm/v3/objects/companies/42')).toMatchObject({ key: 'GET /crm/v3/objects/companies/{id}' });
    expect(api.route('POST', '/crm/v4/associations/companies/tasks/batch/read')?.key).toBe('POST /crm/v4/associations/companies/tasks/batch/read');
    expect(api.route('GET', '/crm/v3/owners')?.scopes).toEqual(['crm.objects.owners.read']);
  });

  it('has no route for unknown objects, methods or paths', () => {
    const { api } = withCompanies(0);
    expect(api.route('POST', '/crm/v3/objects/unicorns/search')).toBeNull();
    expect(api.route('DELETE', '/crm/v3/objects/companies/1')).toBeNull();
    expect(api.route('GET', '/nothing/here')).toBeNull();
  });
});

describe('batch read and update', () => {
  it('reads the requested properties plus the ones HubSpot always sends; unknown ids are a 207 error', () => {
    const { api, ids } = withCompanies(2);
    const { reply } = call(api, 'POST', '/crm/v3/objects/companies/batch/read', { inputs: [{ id: ids[0] }, { id: '999999' }], properties: ['name'] });
    expect(reply?.status).toBe(207);
    const body = reply?.body as { results: Array<{ id: string; properties: Record<string, string | null> }>; numErrors: number; errors: Array<{ category: string }> };
    expect(body.results).toHaveLength(1);
    expect(body.results[0]).toMatchObject({ id: ids[0], properties: { name: 'Company 1', hs_object_id: ids[0] } });
    expect(body.numErrors).toBe(1);
    expect(body.errors[0]?.category).toBe('OBJECT_NOT_FOUND');
  });

  it('refuses more than 100 inputs, duplicate ids and bodies of the wrong shape with 400', () => {
    const { api, ids } = withCompanies(1);
    const tooMany = call(api, 'POST', '/crm/v3/objects/companies/batch/read', { inputs: Array.from({ length: BATCH_LIMIT + 1 }, (_, i) => ({ id: String(i) })) });
    expect(tooMany.reply?.status).toBe(400);
    const dup = call(api, 'POST', '/crm/v3/objects/companies/batch/update', { inputs: [{ id: ids[0], properties: { name: 'a' } }, { id: ids[0], properties: { name: 'b' } }] });
    expect(dup.reply).toMatchObject({ status: 400, body: { category: 'VALIDATION_ERROR', message: expect.stringContaining('Duplicate IDs') } });
    expect(call(api, 'POST', '/crm/v3/objects/companies/batch/update', { inputs: 'nope' }).reply?.status).toBe(400);
  });

  it('writes values, and refuses an unknown or read-only property for the whole batch', () => {
    const { api, store, ids } = withCompanies(2);
    const ok = call(api, 'POST', '/crm/v3/objects/companies/batch/update', { inputs: [{ id: ids[0], properties: { name: 'Renamed' } }] });
    expect(ok.reply?.status).toBe(200);
    expect(store.get('companies', Number(ids[0]))?.props['name']).toBe('Renamed');
    const bad = call(api, 'POST', '/crm/v3/objects/companies/batch/update', {
      inputs: [
        { id: ids[0], properties: { name: 'Again' } },
        { id: ids[1], properties: { no_such_property: 'x' } },
      ],
    });
    expect(bad.reply).toMatchObject({ status: 400, body: { category: 'VALIDATION_ERROR', message: expect.stringContaining('PROPERTY_DOESNT_EXIST') } });
    expect(store.get('companies', Number(ids[0]))?.props['name']).toBe('Renamed');
    const readOnly = call(api, 'POST', '/crm/v3/objects/companies/batch/update', { inputs: [{ id: ids[0], properties: { hs_object_id: '1' } }] });
    expect(readOnly.reply?.body).toMatchObject({ message: expect.stringContaining('READ_ONLY_VALUE') });
  });

  it('an injected partial failure answers 207: the other inputs are written', () => {
    const { api, store, ids } = withCompanies(3);
    const { reply } = call(
      api,
      'POST',
      '/crm/v3/objects/companies/batch/update',
      { inputs: ids.map((id) => ({ id, properties: { name: `New ${id}` } })) },
      { partial: { failIds: [ids[1] ?? ''], category: 'VALIDATION_ERROR' } },
    );
    expect(reply?.status).toBe(207);
    const body = reply?.body as { results: unknown[]; errors: Array<{ context: { ids: string[] } }> };
    expect(body.results).toHaveLength(2);
    expect(body.errors[0]?.context.ids).toEqual([ids[1]]);
    expect(store.get('companies', Number(ids[1]))?.props['name']).toBe('Company 2');
    expect(store.get('companies', Number(ids[2]))?.props['name']).toBe(`New ${ids[2]}`);
  });
});

describe('batch create with associations', () => {
  it('creates tasks associated to their company (type 192), and refuses an association to a missing company', () => {
    const { api, store, ids } = withCompanies(1);
    const company = ids[0] ?? '';
    const input = (to: string) => ({
      properties: { hs_task_subject: 'Call', hs_timestamp: new Date(NOW).toISOString() },
      associations: [{ to: { id: to }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: ASSOCIATION_TYPES.taskToCompany }] }],
    });
    const ok = call(api, 'POST', '/crm/v3/objects/tasks/batch/create', { inputs: [input(company)] });
    expect(ok.reply?.status).toBe(201);
    const taskId = Number((ok.reply?.body as { results: Array<{ id: string }> }).results[0]?.id);
    expect(store.associated('companies', Number(company), 'tasks')).toEqual([taskId]);
    const bad = call(api, 'POST', '/crm/v3/objects/tasks/batch/create', { inputs: [input('424242')] });
    expect(bad.reply).toMatchObject({ status: 400, body: { message: expect.stringContaining('424242 does not exist') } });
    expect(store.count('tasks')).toBe(1);
  });
});

describe('association type ids', () => {
  it('maps the ids both ways, and nothing else', () => {
    expect(ASSOCIATION_TYPES.taskToCompany).toBe(192);
    expect(associationTarget('tasks', ASSOCIATION_TYPES.taskToCompany)).toBe('companies');
    expect(associationTypeId('companies', 'tasks')).toBe(ASSOCIATION_TYPES.companyToTask);
    expect(associationTarget('tasks', 1)).toBeNull();
    expect(associationTypeId('tasks', 'tickets')).toBeNull();
  });

  it('task ↔ contact is 204 / 203 (HubSpot-defined), as HubSpot documents', () => {
    expect([ASSOCIATION_TYPES.taskToContact, ASSOCIATION_TYPES.contactToTask]).toEqual([204, 203]);
    expect(associationTarget('tasks', 204)).toBe('contacts');
    expect(associationTarget('contacts', 203)).toBe('tasks');
    expect(associationTarget('tasks', 280)).toBeNull();
    expect(associationTypeId('tasks', 'contacts')).toBe(204);
    expect(associationTypeId('contacts', 'tasks')).toBe(203);
  });
});
