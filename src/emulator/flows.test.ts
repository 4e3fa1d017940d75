/**
 * The local CRM's automation v4 flows API: create / list (paged) / get / batch read, the body
 * validated as HubSpot's spec defines `ApiFlowCreateRequest` (400 for a malformed flow), the
 * `automation` scope, and persistence across a restart.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimClock } from '../platform/clock';
import { startLocalCrm, type LocalCrm } from './server';
import { call, rec } from './test-helpers';

const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);

/** A valid company workflow: LIST_BASED on a standard company property, no actions. */
function flow(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'PLATFORM_FLOW',
    objectTypeId: '0-2',
    flowType: 'WORKFLOW',
    isEnabled: false,
    name,
    actions: [],
    enrollmentCriteria: {
      type: 'LIST_BASED',
      shouldReEnroll: false,
      unEnrollObjectsNotMeetingCriteria: false,
      reEnrollmentTriggersFilterBranches: [],
      listFilterBranch: {
        filterBranchType: 'OR',
        filterBranchOperator: 'OR',
        filters: [],
        filterBranches: [
          {
            filterBranchType: 'AND',
            filterBranchOperator: 'AND',
            filterBranches: [],
            filters: [{ filterType: 'PROPERTY', property: 'name', operation: { operationType: 'ALL_PROPERTY', operator: 'IS_KNOWN', includeObjectsWithNoValueSet: false } }],
          },
        ],
      },
    },
    timeWindows: [],
    blockedDates: [],
    customProperties: {},
    dataSources: [],
    ...extra,
  };
}

