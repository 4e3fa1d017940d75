/**
 * The one retry policy for every HubSpot call.
 *
 * - 429 from the 10-second / secondly limit: wait `Retry-After` seconds exactly when given, else a
 *   jittered back-off; retried for every kind of request (HubSpot did not process it).
 * - 429 DAILY: never retried; `DailyLimitError` so the sweep stops cleanly and resumes later.
 * - 401 / 403: never retried; `AuthError` naming the token (masked) or the missing scopes.
 * - 5xx, timeouts, network errors: retried with jittered exponential back-off, bounded, for reads
 *   and idempotent writes (batch update, callbacks). For creates they become `UncertainWriteError`
 *   and are **never re-sent**: the caller reconciles first.
 * - other 4xx: not retried.
 */
import { z } from 'zod';
import { AuthError, DailyLimitError, HubSpotApiError, RateLimitError, UncertainWriteError, maskToken } from './errors';
import type { SleepingClock } from '../platform/clock';

/** How a request may be repeated. */
export type RequestIntent = 'read' | 'idempotent-write' | 'create';

export interface RetryPolicyOptions {
  clock: SleepingClock;
  /** Returns [0, 1); inject a seeded one in tests. */
  random?: () => number;
  /** Retries after 5xx / network / timeout (reads, idempotent writes). Default 4. */
  maxRetries?: number;
  /** Retries after 10-second / secondly 429s. Default 12. */
  maxRateLimitRetries?: number;
  /** First back-off step, ms. Default 500. */
  baseDelayMs?: number;
  /** Back-off cap, ms. Default 30,000. */
  maxDelayMs?: number;
  /** A single wait longer than this is not waited: the error is thrown so the caller can defer. */
  maxWaitMs?: number;
  onRetry?: (info: { error: HubSpotApiError; attempt: number; delayMs: number }) => void;
}

export interface RetryPolicy {
  /** Runs `send` (one HTTP attempt) under the policy. */
  run<T>(intent: RequestIntent, send: () => Promise<T>): Promise<T>;
  /** The back-off for the n-th retry (0-based), jittered. */
  backoffMs(retry: number): number;
}

const errorBodySchema = z
  .object({
    status: z.string().optional(),
    message: z.string().optional(),
    category: z.string().optional(),
    correlationId: z.string().optional(),
    policyName: z.string().optional(),
    errorType: z.string().optional(),
    errors: z
      .array(
        z
          .object({
            message: z.string().optional(),
            context: z.record(z.string(), z.unknown()).optional(),
          })
          .loose(),
      )
      .optional(),
  })
  .loose();

/** HubSpot's error body, as far as the policy needs it. */
export type HubSpotErrorBody = z.infer<typeof errorBodySchema>;

/**
 * Parses `Retry-After` (seconds, or an HTTP date) into ms; null when absent or unreadable.
 *
 * @example
 * retryAfterMs('3', 0) // 3000
 */
