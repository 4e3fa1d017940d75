/** Public surface of the HubSpot adapter. */
export { createHubSpotCrm, type HubSpotCrmOptions } from './crm';
export { createHubSpotClient, type HubSpotClient, type HubSpotClientOptions, type CallKind } from './client';
export { createPacer, maxInWindow, type Pacer, type PacerOptions } from './pacer';
export { createRetryPolicy, errorFromResponse, retryAfterMs, type RequestIntent, type RetryPolicy } from './retry-policy';
export { AuthError, DailyLimitError, HubSpotApiError, RateLimitError, UncertainWriteError, isRetryable, maskToken } from './errors';
export { INPUT_PROPERTIES, WRITTEN_PROPERTIES, SYSTEM_PROPERTIES, companyPropertyNames, resolveProperty, type PropertyMap } from './company-properties';
export { parseCompany } from './company-parser';
export { formatLedger, splitLedgerText } from './playbook-ledger';
export { companyUpdateFor, formatWrittenState } from './written-state';
export { companySearchFilters, companySearchGroups, packCompanyQueries, SEARCH_FILTERS_MAX, SEARCH_GROUPS_MAX, companyViewUrl, companyViewUrlFor, companyRecordUrl, HUBSPOT_APP_HOST, type SearchFilter } from './company-queries';
export { propertyMapFromConfig } from './property-map';
export { PROPERTY_GROUP, propertyDefinitions, type PropertyDefinition } from './properties';
export { installProperties, definitionChanges } from './installer';
export { createOwnersCache, createTtlCache, type OwnersCache, type TtlCache } from './owners';
export { keyFromBody, KEY_LINE_PREFIX } from './associations';
export { bodyWithKey, taskInput, TASK_TO_COMPANY_TYPE_ID } from './tasks';
export { encodeCursor, decodeCursor, SEARCH_CEILING } from './companies';
export { LIMITS, dayWorkCalls, honestMinimumCalls, minimumCalls, rateFloor, rateLimitFloorSeconds, type RateFloor, type SweepWork } from './limits';
export type * from '../app/ports';
export { WORKLOAD_PROPERTIES, ENGAGEMENT_PROPERTIES } from './workload-properties';
export {
  installDigitalTouchWorkflows,
  digitalTouchFlowBody,
  digitalTouchWorkflowName,
  digitalTouchWorkflowMarker,
  WORKFLOWS_SCOPE,
  COMPANY_OBJECT_TYPE_ID,
  PROPERTY_CHANGED_EVENT_TYPE_ID,
  WORKFLOW_ADMIN_STEPS,
} from './workflows';
