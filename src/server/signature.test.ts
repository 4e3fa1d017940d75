import { createHash } from 'node:crypto';

import { Signature } from '@hubspot/api-client';

import {
  computeSignatureV2,
  computeSignatureV3,
  decodeSignedUri,
  precheckSignatureHeaders,
  signRequestV2,
  signRequestV3,
  verifyHubSpotSignature,
  verifySignatureV3,
  type VerifySignatureV3Input,
} from './signature';

const secret = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const uri = 'https://cs.example.com/actions/run-playbooks';
const body = '{"callbackId":"ap-1","object":{"objectId":42,"objectType":"COMPANY"}}';
const now = Date.UTC(2026, 10, 23, 10, 0, 0);
const MIN = 60_000;

function signed(at: number, overrides: Partial<VerifySignatureV3Input> = {}): VerifySignatureV3Input {
  const headers = signRequestV3({ method: 'POST', uri, body, clientSecret: secret, timestamp: at });
  return {
    method: 'POST',
    uri,
    body,
    timestamp: headers['x-hubspot-request-timestamp'],
    signature: headers['x-hubspot-signature-v3'],
    clientSecret: secret,
    now,
    ...overrides,
  };
}

describe('verifySignatureV3', () => {
  it('accepts a valid signature (string and Buffer body)', () => {
    expect(verifySignatureV3(signed(now))).toEqual({ ok: true });
    expect(verifySignatureV3(signed(now, { body: Buffer.from(body, 'utf8') }))).toEqual({ ok: true });
  });

  it('matches the signature HubSpot’s own Node client computes (method + URL + body + timestamp)', () => {
    const ours = computeSignatureV3({ method: 'POST', uri, body, timestamp: String(now), clientSecret: secret });
    const theirs = Signature.getSignature('POST', 'v3', { signature: '', url: uri, requestBody: body, timestamp: now, clientSecret: secret });
    expect(ours).toBe(theirs);
  });

  it('rejects a tampered body', () => {
    expect(verifySignatureV3(signed(now, { body: body.replace('42', '43') }))).toEqual({ ok: false, reason: 'signature_mismatch' });
  });

  it('rejects a tampered URI (other action, other host, other scheme)', () => {
    for (const other of ['https://cs.example.com/actions/recompute-health', 'https://evil.example.com/actions/run-playbooks', 'http://cs.example.com/actions/run-playbooks']) {
      expect(verifySignatureV3(signed(now, { uri: other }))).toEqual({ ok: false, reason: 'signature_mismatch' });
    }
  });

  it('rejects another method', () => {
    expect(verifySignatureV3(signed(now, { method: 'PUT' }))).toEqual({ ok: false, reason: 'signature_mismatch' });
  });

  it('rejects a wrong secret', () => {
    expect(verifySignatureV3(signed(now, { clientSecret: 'another-secret' }))).toEqual({ ok: false, reason: 'signature_mismatch' });
  });

  it('rejects missing or empty headers, and a malformed timestamp', () => {
    expect(verifySignatureV3(signed(now, { signature: undefined }))).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifySignatureV3(signed(now, { signature: '' }))).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifySignatureV3(signed(now, { timestamp: null }))).toEqual({ ok: false, reason: 'missing_timestamp' });
    expect(verifySignatureV3(signed(now, { timestamp: '17e11' }))).toEqual({ ok: false, reason: 'malformed_timestamp' });
    expect(verifySignatureV3(signed(now, { timestamp: '-1' }))).toEqual({ ok: false, reason: 'malformed_timestamp' });
  });

  it('rejects a signature of another length or a truncated one without throwing', () => {
    const ok = signed(now);
    expect(verifySignatureV3({ ...ok, signature: ok.signature?.slice(0, 20) })).toEqual({ ok: false, reason: 'signature_mismatch' });
    expect(verifySignatureV3({ ...ok, signature: `${ok.signature}A` })).toEqual({ ok: false, reason: 'signature_mismatch' });
  });

  it('case 16: timestamp 4:59 old accepted, 5:01 old rejected, 5:01 in the future rejected', () => {
    expect(verifySignatureV3(signed(now - (4 * MIN + 59_000)))).toEqual({ ok: true });
    expect(verifySignatureV3(signed(now - 5 * MIN))).toEqual({ ok: true });
    expect(verifySignatureV3(signed(now - (5 * MIN + 1_000)))).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifySignatureV3(signed(now + 4 * MIN + 59_000))).toEqual({ ok: true });
    expect(verifySignatureV3(signed(now + 5 * MIN + 1_000))).toEqual({ ok: false, reason: 'future_timestamp' });
  });

  it('a signature replayed with a fresh timestamp header does not verify', () => {
    const old = signed(now - 10 * MIN);
    expect(verifySignatureV3({ ...old, timestamp: String(now) })).toEqual({ ok: false, reason: 'signature_mismatch' });
  });
});

describe('decodeSignedUri', () => {
  it('decodes only the escapes HubSpot lists, in either case', () => {
    expect(decodeSignedUri('https://x.io/a?e=a%40b.com&l=%2Fp%3Aq%2c%3b')).toBe('https://x.io/a?e=a@b.com&l=/p:q,;');
    expect(decodeSignedUri('https://x.io/a?s=a%20b&p=%2B')).toBe('https://x.io/a?s=a%20b&p=%2B');
  });

  it('a request signed over the decoded URI verifies against the encoded one', () => {
    const enc = 'https://cs.example.com/actions/run-playbooks?ref=a%40b';
    const headers = signRequestV3({ method: 'POST', uri: 'https://cs.example.com/actions/run-playbooks?ref=a@b', body, clientSecret: secret, timestamp: now });
    expect(
      verifySignatureV3({ method: 'POST', uri: enc, body, timestamp: headers['x-hubspot-request-timestamp'], signature: headers['x-hubspot-signature-v3'], clientSecret: secret, now }),
    ).toEqual({ ok: true });
  });
});

