/**
 * HubSpot request signatures, as HubSpot sends them to a workflow action's `actionUrl`.
 *
 * - HubSpot's custom-action guide: "Requests made for your custom action will use the v2 version of
 *   the X-HubSpot-Signature."
 *   https://developers.hubspot.com/docs/api-reference/automation-actions-v4-v4/custom-action-guide
 * - HubSpot's request-validation page: v3 (`X-HubSpot-Signature-v3` + `X-HubSpot-Request-Timestamp`)
 *   is the latest; "for backwards compatibility, requests from HubSpot also include older versions of
 *   the signature" (`X-HubSpot-Signature` + `X-HubSpot-Signature-Version: v1|v2`).
 *   https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation
 *
 * v3 = base64(HMAC-SHA256(app client secret, method + URI + raw body + timestamp)), where URI is
 * the full URL HubSpot called (scheme, host, path, query) with a fixed list of percent-escapes
 * decoded, and the timestamp is epoch milliseconds; more than 5 minutes off (either way) is rejected.
 *
 * v2 = hex(SHA-256(client secret + method + URI + raw body)) where "the URI used to build the source
 * string must exactly match the original request, including the protocol" (no decoding), UTF-8.
 * https://developers.hubspot.com/docs/faq/v2-request-validation
 * v2 has no timestamp: replays are stopped by the durable store of answered callbackIds.
 *
 * v1 (secret + body: no method, no URL) is never accepted. Check on the raw body, before any JSON
 * parsing; compare in constant time.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-hubspot-signature-v3';
export const TIMESTAMP_HEADER = 'x-hubspot-request-timestamp';
/** The older signature (v1 or v2, as `X-HubSpot-Signature-Version` says). */
export const LEGACY_SIGNATURE_HEADER = 'x-hubspot-signature';
export const SIGNATURE_VERSION_HEADER = 'x-hubspot-signature-version';
export const MAX_SIGNATURE_SKEW_MS = 5 * 60 * 1000;

export type SignatureVersion = 'v2' | 'v3';

export type SignatureFailureReason =
  | 'missing_signature'
  | 'unsupported_signature_version'
  | 'missing_timestamp'
  | 'malformed_timestamp'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'signature_mismatch';

export type SignatureCheck = { ok: true } | { ok: false; reason: SignatureFailureReason };

/** The outcome of {@link verifyHubSpotSignature}: which version passed, or why none did. */
export type HubSpotSignatureCheck = { ok: true; version: SignatureVersion } | { ok: false; reason: SignatureFailureReason; version: SignatureVersion | null };

export type SignatureHeaders = Record<string, string | string[] | undefined>;

function headerValue(headers: SignatureHeaders, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  const first = Array.isArray(value) ? value[0] : value;
  const trimmed = first?.trim();
  return trimmed ? trimmed : undefined;
}

export interface VerifySignatureV3Input {
  method: string;
  /** The full URL as HubSpot called it, e.g. `https://cs.example.com/actions/run-playbooks?x=1`. */
  uri: string;
  /** The raw request body, exactly as received. */
  body: string | Buffer;
  timestamp: string | null | undefined;
  signature: string | null | undefined;
  clientSecret: string;
  /** Epoch ms. */
  now: number;
  maxSkewMs?: number;
}

/** The percent-escapes HubSpot decodes in the URI before signing (and only these). */
const DECODED: Readonly<Record<string, string>> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

/**
 * The URI as it enters the signature: the listed escapes decoded (case-insensitive), nothing else.
 * @example decodeSignedUri('https://x.io/a?email=a%40b.com') // 'https://x.io/a?email=a@b.com'
 */
export function decodeSignedUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODED[m.toUpperCase()] ?? m);
}

/** base64 HMAC-SHA256 of method + decoded URI + raw body + timestamp. */
export function computeSignatureV3(input: {
  method: string;
  uri: string;
  body: string | Buffer;
  timestamp: string;
  clientSecret: string;
}): string {
  const hmac = createHmac('sha256', input.clientSecret);
  hmac.update(input.method.toUpperCase() + decodeSignedUri(input.uri), 'utf8');
  if (typeof input.body === 'string') hmac.update(input.body, 'utf8');
  else hmac.update(input.body);
  hmac.update(input.timestamp, 'utf8');
  return hmac.digest('base64');
}

/**
 * Verifies a v3 signature. Rejects a missing header, a timestamp more than `maxSkewMs` (5 min)
 * away from `now` in either direction, and any mismatch (compared in constant time).
 */
export function verifySignatureV3(input: VerifySignatureV3Input): SignatureCheck {
  const maxSkew = input.maxSkewMs ?? MAX_SIGNATURE_SKEW_MS;
  const signature = input.signature?.trim();
  const timestamp = input.timestamp?.trim();
  if (!signature) return { ok: false, reason: 'missing_signature' };
  if (!timestamp) return { ok: false, reason: 'missing_timestamp' };
  if (!/^\d{1,16}$/.test(timestamp)) return { ok: false, reason: 'malformed_timestamp' };
  const at = Number(timestamp);
  if (input.now - at > maxSkew) return { ok: false, reason: 'stale_timestamp' };
  if (at - input.now > maxSkew) return { ok: false, reason: 'future_timestamp' };

  const expected = Buffer.from(
    computeSignatureV3({ method: input.method, uri: input.uri, body: input.body, timestamp, clientSecret: input.clientSecret }),
    'utf8',
  );
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'signature_mismatch' };
  }
  return { ok: true };
}

