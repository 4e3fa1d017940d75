import fc from 'fast-check';
import { companyPropertyNames } from './company-properties';
import { parseCompany } from './company-parser';

describe('parseCompany', () => {
  test('parses HubSpot strings into domain values', () => {
    const { account, issues } = parseCompany({
      id: '101',
      properties: {
        name: 'Acme',
        cs_acv: '24999.5',
        cs_dedicated_csm_contract: 'true',
        cs_contract_start_date: '2026-09-01',
        cs_renewal_date: '1798761600000', // 2027-01-01 midnight UTC
        cs_licensed_seats: '50',
        cs_active_users: '12',
        cs_nps_score: '6',
        cs_nps_date: '2026-10-01T00:00:00Z',
        cs_usage_updated_at: '1763892000000',
        cs_required_skills: 'fintech;api; fintech',
        notes_last_contacted: '2026-10-20T08:30:00.000Z',
        hs_lastmodifieddate: '2026-11-20T10:00:00.000Z',
        cs_segment: 'pooled',
        cs_segment_override: 'named',
        cs_segment_override_reason: 'exec sponsor',
        cs_segment_override_expires: '2026-12-31',
        cs_health_score: '72',
        cs_health_band: 'healthy',
        cs_lifecycle_stage: 'onboarding',
        cs_onboarding_csm: '9001',
        cs_playbook_ledger: 'k1\nk2;k3',
      },
    });
    expect(issues).toEqual([]);
    expect(account).toMatchObject({
      id: '101',
      name: 'Acme',
      acv: 24999.5,
      dedicatedCsmContract: true,
      contractStartDate: '2026-09-01',
      renewalDate: '2027-01-01',
      licensedSeats: 50,
      activeUsers: 12,
      npsScore: 6,
      npsDate: '2026-10-01',
      usageUpdatedAt: '2025-11-23T10:00:00.000Z',
      requiredSkills: ['fintech', 'api'],
      lastContactedAt: '2026-10-20T08:30:00.000Z',
      segment: 'pooled',
      segmentOverride: { segment: 'named', reason: 'exec sponsor', expires: '2026-12-31' },
      healthScore: 72,
      healthBand: 'healthy',
      lifecycleStage: 'onboarding',
      onboardingCsmId: '9001',
      playbookLedger: ['k1', 'k2', 'k3'],
      openTickets: null,
      openCsTasks: null,
    });
  });

  test('case 9: malformed values become null plus an issue, never NaN', () => {
    const { account, issues } = parseCompany({
      id: '7',
      properties: {
        cs_acv: 'NaN',
        cs_licensed_seats: '-5',
        cs_active_users: '12,5',
        cs_usage_current_period: 'Infinity',
        cs_renewal_date: '2024-13-45',
        cs_contract_start_date: '2024-02-30',
        cs_nps_score: '11',
        cs_dedicated_csm_contract: 'maybe',
        cs_health_band: 'great',
        cs_segment: 'enterprise',
      },
    });
    expect(account.acv).toBeNull();
    expect(account.licensedSeats).toBeNull();
    expect(account.activeUsers).toBeNull();
    expect(account.usageCurrentPeriod).toBeNull();
    expect(account.renewalDate).toBeNull();
    expect(account.contractStartDate).toBeNull();
    expect(account.npsScore).toBeNull();
    expect(account.dedicatedCsmContract).toBeNull();
    expect(account.healthBand).toBeNull();
    expect(account.segment).toBeNull();
    expect(issues.map((i) => i.property).sort()).toEqual(
      ['cs_acv', 'cs_licensed_seats', 'cs_active_users', 'cs_usage_current_period', 'cs_renewal_date', 'cs_contract_start_date', 'cs_nps_score', 'cs_dedicated_csm_contract', 'cs_health_band', 'cs_segment'].sort(),
    );
    expect(issues.every((i) => i.recordId === '7' && i.message.length > 0)).toBe(true);
  });

  test('a present but bad value is named with its value, never read as missing; absurd magnitudes are rejected', () => {
    const cases: Array<[string, string, string]> = [
      ['cs_acv', '12,5k', "ACV unreadable: '12,5k'"],
      ['cs_acv', 'abc', "ACV unreadable: 'abc'"],
      ['cs_acv', '-5', 'ACV rejected: below 0: -5'],
      ['cs_acv', '1e12', 'ACV rejected: 1e12 is not below 1,000,000,000'],
      ['cs_acv', '1000000000', 'ACV rejected: 1000000000 is not below 1,000,000,000'],
      ['cs_licensed_seats', '-3', 'Licensed seats rejected: below 0: -3'],
      ['cs_renewal_date', '2024-13-45', "Renewal date unreadable: '2024-13-45'"],
    ];
    for (const [property, value, message] of cases) {
      const { account, issues } = parseCompany({ id: '9', properties: { [property]: value } });
      expect(issues).toEqual([{ recordId: '9', property, value, message }]);
      expect(account.acv).toBeNull();
    }
    expect(parseCompany({ id: '9', properties: { cs_acv: '999999999' } }).account.acv).toBe(999_999_999);
    // A mapped property is named after the signal it feeds; the bound follows the config.
    const mapped = parseCompany({ id: '9', properties: { annualrevenue: '12,5k' } }, { cs_acv: 'annualrevenue' });
    expect(mapped.issues[0]?.message).toBe("ACV (annualrevenue) unreadable: '12,5k'");
    expect(parseCompany({ id: '9', properties: { cs_acv: '600000' } }, {}, { acvBelow: 500_000 }).issues[0]?.message).toBe('ACV rejected: 600000 is not below 500,000');
  });

  test('case 10: missing and present-but-empty both mean unknown, with no issue', () => {
    const missing = parseCompany({ id: '1', properties: {} });
    const blank = parseCompany({ id: '1', properties: { cs_acv: '', cs_licensed_seats: '  ', cs_renewal_date: null, cs_health_score: '' } });
    expect(missing.issues).toEqual([]);
    expect(blank.issues).toEqual([]);
    for (const r of [missing, blank]) {
      expect(r.account.acv).toBeNull();
      expect(r.account.licensedSeats).toBeNull();
      expect(r.account.renewalDate).toBeNull();
      expect(r.account.healthScore).toBeNull();
    }
  });

  test('the property map reads the portal property instead', () => {
    const { account } = parseCompany({ id: '1', properties: { annualrevenue: '120000', cs_acv: '5' } }, { cs_acv: 'annualrevenue' });
    expect(account.acv).toBe(120000);
  });

  test('hostile values never throw and never yield NaN', () => {
    const names = companyPropertyNames();
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...names), fc.oneof(fc.string(), fc.constantFrom('NaN', '1e400', '-0', '0x10', ' 7 ', '2024-02-29', '9999999999999999'))), (properties) => {
        const { account } = parseCompany({ id: '1', properties });
        for (const v of Object.values(account)) if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
      }),
    );
  });
});