export function retryAfterMs(header: string | null | undefined, now: number): number | null {
  if (header === null || header === undefined || header.trim() === '') return null;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

function scopesFrom(body: HubSpotErrorBody): string[] {
  const scopes = new Set<string>();
  for (const e of body.errors ?? []) {
    for (const key of ['requiredGranularScopes', 'requiredScopes', 'requiredAllScopes', 'requiredScope']) {
      const value = e.context?.[key];
      if (Array.isArray(value)) for (const s of value) if (typeof s === 'string') scopes.add(s);
      if (typeof value === 'string') scopes.add(value);
    }
  }
  return [...scopes];
}

/**
 * Turns a non-2xx HubSpot response into a typed error.
 *
 * @example
 * errorFromResponse({ status: 429, body: { policyName: 'DAILY', message: 'daily' }, retryAfter: null, token: 't', now: 0 })
 * // DailyLimitError
 */
export function errorFromResponse(args: {
  status: number;
  body: unknown;
  retryAfter: string | null;
  token: string;
  now: number;
  method?: string;
  path?: string;
}): HubSpotApiError {
  const parsed = errorBodySchema.safeParse(args.body);
  const body: HubSpotErrorBody = parsed.success ? parsed.data : {};
  const where = args.method && args.path ? ` (${args.method} ${args.path})` : '';
  const hsMessage = body.message ?? (typeof args.body === 'string' ? args.body.slice(0, 300) : '');
  const correlationId = body.correlationId ?? null;

  if (args.status === 401) {
    return new AuthError({
      status: 401,
      category: body.category ?? null,
      correlationId,
      message:
        `HubSpot rejected the access token ${maskToken(args.token)} (401${body.category ? ` ${body.category}` : ''})${where}: ` +
        `it is missing, expired or revoked. Set HUBSPOT_ACCESS_TOKEN to a valid private-app token. ${hsMessage}`.trim(),
    });
  }
  if (args.status === 403) {
    const scopes = scopesFrom(body);
    const scopeText = scopes.length > 0 ? `missing scope(s): ${scopes.join(', ')}` : `forbidden${body.category ? ` (${body.category})` : ''}`;
    return new AuthError({
      status: 403,
      category: body.category ?? null,
      correlationId,
      missingScopes: scopes,
      message: `HubSpot refused the call${where} for token ${maskToken(args.token)}: ${scopeText}. Add the scope(s) to the app and reinstall it. ${hsMessage}`.trim(),
    });
  }
  if (args.status === 429) {
    const policy = body.policyName ?? (/secondly/i.test(hsMessage) && !/ten_secondly/i.test(hsMessage) ? 'SECONDLY' : null);
    if (policy === 'DAILY' || /daily/i.test(hsMessage)) {
      return new DailyLimitError({
        correlationId,
        message: `HubSpot's daily API limit is reached${where}; stop and resume after it resets. ${hsMessage}`.trim(),
      });
    }
    return new RateLimitError({
      correlationId,
      policyName: policy ?? 'TEN_SECONDLY_ROLLING',
      retryAfterMs: retryAfterMs(args.retryAfter, args.now),
      message: `HubSpot rate limit ${policy ?? 'TEN_SECONDLY_ROLLING'}${where}. ${hsMessage}`.trim(),
    });
  }
  if (args.status >= 500) {
    return new HubSpotApiError({
      kind: 'server',
      status: args.status,
      retryable: true,
      category: body.category ?? null,
      correlationId,
      message: `HubSpot server error ${args.status}${where}. ${hsMessage}`.trim(),
    });
  }
  return new HubSpotApiError({
    kind: 'client',
    status: args.status,
    retryable: args.status === 423,
    category: body.category ?? null,
    correlationId,
    message: `HubSpot answered ${args.status}${body.category ? ` ${body.category}` : ''}${where}. ${hsMessage}`.trim(),
  });
}

/**
 * Creates the retry policy.
 *
 * @example
 * const policy = createRetryPolicy({ clock, random: () => 0.5 });
 * const page = await policy.run('read', () => sendOnce());
 */
export function createRetryPolicy(options: RetryPolicyOptions): RetryPolicy {
  const random = options.random ?? Math.random;
  const maxRetries = options.maxRetries ?? 4;
  const maxRateLimitRetries = options.maxRateLimitRetries ?? 12;
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 30_000;
  const maxWait = options.maxWaitMs ?? Number.POSITIVE_INFINITY;

  const backoffMs = (retry: number): number => {
    const ceiling = Math.min(cap, base * 2 ** retry);
    // "Equal jitter": half fixed, half random, so the wait never collapses to zero.
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
  };

  return {
    backoffMs,
    async run<T>(intent: RequestIntent, send: () => Promise<T>): Promise<T> {
      let failures = 0;
      let rateLimited = 0;
      for (let attempt = 0; ; attempt++) {
        try {
          return await send();
        } catch (raw) {
          if (!(raw instanceof HubSpotApiError)) throw raw;
          const error = raw;
          let delay: number;
          if (error instanceof RateLimitError) {
            if (rateLimited >= maxRateLimitRetries) throw error;
            delay = error.retryAfterMs ?? Math.max(1000, backoffMs(rateLimited + 1));
            rateLimited++;
          } else if (error.retryable && (error.kind === 'server' || error.kind === 'network' || error.kind === 'timeout' || error.status === 423)) {
            if (intent === 'create') {
              throw new UncertainWriteError({
                status: error.status,
                cause: error,
                message: `A create may or may not have been applied (${error.message}); reconcile before re-sending.`,
              });
            }
            if (failures >= maxRetries) throw error;
            delay = backoffMs(failures);
            failures++;
          } else {
            throw error;
          }
          if (delay > maxWait) throw error;
          options.onRetry?.({ error, attempt, delayMs: delay });
          await options.clock.sleep(delay);
        }
      }
    },
  };
}
