/**
 * A day's work that fits the team (issue 14, reliability case 28), end to end on the local CRM server:
 * thirty daily sweeps. Every piece of human work the rules want is created, waiting in the company's
 * backlog, or reported as no longer needed, and every digital touch reported is in a ledger once — nothing lost, nothing twice; each CSM gets at most their
 * capacity plus their urgent tasks, nobody off gets a task, no task is due on a day its owner does not
 * work, and the backlog drains once capacity exceeds the inflow.
 */
import { configVersion, defaultConfig, isoWeekdayIndex, utcDay, WEEKDAYS, workOfKey, type Config, type PoolMember } from '../core';
import { SimClock, startLocalCrm, type LocalCrm } from '../emulator';
import { createHubSpotCrm } from '../hubspot';
import { silentLogger, type AppDeps } from './deps';
import { runSweep, type SweepReport } from './sweep';
import { memorySweepStateStore } from './sweep-state';

const DAY = 86_400_000;
const START = Date.UTC(2026, 10, 30, 9, 0, 0); // a Monday

function depsAt(local: LocalCrm, config: Config, ms: number): AppDeps {
  const crm = createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock: local.clock as SimClock, timeoutMs: 0 });
  return { crm, config, configVersion: configVersion(config), now: () => new Date(ms), log: silentLogger };
}

interface TaskRow {
  key: string;
  owner: string | null;
  dueDay: number;
  createdMs: number;
  status: string;
}

function tasks(local: LocalCrm): TaskRow[] {
  const out: TaskRow[] = [];
  for (const t of local.store.objects.tasks.values()) {
    const key = /Idempotency key:\s*(\S+)/.exec(t.props.hs_task_body ?? '')?.[1];
    if (!key) continue;
    out.push({ key, owner: t.props.hubspot_owner_id ?? null, dueDay: utcDay(Date.parse(t.props.hs_timestamp ?? '')), createdMs: t.createdAt, status: t.props.hs_task_status ?? '' });
  }
  return out;
}

/** Company id → backlog entries (`key@since`). */
function backlogs(local: LocalCrm): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of local.store.objects.companies.values()) {
    const raw = c.props.cs_playbook_backlog ?? '';
    const entries = raw.split('\n').filter((e) => e.trim().length > 0);
    if (entries.length > 0) out.set(String(c.id), entries);
  }
  return out;
}

const keyOf = (entry: string) => entry.slice(0, entry.lastIndexOf('@'));

/** Digital touch keys in the companies' ledgers: key → company id (a key in two entries counts twice). */
function digitalTouches(local: LocalCrm): { keys: Map<string, string>; entries: number } {
  const keys = new Map<string, string>();
  let entries = 0;
  for (const c of local.store.objects.companies.values()) {
    for (const e of (c.props.cs_playbook_ledger ?? '').split('\n')) {
      if (!e.includes('-digital:')) continue;
      entries++;
      keys.set(keyOf(e), String(c.id));
    }
  }
  return { keys, entries };
}
const companyOf = (key: string) => key.split(':')[1] ?? '';

function worksOn(m: PoolMember, day: number): boolean {
  if (m.coverageDays.length > 0 && !m.coverageDays.includes(WEEKDAYS[isoWeekdayIndex(day)] ?? 'mon')) return false;
  return !m.outOfOffice.some((o) => utcDay(Date.parse(o.from)) <= day && day <= utcDay(Date.parse(o.to)));
}

