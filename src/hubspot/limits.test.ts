import { minimumCalls, rateLimitFloorSeconds } from './limits';

describe('minimumCalls', () => {
  test('pages search results by 200, batches by 100, associations by 1,000, others one each', () => {
    expect(minimumCalls({ items: { search: 25_000, batchUpdate: 250, batchCreate: 1, associations: 2500, batchRead: 100, owners: 2 } })).toBe(125 + 3 + 1 + 3 + 1 + 2);
  });
  test('nothing moved → zero', () => {
    expect(minimumCalls({ items: {} })).toBe(0);
    expect(minimumCalls({ items: { search: 0 } })).toBe(0);
  });
});

describe('rateLimitFloorSeconds', () => {
  test('190 per 10 s is 19 calls a second', () => {
    expect(rateLimitFloorSeconds({ total: 1900, calls: {} })).toBe(100);
  });
  test('search-heavy runs are bounded by 5 searches a second', () => {
    expect(rateLimitFloorSeconds({ total: 100, calls: { search: 100 } })).toBe(20);
  });
  test('a lower tier limit raises the floor', () => {
    expect(rateLimitFloorSeconds({ total: 1000, calls: {} }, 100)).toBe(100);
  });
});
