/**
 * A discrete-event simulated clock for the sweep benchmark. Waiting would only measure sleep, so
 * the client never sleeps for real: a wait (pacer, Retry-After) is an event at `now + ms`, and a
 * request's answer is an event at the instant the local CRM server says it would have arrived
 * (`X-Simulated-Done-At`, the server's latency). Time moves to the next event only when nothing
 * else can run — no request is on the wire and every task waits for simulated time — so several
 * requests in flight overlap in simulated time exactly as they would against HubSpot.
 */
import { SIMULATED_DONE_AT_HEADER, SIMULATED_NOW_HEADER } from '../src/emulator';
import type { SleepingClock as Clock } from '../src/platform/clock';

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

export class EventClock implements Clock {
  private t: number;
  private readonly timers: Timer[] = [];
  private seq = 0;
  private onWire = 0;
  private scheduled = false;

  constructor(start: number) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number): Promise<void> {
    return this.until(this.t + Math.max(0, ms));
  }

  /** Resolves when simulated time reaches `at` (at once when it has). */
  until(at: number): Promise<void> {
    if (!(at > this.t)) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = { at, seq: this.seq++, resolve };
      // Sorted by (at, seq); new timers are mostly late, so search from the end.
      let i = this.timers.length;
      while (i > 0 && (this.timers[i - 1] as Timer).at > at) i--;
      this.timers.splice(i, 0, timer);
      this.kick();
    });
  }

  /** After everything runnable has run (microtasks drained), move to the next event if idle. */
  private kick(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.step();
    });
  }

  private step(): void {
    if (this.onWire > 0) return; // an answer is still on its way: it may bring an earlier event
    const first = this.timers[0];
    if (!first) return;
    this.t = Math.max(this.t, first.at);
    while (this.timers.length > 0 && (this.timers[0] as Timer).at <= this.t) (this.timers.shift() as Timer).resolve();
    if (this.timers.length > 0) this.kick();
  }

  /**
   * Wraps `fetch`: stamps each request with its simulated send instant and returns the answer at
   * the simulated instant the server reports (its body read in full first).
   */
  wrapFetch(real: typeof fetch): typeof fetch {
    return async (input, init) => {
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      headers.set(SIMULATED_NOW_HEADER, String(this.t));
      this.onWire++;
      let res: Response;
      let body: ArrayBuffer;
      try {
        res = await real(input, { ...init, headers });
        body = await res.arrayBuffer();
      } finally {
        this.onWire--;
        this.kick();
      }
      const doneAt = Number(res.headers.get(SIMULATED_DONE_AT_HEADER));
      if (Number.isFinite(doneAt)) await this.until(doneAt);
      const empty = body.byteLength === 0 || res.status === 204 || res.status === 205 || res.status === 304;
      return new Response(empty ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers });
    };
  }
}
