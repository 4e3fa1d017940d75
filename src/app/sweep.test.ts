/**
 * The sweep end to end: the real adapter against the local HubSpot-compatible CRM server.
 */
import fc from 'fast-check';
import { computeHealth, configVersion, defaultConfig, evaluateAccount, loadsOf, maxScoreDrop, riskCapEndsOf, riskTaskCaps, taskRank, type Config } from '../core';
import { makeAccount } from '../core/test-support';
import { SimClock, startLocalCrm, type LocalCrm } from '../emulator';
import { companySearchGroups, createHubSpotCrm, propertyMapFromConfig } from '../hubspot';
import type { CrmPort, IterateCompaniesOptions } from './ports';
import { DailyLimitError } from '../hubspot/errors';
import { silentLogger, type AppDeps } from './deps';
import { backlogRest, backlogTop, maxScoreDriftPerDay, runSweep, sweepQueries } from './sweep';
import { memorySweepStateStore } from './sweep-state';
import { formatSweepSummary, sweepJson } from '../cli/summary';

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

/** Task key → subject and body as created. */
function taskWords(local: LocalCrm): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of local.store.objects.tasks.values()) {
    const body = t.props.hs_task_body ?? '';
    const key = /Idempotency key:\s*(\S+)/.exec(body)?.[1];
    if (key) out.set(key, `${t.props.hs_task_subject ?? ''}\n${body}`);
  }
  return out;
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

  test('a portfolio that fits in one unit: the onboarding loads are counted from that unit, no pre-pass search, and every assignment is the one the pre-pass gives', async () => {
    // Day 1 swept alike (onboarding CSMs assigned and stages written), then day 22: new customers
    // are assigned against those loads, once with the pre-pass (100-company units), once without.
    const day20 = NOW + 22 * 86_400_000; // a Tuesday
    const at = (deps: AppDeps, ms: number): AppDeps => ({ ...deps, now: () => new Date(ms) });
    const assigned = async (unitSize: number | undefined) => {
      const { local: l, config: c } = await start(600, 9);
      try {
        await runSweep(depsFor(l, c), { store: memorySweepStateStore(), unitSize: 100 });
        // Customers who sign between day 1 and day 22 (no onboarding CSM yet).
        for (let i = 0; i < 12; i++) l.store.create('companies', { name: `Newco ${i}`, cs_contract_start_date: new Date(day20 - (i % 4) * 86_400_000).toISOString().slice(0, 10), annualrevenue: String(20_000 + i * 5_000) }, day20 - 5 * 86_400_000);
        const before = new Map([...l.store.objects.companies.values()].map((co) => [co.id, co.props.cs_onboarding_csm ?? '']));
        const onboarding = [...l.store.objects.companies.values()].filter((co) => co.props.cs_onboarding_csm && /onboarding/.test(co.props.cs_lifecycle_stage ?? '')).length;
        const report = await runSweep(at(depsFor(l, c), day20), { store: memorySweepStateStore(), ...(unitSize ? { unitSize } : {}) });
        const csm = new Map([...l.store.objects.companies.values()].map((co) => [co.id, co.props.cs_onboarding_csm ?? '']));
        const newly = [...csm].filter(([id, v]) => v !== '' && before.get(id) === '').length;
        return { report, csm, newly, onboarding };
      } finally {
        await l.stop();
      }
    };
    const withPrepass = await assigned(100);
    const counted = await assigned(undefined);
    expect(withPrepass.report.work.prepassRan).toBe(true);
    expect(withPrepass.report.run.chunks).toBeGreaterThan(1);
    expect(counted.report.run.chunks).toBe(1);
    expect(counted.report.work.prepassRan).toBe(false);
    expect(counted.report.work.prepass).toBe(0);
    // Not vacuous: the day-1 loads exist and day 22 assigns new customers against them.
    expect(withPrepass.onboarding).toBeGreaterThan(0);
    expect(withPrepass.newly).toBeGreaterThan(0);
    expect(counted.csm).toEqual(withPrepass.csm);
    expect(counted.report.loads.map((l) => [l.ownerId, l.onboarding])).toEqual(withPrepass.report.loads.map((l) => [l.ownerId, l.onboarding]));
    // No pre-pass search: the company pages, the open tickets' pages and the pool's loads only.
    const pages = Math.ceil(counted.report.work.companies / 200) + Math.ceil((counted.report.work.openTickets ?? 0) / 200);
    expect(counted.report.stats.calls.search ?? 0).toBe(pages);
  });

  test('an incremental run counts the onboarding loads from its first unit once it has read its onboarding query (no pre-pass search), else runs the pre-pass: the same loads either way', async () => {
    const day2 = NOW + 86_400_000;
    const run = async (unitSize: number | undefined) => {
      const { local: l, config: c } = await start(600, 9);
      try {
        const store = memorySweepStateStore();
        await runSweep(depsFor(l, c), { store });
        // Customers signed since (no onboarding CSM yet): the incremental assigns them against the loads.
        const before = new Set(l.store.objects.companies.keys());
        for (let i = 0; i < 6; i++) l.store.create('companies', { name: `Newco ${i}`, cs_contract_start_date: new Date(day2).toISOString().slice(0, 10), annualrevenue: String(30_000 + i * 5_000) }, day2 - 3_600_000);
        const stored = [...l.store.objects.companies.values()].filter((co) => co.props.cs_onboarding_csm && /onboarding/.test(co.props.cs_lifecycle_stage ?? ''));
        const byCsm = new Map<string, number>();
        for (const co of stored) byCsm.set(co.props.cs_onboarding_csm as string, (byCsm.get(co.props.cs_onboarding_csm as string) ?? 0) + 1);
        let first: Map<string, number> | null = null;
        const evaluate: typeof evaluateAccount = (a, ctx) => {
          first ??= new Map([...loadsOf(ctx.assignment, 'onboarding')].filter(([, n]) => n > 0));
          return evaluateAccount(a, ctx);
        };
        const searches: IterateCompaniesOptions[] = [];
        const spy = (crm: CrmPort): CrmPort => ({ ...crm, iterateCompanies: (o: IterateCompaniesOptions) => (searches.push(o), crm.iterateCompanies(o)) });
        const report = await runSweep({ ...depsFor(l, c, spy), now: () => new Date(day2), evaluate }, { store, mode: 'incremental', ...(unitSize ? { unitSize } : {}) });
        const csm = new Map([...l.store.objects.companies.values()].map((co) => [co.id, co.props.cs_onboarding_csm ?? '']));
        const newly = [...csm].filter(([id]) => !before.has(id));
        return { report, first: first as Map<string, number> | null, byCsm, prepassSearches: searches.filter((o) => o.hasOnboardingCsm === true).length, csm, newly };
      } finally {
        await l.stop();
      }
    };
    const counted = await run(undefined);
    // 20-company units: the first unit is evaluated before the onboarding query is read.
    const prepassed = await run(20);
    expect(counted.report.run.mode).toBe('incremental');
    expect(counted.report.run.chunks).toBe(1);
    expect(counted.report.work.prepassRan).toBe(false);
    expect(counted.prepassSearches).toBe(0);
    expect(prepassed.report.run.chunks).toBeGreaterThan(1);
    expect(prepassed.report.work.prepassRan).toBe(true);
    expect(prepassed.prepassSearches).toBe(1);
    // Not vacuous: CSMs hold onboardings, and the first evaluation starts from exactly those loads.
    expect(counted.byCsm.size).toBeGreaterThan(1);
    expect(counted.first).toEqual(counted.byCsm);
    expect(prepassed.first).toEqual(prepassed.byCsm);
    // The new customers got the same CSMs.
    expect(counted.newly).toHaveLength(6);
    expect(counted.newly.every(([, v]) => v !== '')).toBe(true);
    expect(counted.csm).toEqual(prepassed.csm);
  });

  test('a run that is one unit reads the primary contacts of its companies with a task alongside their task links (the creates wait for no read of their own); a run of several units does not', async () => {
    const spy = (calls: { ahead: string[][]; created: string[][] }) => (crm: CrmPort): CrmPort => ({
      ...crm,
      prefetchTaskContacts: (ids) => {
        calls.ahead.push([...ids]);
        crm.prefetchTaskContacts?.(ids);
      },
      createTasks: (tasks) => {
        calls.created.push(tasks.map((t) => t.accountId));
        return crm.createTasks(tasks);
      },
    });
    ({ local, config } = await start(400, 12));
    const one = { ahead: [] as string[][], created: [] as string[][] };
    const whole = await runSweep(depsFor(local, config, spy(one)), { store: memorySweepStateStore() });
    expect(whole.run.chunks).toBe(1);
    expect(whole.run.totals.tasksCreated).toBeGreaterThan(0);
    expect(one.ahead).toHaveLength(1);
    const ahead = new Set(one.ahead[0]);
    expect(one.created.flat().every((id) => ahead.has(id))).toBe(true);
    // One contacts read in all: the read ahead.
    expect(whole.stats.calls.associations).toBe(Math.ceil(whole.work.taskAssociations / 1000) + Math.ceil((whole.work.openTickets ?? 0) / 1000) + 1);
    await local.stop();
    ({ local, config } = await start(400, 12));
    const several = { ahead: [] as string[][], created: [] as string[][] };
    const chunked = await runSweep(depsFor(local, config, spy(several)), { store: memorySweepStateStore(), unitSize: 100 });
    expect(chunked.run.chunks).toBeGreaterThan(1);
    expect(several.ahead).toEqual([]);
    expect(chunked.run.totals.tasksCreated).toBe(whole.run.totals.tasksCreated);
  });

  test('a first page that says the portfolio fits in one unit, and then more companies come: the pre-pass runs before the first unit is evaluated', async () => {
    ({ local, config } = await start(300, 4));
    const understated = (crm: CrmPort): CrmPort => ({
      ...crm,
      iterateCompanies: (o: IterateCompaniesOptions) => {
        const it = crm.iterateCompanies(o);
        if (o.lifecycleStages) return it;
        return (async function* () {
          for await (const page of it) yield { ...page, total: page.total === null ? null : Math.min(page.total, 150) };
        })();
      },
    });
    const report = await runSweep(depsFor(local, config, understated), { store: memorySweepStateStore(), unitSize: 200 });
    expect(report.status).toBe('complete');
    expect(report.run.totals.accounts).toBe(300);
    expect(report.run.chunks).toBe(2);
    expect(report.work.prepassRan).toBe(true);
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

  test('the ledger move goes out while the creates are on their way; a create refused then is written back: its key waits in the backlog, not in the ledger, and the next run creates it', async () => {
    ({ local, config } = await start(600, 6));
    const keysOf = (text: string | undefined) => (text ?? '').split('\n').map((e) => e.split('@')[0] ?? '').filter((k) => k.length > 0);
    const refused = new Set<string>();
    let movedWhileCreating = false;
    let creating = false;
    const wrap = (crm: CrmPort): CrmPort => ({
      ...crm,
      async createTasks(tasks) {
        creating = true;
        // Every third task is refused per record (HubSpot's 4xx in a batch); the rest are created.
        const sent = tasks.filter((_, i) => i % 3 !== 0);
        for (const t of tasks.filter((_, i) => i % 3 === 0)) refused.add(t.key);
        const res = await crm.createTasks(sent);
        // Answer once the ledger move was sent (or after 2 s: a sweep that waits for the creates first).
        for (let waited = 0; !movedWhileCreating && waited < 2000; waited += 20) await new Promise((r) => setTimeout(r, 20));
        creating = false;
        return { ok: res.ok, failed: [...res.failed, ...[...refused].map((key) => ({ id: key, status: 400, message: 'refused' }))] };
      },
      async updateCompanies(updates) {
        if (creating && updates.some((u) => keysOf(String(u.properties['cs_playbook_ledger'] ?? '')).some((k) => tasks().has(k) || refused.has(k)))) movedWhileCreating = true;
        return crm.updateCompanies(updates);
      },
    });
    const tasks = () => tasksByKey(local);
    const first = await runSweep(depsFor(local, config, wrap), { store: memorySweepStateStore(), unitSize: 200 });
    expect(first.status).toBe('complete');
    expect(movedWhileCreating).toBe(true);
    expect(refused.size).toBeGreaterThan(0);
    expect(first.workload.failed).toBe(refused.size);
    expect(first.workload.created).toBe(tasks().size);

    // Every ledger holds the keys of tasks that exist, none refused; each refused key waits in its backlog.
    const existing = tasks();
    const waitingKeys = new Set<string>();
    for (const c of local.store.objects.companies.values()) {
      const ledger = keysOf(c.props.cs_playbook_ledger);
      expect(ledger.filter((k) => refused.has(k))).toEqual([]);
      for (const k of keysOf(c.props.cs_playbook_backlog)) waitingKeys.add(k);
    }
    expect([...refused].filter((k) => !waitingKeys.has(k))).toEqual([]);
    const ledgerKeys = new Set([...local.store.objects.companies.values()].flatMap((c) => keysOf(c.props.cs_playbook_ledger)));
    expect([...existing.keys()].filter((k) => !ledgerKeys.has(k))).toEqual([]);

    // The next run (nothing refused) creates refused tasks as capacity allows, each once; the rest still wait.
    const second = await runSweep(depsFor(local, config), { store: memorySweepStateStore(), unitSize: 200 });
    expect(second.status).toBe('complete');
    const after = tasks();
    const stillWaiting = new Set([...local.store.objects.companies.values()].flatMap((c) => keysOf(c.props.cs_playbook_backlog)));
    expect([...refused].filter((k) => after.get(k) === 1).length).toBeGreaterThan(0);
    expect([...refused].filter((k) => after.get(k) !== 1 && !stillWaiting.has(k))).toEqual([]);
    expect([...after.values()].every((n) => n === 1)).toBe(true);
  });

  test('chunked: a deadline pauses between units; calls with the saved cursor reach the same result as one run', async () => {
    ({ local, config } = await start(1000, 8));
    const store = memorySweepStateStore();
    let t = 0;
    let savedWaiting = 0;
    const calls: string[] = [];
    for (let i = 0; i < 50; i++) {
      // Each unit "takes" 10 s of the 15 s budget: every call does one or two units.
      const r = await runSweep(depsFor(local, config), { store, unitSize: 200, deadlineMs: t + 15_000, clockMs: () => (t += 10_000) });
      calls.push(r.status);
      if (r.status === 'complete') break;
      // The units plan with deferred words: the work saved for the dispatch carries them built.
      const waiting = store.current().inProgress?.waiting ?? [];
      savedWaiting += waiting.length;
      for (const w of waiting) {
        expect(w.subject).toMatch(/^[A-Z][^:]*: .+ — .+$/);
        expect(w.body).toContain(`Idempotency key: ${w.key}`);
        expect(w).not.toHaveProperty('deferredTexts');
      }
    }
    expect(calls.at(-1)).toBe('complete');
    expect(calls.length).toBeGreaterThan(2);
    expect(savedWaiting).toBeGreaterThan(0);

    const once = await start(1000, 8);
    try {
      await runSweep(depsFor(once.local, once.config), { store: memorySweepStateStore() });
      expect(companyProps(local)).toEqual(companyProps(once.local));
      expect([...tasksByKey(local).keys()].sort()).toEqual([...tasksByKey(once.local).keys()].sort());
      // Each created task's words, the same whether its run paused (and saved them) or not.
      expect(taskWords(local)).toEqual(taskWords(once.local));
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

  test('incremental: a day that reads more than 5,000 companies is one unit by default (10,000): evaluated in id order throughout, as a full sweep does', async () => {
    ({ local, config } = await start(11_000, 13));
    const store = memorySweepStateStore();
    const clock = local.clock as SimClock;
    const at = (ms: number) => {
      clock.set(ms);
      return { ...depsFor(local, config), now: () => new Date(ms) };
    };
    const clockMs = () => clock.now();
    expect((await runSweep(at(NOW), { store, clockMs })).status).toBe('complete');
    // The next day the product sync touched 5,200 companies (47%: below the share that runs as full).
    const later = clock.now() + 86_400_000;
    const deps = at(later);
    const ids = [...local.store.objects.companies.keys()].filter((_, i) => i % 2 === 0).slice(0, 5_200);
    await deps.crm.updateCompanies(ids.map((id) => ({ id: String(id), properties: { cs_usage_updated_at: new Date(later).toISOString() } })));
    const order: number[] = [];
    const evaluate: typeof evaluateAccount = (a, ctx) => (order.push(Number(a.id)), evaluateAccount(a, ctx));
    const inc = await runSweep({ ...at(later + 60_000), evaluate }, { store, mode: 'incremental', clockMs });
    expect(inc.status).toBe('complete');
    expect(inc.run.mode).toBe('incremental');
    expect(inc.run.totals.accounts).toBeGreaterThan(5_200);
    expect(inc.run.chunks).toBe(1);
    // One unit: the assignment state is threaded in id order over every company read that day.
    const firstPass = order.slice(0, inc.run.totals.accounts);
    expect(firstPass).toEqual([...firstPass].sort((a, b) => a - b));
  }, 120_000);

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
    const heldAfterFull = [...local.store.objects.companies.values()].filter((c) => Number(c.props.cs_digital_waiting ?? '') >= 1).length;
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
    // Plus the companies whose digital touches the full run held for a later day (one per company per day).
    expect(inc.run.totals.accounts).toBeLessThan(600 + 2 * Object.values(full.workload.capacity).reduce((a, b) => a + b, 0) * 2 + heldAfterFull);
    // Far fewer calls than a full sweep, and close to what the companies it read need (the honest
    // minimum of the incremental's own work: its searches, ticket and task reads, writes, the day's
    // dispatch). At 3,000 companies the dispatch (owner loads, create, ledger move) and the searches
    // are fixed costs of a few calls, so the share of a full sweep is higher than at 26,000.
    expect(inc.stats.total).toBeLessThan(full.stats.total / 2);
    expect(inc.stats.total).toBeLessThanOrEqual(Math.ceil(1.3 * inc.minimumCalls));
    // The 20 touched companies were re-evaluated (their seat utilisation changed).
    for (const id of ids) expect(local.store.objects.companies.get(id)?.props.cs_health_computed_at).toBe(new Date(later + 60_000).toISOString());
  });

  test.each([1, 7])('incremental, one touch per company per %i days: the touches held go out once the company\'s latest touch is that old, not before (a full sweep agrees); a full sweep after it finds none left to send', async (spacing) => {
    ({ local, config } = await start(600, 7));
    config = { ...config, channels: { ...config.channels, minDaysBetweenTouches: spacing } };
    const store = memorySweepStateStore();
    const clock = local.clock as SimClock;
    const clockMs = () => clock.now();
    const at = (ms: number) => {
      clock.set(ms);
      return { ...depsFor(local, config), now: () => new Date(ms) };
    };
    const day = 86_400_000;
    const touches = (r: { run: { totals: { digitalByType?: Record<string, number> } } }) => Object.values(r.run.totals.digitalByType ?? {}).reduce((a, b) => a + b, 0);
    const first = await runSweep(at(NOW), { store, clockMs });
    expect(touches(first)).toBeGreaterThan(0);
    // The first run recorded, per company, the touches it held for a later day.
    const held = [...local.store.objects.companies.values()].filter((c) => Number(c.props.cs_digital_waiting ?? '') >= 1);
    expect(held.length).toBeGreaterThan(10);
    for (const c of held) expect(c.props.cs_digital_touch_at).toBe(new Date(NOW).toISOString());
    const heldIds = new Set(held.map((c) => c.id));
    const heldBefore = held.reduce((n, c) => n + Number(c.props.cs_digital_waiting), 0);
    const touchedOn = (ms: number) => [...heldIds].filter((id) => local.store.objects.companies.get(id)?.props.cs_digital_touch_at === new Date(ms).toISOString());

    if (spacing > 1) {
      // The day before their turn: nothing held goes out, from the incremental run or a full sweep.
      const early = NOW + (spacing - 1) * day;
      await runSweep(at(early), { store, mode: 'incremental', clockMs });
      expect(touchedOn(early)).toEqual([]);
      const fullEarly = await runSweep(at(early + 60_000), { store, mode: 'full', clockMs });
      expect(touchedOn(early + 60_000)).toEqual([]);
      expect(fullEarly.run.totals.tasksCreated).toBe(0);
    }
    const turn = NOW + spacing * day;
    const inc = await runSweep(at(turn), { store, mode: 'incremental', clockMs });
    expect(inc.run.mode).toBe('incremental');
    // Every company with a touch held got its next touch from the incremental run on its turn.
    expect(touchedOn(turn).length).toBe(heldIds.size);
    // Fewer are left waiting (a touch went out for each; blank when none is left).
    const waiting = (ids: Iterable<number>) => [...ids].reduce((n, id) => n + Number(local.store.objects.companies.get(id)?.props.cs_digital_waiting || 0), 0);
    expect(waiting(heldIds)).toBeLessThan(heldBefore);
    // The same day, a full sweep finds no touch left to send and no task to create.
    const before = new Map([...local.store.objects.companies.values()].map((c) => [c.id, { ...c.props }]));
    const full = await runSweep(at(clock.now() + 60_000), { store, mode: 'full', clockMs });
    expect(touches(full)).toBe(0);
    expect(full.run.totals.tasksCreated).toBe(0);
    // Nothing it writes is a touch, a touch held, a band, a stage or a ledger entry.
    const moved = new Set<string>();
    for (const c of local.store.objects.companies.values()) {
      const b = before.get(c.id) ?? {};
      for (const k of Object.keys(c.props)) if (b[k] !== c.props[k]) moved.add(k);
    }
    for (const k of ['cs_digital_touch', 'cs_digital_touch_at', 'cs_digital_waiting', 'cs_health_band', 'cs_lifecycle_stage', 'cs_playbook_ledger']) expect(moved).not.toContain(k);
    expect(full.work.writes).toBeGreaterThan(0);
    // The day after, what it writes is the score's digits alone (time moved them for companies nobody
    // changed). A week on, the backlog below the cutoff (its waiting points, its week's key) and a
    // slide's due day are also rewritten: bookkeeping the incremental reads when it matters.
    if (spacing === 1) expect(full.work.writesScoreOnly).toBe(full.work.writes);
  });

  test('nine days of daily incremental runs leave nothing behind: a full sweep after the last one creates no task, sends no touch and moves no band or stage (follow-ups of touches sent days apart included)', async () => {
    ({ local, config } = await start(600, 7));
    // Capacity that does not bind: what a run wants it creates (so nothing left can hide in a backlog).
    config = { ...config, workload: { ...config.workload, tasksPerDay: 1000, maxOpenTasks: 100_000 } };
    const store = memorySweepStateStore();
    const clock = local.clock as SimClock;
    const clockMs = () => clock.now();
    const at = (ms: number) => {
      clock.set(ms);
      return { ...depsFor(local, config), now: () => new Date(ms) };
    };
    const touches = (r: { run: { totals: { digitalByType?: Record<string, number> } } }) => Object.values(r.run.totals.digitalByType ?? {}).reduce((a, b) => a + b, 0);
    const bandsAndStages = () => new Map([...local.store.objects.companies.values()].map((c) => [c.id, `${c.props.cs_health_band ?? ''}|${c.props.cs_lifecycle_stage ?? ''}`]));
    const day = 86_400_000;
    await runSweep(at(NOW), { store, clockMs });
    // The full run recorded every company's next follow-up day: the incrementals go by it alone.
    expect(store.current().followUpDueRecorded).toBe(true);
    for (let d = 1; d <= 9; d++) expect((await runSweep(at(NOW + d * day), { store, mode: 'incremental', clockMs })).status).toBe('complete');
    expect(store.current().followUpDueRecorded).toBe(true);
    // Follow-ups of digital touches (a task when the customer has not engaged in 7 days) came due.
    const followUps = [...tasksByKey(local).keys()].filter((k) => /-call:/.test(k));
    expect(followUps.length).toBeGreaterThan(5);
    const before = bandsAndStages();
    const full = await runSweep(at(clock.now() + 60_000), { store, mode: 'full', clockMs });
    const moved = [...bandsAndStages()].filter(([id, v]) => before.get(id) !== v).map(([id]) => id);
    expect({ tasks: full.run.totals.tasksCreated, byPlaybook: full.run.totals.tasksByPlaybook, touches: touches(full), moved }).toEqual({ tasks: 0, byPlaybook: {}, touches: 0, moved: [] });
    // What it writes is the score's digits alone (no backlog, ledger or touch left to record).
    expect(full.work.writesScoreOnly).toBe(full.work.writes);
  });

  test("incremental: the day after a thin day (one CSM working) creates the tasks a full sweep would: the backlog cutoff is set for the busiest day ahead, not that day's team", async () => {
    // Two identical portfolios: Tuesday's full sweep on both; Wednesday an incremental run on one,
    // the full sweep it replaces on the other.
    const twin = await start(600, 7);
    ({ local, config } = await start(600, 7));
    const other = twin.local;
    try {
      // Tuesday: only the first member works; Wednesday: all of them.
      const members = config.pool.members.map((m, i) => (i === 0 ? m : { ...m, coverageDays: m.coverageDays.filter((d) => d !== 'tue'), outOfOffice: [] }));
      config.pool = { ...config.pool, members };
      const run = async (l: LocalCrm, store: ReturnType<typeof memorySweepStateStore>, ms: number, mode: 'full' | 'incremental') => {
        const clock = l.clock as SimClock;
        clock.set(ms);
        return runSweep({ ...depsFor(l, config), now: () => new Date(ms) }, { store, mode, clockMs: () => clock.now() });
      };
      const tuesday = Date.UTC(2026, 10, 24, 9, 0, 0);
      const wednesday = Date.UTC(2026, 10, 25, 9, 0, 0);
      const storeA = memorySweepStateStore();
      const storeB = memorySweepStateStore();
      const a1 = await run(local, storeA, tuesday, 'full');
      const b1 = await run(other, storeB, tuesday, 'full');
      expect(Object.values(a1.workload.capacity).filter((n) => n > 0)).toHaveLength(1);
      expect([...tasksByKey(local).keys()].sort()).toEqual([...tasksByKey(other).keys()].sort());
      expect(b1.run.totals.tasksCreated).toBe(a1.run.totals.tasksCreated);
      const before = new Set(tasksByKey(local).keys());
      // The backlog Wednesday's incremental run reads by rank: what ranks at or above Tuesday's cutoff
      // (less what a day can add: waiting and renewal proximity, a tenth of rounding), every company
      // with a backlog when there is no cutoff.
      const cutoff = storeA.current().backlogCutoff;
      const floor = cutoff === null ? 0 : Math.floor(cutoff - config.workload.priority.perDayWaiting - config.workload.priority.perRenewalDay - 0.1);
      const reachable = [...local.store.objects.companies.values()]
        .filter((c) => Number(c.props.cs_backlog_priority || 0) > 0 && Number(c.props.cs_backlog_priority) >= floor)
        .reduce((n, c) => n + (c.props.cs_playbook_backlog ?? '').split('\n').filter((e) => e.trim() !== '').length, 0);

      const inc = await run(local, storeA, wednesday, 'incremental');
      const full = await run(other, storeB, wednesday, 'full');
      expect(inc.run.mode).toBe('incremental');
      expect(inc.run.totals.accounts).toBeLessThan(full.run.totals.accounts);
      const made = (l: LocalCrm) => [...tasksByKey(l).keys()].filter((k) => !before.has(k)).sort();
      expect(made(local).length).toBeGreaterThan(a1.run.totals.tasksCreated);
      // The day was full above the cutoff: the rest of the backlog was not read.
      expect(inc.run.backlogRest).toBeUndefined();
      expect(formatSweepSummary(inc, { seconds: 1 })).not.toContain('rest of the backlog');
      // The same tasks: the same work, for the same companies.
      expect(made(local)).toEqual(made(other));
      // Tuesday's cutoff reached as deep into the backlog (waiting tasks) as Wednesday's whole team
      // can take, not just Tuesday's one CSM (whatever the other triggers happen to bring in).
      expect(reachable).toBeGreaterThanOrEqual(full.run.totals.tasksCreated);
    } finally {
      await other.stop();
    }
  });

  test.each([false, true])('incremental: when the work ranked at the top of the backlog goes away overnight (its companies archived), the day after still creates what a full sweep would (crash while reading the rest: %s)', async (crash) => {
    const twin = await start(600, 7);
    ({ local, config } = await start(600, 7));
    const other = twin.local;
    try {
      const run = async (l: LocalCrm, store: ReturnType<typeof memorySweepStateStore>, ms: number, mode: 'full' | 'incremental', wrap?: (crm: CrmPort) => CrmPort) => {
        const clock = l.clock as SimClock;
        clock.set(ms);
        return runSweep({ ...depsFor(l, config, wrap), now: () => new Date(ms) }, { store, mode, clockMs: () => clock.now() });
      };
      // The process dies on the rest of the backlog's first page.
      const dies = (crm: CrmPort): CrmPort => ({
        ...crm,
        iterateCompanies: (o: IterateCompaniesOptions) => {
          if (o.backlogPriorityBelow === undefined) return crm.iterateCompanies(o);
          return (async function* () {
            yield* [];
            throw new Error('killed');
          })();
        },
      });
      const tuesday = Date.UTC(2026, 10, 24, 9, 0, 0);
      const wednesday = Date.UTC(2026, 10, 25, 9, 0, 0);
      const storeA = memorySweepStateStore();
      const storeB = memorySweepStateStore();
      await run(local, storeA, tuesday, 'full');
      await run(other, storeB, tuesday, 'full');
      const cutoff = storeA.current().backlogCutoff;
      expect(cutoff).not.toBeNull();
      // Overnight the customers whose waiting work ranks at or above the cutoff churn and are
      // archived (on both portals): what Wednesday can take now comes from below the cutoff.
      const top = [...local.store.objects.companies.values()].filter((c) => Number(c.props.cs_backlog_priority || 0) >= (cutoff as number)).map((c) => c.id);
      expect(top.length).toBeGreaterThan(10);
      for (const l of [local, other]) for (const id of top) (l.store.objects.companies.get(id) as { archived: boolean }).archived = true;
      const before = new Set(tasksByKey(local).keys());
      if (crash) {
        await expect(run(local, storeA, wednesday, 'incremental', dies)).rejects.toThrow('killed');
        // Nothing was chosen or created before the rest was read; the run resumes there.
        expect([...tasksByKey(local).keys()].filter((k) => !before.has(k))).toEqual([]);
        expect(storeA.current().inProgress?.backlogRest).toBe(true);
      }
      const inc = await run(local, storeA, wednesday, 'incremental');
      const full = await run(other, storeB, wednesday, 'full');
      expect(inc.run.mode).toBe('incremental');
      expect(inc.resumed).toBe(crash);
      const made = (l: LocalCrm) => [...tasksByKey(l).keys()].filter((k) => !before.has(k)).sort();
      expect(made(other).length).toBeGreaterThan(0);
      // Nothing created twice.
      expect([...tasksByKey(local).values()].every((n) => n === 1)).toBe(true);
      expect(made(local)).toEqual(made(other));
      // It read the rest of the backlog for it (and still not the whole portfolio), and says so.
      expect(inc.run.backlogRest).toBe(true);
      expect(formatSweepSummary(inc, { seconds: 1 })).toContain('Read the rest of the backlog too');
      expect(sweepJson(inc, new Date(wednesday)).backlogRest).toBe(true);
      expect(inc.run.totals.accounts).toBeLessThan(full.run.totals.accounts);
    } finally {
      await other.stop();
    }
  });

  test("after the dispatch, a company's backlog priority is the top rank of the work it still has waiting (what a same-instant evaluation ranks), also when that work ranked below the tasks kept for the dispatch", async () => {
    // 2,000 companies, 8 CSMs: the dispatch keeps the ~2 days' best ranked tasks; a company with a
    // task created and more work ranked below those had its priority written as 0 (a task ranked
    // above the day's cutoff among them), which no later run corrected: the backlog text did not change.
    ({ local, config } = await start(2000, 7));
    const deps = depsFor(local, config);
    await runSweep(deps, { store: memorySweepStateStore() });
    const stored = new Map([...local.store.objects.companies.values()].map((c) => [String(c.id), c.props.cs_backlog_priority ?? '']));
    // The same instant evaluated again (dry run): the top rank of each company's planned tasks.
    const top = new Map<string, number | null>();
    const evaluate: typeof evaluateAccount = (a, ctx) => {
      const ev = evaluateAccount(a, ctx);
      top.set(a.id, ev.tasks.reduce<number | null>((m, t) => (t.rank !== undefined && (m === null || t.rank > m) ? t.rank : m), null));
      return ev;
    };
    await runSweep({ ...deps, evaluate }, { store: memorySweepStateStore(), dryRun: true });
    expect(top.size).toBe(2000);
    const off = [...top].filter(([id, t]) => (stored.get(id) ?? '') !== (t === null ? '' : String(t)));
    expect(off).toEqual([]);
    // Companies that had a task created and still have ranked work waiting: the case that was wrong.
    const createdFor = new Set([...local.store.objects.companies.values()].filter((c) => (c.props.cs_playbook_ledger ?? '') !== '').map((c) => String(c.id)));
    expect([...top].filter(([id, t]) => t !== null && createdFor.has(id)).length).toBeGreaterThan(5);
  });

  test('backlogTop: the best rank among what is left, from the retained tasks and their companies\' ranks; null when nothing left is ranked', () => {
    const waiting = [
      { accountId: '1', key: 'a', rank: 420, companyRanks: { a: 420, b: 310, c: 290 } },
      { accountId: '2', key: 'x', rank: 400 },
    ];
    expect(backlogTop(waiting, '1', ['b@2026-11-24', 'c@2026-11-20'])).toBe(310);
    expect(backlogTop(waiting, '1', ['c@2026-11-20'])).toBe(290);
    // Work the company's open-task cap holds back is not ranked (as the sweep writes it: blank).
    expect(backlogTop(waiting, '1', ['capped@2026-11-24'])).toBeNull();
    expect(backlogTop(waiting, '1', [])).toBeNull();
    expect(backlogTop(waiting, '2', ['x@2026-11-24'])).toBe(400);
    expect(backlogTop(waiting, '3', ['y@2026-11-24'])).toBeNull();
  });

  test('a portal that lacks a property of this version (setup not rerun after an upgrade): the sweep creates it and loses no write', async () => {
    ({ local, config } = await start(300, 7));
    local.store.properties.companies.delete('cs_digital_waiting');
    const report = await runSweep(depsFor(local, config), { store: memorySweepStateStore() });
    expect(report.status).toBe('complete');
    expect(report.run.totals.failures).toBe(0);
    expect(local.store.properties.companies.get('cs_digital_waiting')?.groupName).toBe('customer_success');
    // The writes that named it (digital touches held for a later day) are in.
    const waiting = [...local.store.objects.companies.values()].filter((c) => Number(c.props.cs_digital_waiting || 0) > 0);
    expect(waiting.length).toBeGreaterThan(0);
  });

  test('a portal that lacks a property the token cannot create (setup never ran: no group): the sweep stops and says to run setup; a write HubSpot refuses for another reason is counted and shown in its words', async () => {
    ({ local, config } = await start(300, 7));
    local.store.properties.companies.delete('cs_digital_waiting');
    local.store.groups.companies.delete('customer_success');
    const error = await runSweep(depsFor(local, config), { store: memorySweepStateStore() }).then(() => null, (e: unknown) => e);
    expect((error as Error).message).toMatch(/lacks properties this version writes \(cs_digital_waiting\).*run `npm run cli -- setup`.*Property group customer_success does not exist/s);
    // A summary with refused writes (not a missing property of ours) says so with HubSpot's words.
    const report = await runSweep(depsFor(local, config), { store: memorySweepStateStore(), dryRun: true });
    const text = formatSweepSummary({ ...report, run: { ...report.run, totals: { ...report.run.totals, failures: 2, failureExamples: ['update 5000000001: Property "cs_x" does not exist'] } } }, { seconds: 1 });
    expect(text).toMatch(/Failed writes, first 1 of 2:/);
    expect(text).toContain('run `npm run cli -- setup`');
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

  test('incremental: the pool\'s task loads are asked for while the companies whose tickets changed are read, not after', async () => {
    ({ local, config } = await start(300, 5));
    const store = memorySweepStateStore();
    const clock = local.clock as SimClock;
    const clockMs = () => clock.now();
    await runSweep({ ...depsFor(local, config), now: () => new Date(NOW) }, { store, clockMs });
    // Tickets opened for healthy companies (some of them nothing else brings into the run).
    const quiet = [...local.store.objects.companies.values()].filter((c) => c.props.cs_health_band === 'healthy').slice(0, 40);
    const later = clock.now() + 86_400_000;
    for (const c of quiet) {
      const ticket = local.store.create('tickets', { subject: 'Question', hs_pipeline: '0', hs_pipeline_stage: '1', hs_ticket_priority: 'LOW' }, later);
      local.store.associate('tickets', ticket.id, 'companies', c.id);
    }
    let loadsAsked = false;
    let askedDuringRead: boolean | null = null;
    const wrap = (crm: CrmPort): CrmPort => ({
      ...crm,
      ownerTaskLoads: crm.ownerTaskLoads ? (...args) => ((loadsAsked = true), (crm.ownerTaskLoads as NonNullable<CrmPort['ownerTaskLoads']>)(...args)) : undefined,
      async readCompanies(ids) {
        // Answer once the loads were asked for (or after 2 s: a run that asks only after this read).
        for (let waited = 0; !loadsAsked && waited < 2000; waited += 20) await new Promise((r) => setTimeout(r, 20));
        askedDuringRead ??= loadsAsked;
        return crm.readCompanies(ids);
      },
    });
    clock.set(later + 60_000);
    const inc = await runSweep({ ...depsFor(local, config, wrap), now: () => new Date(later + 60_000) }, { store, mode: 'incremental', clockMs });
    expect(inc.status).toBe('complete');
    expect(inc.work.ticketChanges?.companiesRead).toBeGreaterThan(0);
    expect(askedDuringRead).toBe(true);
  });

  test('incremental runs in a row: the score drift counts from the last full run, so a company none of them read is still found', async () => {
    ({ local, config } = await start(300, 5));
    const store = memorySweepStateStore();
    const clock = local.clock as SimClock;
    const clockMs = () => clock.now();
    const asked: IterateCompaniesOptions[] = [];
    const at = (ms: number) => {
      clock.set(ms);
      return {
        ...depsFor(local, config, (crm) => ({
          ...crm,
          iterateCompanies: (o?: IterateCompaniesOptions) => {
            if (o) asked.push(o);
            return crm.iterateCompanies(o);
          },
        })),
        now: () => new Date(ms),
      };
    };
    const full = await runSweep(at(NOW), { store, clockMs });
    const day = 86_400_000;
    const topScore = () => Math.max(...asked.flatMap((q) => (q.anyOf ?? []).map((a) => a.scoreBetween?.max ?? -1)));
    asked.length = 0;
    await runSweep(at(NOW + day), { store, mode: 'incremental', clockMs });
    const oneDay = topScore();
    expect(store.current().lastFullRunStartedAt).toBe(full.run.startedAt);
    asked.length = 0;
    await runSweep(at(NOW + 2 * day), { store, mode: 'incremental', clockMs });
    // Two days of drift since every score was computed, though the last run was yesterday.
    expect(topScore()).toBeGreaterThan(oneDay);
    expect(store.current().lastFullRunStartedAt).toBe(full.run.startedAt);
    // The next full run moves the baseline.
    const again = await runSweep(at(NOW + 3 * day), { store, clockMs });
    expect(store.current().lastFullRunStartedAt).toBe(again.run.startedAt);
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
    // The changes it could not read are asked again by the next run: from the full run's start, not its own.
    const full = store.current().lastFullRunStartedAt;
    expect(store.current().ticketsRecordedAt).toBe(full);
    const asked: string[] = [];
    const next = {
      ...depsFor(local, config, (crm) => ({ ...crm, ticketChangesSince: (since: string) => (asked.push(since), crm.ticketChangesSince?.(since) ?? Promise.reject(new Error('absent'))) })),
      now: () => new Date(later + 86_400_000),
    };
    clock.set(later + 86_400_000);
    const nextRun = await runSweep(next, { store, mode: 'incremental', clockMs });
    expect(asked).toEqual([full]);
    // That one read them: the one after asks from its start.
    expect(store.current().ticketsRecordedAt).toBe(nextRun.run.startedAt);
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
    // A few searches: 20 triggers in 5 (5 groups and 18 filters each, filled in order), + the modified one.
    expect(qs.length).toBeLessThanOrEqual(6);
    expect(names).toEqual(expect.arrayContaining(['cs_lifecycle_stage', 'contract_renewal', 'cs_last_login_date', 'notes_last_contacted', 'cs_contract_start_date', 'cs_segment_override_expires', 'cs_digital_waiting']));
    expect(names).not.toContain('cs_renewal_date');
    expect(sweepQueries({ mode: 'full', since: null }, { config: cfg }, new Date(NOW))).toEqual([{}]);
    // Follow-ups due: by the recorded day; the latest touch's window only until a full run recorded it.
    const groupsOf = (recorded: boolean) =>
      sweepQueries({ mode: 'incremental', since: '2026-11-22T09:00:00.000Z' }, { config: cfg }, new Date(NOW), null, null, recorded).flatMap((q) => companySearchGroups(q, map));
    // (The touches held have their own alternative, below.)
    const dueFields = (recorded: boolean) =>
      groupsOf(recorded)
        .filter((g) => !g.some((f) => f.propertyName === 'cs_digital_waiting'))
        .flat()
        .map((f) => f.propertyName)
        .filter((n) => n === 'cs_digital_follow_up_due' || n === 'cs_digital_touch_at');
    expect(new Set(dueFields(false))).toEqual(new Set(['cs_digital_follow_up_due', 'cs_digital_touch_at']));
    expect(new Set(dueFields(true))).toEqual(new Set(['cs_digital_follow_up_due']));
    // Touches held are due again once the latest touch is channels.minDaysBetweenTouches days old:
    // a touch at any time on today − 7 is in, one on today − 6 is not.
    const held = groupsOf(true).filter((g) => g.some((f) => f.propertyName === 'cs_digital_waiting'));
    expect(held).toHaveLength(1);
    const touchAt = (held[0] ?? []).filter((f) => f.propertyName === 'cs_digital_touch_at');
    const latest = Number(touchAt.find((f) => f.operator === 'LTE')?.value);
    const today = Math.floor(NOW / 86_400_000);
    expect(cfg.channels.minDaysBetweenTouches).toBe(7);
    expect(latest).toBe((today - 7 + 1) * 86_400_000 - 1);
    expect(touchAt.find((f) => f.operator === 'GTE')?.value).toBe('0');
  });

  test('incremental queries take the companies time alone can move: ageing data, and scores at or just above a band threshold whose login or touch is sliding', () => {
    const cfg = defaultConfig();
    const day = (iso: string) => Date.parse(`${iso}T00:00:00.000Z`);
    const endOf = (iso: string) => day(iso) + 86_400_000 - 1;
    // The last run started 2026-11-22 08:50 and ended 09:00; today is 2026-11-23.
    const qs = sweepQueries({ mode: 'incremental', since: '2026-11-22T09:00:00.000Z' }, { config: cfg }, new Date(NOW), null, '2026-11-22T08:50:00.000Z');
    const groups = qs.slice(1).flatMap((q) => companySearchGroups(q));
    const names = groups.flat().map((f) => f.propertyName);
    expect(names).toEqual(expect.arrayContaining(['cs_usage_updated_at', 'cs_nps_date']));
    const bounds = (g: { propertyName: string; operator: string; value?: string }[], name: string) => [Number(g.find((f) => f.propertyName === name && f.operator === 'GTE')?.value), Number(g.find((f) => f.propertyName === name && f.operator === 'LTE')?.value)];
    const scored = groups.filter((g) => g.some((f) => f.propertyName === 'cs_health_score'));
    // Time only lowers a score: a day of login and up to two whole days of touch age lose at most
    // ⌈1.44⌉ = 2 points (named), so from 70 or 71 only (72 − 2 = 70 is still healthy). Below the
    // threshold nothing can rise across it. Each with the last login, or the last touch, sliding.
    expect(Math.ceil(maxScoreDrop(cfg, 1, 2))).toBe(2);
    expect(scored.map((g) => [bounds(g, 'cs_health_score'), g.find((f) => f.propertyName !== 'cs_health_score')?.propertyName])).toEqual([
      [[70, 71], 'cs_last_login_date'],
      [[70, 71], 'notes_last_contacted'],
      [[50, 51], 'cs_last_login_date'],
      [[50, 51], 'notes_last_contacted'],
    ]);
    // Login recency is 100 up to 7 days and 0 from 60: sliding today for a login on 2026-09-24
    // (59 days back yesterday, 60 today) … 2026-11-15 (8 days back today).
    expect(bounds(scored[0] ?? [], 'cs_last_login_date')).toEqual([day('2026-09-24'), endOf('2026-11-15')]);
    // Engagement: 100 up to 14 whole days, 0 from 90: a touch after 2026-08-24 08:50 was under 90
    // days yesterday at 08:50; before 2026-11-09 00:00 it is over 14 days today, whatever the hour.
    expect(bounds(scored[1] ?? [], 'notes_last_contacted')).toEqual([day('2026-08-24'), endOf('2026-11-08')]);
    // Three days since the last run: three days of login (and four of touch) drift.
    const later = sweepQueries({ mode: 'incremental', since: '2026-11-20T09:00:00.000Z' }, { config: cfg }, new Date(NOW), null, '2026-11-20T08:50:00.000Z');
    const wide = later.slice(1).flatMap((q) => companySearchGroups(q)).filter((g) => g.some((f) => f.propertyName === 'cs_health_score'));
    expect(bounds(wide[0] ?? [], 'cs_health_score')).toEqual([70, 70 + Math.ceil(maxScoreDrop(cfg, 3, 4)) - 1]);
    expect(bounds(wide[0] ?? [], 'cs_last_login_date')).toEqual([day('2026-09-22'), endOf('2026-11-15')]);
    // When the last run's start is unknown, it may have begun the day before it ended: a day more.
    const unknownStart = sweepQueries({ mode: 'incremental', since: '2026-11-22T09:00:00.000Z' }, { config: cfg }, new Date(NOW));
    const guarded = unknownStart.slice(1).flatMap((q) => companySearchGroups(q)).filter((g) => g.some((f) => f.propertyName === 'cs_health_score'));
    expect(bounds(guarded[0] ?? [], 'cs_health_score')).toEqual([70, 70 + Math.ceil(maxScoreDrop(cfg, 2, 3)) - 1]);
    expect(bounds(guarded[0] ?? [], 'cs_last_login_date')).toEqual([day('2026-09-23'), endOf('2026-11-15')]);
    // A touch's age counts whole 24 hours from its instant: from yesterday 08:50 to any hour today,
    // up to two more. With engagement sliding from 100 to 0 in 10 days (20 points a day in 'named',
    // doubled at the least coverage): (10 × 100/53 + 20 × 2 × 10) / 49.5 ≈ 8.5 points → 70 … 78.
    const fast = defaultConfig();
    fast.health.normalise.engagementFullDays = 0;
    fast.health.normalise.engagementZeroDays = 10;
    const quick = sweepQueries({ mode: 'incremental', since: '2026-11-22T09:00:00.000Z' }, { config: fast }, new Date(NOW), null, '2026-11-22T08:50:00.000Z');
    const steep = quick.slice(1).flatMap((q) => companySearchGroups(q)).filter((g) => g.some((f) => f.propertyName === 'cs_health_score'));
    expect(bounds(steep[0] ?? [], 'cs_health_score')).toEqual([70, 78]);
    // Slower recencies drift less.
    const slow = defaultConfig();
    slow.health.normalise.loginZeroDays = 600;
    slow.health.normalise.engagementZeroDays = 900;
    expect(maxScoreDriftPerDay(slow)).toBeLessThan(maxScoreDriftPerDay(cfg));
    // Slides from the recorded peak the clock may complete by today: the first such day each
    // evaluation recorded (cs_health_drop_due), any day up to the end of today.
    const dropDue = (q: typeof qs) => q.slice(1).flatMap((x) => companySearchGroups(x)).filter((g) => g.some((f) => f.propertyName === 'cs_health_drop_due'));
    expect(dropDue(qs).map((g) => bounds(g, 'cs_health_drop_due'))).toEqual([[0, endOf('2026-11-23')]]);
    const noDrops = defaultConfig();
    noDrops.playbooks.rules.health_drop.enabled = false;
    expect(dropDue(sweepQueries({ mode: 'incremental', since: '2026-11-22T09:00:00.000Z' }, { config: noDrops }, new Date(NOW), null, '2026-11-22T08:50:00.000Z'))).toEqual([]);
    // Still packed within HubSpot's limits: one search more than before the slide's trigger (20 triggers in 5).
    expect(qs.length).toBeLessThanOrEqual(6);
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

  test("only a detractor's answer brings its cap's end into the incremental run (NPS at most the cap's max, mapped property); the staleness trigger keeps every answer", () => {
    const cfg = defaultConfig();
    cfg.propertyMapping = { cs_nps_score: 'survey_nps', cs_nps_date: 'survey_nps_date' };
    const map = propertyMapFromConfig(cfg.propertyMapping);
    const qs = sweepQueries({ mode: 'incremental', since: '2026-11-22T09:00:00.000Z' }, { config: cfg }, new Date(NOW), null, '2026-11-22T08:50:00.000Z');
    const groups = qs.slice(1).flatMap((q) => companySearchGroups(q, map));
    const matches = (nps: number, answered: string) =>
      groups.some((g) =>
        g.every((f) => {
          const v = f.propertyName === 'survey_nps' ? nps : f.propertyName === 'survey_nps_date' ? Date.parse(answered) : null;
          return v !== null && (f.operator === 'GTE' ? v >= Number(f.value) : f.operator === 'LTE' ? v <= Number(f.value) : false);
        }),
      );
    // Answered 2026-08-24 (91 days back today): a 6 was capped yesterday, not today; a 7 never was.
    expect(matches(6, '2026-08-24')).toBe(true);
    expect(matches(0, '2026-08-24')).toBe(true);
    expect(matches(7, '2026-08-24')).toBe(false);
    expect(matches(10, '2026-08-24')).toBe(false);
    // The cap's own group: both NPS filters on the mapped properties.
    const cap = groups.find((g) => g.some((f) => f.propertyName === 'survey_nps'));
    expect(cap).toEqual([
      { propertyName: 'survey_nps_date', operator: 'GTE', value: String(Date.parse('2026-08-23')) },
      { propertyName: 'survey_nps_date', operator: 'LTE', value: String(Date.parse('2026-08-26') - 1) },
      { propertyName: 'survey_nps', operator: 'LTE', value: '6' },
    ]);
    expect(groups.filter((g) => g.some((f) => f.propertyName === 'survey_nps'))).toHaveLength(1);
    // An answer reaching 180 days (data going stale) comes in whatever its score.
    expect(matches(10, '2026-05-27')).toBe(true);
    // A stricter cap: at most 4.
    cfg.health.caps.nps_detractor.max = 4;
    const strict = sweepQueries({ mode: 'incremental', since: '2026-11-22T09:00:00.000Z' }, { config: cfg }, new Date(NOW)).slice(1).flatMap((q) => companySearchGroups(q, map));
    expect(strict.flat().find((f) => f.propertyName === 'survey_nps')?.value).toBe('4');
  });

  test('property: a band that time alone changes between the last run and today (score drift, data going stale, a cap starting or ending, an open risk task\'s cap lifting) is in the incremental run', () => {
    const DAY = 86_400_000;
    const isoDay = (d: number) => new Date(d * DAY).toISOString().slice(0, 10);
    const num = fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 300 }));
    let changed = 0;
    let scoreMoved = 0;
    let capLifted = 0;
    fc.assert(
      fc.property(
        fc.record({
          loginFull: fc.integer({ min: 0, max: 14 }),
          loginSpan: fc.integer({ min: 1, max: 60 }),
          touchFull: fc.integer({ min: 0, max: 20 }),
          touchSpan: fc.integer({ min: 1, max: 90 }),
          minCoverage: fc.integer({ min: 20, max: 80 }),
        }),
        fc.record({
          usageCurrentPeriod: num,
          usagePreviousPeriod: num,
          licensedSeats: num,
          activeUsers: num,
          npsScore: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 10 })),
          openTickets: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 5 })),
          loginBack: fc.oneof(fc.constant(null), fc.integer({ min: -3, max: 100 })),
          touchBackMs: fc.oneof(fc.constant(null), fc.integer({ min: -3 * DAY, max: 130 * DAY })),
          usageBackMs: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 20 * DAY })),
          npsBack: fc.integer({ min: 0, max: 200 }),
          // A risk task in the ledger, this many days before the last evaluation (its cap holds 30 days).
          riskBack: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 40 })),
        }),
        // The last run: started at `start`, evaluated the company up to 3 hours later, ended by the
        // end of that day; today's run 0–4 days and some hours after.
        fc.record({ start: fc.integer({ min: Date.parse('2026-03-01T00:00:00Z'), max: Date.parse('2026-10-01T00:00:00Z') }), evalAfter: fc.integer({ min: 0, max: 3 * 3_600_000 }), endAfter: fc.integer({ min: 0, max: 3 * 3_600_000 }), days: fc.integer({ min: 0, max: 4 }), ms: fc.integer({ min: 0, max: DAY - 1 }) }),
        fc.constantFrom('pooled' as const, 'mid_pooled' as const, 'named' as const),
        (n, f, t, segment) => {
          const startDay = Math.floor(t.start / DAY);
          const evaluated = Math.min(t.start + t.evalAfter, (startDay + 1) * DAY - 2);
          const ended = Math.min(evaluated + t.endAfter, (startDay + 1) * DAY - 1);
          const now = Math.max(ended, ended + t.days * DAY + t.ms - 12 * 3_600_000);
          const cfg = defaultConfig();
          Object.assign(cfg.health.normalise, { loginFullDays: n.loginFull, loginZeroDays: n.loginFull + n.loginSpan, engagementFullDays: n.touchFull, engagementZeroDays: n.touchFull + n.touchSpan });
          cfg.health.minCoverage = n.minCoverage;
          const day0 = Math.floor(evaluated / DAY);
          const loginDay = f.loginBack === null ? null : day0 - f.loginBack;
          const touched = f.touchBackMs === null ? null : evaluated - f.touchBackMs;
          const usageAt = f.usageBackMs === null ? null : evaluated - f.usageBackMs;
          const npsDay = day0 - f.npsBack;
          const account = makeAccount({
            usageCurrentPeriod: f.usageCurrentPeriod,
            usagePreviousPeriod: f.usagePreviousPeriod,
            licensedSeats: f.licensedSeats,
            activeUsers: f.activeUsers,
            npsScore: f.npsScore,
            npsDate: isoDay(npsDay),
            openTickets: f.openTickets,
            highPriorityTickets: 0,
            lastLoginDate: loginDay === null ? null : isoDay(loginDay),
            lastContactedAt: touched === null ? null : new Date(touched).toISOString(),
            usageUpdatedAt: usageAt === null ? null : new Date(usageAt).toISOString(),
          });
          const ledger = f.riskBack === null ? [] : [`cs:1:no_login:reengage:w@${isoDay(day0 - f.riskBack)}`];
          const before = computeHealth(account, segment, cfg, new Date(evaluated), riskTaskCaps(ledger, [], cfg, new Date(evaluated)));
          const after = computeHealth(account, segment, cfg, new Date(now), riskTaskCaps(ledger, [], cfg, new Date(now)));
          if (before.band === after.band) return;
          changed++;
          if (before.cappedBy?.id === 'risk_task' && after.caps.every((c) => c.id !== 'risk_task')) capLifted++;
          const capEnds = riskCapEndsOf(ledger, cfg, new Date(evaluated));
          if (before.score !== null && after.score !== null && before.score !== after.score) scoreMoved++;
          // What the search sees: the stored score of the last evaluation and the inputs (dates at midnight).
          const stored: Record<string, number | null> = {
            cs_health_score: before.score,
            cs_last_login_date: loginDay === null ? null : loginDay * DAY,
            notes_last_contacted: touched,
            cs_usage_updated_at: usageAt,
            cs_nps_score: f.npsScore,
            cs_nps_date: npsDay * DAY,
            cs_risk_cap_ends: capEnds === null ? null : Date.parse(capEnds),
          };
          const qs = sweepQueries({ mode: 'incremental', since: new Date(ended).toISOString() }, { config: cfg }, new Date(now), null, new Date(t.start).toISOString());
          const found = qs.slice(1).some((q) =>
            companySearchGroups(q).some((g) =>
              g.every((filter) => {
                const v = stored[filter.propertyName];
                if (v === null || v === undefined) return false;
                return filter.operator === 'GTE' ? v >= Number(filter.value) : filter.operator === 'LTE' ? v <= Number(filter.value) : false;
              }),
            ),
          );
          expect({ found, before: before.band, after: after.band, scores: [before.score, after.score] }).toEqual({ found: true, before: before.band, after: after.band, scores: [before.score, after.score] });
        },
      ),
      { numRuns: 20000 },
    );
    // Not vacuous: many bands changed, some of them with the score moving.
    expect(changed).toBeGreaterThan(100);
    expect(scoreMoved).toBeGreaterThan(20);
    // (About 23 lifted caps a run, 19–28 seen: more than 5, so the guard never fails by chance.)
    expect(capLifted).toBeGreaterThan(5);
  });

  test('property: a waiting task whose rank reaches the last cutoff by today (days of waiting, days nearer its renewal, since the last full run ranked it) has its company in the incremental run', () => {
    const DAY = 86_400_000;
    let reached = 0;
    let nearRenewal = 0;
    let unreadSince = 0;
    fc.assert(
      fc.property(
        fc.record({
          priority: fc.constantFrom('HIGH' as const, 'MEDIUM' as const, 'LOW' as const),
          band: fc.constantFrom('at_risk' as const, 'watch' as const, 'unknown' as const, 'healthy' as const),
          acv: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 200_000 })),
          // Days to the renewal and days waiting when the last full run ranked it.
          daysToRenewal: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 120 })),
          daysWaiting: fc.integer({ min: 0, max: 40 }),
          // Today's run 1–4 days after the last run, which came 0–6 days after the last full run
          // (incremental runs in between that did not read this company).
          days: fc.integer({ min: 1, max: 4 }),
          incrementalDays: fc.integer({ min: 0, max: 6 }),
          // The last run's cutoff: somewhere near this task's rank then (tenths).
          cutoffAbove: fc.integer({ min: -20, max: 300 }),
        }),
        (t) => {
          const cfg = defaultConfig();
          const age = t.days + t.incrementalDays;
          const rank = (back: number) => taskRank({ priority: t.priority, band: t.band, acv: t.acv, daysToRenewal: t.daysToRenewal === null ? null : t.daysToRenewal - back, daysWaiting: t.daysWaiting + back }, cfg);
          // The company's stored priority: the rank the last full run gave its top waiting task.
          const stored = rank(0);
          const cutoff = Math.round(stored * 10 + t.cutoffAbove) / 10;
          if (rank(age) < cutoff) return;
          reached++;
          if (t.incrementalDays > 0) unreadSince++;
          if (t.daysToRenewal !== null && t.daysToRenewal - age >= 0 && t.daysToRenewal < cfg.workload.priority.renewalHorizonDays && cutoff - stored > cfg.workload.priority.perDayWaiting * age) nearRenewal++;
          const full = Date.parse('2026-11-15T09:00:00.000Z');
          const last = full + t.incrementalDays * DAY;
          const qs = sweepQueries({ mode: 'incremental', since: new Date(last + 3_600_000).toISOString() }, { config: cfg }, new Date(last + t.days * DAY), cutoff, new Date(full).toISOString(), true, new Date(last).toISOString());
          const bounds = qs
            .slice(1)
            .flatMap((q) => companySearchGroups(q))
            .filter((g) => g.length === 1 && g[0]?.propertyName === 'cs_backlog_priority' && g[0].operator === 'GTE')
            .map((g) => Number(g[0]?.value));
          expect(bounds).toHaveLength(1);
          expect({ stored, cutoff, today: rank(age), found: stored >= (bounds[0] as number) }).toEqual({ stored, cutoff, today: rank(age), found: true });
        },
      ),
      { numRuns: 5000 },
    );
    // Not vacuous: many reached the cutoff, some only by coming nearer their renewal, many after
    // incremental runs that did not read them.
    expect(reached).toBeGreaterThan(500);
    expect(nearRenewal).toBeGreaterThan(20);
    expect(unreadSince).toBeGreaterThan(200);
  });

  test('the rest of the backlog is exactly what the incremental run does not read by rank (below its floor), probed just under the cutoff; none for a full run or without a cutoff', () => {
    const cfg = defaultConfig();
    const since = '2026-11-22T09:00:00.000Z';
    const full = '2026-11-18T09:00:00.000Z';
    const rest = backlogRest({ mode: 'incremental', since }, { config: cfg }, new Date(NOW), 367.5, full, since);
    const floor = sweepQueries({ mode: 'incremental', since }, { config: cfg }, new Date(NOW), 367.5, full, true, since)
      .slice(1)
      .flatMap((q) => companySearchGroups(q))
      .find((g) => g.length === 1 && g[0]?.propertyName === 'cs_backlog_priority')?.[0];
    expect(floor?.operator).toBe('GTE');
    // Five days since the last full run: 367.5 − (3 + 0.5) × 5 − 0.1 = 349.9 → 349.
    expect(floor?.value).toBe('349');
    expect(rest).toEqual({ query: { hasBacklog: true, backlogPriorityBelow: 349 }, probeRank: 367.45 });
    expect(companySearchGroups(rest?.query ?? {})).toEqual([
      [
        { propertyName: 'cs_backlog_since', operator: 'HAS_PROPERTY' },
        { propertyName: 'cs_backlog_priority', operator: 'LT', value: '349' },
      ],
    ]);
    expect(backlogRest({ mode: 'full', since: null }, { config: cfg }, new Date(NOW), 367.5)).toBeNull();
    expect(backlogRest({ mode: 'incremental', since }, { config: cfg }, new Date(NOW), null, full, since)).toBeNull();
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
