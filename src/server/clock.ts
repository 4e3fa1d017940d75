/**
 * Time for the server: `now()` and one-shot timers. Injected so tests and the idempotency store
 * can move time by hand instead of sleeping.
 */
export interface Clock {
  now(): number;
  /** Runs `fn` after `ms`; returns a function that cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const handle = setTimeout(fn, ms);
    return () => clearTimeout(handle);
  },
};

export interface ManualClock extends Clock {
  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void;
  pendingTimers(): number;
}

/**
 * A clock that only moves when told.
 * @example
 * const clock = createManualClock(Date.UTC(2026, 10, 23));
 * clock.setTimer(1000, () => console.log('fired'));
 * clock.advance(1000); // fired
 */
export function createManualClock(start: number): ManualClock {
  let current = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => current,
    setTimer(ms, fn) {
      const id = ++seq;
      timers.set(id, { at: current + Math.max(0, ms), fn });
      return () => {
        timers.delete(id);
      };
    },
    advance(ms) {
      const target = current + ms;
      for (;;) {
        let nextId: number | null = null;
        let nextAt = Infinity;
        for (const [id, t] of timers) {
          if (t.at <= target && t.at < nextAt) {
            nextAt = t.at;
            nextId = id;
          }
        }
        if (nextId === null) break;
        const timer = timers.get(nextId);
        timers.delete(nextId);
        current = nextAt;
        timer?.fn();
      }
      current = target;
    },
    pendingTimers: () => timers.size,
  };
}
