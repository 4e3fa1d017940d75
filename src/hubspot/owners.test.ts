import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createHubSpotCrm } from './crm';
import { createOwnersCache } from './owners';
import { BASE, TOKEN, fakeClock, recordRequests } from './test-support';

const server = setupServer();
const sent = recordRequests(server);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  sent.clear();
});
afterAll(() => server.close());

const owner = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  email: `csm${id}@example.com`,
  type: 'PERSON',
  firstName: 'Ada',
  lastName: `L${id}`,
  userId: Number(id) + 1000,
  userIdIncludingInactive: Number(id) + 1000,
  createdAt: '2024-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  archived: false,
  teams: [{ id: '55', name: 'Pool A', primary: true }],
  ...extra,
});

describe('listOwners (case 11)', () => {
  test('pages the active owners, then the archived ones; deactivated and archived are not active', async () => {
    server.use(
      http.get(`${BASE}/crm/v3/owners`, ({ request }) => {
        const q = new URL(request.url).searchParams;
        if (q.get('archived') === 'true') return HttpResponse.json({ results: [owner('3', { archived: true, userId: null })] });
        if (!q.get('after')) return HttpResponse.json({ results: [owner('1')], paging: { next: { after: '1', link: '?after=1' } } });
        return HttpResponse.json({ results: [owner('2', { userId: null, teams: [] })] });
      }),
    );
    const owners = await createHubSpotCrm({ accessToken: TOKEN, basePath: BASE, clock: fakeClock(), timeoutMs: 0 }).listOwners();
    expect(owners.map((o) => [o.id, o.active, o.archived])).toEqual([
      ['1', true, false],
      ['2', false, false],
      ['3', false, true],
    ]);
    expect(owners[0]).toEqual({ id: '1', userId: 1001, email: 'csm1@example.com', firstName: 'Ada', lastName: 'L1', active: true, archived: false, teams: [{ id: '55', name: 'Pool A', primary: true }] });
    const queries = (await sent.all()).map((r) => r.query);
    // The archived listing follows the active one (a refused first listing spends no second request).
    expect(queries.filter((q) => q['archived'] === 'false')).toEqual([
      { limit: '100', archived: 'false' },
      { limit: '100', archived: 'false', after: '1' },
    ]);
    expect(queries.filter((q) => q['archived'] === 'true')).toEqual([{ limit: '100', archived: 'true' }]);
    expect(queries.findIndex((q) => q['archived'] === 'true')).toBeGreaterThan(queries.findIndex((q) => q['after'] === '1'));
  });
});

describe('createOwnersCache', () => {
  const owner = { id: '1', userId: 9, email: null, firstName: 'A', lastName: 'B', active: true, archived: false, teams: [] };
  it('lists once within the expiry, again after it, per key; a failed list is not kept', async () => {
    const cache = createOwnersCache();
    let calls = 0;
    const load = () => {
      calls++;
      return Promise.resolve([owner]);
    };
    await cache.get('portal-a', 1000, 0, load);
    await cache.get('portal-a', 1000, 999, load);
    expect(calls).toBe(1);
    await cache.get('portal-b', 1000, 999, load);
    expect(calls).toBe(2);
    await cache.get('portal-a', 1000, 1000, load);
    expect(calls).toBe(3);
    await cache.get('portal-a', 0, 1001, load); // ttl 0: never cached
    await cache.get('portal-a', 0, 1002, load);
    expect(calls).toBe(5);

    await expect(cache.get('portal-c', 1000, 0, () => Promise.reject(new Error('503')))).rejects.toThrow('503');
    expect(await cache.get('portal-c', 1000, 1, load)).toEqual([owner]);
  });
});
