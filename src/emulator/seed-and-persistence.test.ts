import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimClock } from '../platform/clock';
import { loadStore, saveStore } from './persistence';
import { seedPortfolio } from './seed';
import { startLocalCrm } from './server';
import { clientFor } from './test-helpers';
import { toEpochMs } from './values';

const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);
const DAY = 86_400_000;

describe('seedPortfolio', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = seedPortfolio({ seed: 7, companies: 500, csms: 12, now: NOW });
    const b = seedPortfolio({ seed: 7, companies: 500, csms: 12, now: NOW });
    const c = seedPortfolio({ seed: 8, companies: 500, csms: 12, now: NOW });
    const dump = (s: typeof a) => JSON.stringify(s.store.toJSON(0));
    expect(dump(a)).toBe(dump(b));
    expect(a.poolConfig).toEqual(b.poolConfig);
    expect(dump(a)).not.toBe(dump(c));
  });

  it('sizes the onboarding cohort to the pool (more CSMs, more concurrent onboardings)', () => {
    const small = seedPortfolio({ seed: 3, companies: 5000, csms: 6, now: NOW }).summary.onboarding;
    const large = seedPortfolio({ seed: 3, companies: 5000, csms: 24, now: NOW }).summary.onboarding;
    expect(large).toBeGreaterThan(small * 3);
  });

  it('gives a realistic mix of segments, lifecycle, signals, malformed values and tickets', () => {
    const { store, summary, poolConfig } = seedPortfolio({ seed: 3, companies: 5000, csms: 12, now: NOW });
    const cos = Array.from(store.objects.companies.values());
    expect(cos).toHaveLength(5000);
    const acvs = cos.map((o) => Number(o.props.cs_acv)).filter((n) => Number.isFinite(n));
    const share = (f: (n: number) => boolean) => acvs.filter(f).length / acvs.length;
    expect(share((n) => n < 25_000)).toBeGreaterThan(0.6);
    expect(share((n) => n >= 25_000 && n < 100_000)).toBeGreaterThan(0.1);
    expect(share((n) => n >= 100_000)).toBeGreaterThan(0.02);
    expect(share((n) => n >= 100_000)).toBeLessThan(0.1);
    expect(acvs.filter((n) => n >= 24_000 && n <= 26_000).length).toBeGreaterThan(50);
    expect(cos.filter((o) => o.props.cs_dedicated_csm_contract === 'true').length).toBe(summary.dedicated);
    expect(summary.dedicated).toBeGreaterThan(20);

    const startAge = (o: (typeof cos)[number]) => {
      const ms = toEpochMs(o.props.cs_contract_start_date ?? '');
      return ms === null ? null : (Date.UTC(2026, 10, 23) - ms) / DAY;
    };
    const ages = cos.map(startAge).filter((x): x is number => x !== null);
    // Onboarding follows the pool's size: ~12 concurrent per CSM (12 CSMs → ~144 of 5,000).
    const onboarding = ages.filter((d) => d >= 0 && d < 90).length;
    expect(onboarding).toBeGreaterThan(100);
    expect(onboarding).toBeLessThan(200);
    expect(ages.filter((d) => d >= 90 && d <= 150).length).toBeGreaterThan(20);
    expect(ages.filter((d) => d < 0).length).toBeGreaterThan(30);
    expect(ages.filter((d) => d > 150).length / ages.length).toBeGreaterThan(0.7);

    const drops = cos.filter((o) => Number(o.props.cs_usage_current_period) < 0.7 * Number(o.props.cs_usage_previous_period));
    expect(drops.length).toBeGreaterThan(300);
    expect(cos.filter((o) => o.props.cs_nps_score === undefined).length).toBeGreaterThan(1000);
    expect(cos.filter((o) => Number(o.props.cs_nps_score) <= 6).length).toBeGreaterThan(300);
    expect(cos.filter((o) => o.props.cs_required_skills).length).toBeGreaterThan(500);
    expect(summary.staleContact).toBeGreaterThan(500);
    expect(summary.staleUsage).toBeGreaterThan(200);
    expect(summary.staleLogin).toBeGreaterThan(200);
    const malformed = cos.filter((o) => ['NaN', '12,5', '', '2024-13-45', '-5', 'soon', 'yesterday'].some((v) => Object.values(o.props).includes(v)));
    expect(malformed.length).toBe(summary.malformed);
    expect(summary.malformed).toBeGreaterThan(50);

    const tickets = Array.from(store.objects.tickets.values());
    expect(tickets.length).toBe(summary.tickets);
    expect(tickets.some((t) => t.props.hs_ticket_priority === 'HIGH' && t.props.hs_pipeline_stage !== '4')).toBe(true);
    expect(tickets.every((t) => store.associated('tickets', t.id, 'companies').length === 1)).toBe(true);

    const csms = store.owners.filter((o) => o.teams.some((t) => t.name === 'CS Pool'));
    expect(csms).toHaveLength(12);
    expect(csms.filter((o) => o.archived)).toHaveLength(1);
    expect(poolConfig.queueId).toBeNull();
    expect(poolConfig.members.map((m) => m.ownerId)).toEqual(csms.map((o) => o.id));
    for (const m of poolConfig.members) {
      expect(m.coverageDays.length).toBeGreaterThan(0);
      expect(m.capacity).toBeGreaterThan(0);
      for (const r of m.outOfOffice) expect(r.from <= r.to).toBe(true);
    }
    expect(poolConfig.members.some((m) => m.outOfOffice.length > 0)).toBe(true);
    expect(store.properties.companies.get('cs_nps_date')?.type).toBe('date');
    expect(store.properties.companies.get('cs_usage_updated_at')?.type).toBe('datetime');
  });

  it('seeds 100,000 companies in a few seconds', () => {
    const t0 = process.hrtime.bigint();
    const { store } = seedPortfolio({ seed: 1, companies: 100_000, csms: 60, now: NOW });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    expect(store.count('companies')).toBe(100_000);
    // Not a timing assertion of the code under test's speed contract, only a guard against a blow-up.
    expect(ms).toBeLessThan(20_000);
    process.stdout.write(`seeded 100k companies in ${Math.round(ms)} ms\n`);
  });
});

