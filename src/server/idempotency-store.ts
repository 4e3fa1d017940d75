/**
 * Where answered deliveries are remembered, by key (the workflow `callbackId`), and where BLOCKed
 * deliveries wait for their completion. The interface is async so a shared store (Redis, Postgres)
 * can replace the file-backed one when several `serve` instances run behind a load balancer: it must
 * make `set` / `addPending` durable before they resolve, and `listPending` must return what any
 * instance parked (see README, "Running several serve instances").
 */
import type { Clock } from '../platform/clock';

export interface IdempotencyStore<V> {
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V): Promise<void>;
}

/** A BLOCKed delivery whose completion has not been sent yet. */
export interface PendingCompletion<V> {
  callbackId: string;
  action: string;
  companyId: string;
  ownerId?: string;
  /** Epoch ms when it was parked. */
  since: number;
  /** Set once the action has finished: the completion to send (no need to run the action again). */
  final?: V;
}

/** Answers plus pending completions: what must survive a restart. */
export interface ActionStore<V> extends IdempotencyStore<V> {
  /** Adds or replaces the pending completion of `p.callbackId`. */
  addPending(p: PendingCompletion<V>): Promise<void>;
  removePending(callbackId: string): Promise<void>;
  listPending(): Promise<Array<PendingCompletion<V>>>;
  /** Resolves when everything accepted so far is written. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface MemoryIdempotencyStore<V> extends ActionStore<V> {
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
  const pending = new Map<string, PendingCompletion<V>>();

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
    async addPending(p) {
      pending.set(p.callbackId, p);
    },
    async removePending(callbackId) {
      pending.delete(callbackId);
    },
    async listPending() {
      return [...pending.values()];
    },
    async flush() {},
    async close() {},
    size: () => entries.size,
  };
}
