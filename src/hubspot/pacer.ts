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
  /**
   * Added to a search's 1 s in the window, ms (default 50): room for a request that reaches HubSpot
   * a little after its send (the network's one-way part of the round trip). After a search was
   * refused (`searchRefused`), a search sent with `send` is counted until its answer instead (see
   * `createPacer`).
   */
  searchMarginMs?: number;
  clock?: SleepingClock;
}

export interface Pacer {
  /** Waits until a request of this kind may be sent, records it, and returns the ms waited. */
  acquire(kind: 'search' | 'other'): Promise<number>;
  /**
   * Like `acquire`, and `answered()` is called when the request's answer (or failure) is back: a
   * search keeps its place in the per-second window until then (see `createPacer`).
   */
  send(kind: 'search' | 'other'): Promise<{ waited: number; answered(): void }>;
  /**
   * HubSpot refused a search for its per-second limit: a search may reach HubSpot later than the
   * margin allows, so from now on each search sent with `send` keeps its place until its answer.
   */
  searchRefused(): void;
  /** Whether searches are counted until their answer (after a refusal). */
  searchCautious(): boolean;
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
 * `searchPerSecond` of them go out in any rolling second, at least 100 ms apart.
 *
 * HubSpot counts a search when it ARRIVES, which is after the pacer sent it and before its answer
 * comes back. The network's one-way part of a 100–300 ms round trip is a few ms to a few tens; the
 * rest is HubSpot's work after the arrival. So a search counts in the window from its send for 1 s
 * plus `searchMarginMs` (50 ms), or until its answer if that comes sooner (it arrived before): the
 * (`searchPerSecond` + 1)-th search of a second goes 1.05 s after the one `searchPerSecond` places
 * back, and no second at HubSpot holds more than `searchPerSecond` searches as long as each
 * arrives within the margin. Should one arrive later and HubSpot refuse a search
 * (`searchRefused`, a 429 that the retry policy waits out), the pacer stops assuming: every later
 * search sent with `send` keeps its place from its send until its answer, so no second can hold a
 * 6th however late each arrives and in whatever order the answers come back (the cost: about one
 * latency per five searches). (`acquire`, which never learns the answer, always counts the send
 * instant plus the margin.)
 *
 * @example
 * const pacer = createPacer({ perTenSeconds: 190, clock });
 * await pacer.acquire('other'); // returns 0 while under the limit
 */
export function createPacer(options: PacerOptions = {}): Pacer {
  const limit = Math.max(1, Math.floor(options.perTenSeconds ?? 190));
  const searchPerSecond = Math.max(1, Math.floor(options.searchPerSecond ?? 5));
  const searchMargin = Math.max(0, options.searchMarginMs ?? 50);
  // Searches are also spread (half their even spacing apart), so a burst that arrives unevenly at
  // HubSpot does not land six in one second.
  const searchSpacing = Math.floor(1000 / searchPerSecond / 2);
  const clock = options.clock ?? systemClock;
  /** Send times of the last `limit` requests (ring, oldest first). */
  const recent: number[] = [];
  const all: number[] = [];
  const searches: number[] = [];
  /** Searches whose place in the per-second window has not ended: when it ends (send + margin, or its answer; Infinity while on its way). */
  const active: Array<{ at: number }> = [];
  let lastPlace: { at: number } | null = null;
  /** Waiters for an answer that can free a search place earlier than a sleep would. */
  let answerWaiters: Array<() => void> = [];
  /** After a refused search: each search sent with `send` keeps its place until its answer. */
  let cautious = false;

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
      let unanswered = false;
      if (kind === 'search') {
        // Searches that may still share a second with one sent now: those whose place ends after
        // now - 1 s (answers can come back out of order, so every such place counts, not the
        // one `searchPerSecond` back). Places that ended earlier never matter again.
        for (let i = active.length - 1; i >= 0; i--) if ((active[i] as { at: number }).at <= now - 1000) active.splice(i, 1);
        if (active.length >= searchPerSecond) {
          const ends = active.map((p) => p.at).sort((a, b) => a - b);
          // Wait until all but searchPerSecond - 1 of them have left the window.
          const until = ends[active.length - searchPerSecond] as number;
          // Still on its way: it may arrive at HubSpot any time before its answer.
          if (until === Infinity) unanswered = true;
          else readyAt = Math.max(readyAt, until + 1000);
        }
      }
      if (unanswered) {
        await new Promise<void>((resolve) => answerWaiters.push(resolve));
        waited += Math.max(0, clock.now() - now);
        continue;
      }
      if (readyAt <= now) {
        if (kind === 'search') {
          searches.push(now);
          const place = { at: now + searchMargin };
          active.push(place);
          lastPlace = place;
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

  // One queue per budget: a search waiting for its second never holds up the other calls (they
  // do not share a limit), and concurrent callers of one kind never take the same place.
  const queues: Record<'search' | 'other', Promise<unknown>> = { search: Promise.resolve(), other: Promise.resolve() };
  const serial = <T>(kind: 'search' | 'other', fn: () => Promise<T>): Promise<T> => {
    const result = queues[kind].then(fn);
    queues[kind] = result.catch(() => undefined);
    return result;
  };

  return {
    acquire: (kind) => serial(kind, () => take(kind)),
    async send(kind) {
      if (kind !== 'search') return { waited: await serial(kind, () => take(kind)), answered: () => undefined };
      // Marked "on its way" in the same turn its place is taken, so the next search sees it so.
      const { waited, place } = await serial(kind, async () => {
        const w = await take(kind);
        const last = lastPlace as { at: number };
        if (cautious) last.at = Infinity;
        return { waited: w, place: last };
      });
      return {
        waited,
        answered: () => {
          // Answered: it arrived before now, so its place ends now at the latest.
          const now = clock.now();
          if (place.at <= now) return;
          place.at = now;
          const waiters = answerWaiters;
          answerWaiters = [];
          for (const w of waiters) w();
        },
      };
    },
    searchRefused: () => {
      cautious = true;
    },
    searchCautious: () => cautious,
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
