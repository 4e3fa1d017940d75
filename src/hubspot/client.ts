/**
 * The HTTP layer: `@hubspot/api-client`'s `Client.apiRequest` (its own retries and limiter left
 * off), behind the pacer and the one retry policy, with a per-call timeout, zod-parsed responses
 * and call statistics.
 */
import { Client } from '@hubspot/api-client';
import type { z } from 'zod';
import { HubSpotApiError, RateLimitError } from './errors';
import { systemClock, type SleepingClock } from '../platform/clock';
import { createPacer, type Pacer } from './pacer';
import { createRetryPolicy, errorFromResponse, type RequestIntent, type RetryPolicy } from './retry-policy';
import type { CallStats } from '../app/ports';
import type { Logger } from '../platform/logger';
import { LIMITS } from './limits';

export interface HubSpotClientOptions {
  accessToken: string;
  /** e.g. `http://localhost:3999` for the local CRM server; no trailing slash. Default HubSpot's API. */
  basePath?: string;
  /**
   * `searchUntilAnswer`: count each search until its answer from the start (the pacer's rule after a
   * refusal), for a client whose searches may reach HubSpot long after their send.
   */
  limits?: { perTenSeconds?: number; searchPerSecond?: number; searchUntilAnswer?: boolean };
  clock?: SleepingClock;
  random?: () => number;
  maxRetries?: number;
  maxRateLimitRetries?: number;
  /** A single wait (Retry-After or back-off) longer than this throws instead (defer with a cursor). */
  maxWaitMs?: number;
  /** Per-attempt timeout, ms (real timer). Default 30,000; 0 disables. A create also gets `createGraceMs`. */
  timeoutMs?: number;
  /**
   * How much longer a create's answer is awaited once `timeoutMs` has passed (real ms; default
   * `timeoutMs`): its connection is open, so HubSpot may still be applying it, and a late answer is
   * an answer (nothing to reconcile).
   */
  createGraceMs?: number;
  /**
   * After a create whose answer was lost (5xx, reset, timeout), how long to wait before reading
   * what it did (ms, on the clock): HubSpot may still be applying it, and a read sent at once could
   * miss it and lead to a second create. Default `UNCERTAIN_SETTLE_MS`.
   */
  uncertainSettleMs?: number;
  /**
   * Requests in flight at once (default `LIMITS.maxInFlight`). With 100–300 ms per HubSpot call,
   * one at a time cannot reach the rate budget (19 per second needs ~3–6 in flight); the pacer
   * still keeps them all under the limits.
   */
  maxInFlight?: number;
  logger?: Logger;
}

/** Call kinds counted in `stats().calls`. */
export type CallKind =
  | 'search'
  /** A task search (the CSMs' loads): paced as a search, counted apart (one call per page in the minimum). */
  | 'taskSearch'
  | 'batchRead'
  | 'batchUpdate'
  | 'batchCreate'
  | 'associations'
  | 'owners'
  | 'history'
  | 'read'
  | 'update'
  | 'historyRead'
  | 'list'
  | 'properties'
  | 'callback'
  /** The automation v4 flows API (`setup --workflows`). */
  | 'workflows';

export interface RequestSpec<S extends z.ZodType> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  qs?: Record<string, string>;
  body?: unknown;
  kind: CallKind;
  intent: RequestIntent;
  /** Schema of the 2xx body (use z.unknown() / z.null() for empty). */
  schema: S;
}

export interface HubSpotClient {
  /** Sends a request under pacing and the retry policy; returns the parsed body and the status. */
  request<S extends z.ZodType>(spec: RequestSpec<S>): Promise<{ status: number; data: z.infer<S> }>;
  stats(): CallStats;
  readonly pacer: Pacer;
  readonly policy: RetryPolicy;
  /** Where the adapter reports what it did instead of failing (e.g. tasks created without contact links). */
  readonly logger?: Logger;
  /** Waits `uncertainSettleMs` on the client's clock: call it before reconciling an uncertain create. */
  settleUncertainWrite(): Promise<void>;
}

