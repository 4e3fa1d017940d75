/**
 * Failures of the HubSpot adapter as the application's failure values: a code, a message people
 * can act on (the token or scope to fix, when to try again) and whether a retry later can work.
 */
import { AuthError, DailyLimitError, HubSpotApiError, RateLimitError, createRetryPolicy } from '../hubspot';
import type { SleepingClock } from '../platform/clock';
import type { ActionError } from './company-actions';

/**
 * A HubSpot error as an action failure people can act on (the token or scope to fix, when to try
 * again); null for anything that is not a HubSpot error (a bug: the caller logs it with an id).
 *
 * @example
 * hubspotFailure(new DailyLimitError({ message: '…' })) // { code: 'rate_limited_daily', retryable: false, … }
 */
export function hubspotFailure(error: unknown): ActionError | null {
  if (error instanceof AuthError) {
    const message =
      error.status === 403
        ? `HubSpot refused the call: the app lacks ${error.missingScopes.length > 0 ? `the scope(s) ${error.missingScopes.join(', ')}` : 'a required scope'}. Add the scope(s) to the app and reinstall it.`
        : 'HubSpot rejected the access token (PRIVATE_APP_ACCESS_TOKEN, or HUBSPOT_ACCESS_TOKEN when self-hosted): it is missing, expired or revoked.';
    return { code: 'auth', message, retryable: false };
  }
  if (error instanceof DailyLimitError) {
    return { code: 'rate_limited_daily', message: "HubSpot's daily API limit for this portal is used up; try again tomorrow.", retryable: false };
  }
  if (error instanceof RateLimitError) {
    const s = error.retryAfterMs === null ? null : Math.ceil(error.retryAfterMs / 1000);
    return { code: 'rate_limited', message: `HubSpot is rate-limiting the app; try again${s === null ? ' shortly' : ` in ${s} s`}.`, retryable: true };
  }
  if (error instanceof HubSpotApiError && error.retryable) {
    return { code: 'hubspot_unavailable', message: 'HubSpot did not answer in time; nothing was lost, try again.', retryable: true };
  }
  if (error instanceof HubSpotApiError && error.kind === 'uncertain-write') {
    return { code: 'hubspot_unavailable', message: 'HubSpot did not confirm a write; running the action again is safe (it checks before creating).', retryable: true };
  }
  return null;
}

/**
 * What kind of error this is, for a log line (never its message: it may carry data).
 *
 * @example
 * errorKind(new TypeError('x')) // { kind: 'TypeError', status: null }
 */
export function errorKind(error: unknown): { kind: string; status: number | null } {
  if (error instanceof HubSpotApiError) return { kind: error.kind, status: error.status };
  return { kind: error instanceof Error ? error.name : typeof error, status: null };
}

/**
 * A CRM failure that trying again cannot fix (e.g. HubSpot refused a callback completion for good:
 * expired or already completed), with its HTTP status; null for a failure a retry may fix or for
 * anything that is not a CRM error.
 *
 * @example
 * permanentCrmFailure(new HubSpotApiError({ kind: 'client', status: 400, retryable: false, message: '…' })) // { status: 400 }
 */
export function permanentCrmFailure(error: unknown): { status: number | null } | null {
  return error instanceof HubSpotApiError && !error.retryable ? { status: error.status } : null;
}

/** A retryable action failure as the retry policy sees it (it retries `HubSpotApiError`s only). */
class RetryableActionFailure extends HubSpotApiError {
  constructor(readonly error: ActionError) {
    super({ kind: 'server', retryable: true, message: `action failed: ${error.code}` });
  }
}

export interface ActionRetryOptions {
  clock: SleepingClock;
  random?: () => number;
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Re-runs of an action whose outcome is a retryable `ActionError`, under the app's one retry policy
 * (jittered exponential back-off, `src/hubspot/retry-policy.ts`). `run` returns the last outcome and
 * how many attempts were made; anything `attempt` throws (other than a retryable outcome) is thrown.
 *
 * @example
 * const retry = createActionRetry({ clock: systemClock, maxAttempts: 5, baseDelayMs: 2000, maxDelayMs: 60000 });
 * const { outcome, attempts } = await retry.run(() => actions.recomputeHealth(id));
 */
export function createActionRetry(options: ActionRetryOptions): {
  run<T extends { ok: true } | { ok: false; error: ActionError }>(attempt: (n: number) => Promise<T>): Promise<{ outcome: T; attempts: number }>;
} {
  const policy = createRetryPolicy({
    clock: options.clock,
    random: options.random,
    maxRetries: Math.max(1, options.maxAttempts) - 1,
    baseDelayMs: options.baseDelayMs,
    maxDelayMs: options.maxDelayMs,
  });
  async function run<T extends { ok: true } | { ok: false; error: ActionError }>(attempt: (n: number) => Promise<T>): Promise<{ outcome: T; attempts: number }> {
    let attempts = 0;
    let last: T | undefined;
    try {
      const outcome = await policy.run<T>('idempotent-write', async () => {
        const o = await attempt(attempts);
        attempts++;
        last = o;
        if (!o.ok && o.error.retryable) throw new RetryableActionFailure(o.error);
        return o;
      });
      return { outcome, attempts };
    } catch (err) {
      if (err instanceof RetryableActionFailure && last !== undefined) return { outcome: last, attempts };
      throw err;
    }
  }
  return { run };
}
