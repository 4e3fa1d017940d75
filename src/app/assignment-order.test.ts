/**
 * When onboarding capacity binds, who gets the CSM must not depend on how a run found the
 * companies. A full sweep reads by id; an incremental one reads what was modified first, then its
 * time triggers: the same day must give the same onboarding CSMs (and so the same onboarding
 * tasks) either way. End to end on the local CRM server, twice from the same start.
 */
import { configVersion, defaultConfig, type Config } from '../core';
import { SimClock, startLocalCrm, type LocalCrm } from '../emulator';
import { call, rec } from '../emulator/test-helpers';
import { createHubSpotCrm } from '../hubspot';
import { silentLogger } from './deps';
import { runSweep } from './sweep';
import { memorySweepStateStore } from './sweep-state';

const DAY = 86_400_000;
const MONDAY = Date.UTC(2026, 10, 23, 9, 0, 0); // 2026-11-23
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let local: LocalCrm;
afterEach(async () => {
  await local?.stop();
});

function props(id: string): Record<string, string> {
  const c = local.store.get('companies', Number(id));
  if (c === undefined) throw new Error(`no company ${id}`);
  return c.props;
}

/** Two customers whose contracts start on Tuesday, one onboarding place left; Tuesday's run is `mode`. */
async function tuesday(mode: 'full' | 'incremental'): Promise<{ first: string; second: string; csm: string; onboardingTasks: string[] }> {
  const clock = new SimClock(MONDAY);
  local = await startLocalCrm({ dir: false, clock, rateLimits: false, seed: { seed: 3, companies: 0, csms: 2, now: MONDAY } });
  const config = defaultConfig();
  const pool = local.store.meta['poolConfig'] as Config['pool'];
  // One CSM with one onboarding place.
  config.pool = { ...pool, members: pool.members.slice(0, 1).map((m) => ({ ...m, coverageDays: [], outOfOffice: [] })) };
  config.assignment.concurrentOnboardingCap = 1;
  const crm = createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock, timeoutMs: 0 });
  await crm.installProperties();
  const store = memorySweepStateStore();
  const sweep = async (ms: number, m: 'full' | 'incremental') => {
    clock.set(ms);
    const r = await runSweep({ crm, config, configVersion: configVersion(config), now: () => new Date(ms), log: silentLogger }, { store, mode: m, clockMs: () => clock.now() });
    expect(r.status).toBe('complete');
    return r;
  };
  const ids: string[] = [];
  for (const name of ['First Signed Ltd', 'Second Signed Ltd']) {
    const r = await call(local, 'POST', '/crm/v3/objects/companies', {
      properties: { name, cs_acv: '40000', cs_contract_start_date: iso(MONDAY + DAY), cs_licensed_seats: '10', cs_active_users: '5', cs_last_login_date: iso(MONDAY - DAY), cs_usage_updated_at: new Date(MONDAY - DAY).toISOString() },
    });
    expect(r.status).toBe(201);
    ids.push(String(rec(r.body).id));
  }
  const [first, second] = ids as [string, string];
  expect(Number(first)).toBeLessThan(Number(second));
  await sweep(MONDAY, 'full');
  // Monday evening: an incremental run reads what the full sweep wrote (nothing changes), so
  // Tuesday's incremental finds the first company by its contract start alone.
  await sweep(MONDAY + 8 * 3_600_000, 'incremental');
  expect(props(first).cs_lifecycle_stage).toBe('not_started');
  // Tuesday 03:00: the product sync updates the second company (modified: read first by an incremental run).
  clock.set(MONDAY + 18 * 3_600_000);
  expect((await call(local, 'PATCH', `/crm/v3/objects/companies/${second}`, { properties: { cs_active_users: '6', cs_usage_updated_at: new Date(MONDAY + 18 * 3_600_000).toISOString() } })).status).toBe(200);
  const r = await sweep(MONDAY + DAY, mode);
  expect(r.run.mode).toBe(mode);
  const onboardingTasks = [first, second].flatMap((id) =>
    local.store
      .associated('companies', Number(id), 'tasks')
      .map((t) => /Idempotency key:\s*(\S+)/.exec(local.store.get('tasks', t)?.props.hs_task_body ?? '')?.[1] ?? '')
      .filter((k) => k.includes(':onboarding:')),
  );
  const out = { first: props(first).cs_onboarding_csm ?? '', second: props(second).cs_onboarding_csm ?? '', csm: config.pool.members[0]?.ownerId ?? '', onboardingTasks };
  await local.stop();
  return out;
}

test('one onboarding place, two contracts starting the same day: the incremental run gives it to the same customer as a full sweep (the first signed)', async () => {
  const full = await tuesday('full');
  const incremental = await tuesday('incremental');
  // The fixture is what the test means: one place, taken by one of the two.
  expect(full.first).toBe(full.csm);
  expect(full.second).toBe('');
  expect(full.onboardingTasks.length).toBeGreaterThan(0);
  expect(incremental).toEqual(full);
}, 60_000);
