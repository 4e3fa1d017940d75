/**
 * Reliability cases 8 and 21 with msw (`onUnhandledRequest: 'error'`): the exact requests sent for
 * 250 batch inputs, and proof that a request no test expected fails the test.
 */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { PlannedTask } from '../../src/core';
import { createHubSpotCrm } from '../../src/hubspot';
import { BASE, TOKEN, batchAnswer, fakeClock, hsObject, recordRequests } from '../../src/hubspot/test-support';

const unhandled: string[] = [];
const server = setupServer();
const sent = recordRequests(server);
beforeAll(() =>
  server.listen({
    onUnhandledRequest(request, print) {
      unhandled.push(`${request.method} ${new URL(request.url).pathname}`);
      print.error();
    },
  }),
);
afterEach(() => {
  server.resetHandlers();
  sent.clear();
});
afterAll(() => server.close());

const crm = (maxRetries = 4) => createHubSpotCrm({ accessToken: TOKEN, basePath: BASE, clock: fakeClock(), random: () => 0.5, timeoutMs: 0, maxRetries });

type Inputs = { inputs: Array<{ id?: string; properties: Record<string, string> }> };

test('case 8: 250 inputs to a batch write — exactly 3 calls (100/100/50), no duplicates', async () => {
  server.use(
    http.post(`${BASE}/crm/v3/objects/companies/batch/update`, async ({ request }) => {
      const body = (await request.json()) as Inputs;
      return HttpResponse.json(batchAnswer(body.inputs.map((i) => hsObject(i.id ?? '', i.properties))));
    }),
    // Tasks are linked to their companies' primary contacts: one association read first (none here).
    http.post(`${BASE}/crm/v4/associations/companies/contacts/batch/read`, () => HttpResponse.json({ status: 'COMPLETE', results: [] })),
    http.post(`${BASE}/crm/v3/objects/tasks/batch/create`, async ({ request }) => {
      const body = (await request.json()) as Inputs;
      return HttpResponse.json(batchAnswer(body.inputs.map((i, n) => hsObject(String(90_000 + n), i.properties))), { status: 201 });
    }),
  );
  const port = crm();
  const ids = Array.from({ length: 250 }, (_, i) => String(1000 + i));
  // The same id twice in the input is merged into one input (HubSpot rejects duplicate ids in a batch).
  const updates = [...ids.map((id) => ({ id, properties: { cs_health_score: 50 } })), { id: ids[7] as string, properties: { cs_health_band: 'watch' } }];
  const res = await port.updateCompanies(updates);
  expect(res.failed).toEqual([]);
  expect(res.ok).toHaveLength(250);
  const calls = await sent.all();
  expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(Array(3).fill('POST /crm/v3/objects/companies/batch/update'));
  const bodies = calls.map((c) => (c.body as Inputs).inputs);
  expect(bodies.map((b) => b.length)).toEqual([100, 100, 50]);
  const sentIds = bodies.flat().map((i) => i.id);
  expect(new Set(sentIds).size).toBe(250);
  expect(sentIds).toEqual(ids);
  expect(bodies.flat().find((i) => i.id === ids[7])?.properties).toEqual({ cs_health_score: '50', cs_health_band: 'watch' });

  sent.clear();
  const tasks: PlannedTask[] = ids.map((id) => ({
    accountId: id,
    key: `cs:${id}:renewal:d90:2027-02-21`,
    playbook: 'renewal',
    step: 'd90',
    subject: 'Renewal in 90 days',
    body: 'Renewal on 2027-02-21.',
    dueAt: '2026-11-30T09:00:00.000Z',
    priority: 'MEDIUM',
    ownerId: '9001',
    queueId: null,
    trigger: { rule: 'renewal', values: {} },
  }));
  const created = await port.createTasks([...tasks, tasks[3] as PlannedTask]);
  expect(created.failed).toEqual([]);
  expect(created.ok.map((c) => c.key)).toEqual(tasks.map((t) => t.key));
  const sentForTasks = await sent.all();
  // One contacts read for the 250 companies (v4 reads take 1,000), then the creates.
  expect(sentForTasks.filter((c) => c.path.startsWith('/crm/v4/')).map((c) => (c.body as { inputs: unknown[] }).inputs.length)).toEqual([250]);
  const createCalls = sentForTasks.filter((c) => c.path === '/crm/v3/objects/tasks/batch/create');
  expect(createCalls.map((c) => (c.body as Inputs).inputs.length)).toEqual([100, 100, 50]);
  const keys = createCalls.flatMap((c) => (c.body as Inputs).inputs.map((i) => /Idempotency key: (\S+)/.exec(i.properties.hs_task_body ?? '')?.[1]));
  expect(new Set(keys).size).toBe(250);
  expect(unhandled).toEqual([]);
});

test('case 21: a request no test expected — the test fails (unhandled request = error)', async () => {
  // No handler for the owners endpoint: msw refuses the request, the adapter surfaces an error, and
  // the request is recorded as unhandled — an assertion on `unhandled` (below) would fail the test.
  const printed = jest.spyOn(console, 'error').mockImplementation(() => {});
  const port = crm(0);
  const error = await port.listOwners().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ name: 'HubSpotApiError', kind: 'network' });
  expect(unhandled).toEqual(['GET /crm/v3/owners']);
  // Retries do not hide it either: with the default policy every attempt is refused and recorded.
  unhandled.length = 0;
  await expect(crm().listOwners()).rejects.toMatchObject({ kind: 'network' });
  expect(unhandled).toEqual(Array(5).fill('GET /crm/v3/owners'));
  // msw's own error names the request.
  expect(String(printed.mock.calls[0]?.[0])).toMatch(/without a matching request handler[\s\S]*GET https:\/\/hubspot\.test\/crm\/v3\/owners/);
  printed.mockRestore();
  unhandled.length = 0;
});

afterAll(() => {
  // The suite-wide guard: any request left unhandled by a test above fails the run.
  expect(unhandled).toEqual([]);
});