describe('signature v2 (what HubSpot sends to custom workflow actions)', () => {
  it("matches HubSpot's documented example and its Node client", () => {
    // https://developers.hubspot.com/docs/faq/v2-request-validation (GET example, no body)
    expect(computeSignatureV2({ method: 'GET', uri: 'https://www.example.com/webhook_uri', body: '', clientSecret: secret })).toBe(
      'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e',
    );
    const theirs = Signature.getSignature('POST', 'v2', { signature: '', url: uri, requestBody: body, clientSecret: secret });
    expect(computeSignatureV2({ method: 'POST', uri, body, clientSecret: secret })).toBe(theirs);
  });

  const v2 = (overrides: { uri?: string; body?: string; headers?: Record<string, string> } = {}) =>
    verifyHubSpotSignature({
      method: 'POST',
      uri: overrides.uri ?? uri,
      body: overrides.body ?? body,
      headers: overrides.headers ?? signRequestV2({ method: 'POST', uri, body, clientSecret: secret }),
      clientSecret: secret,
      now,
    });

  it('accepts a v2-signed request and says so; upper-case hex too', () => {
    expect(v2()).toEqual({ ok: true, version: 'v2' });
    const headers = signRequestV2({ method: 'POST', uri, body, clientSecret: secret });
    expect(v2({ headers: { ...headers, 'x-hubspot-signature': headers['x-hubspot-signature'].toUpperCase() } })).toEqual({ ok: true, version: 'v2' });
  });

  it('rejects a tampered body or URI, a wrong secret, v1 and a missing version header', () => {
    expect(v2({ body: body.replace('42', '43') })).toEqual({ ok: false, reason: 'signature_mismatch', version: 'v2' });
    expect(v2({ uri: 'http://cs.example.com/actions/run-playbooks' })).toEqual({ ok: false, reason: 'signature_mismatch', version: 'v2' });
    expect(v2({ headers: signRequestV2({ method: 'POST', uri, body, clientSecret: 'other' }) })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
    const v1 = createHash('sha256').update(secret + body).digest('hex');
    expect(v2({ headers: { 'x-hubspot-signature': v1, 'x-hubspot-signature-version': 'v1' } })).toEqual({ ok: false, reason: 'unsupported_signature_version', version: null });
    expect(v2({ headers: { 'x-hubspot-signature': computeSignatureV2({ method: 'POST', uri, body, clientSecret: secret }) } })).toEqual({
      ok: false,
      reason: 'missing_signature',
      version: null,
    });
  });

  it('the v2 URI is exact: no percent-decoding (unlike v3)', () => {
    const enc = 'https://cs.example.com/actions/run-playbooks?ref=a%40b';
    const headers = signRequestV2({ method: 'POST', uri: 'https://cs.example.com/actions/run-playbooks?ref=a@b', body, clientSecret: secret });
    expect(v2({ uri: enc, headers })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
    expect(v2({ uri: enc, headers: signRequestV2({ method: 'POST', uri: enc, body, clientSecret: secret }) })).toEqual({ ok: true, version: 'v2' });
  });

  it('v3 wins when both are present: a valid v2 does not rescue a bad v3', () => {
    const both = { ...signRequestV2({ method: 'POST', uri, body, clientSecret: secret }), ...signRequestV3({ method: 'POST', uri, body, clientSecret: secret, timestamp: now }) };
    expect(verifyHubSpotSignature({ method: 'POST', uri, body, headers: both, clientSecret: secret, now })).toEqual({ ok: true, version: 'v3' });
    const badV3 = { ...both, 'x-hubspot-signature-v3': 'AAAA' };
    expect(verifyHubSpotSignature({ method: 'POST', uri, body, headers: badV3, clientSecret: secret, now })).toEqual({ ok: false, reason: 'signature_mismatch', version: 'v3' });
  });
});

describe('precheckSignatureHeaders (before the body is read)', () => {
  it('passes v3 with a fresh timestamp and v2, refuses stale v3, v1 and nothing', () => {
    const v3 = signRequestV3({ method: 'POST', uri, body, clientSecret: secret, timestamp: now });
    expect(precheckSignatureHeaders(v3, now)).toEqual({ ok: true, version: 'v3' });
    expect(precheckSignatureHeaders(v3, now + 5 * MIN + 1_000)).toEqual({ ok: false, reason: 'stale_timestamp', version: 'v3' });
    expect(precheckSignatureHeaders({ 'x-hubspot-signature-v3': 'x' }, now)).toEqual({ ok: false, reason: 'missing_timestamp', version: 'v3' });
    expect(precheckSignatureHeaders(signRequestV2({ method: 'POST', uri, body, clientSecret: secret }), now)).toEqual({ ok: true, version: 'v2' });
    expect(precheckSignatureHeaders({ 'x-hubspot-signature': 'x', 'x-hubspot-signature-version': 'v1' }, now)).toMatchObject({ ok: false, reason: 'unsupported_signature_version' });
    expect(precheckSignatureHeaders({}, now)).toEqual({ ok: false, reason: 'missing_signature', version: null });
  });
});
