/**
 * The exact HubSpot requests the functions send, with msw (any request no handler expects fails
 * the test): card-data reads in 4 calls in two round trips (the company with its history and
 * associations and the active owners, then tasks and tickets) and writes nothing, 3 once the owners
 * are cached (the archived owners only when a name shown is missing); it never reads contacts (the
 * card has them from HubSpot's useAssociations hook); graduate-now reads once and writes one
 * batch update with only the changed properties; a 401 is one request and an auth message.
 */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { silentLogger } from '../src/app';
import { BASE, TOKEN, batchAnswer, hsObject, recordRequests, unauthorized401 } from '../src/hubspot/test-support';
import { main as cardData } from './card-data';
import { main as graduateNow } from './graduate-now';
import { setFunctionOverrides } from './lib/handler';

const NOW = new Date('2026-11-23T09:00:00.000Z');
const server = setupServer();
const sent = recordRequests(server);
const saved = { base: process.env['HUBSPOT_BASE_URL'], token: process.env['PRIVATE_APP_ACCESS_TOKEN'], config: process.env['CS_CONFIG_JSON'] };

beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  process.env['HUBSPOT_BASE_URL'] = BASE;
  process.env['PRIVATE_APP_ACCESS_TOKEN'] = TOKEN;
  process.env['CS_CONFIG_JSON'] = JSON.stringify({ pool: { queueId: null, members: [{ ownerId: '501', skills: [], coverageDays: [], outOfOffice: [], capacity: 20 }] } });
  setFunctionOverrides({ now: () => NOW, log: silentLogger, client: { timeoutMs: 0 } });
});
afterEach(() => {
  server.resetHandlers();
  sent.clear();
});
afterAll(() => {
  server.close();
  setFunctionOverrides(null);
  for (const [k, v] of Object.entries({ HUBSPOT_BASE_URL: saved.base, PRIVATE_APP_ACCESS_TOKEN: saved.token, CS_CONFIG_JSON: saved.config })) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
});

const company = hsObject('4021', {
  name: 'Northwind Analytics',
  cs_acv: '18000',
  cs_contract_start_date: '2026-10-20',
  cs_licensed_seats: '40',
  cs_active_users: '31',
  cs_usage_current_period: '412',
  cs_usage_previous_period: '630',
  cs_last_login_date: '2026-11-20',
  cs_nps_score: '8',
  cs_nps_date: '2026-09-01',
  cs_usage_updated_at: '2026-11-22T00:00:00.000Z',
  notes_last_contacted: '2026-11-10T12:00:00.000Z',
  cs_onboarding_csm: '501',
  cs_lifecycle_stage: 'onboarding',
  cs_onboarding_start_date: '2026-10-20',
  cs_graduation_date: '2027-01-18',
  cs_health_score: '69',
  cs_playbook_ledger: 'cs:4021:usage_drop:alert:2026-W47@2026-11-21',
});

function cardHandlers() {
  return [
    http.get(`${BASE}/crm/v3/objects/companies/4021`, () =>
      HttpResponse.json({
        ...company,
        propertiesWithHistory: {
          cs_health_score: [
            { value: '69', timestamp: '2026-11-22T06:00:00.000Z', sourceType: 'INTEGRATION' },
            { value: '74', timestamp: '2026-10-21T06:00:00.000Z', sourceType: 'INTEGRATION' },
          ],
          cs_health_summary: [
            { value: '69/100 watch, coverage 100%. Weak: usage trend 412 vs 630 (−35%). Strong: NPS 8.', timestamp: '2026-11-22T06:00:00.000Z', sourceType: 'INTEGRATION' },
            { value: '74/100 healthy, coverage 100%.', timestamp: '2026-10-21T06:00:00.000Z', sourceType: 'INTEGRATION' },
          ],
        },
        associations: {
          tasks: { results: [{ id: '77', type: 'company_to_task' }] },
          tickets: { results: [{ id: '91', type: 'company_to_ticket' }] },
        },
      }),
    ),
    http.get(`${BASE}/crm/v3/owners`, ({ request }) =>
      HttpResponse.json({
        results:
          new URL(request.url).searchParams.get('archived') === 'true'
            ? []
            : [{ id: '501', email: 'priya@example.com', firstName: 'Priya', lastName: 'Raman', userId: 9001, archived: false, teams: [] }],
      }),
    ),
    http.post(`${BASE}/crm/v3/objects/tickets/batch/read`, () => HttpResponse.json(batchAnswer([hsObject('91', { hs_pipeline_stage: '1', hs_ticket_priority: 'HIGH' })]))),
    http.post(`${BASE}/crm/v3/objects/tasks/batch/read`, () =>
      HttpResponse.json(
        batchAnswer([
          hsObject('77', {
            hs_task_subject: 'Usage drop: call about the drop — Northwind Analytics',
            hs_task_body: 'Why: usage fell\nIdempotency key: cs:4021:usage_drop:alert:2026-W47',
            hs_task_status: 'NOT_STARTED',
            hs_timestamp: '2026-11-25T09:00:00.000Z',
            hs_task_priority: 'HIGH',
            hubspot_owner_id: '501',
          }),
        ]),
      ),
    ),
  ];
}

