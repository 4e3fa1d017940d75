/**
 * Client-side pacer: keeps one CrmPort under HubSpot's burst limit (N requests per rolling 10 s)
 * and search under its per-second limit. Shared by every call of one CrmPort, so concurrent
 * callers never add up past the limit. Uses an injected clock, so tests never wait for real.
 */

import { systemClock, type SleepingClock } from '../platform/clock';

export interface PacerOptions {
  /** Max requests in any rolling 10 s window (HubSpot: 190 for Pro/Enterprise private apps, 100 Free/Starter). */
  perTenSeconds?: number;
  /** HubSpot's search limit per second (5); the pacer spaces search calls to stay below it. */
  searchPerSecond?: number;
  clock?: SleepingClock;
}

export interface Pacer {
  /** Waits until a request of this kind may be sent, records it, and returns the ms waited. */
  acquire(kind: 'search' | 'other'): Promise<number>;
  /** Send times recorded so far (for tests and stats). */
  sentAt(): readonly number[];
}

const WINDOW_MS = 10_000;

/**
 * Creates a pacer. Every request counts in the 10 s window; search requests are also spaced by
 * at least `1000 / (searchPerSecond × 0.9)` ms (5/s → one every 222 ms ≈ 4.5/s), so no 1 s window
 * holds more than `searchPerSecond` searches.
 *
 * @example
 * const pacer = createPacer({ perTenSeconds: 190, clock });
 * await pacer.acquire('other'); // returns 0 while under the limit
 */
export function createPacer(options: PacerOptions = {}): Pacer {
  const limit = Math.max(1, Math.floor(options.perTenSeconds ?? 190));
  const searchPerSecond = options.searchPerSecond ?? 5;
  const searchSpacing = Math.ceil(1000 / (searchPerSecond * 0.9));
  const clock = options.clock ?? systemClock;
  /** Send times of the last `limit` requests (ring, oldest first). */
  const recent: number[] = [];
  const all: number[] = [];
  let lastSearch = Number.NEGATIVE_INFINITY;
  let queue: Promise<unknown> = Promise.resolve();

  const take = async (kind: 'search' | 'other'): Promise<number> => {
    let waited = 0;
    for (;;) {
      const now = clock.now();
      let readyAt = now;
      if (recent.length >= limit) {
        const oldest = recent[recent.length - limit] ?? now;
        // The window (t - 10 s, t] must hold fewer than `limit` earlier sends.
        readyAt = Math.max(readyAt, oldest + WINDOW_MS);
      }
      if (kind === 'search') readyAt = Math.max(readyAt, lastSearch + searchSpacing);
      if (readyAt <= now) {
        recent.push(now);
        if (recent.length > limit) recent.splice(0, recent.length - limit);
        all.push(now);
        if (all.length > 100_000) all.splice(0, all.length - 100_000);
        if (kind === 'search') lastSearch = now;
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
