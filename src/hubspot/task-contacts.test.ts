/**
 * Tasks linked to the company's primary contacts (issue 13 item 6, issue 15 item 3), against the
 * local CRM server through the HubSpot API: the adapter reads the companies' primary contacts (one
 * v4 association read per 1,000 companies), creates each task associated with its company (192)
 * and at most 3 primary contacts (204), and the card read tells which contacts a task is linked to.
 */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { PlannedTask } from '../core';
import { SimClock, startLocalCrm, type LocalCrm } from '../emulator';
import { createHubSpotCrm } from './crm';
import { contactIdsFromBody, keyFromBody } from './associations';
import { BASE, TOKEN, batchAnswer, fakeClock, hsObject } from './test-support';

const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);

function task(accountId: string, n = 0): PlannedTask {
  return {
    accountId,
    key: `cs:${accountId}:renewal:90:2026-11:${n}`,
    playbook: 'renewal',
    step: '90',
    subject: `Renewal in 90 days (${n})`,
    body: 'Call the champion about the renewal.',
    dueAt: '2026-11-25T09:00:00.000Z',
    priority: 'MEDIUM',
    ownerId: null,
    queueId: null,
    trigger: { rule: 'renewal_90', values: {} },
  };
}

describe('tasks linked to primary contacts (local CRM)', () => {
  let local: LocalCrm;
  afterEach(async () => {
    await local?.stop();
  });

  test('with primary contacts: company + at most 3 of them; without: the company only; one association read', async () => {
    const clock = new SimClock(NOW);
    local = await startLocalCrm({ dir: false, clock, rateLimits: false, seed: { seed: 5, companies: 4, csms: 2, now: NOW, contactsPerCompany: 0 } });
    const s = local.store;
    const [a, b, c] = [...s.objects.companies.keys()];
    if (a === undefined || b === undefined || c === undefined) throw new Error('seed gave too few companies');
    // a: 4 primary contacts and 1 unlabeled; b: none; c: one contact, primary by the local rule (the first).
    const primaryOfA: number[] = [];
    for (let i = 0; i < 4; i++) {
      const contact = s.insertRaw('contacts', { firstname: `P${i}`, lastname: 'Primary' }, NOW);
      s.associate('contacts', contact.id, 'companies', a);
      s.markPrimary('companies', a, 'contacts', contact.id);
      primaryOfA.push(contact.id);
    }
    const other = s.insertRaw('contacts', { firstname: 'Ola', lastname: 'Unlabeled' }, NOW);
    s.associate('contacts', other.id, 'companies', a);
    const onlyOfC = s.insertRaw('contacts', { firstname: 'Cy', lastname: 'Only' }, NOW);
    s.associate('contacts', onlyOfC.id, 'companies', c);

    const crm = createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock, timeoutMs: 0 });
    const before = crm.stats();
    const res = await crm.createTasks([task(String(a)), task(String(b)), task(String(c))]);
    expect(res.failed).toEqual([]);
    expect(res.ok).toHaveLength(3);
    const after = crm.stats();
    expect((after.calls.associations ?? 0) - (before.calls.associations ?? 0)).toBe(1);
    expect(after.total - before.total).toBe(2); // the contacts read + one batch create

    const idOf = (company: number) => Number(res.ok.find((r) => r.accountId === String(company))?.taskId);
    const linked = (company: number) => [...s.associated('tasks', idOf(company), 'contacts')].sort((x, y) => x - y);
    expect(linked(a)).toEqual(primaryOfA.slice(0, 3)); // capped at 3, the unlabeled one never
    expect(linked(b)).toEqual([]);
    expect(linked(c)).toEqual([onlyOfC.id]);
    for (const company of [a, b, c]) expect(s.associated('tasks', idOf(company), 'companies')).toEqual([company]);

    // The body says it too, before the key line (the key stays last and is still found).
    const bodyOf = (company: number) => s.objects.tasks.get(idOf(company))?.props.hs_task_body ?? '';
    expect(contactIdsFromBody(bodyOf(a))).toEqual(primaryOfA.slice(0, 3).map(String));
    expect(bodyOf(a).trim().endsWith(`Idempotency key: cs:${a}:renewal:90:2026-11:0`)).toBe(true);
    expect(keyFromBody(bodyOf(a))).toBe(`cs:${a}:renewal:90:2026-11:0`);
    expect(bodyOf(b)).not.toContain('Linked contacts');

    // The card read: which contacts each open task is linked to.
    const card = await crm.readCompanyCard(String(a));
    expect(card?.taskContactIds?.[String(idOf(a))]).toEqual(primaryOfA.slice(0, 3).map(String));
    const cardB = await crm.readCompanyCard(String(b));
    expect(cardB?.taskContactIds?.[String(idOf(b))]).toBeUndefined();
  });

  test('contacts read ahead (prefetchTaskContacts): the creates for those companies use them, no read of their own; once only; other companies are read at create time', async () => {
    const clock = new SimClock(NOW);
    local = await startLocalCrm({ dir: false, clock, rateLimits: false, seed: { seed: 5, companies: 3, csms: 2, now: NOW, contactsPerCompany: 0 } });
    const s = local.store;
    const [a, b, c] = [...s.objects.companies.keys()];
    if (a === undefined || b === undefined || c === undefined) throw new Error('seed gave too few companies');
    const primary = (company: number, name: string) => {
      const contact = s.insertRaw('contacts', { firstname: name, lastname: 'Primary' }, NOW);
      s.associate('contacts', contact.id, 'companies', company);
      s.markPrimary('companies', company, 'contacts', contact.id);
      return contact.id;
    };
    const [pa, pb, pc] = [primary(a, 'A'), primary(b, 'B'), primary(c, 'C')];
    const crm = createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock, timeoutMs: 0 });
    crm.prefetchTaskContacts?.([String(a), String(b)]);
    const first = await crm.createTasks([task(String(a)), task(String(b))]);
    expect(first.ok).toHaveLength(2);
    expect(crm.stats().calls.associations ?? 0).toBe(1); // the read ahead, nothing more
    const linked = (res: typeof first, company: number) => [...s.associated('tasks', Number(res.ok.find((r) => r.accountId === String(company))?.taskId), 'contacts')];
    expect(linked(first, a)).toEqual([pa]);
    expect(linked(first, b)).toEqual([pb]);
    // Used once: the next creates read their own (here for a company never read ahead).
    const second = await crm.createTasks([task(String(c), 1)]);
    expect(crm.stats().calls.associations ?? 0).toBe(2);
    expect(linked(second, c)).toEqual([pc]);
    // A read ahead that does not cover every task's company is not used: the creates read them all.
    crm.prefetchTaskContacts?.([String(a)]);
    const third = await crm.createTasks([task(String(a), 2), task(String(c), 2)]);
    expect(crm.stats().calls.associations ?? 0).toBe(4);
    expect(linked(third, a)).toEqual([pa]);
    expect(linked(third, c)).toEqual([pc]);
  });

  test('taskContactsMax 0 links the company only, with no association read', async () => {
    const clock = new SimClock(NOW);
    local = await startLocalCrm({ dir: false, clock, rateLimits: false, seed: { seed: 5, companies: 2, csms: 2, now: NOW, contactsPerCompany: 1 } });
    const crm = createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock, timeoutMs: 0, taskContactsMax: 0 });
    const [a] = [...local.store.objects.companies.keys()];
    const res = await crm.createTasks([task(String(a))]);
    expect(res.ok).toHaveLength(1);
    expect(local.store.associated('tasks', Number(res.ok[0]?.taskId), 'contacts')).toEqual([]);
    expect(crm.stats().calls.associations ?? 0).toBe(0);
  });
});

