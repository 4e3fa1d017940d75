/**
 * The sweep end to end: the real adapter against the local HubSpot-compatible CRM server.
 */
import { configVersion, defaultConfig, evaluateAccount, type Config } from '../core';
import { SimClock, startLocalCrm, type LocalCrm } from '../emulator';
import { companySearchGroups, createHubSpotCrm, propertyMapFromConfig } from '../hubspot';
import type { CrmPort } from './ports';
import { DailyLimitError } from '../hubspot/errors';
import { silentLogger, type AppDeps } from './deps';
import { maxScoreDriftPerDay, runSweep, sweepQueries } from './sweep';
import { memorySweepStateStore } from './sweep-state';

const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);

async function start(companies = 300, seed = 5): Promise<{ local: LocalCrm; config: Config }> {
  const clock = new SimClock(NOW);
  const local = await startLocalCrm({ dir: false, clock, rateLimits: false, seed: { seed, companies, csms: 8, now: NOW } });
  const pool = local.store.meta['poolConfig'] as Config['pool'];
  const config = defaultConfig();
  config.pool = pool;
  await createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock }).installProperties();
  return { local, config };
}

function depsFor(local: LocalCrm, config: Config, wrap?: (crm: CrmPort) => CrmPort): AppDeps {
  const crm = createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock: local.clock as SimClock, timeoutMs: 0 });
  return { crm: wrap ? wrap(crm) : crm, config, configVersion: configVersion(config), now: () => new Date(NOW), log: silentLogger };
}

/** The deps' evaluation wrapped to count its calls (the pipeline evaluates through `deps.evaluate` only). */
function countingEvaluations(deps: AppDeps): { deps: AppDeps; count: () => number } {
  let n = 0;
  const evaluate: typeof evaluateAccount = (...args) => {
    n++;
    return evaluateAccount(...args);
  };
  return { deps: { ...deps, evaluate }, count: () => n };
}

function tasksByKey(local: LocalCrm): Map<string, number> {
  const keys = new Map<string, number>();
  for (const t of local.store.objects.tasks.values()) {
    const key = /Idempotency key:\s*(\S+)/.exec(t.props.hs_task_body ?? '')?.[1];
    if (key) keys.set(key, (keys.get(key) ?? 0) + 1);
  }
  return keys;
}

function companyProps(local: LocalCrm): Map<number, Record<string, string>> {
  const out = new Map<number, Record<string, string>>();
  for (const c of local.store.objects.companies.values()) {
    const { cs_health_computed_at: _computedAt, ...rest } = c.props;
    const written = Object.fromEntries(Object.entries(rest).filter(([k]) => k.startsWith('cs_') && !k.startsWith('cs_playbook_ledger')));
    out.set(c.id, written);
  }
  return out;
}

