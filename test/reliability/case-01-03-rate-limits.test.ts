/**
 * Reliability cases 1–3: HubSpot's 10-second burst limit, the daily limit and the search limit,
 * against the local CRM server's real rate limiter and injected 429s, on one simulated clock.
 */
import { runSweep, memorySweepStateStore } from '../../src/app';
import { LIMITS } from '../../src/hubspot';
import { companyIds, duplicates, maxPerWindow, NOW, RecordingClock, startStack, taskKeyCounts, type Stack } from './stack';

const UPDATE = 'POST /crm/v3/objects/companies/batch/update';
const SEARCH = 'POST /crm/v3/objects/companies/search';

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

test('case 1: burst of 429 (10-second limit) with Retry-After — waits as told, finishes, never more than the limit per window', async () => {
  // (a) Three injected 429s with Retry-After: 2 s on a batch update: the client waits exactly 2 s each time, then finishes.
  const clock = new RecordingClock(NOW);
  const a = await stack({ clock, companies: 120, server: { logRequests: true } });
  a.local.faults.add({ match: { pathPrefix: '/crm/v3/objects/companies/batch/update' }, respond: 429, retryAfterSeconds: 2, times: 3 });
  const ids = companyIds(a.local).slice(0, 50);
  const res = await a.crm.updateCompanies(ids.map((id) => ({ id, properties: { cs_health_summary: 'after burst' } })));
  expect(res).toEqual({ ok: expect.arrayContaining(ids), failed: [] });
  expect(res.ok).toHaveLength(50);
  expect(clock.waits).toEqual([2000, 2000, 2000]);
  expect(a.local.counters.get(UPDATE)).toBe(4); // 3 × 429, then the one that succeeded
  expect(a.local.counters.rateLimited.TEN_SECONDLY_ROLLING).toBe(3);
  expect(a.crm.stats()).toMatchObject({ retries: 3, rateLimited10s: 3 });
  for (const id of ids) expect(a.local.store.get('companies', Number(id))?.props.cs_health_summary).toBe('after burst');

  // (b) A client paced at the portal's limit (20 / 10 s) runs a whole sweep: no 429 at all, and no
  //     rolling 10 s window holds more than 20 accepted non-search requests.
  //     One request at a time here: this test clock jumps on every wait, so only a serial client's
  //     send instants are the server's arrival instants (bench/sim-clock.ts covers requests in flight).
  const b = await stack({ companies: 1200, server: { rateLimits: { max: 20 }, logRequests: true }, client: { limits: { perTenSeconds: 20 }, maxInFlight: 1 } });
  const report = await runSweep(b.deps, { store: memorySweepStateStore(), unitSize: 200, clockMs: () => b.clock.now() });
  expect(report.status).toBe('complete');
  expect(report.run.totals.accounts).toBe(1200);
  expect(b.local.counters.rateLimited.TEN_SECONDLY_ROLLING).toBe(0);
  // Every search route (companies, open tickets) is exempt from the 10 s window, as at HubSpot.
  const accepted = b.local.log.filter((e) => !e.route.endsWith('/search') && e.status !== 429).map((e) => e.at);
  expect(accepted.length).toBeGreaterThan(20); // more than one window's worth
  expect(maxPerWindow(accepted, 10_000)).toBeLessThanOrEqual(20);

  // (c) A client that believes the limit is 190 against a portal at 20: the server answers 429 with
  //     Retry-After, the client waits as told and the sweep still finishes, with no duplicate task.
  const clockC = new RecordingClock(NOW);
  //     (2,000 companies: enough non-search calls to pass 20 in a window; searches are exempt.)
  const c = await stack({ clock: clockC, companies: 2000, server: { rateLimits: { max: 20 }, logRequests: true }, client: { limits: { perTenSeconds: 190 } } });
  const reportC = await runSweep(c.deps, { store: memorySweepStateStore(), unitSize: 200, clockMs: () => c.clock.now() });
  expect(reportC.status).toBe('complete');
  expect(reportC.run.totals.accounts).toBe(2000);
  const limited = c.local.counters.rateLimited.TEN_SECONDLY_ROLLING;
  expect(limited).toBeGreaterThan(0);
  // The client counts every 429 that is not the daily one, by its policy: 10-second, and search's per-second.
  expect(c.crm.stats().rateLimited10s).toBe(limited);
  expect(c.crm.stats().rateLimitedSecondly ?? 0).toBe(c.local.counters.rateLimited.SECONDLY);
  // Every 429 wait is a Retry-After in whole seconds (the server's header), never a guess.
  const retryWaits = clockC.waits.filter((w) => w >= 1000);
  expect(retryWaits.length).toBeGreaterThanOrEqual(limited);
  for (const w of retryWaits) expect(w % 1000).toBe(0);
  const acceptedC = c.local.log.filter((e) => !e.route.endsWith('/search') && e.status !== 429).map((e) => e.at);
  expect(maxPerWindow(acceptedC, 10_000)).toBeLessThanOrEqual(20);
  expect(duplicates(taskKeyCounts(c.local))).toEqual([]);
});

