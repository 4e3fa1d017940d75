/**
 * The application's company queries and view links (`src/app/ports`, in domain words) as HubSpot
 * search filters and company-index URLs: the one place that knows which property and operator a
 * query means.
 *
 * Search filters: https://developers.hubspot.com/docs/api-reference/search/guide (operators `IN`,
 * `HAS_PROPERTY`, `GTE`, `LT`, `LTE`; date properties compare as epoch milliseconds at UTC midnight).
 */
import { WORKLOAD_PROPERTIES } from './workload-properties';
import type { CompanyDateField, CompanyQuery, CompanyViewFilter } from '../app/ports';
import { INPUT_PROPERTIES, WRITTEN_PROPERTIES, resolveProperty, type PropertyMap } from './company-properties';

/** One filter of a HubSpot CRM search. */
export interface SearchFilter {
  propertyName: string;
  operator: 'EQ' | 'NEQ' | 'GT' | 'GTE' | 'LT' | 'LTE' | 'IN' | 'NOT_IN' | 'HAS_PROPERTY' | 'NOT_HAS_PROPERTY';
  value?: string;
  values?: string[];
}

const MS_PER_DAY = 86_400_000;

/** The property a date field is stored in (inputs after the config's mapping; our written properties as they are). */
function dateProperty(field: CompanyDateField, propertyMap: PropertyMap): string {
  if (field === 'segmentOverrideExpires') return WRITTEN_PROPERTIES.segmentOverrideExpires;
  if (field === 'digitalTouchAt') return WORKLOAD_PROPERTIES.digitalTouchAt;
  if (field === 'digitalFollowUpDue') return WORKLOAD_PROPERTIES.digitalFollowUpDue;
  if (field === 'healthDropDue') return WRITTEN_PROPERTIES.healthDropDue;
  if (field === 'healthStaleDue') return WRITTEN_PROPERTIES.healthStaleDue;
  if (field === 'riskCapEnds') return WORKLOAD_PROPERTIES.riskCapEnds;
  if (field === 'cooldownEnds') return WORKLOAD_PROPERTIES.cooldownEnds;
  return resolveProperty(INPUT_PROPERTIES[field], propertyMap);
}

/**
 * The search filters of a query, except `modifiedSince` (the paging search adds it beside its own
 * `hs_object_id` floor).
 *
 * @example
 * companySearchFilters({ lifecycleStages: ['onboarding'], hasOnboardingCsm: true })
 * // [{ propertyName: 'cs_lifecycle_stage', operator: 'IN', values: ['onboarding'] },
 * //  { propertyName: 'cs_onboarding_csm', operator: 'HAS_PROPERTY' }]
 */
export function companySearchFilters(query: CompanyQuery, propertyMap: PropertyMap = {}): SearchFilter[] {
  const filters: SearchFilter[] = [];
  if (query.lifecycleStages) filters.push({ propertyName: WRITTEN_PROPERTIES.lifecycleStage, operator: 'IN', values: [...query.lifecycleStages] });
  if (query.hasOnboardingCsm) filters.push({ propertyName: WRITTEN_PROPERTIES.onboardingCsmId, operator: 'HAS_PROPERTY' });
  if (query.dateBetween) {
    const { field, fromDay, toDay } = query.dateBetween;
    const propertyName = dateProperty(field, propertyMap);
    // Up to the last millisecond of `toDay`, so a date-time property (e.g. notes_last_contacted at
    // 14:00) on the last day is in (a date property is at midnight).
    filters.push({ propertyName, operator: 'GTE', value: String(fromDay * MS_PER_DAY) }, { propertyName, operator: 'LTE', value: String((toDay + 1) * MS_PER_DAY - 1) });
  }
  if (query.npsAtMost !== undefined) filters.push({ propertyName: resolveProperty(INPUT_PROPERTIES.npsScore, propertyMap), operator: 'LTE', value: String(query.npsAtMost) });
  if (query.scoreBetween) {
    const { min, max } = query.scoreBetween;
    filters.push({ propertyName: WRITTEN_PROPERTIES.healthScore, operator: 'GTE', value: String(min) }, { propertyName: WRITTEN_PROPERTIES.healthScore, operator: 'LTE', value: String(max) });
  }
  if (query.hasBacklog) filters.push({ propertyName: WORKLOAD_PROPERTIES.backlogSince, operator: 'HAS_PROPERTY' });
  if (query.backlogPriorityAtLeast !== undefined) filters.push({ propertyName: WORKLOAD_PROPERTIES.backlogPriority, operator: 'GTE', value: String(query.backlogPriorityAtLeast) });
  if (query.backlogPriorityBelow !== undefined) filters.push({ propertyName: WORKLOAD_PROPERTIES.backlogPriority, operator: 'LT', value: String(query.backlogPriorityBelow) });
  if (query.segments) filters.push({ propertyName: WRITTEN_PROPERTIES.segment, operator: 'IN', values: [...query.segments] });
  if (query.healthBands) filters.push({ propertyName: WRITTEN_PROPERTIES.healthBand, operator: 'IN', values: [...query.healthBands] });
  if (query.hasDigitalWaiting) filters.push({ propertyName: WORKLOAD_PROPERTIES.digitalWaiting, operator: 'GTE', value: '1' });
  return filters;
}

