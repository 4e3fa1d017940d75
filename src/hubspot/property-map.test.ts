import { propertyMapFromConfig } from './property-map';

describe('propertyMapFromConfig', () => {
  it('accepts signal names or our property names', () => {
    expect(propertyMapFromConfig({ acv: 'annualrevenue', cs_renewal_date: 'renewal_date', usageUpdatedAt: 'product_synced_at' })).toEqual({
      cs_acv: 'annualrevenue',
      cs_renewal_date: 'renewal_date',
      cs_usage_updated_at: 'product_synced_at',
    });
  });
});