describe('automation v4 flows', () => {
  let crm: LocalCrm;
  beforeEach(async () => {
    crm = await startLocalCrm({ dir: false, clock: new SimClock(NOW), rateLimits: false });
  });
  afterEach(() => crm.stop());

  it('creates a flow (201, the ApiFlow with id and revision), reads it back by id and in the listing', async () => {
    const res = await call(crm, 'POST', '/automation/v4/flows', flow('Welcome'));
    expect(res.status).toBe(201);
    const created = rec(res.body);
    expect(created).toMatchObject({ name: 'Welcome', isEnabled: false, objectTypeId: '0-2', type: 'PLATFORM_FLOW', revisionId: '1', createdAt: '2026-11-23T09:00:00.000Z' });
    const id = String(created.id);
    expect(rec((await call(crm, 'GET', `/automation/v4/flows/${id}`)).body)).toEqual(created);
    const list = rec((await call(crm, 'GET', '/automation/v4/flows')).body);
    expect(list.results).toEqual([{ id, name: 'Welcome', isEnabled: false, objectTypeId: '0-2', flowType: 'WORKFLOW', revisionId: '1', createdAt: created.createdAt, updatedAt: created.updatedAt }]);
    expect(list.paging).toBeUndefined();
    expect((await call(crm, 'GET', '/automation/v4/flows/999')).status).toBe(404);
  });

  it('pages the listing with limit and paging.next.after; refuses a limit above 100', async () => {
    for (let i = 0; i < 5; i++) expect((await call(crm, 'POST', '/automation/v4/flows', flow(`F${i}`))).status).toBe(201);
    const first = rec((await call(crm, 'GET', '/automation/v4/flows?limit=3')).body);
    expect((first.results as unknown[]).length).toBe(3);
    const after = String(rec(rec(first.paging).next).after);
    const second = rec((await call(crm, 'GET', `/automation/v4/flows?limit=3&after=${after}`)).body);
    expect((second.results as Array<{ name: string }>).map((f) => f.name)).toEqual(['F3', 'F4']);
    expect(second.paging).toBeUndefined();
    expect((await call(crm, 'GET', '/automation/v4/flows?limit=101')).status).toBe(400);
  });

  it('batch reads full flows; unknown ids give 207 with the missing ids', async () => {
    const id = String(rec((await call(crm, 'POST', '/automation/v4/flows', flow('A', { description: 'marker' }))).body).id);
    const ok = await call(crm, 'POST', '/automation/v4/flows/batch/read', { inputs: [{ type: 'FLOW_ID', flowId: id }] });
    expect(ok.status).toBe(200);
    expect(rec(ok.body)).toMatchObject({ status: 'COMPLETE', results: [{ id, description: 'marker' }] });
    const partial = await call(crm, 'POST', '/automation/v4/flows/batch/read', { inputs: [{ type: 'FLOW_ID', flowId: id }, { type: 'FLOW_ID', flowId: '42' }] });
    expect(partial.status).toBe(207);
    expect(JSON.stringify(partial.body)).toContain('"42"');
    expect((await call(crm, 'POST', '/automation/v4/flows/batch/read', { inputs: [{ flowId: id }] })).status).toBe(400);
  });

  it.each([
    ['isEnabled missing', (f: Record<string, unknown>) => delete f.isEnabled, /isEnabled/],
    ['unknown flow type', (f: Record<string, unknown>) => (f.type = 'COMPANY_FLOW'), /type/],
    ['actions not a list', (f: Record<string, unknown>) => (f.actions = {}), /actions/],
    ['customProperties with a number', (f: Record<string, unknown>) => (f.customProperties = { a: 1 }), /customProperties/],
    ['enrollment criteria of an unknown type', (f: Record<string, unknown>) => (rec(f.enrollmentCriteria).type = 'PROPERTY_BASED'), /enrollmentCriteria/],
    ['LIST_BASED without reEnrollmentTriggersFilterBranches', (f: Record<string, unknown>) => delete rec(f.enrollmentCriteria).reEnrollmentTriggersFilterBranches, /reEnrollmentTriggersFilterBranches/],
    ['a filter branch without filters', (f: Record<string, unknown>) => delete rec(rec(f.enrollmentCriteria).listFilterBranch).filters, /listFilterBranch/],
    ['an ENUMERATION operation without values', (f: Record<string, unknown>) => {
      const branch = rec((rec(rec(f.enrollmentCriteria).listFilterBranch).filterBranches as unknown[])[0]);
      (branch.filters as unknown[])[0] = { filterType: 'PROPERTY', property: 'name', operation: { operationType: 'ENUMERATION', operator: 'IS_ANY_OF', includeObjectsWithNoValueSet: false } };
    }, /listFilterBranch/],
    ['a UNIFIED_EVENTS branch without eventTypeId', (f: Record<string, unknown>) => {
      rec(f.enrollmentCriteria).reEnrollmentTriggersFilterBranches = [{ filterBranchType: 'UNIFIED_EVENTS', filterBranchOperator: 'AND', operator: 'HAS_COMPLETED', filterBranches: [], filters: [] }];
    }, /reEnrollmentTriggersFilterBranches/],
    ['objectTypeId not like 0-2', (f: Record<string, unknown>) => (f.objectTypeId = 'companies'), /objectTypeId/],
    ['a company flow typed CONTACT_FLOW', (f: Record<string, unknown>) => Object.assign(f, { type: 'CONTACT_FLOW', canEnrollFromSalesforce: false, suppressionListIds: [] }), /PLATFORM_FLOW/],
    ['a filter on a property companies do not have', (f: Record<string, unknown>) => {
      const branch = rec((rec(rec(f.enrollmentCriteria).listFilterBranch).filterBranches as unknown[])[0]);
      rec((branch.filters as unknown[])[0]).property = 'cs_no_such_property';
    }, /cs_no_such_property does not exist/],
    ['startActionId not among the actions', (f: Record<string, unknown>) => (f.startActionId = '1'), /startActionId/],
  ])('refuses a malformed flow with 400 VALIDATION_ERROR: %s', async (_label, mutate, message) => {
    const body = flow('Bad');
    mutate(body);
    const res = await call(crm, 'POST', '/automation/v4/flows', body);
    expect(res.status).toBe(400);
    expect(rec(res.body)).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(String(rec(res.body).message)).toMatch(message);
    expect(crm.store.flows.size).toBe(0);
  });

  it('needs the automation scope (403 MISSING_SCOPES naming it)', async () => {
    const limited = await startLocalCrm({ dir: false, rateLimits: false, scopes: ['crm.objects.companies.read'] });
    try {
      for (const [method, path, body] of [
        ['GET', '/automation/v4/flows', undefined],
        ['POST', '/automation/v4/flows', flow('X')],
        ['GET', '/automation/v4/flows/1', undefined],
        ['POST', '/automation/v4/flows/batch/read', { inputs: [] }],
      ] as const) {
        const res = await call(limited, method, path, body);
        expect(res.status).toBe(403);
        expect(JSON.stringify(res.body)).toContain('"requiredGranularScopes":["automation"]');
      }
      expect(limited.store.flows.size).toBe(0);
    } finally {
      await limited.stop();
    }
  });
});

describe('flows persistence', () => {
  it('keeps flows across a restart and numbers new ones after them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flows-'));
    try {
      const a = await startLocalCrm({ dir, rateLimits: false });
      const id = String(rec((await call(a, 'POST', '/automation/v4/flows', flow('Kept'))).body).id);
      await a.stop();
      const b = await startLocalCrm({ dir, rateLimits: false });
      expect(rec((await call(b, 'GET', `/automation/v4/flows/${id}`)).body)).toMatchObject({ id, name: 'Kept', isEnabled: false });
      const next = String(rec((await call(b, 'POST', '/automation/v4/flows', flow('New'))).body).id);
      expect(Number(next)).toBeGreaterThan(Number(id));
      await b.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
