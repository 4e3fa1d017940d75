/**
 * The one clock of the code base. Nothing outside this file reads `Date.now()` or sets a timer for
 * its own timing: it is given a `Clock`, so tests move time by hand and benchmarks run on simulated
 * time instead of sleeping. (The pure core has no clock at all: `now` is an argument.)
 *
 * `Clock` is the time; a part that must also wait asks for a `SleepingClock` (the HubSpot client's
 * pacer and retry policy, the local CRM server), a part that schedules work asks for a `TimerClock`
 * (the workflow-action server). `systemClock` is all three.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** A clock that can also wait (real or simulated). */
export interface SleepingClock extends Clock {
  sleep(ms: number): Promise<void>;
}

/** A clock that can also run a callback later. */
export interface TimerClock extends Clock {
  /** Runs `fn` after `ms`; returns a function that cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
}

/** The real clock. */
export const systemClock: SleepingClock & TimerClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
  setTimer(ms, fn) {
    const handle = setTimeout(fn, ms);
    return () => clearTimeout(handle);
  },
};

export interface ManualClock extends TimerClock {
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

/**
 * Simulated time: `sleep(ms)` advances the clock instantly and counts the time "slept".
 * Share one instance between the server and the client side (pacer, retry policy) so both see the
 * same time.
 *
 * @example
 * const clock = new SimClock(Date.parse('2026-11-23T09:00:00Z'));
 * await clock.sleep(10_000); // returns at once
 * clock.now();     // start + 10 000
 * clock.sleptMs;   // 10 000
 */
export class SimClock implements SleepingClock {
  private current: number;
  /** Total simulated time spent in `sleep`. */
  sleptMs = 0;
  /** Number of `sleep` calls. */
  sleeps = 0;
  readonly startedAt: number;

  constructor(start: number = Date.UTC(2026, 10, 23, 9, 0, 0)) {
    this.current = start;
    this.startedAt = start;
  }

  now(): number {
    return this.current;
  }

  /** Moves time forward without counting it as sleep. */
  advance(ms: number): void {
    if (ms > 0) this.current += ms;
  }

  /** Sets the time (never backwards). */
  set(ms: number): void {
    if (ms > this.current) this.current = ms;
  }

  sleep(ms: number): Promise<void> {
    const d = Math.max(0, ms);
    this.current += d;
    this.sleptMs += d;
    this.sleeps += 1;
    return Promise.resolve();
  }

  /** Simulated time elapsed since construction. */
  elapsedMs(): number {
    return this.current - this.startedAt;
  }
}
