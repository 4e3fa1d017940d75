/**
 * The one retry policy on its own: which failures it repeats, how long it waits (fake clock, no
 * sleeping), and the typed errors it makes of HubSpot's answers.
 */
import { AuthError, DailyLimitError, HubSpotApiError, RateLimitError, UncertainWriteError } from './errors';
import { createRetryPolicy, errorFromResponse, retryAfterMs } from './retry-policy';
import { TOKEN, daily429, fakeClock, missingScopes403, tenSecondly429 } from './test-support';

const NOW = Date.UTC(2026, 10, 23, 10, 0, 0);
const server = (status = 502) => new HubSpotApiError({ kind: 'server', status, retryable: true, message: `HubSpot server error ${status}` });
const rateLimited = (retryAfter: number | null) => new RateLimitError({ message: 'ten secondly', retryAfterMs: retryAfter, policyName: 'TEN_SECONDLY_ROLLING' });

/** A `send` that fails with the given errors in turn, then answers 'ok'; counts its calls. */
function failing(...errors: unknown[]): { send: () => Promise<string>; calls: () => number } {
  let n = 0;
  return {
    send: async () => {
      const e = errors[n++];
      if (e !== undefined) throw e;
      return 'ok';
    },
    calls: () => n,
  };
}

describe('retryAfterMs', () => {
  it('reads seconds (whole or decimal) and HTTP dates; null when absent or unreadable', () => {
    expect(retryAfterMs('3', NOW)).toBe(3000);
    expect(retryAfterMs(' 1.5 ', NOW)).toBe(1500);
    expect(retryAfterMs(new Date(NOW + 7000).toUTCString(), NOW)).toBe(7000);
    expect(retryAfterMs(new Date(NOW - 7000).toUTCString(), NOW)).toBe(0);
    expect(retryAfterMs(null, NOW)).toBeNull();
    expect(retryAfterMs('  ', NOW)).toBeNull();
    expect(retryAfterMs('soon', NOW)).toBeNull();
  });
});

