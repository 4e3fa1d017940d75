import { SEARCH_FILTERS_MAX, SEARCH_GROUPS_MAX, companySearchFilters, companySearchGroups, companyViewUrl, companyViewUrlFor, packCompanyQueries } from './company-queries';

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

  it('turns a day range into GTE at UTC midnight and LTE at the last millisecond of the last day, on the mapped input property', () => {
    const day = Date.UTC(2026, 10, 23) / 86_400_000;
    expect(companySearchFilters({ dateBetween: { field: 'renewalDate', fromDay: day, toDay: day + 1 } }, { cs_renewal_date: 'contract_renewal' })).toEqual([
      { propertyName: 'contract_renewal', operator: 'GTE', value: String(Date.UTC(2026, 10, 23)) },
      { propertyName: 'contract_renewal', operator: 'LTE', value: String(Date.UTC(2026, 10, 25) - 1) },
    ]);
    // Our written properties are never mapped; unmapped inputs keep our name; HubSpot's own field stays HubSpot's.
    const names = (['segmentOverrideExpires', 'lastLoginDate', 'lastContactedAt', 'contractStartDate'] as const).map(
      (field) => companySearchFilters({ dateBetween: { field, fromDay: day, toDay: day } }, { cs_segment_override_expires: 'x' })[0]?.propertyName,
    );
    expect(names).toEqual(['cs_segment_override_expires', 'cs_last_login_date', 'notes_last_contacted', 'cs_contract_start_date']);
  });

  it('turns a score range into GTE/LTE on the stored health score, and the sync dates into their input properties', () => {
    expect(companySearchFilters({ scoreBetween: { min: 68, max: 71 } })).toEqual([
      { propertyName: 'cs_health_score', operator: 'GTE', value: '68' },
      { propertyName: 'cs_health_score', operator: 'LTE', value: '71' },
    ]);
    const names = (['usageUpdatedAt', 'npsDate'] as const).map((field) => companySearchFilters({ dateBetween: { field, fromDay: 1, toDay: 2 } })[0]?.propertyName);
    expect(names).toEqual(['cs_usage_updated_at', 'cs_nps_date']);
    expect(companySearchFilters({ dateBetween: { field: 'healthDropDue', fromDay: 0, toDay: 2 } })).toEqual([
      { propertyName: 'cs_health_drop_due', operator: 'GTE', value: '0' },
      { propertyName: 'cs_health_drop_due', operator: 'LTE', value: String(3 * 86_400_000 - 1) },
    ]);
    expect(companySearchFilters({ dateBetween: { field: 'riskCapEnds', fromDay: 1, toDay: 2 } })).toEqual([
      { propertyName: 'cs_risk_cap_ends', operator: 'GTE', value: String(86_400_000) },
      { propertyName: 'cs_risk_cap_ends', operator: 'LTE', value: String(3 * 86_400_000 - 1) },
    ]);
    expect(companySearchFilters({ dateBetween: { field: 'cooldownEnds', fromDay: 1, toDay: 2 } }).map((f) => f.propertyName)).toEqual(['cs_cooldown_ends', 'cs_cooldown_ends']);
    expect(companySearchFilters({ dateBetween: { field: 'healthStaleDue', fromDay: 0, toDay: 2 } }).map((f) => f.propertyName)).toEqual(['cs_health_stale_due', 'cs_health_stale_due']);
  });

  it('turns segments, bands and held digital touches into IN and GTE on our properties (the urgent backlog and tomorrow\'s touches of an incremental run)', () => {
    expect(companySearchFilters({ hasBacklog: true, segments: ['named'], healthBands: ['at_risk'] })).toEqual([
      { propertyName: 'cs_backlog_since', operator: 'HAS_PROPERTY' },
      { propertyName: 'cs_segment', operator: 'IN', values: ['named'] },
      { propertyName: 'cs_health_band', operator: 'IN', values: ['at_risk'] },
    ]);
    expect(companySearchFilters({ hasDigitalWaiting: true })).toEqual([{ propertyName: 'cs_digital_waiting', operator: 'GTE', value: '1' }]);
    // The backlog by its top priority: near the cutoff (GTE), and the rest below it (LT).
    expect(companySearchFilters({ backlogPriorityAtLeast: 363 })).toEqual([{ propertyName: 'cs_backlog_priority', operator: 'GTE', value: '363' }]);
    expect(companySearchFilters({ hasBacklog: true, backlogPriorityBelow: 363 })).toEqual([
      { propertyName: 'cs_backlog_since', operator: 'HAS_PROPERTY' },
      { propertyName: 'cs_backlog_priority', operator: 'LT', value: '363' },
    ]);
    // The next follow-up day of a digital touch (a date property: midnight to the day's last ms).
    expect(companySearchFilters({ dateBetween: { field: 'digitalFollowUpDue', fromDay: 2, toDay: 3 } })).toEqual([
      { propertyName: 'cs_digital_follow_up_due', operator: 'GTE', value: String(2 * 86_400_000) },
      { propertyName: 'cs_digital_follow_up_due', operator: 'LTE', value: String(4 * 86_400_000 - 1) },
    ]);
  });

  it('turns an NPS bound into LTE on the NPS input (after the mapping), beside its answer dates', () => {
    expect(companySearchFilters({ dateBetween: { field: 'npsDate', fromDay: 1, toDay: 1 }, npsAtMost: 6 })).toEqual([
      { propertyName: 'cs_nps_date', operator: 'GTE', value: String(86_400_000) },
      { propertyName: 'cs_nps_date', operator: 'LTE', value: String(2 * 86_400_000 - 1) },
      { propertyName: 'cs_nps_score', operator: 'LTE', value: '6' },
    ]);
    expect(companySearchFilters({ npsAtMost: 0 }, { cs_nps_score: 'survey_nps' })).toEqual([{ propertyName: 'survey_nps', operator: 'LTE', value: '0' }]);
  });
});

describe('companySearchGroups and packCompanyQueries', () => {
  it('makes one filter group per alternative, each with the query\'s own filters', () => {
    expect(companySearchGroups({ hasOnboardingCsm: true, anyOf: [{ lifecycleStages: ['onboarding'] }, { scoreBetween: { min: 1, max: 2 } }] })).toEqual([
      [
        { propertyName: 'cs_onboarding_csm', operator: 'HAS_PROPERTY' },
        { propertyName: 'cs_lifecycle_stage', operator: 'IN', values: ['onboarding'] },
      ],
      [
        { propertyName: 'cs_onboarding_csm', operator: 'HAS_PROPERTY' },
        { propertyName: 'cs_health_score', operator: 'GTE', value: '1' },
        { propertyName: 'cs_health_score', operator: 'LTE', value: '2' },
      ],
    ]);
    expect(companySearchGroups({})).toEqual([[]]);
  });

  it('packs alternatives into searches within HubSpot\'s limits (5 groups, 18 filters with the paging filter each), in order', () => {
    const alternatives = Array.from({ length: 13 }, (_, i) => ({ dateBetween: { field: 'renewalDate' as const, fromDay: i, toDay: i } }));
    const packed = packCompanyQueries(alternatives);
    for (const q of packed) {
      const groups = companySearchGroups(q);
      expect(groups.length).toBeLessThanOrEqual(SEARCH_GROUPS_MAX);
      expect(groups.reduce((n, g) => n + g.length + 1, 0)).toBeLessThanOrEqual(SEARCH_FILTERS_MAX);
    }
    expect(packed.flatMap((q) => q.anyOf ?? [])).toEqual(alternatives);
    expect(packed.length).toBe(3);
    expect(packCompanyQueries([])).toEqual([]);
  });
});
