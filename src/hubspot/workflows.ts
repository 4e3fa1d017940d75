/**
 * `setup --workflows`: one company-based HubSpot workflow per digital touch type (issue 14 §2),
 * created through the automation v4 flows API, TURNED OFF, for an admin to finish (add the email
 * or the contact enrollment) and turn on. The app writes `cs_digital_touch` (the type) and
 * `cs_digital_touch_at` (when); each workflow enrolls the companies whose `cs_digital_touch` is its
 * type and re-enrolls them whenever `cs_digital_touch_at` changes.
 *
 * Request shape, checked against HubSpot's published OpenAPI spec
 * (github.com/HubSpot/HubSpot-public-api-spec-collection,
 * `PublicApiSpecs/Automation/Automation V4/Rollouts/144908/v4/automationV4.json`):
 * - `POST /automation/v4/flows` takes `ApiFlowCreateRequest` = oneOf contact / platform flow. A
 *   company workflow is an `ApiPlatformFlowCreateRequest`: `type: "PLATFORM_FLOW"`,
 *   `objectTypeId: "0-2"`, required `actions, blockedDates, customProperties, dataSources,
 *   flowType, isEnabled, objectTypeId, timeWindows, type`; answers 201 with the `ApiFlow`.
 * - `enrollmentCriteria` `ApiListBasedEnrollmentCriteria` (`type: "LIST_BASED"`): required
 *   `listFilterBranch, reEnrollmentTriggersFilterBranches, shouldReEnroll,
 *   unEnrollObjectsNotMeetingCriteria`. Filter branches are the lists-API branches (OR / AND /
 *   UNIFIED_EVENTS ...); a `PROPERTY` filter's `operation` is e.g. `ENUMERATION` (`values`) or
 *   `ALL_PROPERTY` (`IS_KNOWN`).
 * - `GET /automation/v4/flows?limit&after` answers `CollectionResponseApiFlowListingForwardPaging`
 *   (`results[]` of `ApiFlowListing`: id, name, isEnabled, objectTypeId, flowType, ...; no
 *   description), paged by `paging.next.after`.
 * - `POST /automation/v4/flows/batch/read` takes `{ inputs: [{ type: "FLOW_ID", flowId }] }` and
 *   answers `BatchResponseApiFlow` (full flows, with `description`).
 * - Every endpoint needs the `automation` scope (security: oauth2 [automation]).
 * The re-enrollment trigger "property value changed" is a `UNIFIED_EVENTS` branch with
 * `eventTypeId: "4-655002"` filtered on the event's `hs_name` (the property) and `hs_value`; the
 * spec gives the branch shape but not that event id, which is what HubSpot's editor saves (seen in
 * flows read back with `GET /automation/v4/flows/{id}` in public repositories).
 *
 * Actions: none. Sending a marketing email (`actionTypeId "0-4"`) needs the email's `content_id`
 * and enrolling in a sequence needs a sequence and a sender; neither exists before marketing
 * chooses them, and the spec allows an empty `actions` list. The admin adds the action.
 *
 * Idempotent: lists every flow first (paged) and creates only the missing ones. A flow is ours by
 * its name, or (renamed by an admin) by the marker in its description. A create that timed out is
 * checked by listing again before the one retry.
 */
import { z } from 'zod';
import { DIGITAL_TOUCH_TYPES, digitalTouchLabel, type DigitalTouchType } from '../core';
import type { DigitalTouchWorkflow, WorkflowInstallReport } from '../app/ports';
import type { HubSpotClient } from './client';
import { AuthError, UncertainWriteError } from './errors';
import { WORKLOAD_PROPERTIES } from './workload-properties';

/** The scope the flows API needs (HubSpot spec: oauth2 [automation]). */
export const WORKFLOWS_SCOPE = 'automation';
/** Companies. */
export const COMPANY_OBJECT_TYPE_ID = '0-2';
/** HubSpot's "property value changed" event (what the workflow editor saves for such a re-enrollment trigger). */
export const PROPERTY_CHANGED_EVENT_TYPE_ID = '4-655002';

const FLOWS = '/automation/v4/flows';
const PAGE = 100;
const BATCH_READ_MAX = 100;

/** The workflow name for a touch type, e.g. "Pooled CS · digital touch · Usage summary before renewal". */
export function digitalTouchWorkflowName(type: DigitalTouchType): string {
  return `Pooled CS · digital touch · ${digitalTouchLabel(type)}`;
}

/** The marker kept in the description: finds a workflow an admin renamed. */
export function digitalTouchWorkflowMarker(type: DigitalTouchType): string {
  return `[pooled-cs:digital-touch:${type}]`;
}

