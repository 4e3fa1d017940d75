/**
 * Builds the use cases' dependencies (`AppDeps`) from the environment of an app function (or the
 * self-hosted server): the token, the HubSpot base URL, the config (`CS_CONFIG_JSON`), and a
 * HubSpot client whose retry budget fits the 15-second function limit. (Failures as messages:
 * `failures.ts`; the logger: `src/platform/logger.ts`.)
 *
 * A missing token or a bad config is a clear error value naming the variable or the key path.
 */
import { createHubSpotCrm, propertyMapFromConfig, type HubSpotClientOptions } from '../hubspot';
import { consoleLogger } from '../platform/logger';
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
 * (reliability case 20). Attempt timeout × attempts stays inside the limit too, and so does a
 * create whose answer is lost: its timeout and grace, the settle wait, then the reconciling read.
 */
export const FUNCTION_CLIENT_BUDGET = { maxWaitMs: 4_000, timeoutMs: 5_000, maxRetries: 2, maxRateLimitRetries: 2, createGraceMs: 2_000, uncertainSettleMs: 1_500 } as const;

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
    // Owners are cached across calls of a warm function (card loads list them once per expiry).
    ownersCacheMs: loaded.config.card.ownersCacheSeconds * 1000,
    valueBounds: { acvBelow: loaded.config.segments.acvBelow },
    logger: log,
  });
  return { ok: true, deps: { crm, config: loaded.config, configVersion: loaded.configVersion, now, log }, source: loaded.source };
}
