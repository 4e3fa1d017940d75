/**
 * Failures of the HubSpot adapter as the application's failure values: a code, a message people
 * can act on (the token or scope to fix, when to try again) and whether a retry later can work.
 */
import { AuthError, DailyLimitError, HubSpotApiError, RateLimitError } from '../hubspot';
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
