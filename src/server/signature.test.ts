import { Signature } from '@hubspot/api-client';

import { computeSignatureV3, decodeSignedUri, signRequestV3, verifySignatureV3, type VerifySignatureV3Input } from './signature';

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