describe('parseCompany: dates outside 1900–2199 are bad values', () => {
  test('far years and out-of-range epochs are reported, not parsed', () => {
    const { account, issues } = parseCompany({ id: '1', properties: { cs_contract_start_date: '9999-12-31', cs_renewal_date: '253402214400000', cs_last_login_date: '1899-12-31' } });
    expect(account.contractStartDate).toBeNull();
    expect(account.renewalDate).toBeNull();
    expect(account.lastLoginDate).toBeNull();
    expect(issues.map((i) => i.property).sort()).toEqual(['cs_contract_start_date', 'cs_last_login_date', 'cs_renewal_date']);
  });
  test('the edges of the range are accepted', () => {
    const { account, issues } = parseCompany({ id: '1', properties: { cs_contract_start_date: '1900-01-01', cs_renewal_date: '2199-12-31' } });
    expect(issues).toEqual([]);
    expect(account.contractStartDate).toBe('1900-01-01');
    expect(account.renewalDate).toBe('2199-12-31');
  });
});

describe('recorded health drop', () => {
  test('read when both the score before and the day read; else none, and a bad value is reported', () => {
    expect(parseCompany({ id: '1', properties: { cs_health_drop_from: '80', cs_health_drop_on: '2026-11-21' } }).account.healthDrop).toEqual({ from: 80, on: '2026-11-21' });
    expect(parseCompany({ id: '1', properties: { cs_health_drop_from: '80' } }).account.healthDrop).toBeNull();
    expect(parseCompany({ id: '1', properties: {} }).account.healthDrop).toBeNull();
    const bad = parseCompany({ id: '1', properties: { cs_health_drop_from: '180', cs_health_drop_on: '2026-11-21' } });
    expect(bad.account.healthDrop).toBeNull();
    expect(bad.issues.map((i) => i.property)).toEqual(['cs_health_drop_from']);
    expect(companyPropertyNames({})).toEqual(expect.arrayContaining(['cs_health_drop_from', 'cs_health_drop_on']));
  });
});

