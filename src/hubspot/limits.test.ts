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
  test('190 per rolling 10 s: the first 190 calls are free, then 10 s per 190', () => {
    expect(rateLimitFloorSeconds({ total: 190, calls: {} })).toBe(0);
    expect(rateLimitFloorSeconds({ total: 191, calls: {} })).toBe(10);
    expect(rateLimitFloorSeconds({ total: 1901, calls: {} })).toBe(100);
  });
  test('search-heavy runs are bounded by 5 searches a second', () => {
    expect(rateLimitFloorSeconds({ total: 101, calls: { search: 101 } })).toBe(20);
  });
  test('a lower tier limit raises the floor', () => {
    expect(rateLimitFloorSeconds({ total: 1001, calls: {} }, 100)).toBe(100);
  });
  test('no calls, no floor', () => {
    expect(rateLimitFloorSeconds({ total: 0, calls: {} })).toBe(0);
  });
});
