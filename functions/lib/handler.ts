/**
 * The one wrapper every app function runs through: parse the parameters (zod, `parseParams`),
 * build the dependencies from the environment, run the use case, and answer the
 * `FunctionResult` envelope. It never throws to HubSpot and never returns a stack trace:
 * HubSpot errors become codes people can act on, anything unexpected becomes `internal` with an
 * error id that is also logged.
 */
import { randomUUID } from 'node:crypto';
import {
  checkCardRecord,
  parseParams,
  depsFromEnv,
  errorKind,
  hubspotFailure,
  type FunctionResult,
  type FunctionParams,
  type FunctionUid,
  type Env,
  type RuntimeOverrides,
  type AppDeps,
} from '../../src/app';

/** What HubSpot passes to an app function (2026.03): `{ parameters, propertiesToSend, event, secrets }`. */
export interface FunctionContext {
  parameters?: unknown;
  propertiesToSend?: unknown;
  event?: unknown;
  secrets?: unknown;
}

let overrides: RuntimeOverrides | null = null;

/** Test seam: the clock, logger or client options every function uses until reset with `null`. */
export function setFunctionOverrides(next: RuntimeOverrides | null): void {
  overrides = next;
}

/** String secrets from the context (local executor) under `process.env` (HubSpot puts secretKeys there). */
function environment(context: FunctionContext): Env {
  const env: Record<string, string | undefined> = {};
  const secrets = context.secrets;
  if (typeof secrets === 'object' && secrets !== null) {
    for (const [k, v] of Object.entries(secrets)) if (typeof v === 'string') env[k] = v;
  }
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return env;
}

/** Maps a thrown error to the envelope. Exported for tests. */
export function errorResult(error: unknown, log: AppDeps['log'] | null, uid: string): { ok: false; error: { code: string; message: string } } {
  const known = hubspotFailure(error);
  if (known !== null) return { ok: false, error: { code: known.code, message: known.message } };
  const errorId = randomUUID();
  log?.error('function_failed', { uid, errorId, ...errorKind(error) });
  return {
    ok: false,
    error: { code: 'internal', message: `Something went wrong (error id ${errorId}). Try again; if it persists, give this id to your admin.` },
  };
}

/**
 * Runs function `uid`.
 *
 * @example
 * export const main = (context: FunctionContext) => runFunction('card-data', context, (p, deps) => buildCardData(deps, p.companyId));
 */
export async function runFunction<U extends FunctionUid, T>(
  uid: U,
  context: FunctionContext | null | undefined,
  work: (params: FunctionParams<U>, deps: AppDeps) => Promise<FunctionResult<T>>,
): Promise<FunctionResult<T>> {
  let log: AppDeps['log'] | null = overrides?.log ?? null;
  try {
    const ctx = context ?? {};
    const parsed = parseParams(uid, ctx.parameters);
    if (!parsed.ok) return { ok: false, error: { code: parsed.error.code, message: parsed.error.message } };
    // A card function acts on its card's record only (HubSpot fills propertiesToSend from the record).
    const record = checkCardRecord(uid, parsed.data, ctx.propertiesToSend);
    if (!record.ok) {
      log?.warn('function_wrong_record', { uid });
      return { ok: false, error: record.error };
    }
    const built = depsFromEnv(environment(ctx), overrides ?? {});
    if (!built.ok) return { ok: false, error: built.error };
    log = built.deps.log;
    if (!record.verified) log.warn('function_record_unverified', { uid, hint: "the card should pass propertiesToSend: ['hs_object_id']" });
    return await work(parsed.data, built.deps);
  } catch (error) {
    return errorResult(error, log, uid);
  }
}

/**
 * A use case's outcome (`{ ok: true, ... }` or an `ActionFailure`) as the envelope: the fields
 * become `data`; a failure keeps its code and message.
 */
export function envelope<R extends { ok: true } | { ok: false; error: { code: string; message: string } }>(result: R): FunctionResult<Omit<Extract<R, { ok: true }>, 'ok'>> {
  if (!result.ok) {
    const failure = result as Extract<R, { ok: false }>;
    return { ok: false, error: { code: failure.error.code, message: failure.error.message } };
  }
  const { ok: _ok, ...data } = result as Extract<R, { ok: true }>;
  return { ok: true, data };
}
