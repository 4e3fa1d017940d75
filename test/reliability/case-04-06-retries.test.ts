/**
 * Reliability cases 4–6: 5xx on reads, 5xx / timeouts after a create was sent, network errors and
 * timeouts on reads — against the local CRM server's injected faults on a simulated clock.
 */
import { runSweep, memorySweepStateStore } from '../../src/app';
import { HubSpotApiError } from '../../src/hubspot';
import { companyIds, duplicates, NOW, RecordingClock, startStack, taskKeyCounts, type Stack } from './stack';

const READ = 'POST /crm/v3/objects/companies/batch/read';
const CREATE = 'POST /crm/v3/objects/tasks/batch/create';
const TASK_ASSOC = 'POST /crm/v4/associations/companies/tasks/batch/read';

let stacks: Stack[] = [];
afterEach(async () => {
  await Promise.all(stacks.map((s) => s.stop()));
  stacks = [];
});
async function stack(...args: Parameters<typeof startStack>): Promise<Stack> {
  const s = await startStack(...args);
  stacks.push(s);
  return s;
}

test('case 4: 5xx on a read — retried with jittered back-off, bounded', async () => {
  // Jitter: the random source is recorded, so each wait is checked against "half fixed, half random".
  const randoms: number[] = [];
  let seed = 0.13;
  const random = () => {
    seed = (seed * 9301 + 0.49297) % 1;
    randoms.push(seed);
    return seed;
  };
  const clock = new RecordingClock(NOW);
  const s = await stack({ clock, companies: 50, client: { random } });
  const ids = companyIds(s.local).slice(0, 10);
  s.local.faults.add({ match: { pathPrefix: '/crm/v3/objects/companies/batch/read' }, respond: 503, times: 2 }).add({ match: { pathPrefix: '/crm/v3/objects/companies/batch/read' }, respond: 500, times: 1 });
  const read = await s.crm.readCompanies(ids);
  expect(read.accounts.map((a) => a.id).sort()).toEqual([...ids].sort());
  expect(read.missing).toEqual([]);
  expect(s.local.counters.get(READ)).toBe(4);
  // waits: base 500 ms doubling, each in [ceiling/2, ceiling] and = ceiling/2 + r × ceiling/2
  expect(clock.waits).toHaveLength(3);
  clock.waits.forEach((w, i) => {
    const ceiling = 500 * 2 ** i;
    expect(w).toBe(Math.round(ceiling / 2 + (randoms[i] as number) * (ceiling / 2)));
    expect(w).toBeGreaterThanOrEqual(ceiling / 2);
    expect(w).toBeLessThanOrEqual(ceiling);
  });
  expect(new Set(clock.waits.map((w, i) => w / (500 * 2 ** i))).size).toBeGreaterThan(1); // not a fixed schedule

  // Bounded: a read that always fails gives up after 1 + maxRetries (4) attempts with the server error.
  s.local.counters.reset();
  s.local.faults.add({ match: { pathPrefix: '/crm/v3/objects/companies/batch/read' }, respond: 502, times: Infinity });
  const error = await s.crm.readCompanies(ids).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HubSpotApiError);
  expect(error).toMatchObject({ kind: 'server', status: 502 });
  expect((error as Error).message).toMatch(/HubSpot server error 502/);
  expect(s.local.counters.get(READ)).toBe(5);
});

