/**
 * HubSpot's published per-call limits, and the fewest calls that could have carried the work a
 * run did (the yardstick for "API calls vs. the minimum possible").
 */
import type { CallStats } from '../app/ports';

export const LIMITS = {
  searchPageSize: 200,
  searchCeiling: 10_000,
  batchSize: 100,
  associationBatchSize: 1000,
  perTenSeconds: 190,
  searchPerSecond: 5,
} as const;

/**
 * The minimum number of calls for the records a run moved: search results in pages of 200, batch
 * reads/updates/creates in 100s, association reads in 1,000s, other calls one each. It pools
 * records across calls of one kind, so it is a lower bound (a little under the true minimum).
 *
 * @example
 * minimumCalls({ items: { search: 2000, batchUpdate: 250 }, ... }) // 10 + 3 = 13
 */
export function minimumCalls(stats: Pick<CallStats, 'items'>): number {
  let min = 0;
  for (const [kind, n] of Object.entries(stats.items)) {
    if (n <= 0) continue;
    switch (kind) {
      case 'search':
        min += Math.ceil(n / LIMITS.searchPageSize);
        break;
      case 'associations':
        min += Math.ceil(n / LIMITS.associationBatchSize);
        break;
      case 'batchRead':
      case 'batchUpdate':
      case 'batchCreate':
        min += Math.ceil(n / LIMITS.batchSize);
        break;
      default:
        min += n;
    }
  }
  return min;
}

/**
 * Seconds the rate limits alone force on a run: with at most `perTenSeconds` requests in any
 * rolling 10 s, request k·L+1 cannot start before 10·k s (so the first L calls are free); the same
 * for searches at 5 per second. For large runs this is calls ÷ 19 per second at 190 / 10 s.
 *
 * @example
 * rateLimitFloorSeconds({ total: 1901, calls: {} }) // 100
 */
export function rateLimitFloorSeconds(stats: Pick<CallStats, 'total' | 'calls'>, perTenSeconds: number = LIMITS.perTenSeconds): number {
  const windows = (n: number, perWindow: number) => (n <= 0 ? 0 : Math.floor((n - 1) / perWindow));
  return Math.max(windows(stats.total, perTenSeconds) * 10, windows(stats.calls.search ?? 0, LIMITS.searchPerSecond));
}
