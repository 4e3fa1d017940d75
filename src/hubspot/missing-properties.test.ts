/**
 * A new version adds properties to the contract; a portal that did not rerun `setup` lacks them and
 * HubSpot refuses every batch update that carries one (400, PROPERTY_DOESNT_EXIST): a whole chunk of
 * 100 companies. The adapter creates the missing properties of its own contract once and sends the
 * refused chunks again; when it cannot, the run stops and says to run `setup`.
 */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createHubSpotCrm } from './crm';
import { HubSpotApiError, missingPropertyNames } from './errors';
import { BASE, TOKEN, batchAnswer, fakeClock, hsObject, missingScopes403, seededRandom } from './test-support';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const crm = () => createHubSpotCrm({ accessToken: TOKEN, basePath: BASE, clock: fakeClock(), random: seededRandom(1), timeoutMs: 0 });

/** HubSpot's answer to a write of properties the portal does not have. */
function refusal(names: string[]) {
  const detail = names.map((name) => ({ isValid: false, message: `Property "${name}" does not exist`, error: 'PROPERTY_DOESNT_EXIST', name, localizedErrorMessage: `Property "${name}" does not exist` }));
  return { status: 'error', message: `Property values were not valid: ${JSON.stringify(detail)}`, correlationId: 'c0ffee00-0000-4000-8000-000000000042', category: 'VALIDATION_ERROR' };
}

/** A portal that has `known` properties: batch updates naming another are refused whole. */
function portal(known: Set<string>, createAnswer: () => Response | null = () => null) {
  const created: string[] = [];
  let updates = 0;
  server.use(
    http.post(`${BASE}/crm/v3/objects/companies/batch/update`, async ({ request }) => {
      updates++;
      const body = (await request.json()) as { inputs: { id: string; properties: Record<string, string> }[] };
      const missing = [...new Set(body.inputs.flatMap((i) => Object.keys(i.properties)).filter((n) => !known.has(n)))];
      if (missing.length > 0) return HttpResponse.json(refusal(missing), { status: 400 });
      return HttpResponse.json(batchAnswer(body.inputs.map((i) => hsObject(i.id, i.properties))));
    }),
    http.post(`${BASE}/crm/v3/properties/companies`, async ({ request }) => {
      const answer = createAnswer();
      if (answer !== null) return answer;
      const body = (await request.json()) as { name: string };
      created.push(body.name);
      known.add(body.name);
      return HttpResponse.json({ ...body, createdAt: '2026-12-02T00:00:00Z' }, { status: 201 });
    }),
  );
  return { created, updates: () => updates };
}

const updates = (n: number, withDrop: (i: number) => boolean) =>
  Array.from({ length: n }, (_, i) => ({ id: String(1000 + i), properties: { cs_health_score: '55', ...(withDrop(i) ? { cs_health_drop_from: '80', cs_health_drop_on: '2026-12-02' } : {}) } }));

test('every chunk refused for the new properties: they are created once, and each chunk is sent once more (nothing lost)', async () => {
  const p = portal(new Set(['cs_health_score']));
  // 250 companies in 3 chunks (sent together), some of each with a drop recorded.
  const r = await crm().updateCompanies(updates(250, (i) => i % 7 === 0));
  expect(r.failed).toEqual([]);
  expect(r.ok).toHaveLength(250);
  expect(p.created.sort()).toEqual(['cs_health_drop_from', 'cs_health_drop_on']);
  expect(p.updates()).toBe(6);
  // The next write finds them there: one call.
  const again = await crm().updateCompanies(updates(10, () => true));
  expect(again.failed).toEqual([]);
  expect(p.updates()).toBe(7);
});

test('chunks that lack different sets of them: each property is created once', async () => {
  const p = portal(new Set(['cs_health_score']));
  const list = [
    ...Array.from({ length: 100 }, (_, i) => ({ id: String(1 + i), properties: { cs_health_score: '55', cs_health_drop_from: '80', cs_health_drop_on: '2026-12-02' } })),
    ...Array.from({ length: 100 }, (_, i) => ({ id: String(201 + i), properties: { cs_health_score: '55', cs_health_drop_from: '80' } })),
    ...Array.from({ length: 100 }, (_, i) => ({ id: String(401 + i), properties: { cs_health_score: '55', cs_digital_waiting: '1' } })),
  ];
  const r = await crm().updateCompanies(list);
  expect(r.failed).toEqual([]);
  expect(p.created.sort()).toEqual(['cs_digital_waiting', 'cs_health_drop_from', 'cs_health_drop_on']);
});

test('the properties cannot be created (no schema scope): the write stops with what to do, nothing is written as if it succeeded', async () => {
  portal(new Set(['cs_health_score']), () => HttpResponse.json(missingScopes403, { status: 403 }));
  const error = await crm()
    .updateCompanies(updates(3, () => true))
    .then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(HubSpotApiError);
  expect((error as Error).message).toMatch(/lacks properties this version writes \(cs_health_drop_from, cs_health_drop_on\).*run `npm run cli -- setup`/);
});

test('a property that is not one the app writes is not created: those companies fail as before, with HubSpot\'s reason', async () => {
  const p = portal(new Set(['cs_health_score']));
  const r = await crm().updateCompanies([{ id: '1', properties: { cs_health_score: '50', cs_acv: '1000' } }]);
  expect(p.created).toEqual([]);
  expect(r.ok).toEqual([]);
  expect(r.failed).toEqual([expect.objectContaining({ id: '1', status: 400, message: expect.stringContaining('cs_acv') })]);
});

describe('missingPropertyNames', () => {
  const error = (message: string, kind: 'client' | 'server' = 'client') => new HubSpotApiError({ kind, status: kind === 'client' ? 400 : 500, retryable: false, message });
  test('reads the names HubSpot lists as not existing, not the other refused values', () => {
    const mixed = 'HubSpot answered 400 VALIDATION_ERROR. Property values were not valid: [{"isValid":false,"message":"Property \\"cs_x\\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"cs_x"},{"isValid":false,"message":"bad","error":"INVALID_OPTION","name":"cs_segment"}]';
    expect(missingPropertyNames(error(mixed))).toEqual(['cs_x']);
    // Fields in another order, and text after the list.
    expect(missingPropertyNames(error('Property values were not valid: [{"name":"cs_y","error":"PROPERTY_DOESNT_EXIST"}] (see docs)'))).toEqual(['cs_y']);
  });
  test('nothing from other errors', () => {
    expect(missingPropertyNames(error('HubSpot answered 400. Property values were not valid: [{"error":"INVALID_OPTION","name":"cs_segment"}]'))).toEqual([]);
    expect(missingPropertyNames(error('PROPERTY_DOESNT_EXIST', 'server'))).toEqual([]);
    expect(missingPropertyNames(new Error('PROPERTY_DOESNT_EXIST "name":"x"'))).toEqual([]);
  });
});