describe('thirty days of daily sweeps with capacity below the inflow (case 28)', () => {
  let local: LocalCrm;
  afterAll(async () => {
    await local?.stop();
  });

  test('nothing lost, nothing twice; capacity, working days and due dates hold; the backlog drains', async () => {
    const clock = new SimClock(START);
    local = await startLocalCrm({ dir: false, clock, rateLimits: false, seed: { seed: 3, companies: 500, csms: 5, now: START } });
    const config = defaultConfig();
    config.pool = local.store.meta['poolConfig'] as Config['pool'];
    config.workload.tasksPerDay = 3;
    await createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock }).installProperties();
    const owners = new Map((await depsAt(local, config, START).crm.listOwners()).map((o) => [o.id, o]));
    const store = memorySweepStateStore();
    const backlogSizes: number[] = [];
    let prevBacklog = new Map<string, string[]>();
    let sawBacklog = false;
    let touchesSeen = 0;

    for (let d = 0; d < 30; d++) {
      const ms = START + d * DAY;
      const day = utcDay(ms);
      // From day 15 the team has more room than the inflow.
      if (d === 15) config.workload.tasksPerDay = 25;
      clock.set(ms);
      const before = new Set(tasks(local).map((t) => t.key));
      const touchedBefore = digitalTouches(local).keys;
      const report: SweepReport = await runSweep(depsAt(local, config, ms), { store, mode: 'full' });
      expect(report.status).toBe('complete');
      const all = tasks(local);

      // Nothing twice: every key once in HubSpot; nothing both created and waiting.
      const counts = new Map<string, number>();
      for (const t of all) counts.set(t.key, (counts.get(t.key) ?? 0) + 1);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      const now = backlogs(local);
      for (const entries of now.values()) for (const e of entries) expect(counts.has(keyOf(e))).toBe(false);

      // Nothing lost: each entry waiting yesterday was created today (same work), still waits, or is reported no longer needed.
      const createdToday = all.filter((t) => !before.has(t.key));
      const createdWork = new Set(createdToday.map((t) => `${companyOf(t.key)}|${workOfKey(t.key)}`));
      let gone = 0;
      for (const [id, entries] of prevBacklog) {
        const still = new Set((now.get(id) ?? []).map((e) => workOfKey(keyOf(e))));
        for (const e of entries) {
          const work = workOfKey(keyOf(e));
          if (!still.has(work) && !createdWork.has(`${id}|${work}`)) gone++;
        }
      }
      expect(gone).toBe(report.workload.noLongerNeeded);

      // Capacity: each CSM at most their capacity today plus their urgent tasks; nobody off gets a task;
      // due dates fall on the owner's working days.
      for (const m of config.pool.members) {
        const mine = createdToday.filter((t) => t.owner === m.ownerId);
        const allowed = report.workload.capacity[m.ownerId] ?? 0;
        expect(mine.length).toBeLessThanOrEqual(allowed + config.workload.urgent.maxExtraPerCsm);
        const usable = owners.get(m.ownerId)?.active === true;
        if (!worksOn(m, day) || !usable) expect(mine).toHaveLength(0);
        for (const t of mine) expect(worksOn(m, t.dueDay)).toBe(true);
      }
      expect(report.workload.created).toBe(createdToday.length);

      // Touched digitally: every touch the run reports is a new key in a ledger, once, with the company's touch written today.
      const touched = digitalTouches(local);
      expect(touched.entries).toBe(touched.keys.size);
      const newTouches = [...touched.keys].filter(([k]) => !touchedBefore.has(k));
      expect(newTouches).toHaveLength(report.workload.digital.created);
      touchesSeen += newTouches.length;
      for (const [, id] of newTouches) expect(local.store.get('companies', Number(id))?.props.cs_digital_touch_at).toBe(new Date(ms).toISOString());
      const waiting = [...now.values()].reduce((n, e) => n + e.length, 0);
      expect(report.workload.backlog.count).toBe(waiting);
      backlogSizes.push(waiting);
      if (waiting > 0) sawBacklog = true;

      // The CSMs close about a third of their open tasks each day (001 §8.3: 30–40% completion).
      let i = 0;
      for (const t of local.store.objects.tasks.values()) if (t.props.hs_task_status !== 'COMPLETED' && i++ % 3 === 0) t.props.hs_task_status = 'COMPLETED';
      prevBacklog = now;
    }

    expect(sawBacklog).toBe(true);
    expect(touchesSeen).toBeGreaterThan(0);
    // Capacity below the inflow builds a backlog; above it, the backlog drains.
    const peak = Math.max(...backlogSizes.slice(0, 15));
    expect(peak).toBeGreaterThan(0);
    expect(backlogSizes[29]).toBeLessThan(peak / 2);
    console.log(`backlog per day: ${backlogSizes.join(' ')}`);
  }, 300_000);
});

describe('two sweeps the same day', () => {
  let local: LocalCrm;
  afterAll(async () => {
    await local?.stop();
  });

  test('a CSM at maxOpenTasks gets at most the urgent allowance that day, however many runs: a second run gives nothing more', async () => {
    const clock = new SimClock(START);
    local = await startLocalCrm({ dir: false, clock, rateLimits: false, seed: { seed: 3, companies: 500, csms: 5, now: START } });
    const config = defaultConfig();
    config.pool = local.store.meta['poolConfig'] as Config['pool'];
    config.workload.tasksPerDay = 3;
    config.workload.maxOpenTasks = 6;
    await createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock }).installProperties();
    const store = memorySweepStateStore();
    const openBy = () => {
      const out = new Map<string, number>();
      for (const t of tasks(local)) if (t.status !== 'COMPLETED' && t.owner) out.set(t.owner, (out.get(t.owner) ?? 0) + 1);
      return out;
    };
    // Day 0 fills the CSMs to their limit; day 1 starts with them at it.
    clock.set(START);
    await runSweep(depsAt(local, config, START), { store, mode: 'full' });
    const ms = START + DAY;
    const openAtStart = openBy();
    const before = new Set(tasks(local).map((t) => t.key));
    const runs: SweepReport[] = [];
    for (const at of [ms, ms + 3_600_000]) {
      clock.set(at);
      runs.push(await runSweep(depsAt(local, config, at), { store, mode: 'full' }));
    }
    const [first, second] = runs as [SweepReport, SweepReport];
    // The first run of the day gave urgent work over capacity (so the allowance was used).
    expect(first.workload.urgentOverCapacity).toBeGreaterThan(0);
    const createdDay1 = tasks(local).filter((t) => !before.has(t.key));
    for (const m of config.pool.members) {
      const mine = createdDay1.filter((t) => t.owner === m.ownerId).length;
      const dayCapacity = Math.max(0, Math.min(config.workload.tasksPerDay, config.workload.maxOpenTasks - (openAtStart.get(m.ownerId) ?? 0)));
      expect({ owner: m.ownerId, mine: mine <= dayCapacity + config.workload.urgent.maxExtraPerCsm }).toEqual({ owner: m.ownerId, mine: true });
    }
    // Every CSM the first run gave its allowance to got nothing from the second.
    for (const [owner, n] of Object.entries(first.workload.byOwner)) {
      if (n >= config.workload.urgent.maxExtraPerCsm && (openAtStart.get(owner) ?? 0) >= config.workload.maxOpenTasks) expect(second.workload.byOwner[owner] ?? 0).toBe(0);
    }
  }, 120_000);
});