describe('tasks linked to primary contacts (faults)', () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  const warnings: string[] = [];
  const logger = { info: () => {}, warn: (event: string) => void warnings.push(event), error: () => {} };
  beforeEach(() => (warnings.length = 0));
  const crm = () => createHubSpotCrm({ accessToken: TOKEN, basePath: BASE, clock: fakeClock(), timeoutMs: 0, logger });
  const primaryAnswer = (ids: string[]) =>
    http.post(`${BASE}/crm/v4/associations/companies/contacts/batch/read`, () =>
      HttpResponse.json(batchAnswer([{ from: { id: '100' }, to: ids.map((id) => ({ toObjectId: Number(id), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 280, label: null }, { category: 'HUBSPOT_DEFINED', typeId: 2, label: 'Primary' }] })) }])),
    );

  test('a contact gone since it was read (HubSpot rejects the whole batch, nothing created): sent once more, company only', async () => {
    const creates: Array<{ inputs: Array<{ properties: Record<string, string>; associations: Array<{ types: Array<{ associationTypeId: number }> }> }> }> = [];
    server.use(
      primaryAnswer(['7']),
      http.post(`${BASE}/crm/v3/objects/tasks/batch/create`, async ({ request }) => {
        const body = (await request.json()) as (typeof creates)[number];
        creates.push(body);
        if (body.inputs.some((i) => i.associations.some((a) => a.types.some((t) => t.associationTypeId === 204)))) {
          return HttpResponse.json({ status: 'error', category: 'VALIDATION_ERROR', message: 'One or more associations are invalid: CONTACT 7 does not exist.' }, { status: 400 });
        }
        return HttpResponse.json(batchAnswer(body.inputs.map((i, n) => hsObject(String(900 + n), i.properties))), { status: 201 });
      }),
    );
    const res = await crm().createTasks([task('100')]);
    expect(res.failed).toEqual([]);
    expect(res.ok).toEqual([{ key: task('100').key, taskId: '900', accountId: '100' }]);
    expect(creates).toHaveLength(2);
    expect(creates[1]?.inputs[0]?.associations.map((a) => a.types[0]?.associationTypeId)).toEqual([192]);
    expect(creates[1]?.inputs[0]?.properties.hs_task_body).not.toContain('Linked contacts');
    expect(warnings).toEqual(['task_contacts_dropped']);
  });

  test('any other 400 (not about associations) is not re-sent: the tasks fail and stay in the backlog', async () => {
    let creates = 0;
    server.use(
      primaryAnswer(['7']),
      http.post(`${BASE}/crm/v3/objects/tasks/batch/create`, () => {
        creates++;
        return HttpResponse.json({ status: 'error', category: 'VALIDATION_ERROR', message: 'Property values were not valid: hs_task_priority' }, { status: 400 });
      }),
    );
    const res = await crm().createTasks([task('100')]);
    expect(creates).toBe(1);
    expect(res.ok).toEqual([]);
    expect(res.failed).toMatchObject([{ id: task('100').key, status: 400 }]);
    expect(warnings).toEqual([]);
  });

  test('the contacts read refused (403, scope missing): tasks are still created, linked to the company', async () => {
    let sent: Array<{ properties: Record<string, string>; associations: unknown[] }> = [];
    server.use(
      http.post(`${BASE}/crm/v4/associations/companies/contacts/batch/read`, () => HttpResponse.json({ status: 'error', category: 'MISSING_SCOPES', message: 'missing scope' }, { status: 403 })),
      http.post(`${BASE}/crm/v3/objects/tasks/batch/create`, async ({ request }) => {
        sent = ((await request.json()) as { inputs: Array<{ properties: Record<string, string>; associations: unknown[] }> }).inputs;
        return HttpResponse.json(batchAnswer(sent.map((i, n) => hsObject(String(900 + n), i.properties))), { status: 201 });
      }),
    );
    const res = await crm().createTasks([task('100')]);
    expect(res.ok).toHaveLength(1);
    expect(sent[0]?.associations).toHaveLength(1);
    // Not silent: the admin learns that tasks go out without their contacts.
    expect(warnings).toEqual(['task_contacts_unread']);
  });

  test('a read ahead that failed: the creates read the contacts again and judge that answer (here 403: company only, a warning)', async () => {
    let reads = 0;
    let sent: Array<{ properties: Record<string, string>; associations: unknown[] }> = [];
    server.use(
      http.post(`${BASE}/crm/v4/associations/companies/contacts/batch/read`, () => {
        reads++;
        return HttpResponse.json({ status: 'error', category: 'MISSING_SCOPES', message: 'missing scope' }, { status: 403 });
      }),
      http.post(`${BASE}/crm/v3/objects/tasks/batch/create`, async ({ request }) => {
        sent = ((await request.json()) as { inputs: Array<{ properties: Record<string, string>; associations: unknown[] }> }).inputs;
        return HttpResponse.json(batchAnswer(sent.map((i, n) => hsObject(String(900 + n), i.properties))), { status: 201 });
      }),
    );
    const port = crm();
    port.prefetchTaskContacts?.(['100']);
    const res = await port.createTasks([task('100')]);
    expect(res.ok).toHaveLength(1);
    expect(reads).toBe(2);
    expect(sent[0]?.associations).toHaveLength(1);
    expect(warnings).toEqual(['task_contacts_unread']);
  });

  test('a company with only unlabeled contacts: no contact link', async () => {
    let sent: Array<{ properties: Record<string, string>; associations: unknown[] }> = [];
    server.use(
      http.post(`${BASE}/crm/v4/associations/companies/contacts/batch/read`, () =>
        HttpResponse.json(batchAnswer([{ from: { id: '100' }, to: [{ toObjectId: 5, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 280, label: null }] }] }])),
      ),
      http.post(`${BASE}/crm/v3/objects/tasks/batch/create`, async ({ request }) => {
        sent = ((await request.json()) as { inputs: Array<{ properties: Record<string, string>; associations: unknown[] }> }).inputs;
        return HttpResponse.json(batchAnswer(sent.map((i, n) => hsObject(String(900 + n), i.properties))), { status: 201 });
      }),
    );
    await crm().createTasks([task('100')]);
    expect(sent[0]?.associations).toHaveLength(1);
  });
});
