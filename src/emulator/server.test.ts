import { ApiException } from '@hubspot/api-client/lib/codegen/crm/companies/apis/exception';
import { SimClock } from '../platform/clock';
import { startLocalCrm, type LocalCrm } from './server';
import { call, clientFor, rec } from './test-helpers';
import { CrmStore } from './store';

const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);

function storeWith(n: number): CrmStore {
  const s = new CrmStore();
  for (let i = 0; i < n; i++) s.insertRaw('companies', { name: `Co ${i}`, annualrevenue: String(i) }, NOW - 1000 * DAY + i, NOW - 1000 * DAY + i);
  return s;
}
const DAY = 86_400_000;

describe('local CRM server with @hubspot/api-client', () => {
  let crm: LocalCrm;
  let clock: SimClock;
  beforeEach(async () => {
    clock = new SimClock(NOW);
    crm = await startLocalCrm({ dir: false, clock, store: storeWith(10_450), rateLimits: false });
  });
  afterEach(() => crm.stop());

  it('pages search with after, reports total, and never returns a result past the 10,000th', async () => {
    const client = clientFor(crm);
    const first = await client.crm.companies.searchApi.doSearch({ filterGroups: [], sorts: ['hs_object_id'], properties: ['name'], limit: 200, after: '0' });
    expect(first.total).toBe(10_450);
    expect(first.results).toHaveLength(200);
    expect(first.paging?.next?.after).toBe('200');
    const last = await client.crm.companies.searchApi.doSearch({ filterGroups: [], sorts: ['hs_object_id'], properties: ['name'], limit: 200, after: '9800' });
    expect(last.results).toHaveLength(200);
    // Like HubSpot, the page at the ceiling still offers next = 10000; following it is a 400.
    expect(last.paging?.next?.after).toBe('10000');
    const past = await call(crm, 'POST', '/crm/v3/objects/companies/search', { limit: 100, after: '10000' });
    expect(past.status).toBe(400);
    expect(rec(past.body)).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    const tooBig = await call(crm, 'POST', '/crm/v3/objects/companies/search', { limit: 201 });
    expect(tooBig.status).toBe(400);
  });

  it('supports the hs_object_id GT restart pattern to read past 10,000', async () => {
    const client = clientFor(crm);
    const seen = new Set<string>();
    let lastId = '0';
    let calls = 0;
    for (;;) {
      let after: string | undefined = '0';
      let got = 0;
      while (after !== undefined) {
        const page = await client.crm.companies.searchApi.doSearch({
          filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'GT' as never, value: lastId }] }],
          sorts: ['hs_object_id'],
          properties: ['name'],
          limit: 200,
          after,
        });
        calls++;
        for (const r of page.results) {
          expect(seen.has(r.id)).toBe(false);
          seen.add(r.id);
        }
        got += page.results.length;
        const tail = page.results[page.results.length - 1];
        after = page.paging?.next?.after;
        if (after !== undefined && Number(after) >= 10_000) after = undefined; // the ceiling: restart
        if (after === undefined && tail) lastId = tail.id;
      }
      if (got < 10_000) break;
    }
    expect(seen.size).toBe(10_450);
    expect(calls).toBe(53); // 50 pages of the first 10,000 + 3 for the remaining 450
  });

  it('sorts and filters (IN, BETWEEN, HAS_PROPERTY, NEQ, DESC)', async () => {
    const c = clientFor(crm);
    const between = await c.crm.companies.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'annualrevenue', operator: 'BETWEEN' as never, value: '10', highValue: '19' }] }],
      sorts: [{ propertyName: 'annualrevenue', direction: 'DESCENDING' } as never],
      properties: ['annualrevenue'],
      limit: 100,
    });
    expect(between.total).toBe(10);
    expect(between.results.map((r) => r.properties.annualrevenue)).toEqual(['19', '18', '17', '16', '15', '14', '13', '12', '11', '10']);
    const inOrNot = await c.crm.companies.searchApi.doSearch({
      filterGroups: [
        { filters: [{ propertyName: 'annualrevenue', operator: 'IN' as never, values: ['1', '2'] }] },
        { filters: [{ propertyName: 'name', operator: 'EQ' as never, value: 'co 3' }] },
      ],
      limit: 10,
    });
    expect(inOrNot.total).toBe(3);
    const none = await c.crm.companies.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'domain', operator: 'HAS_PROPERTY' as never }] }], limit: 10 });
    expect(none.total).toBe(0);
    const unknown = await call(crm, 'POST', '/crm/v3/objects/companies/search', { filterGroups: [{ filters: [{ propertyName: 'nope', operator: 'EQ', value: '1' }] }] });
    expect(unknown.status).toBe(400);
  });

  it('lists with limit ≤ 100 and an after cursor, and reads one object', async () => {
    const c = clientFor(crm);
    const page = await c.crm.companies.basicApi.getPage(100, undefined, ['name']);
    expect(page.results).toHaveLength(100);
    const next = await c.crm.companies.basicApi.getPage(100, page.paging?.next?.after, ['name']);
    expect(Number(next.results[0]?.id)).toBeGreaterThan(Number(page.results[99]?.id));
    expect((await call(crm, 'GET', '/crm/v3/objects/companies?limit=101')).status).toBe(400);
    const one = await c.crm.companies.basicApi.getById(page.results[0]?.id ?? '', ['name', 'annualrevenue']);
    expect(one.properties).toMatchObject({ name: 'Co 0', annualrevenue: '0', hs_object_id: page.results[0]?.id });
    await expect(c.crm.companies.basicApi.getById('123')).rejects.toMatchObject({ code: 404 });
  });

  it('answers a batch update with 207 and per-input errors when some ids do not exist', async () => {
    const c = clientFor(crm);
    const ids = (await c.crm.companies.basicApi.getPage(3)).results.map((r) => r.id);
    const res = await call(crm, 'POST', '/crm/v3/objects/companies/batch/update', {
      inputs: [...ids.map((id) => ({ id, properties: { name: `Renamed ${id}` } })), { id: '42', properties: { name: 'x' } }],
    });
    expect(res.status).toBe(207);
    const body = rec(res.body);
    expect(body).toMatchObject({ status: 'COMPLETE', numErrors: 1 });
    expect(body.results).toHaveLength(3);
    expect(body.errors).toEqual([expect.objectContaining({ status: 'error', category: 'OBJECT_NOT_FOUND', context: { ids: ['42'] } })]);
    expect(typeof body.startedAt).toBe('string');
    // The client accepts a 207 as a result, not an exception.
    const viaClient = await c.crm.companies.batchApi.update({ inputs: [{ id: ids[0] ?? '', properties: { name: 'A' } }, { id: '43', properties: { name: 'B' } }] });
    expect(viaClient.results).toHaveLength(1);
    expect((viaClient as { numErrors?: number }).numErrors).toBe(1);
  });

  it('rejects more than 100 inputs with a 400 validation error', async () => {
    const inputs = Array.from({ length: 101 }, (_, i) => ({ id: String(i + 1) }));
    const res = await call(crm, 'POST', '/crm/v3/objects/companies/batch/read', { inputs, properties: ['name'] });
    expect(res.status).toBe(400);
    expect(rec(res.body)).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    await expect(clientFor(crm).crm.companies.batchApi.update({ inputs: inputs.map((i) => ({ ...i, properties: { name: 'x' } })) })).rejects.toBeInstanceOf(ApiException);
  });

  it('rejects invalid property values and unknown properties for the whole batch', async () => {
    const id = (await clientFor(crm).crm.companies.basicApi.getPage(1)).results[0]?.id ?? '';
    const res = await call(crm, 'POST', '/crm/v3/objects/companies/batch/update', { inputs: [{ id, properties: { annualrevenue: 'lots', nope: '1' } }] });
    expect(res.status).toBe(400);
    const body = rec(res.body);
    expect(body.category).toBe('VALIDATION_ERROR');
    expect(String(body.message)).toContain('INVALID_INTEGER');
    expect(String(body.message)).toContain('PROPERTY_DOESNT_EXIST');
    expect(crm.store.get('companies', Number(id))?.props.annualrevenue).toBe('0');
  });

  it('creates tasks associated to a company (type 192) and reads them back through v4 associations and search', async () => {
    const c = clientFor(crm);
    const companyId = (await c.crm.companies.basicApi.getPage(1)).results[0]?.id ?? '';
    const created = await c.crm.objects.tasks.batchApi.create({
      inputs: [0, 1].map((i) => ({
        properties: { hs_task_subject: `Check-in ${i}`, hs_task_body: `key:k${i}`, hs_timestamp: '2026-11-30T09:00:00Z', hs_task_status: 'NOT_STARTED', hs_task_priority: 'HIGH' },
        associations: [{ to: { id: companyId }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 192 }] }],
      })),
    });
    expect(created.results).toHaveLength(2);
    expect(created.results[0]?.properties.hs_timestamp).toBe('2026-11-30T09:00:00.000Z');
    const assoc = await c.crm.associations.v4.batchApi.getPage('companies', 'tasks', { inputs: [{ id: companyId }] });
    expect(assoc.results[0]?.to.map((t) => String(t.toObjectId)).sort()).toEqual(created.results.map((r) => r.id).sort());
    expect(assoc.results[0]?.to[0]?.associationTypes[0]).toMatchObject({ category: 'HUBSPOT_DEFINED', typeId: 191 });
    const found = await c.crm.objects.tasks.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'associations.company', operator: 'EQ' as never, value: companyId }] }], properties: ['hs_task_subject'], limit: 10 });
    expect(found.total).toBe(2);
    const bad = await call(crm, 'POST', '/crm/v3/objects/tasks/batch/create', {
      inputs: [{ properties: { hs_task_subject: 'x' }, associations: [{ to: { id: '1' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 192 }] }] }],
    });
    expect(bad.status).toBe(400);
  });

  it('answers v4 association reads with 207 for a company without associations', async () => {
    const id = (await clientFor(crm).crm.companies.basicApi.getPage(1)).results[0]?.id ?? '';
    const res = await call(crm, 'POST', '/crm/v4/associations/companies/tickets/batch/read', { inputs: [{ id }] });
    expect(res.status).toBe(207);
    expect(rec(res.body).errors).toEqual([
      expect.objectContaining({
        status: 'error',
        category: 'OBJECT_NOT_FOUND',
        subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
        message: `No ticket is associated to company ${id}.`,
        context: { fromObjectId: [id], fromObjectType: ['COMPANY'], toObjectType: ['TICKET'] },
      }),
    ]);
  });

  it('keeps property history for propertiesWithHistory (newest first)', async () => {
    const c = clientFor(crm);
    await c.crm.properties.coreApi.create('companies', { name: 'cs_health_score', label: 'Health score', type: 'number' as never, fieldType: 'number' as never, groupName: 'companyinformation' });
    const id = (await c.crm.companies.basicApi.getPage(1)).results[0]?.id ?? '';
    for (const v of ['40', '55', '70']) {
      await c.crm.companies.batchApi.update({ inputs: [{ id, properties: { cs_health_score: v } }] });
      clock.advance(DAY);
    }
    await c.crm.companies.batchApi.update({ inputs: [{ id, properties: { cs_health_score: '70' } }] }); // unchanged: no entry
    const one = await c.crm.companies.basicApi.getById(id, ['cs_health_score'], ['cs_health_score']);
    const hist = one.propertiesWithHistory?.cs_health_score ?? [];
    expect(hist.map((h) => h.value)).toEqual(['70', '55', '40']);
    expect(hist[0]?.timestamp.toISOString()).toBe(new Date(NOW + 2 * DAY).toISOString());
    const batch = await c.crm.companies.batchApi.read({ inputs: [{ id }], properties: [], propertiesWithHistory: ['cs_health_score'] });
    expect(batch.results[0]?.propertiesWithHistory?.cs_health_score).toHaveLength(3);
    expect(one.updatedAt.toISOString()).toBe(new Date(NOW + 2 * DAY).toISOString());
  });

  it('limits batch reads with history to 50 inputs (HubSpot\'s VALIDATION_ERROR), not plain batch reads', async () => {
    const ids = (await clientFor(crm).crm.companies.basicApi.getPage(60)).results.map((r) => ({ id: r.id }));
    expect(ids.length).toBeGreaterThan(50);
    const withHistory = await call(crm, 'POST', '/crm/v3/objects/companies/batch/read', { inputs: ids, properties: [], propertiesWithHistory: ['name'] });
    expect(withHistory.status).toBe(400);
    expect(rec(withHistory.body).message).toContain('The maximum number of inputs supported in a batch request for property histories is 50');
    const fifty = await call(crm, 'POST', '/crm/v3/objects/companies/batch/read', { inputs: ids.slice(0, 50), properties: [], propertiesWithHistory: ['name'] });
    expect(fifty.status).toBe(200);
    const plain = await call(crm, 'POST', '/crm/v3/objects/companies/batch/read', { inputs: ids, properties: ['name'] });
    expect(plain.status).toBe(200);
  });

  it('lists objects with their associations (associations=companies), only types that have some', async () => {
    const company = (await clientFor(crm).crm.companies.basicApi.getPage(1)).results[0]?.id ?? '';
    const linked = await call(crm, 'POST', '/crm/v3/objects/tickets', {
      properties: { subject: 'Linked', hs_pipeline: '0', hs_pipeline_stage: '1' },
      associations: [{ to: { id: company }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 339 }] }],
    });
    const loose = await call(crm, 'POST', '/crm/v3/objects/tickets', { properties: { subject: 'Loose', hs_pipeline: '0', hs_pipeline_stage: '1' } });
    const list = await call(crm, 'GET', '/crm/v3/objects/tickets?limit=100&associations=companies');
    const byId = new Map((rec(list.body).results as Array<Record<string, unknown>>).map((t) => [String(t.id), t]));
    expect(byId.get(String(rec(linked.body).id))?.associations).toEqual({ companies: { results: [{ id: company, type: 'ticket_to_company' }] } });
    expect(byId.get(String(rec(loose.body).id))?.associations).toBeUndefined();
  });

  it('creates property groups and properties, answers 409 on duplicates, and PATCHes a property', async () => {
    const c = clientFor(crm);
    const g = await c.crm.properties.groupsApi.create('companies', { name: 'customer_success', label: 'Customer Success' });
    expect(g).toMatchObject({ name: 'customer_success', label: 'Customer Success' });
    const dupGroup = await call(crm, 'POST', '/crm/v3/properties/companies/groups', { name: 'customer_success', label: 'Again' });
    expect(dupGroup.status).toBe(409);
    expect(rec(dupGroup.body)).toMatchObject({ status: 'error', category: 'OBJECT_ALREADY_EXISTS' });
    const prop = {
      name: 'cs_segment',
      label: 'Segment',
      type: 'enumeration',
      fieldType: 'select',
      groupName: 'customer_success',
      options: [{ label: 'Pooled', value: 'pooled' }, { label: 'Named', value: 'named' }],
    };
    expect((await call(crm, 'POST', '/crm/v3/properties/companies', prop)).status).toBe(201);
    const dup = await call(crm, 'POST', '/crm/v3/properties/companies', prop);
    expect(dup.status).toBe(409);
    expect(rec(dup.body).category).toBe('OBJECT_ALREADY_EXISTS');
    const patched = await c.crm.properties.coreApi.update('companies', 'cs_segment', {
      options: [{ label: 'Pooled', value: 'pooled', displayOrder: 0, hidden: false }, { label: 'Mid pooled', value: 'mid_pooled', displayOrder: 1, hidden: false }, { label: 'Named', value: 'named', displayOrder: 2, hidden: false }],
    });
    expect(patched.options.map((o) => o.value)).toEqual(['pooled', 'mid_pooled', 'named']);
    const read = await c.crm.properties.coreApi.getByName('companies', 'cs_segment');
    expect(read.groupName).toBe('customer_success');
    const id = (await c.crm.companies.basicApi.getPage(1)).results[0]?.id ?? '';
    const badOption = await call(crm, 'POST', '/crm/v3/objects/companies/batch/update', { inputs: [{ id, properties: { cs_segment: 'gold' } }] });
    expect(badOption.status).toBe(400);
    expect(String(rec(badOption.body).message)).toContain('INVALID_OPTION');
    const owner = await call(crm, 'POST', '/crm/v3/properties/companies', {
      name: 'cs_onboarding_csm', label: 'Onboarding CSM', type: 'enumeration', fieldType: 'select', groupName: 'customer_success', externalOptions: true, referencedObjectType: 'OWNER',
    });
    expect(owner.status).toBe(201);
    expect((await call(crm, 'PATCH', '/crm/v3/properties/companies/name', { label: 'x' })).status).toBe(400);
    expect((await call(crm, 'GET', '/crm/v3/properties/companies/nope')).status).toBe(404);
    expect((await call(crm, 'POST', '/crm/v3/properties/companies', { ...prop, name: 'cs_x', groupName: 'missing' })).status).toBe(400);
  });

  it('records workflow callback completions', async () => {
    await clientFor(crm).automation.actions.callbacksApi.complete('cb-1', { outputFields: { hs_execution_state: 'SUCCESS' } });
    expect(crm.store.callbacks).toEqual([{ callbackId: 'cb-1', outputFields: { hs_execution_state: 'SUCCESS' }, at: NOW }]);
  });

  it('keeps typedOutputs and refuses outputFields that are not strings (CallbackCompletionRequest)', async () => {
    const ok = await call(crm, 'POST', '/automation/v4/actions/callbacks/cb-2/complete', { outputFields: { n: '2' }, typedOutputs: { n: 2 } });
    expect(ok.status).toBe(204);
    expect(crm.store.callbacks.at(-1)).toEqual({ callbackId: 'cb-2', outputFields: { n: '2' }, typedOutputs: { n: 2 }, at: NOW });
    const bad = await call(crm, 'POST', '/automation/v4/actions/callbacks/cb-3/complete', { outputFields: { n: 2 } });
    expect(bad.status).toBe(400);
  });

  it('makes writes searchable only after the configured lag (eventual consistency)', async () => {
    const lagged = await startLocalCrm({ dir: false, clock, rateLimits: false, searchLagMs: 3000 });
    try {
      const c = clientFor(lagged);
      const made = await c.crm.companies.basicApi.create({ properties: { name: 'Fresh' }, associations: [] });
      const search = () => c.crm.companies.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'name', operator: 'EQ' as never, value: 'Fresh' }] }], limit: 10 });
      expect((await search()).total).toBe(0);
      expect((await c.crm.companies.basicApi.getById(made.id)).properties.name).toBe('Fresh');
      clock.advance(2999);
      expect((await search()).total).toBe(0);
      clock.advance(1);
      expect((await search()).total).toBe(1);
      await c.crm.companies.basicApi.update(made.id, { properties: { name: 'Renamed' } });
      expect((await search()).total).toBe(1); // the old value is still what search sees
      clock.advance(3000);
      expect((await search()).total).toBe(0);
    } finally {
      await lagged.stop();
    }
  });

  it('counts every request by route', async () => {
    const c = clientFor(crm);
    await c.crm.companies.basicApi.getPage(1);
    await c.crm.companies.basicApi.getPage(1);
    await c.crm.companies.searchApi.doSearch({ limit: 1 });
    expect(crm.counters.get('GET /crm/v3/objects/companies')).toBe(2);
    expect(crm.counters.get('POST /crm/v3/objects/companies/search')).toBe(1);
    expect(crm.counters.total).toBe(3);
    expect(crm.counters.status(200)).toBe(3);
  });
});

