/**
 * Client-side pacer: keeps one CrmPort under HubSpot's burst limit (N requests per rolling 10 s)
 * and search under its per-second limit. Shared by every call of one CrmPort, so concurrent
 * callers never add up past the limit. Uses an injected clock, so tests never wait for real.
 */

import { systemClock, type SleepingClock } from '../platform/clock';

export interface PacerOptions {
  /** Max requests in any rolling 10 s window (HubSpot: 190 for Pro/Enterprise private apps, 100 Free/Starter). */
  perTenSeconds?: number;
  /** HubSpot's search limit per second (5); the pacer keeps every rolling second (plus a margin) at or below it. */
  searchPerSecond?: number;
  /** Added to the 1 s search window, ms (default 50): room for a request that reaches HubSpot a little late. */
  searchMarginMs?: number;
  clock?: SleepingClock;
}

export interface Pacer {
  /** Waits until a request of this kind may be sent, records it, and returns the ms waited. */
  acquire(kind: 'search' | 'other'): Promise<number>;
  /** Send times of the requests counted in the 10 s window (every kind but search), for tests and stats. */
  sentAt(): readonly number[];
  /** Send times of search requests (their own per-second limit). */
  searchSentAt(): readonly number[];
}

const WINDOW_MS = 10_000;

/**
 * Creates a pacer, following HubSpot's rule (the same the local CRM server and the floor follow):
 * every request but search counts in the 10 s window; search requests do not (HubSpot's public API
 * spec marks the CRM search operations `x-hubspot-rate-limit-exemptions: ["ten-secondly"]`,
 * https://github.com/HubSpot/HubSpot-public-api-spec-collection) and instead at most
 * `searchPerSecond` of them go out in any rolling `1 s + searchMarginMs` (5 per 1.05 s by default),
 * at least 100 ms apart, so no 1 s window at HubSpot holds more than 5 even when one arrives a
 * little late.
 *
 * @example
 * const pacer = createPacer({ perTenSeconds: 190, clock });
 * await pacer.acquire('other'); // returns 0 while under the limit
 */
export function createPacer(options: PacerOptions = {}): Pacer {
  const limit = Math.max(1, Math.floor(options.perTenSeconds ?? 190));
  const searchPerSecond = Math.max(1, Math.floor(options.searchPerSecond ?? 5));
  const searchWindow = 1000 + Math.max(0, options.searchMarginMs ?? 50);
  // Searches are also spread (half their even spacing apart), so a burst that arrives unevenly at
  // HubSpot does not land six in one second.
  const searchSpacing = Math.floor(1000 / searchPerSecond / 2);
  const clock = options.clock ?? systemClock;
  /** Send times of the last `limit` requests (ring, oldest first). */
  const recent: number[] = [];
  const all: number[] = [];
  const searches: number[] = [];
  let queue: Promise<unknown> = Promise.resolve();

  const take = async (kind: 'search' | 'other'): Promise<number> => {
    let waited = 0;
    for (;;) {
      const now = clock.now();
      let readyAt = now;
      if (kind === 'other' && recent.length >= limit) {
        const oldest = recent[recent.length - limit] ?? now;
        // The window (t - 10 s, t] must hold fewer than `limit` earlier sends.
        readyAt = Math.max(readyAt, oldest + WINDOW_MS);
      }
      if (kind === 'search' && searches.length > 0) readyAt = Math.max(readyAt, (searches[searches.length - 1] ?? now) + searchSpacing);
      if (kind === 'search' && searches.length >= searchPerSecond) {
        readyAt = Math.max(readyAt, (searches[searches.length - searchPerSecond] ?? now) + searchWindow);
      }
      if (readyAt <= now) {
        if (kind === 'search') {
          searches.push(now);
          if (searches.length > 100_000) searches.splice(0, searches.length - 100_000);
          return waited;
        }
        recent.push(now);
        if (recent.length > limit) recent.splice(0, recent.length - limit);
        all.push(now);
        if (all.length > 100_000) all.splice(0, all.length - 100_000);
        return waited;
      }
      const ms = readyAt - now;
      waited += ms;
      await clock.sleep(ms);
    }
  };

  return {
    acquire(kind) {
      // Serialise acquisitions so two concurrent callers never take the same slot.
      const result = queue.then(() => take(kind));
      queue = result.catch(() => undefined);
      return result;
    },
    sentAt: () => all,
    searchSentAt: () => searches,
  };
}

/**
 * The largest number of sends inside any window of `windowMs` (for tests and the benchmark).
 *
 * @example
 * maxInWindow([0, 1, 10_000], 10_000) // 2
 */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