describe('errorFromResponse', () => {
  const base = { token: TOKEN, now: NOW, retryAfter: null, method: 'POST', path: '/crm/v3/objects/companies/search' };

  it('401: an AuthError naming the masked token, never the token itself', () => {
    const e = errorFromResponse({ ...base, status: 401, body: { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' } });
    expect(e).toBeInstanceOf(AuthError);
    expect(e.retryable).toBe(false);
    expect(e.message).toContain('pat-na1-…abcd');
    expect(e.message).not.toContain(TOKEN);
  });

  it('403: the missing scopes, from HubSpot’s error context', () => {
    const e = errorFromResponse({ ...base, status: 403, body: missingScopes403 });
    expect(e).toBeInstanceOf(AuthError);
    expect((e as AuthError).missingScopes).toEqual(['crm.objects.companies.read']);
    expect(e.message).toMatch(/missing scope\(s\): crm\.objects\.companies\.read/);
  });

  it('429: DAILY is a DailyLimitError; the rolling limit a RateLimitError with its Retry-After', () => {
    expect(errorFromResponse({ ...base, status: 429, body: daily429 })).toBeInstanceOf(DailyLimitError);
    const e = errorFromResponse({ ...base, status: 429, body: tenSecondly429, retryAfter: '2' });
    expect(e).toBeInstanceOf(RateLimitError);
    expect((e as RateLimitError).retryAfterMs).toBe(2000);
    expect((e as RateLimitError).policyName).toBe('TEN_SECONDLY_ROLLING');
  });

  it('5xx is retryable; other 4xx are not (423 Locked is); a non-JSON body still gives a message', () => {
    expect(errorFromResponse({ ...base, status: 503, body: '<html>unavailable</html>' })).toMatchObject({ kind: 'server', status: 503, retryable: true });
    expect(errorFromResponse({ ...base, status: 400, body: { message: 'Property values were not valid', category: 'VALIDATION_ERROR' } })).toMatchObject({
      kind: 'client',
      retryable: false,
      message: expect.stringContaining('VALIDATION_ERROR'),
    });
    expect(errorFromResponse({ ...base, status: 423, body: null }).retryable).toBe(true);
  });
});

describe('createRetryPolicy', () => {
  it('repeats a read after 5xx with a growing, jittered back-off, then answers', async () => {
    const clock = fakeClock(NOW);
    const policy = createRetryPolicy({ clock, random: () => 0, baseDelayMs: 500 });
    const s = failing(server(), server(), server());
    await expect(policy.run('read', s.send)).resolves.toBe('ok');
    expect(s.calls()).toBe(4);
    // "Equal jitter" with random() = 0: half of 500 · 2^n.
    expect(clock.sleeps).toEqual([250, 500, 1000]);
  });

  it('gives up after maxRetries and throws the last error', async () => {
    const clock = fakeClock(NOW);
    const policy = createRetryPolicy({ clock, random: () => 0.5, maxRetries: 2 });
    const s = failing(server(500), server(502), server(504), server(500));
    await expect(policy.run('idempotent-write', s.send)).rejects.toMatchObject({ status: 504 });
    expect(s.calls()).toBe(3);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('never re-sends a create after a 5xx: the caller gets an UncertainWriteError to reconcile', async () => {
    const clock = fakeClock(NOW);
    const policy = createRetryPolicy({ clock });
    const s = failing(server());
    const error = await policy.run('create', s.send).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UncertainWriteError);
    expect(s.calls()).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('waits exactly Retry-After on a rolling-limit 429, for creates too (HubSpot did not process them)', async () => {
    const clock = fakeClock(NOW);
    const policy = createRetryPolicy({ clock, random: () => 0.99 });
    const s = failing(rateLimited(1200), rateLimited(null));
    await expect(policy.run('create', s.send)).resolves.toBe('ok');
    expect(clock.sleeps[0]).toBe(1200);
    // Without Retry-After: at least a second.
    expect(clock.sleeps[1]).toBeGreaterThanOrEqual(1000);
  });

  it('does not retry a daily limit, an auth error, a 400 or a bug', async () => {
    for (const e of [new DailyLimitError({ message: 'daily' }), new AuthError({ message: 'x', status: 401 }), new HubSpotApiError({ kind: 'client', status: 400, retryable: false, message: 'bad' }), new TypeError('bug')]) {
      const clock = fakeClock(NOW);
      const s = failing(e);
      await expect(createRetryPolicy({ clock }).run('read', s.send)).rejects.toBe(e);
      expect(s.calls()).toBe(1);
      expect(clock.sleeps).toEqual([]);
    }
  });

  it('throws at once instead of a wait longer than maxWaitMs (the caller defers with a cursor)', async () => {
    const clock = fakeClock(NOW);
    const s = failing(rateLimited(30_000));
    await expect(createRetryPolicy({ clock, maxWaitMs: 4000 }).run('read', s.send)).rejects.toBeInstanceOf(RateLimitError);
    expect(clock.sleeps).toEqual([]);
  });

  it('stops after maxRateLimitRetries rolling-limit 429s', async () => {
    const clock = fakeClock(NOW);
    const s = failing(rateLimited(100), rateLimited(100), rateLimited(100));
    await expect(createRetryPolicy({ clock, maxRateLimitRetries: 2 }).run('read', s.send)).rejects.toBeInstanceOf(RateLimitError);
    expect(s.calls()).toBe(3);
  });

  it('reports each retry to onRetry with the wait it is about to take', async () => {
    const seen: Array<{ attempt: number; delayMs: number; kind: string }> = [];
    const policy = createRetryPolicy({ clock: fakeClock(NOW), random: () => 0, onRetry: ({ error, attempt, delayMs }) => seen.push({ attempt, delayMs, kind: error.kind }) });
    await policy.run('read', failing(rateLimited(700), server()).send);
    expect(seen).toEqual([
      { attempt: 0, delayMs: 700, kind: 'rate-limit' },
      { attempt: 1, delayMs: 250, kind: 'server' },
    ]);
  });

  it('backoffMs stays within [ceiling/2, ceiling] and under the cap', () => {
    const low = createRetryPolicy({ clock: fakeClock(NOW), random: () => 0, baseDelayMs: 500, maxDelayMs: 30_000 });
    const high = createRetryPolicy({ clock: fakeClock(NOW), random: () => 0.999999, baseDelayMs: 500, maxDelayMs: 30_000 });
    expect([0, 1, 2, 3].map((n) => low.backoffMs(n))).toEqual([250, 500, 1000, 2000]);
    expect([0, 1, 2, 3].map((n) => high.backoffMs(n))).toEqual([500, 1000, 2000, 4000]);
    expect(high.backoffMs(20)).toBe(30_000);
    expect(low.backoffMs(20)).toBe(15_000);
  });
});
