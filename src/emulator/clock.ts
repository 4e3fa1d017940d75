/**
 * Clocks for the local CRM server. The server never reads `Date.now()` directly: it asks its clock,
 * so a benchmark can run against simulated time and tests never sleep.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** A clock that can also wait (real or simulated). */
export interface SleepingClock extends Clock {
  sleep(ms: number): Promise<void>;
}

export const systemClock: SleepingClock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

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
