/**
 * `setup --workflows` against the local CRM: one company workflow per digital touch type, all
 * off, enrolling on `cs_digital_touch` = type with re-enrollment when `cs_digital_touch_at`
 * changes; idempotent; a missing `automation` scope gives an error naming it; a create whose
 * answer was lost is reconciled by listing, never sent twice blindly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIGITAL_TOUCH_TYPES } from '../core';
import { SimClock, startLocalCrm, type LocalCrm } from '../emulator';
import { createHubSpotCrm } from './crm';
import { AuthError } from './errors';
import { COMPANY_OBJECT_TYPE_ID, PROPERTY_CHANGED_EVENT_TYPE_ID, digitalTouchFlowBody, digitalTouchWorkflowMarker, digitalTouchWorkflowName } from './workflows';
import type { CrmPort } from '../app/ports';

const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);
let local: LocalCrm;

async function start(scopes?: string[]): Promise<{ local: LocalCrm; crm: CrmPort }> {
  const clock = new SimClock(NOW);
  const l = await startLocalCrm({ dir: false, clock, rateLimits: false, logRequests: true, seed: { seed: 1, companies: 5, csms: 2, now: NOW }, ...(scopes ? { scopes } : {}) });
  const crm = createHubSpotCrm({ accessToken: l.token, basePath: l.baseUrl, clock, timeoutMs: 0 });
  return { local: l, crm };
}

const install = (crm: CrmPort) => {
  if (!crm.installDigitalTouchWorkflows) throw new Error('the HubSpot port must implement installDigitalTouchWorkflows');
  return crm.installDigitalTouchWorkflows();
};
const flowPosts = (l: LocalCrm) => l.log.filter((e) => e.method === 'POST' && e.path === '/automation/v4/flows');

afterEach(async () => {
  await local.stop();
});

describe('installDigitalTouchWorkflows', () => {
  test('creates one company workflow per touch type, all turned off, enrolling on the type and re-enrolling when cs_digital_touch_at changes', async () => {
    const s = await start();
    local = s.local;
    await s.crm.installProperties();
    const report = await install(s.crm);

    expect(report.existing).toEqual([]);
    expect(report.created.map((w) => w.touchType)).toEqual([...DIGITAL_TOUCH_TYPES]);
    expect(report.created.every((w) => !w.isEnabled)).toBe(true);
    expect(report.scope).toBe('automation');
    expect(report.adminSteps.length).toBeGreaterThan(0);

    const flows = [...local.store.flows.values()];
    expect(flows).toHaveLength(DIGITAL_TOUCH_TYPES.length);
    for (const type of DIGITAL_TOUCH_TYPES) {
      const f = flows.find((x) => x.name === digitalTouchWorkflowName(type));
      expect(f).toMatchObject({ type: 'PLATFORM_FLOW', objectTypeId: COMPANY_OBJECT_TYPE_ID, flowType: 'WORKFLOW', isEnabled: false, actions: [] });
      const criteria = f?.enrollmentCriteria as Record<string, unknown>;
      expect(criteria).toMatchObject({ type: 'LIST_BASED', shouldReEnroll: true, unEnrollObjectsNotMeetingCriteria: false });
      expect(criteria.listFilterBranch).toEqual({
        filterBranchType: 'OR',
        filterBranchOperator: 'OR',
        filters: [],
        filterBranches: [
          {
            filterBranchType: 'AND',
            filterBranchOperator: 'AND',
            filterBranches: [],
            filters: [
              { filterType: 'PROPERTY', property: 'cs_digital_touch', operation: { operationType: 'ENUMERATION', operator: 'IS_ANY_OF', values: [type], includeObjectsWithNoValueSet: false } },
              { filterType: 'PROPERTY', property: 'cs_digital_touch_at', operation: { operationType: 'ALL_PROPERTY', operator: 'IS_KNOWN', includeObjectsWithNoValueSet: false } },
            ],
          },
        ],
      });
      expect(criteria.reEnrollmentTriggersFilterBranches).toEqual([
        expect.objectContaining({
          filterBranchType: 'UNIFIED_EVENTS',
          eventTypeId: PROPERTY_CHANGED_EVENT_TYPE_ID,
          filters: expect.arrayContaining([expect.objectContaining({ property: 'hs_name', operation: expect.objectContaining({ value: 'cs_digital_touch_at' }) })]),
        }),
      ]);
      expect(String(f?.description)).toContain(digitalTouchWorkflowMarker(type));
    }
  });

  test('a second run creates nothing and reports what exists', async () => {
    const s = await start();
    local = s.local;
    await s.crm.installProperties();
    const first = await install(s.crm);
    local.log.length = 0;
    const second = await install(s.crm);
    expect(second.created).toEqual([]);
    expect(second.existing.map((w) => w.flowId)).toEqual(first.created.map((w) => w.flowId));
    expect(flowPosts(local)).toEqual([]);
    expect(local.store.flows.size).toBe(DIGITAL_TOUCH_TYPES.length);
  });

  test('a workflow an admin renamed is found by its marker (batch read), not created again; only the missing one is created', async () => {
    const s = await start();
    local = s.local;
    await s.crm.installProperties();
    await install(s.crm);
    const renamed = [...local.store.flows.values()].find((f) => f.name === digitalTouchWorkflowName('usage_summary'));
    if (!renamed) throw new Error('no usage_summary flow');
    renamed.name = 'Renewal usage summary (marketing)';
    renamed.isEnabled = true;
    const gone = [...local.store.flows.values()].find((f) => f.name === digitalTouchWorkflowName('check_in'));
    if (!gone) throw new Error('no check_in flow');
    local.store.flows.delete(gone.id);
    local.log.length = 0;

    const report = await install(s.crm);
    expect(report.created.map((w) => w.touchType)).toEqual(['check_in']);
    expect(report.existing.find((w) => w.touchType === 'usage_summary')).toEqual({ touchType: 'usage_summary', flowId: renamed.id, name: 'Renewal usage summary (marketing)', isEnabled: true });
    expect(local.log.some((e) => e.path === '/automation/v4/flows/batch/read')).toBe(true);
    expect(flowPosts(local)).toHaveLength(1);
  });

  test('reads every page of the flow listing (other workflows past the first 100)', async () => {
    const s = await start();
    local = s.local;
    await s.crm.installProperties();
    await install(s.crm);
    // 150 other contact workflows created after ours: ours are on the first page, theirs spill over.
    for (let i = 0; i < 150; i++) {
      const id = String(local.store.nextFlowId++);
      local.store.flows.set(id, { id, name: `Newsletter ${i}`, isEnabled: true, objectTypeId: '0-1', flowType: 'WORKFLOW', revisionId: '1', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' });
    }
    // Move ours to the end, so they are only found on the second page.
    for (const f of [...local.store.flows.values()].filter((x) => x.objectTypeId === COMPANY_OBJECT_TYPE_ID)) {
      local.store.flows.delete(f.id);
      local.store.flows.set(f.id, f);
    }
    local.log.length = 0;
    const report = await install(s.crm);
    expect(report.created).toEqual([]);
    expect(report.existing).toHaveLength(DIGITAL_TOUCH_TYPES.length);
    expect(local.log.filter((e) => e.method === 'GET' && e.path.startsWith('/automation/v4/flows')).length).toBe(2);
  });

  test('without the automation scope: an AuthError that names the scope, and nothing created', async () => {
    const scopes = ['crm.objects.companies.read', 'crm.objects.companies.write', 'crm.schemas.companies.read', 'crm.schemas.companies.write'];
    const s = await start(scopes);
    local = s.local;
    const error = await install(s.crm).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).status).toBe(403);
    expect((error as AuthError).missingScopes).toEqual(['automation']);
    expect((error as AuthError).message).toMatch(/needs the "automation" scope/);
    expect(local.store.flows.size).toBe(0);
  });

  test('a create whose answer was lost (applied, then 502) is found by listing, not sent again', async () => {
    const s = await start();
    local = s.local;
    await s.crm.installProperties();
    local.faults.add({ match: { method: 'POST', path: /^\/automation\/v4\/flows$/ }, respond: 502, afterApply: true });
    const report = await install(s.crm);
    expect(report.created.map((w) => w.touchType)).toEqual([...DIGITAL_TOUCH_TYPES]);
    expect(flowPosts(local)).toHaveLength(DIGITAL_TOUCH_TYPES.length);
    expect(local.store.flows.size).toBe(DIGITAL_TOUCH_TYPES.length);
  });

  test('a create that failed before it was applied (502) is checked by listing, then sent once more', async () => {
    const s = await start();
    local = s.local;
    await s.crm.installProperties();
    local.faults.add({ match: { method: 'POST', path: /^\/automation\/v4\/flows$/ }, respond: 502 });
    const report = await install(s.crm);
    expect(report.created).toHaveLength(DIGITAL_TOUCH_TYPES.length);
    expect(flowPosts(local)).toHaveLength(DIGITAL_TOUCH_TYPES.length + 1);
    expect(local.store.flows.size).toBe(DIGITAL_TOUCH_TYPES.length);
  });

  test('the body has every field the spec requires of a platform flow create', () => {
    const body = digitalTouchFlowBody('we_noticed');
    for (const key of ['actions', 'blockedDates', 'customProperties', 'dataSources', 'flowType', 'isEnabled', 'objectTypeId', 'timeWindows', 'type']) expect(body).toHaveProperty(key);
    for (const key of ['listFilterBranch', 'reEnrollmentTriggersFilterBranches', 'shouldReEnroll', 'unEnrollObjectsNotMeetingCriteria', 'type']) expect(body.enrollmentCriteria).toHaveProperty(key);
  });
});

// ---------------- against HubSpot's published spec ----------------

interface JsonSchema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
}
/** The published automation v4 schemas (HubSpot-public-api-spec-collection; see the fixture's `source`). */
const SPEC = JSON.parse(readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'hubspot-spec', 'automation-v4-flows.json'), 'utf8')) as { source: string; schemas: Record<string, JsonSchema> };

