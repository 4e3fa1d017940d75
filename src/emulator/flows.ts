/**
 * The automation v4 flows API of the local CRM (the part `setup --workflows` uses):
 * `GET /automation/v4/flows` (paged listing), `POST /automation/v4/flows` (create),
 * `GET /automation/v4/flows/{flowId}` and `POST /automation/v4/flows/batch/read`.
 *
 * Bodies are validated the way HubSpot's published spec defines them
 * (HubSpot-public-api-spec-collection, `PublicApiSpecs/Automation/Automation V4/Rollouts/144908/v4/automationV4.json`):
 * `ApiFlowCreateRequest` = contact flow | platform flow with their required fields, enrollment
 * criteria LIST_BASED / EVENT_BASED / MANUAL / DATASET_BASED, filter branches with their required
 * fields, PROPERTY filters with a typed operation. A malformed flow is refused with 400
 * VALIDATION_ERROR; a PROPERTY filter on a property the object does not have is refused too.
 */
import { z } from 'zod';
import { notFound, parseBody, validationError, type Reply } from './http-util';
import type { ObjectType } from './schemas';
import { isoOf, type CrmStore, type StoredFlow } from './store';

export const FLOWS_LIST_MAX = 100;
export const FLOWS_BATCH_MAX = 100;

const FILTER_BRANCH_TYPES_PLAIN = ['OR', 'AND', 'NOT_ALL', 'NOT_ANY', 'RESTRICTED'] as const;
const OTHER_FILTER_TYPES = [
  'ASSOCIATION',
  'PAGE_VIEW',
  'CTA',
  'EVENT',
  'FORM_SUBMISSION',
  'FORM_SUBMISSION_ON_PAGE',
  'INTEGRATION_EVENT',
  'EMAIL_SUBSCRIPTION',
  'COMMUNICATION_SUBSCRIPTION',
  'SURVEY_MONKEY',
  'SURVEY_MONKEY_VALUE',
  'WEBINAR',
  'EMAIL_EVENT',
  'PRIVACY',
  'ADS_SEARCH',
  'ADS_TIME',
  'IN_LIST',
  'UNIFIED_EVENTS',
  'CONSTANT',
] as const;

const opBase = { includeObjectsWithNoValueSet: z.boolean(), operator: z.string().min(1) };
const Operation = z.union([
  z.object({ ...opBase, operationType: z.literal('ENUMERATION'), values: z.array(z.string()) }),
  z.object({ ...opBase, operationType: z.literal('STRING'), value: z.string() }),
  z.object({ ...opBase, operationType: z.literal('MULTISTRING'), values: z.array(z.string()) }),
  z.object({ ...opBase, operationType: z.literal('BOOL'), value: z.boolean() }),
  z.object({ ...opBase, operationType: z.literal('ALL_PROPERTY') }),
  z.object({ ...opBase, operationType: z.literal('ROLLING_PROPERTY_UPDATED'), numberOfDays: z.number().int() }),
  z.looseObject({
    ...opBase,
    operationType: z.enum(['NUMBER', 'DATETIME', 'RANGED_DATE', 'COMPARATIVE_PROPERTY_UPDATED', 'COMPARATIVE_DATE', 'ROLLING_DATE_RANGE', 'RANGED_NUMBER', 'DATE', 'CALENDAR_DATE', 'TIME_POINT', 'RANGED_TIME', 'COMPARATIVE_STRING']),
  }),
]);
const PropertyFilter = z.object({ filterType: z.literal('PROPERTY'), property: z.string().min(1), operation: Operation });
const Filter = z.union([PropertyFilter, z.looseObject({ filterType: z.enum(OTHER_FILTER_TYPES) })]);

