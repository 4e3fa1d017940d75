import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { RateLimitError } from '../hubspot/errors';
import { BASE, TOKEN, fakeClock, tenSecondly429 } from '../hubspot/test-support';
import { FUNCTION_CLIENT_BUDGET, FUNCTION_TIME_LIMIT_MS, depsFromEnv } from './runtime';
import { hubspotFailure } from './failures';
import { silentLogger } from './deps';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('depsFromEnv', () => {
  it('needs a token and names both variables when none is set', () => {
    const r = depsFromEnv({});
    expect(r).toEqual({ ok: false, error: { code: 'missing_token', message: expect.stringMatching(/PRIVATE_APP_ACCESS_TOKEN.*HUBSPOT_ACCESS_TOKEN/) } });
    expect(depsFromEnv({ PRIVATE_APP_ACCESS_TOKEN: '  ' }).ok).toBe(false);
  });

  it('refuses a bad CS_CONFIG_JSON naming the key path, and a bad base URL', () => {
    const c = depsFromEnv({ HUBSPOT_ACCESS_TOKEN: TOKEN, CS_CONFIG_JSON: '{"segments":{"namedFrom":-1}}' });
    expect(c).toEqual({ ok: false, error: { code: 'bad_config', message: expect.stringContaining('segments.namedFrom') } });
    const u = depsFromEnv({ HUBSPOT_ACCESS_TOKEN: TOKEN, HUBSPOT_BASE_URL: 'not a url' });
    expect(u).toEqual({ ok: false, error: { code: 'bad_environment', message: expect.stringContaining('HUBSPOT_BASE_URL') } });
  });

  it('uses PRIVATE_APP_ACCESS_TOKEN first and HUBSPOT_BASE_URL for every call', async () => {
    const auth: (string | null)[] = [];
    server.use(
      http.get(`${BASE}/crm/v3/owners`, ({ request }) => {
        auth.push(request.headers.get('authorization'));
        return HttpResponse.json({ results: [] });
      }),
    );
    const r = depsFromEnv({ PRIVATE_APP_ACCESS_TOKEN: TOKEN, HUBSPOT_ACCESS_TOKEN: 'other', HUBSPOT_BASE_URL: `${BASE}/` }, { log: silentLogger });
    if (!r.ok) throw new Error(r.error.message);
    await r.deps.crm.listOwners();
    expect(auth).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
    expect(r.deps.configVersion).toMatch(/^c-[0-9a-f]{12}$/);
  });

  it('a Retry-After longer than the function budget is not waited: it comes back at once as rate_limited (reliability 20)', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/crm/v3/owners`, () => {
        calls++;
        return HttpResponse.json(tenSecondly429, { status: 429, headers: { 'Retry-After': '30' } });
      }),
    );
    const clock = fakeClock();
    const r = depsFromEnv({ HUBSPOT_ACCESS_TOKEN: TOKEN, HUBSPOT_BASE_URL: BASE }, { log: silentLogger, client: { clock } });
    if (!r.ok) throw new Error(r.error.message);
    const error = await r.deps.crm.listOwners().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RateLimitError);
    expect(calls).toBe(1);
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThan(FUNCTION_CLIENT_BUDGET.maxWaitMs);
    expect(hubspotFailure(error)).toEqual({ code: 'rate_limited', message: expect.stringContaining('30 s'), retryable: true });
    expect(FUNCTION_CLIENT_BUDGET.timeoutMs * (FUNCTION_CLIENT_BUDGET.maxRetries + 1)).toBeLessThanOrEqual(FUNCTION_TIME_LIMIT_MS);
    // A create whose answer is lost: timeout + grace, the settle wait, then one reconciling read.
    const { timeoutMs, createGraceMs, uncertainSettleMs } = FUNCTION_CLIENT_BUDGET;
    expect(timeoutMs + createGraceMs + uncertainSettleMs + timeoutMs).toBeLessThanOrEqual(FUNCTION_TIME_LIMIT_MS);
  });
});