/** Problems of `value` against a spec schema (required fields, unknown fields, types, enums, exactly one oneOf match). */
function specProblems(value: unknown, schema: JsonSchema, at = '$'): string[] {
  if (schema.$ref) {
    const target = SPEC.schemas[schema.$ref.split('/').pop() ?? ''];
    if (!target) return [`${at}: unknown schema ${schema.$ref}`];
    return specProblems(value, target, at);
  }
  if (schema.oneOf) {
    const matches = schema.oneOf.filter((s) => specProblems(value, s, at).length === 0).length;
    if (matches !== 1) return [`${at}: matches ${matches} of the oneOf schemas`];
    if (!schema.properties || Object.keys(schema.properties).length === 0) return [];
  }
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`];
  const type = schema.type ?? (schema.properties ? 'object' : undefined);
  if (type === 'string') return typeof value === 'string' ? [] : [`${at}: expected a string`];
  if (type === 'boolean') return typeof value === 'boolean' ? [] : [`${at}: expected a boolean`];
  if (type === 'integer') return Number.isInteger(value) ? [] : [`${at}: expected an integer`];
  if (type === 'array') {
    if (!Array.isArray(value)) return [`${at}: expected an array`];
    return schema.items ? value.flatMap((v, i) => specProblems(v, schema.items as JsonSchema, `${at}[${i}]`)) : [];
  }
  if (type === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: expected an object`];
    const obj = value as Record<string, unknown>;
    const out = (schema.required ?? []).filter((k) => !(k in obj)).map((k) => `${at}.${k}: required`);
    for (const [k, v] of Object.entries(obj)) {
      const prop = schema.properties?.[k];
      if (prop) out.push(...specProblems(v, prop, `${at}.${k}`));
      else if (typeof schema.additionalProperties === 'object') out.push(...specProblems(v, schema.additionalProperties, `${at}.${k}`));
      else if (schema.additionalProperties !== true) out.push(`${at}.${k}: not in the spec`);
    }
    return out;
  }
  return [];
}

