import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { PlannedTask } from '../core';
import { createHubSpotCrm } from './crm';
import { taskInput } from './tasks';
import { callbackCompletionBody, callbackCompletionRequestSchema } from './schemas';
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
  return createHubSpotCrm({ accessToken: TOKEN, basePath: BASE, clock: fakeClock(), random: seededRandom(3), timeoutMs: 0 });
}

function planned(i: number, account = String(100 + (i % 3))): PlannedTask {
  return {
    accountId: account,
    key: `${account}:renewal:90:2026-11:${i}`,
    playbook: 'renewal',
    step: '90',
    subject: `Renewal: 90 days out (${i})`,
    body: 'Renewal on 2027-02-21 is 90 days away.',
    dueAt: '2026-11-25T09:00:00.000Z',
    priority: 'MEDIUM',
    ownerId: i % 2 === 0 ? '9001' : null,
    queueId: i % 2 === 0 ? null : '77',
    trigger: { rule: 'renewal_90', values: { renewalDate: '2027-02-21' } },
  };
}

type CreateBody = { inputs: Array<{ properties: Record<string, string>; associations: unknown[] }> };

/** A tiny task store behind batch/create, the v4 association read and the tasks batch read. */
function taskStore(opts: { failFirstCreatesAfterApplying?: number; failFirstCreatesBeforeApplying?: number; primaryContacts?: Record<string, string[]> } = {}) {
  const tasks = new Map<string, { id: string; company: string; properties: Record<string, string> }>();
  let nextId = 5000;
  let creates = 0;
  const handlers = [
    http.post(`${BASE}/crm/v3/objects/tasks/batch/create`, async ({ request }) => {
      creates++;
      const body = (await request.json()) as CreateBody;
      if (creates <= (opts.failFirstCreatesBeforeApplying ?? 0)) return HttpResponse.json(serverError500, { status: 502 });
      const results = body.inputs.map((input) => {
        const id = String(nextId++);
        const company = ((input.associations[0] as { to: { id: string } }).to.id);
        tasks.set(id, { id, company, properties: input.properties });
        return hsObject(id, input.properties);
      });
      if (creates <= (opts.failFirstCreatesAfterApplying ?? 0)) return HttpResponse.json(serverError500, { status: 504 });
      return HttpResponse.json(batchAnswer(results), { status: 201 });
    }),
    http.post(`${BASE}/crm/v4/associations/companies/tasks/batch/read`, async ({ request }) => {
      const body = (await request.json()) as { inputs: Array<{ id: string }> };
      const results = body.inputs
        .map((i) => ({
          from: { id: i.id },
          to: [...tasks.values()].filter((t) => t.company === i.id).map((t) => ({ toObjectId: Number(t.id), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 192, label: null }] })),
        }))
        .filter((r) => r.to.length > 0);
      return HttpResponse.json(batchAnswer(results));
    }),
    http.post(`${BASE}/crm/v3/objects/tasks/batch/read`, async ({ request }) => {
      const body = (await request.json()) as { inputs: Array<{ id: string }> };
      return HttpResponse.json(batchAnswer(body.inputs.flatMap((i) => { const t = tasks.get(i.id); return t ? [hsObject(t.id, t.properties)] : []; })));
    }),
    // The companies' primary contacts (none unless given): HubSpot's types 280 + 2 "Primary".
    http.post(`${BASE}/crm/v4/associations/companies/contacts/batch/read`, async ({ request }) => {
      const body = (await request.json()) as { inputs: Array<{ id: string }> };
      const results = body.inputs
        .map((i) => ({
          from: { id: i.id },
          to: (opts.primaryContacts?.[i.id] ?? []).map((c) => ({ toObjectId: Number(c), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 280, label: null }, { category: 'HUBSPOT_DEFINED', typeId: 2, label: 'Primary' }] })),
        }))
        .filter((r) => r.to.length > 0);
      return HttpResponse.json(batchAnswer(results));
    }),
  ];
  return { tasks, handlers, creates: () => creates };
}