const propertyFilter = (property: string, operation: Record<string, unknown>) => ({ filterType: 'PROPERTY', property, operation });

/**
 * The `POST /automation/v4/flows` body for one touch type (see the file comment for the spec).
 * @example
 * digitalTouchFlowBody('usage_summary').isEnabled // false
 */
export function digitalTouchFlowBody(type: DigitalTouchType) {
  return {
    type: 'PLATFORM_FLOW' as const,
    objectTypeId: COMPANY_OBJECT_TYPE_ID,
    flowType: 'WORKFLOW' as const,
    isEnabled: false,
    name: digitalTouchWorkflowName(type),
    description:
      `Sends the "${digitalTouchLabel(type)}" digital touch the Customer Success app asks for on a company ` +
      `(${WORKLOAD_PROPERTIES.digitalTouch} = ${type}; re-enrolls each time ${WORKLOAD_PROPERTIES.digitalTouchAt} changes). ` +
      `Created turned off and without actions: add the marketing email (sent to the company's contacts) or the contact ` +
      `enrollment, then turn it on. ${digitalTouchWorkflowMarker(type)}`,
    actions: [],
    enrollmentCriteria: {
      type: 'LIST_BASED' as const,
      shouldReEnroll: true,
      unEnrollObjectsNotMeetingCriteria: false,
      listFilterBranch: {
        filterBranchType: 'OR',
        filterBranchOperator: 'OR',
        filters: [],
        filterBranches: [
          {
            filterBranchType: 'AND',
            filterBranchOperator: 'AND',
            filterBranches: [],
            filters: [
              propertyFilter(WORKLOAD_PROPERTIES.digitalTouch, { operationType: 'ENUMERATION', operator: 'IS_ANY_OF', values: [type], includeObjectsWithNoValueSet: false }),
              propertyFilter(WORKLOAD_PROPERTIES.digitalTouchAt, { operationType: 'ALL_PROPERTY', operator: 'IS_KNOWN', includeObjectsWithNoValueSet: false }),
            ],
          },
        ],
      },
      reEnrollmentTriggersFilterBranches: [
        {
          filterBranchType: 'UNIFIED_EVENTS',
          filterBranchOperator: 'AND',
          eventTypeId: PROPERTY_CHANGED_EVENT_TYPE_ID,
          operator: 'HAS_COMPLETED',
          filterBranches: [],
          filters: [
            propertyFilter('hs_name', { operationType: 'STRING', operator: 'IS_EQUAL_TO', value: WORKLOAD_PROPERTIES.digitalTouchAt, includeObjectsWithNoValueSet: false }),
            propertyFilter('hs_value', { operationType: 'ALL_PROPERTY', operator: 'IS_KNOWN', includeObjectsWithNoValueSet: false }),
          ],
        },
      ],
    },
    timeWindows: [],
    blockedDates: [],
    customProperties: {},
    dataSources: [],
  };
}

const listingSchema = z.object({
  results: z.array(z.looseObject({ id: z.string(), name: z.string().optional(), isEnabled: z.boolean(), objectTypeId: z.string() })),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});
type Listing = z.infer<typeof listingSchema>['results'][number];
const flowSchema = z.looseObject({ id: z.string(), name: z.string().optional(), isEnabled: z.boolean(), objectTypeId: z.string(), description: z.string().optional() });
const batchSchema = z.object({ results: z.array(flowSchema) });

async function listFlows(http: HubSpotClient): Promise<Listing[]> {
  const all: Listing[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await http.request({ method: 'GET', path: FLOWS, qs: { limit: String(PAGE), ...(after ? { after } : {}) }, kind: 'workflows', intent: 'read', schema: listingSchema });
    all.push(...page.data.results);
    const next = page.data.paging?.next?.after;
    if (!next || next === after) return all;
    after = next;
  }
}

/** Company flows that are ours by the description marker (renamed by an admin), read in batches. */
async function findByMarker(http: HubSpotClient, candidates: Listing[], wanted: readonly DigitalTouchType[]): Promise<Map<DigitalTouchType, DigitalTouchWorkflow>> {
  const found = new Map<DigitalTouchType, DigitalTouchWorkflow>();
  for (let i = 0; i < candidates.length && found.size < wanted.length; i += BATCH_READ_MAX) {
    const inputs = candidates.slice(i, i + BATCH_READ_MAX).map((f) => ({ type: 'FLOW_ID', flowId: f.id }));
    const res = await http.request({ method: 'POST', path: `${FLOWS}/batch/read`, body: { inputs }, kind: 'workflows', intent: 'read', schema: batchSchema });
    for (const flow of res.data.results) {
      const type = wanted.find((t) => !found.has(t) && (flow.description ?? '').includes(digitalTouchWorkflowMarker(t)));
      if (type) found.set(type, { touchType: type, flowId: flow.id, name: flow.name ?? '', isEnabled: flow.isEnabled });
    }
  }
  return found;
}

