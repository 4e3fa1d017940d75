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

/** Timestamps in a rolling window (a queue with a moving head; compacted now and then). */
class Window {
  private times: number[] = [];
  private head = 0;
  constructor(readonly limit: number, readonly ms: number) {}

  private prune(now: number): void {
    while (this.head < this.times.length && (this.times[this.head] as number) <= now - this.ms) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }

  used(now: number): number {
    this.prune(now);
    return this.times.length - this.head;
  }

  /** ms until one slot frees (0 when there is room). */
  waitMs(now: number): number {
    if (this.used(now) < this.limit) return 0;
    const oldest = this.times[this.head] as number;
    return Math.max(1, oldest + this.ms - now);
  }

  add(now: number): void {
    this.times.push(now);
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