describe('createTasks', () => {
  test('batch/create 100 per call with the exact inputs; results mapped back by key', async () => {
    const store = taskStore();
    server.use(...store.handlers);
    const tasks = Array.from({ length: 150 }, (_, i) => planned(i));
    const res = await crm().createTasks(tasks);
    expect(res.failed).toEqual([]);
    expect(res.ok).toHaveLength(150);
    expect(new Set(res.ok.map((c) => c.key))).toEqual(new Set(tasks.map((t) => t.key)));
    for (const c of res.ok) expect(store.tasks.get(c.taskId)?.properties.hs_task_body).toContain(`Idempotency key: ${c.key}`);
    const reqs = await sent.all();
    // First the companies' primary contacts (one v4 read for the 3 companies), then the creates.
    expect(reqs.map((r) => [r.path, (r.body as CreateBody).inputs.length])).toEqual([
      ['/crm/v4/associations/companies/contacts/batch/read', 3],
      ['/crm/v3/objects/tasks/batch/create', 100],
      ['/crm/v3/objects/tasks/batch/create', 50],
    ]);
    expect((reqs[1]?.body as CreateBody).inputs[0]).toEqual({
      properties: {
        hs_task_subject: 'Renewal: 90 days out (0)',
        hs_task_body: 'Renewal on 2027-02-21 is 90 days away.\n\nIdempotency key: 100:renewal:90:2026-11:0',
        hs_timestamp: '2026-11-25T09:00:00.000Z',
        hs_task_status: 'NOT_STARTED',
        hs_task_priority: 'MEDIUM',
        hs_task_type: 'TODO',
        hubspot_owner_id: '9001',
      },
      associations: [{ to: { id: '100' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 192 }] }],
    });
    expect((reqs[1]?.body as CreateBody).inputs[1]?.properties).toMatchObject({ hs_queue_membership_ids: '77' });
    expect((reqs[1]?.body as CreateBody).inputs[1]?.properties).not.toHaveProperty('hubspot_owner_id');
  });

  test('duplicate keys in one call are created once', async () => {
    const store = taskStore();
    server.use(...store.handlers);
    const res = await crm().createTasks([planned(1), planned(1)]);
    expect(res.ok).toHaveLength(1);
    expect(store.tasks.size).toBe(1);
  });

  test('case 5: a 5xx after the create was applied → no re-POST; reconciled by reading, all found', async () => {
    const store = taskStore({ failFirstCreatesAfterApplying: 1 });
    server.use(...store.handlers);
    const tasks = [planned(0), planned(1), planned(2)];
    const res = await crm().createTasks(tasks);
    expect(res.failed).toEqual([]);
    expect(res.ok.map((c) => c.key).sort()).toEqual(tasks.map((t) => t.key).sort());
    expect(store.tasks.size).toBe(3); // no duplicate
    const paths = (await sent.all()).map((r) => r.path);
    expect(paths).toEqual(['/crm/v4/associations/companies/contacts/batch/read', '/crm/v3/objects/tasks/batch/create', '/crm/v4/associations/companies/tasks/batch/read', '/crm/v3/objects/tasks/batch/read']);
  });

  test('case 5: a 5xx before anything was applied → reconcile, then create only the missing keys', async () => {
    const store = taskStore({ failFirstCreatesBeforeApplying: 1 });
    // One of the keys already exists (created by an earlier run): it must not be re-created.
    store.tasks.set('4000', { id: '4000', company: '100', properties: { hs_task_body: 'old\nIdempotency key: 100:renewal:90:2026-11:0', hs_task_status: 'NOT_STARTED', hs_task_subject: 's' } });
    server.use(...store.handlers);
    const tasks = [planned(0), planned(1), planned(2)];
    const res = await crm().createTasks(tasks);
    expect(res.failed).toEqual([]);
    expect(res.ok.find((c) => c.key === tasks[0]?.key)?.taskId).toBe('4000');
    expect(store.tasks.size).toBe(3);
    const reqs = await sent.all();
    expect(reqs.map((r) => r.path)).toEqual([
      '/crm/v4/associations/companies/contacts/batch/read',
      '/crm/v3/objects/tasks/batch/create',
      '/crm/v4/associations/companies/tasks/batch/read',
      '/crm/v3/objects/tasks/batch/read',
      '/crm/v3/objects/tasks/batch/create',
    ]);
    expect((reqs[2]?.body as { inputs: unknown[] }).inputs).toEqual([{ id: '100' }, { id: '101' }, { id: '102' }]);
    expect((reqs[4]?.body as CreateBody).inputs.map((i) => i.properties.hs_task_body?.split('Idempotency key: ')[1])).toEqual([tasks[1]?.key, tasks[2]?.key]);
  });

  test('bounded: creates that keep failing end as per-key failures after reconciling', async () => {
    const store = taskStore({ failFirstCreatesBeforeApplying: 99 });
    server.use(...store.handlers);
    const port = createHubSpotCrm({ accessToken: TOKEN, basePath: BASE, clock: fakeClock(), timeoutMs: 0, maxReconcileRounds: 2 });
    const res = await port.createTasks([planned(0)]);
    expect(res.ok).toEqual([]);
    expect(res.failed).toEqual([{ id: planned(0).key, status: 502, message: expect.stringContaining('not created after 3 attempts') }]);
    expect(store.creates()).toBe(3);
  });

  test('case 7: 207 on create: created keys ok, the others reported', async () => {
    server.use(
      ...taskStore().handlers.slice(3),
      http.post(`${BASE}/crm/v3/objects/tasks/batch/create`, async ({ request }) => {
        const body = (await request.json()) as CreateBody;
        const [first] = body.inputs;
        return HttpResponse.json(
          batchAnswer(first ? [hsObject('7001', first.properties)] : [], [{ status: 'error', category: 'VALIDATION_ERROR', message: 'Property values were not valid: hubspot_owner_id', context: {} }]),
          { status: 207 },
        );
      }),
    );
    const res = await crm().createTasks([planned(0), planned(2)]);
    expect(res.ok).toEqual([{ key: planned(0).key, taskId: '7001', accountId: '100' }]);
    expect(res.failed).toEqual([{ id: planned(2).key, status: 400, message: 'Property values were not valid: hubspot_owner_id' }]);
  });
});