async function findExisting(http: HubSpotClient, types: readonly DigitalTouchType[]): Promise<Map<DigitalTouchType, DigitalTouchWorkflow>> {
  const flows = await listFlows(http);
  const found = new Map<DigitalTouchType, DigitalTouchWorkflow>();
  const claimed = new Set<string>();
  for (const type of types) {
    const f = flows.find((x) => x.objectTypeId === COMPANY_OBJECT_TYPE_ID && x.name === digitalTouchWorkflowName(type));
    if (f) {
      found.set(type, { touchType: type, flowId: f.id, name: f.name ?? '', isEnabled: f.isEnabled });
      claimed.add(f.id);
    }
  }
  const missing = types.filter((t) => !found.has(t));
  const candidates = flows.filter((f) => f.objectTypeId === COMPANY_OBJECT_TYPE_ID && !claimed.has(f.id));
  if (missing.length > 0 && candidates.length > 0) {
    for (const [t, w] of await findByMarker(http, candidates, missing)) found.set(t, w);
  }
  return found;
}

function scopeError(error: unknown): unknown {
  if (error instanceof AuthError && error.status === 403) {
    return new AuthError({
      status: 403,
      category: error.category,
      correlationId: error.correlationId,
      missingScopes: error.missingScopes.length > 0 ? error.missingScopes : [WORKFLOWS_SCOPE],
      message:
        `Creating the digital-touch workflows needs the "${WORKFLOWS_SCOPE}" scope, which this token lacks. ` +
        `Add "${WORKFLOWS_SCOPE}" to the app's scopes (the project built by \`npm run build\` has it; a private app made by hand: Scopes → Automation → automation), ` +
        `reinstall or rotate the token, then run setup --workflows again. (${error.message})`,
    });
  }
  return error;
}

async function createFlow(http: HubSpotClient, type: DigitalTouchType): Promise<DigitalTouchWorkflow> {
  const body = digitalTouchFlowBody(type);
  const send = async () => {
    const res = await http.request({ method: 'POST', path: FLOWS, body, kind: 'workflows', intent: 'create', schema: flowSchema });
    return { touchType: type, flowId: res.data.id, name: res.data.name ?? body.name, isEnabled: res.data.isEnabled };
  };
  try {
    return await send();
  } catch (error) {
    if (!(error instanceof UncertainWriteError)) throw error;
    // The create may have happened (or still be under way): wait, then look before the one retry.
    await http.settleUncertainWrite();
    const again = await findExisting(http, [type]);
    const there = again.get(type);
    if (there) return there;
    return await send();
  }
}

/** What the admin does next in HubSpot (also in the README). */
export const WORKFLOW_ADMIN_STEPS: readonly string[] = [
  'In HubSpot, open Automation → Workflows and find the "Pooled CS · digital touch · …" workflows (company-based, turned off).',
  'In each, add the action that delivers the touch: "Send email" with the marketing email for that touch (sent to the company\'s associated contacts; marketing keeps its templates and unsubscribe rules), or enroll the contacts in a contact-based workflow or sequence.',
  'Keep the trigger as created: "CS digital touch" (cs_digital_touch) is the type; companies re-enroll when "CS digital touch at" (cs_digital_touch_at) changes.',
  'Review and turn the workflow on. Touch types you do not use can stay off.',
];

/**
 * Creates the missing digital-touch workflows, turned off; idempotent.
 * @example
 * const r = await installDigitalTouchWorkflows(http); // second run: r.created = []
 */
export async function installDigitalTouchWorkflows(http: HubSpotClient, types: readonly DigitalTouchType[] = DIGITAL_TOUCH_TYPES): Promise<WorkflowInstallReport> {
  try {
    const existing = await findExisting(http, types);
    const created: DigitalTouchWorkflow[] = [];
    for (const type of types) {
      if (existing.has(type)) continue;
      created.push(await createFlow(http, type));
    }
    return { existing: types.flatMap((t) => existing.get(t) ?? []), created, scope: WORKFLOWS_SCOPE, adminSteps: [...WORKFLOW_ADMIN_STEPS] };
  } catch (error) {
    throw scopeError(error);
  }
}
