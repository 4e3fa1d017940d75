/**
 * HubSpot's published per-call limits, and the fewest calls that could have carried the work a
 * run did (the yardstick for "API calls vs. the minimum possible").
 */
import type { CallStats } from '../app/ports';

export const LIMITS = {
  searchPageSize: 200,
  searchCeiling: 10_000,
  batchSize: 100,
  /**
   * Batch reads with `propertiesWithHistory` take at most 50 inputs ("The maximum number of inputs
   * supported in a batch request for property histories is 50", HubSpot's VALIDATION_ERROR, see
   * https://github.com/activepieces/activepieces/pull/9359).
   */
  historyBatchSize: 50,
  associationBatchSize: 1000,
  perTenSeconds: 190,
  searchPerSecond: 5,
  /**
   * Requests one client keeps in flight at once (19 calls/s at 300 ms each need 6; a unit's 10–50
   * batch writes go out in one round trip instead of several, with room left for the searches and
   * the day's creates; the pacer keeps the rate).
   */
  maxInFlight: 32,
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
      case 'historyRead':
        min += Math.ceil(n / LIMITS.historyBatchSize);
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
 * What a sweep's work needs from HubSpot, independent of how a run chose to read it (the "honest
 * minimum" of issue 17): every company the run must evaluate, the portfolio's open tickets and
 * their company links, the task associations and tasks of companies that get a task, the changed
 * writes and the creates, and the few single calls (owners, the onboarding-load pre-pass).
 */
export interface SweepWork {
  /** Companies the run must read (search results). */
  companies: number;
  /** Companies read by the onboarding-load pre-pass (search results). */
  prepass: number;
  /**
   * Open tickets of the portfolio (read by search, then their company links: tickets → companies,
   * 1,000 per call). Null when the run read tickets per company instead (incremental runs).
   */
  openTickets: number | null;
  /** Per-company ticket reads (incremental runs): companies whose ticket links were read, and tickets linked. */
  ticketLinksRead: { companies: number; tickets: number } | null;
  /**
   * An incremental run's ticket delta: tickets created or changed since the last complete run
   * (search, 200 per page; then their company links, 1,000 per call). Absent = not asked.
   */
  ticketChanges?: { tickets: number; companiesRead?: number } | null;
  /** Companies with a planned task (their task associations must be read, 1,000 per call). */
  taskAssociations: number;
  /** Tasks linked to those companies (batch read, 100 per call: open or not is known only after reading). */
  tasksRead: number;
  /** Companies whose properties changed (batch update, 100 per call). */
  writes: number;
  /**
   * Of `writes`, those whose only change is the score's digits (score, summary, coverage): what time
   * alone moves each day; absent = unknown (0).
   */
  writesScoreOnly?: number;
  /** Tasks created (batch create, 100 per call). */
  creates: number;
  /** Companies whose usage / NPS value history was read (no sync date; 50 per batch read with history). */
  historyRead?: number;
  /** Single calls (owners list, the pool's open-task search, the tickets-linked probe). */
  single: number;
  /**
   * Companies whose primary contacts were read before their tasks were created (v4 associations,
   * 1,000 per call); absent = `creates` (a run creates about one task per company, so the two agree).
   */
  contactLinksRead?: number;
  /** The load pre-pass search ran (a fresh run): at least one call even when it finds nothing. */
  prepassRan?: boolean;
  /** Companies the day's dispatch rewrote (ledger and backlog) after creating their tasks (100 per call). */
  writes2?: number;
  /** Companies the dispatch read by id (written by an earlier call; 100 per call). */
  reads2?: number;
}

/**
 * The fewest calls that could carry a run's work at HubSpot's per-call maxima, each kind pooled
 * over the whole run (so it is a lower bound):
 *
 *   ⌈companies / 200⌉ + ⌈prepass / 200⌉ + ⌈open tickets / 200⌉ + ⌈open tickets / 1,000⌉
 *   + ⌈companies with a task / 1,000⌉ + ⌈their tasks / 100⌉ + ⌈changed / 100⌉ + ⌈creates / 100⌉
 *   + ⌈history reads / 50⌉ + ⌈dispatch rewrites / 100⌉ + ⌈dispatch reads by id / 100⌉ + single calls
 *   + ⌈companies given a task / 1,000⌉ (their primary contacts, read before the create)
 *
 * (per-company ticket reads, when used, count ⌈companies / 1,000⌉ + ⌈linked tickets / 100⌉ instead
 * of the two open-ticket terms; an incremental run adds its ticket delta, ⌈changed tickets / 200⌉
 * (at least 1) + ⌈changed tickets / 1,000⌉, and reads per company only those companies whose
 * tickets changed or were never counted).
 *
 * @example
 * honestMinimumCalls({ companies: 26_000, prepass: 0, openTickets: 10_900, ticketLinksRead: null, taskAssociations: 20_000, tasksRead: 0, writes: 26_000, creates: 26_000, single: 1 })
 * // 130 + 55 + 11 + 20 + 0 + 260 + 260 + 1 + 26 (contacts of the companies given a task) = 763
 */
export function honestMinimumCalls(work: SweepWork): number {
  const up = (n: number, per: number) => (n > 0 ? Math.ceil(n / per) : 0);
  let min = up(work.companies, LIMITS.searchPageSize) + (work.prepassRan ? Math.max(1, up(work.prepass, LIMITS.searchPageSize)) : up(work.prepass, LIMITS.searchPageSize));
  if (work.openTickets !== null) min += up(work.openTickets, LIMITS.searchPageSize) + up(work.openTickets, LIMITS.associationBatchSize);
  if (work.ticketLinksRead !== null) min += up(work.ticketLinksRead.companies, LIMITS.associationBatchSize) + up(work.ticketLinksRead.tickets, LIMITS.batchSize);
  // The ticket delta: at least the one search that finds nothing.
  // Companies it brings in that nothing else did are read by id (100 per call).
  if (work.ticketChanges) min += Math.max(1, up(work.ticketChanges.tickets, LIMITS.searchPageSize)) + up(work.ticketChanges.tickets, LIMITS.associationBatchSize) + up(work.ticketChanges.companiesRead ?? 0, LIMITS.batchSize);
  min += up(work.taskAssociations, LIMITS.associationBatchSize) + up(work.tasksRead, LIMITS.batchSize);
  min += up(work.writes, LIMITS.batchSize) + up(work.creates, LIMITS.batchSize) + up(work.historyRead ?? 0, LIMITS.historyBatchSize) + work.single;
  // Tasks are linked to their company's primary contacts: one association read per 1,000 companies.
  min += up(work.contactLinksRead ?? work.creates, LIMITS.associationBatchSize);
  min += up(work.writes2 ?? 0, LIMITS.batchSize) + up(work.reads2 ?? 0, LIMITS.batchSize);
  return min;
}

/**
 * The fewest calls the day's own work takes, however a run finds the companies: the writes that
 * carry a band, stage, task, touch, backlog or ticket count (every write but score-only ones), the
 * creates and their contacts read, the dispatch's ledger rewrites and the single calls. A run that
 * does the same day's work (an incremental one included) cannot spend less.
 *
 *   ⌈(writes − score-only writes) / 100⌉ + ⌈creates / 100⌉ + ⌈creates / 1,000⌉ + ⌈dispatch rewrites / 100⌉ + single calls
 *
 * @example
 * dayWorkCalls({ companies: 26_000, prepass: 0, openTickets: 0, ticketLinksRead: null, taskAssociations: 0, tasksRead: 0, writes: 10_742, writesScoreOnly: 4_891, creates: 576, writes2: 422, single: 5 })
 * // 59 + 6 + 1 + 5 + 5 = 76
 */
export function dayWorkCalls(work: SweepWork): number {
  const up = (n: number, per: number) => (n > 0 ? Math.ceil(n / per) : 0);
  const required = Math.max(0, work.writes - (work.writesScoreOnly ?? 0));
  return up(required, LIMITS.batchSize) + up(work.creates, LIMITS.batchSize) + up(work.contactLinksRead ?? work.creates, LIMITS.associationBatchSize) + up(work.writes2 ?? 0, LIMITS.batchSize) + work.single;
}

/** The two budgets a run must respect, and what each alone forces. */
export interface RateFloor {
  /** Seconds the rate limits alone force (the larger of the two below). */
  seconds: number;
  /** Calls counted in the rolling 10 s window (every call but search), and the seconds they force. */
  tenSecond: { calls: number; perTenSeconds: number; seconds: number };
  /** Search calls (their own per-second limit), and the seconds they force. */
  search: { calls: number; perSecond: number; seconds: number };
}

/**
 * The rate-limit floor by HubSpot's rule (the same the pacer and the local server follow): search
 * requests have their own limit (5 per second) and do not count toward the rolling 10 s window
 * (HubSpot's public API spec marks the CRM search operations
 * `x-hubspot-rate-limit-exemptions: ["ten-secondly"]`,
 * https://github.com/HubSpot/HubSpot-public-api-spec-collection, CRM objects search); every other
 * call counts there. Request k·L+1 of a window cannot start before k windows have passed (the
 * first L are free).
 *
 * @example
 * rateFloor({ total: 1901, calls: {} }).seconds // 100
 */
export function rateFloor(stats: Pick<CallStats, 'total' | 'calls'>, perTenSeconds: number = LIMITS.perTenSeconds, searchPerSecond: number = LIMITS.searchPerSecond): RateFloor {
  const windows = (n: number, perWindow: number) => (n <= 0 ? 0 : Math.floor((n - 1) / perWindow));
  // Task searches (the pool's loads) are searches at HubSpot too: the pacer paces them so.
  const searches = (stats.calls.search ?? 0) + (stats.calls.taskSearch ?? 0);
  const others = Math.max(0, stats.total - searches);
  const tenSecond = { calls: others, perTenSeconds, seconds: windows(others, perTenSeconds) * 10 };
  const search = { calls: searches, perSecond: searchPerSecond, seconds: windows(searches, searchPerSecond) };
  return { seconds: Math.max(tenSecond.seconds, search.seconds), tenSecond, search };
}

/**
 * Seconds the rate limits alone force on a run (see `rateFloor`). For large runs this is
 * non-search calls ÷ 19 per second at 190 / 10 s, or searches ÷ 5 per second, whichever is larger.
 *
 * @example
 * rateLimitFloorSeconds({ total: 1901, calls: {} }) // 100
 */
export function rateLimitFloorSeconds(stats: Pick<CallStats, 'total' | 'calls'>, perTenSeconds: number = LIMITS.perTenSeconds): number {
  return rateFloor(stats, perTenSeconds).seconds;
}
