/**
 * Reliability case 20: a Retry-After longer than the time left in a 15 s function call — the sweep
 * defers with its cursor instead of waiting (and being killed mid-write); the next call resumes.
 */
import { FUNCTION_CLIENT_BUDGET, runSweep, memorySweepStateStore } from '../../src/app';
import { duplicates, NOW, RecordingClock, startStack, taskKeyCounts, type Stack } from './stack';

let s: Stack;
afterEach(() => s.stop());

const UPDATE = 'POST /crm/v3/objects/companies/batch/update';

test('case 20: Retry-After longer than the time left (15 s function budget) — the work is deferred with a cursor, not timed out mid-write', async () => {
  const clock = new RecordingClock(NOW);
  s = await startStack({ clock, companies: 600, server: { logRequests: true }, client: { ...FUNCTION_CLIENT_BUDGET, timeoutMs: 0 } });
  // The second unit's batch update is answered 429 with Retry-After: 30 s (> the 4 s the budget allows).
  s.local.faults.add({ match: { pathPrefix: '/crm/v3/objects/companies/batch/update' }, respond: 429, retryAfterSeconds: 30, skip: 2, times: 1 });
  const store = memorySweepStateStore();
  const started = clock.now();
  const first = await runSweep(s.deps, { store, unitSize: 200, deadlineMs: started + 15_000, clockMs: () => clock.now() });
  expect(first.status).toBe('deferred');
  expect(first.message).toMatch(/wait 30 s, longer than the time left: deferred with the saved cursor/);
  // It did not wait: no single wait reached the budget, and the whole call stayed well inside 15 s.
  expect(Math.max(...clock.waits, 0)).toBeLessThan(FUNCTION_CLIENT_BUDGET.maxWaitMs);
  expect(clock.now() - started).toBeLessThan(15_000);
  // The 429 was not retried: the first unit's two updates, then the second unit's two (sent
  // together), one of them the 429, and no update after that.
  const updates = s.local.log.filter((e) => e.route === UPDATE);
  expect(updates.filter((e) => e.status === 429)).toEqual([expect.objectContaining({ route: UPDATE, status: 429, fault: true })]);
  expect(updates).toHaveLength(4);
  // The saved cursor is the end of the last *completed* unit: the deferred unit is redone next time.
  const saved = store.current().inProgress;
  expect(saved?.chunks).toBe(1);
  expect(saved?.totals.accounts).toBe(200);
  expect(saved?.cursor).toMatch(/^gt:\d+$/);

  // The next call, after the Retry-After, resumes from the cursor and completes with nothing duplicated or lost.
  clock.advance(30_000);
  const second = await runSweep(s.deps, { store, unitSize: 200, deadlineMs: clock.now() + 15_000, clockMs: () => clock.now() });
  expect(second.resumed).toBe(true);
  expect(['complete', 'paused']).toContain(second.status);
  let report = second;
  for (let i = 0; report.status === 'paused' && i < 10; i++) report = await runSweep(s.deps, { store, unitSize: 200, deadlineMs: clock.now() + 15_000, clockMs: () => clock.now() });
  expect(report.status).toBe('complete');
  expect(report.run.totals.accounts).toBe(600);
  expect(duplicates(taskKeyCounts(s.local))).toEqual([]);
  for (const c of s.local.store.objects.companies.values()) expect(c.props.cs_config_version).toBe(s.deps.configVersion);
});
