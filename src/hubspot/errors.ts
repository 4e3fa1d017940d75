/**
 * Typed HubSpot API errors. Each knows whether repeating the same request could succeed
 * (`retryable`), so the one retry policy (retry-policy.ts) and the callers can decide without
 * looking at status codes again.
 */

/** What kind of failure this is; `kind` is stable for callers and logs. */
export type HubSpotErrorKind =
  | 'auth'
  | 'daily-limit'
  | 'rate-limit'
  | 'server'
  | 'network'
  | 'timeout'
  | 'client'
  | 'bad-response'
  | 'uncertain-write';

/** Base class of every error the adapter throws about HubSpot. */
export class HubSpotApiError extends Error {
  readonly kind: HubSpotErrorKind;
  readonly status: number | null;
  readonly retryable: boolean;
  readonly category: string | null;
  readonly correlationId: string | null;

  constructor(args: {
    kind: HubSpotErrorKind;
    message: string;
    status?: number | null;
    retryable: boolean;
    category?: string | null;
    correlationId?: string | null;
    cause?: unknown;
  }) {
    super(args.message, args.cause === undefined ? undefined : { cause: args.cause });
    this.name = 'HubSpotApiError';
    this.kind = args.kind;
    this.status = args.status ?? null;
    this.retryable = args.retryable;
    this.category = args.category ?? null;
    this.correlationId = args.correlationId ?? null;
  }
}

/** 401 (bad / expired token) or 403 (missing scopes, or not allowed). Never retried. */
export class AuthError extends HubSpotApiError {
  /** Scopes HubSpot says are required (403 MISSING_SCOPES), else empty. */
  readonly missingScopes: string[];
  constructor(args: { message: string; status: number; category?: string | null; correlationId?: string | null; missingScopes?: string[] }) {
    super({ ...args, kind: 'auth', retryable: false });
    this.name = 'AuthError';
    this.missingScopes = args.missingScopes ?? [];
  }
}

/** 429 with policyName DAILY: never retried today. The sweep stops cleanly and resumes later. */
export class DailyLimitError extends HubSpotApiError {
  constructor(args: { message: string; correlationId?: string | null }) {
    super({ ...args, kind: 'daily-limit', status: 429, retryable: false, category: 'RATE_LIMITS' });
    this.name = 'DailyLimitError';
  }
}

/**
 * 429 from the 10-second (or search secondly) limit, thrown only when the retry budget or the
 * caller's `maxWaitMs` is exhausted. `retryAfterMs` says when to try again (defer with a cursor).
 */
export class RateLimitError extends HubSpotApiError {
  readonly retryAfterMs: number | null;
  readonly policyName: string | null;
  constructor(args: { message: string; retryAfterMs: number | null; policyName: string | null; correlationId?: string | null }) {
    super({ ...args, kind: 'rate-limit', status: 429, retryable: true, category: 'RATE_LIMITS' });
    this.name = 'RateLimitError';
    this.retryAfterMs = args.retryAfterMs;
    this.policyName = args.policyName;
  }
}

/**
 * A create whose outcome is unknown (5xx, timeout or network error after it was sent). It must
 * not be re-sent blindly: reconcile first (tasks.ts does).
 */
export class UncertainWriteError extends HubSpotApiError {
  constructor(args: { message: string; status?: number | null; cause?: unknown }) {
    super({ ...args, kind: 'uncertain-write', retryable: false });
    this.name = 'UncertainWriteError';
  }
}

/** True for errors a caller may repeat later (rate limit, 5xx, network, timeout). */
export function isRetryable(error: unknown): boolean {
  return error instanceof HubSpotApiError && error.retryable;
}

/**
 * Masks a token for messages: enough to tell which token, never the secret.
 *
 * @example
 * maskToken('pat-na1-11111111-2222-3333-4444-555555555555') // 'pat-na1-…5555'
 */
export function maskToken(token: string): string {
  if (token.length === 0) return '(empty)';
  const tail = token.slice(-4);
  const prefix = /^(pat-[a-z0-9]+-)/i.exec(token)?.[1] ?? '';
  return `${prefix}…${tail}`;
}