describe('card-data over msw', () => {
  it('reads the company once with its history and associations, then tasks and tickets; no contacts (no write)', async () => {
    server.use(...cardHandlers());
    const r = await cardData({ parameters: { companyId: '4021' }, propertiesToSend: {} });
    const requests = (await sent.all()).map((s) => `${s.method} ${s.path}${s.query['archived'] ? `?archived=${s.query['archived']}` : ''}`).sort();
    expect(requests).toEqual(
      [
        'GET /crm/v3/objects/companies/4021?archived=false',
        // The active owners only: every name shown is among them, so the archived ones are not listed.
        'GET /crm/v3/owners?archived=false',
        'POST /crm/v3/objects/tickets/batch/read?archived=false',
        'POST /crm/v3/objects/tasks/batch/read?archived=false',
      ].sort(),
    );
    expect((await sent.all()).every((s) => s.auth === `Bearer ${TOKEN}`)).toBe(true);
    const read = (await sent.all()).find((s) => s.path.endsWith('/companies/4021'));
    // One GET carries the score history and the history that dates the usage and NPS values (freshness).
    expect(read?.query).toMatchObject({ propertiesWithHistory: 'cs_health_score,cs_health_summary,cs_usage_current_period,cs_active_users,cs_last_login_date,cs_nps_score', associations: 'tasks,tickets' });
    expect(String(read?.query['properties'])).toContain('hubspot_owner_id');
    // No contact read on the app's token (msw would also fail an unexpected request).
    expect((await sent.all()).filter((s) => s.path.includes('contacts'))).toEqual([]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const card = r.data;
    expect(card.lifecycle).toMatchObject({ stage: 'onboarding', day: 35, totalDays: 90, onboardingCsm: { id: '501', name: 'Priya Raman', active: true } });
    expect(card.health.trend).toEqual([
      { at: '2026-10-21T06:00:00.000Z', score: 74 },
      { at: '2026-11-22T06:00:00.000Z', score: 69 },
    ]);
    expect(card.health.change).toBe(-5);
    expect(card.health.signals.find((s) => s.id === 'tickets')?.raw).toMatch(/1/);
    expect(card.playbooks.openTasks).toEqual([
      {
        id: '77',
        subject: 'Usage drop: call about the drop — Northwind Analytics',
        dueAt: '2026-11-25T09:00:00.000Z',
        priority: 'HIGH',
        ownerName: 'Priya Raman',
        queueId: null,
        // The key's week (W47) is over, so the rule is not re-derived: the subject says it, no second line.
        why: null,
        overdueDays: 0,
        // Created before tasks were linked to contacts (no "Linked contacts" line): the card says it is about the primary contact.
        linkedContactIds: [],
      },
    ]);
    // The People section's size (config card.contactsMax); the contacts themselves come from the card's hook.
    expect(card.peopleMax).toBe(5);
    expect(card).not.toHaveProperty('people');
    expect(card.health.history).toEqual([
      { at: '2026-11-22T06:00:00.000Z', score: 69, delta: -5, causes: 'usage trend 412 vs 630 (−35%)' },
      { at: '2026-10-21T06:00:00.000Z', score: 74, delta: null, causes: null },
    ]);
    expect(card.facts).toMatchObject({ arr: 18000, daysSinceTouch: 13, accountOwner: null });

    // A second load within the owners' expiry: the owners come from the cache.
    sent.clear();
    const again = await cardData({ parameters: { companyId: '4021' }, propertiesToSend: {} });
    expect(again.ok).toBe(true);
    expect((await sent.all()).map((s) => s.path).filter((p) => p.includes('owners'))).toEqual([]);
    expect(await sent.all()).toHaveLength(3);
    expect(card.playbooks.recentTriggers[0]).toMatchObject({ key: 'cs:4021:usage_drop:alert:2026-W47', playbook: 'usage_drop', firedAt: '2026-11-21T00:00:00.000Z' });
    expect(card.assignableOwners).toEqual([{ id: '501', name: 'Priya Raman' }]);
  });

  it('a 401 is one request and an auth message naming the token variable, never a stack', async () => {
    server.use(http.get(`${BASE}/crm/v3/objects/companies/4021`, () => HttpResponse.json(unauthorized401, { status: 401 })));
    const r = await cardData({ parameters: { companyId: '4021' }, propertiesToSend: {} });
    expect(r).toEqual({ ok: false, error: { code: 'auth', message: expect.stringContaining('PRIVATE_APP_ACCESS_TOKEN') } });
    // The owners are cached from the test before: the one request is the company read.
    expect(await sent.all()).toHaveLength(1);
  });

  it('an owner shown on the card who is not among the active ones (a removed user): the archived owners are listed once, then cached', async () => {
    const owned = http.get(`${BASE}/crm/v3/objects/companies/4021`, () =>
      HttpResponse.json({ ...company, properties: { ...company.properties, hubspot_owner_id: '808' }, associations: { tasks: { results: [{ id: '77', type: 'company_to_task' }] }, tickets: { results: [{ id: '91', type: 'company_to_ticket' }] } } }),
    );
    const archived = http.get(`${BASE}/crm/v3/owners`, ({ request }) =>
      HttpResponse.json({
        results:
          new URL(request.url).searchParams.get('archived') === 'true'
            ? [{ id: '808', email: 'sam@example.com', firstName: 'Sam', lastName: 'Carter', userId: null, archived: true, teams: [] }]
            : [{ id: '501', email: 'priya@example.com', firstName: 'Priya', lastName: 'Raman', userId: 9001, archived: false, teams: [] }],
      }),
    );
    server.use(owned, archived, ...cardHandlers());
    const r = await cardData({ parameters: { companyId: '4021' }, propertiesToSend: {} });
    expect(r).toMatchObject({ ok: true });
    if (!r.ok) return;
    expect(r.data.facts.accountOwner).toEqual({ id: '808', name: 'Sam Carter' });
    const owners = (await sent.all()).filter((s) => s.path.endsWith('/owners')).map((s) => s.query['archived']);
    expect(owners).toEqual(['true']); // the active ones are still cached from the first load
    sent.clear();
    await cardData({ parameters: { companyId: '4021' }, propertiesToSend: {} });
    expect((await sent.all()).filter((s) => s.path.endsWith('/owners'))).toEqual([]);
  });

  describe('a company with no ticket: tickets count as the last sweep judged, without asking the portal', () => {
    /** The company with no ticket associated and `summary` as its stored health summary (none when null). */
    const noTickets = (summary: string | null) =>
      http.get(`${BASE}/crm/v3/objects/companies/4021`, () =>
        HttpResponse.json({
          ...company,
          properties: { ...company.properties, cs_health_summary: summary },
          associations: { tasks: { results: [{ id: '77', type: 'company_to_task' }] } },
        }),
      );
    const ticketsSignal = (r: Awaited<ReturnType<typeof cardData>>) => (r.ok ? (r.data as { health: { signals: { id: string; status: string; raw: string | null }[] } }).health.signals.find((x) => x.id === 'tickets') : undefined);
    let probes = 0;
    const probe = http.get(`${BASE}/crm/v3/objects/tickets`, () => {
      probes++;
      // The portal's tickets carry no company: tickets are not linked.
      return HttpResponse.json({ results: [{ ...hsObject('5', {}), associations: {} }] });
    });

    it('never scored (no summary): the portal is asked once (then cached), in the batch reads\' round trip; unlinked → tickets unknown', async () => {
      server.use(noTickets(null), probe, ...cardHandlers().slice(1));
      const r = await cardData({ parameters: { companyId: '4021' }, propertiesToSend: {} });
      expect(probes).toBe(1);
      expect(ticketsSignal(r)?.status).toBe('unknown');
    });

    it('the sweep counted tickets (not named unknown): no probe, "0 open" is evidence', async () => {
      probes = 0;
      server.use(noTickets('69/100 watch, coverage 100%. Weak: usage trend 412 vs 630 (−35%). Strong: NPS 8.'), probe, ...cardHandlers().slice(1));
      const r = await cardData({ parameters: { companyId: '4021' }, propertiesToSend: {} });
      expect(probes).toBe(0);
      expect((await sent.all()).filter((x) => x.path === '/crm/v3/objects/tickets')).toEqual([]);
      expect(ticketsSignal(r)?.status).not.toBe('unknown');
    });

    it('the sweep named support tickets unknown (portal does not link them): no probe, tickets unknown on the card too', async () => {
      probes = 0;
      server.use(noTickets('71/100 healthy, coverage 80%. Strong: NPS 8. Unknown: support tickets.'), probe, ...cardHandlers().slice(1));
      const r = await cardData({ parameters: { companyId: '4021' }, propertiesToSend: {} });
      expect(probes).toBe(0);
      expect(ticketsSignal(r)?.status).toBe('unknown');
    });
  });
});

describe('graduate-now over msw', () => {
  it('reads once and writes one batch update with only the changed properties', async () => {
    server.use(
      http.post(`${BASE}/crm/v3/objects/companies/batch/read`, () => HttpResponse.json(batchAnswer([company]))),
      http.post(`${BASE}/crm/v3/objects/companies/batch/update`, () => HttpResponse.json(batchAnswer([hsObject('4021', {})]))),
    );
    const r = await graduateNow({ parameters: { companyId: '4021', reason: 'All milestones done early' }, propertiesToSend: {} });
    expect(r).toEqual({ ok: true, data: { stage: 'graduated', graduationDate: '2027-01-18', graduatedAt: '2026-11-23', reason: 'Graduated by hand: All milestones done early', changed: true } });
    const requests = await sent.all();
    expect(requests.map((s) => `${s.method} ${s.path}`)).toEqual(['POST /crm/v3/objects/companies/batch/read', 'POST /crm/v3/objects/companies/batch/update']);
    expect(requests[1]?.body).toEqual({
      inputs: [{ id: '4021', properties: { cs_lifecycle_stage: 'graduated', cs_graduated_at: '2026-11-23', cs_lifecycle_reason: 'Graduated by hand: All milestones done early' } }],
    });
  });
});
