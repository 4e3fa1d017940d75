import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createHubSpotCrm } from './crm';
import { companyPropertyNames } from './company-properties';
import { BASE, TOKEN, batchAnswer, fakeClock, hsObject, recordRequests, seededRandom, serverError500 } from './test-support';

const server = setupServer();
const sent = recordRequests(server);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  sent.clear();
});
afterAll(() => server.close());

function crm() {
  return createHubSpotCrm({ accessToken: TOKEN, basePath: BASE, clock: fakeClock(), random: seededRandom(1), timeoutMs: 0 });
}

interface SearchBody {
  filterGroups: Array<{ filters: Array<{ propertyName: string; operator: string; value?: string }> }>;
  sorts: unknown;
  properties: string[];
  limit: number;
  after?: string;
}

/** A HubSpot-like search over `ids`: hs_object_id GT filter, ascending sort, after paging, 10,000 ceiling. */
function searchHandler(ids: number[]) {
  return http.post(`${BASE}/crm/v3/objects/companies/search`, async ({ request }) => {
    const body = (await request.json()) as SearchBody;
    const gt = body.filterGroups[0]?.filters.find((f) => f.propertyName === 'hs_object_id' && f.operator === 'GT');
    const matching = ids.filter((id) => gt === undefined || id > Number(gt.value));
    const offset = Number(body.after ?? '0');
    if (offset + body.limit > 10_000) {
      return HttpResponse.json({ status: 'error', message: 'Search results are limited to 10,000.', category: 'VALIDATION_ERROR' }, { status: 400 });
    }
    const page = matching.slice(offset, offset + body.limit);
    const nextOffset = offset + page.length;
    return HttpResponse.json({
      total: matching.length,
      results: page.map((id) => hsObject(String(id), { name: `Company ${id}`, cs_acv: String(id * 10) })),
      ...(nextOffset < matching.length ? { paging: { next: { after: String(nextOffset), link: '?after=' + nextOffset } } } : {}),
    });
  });
}

describe('iterateCompanies', () => {
  test('case 15: 25,000 companies are each visited exactly once, past the 10,000 ceiling', async () => {
    // Non-contiguous ids, like a real portal.
    const ids = Array.from({ length: 25_000 }, (_, i) => 1000 + i * 3);
    server.use(searchHandler(ids));
    const seen: string[] = [];
    let pages = 0;
    const port = crm();
    for await (const page of port.iterateCompanies()) {
      pages++;
      seen.push(...page.accounts.map((a) => a.id));
      expect(page.cursor).toBe(`gt:${page.accounts[page.accounts.length - 1]?.id}`);
    }
    expect(seen).toHaveLength(25_000);
    expect(new Set(seen).size).toBe(25_000);
    expect(pages).toBe(125);
    expect(port.stats()).toMatchObject({ total: 125, calls: { search: 125 }, retries: 0, rateLimited10s: 0 });

    const reqs = await sent.all();
    expect(reqs).toHaveLength(125);
    expect(reqs.every((r) => r.method === 'POST' && r.path === '/crm/v3/objects/companies/search')).toBe(true);
    const bodies = reqs.map((r) => r.body as SearchBody);
    expect(bodies[0]).toEqual({
      filterGroups: [],
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
      properties: companyPropertyNames(),
      limit: 200,
    });
    // Every page after the first is a new search above the last id read (no `after` offset).
    expect(bodies[1]).toEqual({
      filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'GT', value: String(ids[199]) }] }],
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
      properties: companyPropertyNames(),
      limit: 200,
    });
    expect(bodies.every((b) => b.after === undefined)).toBe(true);
    // …so the 10,000-result ceiling never comes into it.
    expect(bodies[50]).toEqual({
      filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'GT', value: String(ids[9_999]) }] }],
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
      properties: companyPropertyNames(),
      limit: 200,
    });
    expect(bodies[100]?.filterGroups[0]?.filters[0]?.value).toBe(String(ids[19_999]));
    expect(bodies.every((b) => Number(b.after ?? 0) + b.limit <= 10_000)).toBe(true);
  });

  test('resumes after a cursor, with the caller filters and modifiedSince', async () => {
    const ids = Array.from({ length: 500 }, (_, i) => i + 1);
    server.use(searchHandler(ids));
    const it = crm().iterateCompanies({ after: 'gt:300', modifiedSince: '2026-11-01T00:00:00.000Z', lifecycleStages: ['onboarding'] });
    const seen: string[] = [];
    for await (const page of it) seen.push(...page.accounts.map((a) => a.id));
    expect(seen[0]).toBe('301');
    expect(seen).toHaveLength(200);
    const [first] = await sent.all();
    expect((first?.body as SearchBody).filterGroups).toEqual([
      {
        filters: [
          { propertyName: 'cs_lifecycle_stage', operator: 'IN', values: ['onboarding'] },
          { propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(Date.UTC(2026, 10, 1)) },
          { propertyName: 'hs_object_id', operator: 'GT', value: '300' },
        ],
      },
    ]);
  });

  test('bad values on a page are reported as issues, the page goes on', async () => {
    server.use(
      http.post(`${BASE}/crm/v3/objects/companies/search`, () =>
        HttpResponse.json({ total: 2, results: [hsObject('1', { cs_acv: '12,5' }), hsObject('2', { cs_acv: '' })] }),
      ),
    );
    const pages = [];
    for await (const p of crm().iterateCompanies()) pages.push(p);
    expect(pages).toHaveLength(1);
    expect(pages[0]?.accounts.map((a) => a.acv)).toEqual([null, null]);
    expect(pages[0]?.issues).toEqual([{ recordId: '1', property: 'cs_acv', value: '12,5', message: "ACV unreadable: '12,5'" }]);
  });
});

