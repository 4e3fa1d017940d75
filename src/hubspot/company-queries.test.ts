import { companySearchFilters, companyViewUrl, companyViewUrlFor } from './company-queries';

describe('companyViewUrl', () => {
  it('builds one URL shape, and none without a numeric portal id', () => {
    expect(companyViewUrl('123', { cs_segment: 'mid_pooled', cs_health_band: 'at_risk' })).toBe(
      'https://app.hubspot.com/contacts/123/objects/0-2/views/all/list?cs_segment=mid_pooled&cs_health_band=at_risk',
    );
    expect(companyViewUrl(null, { cs_segment: 'pooled' })).toBeNull();
    expect(companyViewUrl('12"><x', { cs_segment: 'pooled' })).toBeNull();
  });

  it('names our properties for a filter in domain words, in the filter order, on any app host', () => {
    expect(companyViewUrlFor('123', { segment: 'named', healthBand: 'watch' })).toBe(
      'https://app.hubspot.com/contacts/123/objects/0-2/views/all/list?cs_segment=named&cs_health_band=watch',
    );
    expect(companyViewUrlFor('9', { onboardingCsmId: '501' }, 'https://app-eu1.hubspot.com')).toBe('https://app-eu1.hubspot.com/contacts/9/objects/0-2/views/all/list?cs_onboarding_csm=501');
    expect(companyViewUrlFor('9', { graduationWeek: '2027-W06', lifecycleStage: 'onboarding' })).toBe(
      'https://app.hubspot.com/contacts/9/objects/0-2/views/all/list?cs_graduation_date=2027-W06&cs_lifecycle_stage=onboarding',
    );
    expect(companyViewUrlFor(undefined, { segment: 'pooled' })).toBeNull();
  });
});

describe('companySearchFilters', () => {
  it('is empty for every company and for modifiedSince alone (the paging search adds that one)', () => {
    expect(companySearchFilters({})).toEqual([]);
    expect(companySearchFilters({ modifiedSince: '2026-11-01T00:00:00.000Z' })).toEqual([]);
  });

  it('turns stages and the onboarding CSM into IN and HAS_PROPERTY on our properties', () => {
    expect(companySearchFilters({ lifecycleStages: ['onboarding', 'onboarding_overdue'], hasOnboardingCsm: true })).toEqual([
      { propertyName: 'cs_lifecycle_stage', operator: 'IN', values: ['onboarding', 'onboarding_overdue'] },
      { propertyName: 'cs_onboarding_csm', operator: 'HAS_PROPERTY' },
    ]);
  });

  it('turns a day range into GTE/LTE at UTC midnight, on the mapped input property', () => {
    const day = Date.UTC(2026, 10, 23) / 86_400_000;
    expect(companySearchFilters({ dateBetween: { field: 'renewalDate', fromDay: day, toDay: day + 1 } }, { cs_renewal_date: 'contract_renewal' })).toEqual([
      { propertyName: 'contract_renewal', operator: 'GTE', value: String(Date.UTC(2026, 10, 23)) },
      { propertyName: 'contract_renewal', operator: 'LTE', value: String(Date.UTC(2026, 10, 24)) },
    ]);
    // Our written properties are never mapped; unmapped inputs keep our name; HubSpot's own field stays HubSpot's.
    const names = (['segmentOverrideExpires', 'lastLoginDate', 'lastContactedAt', 'contractStartDate'] as const).map(
      (field) => companySearchFilters({ dateBetween: { field, fromDay: day, toDay: day } }, { cs_segment_override_expires: 'x' })[0]?.propertyName,
    );
    expect(names).toEqual(['cs_segment_override_expires', 'cs_last_login_date', 'notes_last_contacted', 'cs_contract_start_date']);
  });
});