describe('recorded health peak', () => {
  test('read when both the score and the day read; else none, and a bad value is reported', () => {
    expect(parseCompany({ id: '1', properties: { cs_health_peak: '94.5', cs_health_peak_on: '2026-11-23' } }).account.healthPeak).toEqual({ score: 94.5, on: '2026-11-23' });
    expect(parseCompany({ id: '1', properties: { cs_health_peak_on: '2026-11-23' } }).account.healthPeak).toBeNull();
    const bad = parseCompany({ id: '1', properties: { cs_health_peak: '94', cs_health_peak_on: 'yesterday' } });
    expect(bad.account.healthPeak).toBeNull();
    expect(bad.issues.map((i) => i.property)).toEqual(['cs_health_peak_on']);
    expect(companyPropertyNames({})).toEqual(expect.arrayContaining(['cs_health_peak', 'cs_health_peak_on', 'cs_health_drop_headroom']));
    expect(parseCompany({ id: '1', properties: { cs_health_drop_headroom: '-2.5' } }).account.healthDropHeadroom).toBe(-2.5);
    expect(parseCompany({ id: '1', properties: {} }).account.healthDropHeadroom).toBeNull();
    expect(parseCompany({ id: '1', properties: { cs_health_drop_due: '2026-12-09' } }).account.healthDropDue).toBe('2026-12-09');
    expect(companyPropertyNames({})).toContain('cs_health_drop_due');
    expect(parseCompany({ id: '1', properties: { cs_health_stale_due: '2026-12-16' } }).account.healthStaleDue).toBe('2026-12-16');
    expect(companyPropertyNames({})).toContain('cs_health_stale_due');
  });
});

describe('recorded ticket counts', () => {
  test('read as a record when the open count reads; the others default to 0', () => {
    expect(parseCompany({ id: '1', properties: { cs_open_tickets: '3', cs_open_tickets_high_priority: '1', cs_open_tickets_urgent: '1' } }).account.ticketCounts).toEqual({ open: 3, highPriority: 1, urgent: 1 });
    expect(parseCompany({ id: '1', properties: { cs_open_tickets: '0' } }).account.ticketCounts).toEqual({ open: 0, highPriority: 0, urgent: 0 });
  });

  test('never recorded, or unreadable: no record (the tickets are read), and a bad value is reported', () => {
    expect(parseCompany({ id: '1', properties: {} }).account.ticketCounts).toBeNull();
    const bad = parseCompany({ id: '1', properties: { cs_open_tickets: '-2' } });
    expect(bad.account.ticketCounts).toBeNull();
    expect(bad.issues.map((i) => i.property)).toEqual(['cs_open_tickets']);
  });

  test('the search reads them', () => {
    expect(companyPropertyNames({})).toEqual(expect.arrayContaining(['cs_open_tickets', 'cs_open_tickets_high_priority', 'cs_open_tickets_urgent']));
  });
});
