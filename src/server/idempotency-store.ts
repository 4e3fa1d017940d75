/**
 * Where answered deliveries are remembered, by key (the workflow `callbackId`). The interface is
 * async so a persistent store (file, Redis, a HubSpot property) can replace the in-memory one.
 */
import type { Clock } from '../platform/clock';

export interface IdempotencyStore<V> {
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V): Promise<void>;
}

export interface MemoryIdempotencyStore<V> extends IdempotencyStore<V> {
  size(): number;
}

/**
 * In-memory LRU with a time to live: at most `maxEntries` keys; an entry older than `ttlMs` is
 * gone; reading an entry makes it the most recent.
 */
export function createMemoryIdempotencyStore<V>(options: {
  maxEntries: number;
  ttlMs: number;
  clock: Pick<Clock, 'now'>;
}): MemoryIdempotencyStore<V> {
  if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) throw new Error('maxEntries must be a positive integer');
  if (!(options.ttlMs > 0)) throw new Error('ttlMs must be positive');
  const entries = new Map<string, { value: V; expiresAt: number }>();

  const evictExpired = (now: number): void => {
    // Entries are in insertion/refresh order; the oldest are first, but refreshes keep their
    // original expiry, so scan a bounded prefix only.
    let scanned = 0;
    for (const [key, entry] of entries) {
      if (scanned++ >= 32) break;
      if (entry.expiresAt <= now) entries.delete(key);
    }
  };

  return {
    async get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= options.clock.now()) {
        entries.delete(key);
        return undefined;
      }
      entries.delete(key);
      entries.set(key, entry);
      return entry.value;
    },
    async set(key, value) {
      const now = options.clock.now();
      entries.delete(key);
      entries.set(key, { value, expiresAt: now + options.ttlMs });
      evictExpired(now);
      while (entries.size > options.maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        entries.delete(oldest.value);
      }
    },
    size: () => entries.size,
  };
}