describe('readCompanies', () => {
  test('batch read 100 per call; missing ids reported', async () => {
    server.use(
      http.post(`${BASE}/crm/v3/objects/companies/batch/read`, async ({ request }) => {
        const body = (await request.json()) as { inputs: Array<{ id: string }> };
        const found = body.inputs.filter((i) => i.id !== '150');
        const missing = body.inputs.filter((i) => i.id === '150');
        const results = found.map((i) => hsObject(i.id, { cs_licensed_seats: '10' }));
        return missing.length
          ? HttpResponse.json(batchAnswer(results, [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some COMPANY objects, they may be deleted or not exist. Check that ids are valid.', context: { ids: ['150'] } }]), { status: 207 })
          : HttpResponse.json(batchAnswer(results));
      }),
    );
    const ids = Array.from({ length: 250 }, (_, i) => String(i + 1));
    const res = await crm().readCompanies([...ids, '1']);
    expect(res.accounts).toHaveLength(249);
    expect(res.missing).toEqual(['150']);
    const reqs = await sent.all();
    expect(reqs.map((r) => (r.body as { inputs: unknown[] }).inputs.length)).toEqual([100, 100, 50]);
    expect(reqs[0]?.query).toEqual({ archived: 'false' });
    expect(reqs[0]?.body).toMatchObject({ properties: companyPropertyNames(), propertiesWithHistory: [] });
  });

  test('the batch reads go out at once, not one after another; the accounts come back in the ids\' order whatever order the answers arrive in', async () => {
    let inFlight = 0;
    let most = 0;
    server.use(
      http.post(`${BASE}/crm/v3/objects/companies/batch/read`, async ({ request }) => {
        const body = (await request.json()) as { inputs: Array<{ id: string }> };
        inFlight++;
        most = Math.max(most, inFlight);
        // The first part answers last.
        await new Promise((r) => setTimeout(r, body.inputs[0]?.id === '1' ? 60 : 20));
        inFlight--;
        return HttpResponse.json(batchAnswer(body.inputs.map((i) => hsObject(i.id, { cs_licensed_seats: '10' }))));
      }),
    );
    const ids = Array.from({ length: 250 }, (_, i) => String(i + 1));
    const res = await crm().readCompanies(ids);
    expect(most).toBe(3);
    expect(res.accounts.map((a) => a.id)).toEqual(ids);
  });
});

describe('updateCompanies', () => {
  test('case 8: 250 inputs → exactly 100/100/50, no duplicates', async () => {
    server.use(
      http.post(`${BASE}/crm/v3/objects/companies/batch/update`, async ({ request }) => {
        const body = (await request.json()) as { inputs: Array<{ id: string; properties: Record<string, string> }> };
        return HttpResponse.json(batchAnswer(body.inputs.map((i) => hsObject(i.id, i.properties))));
      }),
    );
    const updates = Array.from({ length: 250 }, (_, i) => ({ id: String(i + 1), properties: { cs_health_score: 50 + (i % 10), cs_segment: 'pooled', cs_health_summary: null } }));
    const res = await crm().updateCompanies(updates);
    expect(res.ok).toHaveLength(250);
    expect(res.failed).toEqual([]);
    const reqs = await sent.all();
    expect(reqs.map((r) => r.path)).toEqual(Array(3).fill('/crm/v3/objects/companies/batch/update'));
    const inputs = reqs.map((r) => (r.body as { inputs: Array<{ id: string }> }).inputs);
    expect(inputs.map((i) => i.length)).toEqual([100, 100, 50]);
    expect(new Set(inputs.flat().map((i) => i.id)).size).toBe(250);
    expect(inputs[0]?.[0]).toEqual({ id: '1', properties: { cs_health_score: '50', cs_segment: 'pooled', cs_health_summary: '' } });
  });

  test('case 7: 207 with 97 ok and 3 failed → 97 counted, 3 reported per record', async () => {
    server.use(
      http.post(`${BASE}/crm/v3/objects/companies/batch/update`, async ({ request }) => {
        const body = (await request.json()) as { inputs: Array<{ id: string; properties: Record<string, string> }> };
        const bad = new Set(['5', '50', '95']);
        return HttpResponse.json(
          batchAnswer(
            body.inputs.filter((i) => !bad.has(i.id)).map((i) => hsObject(i.id, i.properties)),
            [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some COMPANY objects, they may be deleted or not exist. Check that ids are valid.', context: { ids: ['5', '50', '95'] } }],
          ),
          { status: 207 },
        );
      }),
    );
    const res = await crm().updateCompanies(Array.from({ length: 100 }, (_, i) => ({ id: String(i + 1), properties: { cs_health_score: 1 } })));
    expect(res.ok).toHaveLength(97);
    expect(res.failed).toEqual(['5', '50', '95'].map((id) => ({ id, status: 404, message: expect.stringContaining('Could not get some COMPANY objects') })));
    expect((await sent.all()).length).toBe(1);
  });

  test('batch update is idempotent: a 5xx is retried', async () => {
    let n = 0;
    server.use(
      http.post(`${BASE}/crm/v3/objects/companies/batch/update`, async ({ request }) => {
        if (n++ === 0) return HttpResponse.json(serverError500, { status: 500 });
        const body = (await request.json()) as { inputs: Array<{ id: string; properties: Record<string, string> }> };
        return HttpResponse.json(batchAnswer(body.inputs.map((i) => hsObject(i.id, i.properties))));
      }),
    );
    const res = await crm().updateCompanies([{ id: '1', properties: { cs_segment: 'named' } }]);
    expect(res.ok).toEqual(['1']);
    expect((await sent.all()).length).toBe(2);
  });

  test('a 400 for a whole chunk reports each record, nothing thrown', async () => {
    server.use(
      http.post(`${BASE}/crm/v3/objects/companies/batch/update`, () =>
        HttpResponse.json({ status: 'error', message: 'Property values were not valid', category: 'VALIDATION_ERROR', correlationId: 'x' }, { status: 400 }),
      ),
    );
    const res = await crm().updateCompanies([{ id: '1', properties: { cs_segment: 'bogus' } }, { id: '2', properties: { cs_segment: 'bogus' } }]);
    expect(res.ok).toEqual([]);
    expect(res.failed.map((f) => [f.id, f.status])).toEqual([
      ['1', 400],
      ['2', 400],
    ]);
  });
});

describe('healthHistory', () => {
  test('reads propertiesWithHistory, newest first, skipping blanks', async () => {
    server.use(
      http.get(`${BASE}/crm/v3/objects/companies/42`, () =>
        HttpResponse.json({
          ...hsObject('42', { cs_health_score: '70' }),
          propertiesWithHistory: {
            cs_health_score: [
              { value: '70', timestamp: '2026-11-20T10:00:00.000Z', sourceType: 'INTEGRATION', sourceId: '123' },
              { value: '', timestamp: '2026-11-10T10:00:00.000Z', sourceType: 'INTEGRATION' },
              { value: '55', timestamp: '2026-11-01T10:00:00.000Z', sourceType: 'INTEGRATION' },
            ],
          },
        }),
      ),
    );
    expect(await crm().healthHistory('42')).toEqual([
      { value: 70, at: '2026-11-20T10:00:00.000Z' },
      { value: 55, at: '2026-11-01T10:00:00.000Z' },
    ]);
    const [req] = await sent.all();
    expect(req?.query).toEqual({ properties: 'cs_health_score', propertiesWithHistory: 'cs_health_score', archived: 'false' });
  });
});

describe('iterateCompanies: a search that stops at the ceiling without a next page', () => {
  test('restarts above the last id when the total says more match (every company once)', async () => {
    const ids = Array.from({ length: 10_300 }, (_, i) => String(i + 1));
    server.use(
      http.post(`${BASE}/crm/v3/objects/companies/search`, async ({ request }) => {
        const body = (await request.json()) as { after?: string; limit: number; filterGroups: { filters: { propertyName: string; value?: string }[] }[] };
        const gt = body.filterGroups[0]?.filters.find((f) => f.propertyName === 'hs_object_id')?.value;
        const matching = ids.filter((id) => gt === undefined || Number(id) > Number(gt));
        const offset = Number(body.after ?? '0');
        const page = matching.slice(offset, offset + body.limit);
        const end = offset + page.length;
        // This server omits `next` at the ceiling (no next page offered past 10,000).
        const next = end < Math.min(matching.length, 10_000) ? { next: { after: String(end) } } : undefined;
        return HttpResponse.json({ total: matching.length, results: page.map((id) => ({ id, properties: { hs_object_id: id }, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', archived: false })), ...(next ? { paging: next } : {}) });
      }),
    );
    const seen: string[] = [];
    for await (const page of crm().iterateCompanies()) for (const a of page.accounts) seen.push(a.id);
    expect(seen).toHaveLength(10_300);
    expect(new Set(seen).size).toBe(10_300);
  });
});