/**
 * The filter groups (ORed) of one search for a query, except `modifiedSince`: one group of the
 * query's own filters, or with `anyOf` one group per alternative (the query's filters plus the
 * alternative's).
 *
 * @example
 * companySearchGroups({ anyOf: [{ lifecycleStages: ['onboarding'] }, { scoreBetween: { min: 68, max: 71 } }] })
 * // [[{ propertyName: 'cs_lifecycle_stage', operator: 'IN', values: ['onboarding'] }],
 * //  [{ propertyName: 'cs_health_score', operator: 'GTE', value: '68' }, { propertyName: 'cs_health_score', operator: 'LTE', value: '71' }]]
 */
export function companySearchGroups(query: CompanyQuery, propertyMap: PropertyMap = {}): SearchFilter[][] {
  const base = companySearchFilters(query, propertyMap);
  if (!query.anyOf || query.anyOf.length === 0) return [base];
  return query.anyOf.map((alternative) => [...base, ...companySearchGroups(alternative, propertyMap).flat()]);
}

/** HubSpot's limits per search (https://developers.hubspot.com/docs/api/crm/search): filter groups, and filters in all. */
export const SEARCH_GROUPS_MAX = 5;
export const SEARCH_FILTERS_MAX = 18;

/**
 * Alternatives (companies matching any of them) packed into as few searches as HubSpot's limits
 * allow: each query's `anyOf` has at most 5 groups and 18 filters in all, counting the paging floor
 * filter (`hs_object_id GT …`) every group also carries. A dozen triggers cost a few searches, not
 * one each.
 *
 * @example
 * packCompanyQueries([{ lifecycleStages: ['onboarding'] }, { dateBetween: { field: 'renewalDate', fromDay: 1, toDay: 2 } }])
 * // [{ anyOf: [{ lifecycleStages: ['onboarding'] }, { dateBetween: { field: 'renewalDate', fromDay: 1, toDay: 2 } }] }]
 */
export function packCompanyQueries(alternatives: readonly CompanyQuery[]): CompanyQuery[] {
  const queries: CompanyQuery[] = [];
  let groups: CompanyQuery[] = [];
  let filters = 0;
  for (const alternative of alternatives) {
    const size = companySearchFilters(alternative).length + 1;
    if (groups.length === SEARCH_GROUPS_MAX || filters + size > SEARCH_FILTERS_MAX) {
      queries.push({ anyOf: groups });
      groups = [];
      filters = 0;
    }
    groups.push(alternative);
    filters += size;
  }
  if (groups.length > 0) queries.push({ anyOf: groups });
  return queries;
}

/** HubSpot's app host (company-index links). */
export const HUBSPOT_APP_HOST = 'https://app.hubspot.com';

/**
 * The one place that builds HubSpot company-view URLs: the companies index filtered on properties.
 *
 * @example
 * companyViewUrl('123', { cs_segment: 'pooled' }) // 'https://app.hubspot.com/contacts/123/objects/0-2/views/all/list?cs_segment=pooled'
 */
export function companyViewUrl(portalId: string | null | undefined, filters: Record<string, string>, appHost = HUBSPOT_APP_HOST): string | null {
  if (!portalId || !/^[0-9]{1,20}$/.test(portalId)) return null;
  const q = new URLSearchParams(filters).toString();
  return `${appHost}/contacts/${portalId}/objects/0-2/views/all/list?${q}`;
}

/**
 * A company's record page in HubSpot (object type 0-2 = companies).
 *
 * @example
 * companyRecordUrl('123', '42') // 'https://app.hubspot.com/contacts/123/record/0-2/42'
 */
export function companyRecordUrl(portalId: string | null | undefined, companyId: string, appHost = HUBSPOT_APP_HOST): string | null {
  if (!portalId || !/^[0-9]{1,20}$/.test(portalId) || !/^[0-9]{1,20}$/.test(companyId)) return null;
  return `${appHost}/contacts/${portalId}/record/0-2/${companyId}`;
}

const VIEW_PROPERTY: Record<keyof CompanyViewFilter, string> = {
  segment: WRITTEN_PROPERTIES.segment,
  healthBand: WRITTEN_PROPERTIES.healthBand,
  lifecycleStage: WRITTEN_PROPERTIES.lifecycleStage,
  onboardingCsmId: WRITTEN_PROPERTIES.onboardingCsmId,
  graduationWeek: WRITTEN_PROPERTIES.graduationDate,
};

/**
 * A company-view URL for a filter in domain words (properties in the filter's key order).
 *
 * @example
 * companyViewUrlFor('123', { segment: 'pooled', healthBand: 'at_risk' })
 * // 'https://app.hubspot.com/contacts/123/objects/0-2/views/all/list?cs_segment=pooled&cs_health_band=at_risk'
 */
export function companyViewUrlFor(portalId: string | null | undefined, filter: CompanyViewFilter, appHost = HUBSPOT_APP_HOST): string | null {
  const filters: Record<string, string> = {};
  for (const [key, value] of Object.entries(filter) as Array<[keyof CompanyViewFilter, string | undefined]>) {
    if (value !== undefined) filters[VIEW_PROPERTY[key]] = value;
  }
  return companyViewUrl(portalId, filters, appHost);
}
