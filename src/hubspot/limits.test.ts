import { dayWorkCalls, honestMinimumCalls, minimumCalls, rateFloor, rateLimitFloorSeconds, type SweepWork } from './limits';

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
  test('searches do not count toward the 10 s window (HubSpot exempts them), and both budgets are reported', () => {
    // 190 other calls fit the first window; the 100 searches only count against 5 per second.
    const f = rateFloor({ total: 290, calls: { search: 100 } });
    expect(f.tenSecond).toEqual({ calls: 190, perTenSeconds: 190, seconds: 0 });
    expect(f.search).toEqual({ calls: 100, perSecond: 5, seconds: 19 });
    expect(f.seconds).toBe(19);
    expect(rateFloor({ total: 600, calls: { search: 10 } }).seconds).toBe(30);
  });
  test('task searches are searches: the per-second budget, not the 10 s window (as the pacer paces them)', () => {
    const f = rateFloor({ total: 21, calls: { search: 10, taskSearch: 1 } });
    expect(f.search.calls).toBe(11);
    expect(f.tenSecond.calls).toBe(10);
    expect(f.seconds).toBe(2);
  });
  test('a lower tier limit raises the floor', () => {
    expect(rateLimitFloorSeconds({ total: 1001, calls: {} }, 100)).toBe(100);
  });
  test('no calls, no floor', () => {
    expect(rateLimitFloorSeconds({ total: 0, calls: {} })).toBe(0);
  });
});

describe('honestMinimumCalls', () => {
  const base: SweepWork = { companies: 0, prepass: 0, openTickets: null, ticketLinksRead: null, taskAssociations: 0, tasksRead: 0, writes: 0, creates: 0, single: 0 };
  test('counts every read the work needs at the per-call maxima', () => {
    expect(honestMinimumCalls({ ...base, companies: 26_000, openTickets: 10_900, taskAssociations: 20_000, writes: 26_000, creates: 26_000, single: 1 })).toBe(130 + 55 + 11 + 20 + 260 + 260 + 1 + 26);
  });
  test('tasks created need their companies\' primary contacts first: one association read per 1,000 companies', () => {
    expect(honestMinimumCalls({ ...base, creates: 1 })).toBe(1 + 1);
    expect(honestMinimumCalls({ ...base, creates: 2500, contactLinksRead: 1200 })).toBe(25 + 2);
    expect(honestMinimumCalls({ ...base, creates: 300, contactLinksRead: 0 })).toBe(3);
  });
  test('open tickets need a search page per 200 and a link read per 1,000', () => {
    expect(honestMinimumCalls({ ...base, openTickets: 201 })).toBe(2 + 1);
    expect(honestMinimumCalls({ ...base, openTickets: 0 })).toBe(0);
  });
  test('per-company ticket reads count their links and the linked tickets', () => {
    expect(honestMinimumCalls({ ...base, companies: 600, ticketLinksRead: { companies: 600, tickets: 701 } })).toBe(3 + 1 + 8);
  });
  test('tasks read are counted in 100s, task associations in 1,000s, the pre-pass in search pages', () => {
    expect(honestMinimumCalls({ ...base, prepass: 401, taskAssociations: 1001, tasksRead: 101 })).toBe(3 + 2 + 2);
  });
});

describe('dayWorkCalls', () => {
  const base: SweepWork = { companies: 0, prepass: 0, openTickets: null, ticketLinksRead: null, taskAssociations: 0, tasksRead: 0, writes: 0, creates: 0, single: 0 };
  test("the day's own writes (not score-only ones), creates and their contacts, the dispatch rewrites and the single calls; reads of any kind are not the day's work", () => {
    expect(dayWorkCalls({ ...base, companies: 26_000, openTickets: 10_900, taskAssociations: 4_678, tasksRead: 228, writes: 10_742, writesScoreOnly: 4_891, creates: 576, writes2: 422, single: 5 })).toBe(59 + 6 + 1 + 5 + 5);
    expect(dayWorkCalls({ ...base, writes: 300 })).toBe(3);
    expect(dayWorkCalls({ ...base, writes: 300, writesScoreOnly: 300 })).toBe(0);
    // Never below zero, whatever a caller passes.
    expect(dayWorkCalls({ ...base, writes: 10, writesScoreOnly: 50 })).toBe(0);
  });
  test('is at most the honest minimum of the same work', () => {
    const w: SweepWork = { ...base, companies: 4_000, writes: 2_000, writesScoreOnly: 500, creates: 300, writes2: 250, single: 3 };
    expect(dayWorkCalls(w)).toBeLessThanOrEqual(honestMinimumCalls(w));
  });
});