describe('auth and scopes', () => {
  let crm: LocalCrm;
  beforeEach(async () => {
    crm = await startLocalCrm({ dir: false, token: 'pat-test', scopes: ['crm.objects.companies.read'], rateLimits: false });
  });
  afterEach(() => crm.stop());

  it('answers 401 with HubSpot body when the token is missing or wrong', async () => {
    const missing = await call(crm, 'GET', '/crm/v3/objects/companies', undefined, null);
    expect(missing.status).toBe(401);
    expect(rec(missing.body)).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
    expect(String(rec(missing.body).message)).toContain('Authentication credentials not found');
    const wrong = await call(crm, 'GET', '/crm/v3/objects/companies', undefined, 'pat-other');
    expect(wrong.status).toBe(401);
    await expect(clientFor(crm, 'pat-other').crm.companies.basicApi.getPage(1)).rejects.toMatchObject({ code: 401 });
  });

  it('answers 403 MISSING_SCOPES naming the scope', async () => {
    expect((await call(crm, 'GET', '/crm/v3/objects/companies')).status).toBe(200);
    const res = await call(crm, 'POST', '/crm/v3/objects/companies/batch/update', { inputs: [] });
    expect(res.status).toBe(403);
    expect(rec(res.body)).toMatchObject({
      status: 'error',
      category: 'MISSING_SCOPES',
      errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['crm.objects.companies.write'] } }],
    });
    const owners = await call(crm, 'GET', '/crm/v3/owners');
    expect(JSON.stringify(owners.body)).toContain('crm.objects.owners.read');
  });
});

