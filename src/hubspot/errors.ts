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

/**
 * The properties a 400 names as missing on the portal: HubSpot's validation message lists each
 * refused value as JSON (`Property values were not valid: [{"isValid":false,"message":"Property
 * \"x\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"x",…}]`). Empty when none.
 *
 * @example
 * missingPropertyNames(new HubSpotApiError({ kind: 'client', status: 400, retryable: false, message: 'HubSpot answered 400 VALIDATION_ERROR. Property values were not valid: [{"error":"PROPERTY_DOESNT_EXIST","name":"cs_x"}]' })) // ['cs_x']
 */
export function missingPropertyNames(error: unknown): string[] {
  if (!(error instanceof HubSpotApiError) || error.kind !== 'client' || !error.message.includes('PROPERTY_DOESNT_EXIST')) return [];
  const names = new Set<string>();
  const start = error.message.indexOf('[', error.message.indexOf('not valid'));
  try {
    const list: unknown = JSON.parse(error.message.slice(start));
    if (Array.isArray(list)) {
      for (const e of list) {
        const entry = e as { error?: unknown; name?: unknown };
        if (entry.error === 'PROPERTY_DOESNT_EXIST' && typeof entry.name === 'string') names.add(entry.name);
      }
    }
  } catch {
    // Not JSON as a whole (cut, or text after it): each entry's name, in either order of the fields.
    for (const m of error.message.matchAll(/\{[^{}]*"error":"PROPERTY_DOESNT_EXIST"[^{}]*\}/g)) {
      const name = /"name":"([^"]+)"/.exec(m[0])?.[1];
      if (name !== undefined) names.add(name);
    }
  }
  return [...names];
}
