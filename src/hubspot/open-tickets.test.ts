/**
 * Open tickets read by search then their company links (a full sweep's way) give the same counts
 * as reading every ticket of every company, with far fewer calls.
 */
import { SimClock, startLocalCrm, type LocalCrm } from '../emulator';
import { createHubSpotCrm } from './crm';

const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);

describe('openTicketCounts', () => {
  let local: LocalCrm;
  afterEach(async () => {
    await local?.stop();
  });

  test('same open / high-priority counts as the per-company read, reading only open tickets', async () => {
    const clock = new SimClock(NOW);
    local = await startLocalCrm({ dir: false, clock, rateLimits: false, seed: { seed: 3, companies: 1500, csms: 6, now: NOW } });
    const bySearch = createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock, timeoutMs: 0 });
    const perCompany = createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock, timeoutMs: 0 });
    const ids = [...local.store.objects.companies.keys()].map(String);

    const portfolio = await bySearch.openTicketCounts();
    const reference = await perCompany.ticketCounts(ids);

    let open = 0;
    for (const id of ids) {
      // Open, high-priority and urgent counts agree (the per-company read also counts closed ones as `total`).
      const r = reference.get(id);
      const want = { open: r?.open ?? 0, highPriority: r?.highPriority ?? 0, urgent: r?.urgent ?? 0 };
      const got = portfolio.byCompany.get(id);
      expect({ open: got?.open ?? 0, highPriority: got?.highPriority ?? 0, urgent: got?.urgent ?? 0 }).toEqual(want);
      open += want.open;
    }
    expect(open).toBeGreaterThan(0);
    expect(portfolio.unlinked).toBe(0);
    // Only open tickets were read: searches for them (200 a page) and their links (1,000 a call).
    const closed = [...local.store.objects.tickets.values()].filter((t) => t.props.hs_pipeline_stage === '4').length;
    expect(closed).toBeGreaterThan(0);
    expect(portfolio.openTickets).toBe(local.store.count('tickets') - closed);
    const s = bySearch.stats();
    expect(s.calls.search).toBe(Math.ceil(portfolio.openTickets / 200));
    expect(s.calls.associations).toBe(Math.ceil(portfolio.openTickets / 1000));
    expect(s.calls.batchRead ?? 0).toBe(0);
    expect(s.total).toBeLessThan(perCompany.stats().total);
  });

  test('a failing search is an error (not silently zero tickets)', async () => {
    const clock = new SimClock(NOW);
    local = await startLocalCrm({ dir: false, clock, rateLimits: false, seed: { seed: 3, companies: 50, csms: 3, now: NOW } });
    local.faults.add({ match: { method: 'POST', pathPrefix: '/crm/v3/objects/tickets/search' }, respond: { status: 400, body: { status: 'error', message: 'bad filter', category: 'VALIDATION_ERROR' } } });
    const crm = createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock, timeoutMs: 0 });
    await expect(crm.openTicketCounts()).rejects.toThrow();
  });
});

describe('ticketChangesSince', () => {
  let local: LocalCrm;
  afterEach(async () => {
    await local?.stop();
  });

  test('the companies of tickets created or changed since an instant, and none of the others', async () => {
    const clock = new SimClock(NOW);
    local = await startLocalCrm({ dir: false, clock, rateLimits: false, seed: { seed: 3, companies: 200, csms: 4, now: NOW } });
    const crm = createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock, timeoutMs: 0 });
    const since = new Date(NOW + 1000).toISOString();
    expect(await crm.ticketChangesSince?.(since)).toEqual({ companies: new Set(), tickets: 0 });
    // One ticket closed, one opened on another company, after the instant.
    clock.set(NOW + 60_000);
    const old = [...local.store.objects.tickets.values()].find((t) => t.props.hs_pipeline_stage !== '4');
    expect(old).toBeDefined();
    await fetch(`${local.baseUrl}/crm/v3/objects/tickets/${old?.id}`, { method: 'PATCH', headers: { authorization: `Bearer ${local.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ properties: { hs_pipeline_stage: '4' } }) });
    const fresh = local.store.create('tickets', { subject: 'New', hs_pipeline: '0', hs_pipeline_stage: '1', hs_ticket_priority: 'URGENT' }, NOW + 60_000);
    const owners = local.store.associated('tickets', old?.id ?? 0, 'companies').map(String);
    const other = [...local.store.objects.companies.keys()].find((id) => !owners.includes(String(id))) ?? 0;
    local.store.associate('tickets', fresh.id, 'companies', other);
    const changes = await crm.ticketChangesSince?.(since);
    expect(changes?.tickets).toBe(2);
    expect(changes?.companies).toEqual(new Set([...owners, String(other)]));
  });
});