test('case 2: 429 for the daily limit — no retry today; the run stops cleanly and reports what is left (resumable)', async () => {
  // A first measurement tells how many calls a full sweep needs; the daily limit is set to about half.
  const probe = await stack({ companies: 600 });
  await runSweep(probe.deps, { store: memorySweepStateStore(), unitSize: 200 });
  const needed = probe.local.counters.total;

  const clock = new RecordingClock(NOW);
  // Requests in flight on this test clock, which jumps on every wait: a search can reach the server
  // long after its send, so the pacer counts searches until their answer from the start (its rule
  // after a refusal; the send + margin rule is covered by pacer.test.ts and the bench's event clock).
  const s = await stack({ clock, companies: 600, server: { logRequests: true }, client: { limits: { searchUntilAnswer: true } } });
  const limiter = s.local.rateLimiter;
  if (!limiter) throw new Error('rate limiter off');
  limiter.config.daily = limiter.dailyUsed(s.local.token) + Math.floor(needed / 2);
  const store = memorySweepStateStore();
  const first = await runSweep(s.deps, { store, unitSize: 200 });
  expect(first.status).toBe('daily_limit');
  expect(first.message).toMatch(/daily API limit/);
  expect(first.run.totals.accounts).toBeGreaterThan(0);
  expect(first.run.totals.accounts).toBeLessThan(600);
  // DAILY 429s (one per request in flight when the limit was reached) and no retry of any: the
  // last request sent is such a 429, no wait for it.
  expect(s.local.counters.rateLimited.DAILY).toBeGreaterThanOrEqual(1);
  expect(s.local.counters.rateLimited.DAILY).toBeLessThanOrEqual(LIMITS.maxInFlight);
  expect(s.local.log[s.local.log.length - 1]?.status).toBe(429);
  // No retry at all: the daily 429 is not retried, and the pacer lets no search exceed HubSpot's
  // per-second limit even with searches in flight (zero SECONDLY 429s).
  expect(s.local.counters.rateLimited.SECONDLY).toBe(0);
  expect(first.stats.retries).toBe(0);
  const dailyAt = s.local.log.findIndex((l) => l.status === 429 && !l.path.endsWith('/search'));
  expect(s.local.log.slice(dailyAt + 1).filter((l) => !l.path.endsWith('/search') && l.status !== 429)).toEqual([]);
  expect(clock.waits.every((w) => w < 1000)).toBe(true); // only pacer spacing, no Retry-After wait
  const saved = store.current();
  expect(saved.inProgress?.cursor).toMatch(/^gt:\d+$/);
  expect(saved.inProgress?.totals.accounts).toBe(first.run.totals.accounts);

  // The rerun after midnight (UTC) continues from the saved cursor to completion.
  s.clock.set(Date.UTC(2026, 10, 24, 0, 0, 1));
  const requestsBefore = s.local.counters.get(SEARCH);
  const second = await runSweep(s.deps, { store, unitSize: 200 });
  expect(second.status).toBe('complete');
  expect(second.resumed).toBe(true);
  expect(second.run.totals.accounts).toBe(600);
  // The resumed search starts above the cursor (it does not read the first part again).
  expect(s.local.counters.get(SEARCH) - requestsBefore).toBeLessThan(needed);
  expect(store.current().inProgress).toBeNull();
  for (const c of s.local.store.objects.companies.values()) expect(c.props.cs_config_version).toBe(s.deps.configVersion);
  expect(duplicates(taskKeyCounts(s.local))).toEqual([]);
});

test('case 3: search at > 5 req/s — the client paces search below 5/s; 429s on search are retried', async () => {
  const s = await stack({ companies: 3000, server: { logRequests: true } });
  s.local.faults.add({ match: { pathPrefix: '/crm/v3/objects/companies/search' }, respond: 429, policyName: 'SECONDLY', retryAfterSeconds: 1, skip: 2, times: 1 });
  // Three back-to-back iterations of 15 pages each: the client would search as fast as it can.
  let n = 0;
  for (let round = 0; round < 3; round++) for await (const page of s.crm.iterateCompanies({})) n += page.accounts.length;
  expect(n).toBe(9000);
  const searches = s.local.log.filter((e) => e.route === SEARCH);
  expect(searches).toHaveLength(3 * 15 + 1);
  expect(searches.filter((e) => e.status === 429)).toHaveLength(1); // the injected one only
  expect(s.local.counters.rateLimited.SECONDLY).toBe(1);
  const times = searches.filter((e) => !e.fault).map((e) => e.at);
  expect(maxPerWindow(times, 1000)).toBeLessThanOrEqual(5); // HubSpot's limit, never exceeded
  // and the sustained rate stays below 5/s (the pacer aims at 4.5/s)
  const spanS = ((times[times.length - 1] as number) - (times[0] as number)) / 1000;
  expect((times.length - 1) / spanS).toBeLessThan(5);
  expect(s.crm.stats()).toMatchObject({ retries: 1, rateLimited10s: 0, rateLimitedSecondly: 1 });
});