interface Branch {
  filterBranchType: string;
  filterBranchOperator: string;
  filterBranches: Branch[];
  filters: Array<z.infer<typeof Filter>>;
  eventTypeId?: string;
  operator?: string;
}
const branchBase = {
  filterBranchOperator: z.string(),
  filterBranches: z.array(z.lazy((): z.ZodType<Branch> => FilterBranch)),
  filters: z.array(Filter),
};
const FilterBranch: z.ZodType<Branch> = z.union([
  z.object({ ...branchBase, filterBranchType: z.enum(FILTER_BRANCH_TYPES_PLAIN) }),
  z.looseObject({ ...branchBase, filterBranchType: z.literal('UNIFIED_EVENTS'), eventTypeId: z.string().min(1), operator: z.string().min(1) }),
  z.looseObject({ ...branchBase, filterBranchType: z.literal('ASSOCIATION') }),
]);

const EnrollmentCriteria = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('LIST_BASED'),
    listFilterBranch: FilterBranch,
    reEnrollmentTriggersFilterBranches: z.array(FilterBranch),
    shouldReEnroll: z.boolean(),
    unEnrollObjectsNotMeetingCriteria: z.boolean(),
  }),
  z.object({
    type: z.literal('EVENT_BASED'),
    eventFilterBranches: z.array(FilterBranch),
    listMembershipFilterBranches: z.array(FilterBranch),
    refinementCriteria: FilterBranch.optional(),
    shouldReEnroll: z.boolean(),
  }),
  z.object({ type: z.literal('MANUAL'), shouldReEnroll: z.boolean() }),
  z.looseObject({ type: z.literal('DATASET_BASED'), shouldReEnroll: z.boolean() }),
]);

const Action = z.looseObject({
  actionId: z.string().min(1),
  type: z.enum(['STATIC_BRANCH', 'LIST_BRANCH', 'AB_TEST_BRANCH', 'CUSTOM_CODE', 'WEBHOOK', 'SINGLE_CONNECTION']),
});

const common = {
  actions: z.array(Action),
  blockedDates: z.array(z.looseObject({})),
  customProperties: z.record(z.string(), z.string()),
  dataSources: z.array(z.looseObject({ type: z.string() })),
  flowType: z.enum(['ACTION_SET', 'UNKNOWN', 'WORKFLOW']),
  isEnabled: z.boolean(),
  objectTypeId: z.string().regex(/^\d+-\d+$/, 'objectTypeId must look like 0-2'),
  timeWindows: z.array(z.looseObject({})),
  name: z.string().optional(),
  description: z.string().optional(),
  uuid: z.string().optional(),
  startActionId: z.string().optional(),
  enrollmentCriteria: EnrollmentCriteria.optional(),
  enrollmentSchedule: z.looseObject({ type: z.string() }).optional(),
  suppressionFilterBranch: FilterBranch.optional(),
};
export const FlowCreateSchema = z.discriminatedUnion('type', [
  z.object({ ...common, type: z.literal('PLATFORM_FLOW') }),
  z.object({ ...common, type: z.literal('CONTACT_FLOW'), canEnrollFromSalesforce: z.boolean(), suppressionListIds: z.array(z.number().int()) }),
]);
const BatchReadSchema = z.object({ inputs: z.array(z.object({ type: z.literal('FLOW_ID'), flowId: z.string().min(1) })) });

/** Object types whose properties the emulator knows, by HubSpot object type id. */
const OBJECT_TYPE_IDS: Record<string, ObjectType> = { '0-1': 'contacts', '0-2': 'companies', '0-5': 'tickets', '0-27': 'tasks' };

function propertyFilters(branch: Branch | undefined): string[] {
  if (!branch || branch.filterBranchType === 'UNIFIED_EVENTS' || branch.filterBranchType === 'ASSOCIATION') return [];
  return [...branch.filters.flatMap((f) => (f.filterType === 'PROPERTY' && 'property' in f ? [String(f.property)] : [])), ...branch.filterBranches.flatMap(propertyFilters)];
}

function listing(f: StoredFlow): Record<string, unknown> {
  const { id, name, isEnabled, objectTypeId, flowType, revisionId, createdAt, updatedAt, uuid } = f;
  return { id, ...(name !== undefined ? { name } : {}), isEnabled, objectTypeId, flowType, revisionId, createdAt, updatedAt, ...(uuid !== undefined ? { uuid } : {}) };
}