describe('GET one object with associations (the card read)', () => {
  let crm: LocalCrm;
  afterEach(() => crm.stop());

  it('lists the associated ids per requested type, primary contact labelled, unknown types ignored, archived left out', async () => {
    const store = new CrmStore();
    const company = store.insertRaw('companies', { name: 'Acme' }, NOW);
    const task = store.insertRaw('tasks', { hs_task_subject: 'Call' }, NOW);
    const gone = store.insertRaw('tasks', { hs_task_subject: 'Old' }, NOW);
    gone.archived = true;
    const first = store.insertRaw('contacts', { firstname: 'Ana' }, NOW);
    const second = store.insertRaw('contacts', { firstname: 'Ben' }, NOW);
    store.associate('tasks', task.id, 'companies', company.id);
    store.associate('tasks', gone.id, 'companies', company.id);
    store.associate('contacts', first.id, 'companies', company.id);
    store.associate('contacts', second.id, 'companies', company.id);
    crm = await startLocalCrm({ dir: false, store, rateLimits: false });

    const r = await call(crm, 'GET', `/crm/v3/objects/companies/${company.id}?properties=name&associations=tasks,tickets,contacts,unicorns`);
    expect(r.status).toBe(200);
    expect(rec(r.body)['associations']).toEqual({
      tasks: { results: [{ id: String(task.id), type: 'company_to_task' }] },
      contacts: {
        results: [
          { id: String(first.id), type: 'company_to_contact' },
          { id: String(second.id), type: 'company_to_contact_unlabeled' },
        ],
      },
    });
    const none = await call(crm, 'GET', `/crm/v3/objects/companies/${company.id}?properties=name`);
    expect(rec(none.body)['associations']).toBeUndefined();
    const contacts = await call(crm, 'POST', '/crm/v3/objects/contacts/batch/read', { inputs: [{ id: String(first.id) }], properties: ['firstname'] });
    expect(rec(contacts.body)).toMatchObject({ results: [{ id: String(first.id), properties: { firstname: 'Ana' } }] });
  });
});
