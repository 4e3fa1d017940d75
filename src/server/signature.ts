/**
 * HubSpot request signature v3.
 *
 * `X-HubSpot-Signature-v3` = base64(HMAC-SHA256(app client secret,
 *   method + URI + raw body + `X-HubSpot-Request-Timestamp`)), where URI is the full URL HubSpot
 * called (scheme, host, path, query) with a fixed list of percent-escapes decoded, and the timestamp
 * is epoch milliseconds. A timestamp more than 5 minutes off (either way) is rejected. Check it on
 * the raw body, before any JSON parsing.
 * https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-hubspot-signature-v3';
export const TIMESTAMP_HEADER = 'x-hubspot-request-timestamp';
export const MAX_SIGNATURE_SKEW_MS = 5 * 60 * 1000;

export type SignatureFailureReason =
  | 'missing_signature'
  | 'missing_timestamp'
  | 'malformed_timestamp'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'signature_mismatch';

export type SignatureCheck = { ok: true } | { ok: false; reason: SignatureFailureReason };

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