describe('taskInput', () => {
  test('refuses a task whose words were deferred and never built: no empty task reaches HubSpot', () => {
    const deferred = { ...planned(1), subject: '', body: '', deferredTexts: { deferredTexts: true as const } };
    expect(() => taskInput(deferred)).toThrow(`task ${deferred.key}: its subject and body were not built (withTaskTexts) before the create`);
    expect(taskInput(planned(1)).properties.hs_task_subject).toBe('Renewal: 90 days out (1)');
  });
});

describe('openCsTasks and ticketCounts', () => {
  test('open CS tasks: ours (key line) and not completed, via v4 associations with paging', async () => {
    server.use(
      http.post(`${BASE}/crm/v4/associations/companies/tasks/batch/read`, async ({ request }) => {
        const body = (await request.json()) as { inputs: Array<{ id: string; after?: string }> };
        const results = body.inputs.flatMap((i) => {
          if (i.id === '1' && !i.after) return [{ from: { id: '1' }, to: [{ toObjectId: 11, associationTypes: [] }], paging: { next: { after: 'p2', link: null } } }];
          if (i.id === '1' && i.after === 'p2') return [{ from: { id: '1' }, to: [{ toObjectId: 12, associationTypes: [] }, { toObjectId: 13, associationTypes: [] }] }];
          return [];
        });
        const errors = body.inputs
          .filter((i) => i.id === '2')
          .map(() => ({ status: 'error', category: 'OBJECT_NOT_FOUND', subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND', message: 'No task is associated to company 2.', context: { fromObjectId: ['2'] } }));
        return HttpResponse.json(batchAnswer(results, errors), { status: errors.length ? 207 : 200 });
      }),
      http.post(`${BASE}/crm/v3/objects/tasks/batch/read`, () =>
        HttpResponse.json(
          batchAnswer([
            hsObject('11', { hs_task_status: 'NOT_STARTED', hs_task_subject: 'A', hs_task_body: '<p>why</p><p>Idempotency key: 1:a:2026-11</p>', hs_timestamp: '1795000000000', hs_task_priority: 'HIGH', hubspot_owner_id: '9001', hs_queue_membership_ids: '' }),
            hsObject('12', { hs_task_status: 'COMPLETED', hs_task_subject: 'B', hs_task_body: 'Idempotency key: 1:b:2026-11' }),
            hsObject('13', { hs_task_status: 'NOT_STARTED', hs_task_subject: 'someone else', hs_task_body: 'call them' }),
          ]),
        ),
      ),
    );
    const map = await crm().openCsTasks(['1', '2']);
    expect(map.get('2')).toEqual([]);
    expect(map.get('1')).toEqual([
      { id: '11', subject: 'A', dueAt: new Date(1795000000000).toISOString(), status: 'NOT_STARTED', priority: 'HIGH', ownerId: '9001', queueIds: [], key: '1:a:2026-11' },
    ]);
    const reqs = await sent.all();
    expect(reqs.map((r) => [r.path, r.body])).toEqual([
      ['/crm/v4/associations/companies/tasks/batch/read', { inputs: [{ id: '1' }, { id: '2' }] }],
      ['/crm/v4/associations/companies/tasks/batch/read', { inputs: [{ id: '1', after: 'p2' }] }],
      [
        '/crm/v3/objects/tasks/batch/read',
        { properties: ['hs_task_status', 'hs_task_subject', 'hs_task_body', 'hs_timestamp', 'hs_task_priority', 'hubspot_owner_id', 'hs_queue_membership_ids'], propertiesWithHistory: [], inputs: [{ id: '11' }, { id: '12' }, { id: '13' }] },
      ],
    ]);
  });

  test('ticket counts: open = not in a closed stage; high = HIGH or URGENT; urgent; total; associations 1,000 per call, objects 100', async () => {
    const companyIds = Array.from({ length: 1500 }, (_, i) => String(i + 1));
    server.use(
      http.post(`${BASE}/crm/v4/associations/companies/tickets/batch/read`, async ({ request }) => {
        const body = (await request.json()) as { inputs: Array<{ id: string }> };
        return HttpResponse.json(batchAnswer(body.inputs.filter((i) => i.id === '1').map((i) => ({ from: { id: i.id }, to: [1, 2, 3, 4].map((n) => ({ toObjectId: 800 + n, associationTypes: [] })) }))));
      }),
      http.post(`${BASE}/crm/v3/objects/tickets/batch/read`, () =>
        HttpResponse.json(
          batchAnswer([
            hsObject('801', { hs_pipeline_stage: '1', hs_ticket_priority: 'HIGH' }),
            hsObject('802', { hs_pipeline_stage: '2', hs_ticket_priority: 'URGENT' }),
            hsObject('803', { hs_pipeline_stage: '3', hs_ticket_priority: 'LOW' }),
            hsObject('804', { hs_pipeline_stage: '4', hs_ticket_priority: 'HIGH' }),
          ]),
        ),
      ),
    );
    const counts = await crm().ticketCounts(companyIds);
    // urgent = open URGENT only; total = every associated ticket, closed ones included.
    expect(counts.get('1')).toEqual({ open: 3, highPriority: 2, urgent: 1, total: 4 });
    expect(counts.get('2')).toEqual({ open: 0, highPriority: 0, urgent: 0, total: 0 });
    const reqs = await sent.all();
    expect(reqs.map((r) => [r.path, (r.body as { inputs: unknown[] }).inputs.length])).toEqual([
      ['/crm/v4/associations/companies/tickets/batch/read', 1000],
      ['/crm/v4/associations/companies/tickets/batch/read', 500],
      ['/crm/v3/objects/tickets/batch/read', 4],
    ]);
    expect(reqs[2]?.body).toMatchObject({ properties: ['hs_pipeline_stage', 'hs_ticket_priority'] });
  });
});

describe('completeCallback', () => {
  test('POSTs the output fields to the callback', async () => {
    server.use(http.post(`${BASE}/automation/v4/actions/callbacks/:id/complete`, () => new HttpResponse(null, { status: 204 })));
    await crm().completeCallback('cb-1', { hs_execution_state: 'SUCCESS', task_id: 5 });
    const [req] = await sent.all();
    expect(req).toMatchObject({ method: 'POST', path: '/automation/v4/actions/callbacks/cb-1/complete' });
    // HubSpot's CallbackCompletionRequest: outputFields (strings) and typedOutputs, both required.
    const body = callbackCompletionRequestSchema.parse(req?.body);
    expect(body).toEqual({ outputFields: { hs_execution_state: 'SUCCESS', task_id: '5' }, typedOutputs: { hs_execution_state: 'SUCCESS', task_id: 5 } });
  });

  test('the request schema refuses a body without typedOutputs or with non-string outputFields', () => {
    expect(callbackCompletionRequestSchema.safeParse({ outputFields: { a: '1' } }).success).toBe(false);
    expect(callbackCompletionRequestSchema.safeParse({ outputFields: { a: 1 }, typedOutputs: { a: 1 } }).success).toBe(false);
    expect(callbackCompletionRequestSchema.safeParse(callbackCompletionBody({ a: 1, b: 'x' })).success).toBe(true);
  });
});