/** Default of `HubSpotClientOptions.uncertainSettleMs`: 5 s, once per uncertain create (a fault path). */
export const UNCERTAIN_SETTLE_MS = 5_000;

class TimeoutSignal extends Error {}

/**
 * A counting semaphore: at most `size` holders at once, served in arrival order.
 *
 * @example
 * const gate = createGate(2); const release = await gate.enter(); ...; release();
 */
export function createGate(size: number): { enter(): Promise<() => void>; readonly active: number } {
  const max = Math.max(1, Math.floor(size));
  let active = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  return {
    get active() {
      return active;
    },
    enter() {
      if (active < max) {
        active++;
        return Promise.resolve(release);
      }
      return new Promise((resolve) => waiting.push(() => resolve(release)));
    },
  };
}

/** Records carried by one successful call: search results, or batch / association inputs. */
function itemsOf(spec: RequestSpec<z.ZodType>, data: unknown): number {
  if (spec.kind === 'search') {
    const results = (data as { results?: unknown } | null)?.results;
    return Array.isArray(results) ? results.length : 0;
  }
  const inputs = (spec.body as { inputs?: unknown } | undefined)?.inputs;
  return Array.isArray(inputs) ? inputs.length : 1;
}

/**
 * Creates the client.
 *
 * @example
 * const http = createHubSpotClient({ accessToken: process.env.HUBSPOT_ACCESS_TOKEN ?? '' });
 * const { data } = await http.request({ method: 'GET', path: '/crm/v3/owners', kind: 'owners', intent: 'read', schema: ownersPageSchema });
 */