describe('persistence', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'local-crm-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('round-trips the state through state.json, so a rerun sees earlier writes', async () => {
    const clock = new SimClock(NOW);
    const first = await startLocalCrm({ dir, clock, seed: { seed: 5, companies: 300, csms: 6 }, rateLimits: false });
    const c = clientFor(first);
    const id = (await c.crm.companies.basicApi.getPage(1)).results[0]?.id ?? '';
    await c.crm.properties.groupsApi.create('companies', { name: 'customer_success', label: 'Customer Success' });
    await c.crm.properties.coreApi.create('companies', { name: 'cs_health_score', label: 'Health', type: 'number' as never, fieldType: 'number' as never, groupName: 'customer_success' });
    await c.crm.companies.batchApi.update({ inputs: [{ id, properties: { cs_health_score: '61' } }] });
    clock.advance(DAY);
    await c.crm.companies.batchApi.update({ inputs: [{ id, properties: { cs_health_score: '64' } }] });
    await c.crm.objects.tasks.batchApi.create({
      inputs: [{ properties: { hs_task_subject: 'Check-in' }, associations: [{ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 192 }] }] }],
    });
    await c.automation.actions.callbacksApi.complete('cb', { outputFields: { a: '1' } });
    await first.stop();

    const second = await startLocalCrm({ dir, clock, seed: { seed: 99, companies: 10, csms: 2 }, rateLimits: false });
    try {
      expect(second.store.count('companies')).toBe(300); // loaded, not reseeded
      const c2 = clientFor(second);
      const again = await c2.crm.companies.basicApi.getById(id, ['cs_health_score'], ['cs_health_score']);
      expect(again.properties.cs_health_score).toBe('64');
      expect(again.propertiesWithHistory?.cs_health_score?.map((h) => h.value)).toEqual(['64', '61']);
      const assoc = await c2.crm.associations.v4.batchApi.getPage('companies', 'tasks', { inputs: [{ id }] });
      expect(assoc.results[0]?.to).toHaveLength(1);
      expect(second.store.callbacks.map((x) => x.callbackId)).toEqual(['cb']);
      expect(second.store.meta.poolConfig).toBeDefined();
      // New ids continue after the saved ones.
      const t = await c2.crm.objects.tasks.basicApi.create({ properties: { hs_task_subject: 'Next' }, associations: [] });
      expect(Number(t.id)).toBeGreaterThan(Number(assoc.results[0]?.to[0]?.toObjectId));
    } finally {
      await second.stop();
    }
  });

  it('saves and loads 26,000 companies in one JSON write', async () => {
    const { store } = seedPortfolio({ seed: 2, companies: 26_000, csms: 60, now: NOW });
    const t0 = Date.now();
    await saveStore(store, dir, NOW);
    const saved = Date.now() - t0;
    const loaded = await loadStore(dir);
    const total = Date.now() - t0;
    expect(loaded?.count('companies')).toBe(26_000);
    expect(JSON.stringify(loaded?.toJSON(0))).toBe(JSON.stringify(store.toJSON(0)));
    expect(loaded?.count('tickets')).toBe(store.count('tickets'));
    process.stdout.write(`saved 26k in ${saved} ms, save+load ${total} ms\n`);
  });
});