describe('against HubSpot\'s published automation v4 spec', () => {
  test.each([...DIGITAL_TOUCH_TYPES])('the create body for %s is a valid ApiPlatformFlowCreateRequest', (type) => {
    expect(specProblems(digitalTouchFlowBody(type), { $ref: '#/components/schemas/ApiPlatformFlowCreateRequest' })).toEqual([]);
  });

  test('the checker bites: a missing required field, an unknown field, a wrong enum are each reported', () => {
    const ref = { $ref: '#/components/schemas/ApiPlatformFlowCreateRequest' };
    const { isEnabled: _drop, ...noEnabled } = digitalTouchFlowBody('check_in');
    void _drop;
    expect(specProblems(noEnabled, ref)).toEqual(['$.isEnabled: required']);
    expect(specProblems({ ...digitalTouchFlowBody('check_in'), enabled: false }, ref)).toEqual(['$.enabled: not in the spec']);
    expect(specProblems({ ...digitalTouchFlowBody('check_in'), flowType: 'COMPANY' }, ref)).toEqual(['$.flowType: "COMPANY" not in ["ACTION_SET","UNKNOWN","WORKFLOW"]']);
    const body = digitalTouchFlowBody('check_in');
    const badCriteria = { ...body, enrollmentCriteria: { ...body.enrollmentCriteria, reEnrollmentTriggersFilterBranches: [{ filterBranchType: 'UNIFIED_EVENTS', filters: [] }] } };
    expect(specProblems(badCriteria, ref)).toEqual(['$.enrollmentCriteria: matches 0 of the oneOf schemas']);
  });

  test('the local CRM\'s listing and batch-read input match the spec', async () => {
    const s = await start();
    local = s.local;
    await s.crm.installProperties();
    await install(s.crm);
    const res = await fetch(`${local.baseUrl}/automation/v4/flows?limit=2`, { headers: { authorization: `Bearer ${local.token}` } });
    const listing: unknown = await res.json();
    expect(specProblems(listing, { $ref: '#/components/schemas/CollectionResponseApiFlowListingForwardPaging' })).toEqual([]);
    expect(specProblems({ inputs: [{ type: 'FLOW_ID', flowId: '1' }] }, { $ref: '#/components/schemas/ApiFlowBatchInput' })).toEqual([]);
  });
});
