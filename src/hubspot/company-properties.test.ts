import { INPUT_PROPERTIES, SYSTEM_PROPERTIES, WRITTEN_PROPERTIES, companyPropertyNames, propertyLabel, resolveProperty } from './company-properties';
import { WORKLOAD_READ_PROPERTIES } from './workload-properties';

describe('companyPropertyNames', () => {
  test('the property map reads the portal property instead of ours', () => {
    expect(companyPropertyNames({ cs_acv: 'annualrevenue' })).toContain('annualrevenue');
    expect(companyPropertyNames({ cs_acv: 'annualrevenue' })).not.toContain('cs_acv');
    expect(resolveProperty('cs_acv', { cs_acv: 'annualrevenue' })).toBe('annualrevenue');
    expect(resolveProperty('cs_nps_score', { cs_acv: 'annualrevenue' })).toBe('cs_nps_score');
  });

  test('every input, written, system and workload property once', () => {
    const names = companyPropertyNames();
    expect(new Set(names).size).toBe(names.length);
    for (const n of [...Object.values(INPUT_PROPERTIES), ...Object.values(WRITTEN_PROPERTIES), ...Object.values(SYSTEM_PROPERTIES), ...WORKLOAD_READ_PROPERTIES]) expect(names).toContain(n);
  });
});

describe('propertyLabel', () => {
  test('our properties by their people name; a mapped portal property after the signal it feeds; others as they are', () => {
    expect(propertyLabel('cs_acv')).toBe('ACV');
    expect(propertyLabel('annualrevenue', { cs_acv: 'annualrevenue' })).toBe('ACV (annualrevenue)');
    expect(propertyLabel('annualrevenue')).toBe('annualrevenue');
  });
});
