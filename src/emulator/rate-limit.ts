/**
 * HubSpot-like rate limits per token: a rolling 10-second window (190 for private apps on
 * Professional/Enterprise; 100 / 190 / 250 by tier), search at 5 per second, and a daily limit.
 * Only accepted requests count. Time comes from the injected clock.
 */
export interface RateLimitConfig {
  /** Requests per rolling `intervalMs` (HubSpot: 190 per 10 s for private apps on Pro/Enterprise). */
  max: number;
  intervalMs: number;
  /** Search requests per rolling second (HubSpot: 5). */
  searchPerSecond: number;
  /** Requests per UTC day. */
  daily: number;
  /**
   * Whether search requests also count toward the 10-second window. HubSpot's search specs mark the
   * search endpoints `x-hubspot-rate-limit-exemptions: ["ten-secondly"]`, so the default is false.
   */
  searchCountsTowardInterval: boolean;
}

export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  max: 190,
  intervalMs: 10_000,
  searchPerSecond: 5,
  daily: 1_000_000,
  searchCountsTowardInterval: false,
};

export type RateLimitPolicy = 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY';

export type RateDecision =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; policy: RateLimitPolicy; retryAfterMs: number; headers: Record<string, string> };

/**
 * Accepted request times in a rolling window, kept sorted. Requests may arrive a little out of
 * order (several in flight; in simulated time each carries the instant it was sent), so a request
 * at `t` is accepted only if every window it falls in — (x − ms, x] for x from t to t + ms — still
 * has room.
 */
class Window {
  private times: number[] = [];
  private head = 0;
  private latest = Number.NEGATIVE_INFINITY;
  constructor(readonly limit: number, readonly ms: number) {}

  private prune(): void {
    // Keep two windows behind the latest request: late arrivals are checked against them.
    const keepAfter = this.latest - 2 * this.ms;
    while (this.head < this.times.length && (this.times[this.head] as number) <= keepAfter) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }

  /** Index of the first kept time > t. */
  private upper(t: number): number {
    let lo = this.head;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.times[mid] as number) <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Accepted requests in (now − ms, now]. */
  used(now: number): number {
    this.prune();
    return this.upper(now) - this.upper(now - this.ms);
  }

  /** ms until a request at `now` fits (0 when there is room in every window it falls in). */
  waitMs(now: number): number {
    this.prune();
    const first = this.upper(now - this.ms);
    const upToNow = this.upper(now);
    if (upToNow - first >= this.limit) return Math.max(1, (this.times[upToNow - this.limit] as number) + this.ms - now);
    // Windows ending at later requests (arrived before this one) must keep room too.
    for (let j = upToNow; j < this.times.length && (this.times[j] as number) < now + this.ms; j++) {
      const end = this.times[j] as number;
      if (j + 1 - this.upper(end - this.ms) >= this.limit) return Math.max(1, (this.times[j + 1 - this.limit] as number) + this.ms - now);
    }
    return 0;
  }

  add(now: number): void {
    let i = this.times.length;
    while (i > this.head && (this.times[i - 1] as number) > now) i--;
    if (i === this.times.length) this.times.push(now);
    else this.times.splice(i, 0, now);
    if (now > this.latest) this.latest = now;
  }
}

const DAY = 86_400_000;

class TokenLimits {
  readonly interval: Window;
  readonly search: Window;
  day = -1;
  dayCount = 0;
  constructor(cfg: RateLimitConfig) {
    this.interval = new Window(cfg.max, cfg.intervalMs);
    this.search = new Window(cfg.searchPerSecond, 1000);
  }
}

export class RateLimiter {
  readonly config: RateLimitConfig;
  private readonly tokens = new Map<string, TokenLimits>();

  constructor(config: Partial<RateLimitConfig> = {}) {
    this.config = { ...DEFAULT_RATE_LIMITS, ...config };
  }

  private limits(token: string): TokenLimits {
    let l = this.tokens.get(token);
    if (!l) {
      l = new TokenLimits(this.config);
      this.tokens.set(token, l);
    }
    return l;
  }

  /** Decides one request; counts it when accepted. */
  take(token: string, now: number, isSearch: boolean): RateDecision {
    const c = this.config;
    const l = this.limits(token);
    const day = Math.floor(now / DAY);
    if (day !== l.day) {
      l.day = day;
      l.dayCount = 0;
    }
    const countsInterval = !isSearch || c.searchCountsTowardInterval;
    const headers = (): Record<string, string> =>
      isSearch
        ? {}
        : {
            'X-HubSpot-RateLimit-Daily': String(c.daily),
            'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, c.daily - l.dayCount)),
            'X-HubSpot-RateLimit-Interval-Milliseconds': String(c.intervalMs),
            'X-HubSpot-RateLimit-Max': String(c.max),
            'X-HubSpot-RateLimit-Remaining': String(Math.max(0, c.max - l.interval.used(now))),
          };
    if (l.dayCount >= c.daily) {
      return { ok: false, policy: 'DAILY', retryAfterMs: (day + 1) * DAY - now, headers: headers() };
    }
    if (isSearch) {
      const w = l.search.waitMs(now);
      if (w > 0) return { ok: false, policy: 'SECONDLY', retryAfterMs: w, headers: headers() };
    }
    if (countsInterval) {
      const w = l.interval.waitMs(now);
      if (w > 0) return { ok: false, policy: 'TEN_SECONDLY_ROLLING', retryAfterMs: w, headers: headers() };
    }
    l.dayCount++;
    if (isSearch) l.search.add(now);
    if (countsInterval) l.interval.add(now);
    return { ok: true, headers: headers() };
  }

  /** Requests counted today for a token. */
  dailyUsed(token: string): number {
    return this.tokens.get(token)?.dayCount ?? 0;
  }

  reset(): void {
    this.tokens.clear();
  }
}
