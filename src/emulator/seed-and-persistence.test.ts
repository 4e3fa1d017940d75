import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimClock } from '../platform/clock';
import { loadStore, saveStore } from './persistence';
import { seedPortfolio } from './seed';
import { startLocalCrm } from './server';
import { call, clientFor, rec } from './test-helpers';
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

  it('moves signals together: low usage goes with no recent login, detractors and open tickets', () => {
    const { store } = seedPortfolio({ seed: 6, companies: 5000, csms: 12, now: NOW });
    const today = Date.UTC(2026, 10, 23);
    const rows = [...store.objects.companies.values()].map((o) => {
      const p = o.props;
      const util = Number(p.cs_active_users) / Number(p.cs_licensed_seats);
      const login = toEpochMs(p.cs_last_login_date ?? '');
      const open = store.associated('companies', o.id, 'tickets').filter((t) => store.get('tickets', t)?.props.hs_pipeline_stage !== '4').length;
      return {
        low: Number.isFinite(util) && util < 0.3,
        high: Number.isFinite(util) && util >= 0.6,
        noLogin: login !== null && today - login >= 30 * DAY,
        detractor: p.cs_nps_score !== undefined && Number(p.cs_nps_score) <= 6,
        promoter: Number(p.cs_nps_score) >= 9,
        open,
      };
    });
    const rate = (group: typeof rows, f: (r: (typeof rows)[number]) => boolean | number) => group.reduce((n, r) => n + Number(f(r)), 0) / group.length;
    const low = rows.filter((r) => r.low);
    const high = rows.filter((r) => r.high);
    expect(low.length).toBeGreaterThan(300);
    expect(high.length).toBeGreaterThan(1500);
    expect(rate(low, (r) => r.noLogin)).toBeGreaterThan(5 * rate(high, (r) => r.noLogin));
    expect(rate(low, (r) => r.detractor)).toBeGreaterThan(4 * rate(high, (r) => r.detractor));
    expect(rate(high, (r) => r.promoter)).toBeGreaterThan(2 * rate(low, (r) => r.promoter));
    expect(rate(low, (r) => r.open)).toBeGreaterThan(2 * rate(high, (r) => r.open));
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

describe('seeded property history agrees with the data', () => {
  const HISTORY = ['cs_usage_current_period', 'cs_active_users', 'cs_last_login_date', 'cs_usage_updated_at', 'cs_nps_score', 'cs_nps_date', 'cs_renewal_date', 'cs_acv', 'name'];
  type Hist = Record<string, Array<{ value: string; timestamp: string }>>;
  const newest = (h: Hist, name: string): number | null => {
    const ts = (h[name] ?? []).map((e) => Date.parse(e.timestamp));
    return ts.length === 0 ? null : Math.max(...ts);
  };

  it('usage values carry the sync time, NPS its answer day, the rest a time between creation and now (through the API)', async () => {
    const clock = new SimClock(NOW);
    const local = await startLocalCrm({ dir: false, clock, seed: { seed: 5, companies: 300, csms: 6 }, rateLimits: false });
    try {
      const ids = [...local.store.objects.companies.keys()].slice(0, 50).map((id) => ({ id: String(id) }));
      const r = await call(local, 'POST', '/crm/v3/objects/companies/batch/read', { properties: [...HISTORY, 'hs_lastmodifieddate', 'createdate'], propertiesWithHistory: HISTORY, inputs: ids });
      expect(r.status).toBe(200);
      const results = rec(r.body).results as Array<{ id: string; properties: Record<string, string | null>; propertiesWithHistory: Hist }>;
      expect(results).toHaveLength(50);
      let checkedNps = 0;
      let renewed = 0;
      for (const o of results) {
        const p = o.properties;
        const h = o.propertiesWithHistory;
        const created = Date.parse(p.createdate ?? '');
        const synced = Date.parse(p.cs_usage_updated_at ?? '');
        if (Number.isFinite(synced)) {
          // The sync's values were set when the sync ran: the history timestamp is cs_usage_updated_at.
          expect(newest(h, 'cs_usage_current_period')).toBe(synced);
          expect(newest(h, 'cs_active_users')).toBe(synced);
          expect(newest(h, 'cs_usage_updated_at')).toBe(synced);
          // The login date was written by a sync on or after the login, never after the last sync.
          const login = Date.parse(p.cs_last_login_date ?? '');
          if (Number.isFinite(login)) {
            expect(newest(h, 'cs_last_login_date')).toBeGreaterThanOrEqual(Math.max(login, created));
            expect(newest(h, 'cs_last_login_date')).toBeLessThanOrEqual(synced);
          }
        }
        if (p.cs_nps_date && Number.isFinite(Date.parse(p.cs_nps_date))) {
          expect(new Date(newest(h, 'cs_nps_score') ?? 0).toISOString().slice(0, 10)).toBe(p.cs_nps_date);
          checkedNps++;
        }
        if ((newest(h, 'cs_renewal_date') ?? 0) > created) renewed++;
        expect(newest(h, 'name')).toBe(created);
        for (const name of HISTORY) {
          const at = newest(h, name);
          if (at === null) continue;
          expect(at).toBeGreaterThanOrEqual(created);
          expect(at).toBeLessThanOrEqual(NOW);
          expect(Date.parse(p.hs_lastmodifieddate ?? '')).toBeGreaterThanOrEqual(at);
        }
      }
      expect(checkedNps).toBeGreaterThan(20);
      // Contracts older than a year were renewed: the renewal date was rewritten at the last renewal.
      expect(renewed).toBeGreaterThan(20);

      // A later write keeps the seeded value with its seeded time beneath the new one.
      const first = results[0];
      const syncedAt = first?.properties.cs_usage_updated_at ?? '';
      clock.advance(DAY);
      await call(local, 'POST', '/crm/v3/objects/companies/batch/update', { inputs: [{ id: first?.id, properties: { cs_usage_current_period: '4242' } }] });
      const after = await call(local, 'GET', `/crm/v3/objects/companies/${first?.id ?? ''}?propertiesWithHistory=cs_usage_current_period`);
      const entries = (rec(after.body).propertiesWithHistory as Hist).cs_usage_current_period ?? [];
      expect(entries.map((e) => [e.value, e.timestamp])).toEqual([
        ['4242', new Date(NOW + DAY).toISOString()],
        [first?.properties.cs_usage_current_period, new Date(Date.parse(syncedAt)).toISOString()],
      ]);
    } finally {
      await local.stop();
    }
  });

  it('a value whose sync date is unreadable still has a realistic history time (1–40 hours, or a stale sync 10–60 days ago)', () => {
    const { store } = seedPortfolio({ seed: 3, companies: 5000, csms: 12, now: NOW });
    const bad = [...store.objects.companies.values()].filter((o) => o.props.cs_usage_updated_at === 'yesterday');
    expect(bad.length).toBeGreaterThan(0);
    for (const o of bad) {
      const at = store.historyOf('companies', o, 'cs_usage_current_period')[0]?.timestamp ?? 0;
      const age = NOW - at;
      expect(age <= 40 * 3_600_000 || (age >= 10 * DAY && age <= 60 * DAY)).toBe(true);
    }
  });

  it('without sync dates (syncDates: false) the portfolio is the same but for them, with the same history times', () => {
    const a = seedPortfolio({ seed: 4, companies: 1000, csms: 12, now: NOW }).store;
    const b = seedPortfolio({ seed: 4, companies: 1000, csms: 12, now: NOW, syncDates: false }).store;
    const bs = [...b.objects.companies.values()];
    expect(bs.some((o) => o.props.cs_usage_updated_at !== undefined || o.props.cs_nps_date !== undefined)).toBe(false);
    let compared = 0;
    for (const o of a.objects.companies.values()) {
      const twin = b.get('companies', o.id);
      if (!twin) throw new Error(`missing ${o.id}`);
      const { cs_usage_updated_at: _u, cs_nps_date: _n, ...rest } = o.props;
      const { cs_usage_updated_at: _u2, cs_nps_date: _n2, ...restB } = twin.props;
      if (_u !== 'yesterday') expect(restB).toEqual(rest);
      for (const name of ['cs_usage_current_period', 'cs_last_login_date', 'cs_nps_score']) {
        expect(b.historyOf('companies', twin, name)[0]?.timestamp).toBe(a.historyOf('companies', o, name)[0]?.timestamp);
      }
      compared++;
    }
    expect(compared).toBe(1000);
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
    // The seeded value times survive the round trip (property history after a restart).
    const some = [...store.objects.companies.values()][7];
    const back = some === undefined ? undefined : loaded?.get('companies', some.id);
    expect(back?.setAt).toEqual(some?.setAt);
    expect(back?.setAt?.cs_usage_current_period).toBeGreaterThan(back?.createdAt ?? Infinity);
    expect(loaded?.count('tickets')).toBe(store.count('tickets'));
    process.stdout.write(`saved 26k in ${saved} ms, save+load ${total} ms\n`);
  });
});