export function createHubSpotClient(options: HubSpotClientOptions): HubSpotClient {
  const clock = options.clock ?? systemClock;
  // numberOfApiCallRetries and limiterOptions stay unset: our policy and pacer do that job.
  const sdk = new Client({ accessToken: options.accessToken, ...(options.basePath ? { basePath: options.basePath.replace(/\/+$/, '') } : {}) });
  const pacer = createPacer({ perTenSeconds: options.limits?.perTenSeconds, searchPerSecond: options.limits?.searchPerSecond, clock });
  if (options.limits?.searchUntilAnswer) pacer.searchRefused();
  const timeoutMs = options.timeoutMs ?? 30_000;
  const inFlight = Math.max(1, Math.floor(options.maxInFlight ?? LIMITS.maxInFlight));
  const gate = createGate(inFlight);
  // A call waiting in the pacer for the 10 s window holds its place in flight, so a burst of writes
  // must not take every place: a quarter of them (8 of 32) is left to searches, which have their
  // own budget (a stalled search chain leaves that budget idle).
  const others = createGate(Math.max(1, inFlight - Math.floor(inFlight / 4)));
  const counters: CallStats = { calls: {}, items: {}, total: 0, retries: 0, rateLimited10s: 0, rateLimitedSecondly: 0, rateLimitedDaily: 0, waitedMs: 0 };

  const policy = createRetryPolicy({
    clock,
    random: options.random,
    maxRetries: options.maxRetries,
    maxRateLimitRetries: options.maxRateLimitRetries,
    maxWaitMs: options.maxWaitMs,
    onRetry: ({ error, delayMs }) => {
      counters.retries++;
      counters.waitedMs += delayMs;
      options.logger?.warn('hubspot retry', { kind: error.kind, status: error.status, delayMs });
    },
  });

  const createGraceMs = Math.max(0, options.createGraceMs ?? timeoutMs);

  const withTimeout = async <T>(promise: Promise<T>, ms: number = timeoutMs): Promise<T> => {
    if (!ms) return promise;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutSignal()), ms);
      timer.unref?.();
    });
    try {
      return await Promise.race([promise, timeout]);
    } finally {
      if (timer) clearTimeout(timer);
    }
  };

  const sendOnce = async <S extends z.ZodType>(spec: RequestSpec<S>): Promise<{ status: number; data: z.infer<S> }> => {
    // A search's place in the pacer's per-second window ends with its answer at the latest.
    const { waited, answered } = await pacer.send(spec.kind === 'search' || spec.kind === 'taskSearch' ? 'search' : 'other');
    try {
      return await sendPaced(spec, waited);
    } finally {
      answered();
    }
  };

  const sendPaced = async <S extends z.ZodType>(spec: RequestSpec<S>, waited: number): Promise<{ status: number; data: z.infer<S> }> => {
    counters.waitedMs += waited;
    counters.total++;
    counters.calls[spec.kind] = (counters.calls[spec.kind] ?? 0) + 1;
    let response: Response;
    let text: string;
    try {
      const call = sdk.apiRequest({
        method: spec.method,
        path: spec.path,
        ...(spec.qs ? { qs: spec.qs } : {}),
        ...(spec.body !== undefined ? { body: spec.body as object } : {}),
      });
      try {
        response = await withTimeout(call);
      } catch (error) {
        // A create is not given up while its connection is open: HubSpot may still be applying it,
        // and a read sent now could miss it and lead to a second create. `createGraceMs` more for
        // its answer; a late answer is an answer (nothing to reconcile). A connection that ends
        // without one, or still hangs, is an uncertain create as before.
        if (!(error instanceof TimeoutSignal) || spec.intent !== 'create' || createGraceMs === 0) throw error;
        response = await withTimeout(call, createGraceMs);
        options.logger?.warn('hubspot create answered late', { path: spec.path, timeoutMs });
      }
      text = await withTimeout(response.text());
    } catch (error) {
      if (error instanceof TimeoutSignal) {
        throw new HubSpotApiError({ kind: 'timeout', retryable: true, message: `HubSpot did not answer within ${spec.intent === 'create' ? timeoutMs + createGraceMs : timeoutMs} ms (${spec.method} ${spec.path})` });
      }
      throw new HubSpotApiError({
        kind: 'network',
        retryable: true,
        cause: error,
        message: `Network error calling HubSpot (${spec.method} ${spec.path}): ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    let json: unknown = null;
    if (text.length > 0) {
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
    }
    if (response.status < 200 || response.status >= 300) {
      const error = errorFromResponse({
        status: response.status,
        body: json,
        retryAfter: response.headers.get('retry-after'),
        token: options.accessToken,
        now: clock.now(),
        method: spec.method,
        path: spec.path,
      });
      if (error.kind === 'rate-limit') {
        if (error instanceof RateLimitError && error.policyName === 'SECONDLY') counters.rateLimitedSecondly = (counters.rateLimitedSecondly ?? 0) + 1;
        else counters.rateLimited10s++;
      }
      // A refused search reached HubSpot later than the pacer's margin assumed: count searches
      // until their answer from now on (the retry policy waits this one out).
      if (error.kind === 'rate-limit' && (spec.kind === 'search' || spec.kind === 'taskSearch')) pacer.searchRefused();
      if (error.kind === 'daily-limit') counters.rateLimitedDaily++;
      throw error;
    }
    const parsed = spec.schema.safeParse(json);
    if (!parsed.success) {
      throw new HubSpotApiError({
        kind: 'bad-response',
        status: response.status,
        retryable: false,
        message: `Unexpected HubSpot response shape (${spec.method} ${spec.path}): ${parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; ')}`,
      });
    }
    counters.items[spec.kind] = (counters.items[spec.kind] ?? 0) + itemsOf(spec, parsed.data);
    return { status: response.status, data: parsed.data };
  };

  return {
    pacer,
    policy,
    ...(options.logger ? { logger: options.logger } : {}),
    request: (spec) =>
      policy.run(spec.intent, async () => {
        // One place in flight per attempt (a retry's back-off waits outside it).
        const search = spec.kind === 'search' || spec.kind === 'taskSearch';
        const releaseOther = search ? null : await others.enter();
        const release = await gate.enter();
        try {
          return await sendOnce(spec);
        } finally {
          release();
          releaseOther?.();
        }
      }),
    stats: () => ({ ...counters, calls: { ...counters.calls }, items: { ...counters.items } }),
    settleUncertainWrite: () => clock.sleep(Math.max(0, options.uncertainSettleMs ?? UNCERTAIN_SETTLE_MS)),
  };
}