describe('runSweep against the local CRM server', () => {
  let local: LocalCrm;
  let config: Config;
  afterEach(async () => {
    await local?.stop();
  });

  test('sets the properties, creates associated tasks once; a second sweep creates nothing and changes nothing', async () => {
    ({ local, config } = await start());
    const deps = depsFor(local, config);
    const store = memorySweepStateStore();
    const first = await runSweep(deps, { store, unitSize: 100 });
    expect(first.status).toBe('complete');
    expect(first.run.totals.accounts).toBe(300);
    expect(first.run.totals.updated).toBe(300);
    expect(first.run.totals.tasksCreated).toBeGreaterThan(0);

    for (const c of local.store.objects.companies.values()) {
      expect(['pooled', 'mid_pooled', 'named']).toContain(c.props.cs_segment);
      expect(['healthy', 'watch', 'at_risk', 'unknown']).toContain(c.props.cs_health_band);
      expect(c.props.cs_config_version).toBe(configVersion(config));
    }
    const keys = tasksByKey(local);
    expect(keys.size).toBe(first.run.totals.tasksCreated);
    expect([...keys.values()].every((n) => n === 1)).toBe(true);
    // Every task is associated to its company (type 192 → readable from the company side).
    for (const t of local.store.objects.tasks.values()) {
      const companyId = /^cs:(\d+):/.exec(/Idempotency key:\s*(\S+)/.exec(t.props.hs_task_body ?? '')?.[1] ?? '')?.[1];
      expect(local.store.associated('tasks', t.id, 'companies')).toEqual([Number(companyId)]);
    }

    const before = companyProps(local);
    const second = await runSweep(depsFor(local, config), { store });
    expect(second.status).toBe('complete');
    expect(second.run.totals.tasksCreated).toBe(0);
    expect(second.run.totals.updated).toBe(0);
    expect(second.stats.calls.batchUpdate ?? 0).toBe(0);
    expect(second.stats.calls.batchCreate ?? 0).toBe(0);
    expect(companyProps(local)).toEqual(before);
    expect(tasksByKey(local).size).toBe(keys.size);
  });

  test('one evaluation per account; open tickets read once by search; the minimum and both budgets are reported', async () => {
    ({ local, config } = await start(400, 11));
    const counted = countingEvaluations(depsFor(local, config));
    const report = await runSweep(counted.deps, { store: memorySweepStateStore(), unitSize: 100 });
    expect(report.status).toBe('complete');
    // First sweep: no task exists yet, so no read changes a plan and nobody is evaluated twice.
    expect(counted.count()).toBe(400);
    // Tickets: searched once for the portfolio (not per unit), never read one by one.
    expect(report.work.openTickets).toBeGreaterThan(0);
    expect(report.work.ticketLinksRead).toBeNull();
    expect(report.stats.calls.batchRead ?? 0).toBe(0);
    expect(report.work.companies).toBe(400);
    expect(report.floor.seconds).toBe(Math.max(report.floor.tenSecond.seconds, report.floor.search.seconds));
    // Task searches (the pool's loads) count as searches, as the pacer paces them.
    const searches = (report.stats.calls.search ?? 0) + (report.stats.calls.taskSearch ?? 0);
    expect(report.floor.search.calls).toBe(searches);
    expect(report.floor.tenSecond.calls).toBe(report.stats.total - searches);
  });

  test('unit size: a run that goes to the end takes 5,000 companies per unit (its per-unit reads pooled), a time-boxed call 1,000; the pool loads are read once', async () => {
    ({ local, config } = await start(1200, 3));
    const whole = await runSweep(depsFor(local, config), { store: memorySweepStateStore() });
    expect(whole.status).toBe('complete');
    expect(whole.run.chunks).toBe(1);
    // One unit: one task-link read for its companies with a task (plus the open tickets' company links,
    // and the primary contacts of the companies given a task, read once before the day's creates).
    const contactReads = Math.ceil((whole.work.contactLinksRead ?? whole.work.creates) / 1000);
    expect(whole.work.creates).toBeGreaterThan(0);
    expect(whole.stats.calls.associations).toBe(Math.ceil(whole.work.taskAssociations / 1000) + Math.ceil((whole.work.openTickets ?? 0) / 1000) + contactReads);
    expect(whole.stats.calls.taskSearch).toBe(1);
    expect(whole.stats.total).toBeLessThanOrEqual(Math.ceil(whole.minimumCalls * 1.05));
    await local.stop();
    ({ local, config } = await start(1200, 3));
    const boxed = await runSweep(depsFor(local, config), { store: memorySweepStateStore(), deadlineMs: Number.MAX_SAFE_INTEGER, clockMs: () => 0 });
    expect(boxed.status).toBe('complete');
    expect(boxed.run.chunks).toBe(2);
  });

  test('tasks found by the read (ledgers lost): nothing created twice, and at most a second pass', async () => {
    ({ local, config } = await start(300, 5));
    const store = memorySweepStateStore();
    await runSweep(depsFor(local, config), { store });
    // Forget the ledgers: the next sweep plans the same tasks again and must find them in HubSpot.
    for (const c of local.store.objects.companies.values()) c.props.cs_playbook_ledger = '';
    const counted = countingEvaluations(depsFor(local, config));
    const second = await runSweep(counted.deps, { store, mode: 'full' });
    expect(second.run.totals.tasksCreated).toBe(0);
    expect(second.run.totals.reconciled).toBeGreaterThan(0);
    // Every account once, plus those whose read changed their inputs; here plans drop to nothing,
    // so the assignment state is threaded again from there (never more than a second pass).
    expect(counted.count()).toBeGreaterThan(300);
    expect(counted.count()).toBeLessThanOrEqual(600);
    expect([...tasksByKey(local).values()].every((n) => n === 1)).toBe(true);
  });

  test('API calls stay within 1.05 × the minimum on a first full sweep', async () => {
    ({ local, config } = await start(2000, 9));
    const deps = depsFor(local, config);
    const report = await runSweep(deps, { store: memorySweepStateStore() });
    expect(report.status).toBe('complete');
    expect(report.stats.total / report.minimumCalls).toBeLessThanOrEqual(1.05);
  });

  test('a run that crosses midnight UTC counts the new day\'s work: the pool loads read early for the old day are read again', async () => {
    ({ local, config } = await start(300, 5));
    const days: string[] = [];
    const recording = (crm: CrmPort): CrmPort => ({
      ...crm,
      ownerTaskLoads: (ids, day, queueId) => {
        days.push(day);
        return (crm.ownerTaskLoads as NonNullable<CrmPort['ownerTaskLoads']>)(ids, day, queueId);
      },
    });
    const deps = depsFor(local, config, recording);
    const start0 = Date.UTC(2026, 10, 23, 23, 59, 30);
    let first = true;
    // The run starts at 23:59:30; everything after its start reads 00:00:30 the next day.
    const report = await runSweep({ ...deps, now: () => new Date(first ? ((first = false), start0) : start0 + 60_000) }, { store: memorySweepStateStore() });
    expect(report.status).toBe('complete');
    expect(days).toEqual(['2026-11-23', '2026-11-24']);
    // Same day throughout: read once.
    days.length = 0;
    await runSweep({ ...deps, now: () => new Date(start0 + 60_000) }, { store: memorySweepStateStore() });
    expect(days).toEqual(['2026-11-24']);
  });

  test('case 23: a crash mid-sweep, then a rerun: no duplicate task, no lost update', async () => {
    ({ local, config } = await start(600, 6));
    const store = memorySweepStateStore();
    let updates = 0;
    const crashing = (crm: CrmPort): CrmPort => ({
      ...crm,
      async updateCompanies(u) {
        updates++;
        // Three units of 200 write their properties; then the day's dispatch creates the tasks and
        // dies before moving their keys from the backlog to the ledger.
        if (updates === 4) throw new Error('process killed');
        return crm.updateCompanies(u);
      },
    });
    // Units follow search pages (200 companies): the crash hits the third unit.
    await expect(runSweep(depsFor(local, config, crashing), { store, unitSize: 200 })).rejects.toThrow('process killed');
    const saved = store.current().inProgress;
    expect(saved?.totals.accounts).toBe(600);
    expect(saved?.dispatch?.assigned.length).toBeGreaterThan(0);

    const rerun = await runSweep(depsFor(local, config), { store, unitSize: 200 });
    expect(rerun.status).toBe('complete');
    expect(rerun.resumed).toBe(true);
    expect(rerun.run.totals.reconciled).toBeGreaterThan(0);
    expect([...tasksByKey(local).values()].every((n) => n === 1)).toBe(true);
    for (const c of local.store.objects.companies.values()) expect(c.props.cs_segment).toBeTruthy();

    // The result equals a clean run on an identical portal.
    const clean = await start(600, 6);
    try {
      await runSweep(depsFor(clean.local, clean.config), { store: memorySweepStateStore(), unitSize: 200 });
      expect(companyProps(local)).toEqual(companyProps(clean.local));
      expect([...tasksByKey(local).keys()].sort()).toEqual([...tasksByKey(clean.local).keys()].sort());
    } finally {
      await clean.local.stop();
    }
  });

  test('the last unit hands its waiting work to the dispatch, which creates while that unit writes; a crash then: no duplicate task, same result as a clean run', async () => {
    ({ local, config } = await start(600, 6));
    const store = memorySweepStateStore();
    let updates = 0;
    let created: () => void = () => undefined;
    const createsDone = new Promise<void>((resolve) => (created = resolve));
    const crashing = (crm: CrmPort): CrmPort => ({
      ...crm,
      async createTasks(tasks) {
        const res = await crm.createTasks(tasks);
        created();
        return res;
      },
      async updateCompanies(u) {
        updates++;
        // The third (last) unit's write: the dispatch was handed its work and creates meanwhile;
        // the process dies once the tasks exist, before that unit is written.
        if (updates === 3) {
          await createsDone;
          throw new Error('process killed');
        }
        return crm.updateCompanies(u);
      },
    });
    await expect(runSweep(depsFor(local, config, crashing), { store, unitSize: 200 })).rejects.toThrow('process killed');
    const saved = store.current().inProgress;
    // Saved before the creates: the dispatch's choice, and the last unit still to redo.
    expect(saved?.totals.accounts).toBe(400);
    expect(saved?.pending).not.toBeNull();
    expect(saved?.dispatch?.assigned.length).toBeGreaterThan(0);
    const createdBefore = tasksByKey(local).size;
    expect(createdBefore).toBeGreaterThan(0);

    const rerun = await runSweep(depsFor(local, config), { store, unitSize: 200 });
    expect(rerun.status).toBe('complete');
    expect(rerun.resumed).toBe(true);
    expect(rerun.run.totals.accounts).toBe(600);
    expect([...tasksByKey(local).values()].every((n) => n === 1)).toBe(true);

    const clean = await start(600, 6);
    try {
      const cleanRun = await runSweep(depsFor(clean.local, clean.config), { store: memorySweepStateStore(), unitSize: 200 });
      expect(cleanRun.workload.created).toBeGreaterThan(0);
      expect(companyProps(local)).toEqual(companyProps(clean.local));
      expect([...tasksByKey(local).keys()].sort()).toEqual([...tasksByKey(clean.local).keys()].sort());
    } finally {
      await clean.local.stop();
    }
  });

  test('chunked: a deadline pauses between units; calls with the saved cursor reach the same result as one run', async () => {
    ({ local, config } = await start(1000, 8));
    const store = memorySweepStateStore();
    let t = 0;
    const calls: string[] = [];
    for (let i = 0; i < 50; i++) {
      // Each unit "takes" 10 s of the 15 s budget: every call does one or two units.
      const r = await runSweep(depsFor(local, config), { store, unitSize: 200, deadlineMs: t + 15_000, clockMs: () => (t += 10_000) });
      calls.push(r.status);
      if (r.status === 'complete') break;
    }
    expect(calls.at(-1)).toBe('complete');
    expect(calls.length).toBeGreaterThan(2);

    const once = await start(1000, 8);
    try {
      await runSweep(depsFor(once.local, once.config), { store: memorySweepStateStore() });
      expect(companyProps(local)).toEqual(companyProps(once.local));
      expect([...tasksByKey(local).keys()].sort()).toEqual([...tasksByKey(once.local).keys()].sort());
    } finally {
      await once.local.stop();
    }
  });

  test('case 2: the daily limit stops the run cleanly; a rerun continues from the cursor', async () => {
    ({ local, config } = await start(600, 4));
    const store = memorySweepStateStore();
    let searches = 0;
    const limited = (crm: CrmPort): CrmPort => ({
      ...crm,
      iterateCompanies(options) {
        const inner = crm.iterateCompanies(options);
        return {
          async *[Symbol.asyncIterator]() {
            for await (const page of inner) {
              if (!options?.lifecycleStages) searches++;
              if (searches === 3 && !options?.lifecycleStages) throw new DailyLimitError({ message: 'daily limit' });
              yield page;
            }
          },
        };
      },
    });
    const stopped = await runSweep(depsFor(local, config, limited), { store, unitSize: 200 });
    expect(stopped.status).toBe('daily_limit');
    expect(stopped.message).toMatch(/daily API limit/);
    const doneBefore = stopped.run.totals.accounts;
    expect(doneBefore).toBe(400);

    const rest = await runSweep(depsFor(local, config), { store, unitSize: 200 });
    expect(rest.status).toBe('complete');
    expect(rest.resumed).toBe(true);
    expect(rest.run.totals.accounts).toBe(600);
    expect([...tasksByKey(local).values()].every((n) => n === 1)).toBe(true);
  });

  test('incremental: only companies modified since the last run plus those due; far fewer calls', async () => {
    ({ local, config } = await start(3000, 11));
    const store = memorySweepStateStore();
    const clock = local.clock as SimClock;
    const at = (ms: number) => {
      clock.set(ms);
      return { ...depsFor(local, config), now: () => new Date(ms) };
    };
    const clockMs = () => clock.now();
    const full = await runSweep(at(NOW), { store, clockMs });
    expect(full.status).toBe('complete');
    // The watermark is when that run ended, so the next run does not re-read the run's own writes.
    const ended = clock.now() + 1;
    expect(store.current().lastCompleteRunEndedAt).toBe(new Date(ended).toISOString());
    // The next day the product sync touched 20 companies; the incremental sweep reads those and
    // the ones whose time-based triggers came due, not the whole portfolio.
    const later = clock.now() + 86_400_000;
    const deps = at(later);
    const ids = [...local.store.objects.companies.keys()].slice(0, 20);
    await deps.crm.updateCompanies(ids.map((id) => ({ id: String(id), properties: { cs_active_users: '1', cs_usage_updated_at: new Date(later).toISOString() } })));
    const inc = await runSweep(at(later + 60_000), { store, mode: 'incremental', clockMs });
    expect(inc.run.mode).toBe('incremental');
    expect(inc.run.since).toBe(new Date(ended).toISOString());
    expect(inc.run.totals.accounts).toBeGreaterThanOrEqual(20);
    // Touched and due companies, those a day's drift can move across a band threshold, plus the top
    // of the backlog (companies ranked near what a day can take).
    expect(inc.run.totals.accounts).toBeLessThan(600 + 2 * Object.values(full.workload.capacity).reduce((a, b) => a + b, 0) * 2);
    // Far fewer calls than a full sweep, and close to what the companies it read need (the honest
    // minimum of the incremental's own work: its searches, ticket and task reads, writes, the day's
    // dispatch). At 3,000 companies the dispatch (owner loads, create, ledger move) and the searches
    // are fixed costs of a few calls, so the share of a full sweep is higher than at 26,000.
    expect(inc.stats.total).toBeLessThan(full.stats.total / 2);
    expect(inc.stats.total).toBeLessThanOrEqual(Math.ceil(1.3 * inc.minimumCalls));
    // The 20 touched companies were re-evaluated (their seat utilisation changed).
    for (const id of ids) expect(local.store.objects.companies.get(id)?.props.cs_health_computed_at).toBe(new Date(later + 60_000).toISOString());
  });

  test('incremental: a company whose tickets alone changed is evaluated (a new urgent ticket holds it at risk); recorded counts stand for the others', async () => {
    ({ local, config } = await start(300, 5));
    const store = memorySweepStateStore();
    const clock = local.clock as SimClock;
    const clockMs = () => clock.now();
    const readFor: string[] = [];
    const at = (ms: number, wrap?: (crm: CrmPort) => CrmPort) => {
      clock.set(ms);
      return { ...depsFor(local, config, wrap), now: () => new Date(ms) };
    };
    const counting = (crm: CrmPort): CrmPort => ({
      ...crm,
      ticketCounts: (ids) => {
        readFor.push(...ids);
        return crm.ticketCounts(ids);
      },
    });
    await runSweep(at(NOW), { store, clockMs });
    // The full sweep recorded every company's open tickets.
    for (const c of local.store.objects.companies.values()) expect(c.props.cs_open_tickets).toMatch(/^[0-9]+$/);
    // A healthy company nobody touches opens an urgent ticket the next day.
    const healthy = [...local.store.objects.companies.values()].find((c) => c.props.cs_health_band === 'healthy' && c.props.cs_open_tickets_urgent === '0');
    expect(healthy).toBeDefined();
    const id = healthy?.id ?? 0;
    const openBefore = Number(healthy?.props.cs_open_tickets);
    const later = clock.now() + 86_400_000;
    const ticket = local.store.create('tickets', { subject: 'Outage', hs_pipeline: '0', hs_pipeline_stage: '1', hs_ticket_priority: 'URGENT' }, later);
    local.store.associate('tickets', ticket.id, 'companies', id);
    const inc = await runSweep(at(later + 60_000, counting), { store, mode: 'incremental', clockMs });
    expect(inc.status).toBe('complete');
    const after = local.store.objects.companies.get(id)?.props ?? {};
    expect(after.cs_health_band).toBe('at_risk');
    expect(after.cs_open_tickets_urgent).toBe('1');
    expect(Number(after.cs_open_tickets)).toBe(openBefore + 1);
    // Tickets were read for that company only: every other company it evaluated took its recorded counts.
    expect(readFor).toEqual([String(id)]);
    expect(inc.run.totals.accounts).toBeGreaterThan(1);
    expect(inc.work.ticketChanges).toEqual({ tickets: 1, companiesRead: expect.any(Number) });
  });

  test('incremental: when the ticket changes cannot be read, every company it evaluates has its tickets read (nothing guessed) and a warning says why', async () => {
    ({ local, config } = await start(300, 5));
    const store = memorySweepStateStore();
    const clock = local.clock as SimClock;
    const clockMs = () => clock.now();
    await runSweep({ ...depsFor(local, config), now: () => new Date(NOW) }, { store, clockMs });
    const later = clock.now() + 86_400_000;
    clock.set(later);
    const readFor: string[] = [];
    const warnings: string[] = [];
    const deps = {
      ...depsFor(local, config, (crm) => ({
        ...crm,
        ticketChangesSince: () => Promise.reject(new Error('search refused')),
        ticketCounts: (ids: string[]) => {
          readFor.push(...ids);
          return crm.ticketCounts(ids);
        },
      })),
      now: () => new Date(later),
      log: { ...silentLogger, warn: (event: string) => void warnings.push(event) },
    };
    const inc = await runSweep(deps, { store, mode: 'incremental', clockMs });
    expect(inc.status).toBe('complete');
    expect(warnings).toContain('ticket_changes_unreadable');
    expect(new Set(readFor).size).toBe(inc.run.totals.accounts);
    expect(inc.work.ticketChanges).toBeNull();
  });

  test('incremental queries cover the time-based triggers, mapped property names included', () => {
    const cfg = defaultConfig();
    cfg.propertyMapping = { cs_renewal_date: 'contract_renewal' };
    const qs = sweepQueries({ mode: 'incremental', since: '2026-11-22T09:00:00.000Z' }, { config: cfg }, new Date(NOW));
    const map = propertyMapFromConfig(cfg.propertyMapping);
    const names = qs.flatMap((q) => companySearchGroups(q, map).flat().map((f) => f.propertyName));
    expect(qs[0]).toEqual({ modifiedSince: '2026-11-22T09:00:00.000Z' });
    // Packed into a few searches within HubSpot's limits (5 groups, 18 filters with the paging filter each).
    for (const q of qs.slice(1)) {
      const groups = companySearchGroups(q, map);
      expect(groups.length).toBeLessThanOrEqual(5);
      expect(groups.reduce((n, g) => n + g.length + 1, 0)).toBeLessThanOrEqual(18);
    }
    expect(qs.length).toBeLessThanOrEqual(5);
    expect(names).toEqual(expect.arrayContaining(['cs_lifecycle_stage', 'contract_renewal', 'cs_last_login_date', 'notes_last_contacted', 'cs_contract_start_date', 'cs_segment_override_expires']));
    expect(names).not.toContain('cs_renewal_date');
    expect(sweepQueries({ mode: 'full', since: null }, { config: cfg }, new Date(NOW))).toEqual([{}]);
  });

  test('incremental queries take the companies time alone can move: ageing data, and scores within a day\'s drift of a band threshold', () => {
    const cfg = defaultConfig();
    const qs = sweepQueries({ mode: 'incremental', since: '2026-11-22T09:00:00.000Z' }, { config: cfg }, new Date(NOW));
    const groups = qs.slice(1).flatMap((q) => companySearchGroups(q));
    const names = groups.flat().map((f) => f.propertyName);
    expect(names).toEqual(expect.arrayContaining(['cs_usage_updated_at', 'cs_nps_date']));
    const drift = maxScoreDriftPerDay(cfg);
    expect(drift).toBeGreaterThan(0);
    const margin = Math.ceil(drift);
    const bands = groups.filter((g) => g.some((f) => f.propertyName === 'cs_health_score')).map((g) => g.map((f) => Number(f.value)));
    expect(bands).toEqual([
      [70 - margin, 70 + margin - 1],
      [50 - margin, 50 + margin - 1],
    ]);
    // Three days since the last run: three days of drift.
    const later = sweepQueries({ mode: 'incremental', since: '2026-11-20T09:00:00.000Z' }, { config: cfg }, new Date(NOW));
    const wide = later.slice(1).flatMap((q) => companySearchGroups(q)).find((g) => g.some((f) => f.propertyName === 'cs_health_score'));
    expect(Number(wide?.[0]?.value)).toBe(70 - Math.ceil(drift * 3));
    // Slower recencies drift less.
    const slow = defaultConfig();
    slow.health.normalise.loginZeroDays = 600;
    slow.health.normalise.engagementZeroDays = 900;
    expect(maxScoreDriftPerDay(slow)).toBeLessThan(drift);
  });

  test("an NPS detractor's cap that ends since the last run (its answer 90 days back) brings the company into the incremental run", () => {
    const cfg = defaultConfig();
    const qs = sweepQueries({ mode: 'incremental', since: '2026-11-22T09:00:00.000Z' }, { config: cfg }, new Date(NOW));
    const ranges = qs
      .slice(1)
      .flatMap((q) => companySearchGroups(q))
      .filter((g) => g.some((f) => f.propertyName === 'cs_nps_date'))
      .map((g) => [Number(g.find((f) => f.operator === 'GTE')?.value), Number(g.find((f) => f.operator === 'LTE')?.value)] as const);
    const covered = (iso: string) => ranges.some(([lo, hi]) => Date.parse(iso) >= lo && Date.parse(iso) <= hi);
    // Answered 2026-08-24: capped on 2026-11-22 (90 days), no longer today (91 days).
    expect(covered('2026-08-24T12:00:00.000Z')).toBe(true);
    // Answered a week later: still capped today, nothing changed by time.
    expect(covered('2026-08-31T12:00:00.000Z')).toBe(false);
  });

  test('a date-time contacted late on the day the no-touch threshold is reached is in the incremental run', () => {
    const cfg = defaultConfig();
    const qs = sweepQueries({ mode: 'incremental', since: '2026-11-22T09:00:00.000Z' }, { config: cfg }, new Date(NOW));
    const noTouch = qs.slice(1).flatMap((q) => companySearchGroups(q)).find((g) => g.some((f) => f.propertyName === 'notes_last_contacted'));
    const upper = Number(noTouch?.find((f) => f.operator === 'LTE')?.value);
    // Today (2026-11-23) minus 45 days is 2026-10-09: contacted at 14:00 that day → 45 days today.
    const contacted = Date.parse('2026-10-09T14:00:00.000Z');
    expect(contacted).toBeLessThanOrEqual(upper);
    expect(upper).toBeLessThan(Date.parse('2026-10-10T00:00:00.000Z'));
  });
});
