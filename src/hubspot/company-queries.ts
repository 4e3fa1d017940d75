/**
 * The application's company queries and view links (`src/app/ports`, in domain words) as HubSpot
 * search filters and company-index URLs: the one place that knows which property and operator a
 * query means.
 *
 * Search filters: https://developers.hubspot.com/docs/api-reference/search/guide (operators `IN`,
 * `HAS_PROPERTY`, `GTE`, `LTE`; date properties compare as epoch milliseconds at UTC midnight).
 */
import type { CompanyDateField, CompanyQuery, CompanyViewFilter } from '../app/ports';
import { INPUT_PROPERTIES, WRITTEN_PROPERTIES, resolveProperty, type PropertyMap } from './company-mapping';

/** One filter of a HubSpot CRM search. */
export interface SearchFilter {
  propertyName: string;
  operator: 'EQ' | 'NEQ' | 'GT' | 'GTE' | 'LT' | 'LTE' | 'IN' | 'HAS_PROPERTY' | 'NOT_HAS_PROPERTY';
  value?: string;
  values?: string[];
}

const MS_PER_DAY = 86_400_000;

/** The property a date field is stored in (inputs after the config's mapping; our written properties as they are). */
function dateProperty(field: CompanyDateField, propertyMap: PropertyMap): string {
  return field === 'segmentOverrideExpires' ? WRITTEN_PROPERTIES.segmentOverrideExpires : resolveProperty(INPUT_PROPERTIES[field], propertyMap);
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
    filters.push({ propertyName, operator: 'GTE', value: String(fromDay * MS_PER_DAY) }, { propertyName, operator: 'LTE', value: String(toDay * MS_PER_DAY) });
  }
  return filters;
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