/** Handlers over the store's flows. */
export class FlowsApi {
  constructor(private readonly store: CrmStore) {}

  list(query: URLSearchParams, baseUrl: string): Reply {
    const limit = Number(query.get('limit') ?? String(FLOWS_LIST_MAX));
    if (!Number.isInteger(limit) || limit < 1 || limit > FLOWS_LIST_MAX) return validationError(`limit must be between 1 and ${FLOWS_LIST_MAX}.`);
    const offset = Number(query.get('after') ?? '0');
    if (!Number.isInteger(offset) || offset < 0) return validationError('after must be a paging cursor returned by this endpoint.');
    const all = Array.from(this.store.flows.values());
    const body: Record<string, unknown> = { results: all.slice(offset, offset + limit).map(listing) };
    if (offset + limit < all.length) body.paging = { next: { after: String(offset + limit), link: `${baseUrl}/automation/v4/flows?after=${offset + limit}` } };
    return { status: 200, body };
  }

  create(body: unknown, now: number): Reply {
    const p = parseBody(FlowCreateSchema, body);
    if (!p.ok) return p.reply;
    const flow = p.value;
    const type = OBJECT_TYPE_IDS[flow.objectTypeId];
    if (type === undefined) return validationError(`Unknown objectTypeId ${flow.objectTypeId}.`);
    if ((type === 'contacts') !== (flow.type === 'CONTACT_FLOW')) return validationError(`objectTypeId ${flow.objectTypeId} needs type ${type === 'contacts' ? 'CONTACT_FLOW' : 'PLATFORM_FLOW'}.`);
    const criteria = flow.enrollmentCriteria;
    const used = criteria?.type === 'LIST_BASED' ? propertyFilters(criteria.listFilterBranch) : [];
    const unknown = used.filter((name) => !this.store.properties[type].has(name));
    if (unknown.length > 0) return validationError(`Property ${unknown[0]} does not exist on ${type}; enrollment filters must use existing properties.`, { context: { properties: unknown } });
    const ids = new Set(flow.actions.map((a) => a.actionId));
    if (ids.size !== flow.actions.length) return validationError('actionId values must be unique.');
    if (flow.startActionId !== undefined && !ids.has(flow.startActionId)) return validationError(`startActionId ${flow.startActionId} is not one of the actions.`);
    const id = String(this.store.nextFlowId++);
    const at = isoOf(now);
    const stored: StoredFlow = {
      ...flow,
      id,
      revisionId: '1',
      createdAt: at,
      updatedAt: at,
      nextAvailableActionId: String(flow.actions.reduce((m, a) => Math.max(m, Number(a.actionId) || 0), 0) + 1),
      crmObjectCreationStatus: 'COMPLETE',
    };
    this.store.flows.set(id, stored);
    this.store.version++;
    return { status: 201, body: stored, headers: { location: `/automation/v4/flows/${id}` } };
  }

  get(id: string): Reply {
    const f = this.store.flows.get(id);
    return f ? { status: 200, body: f } : notFound(`Flow ${id} not found.`);
  }

  batchRead(body: unknown, now: number): Reply {
    const p = parseBody(BatchReadSchema, body);
    if (!p.ok) return p.reply;
    if (p.value.inputs.length > FLOWS_BATCH_MAX) return validationError(`Too many inputs: at most ${FLOWS_BATCH_MAX}.`);
    const results: StoredFlow[] = [];
    const missing: string[] = [];
    for (const i of p.value.inputs) {
      const f = this.store.flows.get(i.flowId);
      if (f) results.push(f);
      else missing.push(i.flowId);
    }
    const at = isoOf(now);
    const out: Record<string, unknown> = { status: 'COMPLETE', results, startedAt: at, completedAt: at };
    if (missing.length === 0) return { status: 200, body: out };
    return { status: 207, body: { ...out, numErrors: missing.length, errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Flows not found', context: { ids: missing } }] } };
  }
}

