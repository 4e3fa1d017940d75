import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createHubSpotClient } from './client';
import { AuthError, DailyLimitError, HubSpotApiError, RateLimitError, UncertainWriteError } from './errors';
import { maxInWindow } from './pacer';
import { anyBodySchema, ownersPageSchema } from './schemas';
import { BASE, TOKEN, daily429, fakeClock, missingScopes403, recordRequests, secondly429, seededRandom, serverError500, tenSecondly429, unauthorized401 } from './test-support';

const server = setupServer();
const sent = recordRequests(server);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  sent.clear();
});
afterAll(() => server.close());

const ownersPath = `${BASE}/crm/v3/owners`;
const emptyOwners = { results: [] };

function client(extra: Partial<Parameters<typeof createHubSpotClient>[0]> = {}) {
  const clock = fakeClock();
  const c = createHubSpotClient({ accessToken: TOKEN, basePath: BASE, clock, random: seededRandom(7), timeoutMs: 0, ...extra });
  return { c, clock };
}

const readOwners = (c: ReturnType<typeof client>['c']) =>
  c.request({ method: 'GET', path: '/crm/v3/owners', qs: { limit: '100' }, kind: 'owners', intent: 'read', schema: ownersPageSchema });

describe('client + retry policy', () => {
  test('sends the bearer token and parses the answer', async () => {
    server.use(http.get(ownersPath, () => HttpResponse.json(emptyOwners)));
    const { c } = client();
    const res = await readOwners(c);
    expect(res.data.results).toEqual([]);
    const [req] = await sent.all();
    expect(req).toMatchObject({ method: 'GET', path: '/crm/v3/owners', query: { limit: '100' }, auth: `Bearer ${TOKEN}` });
    expect(c.stats()).toMatchObject({ total: 1, calls: { owners: 1 }, retries: 0 });
  });

  test('case 1: 429 TEN_SECONDLY_ROLLING with Retry-After waits exactly as told, then succeeds', async () => {
    let n = 0;
    server.use(
      http.get(ownersPath, () => (n++ < 2 ? HttpResponse.json(tenSecondly429, { status: 429, headers: { 'Retry-After': '3' } }) : HttpResponse.json(emptyOwners))),
    );
    const { c, clock } = client();
    await readOwners(c);
    expect(clock.sleeps).toEqual([3000, 3000]);
    expect((await sent.all()).length).toBe(3);
    expect(c.stats()).toMatchObject({ total: 3, retries: 2, rateLimited10s: 2, rateLimitedDaily: 0, waitedMs: 6000 });
  });

  test('case 3: 429 secondly (search) without Retry-After is retried after a back-off', async () => {
    let n = 0;
    server.use(http.get(ownersPath, () => (n++ < 1 ? HttpResponse.json(secondly429, { status: 429 }) : HttpResponse.json(emptyOwners))));
    const { c, clock } = client();
    await readOwners(c);
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(1000);
    // Counted as what it was: a per-second refusal, not a 10-second one.
    expect(c.stats()).toMatchObject({ retries: 1, rateLimited10s: 0, rateLimitedSecondly: 1 });
  });

  test('case 3: a search refused for the per-second limit makes the pacer count every later search until its answer; other 429s do not', async () => {
    const searchPath = `${BASE}/crm/v3/objects/companies/search`;
    let n = 0;
    server.use(
      http.post(searchPath, () => (n++ < 1 ? HttpResponse.json(secondly429, { status: 429 }) : HttpResponse.json({ total: 0, results: [] }))),
      http.get(ownersPath, () => (n++ < 2 ? HttpResponse.json(tenSecondly429, { status: 429, headers: { 'Retry-After': '1' } }) : HttpResponse.json(emptyOwners))),
    );
    const { c } = client();
    await readOwners(c);
    expect(c.pacer.searchCautious()).toBe(false);
    n = 0;
    const res = await c.request({ method: 'POST', path: '/crm/v3/objects/companies/search', body: { limit: 1 }, kind: 'search', intent: 'read', schema: anyBodySchema });
    expect(res.status).toBe(200);
    expect(c.stats()).toMatchObject({ calls: { search: 2 } });
    expect(c.pacer.searchCautious()).toBe(true);
    // A client can start with that rule (searches that may arrive long after their send).
    expect(client({ limits: { searchUntilAnswer: true } }).c.pacer.searchCautious()).toBe(true);
  });

  test('case 2: 429 DAILY is not retried and throws DailyLimitError', async () => {
    server.use(http.get(ownersPath, () => HttpResponse.json(daily429, { status: 429, headers: { 'Retry-After': '60' } })));
    const { c, clock } = client();
    await expect(readOwners(c)).rejects.toBeInstanceOf(DailyLimitError);
    expect((await sent.all()).length).toBe(1);
    expect(clock.sleeps).toEqual([]);
    expect(c.stats()).toMatchObject({ rateLimitedDaily: 1, retries: 0 });
  });

  test('case 20: a Retry-After longer than maxWaitMs is not waited; RateLimitError says when to come back', async () => {
    server.use(http.get(ownersPath, () => HttpResponse.json(tenSecondly429, { status: 429, headers: { 'Retry-After': '20' } })));
    const { c, clock } = client({ maxWaitMs: 5000 });
    const error = await readOwners(c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(20_000);
    expect(clock.sleeps).toEqual([]);
  });

  test('case 4: 5xx on a read is retried with jittered exponential back-off, bounded', async () => {
    server.use(http.get(ownersPath, () => HttpResponse.json(serverError500, { status: 502 })));
    const { c, clock } = client({ maxRetries: 3 });
    const error = await readOwners(c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubSpotApiError);
    expect((error as HubSpotApiError).kind).toBe('server');
    expect((await sent.all()).length).toBe(4); // 1 + 3 retries
    expect(clock.sleeps).toHaveLength(3);
    // equal jitter: within [ceiling/2, ceiling] of 500, 1000, 2000
    [500, 1000, 2000].forEach((ceiling, i) => {
      expect(clock.sleeps[i]).toBeGreaterThanOrEqual(ceiling / 2);
      expect(clock.sleeps[i]).toBeLessThanOrEqual(ceiling);
    });
    // jittered: not exactly the deterministic ladder
    expect(clock.sleeps).not.toEqual([250, 500, 1000]);
  });

  test('5xx then success: the read finishes', async () => {
    let n = 0;
    server.use(http.get(ownersPath, () => (n++ < 2 ? HttpResponse.json(serverError500, { status: 500 }) : HttpResponse.json(emptyOwners))));
    const { c } = client();
    await expect(readOwners(c)).resolves.toMatchObject({ status: 200 });
    expect(c.stats().retries).toBe(2);
  });

  test('case 6: network errors on a read are retried, bounded, then a clear error', async () => {
    server.use(http.get(ownersPath, () => HttpResponse.error()));
    const { c } = client({ maxRetries: 2 });
    const error = await readOwners(c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubSpotApiError);
    expect((error as HubSpotApiError).kind).toBe('network');
    expect((error as Error).message).toMatch(/Network error calling HubSpot \(GET \/crm\/v3\/owners\)/);
    expect((await sent.all()).length).toBe(3);
  });

  test('case 6: a timeout on a read is retried', async () => {
    let n = 0;
    server.use(
      http.get(ownersPath, async () => {
        if (n++ === 0) await new Promise(() => undefined); // never answers
        return HttpResponse.json(emptyOwners);
      }),
    );
    const { c } = client({ timeoutMs: 20 });
    await expect(readOwners(c)).resolves.toMatchObject({ status: 200 });
    expect(c.stats().retries).toBe(1);
  });

  test('case 5: 5xx on a create is never re-sent: UncertainWriteError', async () => {
    server.use(http.post(`${BASE}/crm/v3/objects/tasks/batch/create`, () => HttpResponse.json(serverError500, { status: 503 })));
    const { c } = client();
    const error = await c
      .request({ method: 'POST', path: '/crm/v3/objects/tasks/batch/create', body: { inputs: [] }, kind: 'batchCreate', intent: 'create', schema: anyBodySchema })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UncertainWriteError);
    expect((await sent.all()).length).toBe(1);
  });

  const createTasksCall = (c: ReturnType<typeof client>['c']) =>
    c.request({ method: 'POST', path: '/crm/v3/objects/tasks/batch/create', body: { inputs: [] }, kind: 'batchCreate', intent: 'create', schema: anyBodySchema });

  test('a create answered after its timeout but within a second one is taken as answered: one POST, nothing uncertain', async () => {
    const warnings: string[] = [];
    server.use(
      http.post(`${BASE}/crm/v3/objects/tasks/batch/create`, async () => {
        await new Promise((r) => setTimeout(r, 600)); // past the 500 ms timeout, well inside the second
        return HttpResponse.json({ status: 'COMPLETE', results: [{ id: '9' }] }, { status: 201 });
      }),
    );
    const { c, clock } = client({ timeoutMs: 500, logger: { info() {}, warn: (m) => warnings.push(m), error() {} } });
    const res = await createTasksCall(c);
    expect(res).toMatchObject({ status: 201, data: { results: [{ id: '9' }] } });
    expect((await sent.all()).length).toBe(1);
    expect(c.stats()).toMatchObject({ total: 1, retries: 0 });
    expect(clock.sleeps).toEqual([]);
    expect(warnings).toEqual(['hubspot create answered late']);
  });

  test('a create still unanswered after twice its timeout is uncertain (never re-sent)', async () => {
    server.use(http.post(`${BASE}/crm/v3/objects/tasks/batch/create`, () => new Promise<never>(() => undefined)));
    const { c } = client({ timeoutMs: 40 });
    const started = Date.now();
    const error = await createTasksCall(c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UncertainWriteError);
    expect((error as Error).message).toMatch(/did not answer within 80 ms/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    expect((await sent.all()).length).toBe(1);
    // With no grace, the first timeout is the end of it.
    const { c: quick } = client({ timeoutMs: 40, createGraceMs: 0 });
    await expect(createTasksCall(quick)).rejects.toThrow(/did not answer within 40 ms/);
  });

  test('the settle wait before reconciling an uncertain create is on the client clock (default 5 s, configurable)', async () => {
    const a = client();
    await a.c.settleUncertainWrite();
    expect(a.clock.sleeps).toEqual([5000]);
    const b = client({ uncertainSettleMs: 1500 });
    await b.c.settleUncertainWrite();
    expect(b.clock.sleeps).toEqual([1500]);
  });

  test('a 429 on a create is re-sent (HubSpot did not process it)', async () => {
    let n = 0;
    server.use(
      http.post(`${BASE}/crm/v3/objects/tasks/batch/create`, () =>
        n++ === 0 ? HttpResponse.json(tenSecondly429, { status: 429, headers: { 'Retry-After': '1' } }) : HttpResponse.json({ status: 'COMPLETE', results: [] }, { status: 201 }),
      ),
    );
    const { c } = client();
    await c.request({ method: 'POST', path: '/crm/v3/objects/tasks/batch/create', body: { inputs: [] }, kind: 'batchCreate', intent: 'create', schema: anyBodySchema });
    expect((await sent.all()).length).toBe(2);
  });

  test('case 18: 401 is not retried; the message names the (masked) token, never the secret', async () => {
    server.use(http.get(ownersPath, () => HttpResponse.json(unauthorized401, { status: 401 })));
    const { c } = client();
    const error = await readOwners(c).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain('pat-na1-…abcd');
    expect((error as Error).message).not.toContain(TOKEN);
    expect((error as Error).message).toMatch(/HUBSPOT_ACCESS_TOKEN/);
    expect((await sent.all()).length).toBe(1);
  });

  test('case 18: 403 MISSING_SCOPES is not retried; the message names the missing scope', async () => {
    server.use(http.get(ownersPath, () => HttpResponse.json(missingScopes403, { status: 403 })));
    const { c } = client();
    const error = (await readOwners(c).catch((e: unknown) => e)) as AuthError;
    expect(error).toBeInstanceOf(AuthError);
    expect(error.missingScopes).toEqual(['crm.objects.companies.read']);
    expect(error.message).toMatch(/missing scope\(s\): crm\.objects\.companies\.read/);
    expect((await sent.all()).length).toBe(1);
  });

  test('400 is not retried', async () => {
    server.use(http.get(ownersPath, () => HttpResponse.json({ status: 'error', message: 'bad', category: 'VALIDATION_ERROR' }, { status: 400 })));
    const { c } = client();
    const error = (await readOwners(c).catch((e: unknown) => e)) as HubSpotApiError;
    expect(error.kind).toBe('client');
    expect(error.status).toBe(400);
    expect((await sent.all()).length).toBe(1);
  });

  test('an unexpected response shape is a clear error, not a crash later', async () => {
    server.use(http.get(ownersPath, () => HttpResponse.json({ results: [{ nope: 1 }] })));
    const { c } = client();
    await expect(readOwners(c)).rejects.toThrow(/Unexpected HubSpot response shape/);
  });

  test('case 1: a burst through the shared pacer never exceeds the limit per rolling 10 s', async () => {
    server.use(http.get(ownersPath, () => HttpResponse.json(emptyOwners)));
    const { c } = client({ limits: { perTenSeconds: 10 } });
    await Promise.all(Array.from({ length: 35 }, () => readOwners(c)));
    const times = c.pacer.sentAt();
    expect(times).toHaveLength(35);
    expect(maxInWindow(times, 10_000)).toBe(10);
  });

  test('requests in flight: never more than maxInFlight at once, and all of them answered', async () => {
    let now = 0;
    let peak = 0;
    const release: Array<() => void> = [];
    server.use(
      http.get(ownersPath, async () => {
        now++;
        peak = Math.max(peak, now);
        // Held until the test lets it go, so the client must keep the others waiting.
        await new Promise<void>((r) => release.push(r));
        now--;
        return HttpResponse.json(emptyOwners);
      }),
    );
    const { c } = client({ maxInFlight: 3 });
    const all = Promise.all(Array.from({ length: 10 }, () => readOwners(c)));
    for (let answered = 0; answered < 10; ) {
      await new Promise((r) => setTimeout(r, 5));
      const next = release.shift();
      if (next) {
        next();
        answered++;
      }
    }
    await all;
    expect(peak).toBe(3);
    expect(c.stats().total).toBe(10);
  });

  test('requests in flight: calls that wait (here, held by the server) never take the places kept for searches', async () => {
    let now = 0;
    let peak = 0;
    const release: Array<() => void> = [];
    server.use(
      http.get(ownersPath, async () => {
        now++;
        peak = Math.max(peak, now);
        await new Promise<void>((r) => release.push(r));
        now--;
        return HttpResponse.json(emptyOwners);
      }),
      http.post(`${BASE}/crm/v3/objects/companies/search`, () => HttpResponse.json({ results: [], total: 0 })),
    );
    const { c } = client({ maxInFlight: 8 });
    const owners = Promise.all(Array.from({ length: 12 }, () => readOwners(c)));
    await new Promise((r) => setTimeout(r, 20));
    // Six of the eight places are taken by calls that do not answer; a search still goes and answers.
    const search = await c.request({ method: 'POST', path: '/crm/v3/objects/companies/search', body: { limit: 1 }, kind: 'search', intent: 'read', schema: anyBodySchema });
    expect(search.status).toBe(200);
    expect(peak).toBe(6);
    for (let answered = 0; answered < 12; ) {
      await new Promise((r) => setTimeout(r, 5));
      const next = release.shift();
      if (next) {
        next();
        answered++;
      }
    }
    await owners;
    expect(peak).toBe(6);
    expect(c.stats().total).toBe(13);
  });
});
