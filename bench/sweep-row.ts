/**
 * One row of the sweep benchmark, in its own process (so its peak RSS is this row's alone): the
 * real adapter sweeping the local CRM server (another process) on a simulated clock.
 *
 * Started by bench/sweep.ts with `fork`; the parameters come as one JSON argument, the result
 * goes back as an IPC message.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { configVersion, defaultConfig, type Config } from '../src/core';
import { createHubSpotCrm } from '../src/hubspot';
import { runSweep, memorySweepStateStore, silentLogger, type CrmPort, type SweepReport } from '../src/app';
import { EventClock } from './sim-clock';
import { RowParamsSchema, type EndState, type RowParams, type RowResult, type StartState } from './sweep-plan';

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = () => process.memoryUsage().heapUsed / 1048576;

async function snapshot(crm: CrmPort): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const page of crm.iterateCompanies({})) for (const a of page.accounts) out.set(a.id, `${a.healthBand ?? ''}|${a.lifecycleStage ?? ''}`);
  return out;
}

/** A plain API call of the bench on the row's token (not counted in a run); a 429 is waited out (simulated), a few times. */
async function benchPost(p: RowParams, clock: EventClock, path: string, body: unknown): Promise<{ results?: Array<{ id: string; properties: Record<string, string | undefined> }> }> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${p.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // Right after a sweep the second's searches may be used up.
    if (res.status === 429 && attempt < 5) {
      await res.arrayBuffer();
      await clock.sleep(1000 * Math.max(1, Number(res.headers.get('retry-after') ?? 1)));
      continue;
    }
    if (!res.ok) throw new Error(`bench: ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { results?: Array<{ id: string; properties: Record<string, string | undefined> }> };
  }
}

/**
 * What a run left: each company's band and stage, the digital touches written on `day` (ledger
 * entries of that day), and the task keys created since `sinceMs` (a search on hs_createdate, paged
 * by id). Read after the measured run, not counted in it.
 */
async function endState(p: RowParams, clock: EventClock, crm: CrmPort, day: string, sinceMs: number): Promise<EndState> {
  const bandStage: Record<string, string> = {};
  const touches: string[] = [];
  for await (const page of crm.iterateCompanies({})) {
    for (const a of page.accounts) {
      bandStage[a.id] = `${a.healthBand ?? ''}|${a.lifecycleStage ?? ''}`;
      for (const e of a.playbookLedger) if (e.includes('-digital:') && e.includes(`@${day}`)) touches.push(e.slice(0, e.indexOf('@')));
    }
  }
  const tasks: string[] = [];
  let after = '0';
  for (;;) {
    const body = await benchPost(p, clock, '/crm/v3/objects/tasks/search', {
      filterGroups: [{ filters: [{ propertyName: 'hs_createdate', operator: 'GTE', value: String(sinceMs) }, { propertyName: 'hs_object_id', operator: 'GT', value: after }] }],
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
      properties: ['hs_task_body'],
      limit: 200,
    });
    const results = body.results ?? [];
    for (const t of results) tasks.push(/Idempotency key: (\S+)/.exec(t.properties.hs_task_body ?? '')?.[1] ?? `task ${t.id}`);
    if (results.length < 200) break;
    after = (results[results.length - 1] as { id: string }).id;
  }
  return { bandStage, tasks, touches };
}

/** The tickets HubSpot's API takes: a ticket → company link is association type 339 (HUBSPOT_DEFINED). */
const TICKET_TO_COMPANY = 339;

/**
 * A support team's day on the bench's portal: one new ticket for each given company (every fourth
 * urgent) and the first 200 open tickets closed. Plain API calls on the row's token.
 */
async function supportDay(p: RowParams, clock: EventClock, companies: readonly string[]): Promise<{ created: number; closed: number }> {
  const call = (path: string, body: unknown) => benchPost(p, clock, path, body);
  let created = 0;
  for (let i = 0; i < companies.length; i += 100) {
    const inputs = companies.slice(i, i + 100).map((id, j) => ({
      properties: { subject: 'Bench: new ticket', hs_pipeline: '0', hs_pipeline_stage: '1', hs_ticket_priority: (i + j) % 4 === 0 ? 'URGENT' : 'MEDIUM' },
      associations: [{ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: TICKET_TO_COMPANY }] }],
    }));
    created += (await call('/crm/v3/objects/tickets/batch/create', { inputs })).results?.length ?? 0;
  }
  const open = await call('/crm/v3/objects/tickets/search', { filterGroups: [{ filters: [{ propertyName: 'hs_pipeline_stage', operator: 'NOT_IN', values: ['4'] }] }], sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }], properties: ['hs_pipeline_stage'], limit: 200 });
  const ids = (open.results ?? []).map((t) => t.id);
  let closed = 0;
  for (let i = 0; i < ids.length; i += 100) {
    closed += (await call('/crm/v3/objects/tickets/batch/update', { inputs: ids.slice(i, i + 100).map((id) => ({ id, properties: { hs_pipeline_stage: '4' } })) })).results?.length ?? 0;
  }
  return { created, closed };
}

/** An ISO instant cut to the minute (`2026-11-30T09:06`), anything else as it is (a JSON replacer). */
function toTheMinute(_key: string, value: unknown): unknown {
  return typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value) ? value.slice(0, 16) : value;
}

async function row(p: RowParams): Promise<RowResult> {
  const clock = new EventClock(p.start);
  globalThis.fetch = clock.wrapFetch(globalThis.fetch.bind(globalThis));
  // SWEEP_TRACE=<file>: the measured run's requests (simulated send and answer instants), to see its
  // critical path; `{kind}` in the name becomes the row's kind (each row runs in its own process).
  const trace: Array<{ at: number; done: number; req: string; status: number }> | null = process.env.SWEEP_TRACE ? [] : null;
  let tracing = false;
  if (trace) {
    const inner = globalThis.fetch;
    globalThis.fetch = async (input, init) => {
      const at = clock.now();
      const res = await inner(input, init);
      if (tracing) trace.push({ at, done: clock.now(), req: `${init?.method ?? 'GET'} ${new URL(input instanceof Request ? input.url : String(input)).pathname}`, status: res.status });
      return res;
    };
  }
  const admin = createHubSpotCrm({ accessToken: p.token, basePath: p.baseUrl, clock, timeoutMs: 0 });
  await admin.installProperties();
  const config: Config = defaultConfig();
  config.pool = p.pool as Config['pool'];
  const crm = createHubSpotCrm({ accessToken: p.token, basePath: p.baseUrl, clock, timeoutMs: 0, limits: { perTenSeconds: 190 } });
  let asOf = p.start;
  const deps = { crm, config, configVersion: configVersion(config), now: () => new Date(asOf), log: silentLogger };
  const store = memorySweepStateStore();

  let startState: StartState | undefined;
  // Preparation days whose incremental read the rest of the backlog.
  let prepBacklogRest = 0;
  if (p.kind === 'incremental' || p.kind === 'fullNextDay') {
    // Yesterday's full sweep (not measured), then a day passes and the product sync updates 2% of
    // the companies; the measured run is today's sweep: incremental, or (fullNextDay) the full sweep
    // a team would run instead, from the same state. The state read before the touch is hashed so
    // the two rows (each on its own server) can be shown to start alike.
    await runSweep({ ...deps, crm: admin }, { store, clockMs: () => clock.now() });
    const passDay = async (n: number): Promise<StartState> => {
      await clock.sleep(86_400_000 - 60_000 * Math.min(1, n - 1));
      const touched: string[] = [];
      const ticketed: string[] = [];
      const bands: Record<string, number> = {};
      const hash = createHash('sha256');
      // BENCH_DUMP_START=<prefix>: each company as hashed, one JSON line each, to <prefix>-<row kind>.jsonl (to see where two starts differ).
      const dump: string[] | null = process.env.BENCH_DUMP_START ? [] : null;
      for await (const page of admin.iterateCompanies({})) {
        for (const a of page.accounts) {
          bands[a.healthBand ?? ''] = (bands[a.healthBand ?? ''] ?? 0) + 1;
          // Instants to the minute: the two servers' runs evaluate and write a few ms apart on their
          // own clocks (a week of runs: every company differed only there), the state is the same.
          const text = JSON.stringify(a, toTheMinute);
          hash.update(text);
          dump?.push(text);
          if (touched.length < Math.ceil(p.companies * 0.02) && (Number(a.id) + n - 1) % 50 === 7) touched.push(a.id);
          if ((Number(a.id) + 7 * (n - 1)) % 97 === 13) ticketed.push(a.id);
        }
      }
      if (dump !== null && n === p.prepDays + 1) writeFileSync(`${process.env.BENCH_DUMP_START}-${p.kind}.jsonl`, `${dump.join('\n')}\n`);
      hash.update(touched.join(','));
      await admin.updateCompanies(touched.map((id) => ({ id, properties: { cs_active_users: '1' } })));
      // The support team's day: about 1% of companies open a ticket (a quarter of them urgent) and
      // 200 open tickets are closed, so the incremental must see companies whose tickets alone changed.
      const day = await supportDay(p, clock, ticketed);
      hash.update(`tickets:${day.created}:${day.closed}`);
      await clock.sleep(60_000);
      asOf = clock.now();
      return { at: asOf, bands, hash: hash.digest('hex'), touched: touched.length };
    };
    // Days run as a team would: each with its incremental sweep (not measured).
    for (let n = 1; n <= p.prepDays; n++) {
      await passDay(n);
      const r = await runSweep({ ...deps, crm: admin }, { store, mode: 'incremental', clockMs: () => clock.now() });
      if (r.run.backlogRest === true) prepBacklogRest++;
      if (process.env.BENCH_VERBOSE) console.error(`prep day ${n}: incremental ${r.stats.total} calls, ${r.run.totals.accounts} companies, ${r.run.totals.tasksCreated} tasks${r.run.backlogRest === true ? ', read the rest of the backlog' : ''}`);
    }
    startState = await passDay(p.prepDays + 1);
  }

  // A second client on the same token: it takes part of the portal's budget behind our back.
  let stopNoise = false;
  let noise = Promise.resolve();
  if (p.kind === 'shared') {
    noise = (async () => {
      // 60 requests per 10 s of simulated time: a third of the portal's budget.
      while (!stopNoise) {
        await fetch(`${p.baseUrl}/crm/v3/owners?limit=1`, { headers: { authorization: `Bearer ${p.token}` } }).then((r) => r.arrayBuffer());
        await clock.sleep(10_000 / 60);
      }
    })();
  }

  gc?.();
  const baseHeap = heapMb();
  let peakHeap = baseHeap;
  const simStart = clock.now();
  tracing = true;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const report: SweepReport = await runSweep(deps, {
    store,
    mode: p.kind === 'incremental' ? 'incremental' : 'full',
    clockMs: () => clock.now(),
    onProgress: () => {
      gc?.();
      peakHeap = Math.max(peakHeap, heapMb());
    },
  });
  const realMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const wallMs = clock.now() - simStart;
  tracing = false;
  if (trace && process.env.SWEEP_TRACE) writeFileSync(process.env.SWEEP_TRACE.replaceAll('{kind}', p.kind), JSON.stringify({ start: simStart, end: simStart + wallMs, trace }));
  stopNoise = true;
  await noise;
  const s = report.stats;
  const result: RowResult = {
    calls: s.total,
    minimum: report.minimumCalls,
    callsByKind: s.calls,
    work: { ...report.work },
    wallMs,
    floorMs: report.floor.seconds * 1000,
    floorTenSecond: { calls: report.floor.tenSecond.calls, ms: report.floor.tenSecond.seconds * 1000 },
    floorSearch: { calls: report.floor.search.calls, ms: report.floor.search.seconds * 1000 },
    tooMany10s: s.rateLimited10s,
    tooManySearchSecondly: s.rateLimitedSecondly ?? 0,
    cpuMsPer1000: (cpu.user + cpu.system) / 1000 / Math.max(1, report.run.totals.accounts / 1000),
    realMs,
    sweepHeapMb: peakHeap - baseHeap,
    sweepRssMb: process.resourceUsage().maxRSS / 1024,
    tasksCreated: report.run.totals.tasksCreated,
    status: report.status,
    ...(startState ? { startState } : {}),
    ...(p.kind === 'incremental' ? { backlogRest: { measured: report.run.backlogRest === true, prepDays: prepBacklogRest } } : {}),
  };

  if (p.kind === 'incremental' || p.kind === 'fullNextDay') result.endState = await endState(p, clock, admin, new Date(asOf).toISOString().slice(0, 10), simStart);

  if (p.kind === 'incremental') {
    // The same day, a full sweep (after the incremental did the day's work, so not the run it
    // replaces: that is the fullNextDay row): after a complete incremental sweep it must find no band or stage
    // to change, no task to create and no digital touch to send (scores may move in their digits).
    const before = await snapshot(admin);
    const accountsBefore = new Map<string, unknown>();
    if (process.env.BENCH_VERBOSE) for await (const page of admin.iterateCompanies({})) for (const a of page.accounts) accountsBefore.set(a.id, a);
    const fullFrom = clock.now();
    const full = await runSweep(deps, { store, mode: 'full', clockMs: () => clock.now() });
    if (process.env.BENCH_VERBOSE) {
      // What the same-day full created, and how its companies stood before it (diagnosis only).
      await clock.sleep(2000);
      const res = await fetch(`${p.baseUrl}/crm/v3/objects/tasks/search`, {
        method: 'POST',
        headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ filterGroups: [{ filters: [{ propertyName: 'hs_createdate', operator: 'GTE', value: String(fullFrom) }] }], properties: ['hs_task_body'], limit: 200 }),
      });
      const body = (await res.json()) as { total?: number; results?: Array<{ properties: { hs_task_body?: string } }> };
      const keys = (body.results ?? []).map((t) => /Idempotency key: (\S+)/.exec(t.properties.hs_task_body ?? '')?.[1] ?? '?');
      console.error(`same-day full created ${body.total ?? '?'}; keys: ${keys.slice(0, 8).join(' ')}`);
      // Which stored fields the full sweep changed, beyond the score's digits.
      const changedFields: Record<string, number> = {};
      const examples: Record<string, string> = {};
      for await (const page of admin.iterateCompanies({})) {
        for (const a of page.accounts) {
          const b = accountsBefore.get(a.id) as Record<string, unknown> | undefined;
          if (!b) continue;
          for (const [k, v] of Object.entries(a)) {
            if (['healthScore', 'healthSummary', 'healthCoverage', 'healthComputedAt', 'healthPeak', 'healthDropHeadroom', 'healthDropDue', 'modifiedAt'].includes(k)) continue;
            if (JSON.stringify(v) === JSON.stringify(b[k])) continue;
            changedFields[k] = (changedFields[k] ?? 0) + 1;
            examples[k] ??= `${a.id}: ${JSON.stringify(b[k])} → ${JSON.stringify(v)}`.slice(0, 300);
          }
        }
      }
      console.error(`fields the same-day full changed: ${JSON.stringify(changedFields)}`);
      for (const e of Object.values(examples)) console.error(`  e.g. ${e}`);
      for (const k of keys.slice(0, 4)) {
        const id = k.split(':')[1] ?? '';
        console.error(`  ${id} before: ${JSON.stringify(accountsBefore.get(id))}`);
      }
    }
    const after = await snapshot(admin);
    let changed = 0;
    for (const [id, v] of after) {
      if (before.get(id) === v) continue;
      changed++;
      if (process.env.SWEEP_TRACE) {
        const a = (await admin.readCompanies([id])).accounts[0];
        console.error(`changed by the full sweep: ${id} ${before.get(id) ?? '-'} → ${v}`, JSON.stringify({ nps: a?.npsScore, npsDate: a?.npsDate, login: a?.lastLoginDate, ledger: a?.playbookLedger, score: a?.healthScore, usage: [a?.usageCurrentPeriod, a?.usagePreviousPeriod, a?.usageUpdatedAt] }));
      }
    }
    if (process.env.BENCH_VERBOSE) {
      const t = (r: SweepReport) => JSON.stringify({ accounts: r.run.totals.accounts, tasks: r.run.totals.tasksByPlaybook, skipped: r.run.totals.skipped, backlog: r.run.totals.backlogCount, wl: { ...r.workload, capacity: Object.values(r.workload.capacity).reduce((a, b) => a + b, 0), byOwner: Object.values(r.workload.byOwner).join(',') } });
      console.error(`measured incremental: ${t(report)}\nsame-day full: ${t(full)}`);
    }
    result.sameDayFullCalls = full.stats.total;
    result.sameDayChangedBandOrStage = changed;
    result.sameDayFullTasksCreated = full.run.totals.tasksCreated;
    const touches = Object.values(full.run.totals.digitalByType ?? {}).reduce((a, b) => a + b, 0);
    result.sameDayFullTouches = touches;
    // Companies it wrote for more than the score's digits (a backlog, ticket count, ledger…).
    result.sameDayFullWorkWrites = full.work.writes - (full.work.writesScoreOnly ?? 0);
    result.sameBands = changed === 0 && full.run.totals.tasksCreated === 0 && touches === 0;
  }
  return result;
}

const params = RowParamsSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
row(params).then(
  (r) => process.send?.({ type: 'result', result: r }, () => process.exit(0)),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