/**
 * Signs a request the way HubSpot does (tests, the load bench, local tools).
 * @returns the two headers to send.
 */
export function signRequestV3(input: {
  method: string;
  uri: string;
  body: string | Buffer;
  clientSecret: string;
  /** Epoch ms. */
  timestamp: number;
}): { [SIGNATURE_HEADER]: string; [TIMESTAMP_HEADER]: string } {
  const timestamp = String(Math.trunc(input.timestamp));
  return {
    [SIGNATURE_HEADER]: computeSignatureV3({ ...input, timestamp }),
    [TIMESTAMP_HEADER]: timestamp,
  };
}

/** hex SHA-256 of client secret + method + the exact URI + raw body (signature v2). */
export function computeSignatureV2(input: { method: string; uri: string; body: string | Buffer; clientSecret: string }): string {
  const hash = createHash('sha256');
  hash.update(input.clientSecret + input.method.toUpperCase() + input.uri, 'utf8');
  if (typeof input.body === 'string') hash.update(input.body, 'utf8');
  else hash.update(input.body);
  return hash.digest('hex');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Verifies a v2 signature (hex is compared case-insensitively, in constant time). */
export function verifySignatureV2(input: { method: string; uri: string; body: string | Buffer; signature: string | null | undefined; clientSecret: string }): SignatureCheck {
  const signature = input.signature?.trim().toLowerCase();
  if (!signature) return { ok: false, reason: 'missing_signature' };
  return sameText(signature, computeSignatureV2(input)) ? { ok: true } : { ok: false, reason: 'signature_mismatch' };
}

/**
 * Which signature a request carries, checked without its body: v3 when its header is present (the
 * timestamp is checked here too, so a stale v3 request is refused before its body is read), else v2
 * when `X-HubSpot-Signature-Version: v2` and `X-HubSpot-Signature` are present. v1 and anything else
 * are refused.
 */
export function precheckSignatureHeaders(
  headers: SignatureHeaders,
  now: number,
  maxSkewMs: number = MAX_SIGNATURE_SKEW_MS,
): { ok: true; version: SignatureVersion } | { ok: false; reason: SignatureFailureReason; version: SignatureVersion | null } {
  if (headerValue(headers, SIGNATURE_HEADER)) {
    const timestamp = headerValue(headers, TIMESTAMP_HEADER);
    if (!timestamp) return { ok: false, reason: 'missing_timestamp', version: 'v3' };
    if (!/^\d{1,16}$/.test(timestamp)) return { ok: false, reason: 'malformed_timestamp', version: 'v3' };
    const at = Number(timestamp);
    if (now - at > maxSkewMs) return { ok: false, reason: 'stale_timestamp', version: 'v3' };
    if (at - now > maxSkewMs) return { ok: false, reason: 'future_timestamp', version: 'v3' };
    return { ok: true, version: 'v3' };
  }
  const version = headerValue(headers, SIGNATURE_VERSION_HEADER)?.toLowerCase();
  const legacy = headerValue(headers, LEGACY_SIGNATURE_HEADER);
  if (version === 'v2' && legacy) return { ok: true, version: 'v2' };
  if (legacy && version !== undefined && version !== 'v2') return { ok: false, reason: 'unsupported_signature_version', version: null };
  return { ok: false, reason: 'missing_signature', version: null };
}

/**
 * Verifies a request as HubSpot signs it: v3 when its headers are present, else v2; never v1.
 *
 * @param input.uri the public URL HubSpot called (scheme, host, path, query), as configured.
 * @example
 * const check = verifyHubSpotSignature({ method: 'POST', uri, body, headers: req.headers, clientSecret, now: Date.now() });
 * if (check.ok) log('signature ok', check.version);
 */
export function verifyHubSpotSignature(input: {
  method: string;
  uri: string;
  body: string | Buffer;
  headers: SignatureHeaders;
  clientSecret: string;
  now: number;
  maxSkewMs?: number;
}): HubSpotSignatureCheck {
  const pre = precheckSignatureHeaders(input.headers, input.now, input.maxSkewMs);
  if (!pre.ok) return pre;
  if (pre.version === 'v3') {
    const check = verifySignatureV3({
      method: input.method,
      uri: input.uri,
      body: input.body,
      timestamp: headerValue(input.headers, TIMESTAMP_HEADER),
      signature: headerValue(input.headers, SIGNATURE_HEADER),
      clientSecret: input.clientSecret,
      now: input.now,
      maxSkewMs: input.maxSkewMs,
    });
    return check.ok ? { ok: true, version: 'v3' } : { ...check, version: 'v3' };
  }
  const check = verifySignatureV2({ method: input.method, uri: input.uri, body: input.body, signature: headerValue(input.headers, LEGACY_SIGNATURE_HEADER), clientSecret: input.clientSecret });
  return check.ok ? { ok: true, version: 'v2' } : { ...check, version: 'v2' };
}

/** Signs a request with v2, the way HubSpot signs custom-action requests (tests, the load bench). */
export function signRequestV2(input: { method: string; uri: string; body: string | Buffer; clientSecret: string }): {
  [LEGACY_SIGNATURE_HEADER]: string;
  [SIGNATURE_VERSION_HEADER]: 'v2';
} {
  return { [LEGACY_SIGNATURE_HEADER]: computeSignatureV2(input), [SIGNATURE_VERSION_HEADER]: 'v2' };
}
