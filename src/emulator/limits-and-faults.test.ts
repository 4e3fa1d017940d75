import { SimClock } from '../platform/clock';
import { startLocalCrm, type LocalCrm } from './server';
import { call, clientFor, rec } from './test-helpers';
import { CrmStore } from './store';

const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);

function smallStore(n = 5): CrmStore {
  const s = new CrmStore();
  for (let i = 0; i < n; i++) s.insertRaw('companies', { name: `Co ${i}` }, NOW - 1000);
  return s;
}

describe('rate limits on a simulated clock', () => {
  let crm: LocalCrm;
  let clock: SimClock;
  beforeEach(async () => {
    clock = new SimClock(NOW);
    crm = await startLocalCrm({ dir: false, clock, store: smallStore(), rateLimits: { max: 190, daily: 400 } });
  });
  afterEach(() => crm.stop());

  it('allows 190 requests per rolling 10 s, then answers 429 TEN_SECONDLY_ROLLING with Retry-After and rate headers', async () => {
    for (let i = 0; i < 190; i++) {
      const ok = await call(crm, 'GET', '/crm/v3/objects/companies?limit=1');
      expect(ok.status).toBe(200);
      if (i === 0) {
        expect(ok.headers.get('x-hubspot-ratelimit-max')).toBe('190');
        expect(ok.headers.get('x-hubspot-ratelimit-remaining')).toBe('189');
        expect(ok.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
        expect(ok.headers.get('x-hubspot-ratelimit-daily')).toBe('400');
      }
      clock.advance(10); // 190 requests over 1.9 s
    }
    const limited = await call(crm, 'GET', '/crm/v3/objects/companies?limit=1');
    expect(limited.status).toBe(429);
    expect(rec(limited.body)).toMatchObject({ status: 'error', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' });
    expect(limited.headers.get('retry-after')).toBe('9'); // the first request leaves the window 8.1 s later
    expect(limited.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    expect(crm.counters.rateLimited.TEN_SECONDLY_ROLLING).toBe(1);
    await clock.sleep(8100);
    expect((await call(crm, 'GET', '/crm/v3/objects/companies?limit=1')).status).toBe(200);
    expect(clock.sleptMs).toBe(8100);
  });

  it('limits search to 5 per second (search does not count toward the 10-second window)', async () => {
    const c = clientFor(crm);
    for (let i = 0; i < 5; i++) await c.crm.companies.searchApi.doSearch({ limit: 1 });
    const limited = await call(crm, 'POST', '/crm/v3/objects/companies/search', { limit: 1 });
    expect(limited.status).toBe(429);
    expect(rec(limited.body).policyName).toBe('SECONDLY');
    expect(limited.headers.get('retry-after')).toBe('1');
    await expect(c.crm.companies.searchApi.doSearch({ limit: 1 })).rejects.toMatchObject({ code: 429 });
    clock.advance(1000);
    expect((await call(crm, 'POST', '/crm/v3/objects/companies/search', { limit: 1 })).status).toBe(200);
    const list = await call(crm, 'GET', '/crm/v3/objects/companies?limit=1');
    expect(list.headers.get('x-hubspot-ratelimit-remaining')).toBe('189');
  });

  it('answers 429 DAILY once the daily limit is used, with Retry-After until the next UTC midnight', async () => {
    for (let i = 0; i < 400; i++) {
      expect((await call(crm, 'GET', '/crm/v3/owners')).status).toBe(200);
      clock.advance(100);
    }
    const limited = await call(crm, 'GET', '/crm/v3/owners');
    expect(limited.status).toBe(429);
    expect(rec(limited.body)).toMatchObject({ policyName: 'DAILY', message: 'You have reached your daily limit.' });
    const nextMidnight = Date.UTC(2026, 10, 24);
    expect(Number(limited.headers.get('retry-after'))).toBe(Math.ceil((nextMidnight - clock.now()) / 1000));
    expect(crm.counters.rateLimited.DAILY).toBe(1);
    clock.set(nextMidnight);
    expect((await call(crm, 'GET', '/crm/v3/owners')).status).toBe(200);
  });
});

describe('fault injection', () => {
  let crm: LocalCrm;
  let clock: SimClock;
  beforeEach(async () => {
    clock = new SimClock(NOW);
    crm = await startLocalCrm({ dir: false, clock, store: smallStore(), rateLimits: false, logRequests: true });
  });
  afterEach(() => crm.stop());

  const task = (i: number) => ({ properties: { hs_task_subject: `T${i}`, hs_timestamp: '2026-11-30T09:00:00Z' } });

  it('applies a create and then answers 502 when afterApply is set (the answer is lost)', async () => {
    crm.faults.add({ match: { method: 'POST', pathPrefix: '/crm/v3/objects/tasks/batch/create' }, respond: 502, afterApply: true });
    const res = await call(crm, 'POST', '/crm/v3/objects/tasks/batch/create', { inputs: [task(1), task(2)] });
    expect(res.status).toBe(502);
    expect(crm.store.count('tasks')).toBe(2);
    // The next identical call is not faulted: a blind retry would duplicate.
    expect((await call(crm, 'POST', '/crm/v3/objects/tasks/batch/create', { inputs: [task(1)] })).status).toBe(201);
    expect(crm.store.count('tasks')).toBe(3);
    expect(crm.faults.injected).toEqual([{ method: 'POST', path: '/crm/v3/objects/tasks/batch/create', respond: 502, afterApply: true }]);
  });

  it('answers 500 without applying the write by default, for `times` requests, after `skip`', async () => {
    crm.faults.add({ match: { pathPrefix: '/crm/v3/objects/tasks' }, respond: 500, times: 2, skip: 1 });
    expect((await call(crm, 'POST', '/crm/v3/objects/tasks/batch/create', { inputs: [task(1)] })).status).toBe(201);
    expect((await call(crm, 'POST', '/crm/v3/objects/tasks/batch/create', { inputs: [task(2)] })).status).toBe(500);
    expect((await call(crm, 'POST', '/crm/v3/objects/tasks/batch/create', { inputs: [task(3)] })).status).toBe(500);
    expect((await call(crm, 'POST', '/crm/v3/objects/tasks/batch/create', { inputs: [task(4)] })).status).toBe(201);
    expect(crm.store.count('tasks')).toBe(2);
    expect(crm.faults.pending).toBe(0);
  });

  it('injects a 429 with the policy and Retry-After asked for', async () => {
    crm.faults.add({ respond: 429, policyName: 'TEN_SECONDLY_ROLLING', retryAfterSeconds: 3 });
    const res = await call(crm, 'GET', '/crm/v3/owners');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(rec(res.body).policyName).toBe('TEN_SECONDLY_ROLLING');
  });

  it('answers a partial batch as 207 with the chosen inputs failed', async () => {
    const ids = Array.from(crm.store.objects.companies.keys()).map(String);
    crm.faults.add({ match: { pathPrefix: '/crm/v3/objects/companies/batch/update' }, respond: { partial: { failIds: [ids[1] ?? ''] } } });
    const res = await call(crm, 'POST', '/crm/v3/objects/companies/batch/update', { inputs: ids.map((id) => ({ id, properties: { name: `N${id}` } })) });
    expect(res.status).toBe(207);
    const body = rec(res.body);
    expect(body.results).toHaveLength(ids.length - 1);
    expect(body.errors).toEqual([expect.objectContaining({ status: 'error', context: { ids: [ids[1]] } })]);
    expect(crm.store.get('companies', Number(ids[1]))?.props.name).toBe('Co 1');
    crm.faults.add({ match: { pathPrefix: '/crm/v3/objects/tasks/batch/create' }, respond: { partial: { failEvery: 3 } } });
    const created = await call(crm, 'POST', '/crm/v3/objects/tasks/batch/create', { inputs: Array.from({ length: 9 }, (_, i) => task(i)) });
    expect(created.status).toBe(207);
    expect(rec(created.body).numErrors).toBe(3);
    expect(crm.store.count('tasks')).toBe(6);
  });

  it('resets the connection, and the client sees a network error', async () => {
    crm.faults.add({ match: { pathPrefix: '/crm/v3/owners' }, respond: 'reset' });
    await expect(clientFor(crm).crm.owners.ownersApi.getPage()).rejects.toThrow();
    expect((await call(crm, 'GET', '/crm/v3/owners')).status).toBe(200);
    expect(crm.log.map((l) => l.status)).toEqual(['reset', 200]);
  });

  it('applyAfterMs: drops the connection first and applies the create later (HubSpot still working on it), before the first request due after it', async () => {
    crm.faults.add({ match: { method: 'POST', pathPrefix: '/crm/v3/objects/tasks/batch/create' }, respond: 'reset', afterApply: true, applyAfterMs: 2000 });
    await expect(call(crm, 'POST', '/crm/v3/objects/tasks/batch/create', { inputs: [task(1), task(2)] })).rejects.toThrow();
    expect(crm.store.count('tasks')).toBe(0);
    // A read sent at once misses it: the race a client must not lose.
    clock.advance(1999);
    const early = await call(crm, 'POST', '/crm/v3/objects/tasks/search', { filterGroups: [], limit: 10 });
    expect(rec(early.body).total).toBe(0);
    clock.advance(1);
    const late = await call(crm, 'POST', '/crm/v3/objects/tasks/search', { filterGroups: [], limit: 10 });
    expect(rec(late.body).total).toBe(2);
    expect(crm.store.count('tasks')).toBe(2);
    expect(crm.log.map((l) => l.status)).toEqual(['reset', 200, 200]);
  });

  it('holds a request then drops it for a timeout', async () => {
    crm.faults.add({ respond: 'timeout', holdMs: 0, afterApply: true, match: { method: 'POST' } });
    await expect(call(crm, 'POST', '/crm/v3/objects/tasks/batch/create', { inputs: [task(1)] })).rejects.toThrow();
    expect(crm.store.count('tasks')).toBe(1);
  });
});
