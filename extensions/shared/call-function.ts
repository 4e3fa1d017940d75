/**
 * The one way the UI calls our app functions: parameters are checked with the function's own zod
 * schema first (a bad input is refused before any call), the call never throws, and whatever comes
 * back is checked to be a `FunctionResult` envelope.
 */
import { hubspot } from '@hubspot/ui-extensions';
import {
  functionScope,
  parseParams,
  type FunctionResult,
  type FunctionParamsInput,
  type FunctionUid,
  type JsonValue,
} from '../../src/app/view-models';

function isEnvelope(value: unknown): value is FunctionResult<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; data?: unknown; error?: { message?: unknown } };
  if (v.ok === true) return 'data' in v;
  if (v.ok === false) return typeof v.error === 'object' && v.error !== null && typeof v.error.message === 'string';
  return false;
}

/** Round-trips through JSON: what crosses `hubspot.serverless` is JSON anyway (drops `undefined`). */
function asJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

/**
 * Calls function `uid` with `params`. `T` is the `data` type the function returns.
 * Resolves `{ ok: false, error: { code: 'bad_parameters' } }` without calling when params are bad.
 */
export async function callFunction<T, U extends FunctionUid = FunctionUid>(
  uid: U,
  params: FunctionParamsInput<U>,
): Promise<FunctionResult<T>> {
  const parsed = parseParams(uid, params);
  if (!parsed.ok) return { ok: false, error: { code: parsed.error.code, message: parsed.error.message } };
  let response: unknown;
  try {
    // A card function checks that it acts on the card's own record: HubSpot fills
    // `context.propertiesToSend.hs_object_id` from the record the card is on (UI extensions SDK,
    // `ServerlessRunnerParams.propertiesToSend`).
    const propertiesToSend = functionScope(uid).record === 'card' ? { propertiesToSend: ['hs_object_id'] } : {};
    response = await hubspot.serverless<unknown>(uid, { ...propertiesToSend, parameters: asJson(parsed.data) });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, error: { code: 'call_failed', message: `The ${uid} function could not be reached: ${message}` } };
  }
  if (!isEnvelope(response)) {
    return { ok: false, error: { code: 'bad_response', message: `The ${uid} function answered in an unexpected format.` } };
  }
  return response as FunctionResult<T>;
}