test('case 5: 5xx or timeout after a create was sent — never blindly re-POSTed; reconciled (look up by key) before any retry', async () => {
  // (a) Through the sweep: the first task batch/create is applied, then answered 502 (answer lost).
  const a = await stack({ companies: 300, server: { logRequests: true } });
  a.local.faults.add({ match: { method: 'POST', pathPrefix: '/crm/v3/objects/tasks/batch/create' }, respond: 502, afterApply: true, times: 1 });
  const report = await runSweep(a.deps, { store: memorySweepStateStore(), unitSize: 1000 });
  expect(report.status).toBe('complete');
  expect(report.run.totals.failures).toBe(0);
  const keys = taskKeyCounts(a.local);
  expect(keys.size).toBeGreaterThan(100);
  expect(duplicates(keys)).toEqual([]);
  expect(a.local.store.count('tasks')).toBe(keys.size);
  // After the faulted create comes the reconciliation read (the other chunks' creates, sent alongside
  // it, may finish first); never another create of the same tasks (no duplicate, counted below).
  const log = a.local.log;
  const faulted = log.findIndex((e) => e.route === CREATE && e.fault);
  expect(log[faulted]?.status).toBe(502);
  expect(log.slice(faulted + 1).some((e) => e.route === TASK_ASSOC)).toBe(true);
  // Every task was sent exactly once: creates carry ≤ 100 inputs, so calls = ceil(tasks / 100).
  expect(log.filter((e) => e.route === CREATE)).toHaveLength(Math.ceil(keys.size / 100));

  // (b) 503 *before* applying: reconcile finds nothing, then the same tasks are created once.
  const b = await stack({ companies: 300, server: { logRequests: true } });
  b.local.faults.add({ match: { method: 'POST', pathPrefix: '/crm/v3/objects/tasks/batch/create' }, respond: 503, times: 1 });
  const rb = await runSweep(b.deps, { store: memorySweepStateStore(), unitSize: 1000 });
  expect(rb.status).toBe('complete');
  const kb = taskKeyCounts(b.local);
  expect(duplicates(kb)).toEqual([]);
  expect([...kb.keys()].sort()).toEqual([...keys.keys()].sort()); // the same tasks as (a), nothing lost
  const fb = b.local.log.findIndex((e) => e.route === CREATE && e.fault);
  expect(b.local.log.slice(fb + 1).some((e) => e.route === TASK_ASSOC)).toBe(true);

  // (c) A timeout (connection dropped after the write was applied): the client times out, reconciles, no duplicate.
  // (A create is given twice the timeout, so a busy test process does not turn this into case (d).)
  const c = await stack({ companies: 300, server: { logRequests: true }, client: { timeoutMs: 200 } });
  c.local.faults.add({ match: { method: 'POST', pathPrefix: '/crm/v3/objects/tasks/batch/create' }, respond: 'timeout', holdMs: 20, afterApply: true, times: 1 });
  const rc = await runSweep(c.deps, { store: memorySweepStateStore(), unitSize: 1000 });
  expect(rc.status).toBe('complete');
  const kc = taskKeyCounts(c.local);
  expect(duplicates(kc)).toEqual([]);
  expect([...kc.keys()].sort()).toEqual([...keys.keys()].sort());
  expect(c.local.log.filter((e) => e.route === CREATE)).toHaveLength(Math.ceil(kc.size / 100));

  // (d) The connection drops *before* HubSpot has applied the create, which lands 2 s later: the
  // reconcile waits the settle time (5 s by default) before reading, so it finds the tasks and
  // creates nothing again.
  const lateFault = { match: { method: 'POST', pathPrefix: '/crm/v3/objects/tasks/batch/create' }, respond: 'reset', afterApply: true, applyAfterMs: 2000, times: 1 } as const;
  const d = await stack({ companies: 300, server: { logRequests: true } });
  d.local.faults.add(lateFault);
  const rd = await runSweep(d.deps, { store: memorySweepStateStore(), unitSize: 1000 });
  expect(rd.status).toBe('complete');
  expect(rd.run.totals.failures).toBe(0);
  d.clock.advance(2000);
  await d.crm.readCompanies(companyIds(d.local).slice(0, 1)); // any create still held lands now
  const kd = taskKeyCounts(d.local);
  expect(duplicates(kd)).toEqual([]);
  expect([...kd.keys()].sort()).toEqual([...keys.keys()].sort());
  expect(d.local.log.filter((e) => e.route === CREATE)).toHaveLength(Math.ceil(kd.size / 100));
  const fd = d.local.log.findIndex((e) => e.route === CREATE && e.fault);
  const reconcile = d.local.log.slice(fd + 1).find((e) => e.route === TASK_ASSOC);
  expect(reconcile?.at).toBeGreaterThanOrEqual((d.local.log[fd]?.at ?? Infinity) + 5000);

  // The same race with no settle time: the reconcile reads before the create lands, and the chunk
  // is created twice (100 duplicates): what the settle time is there to prevent.
  const e = await stack({ companies: 300, server: { logRequests: true }, client: { uncertainSettleMs: 0 } });
  e.local.faults.add(lateFault);
  await runSweep(e.deps, { store: memorySweepStateStore(), unitSize: 1000 });
  e.clock.advance(2000);
  await e.crm.readCompanies(companyIds(e.local).slice(0, 1)); // any request once the create is due lets it land
  expect(duplicates(taskKeyCounts(e.local))).toHaveLength(100);
});

test('case 6: network error / timeout on a read — retried, bounded, then a clear error', async () => {
  const s = await stack({ companies: 450, server: { logRequests: true }, client: { timeoutMs: 100 } });
  // Two resets and one held connection (client timeout) on search pages: the iteration still sees every company once.
  s.local.faults
    .add({ match: { pathPrefix: '/crm/v3/objects/companies/search' }, respond: 'reset', skip: 1, times: 2 })
    .add({ match: { pathPrefix: '/crm/v3/objects/companies/search' }, respond: 'timeout', holdMs: 1000, skip: 1, times: 1 });
  const seen: string[] = [];
  for await (const page of s.crm.iterateCompanies({})) seen.push(...page.accounts.map((a) => a.id));
  expect(seen).toHaveLength(450);
  expect(new Set(seen).size).toBe(450);
  expect(s.local.log.filter((e) => e.route === 'POST /crm/v3/objects/companies/search').map((e) => e.status)).toEqual([200, 'reset', 'reset', 'timeout', 200, 200]);
  expect(s.crm.stats().retries).toBe(3);

  // Bounded: an owner read whose connection always resets fails after 5 attempts with a clear network error.
  s.local.faults.add({ match: { pathPrefix: '/crm/v3/owners' }, respond: 'reset', times: Infinity });
  const error = await s.crm.listOwners().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ kind: 'network', retryable: true });
  expect((error as Error).message).toMatch(/^Network error calling HubSpot \(GET \/crm\/v3\/owners\)/);
  expect(s.local.log.filter((e) => e.route === 'GET /crm/v3/owners')).toHaveLength(5);
});
