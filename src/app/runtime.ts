/**
 * Builds the use cases' dependencies (`AppDeps`) from the environment of an app function (or the
 * self-hosted server): the token, the HubSpot base URL, the config (`CS_CONFIG_JSON`), and a
 * HubSpot client whose retry budget fits the 15-second function limit.
 *
 * A missing token or a bad config is a clear error value naming the variable or the key path.
 */
import { AuthError, DailyLimitError, HubSpotApiError, INPUT_PROPERTIES, RateLimitError, createHubSpotCrm, type HubSpotClientOptions } from '../hubspot';
import type { CrmPort } from './ports';
import { formatConfigErrors, loadConfig } from './config-source';
import type { AppDeps, Logger } from './deps';

/** HubSpot's public API. */
export const DEFAULT_HUBSPOT_BASE_URL = 'https://api.hubapi.com';

/** HubSpot's limit for one app-function call, ms. */
export const FUNCTION_TIME_LIMIT_MS = 15_000;

/**
 * The client budget inside one function call. A single wait (Retry-After or back-off) longer than
 * `maxWaitMs` is not waited: the error comes back at once and the call answers "rate limited, try
 * again in N s" (or BLOCK in a workflow) instead of being killed mid-write at 15 s
 * (reliability case 20). Attempt timeout × attempts stays inside the limit too.
 */
export const FUNCTION_CLIENT_BUDGET = { maxWaitMs: 4_000, timeoutMs: 5_000, maxRetries: 2, maxRateLimitRetries: 2 } as const;

export type Env = Readonly<Record<string, string | undefined>>;

export interface RuntimeOverrides {
  now?: () => Date;
  log?: Logger;
  /** Replace the CRM entirely (tests with a fake port). */
  crm?: CrmPort;
  /** Extra client options (clock, random, limits, budget) merged over the function budget. */
  client?: Partial<HubSpotClientOptions>;
}

export type DepsResult = { ok: true; deps: AppDeps; source: string } | { ok: false; error: { code: 'missing_token' | 'bad_config' | 'bad_environment'; message: string } };

/** A JSON-lines logger on stdout (HubSpot keeps function logs); fields carry ids and codes only. */
export const consoleLogger: Logger = {
  info: (event, fields) => console.log(JSON.stringify({ level: 'info', event, ...fields })),
  warn: (event, fields) => console.warn(JSON.stringify({ level: 'warn', event, ...fields })),
  error: (event, fields) => console.error(JSON.stringify({ level: 'error', event, ...fields })),
};

/**
 * The config's `propertyMapping` as the adapter's property map. The config may key a signal by its
 * domain name (`acv`) or by our property name (`cs_acv`); both map to `cs_acv → <portal property>`.
 *
 * @example
 * propertyMapFromConfig({ acv: 'annualrevenue' }) // { cs_acv: 'annualrevenue' }
 */
export function propertyMapFromConfig(mapping: Readonly<Record<string, string>>): Record<string, string> {
  const names: Readonly<Record<string, string>> = INPUT_PROPERTIES;
  const out: Record<string, string> = {};
  for (const [key, target] of Object.entries(mapping)) out[names[key] ?? key] = target;
  return out;
}

/**
 * Builds `AppDeps` from the environment.
 * - token: `PRIVATE_APP_ACCESS_TOKEN` (HubSpot app functions) or `HUBSPOT_ACCESS_TOKEN` (self-hosted, CLI);
 * - base URL: `HUBSPOT_BASE_URL` (default HubSpot's; the local CRM server in the demo and tests);
 * - config: `CS_CONFIG_JSON` (optional; the seeds' defaults otherwise).
 *
 * @example
 * const r = depsFromEnv(process.env);
 * if (!r.ok) return { ok: false, error: r.error };
 */
export function depsFromEnv(env: Env, overrides: RuntimeOverrides = {}): DepsResult {
  const loaded = loadConfig({ json: env['CS_CONFIG_JSON'] ?? null });
  if (!loaded.ok) return { ok: false, error: { code: 'bad_config', message: `The app's config is invalid: ${formatConfigErrors(loaded.errors)}` } };
  const log = overrides.log ?? consoleLogger;
  const now = overrides.now ?? (() => new Date());
  if (overrides.crm) return { ok: true, deps: { crm: overrides.crm, config: loaded.config, configVersion: loaded.configVersion, now, log }, source: loaded.source };

  const token = (env['PRIVATE_APP_ACCESS_TOKEN'] ?? '').trim() || (env['HUBSPOT_ACCESS_TOKEN'] ?? '').trim();
  if (!token) {
    return {
      ok: false,
      error: { code: 'missing_token', message: 'No HubSpot access token: set PRIVATE_APP_ACCESS_TOKEN (app functions) or HUBSPOT_ACCESS_TOKEN (self-hosted)' },
    };
  }
  const baseUrl = (env['HUBSPOT_BASE_URL'] ?? '').trim() || DEFAULT_HUBSPOT_BASE_URL;
  if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(baseUrl)) {
    return { ok: false, error: { code: 'bad_environment', message: 'HUBSPOT_BASE_URL must be an http(s) URL such as https://api.hubapi.com' } };
  }
  const crm = createHubSpotCrm({
    accessToken: token,
    basePath: baseUrl.replace(/\/+$/, ''),
    ...FUNCTION_CLIENT_BUDGET,
    ...overrides.client,
    propertyMap: propertyMapFromConfig(loaded.config.propertyMapping),
    logger: { warn: (message, fields) => log.warn(message, fields) },
  });
  return { ok: true, deps: { crm, config: loaded.config, configVersion: loaded.configVersion, now, log }, source: loaded.source };
}

/**
 * A HubSpot error as an action failure people can act on (the token or scope to fix, when to try
 * again); null for anything that is not a HubSpot error (a bug: the caller logs it with an id).
 *
 * @example
 * hubspotFailure(new DailyLimitError({ message: '…' })) // { code: 'rate_limited_daily', retryable: false, … }
 */
export function hubspotFailure(error: unknown): { code: string; message: string; retryable: boolean } | null {
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
