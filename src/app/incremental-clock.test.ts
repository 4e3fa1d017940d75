/**
 * What the clock alone changes, and an incremental run must find without a full sweep, where only a
 * company's text ledger dates it: the risk-task cap lifting (30 days after the newest risk task:
 * cs_risk_cap_ends) and a play held by its cooldown firing again (cs_cooldown_ends). Each run
 * records the day, and an incremental run reads the companies whose day has come. End to end on the
 * local CRM server, with a same-day full sweep after each incremental run (the bench's stricter
 * check) that must find nothing the incremental left.
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

/** `realAheadMs`: the real clock (HubSpot's modification dates, the run's end) runs this far ahead of the day runs evaluate as of (`--now`; negative: behind it). */
async function setUp(realAheadMs = 0, clockFrom = MONDAY, tune: (config: Config) => void = () => undefined) {
  // (A SimClock only moves forward: `clockFrom` earlier lets a test write values dated before Monday.)
  const clock = new SimClock(clockFrom + realAheadMs);
  local = await startLocalCrm({ dir: false, clock, rateLimits: false, seed: { seed: 3, companies: 0, csms: 2, now: MONDAY } });
  const config = defaultConfig();
  config.pool = local.store.meta['poolConfig'] as Config['pool'];
  for (const m of config.pool.members) Object.assign(m, { coverageDays: [], outOfOffice: [] });
  tune(config);
  const crm = createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock, timeoutMs: 0 });
  await crm.installProperties();
  const store = memorySweepStateStore();
  const sweep = async (ms: number, mode: 'full' | 'incremental') => {
    clock.set(ms + realAheadMs);
    const r = await runSweep({ crm, config, configVersion: configVersion(config), now: () => new Date(ms), log: silentLogger }, { store, mode, clockMs: () => clock.now() });
    expect(r.status).toBe('complete');
    expect(r.run.mode).toBe(mode);
    return r;
  };
  return { sweep, clock };
}

/** A customer that scores healthy for the days of the test (recent login and contact, all seats active, usage up). */
async function healthyCustomer(name: string, ledger: string[]): Promise<string> {
  const r = await call(local, 'POST', '/crm/v3/objects/companies', {
    properties: {
      name,
      cs_acv: '50000',
      cs_usage_current_period: '1100',
      cs_usage_previous_period: '1000',
      cs_licensed_seats: '10',
      cs_active_users: '10',
      cs_last_login_date: iso(MONDAY - DAY),
      cs_usage_updated_at: new Date(MONDAY - DAY).toISOString(),
      cs_nps_score: '9',
      cs_nps_date: iso(MONDAY - 20 * DAY),
    },
  });
  expect(r.status).toBe(201);
  const id = String(rec(r.body).id);
  // HubSpot keeps Last Contacted itself (read-only): the test puts it in the store, with a ledger
  // written by an earlier run.
  Object.assign(props(id), { notes_last_contacted: new Date(MONDAY - 2 * DAY).toISOString(), cs_playbook_ledger: ledger.map((k) => k.replace('ID', id)).join('\n') });
  return id;
}

test('the day the risk-task cap ends is recorded, and the incremental run that day shows the band it held down: a same-day full sweep finds nothing left', async () => {
  const { sweep } = await setUp();
  // A no-login review created 26 days before Monday: its cap holds through Friday (day 4) and
  // ends on Saturday (day 5). A renewal task is no risk task: it caps nothing.
  const riskDay = iso(MONDAY - 26 * DAY);
  const id = await healthyCustomer('Came Back Ltd', [`cs:ID:renewal:d90:2027-02-20@${iso(MONDAY - 3 * DAY)}`, `cs:ID:no_login:reengage:2026-10@${riskDay}`]);
  const free = await healthyCustomer('Never Capped Ltd', [`cs:ID:renewal:d90:2027-02-20@${iso(MONDAY - 3 * DAY)}`]);

  await sweep(MONDAY, 'full');
  // The fixture is what the test means: a healthy score held at watch by the risk task alone.
  expect(Number(props(id).cs_health_score)).toBeGreaterThanOrEqual(70);
  expect(props(id).cs_health_band).toBe('watch');
  expect(props(id).cs_health_summary).toContain(`capped: risk task from ${riskDay}: No login`);
  expect(props(id).cs_risk_cap_ends).toBe(iso(MONDAY + 5 * DAY));
  expect([props(free).cs_health_band, props(free).cs_risk_cap_ends ?? '']).toEqual(['healthy', '']);

  const bands: string[] = [];
  for (let d = 1; d <= 6; d++) {
    const at = MONDAY + d * DAY;
    const inc = await sweep(at, 'incremental');
    const afterIncremental = props(id).cs_health_band as string;
    bands.push(afterIncremental);
    // Nothing else moves it: the incremental reads it on day 1 (yesterday's run wrote it) and on
    // the day the cap ends, not in between.
    if (d >= 2 && d <= 4) expect(inc.run.totals.accounts).toBe(0);
    const full = await sweep(at + 3_600_000, 'full');
    expect(full.run.totals.updated).toBe(0);
    expect(props(id).cs_health_band).toBe(afterIncremental);
  }
  expect(bands).toEqual(['watch', 'watch', 'watch', 'watch', 'healthy', 'healthy']);
  expect(props(id).cs_risk_cap_ends ?? '').toBe('');
  expect(props(id).cs_health_summary).not.toContain('capped');
}, 120_000);

test('a risk task the run creates records the day its cap ends with the ledger that names it (a rerun writes nothing)', async () => {
  const { sweep } = await setUp();
  // Healthy by score, but a detractor answer 107 days old (past the NPS cap's 90 days, still a
  // play): a mid-pooled account's detractor play is a task for a person, which caps the band.
  const id = await healthyCustomer('Detractor Ltd', []);
  Object.assign(props(id), { cs_nps_score: '2', cs_nps_date: iso(MONDAY - 107 * DAY) });
  const first = await sweep(MONDAY, 'full');
  expect(first.run.totals.tasksCreated).toBeGreaterThanOrEqual(1);
  expect(props(id).cs_playbook_ledger).toMatch(new RegExp(`cs:${id}:nps_detractor:[^@]+@${iso(MONDAY)}`));
  expect(props(id).cs_health_band).toBe('watch');
  expect(props(id).cs_risk_cap_ends).toBe(iso(MONDAY + 31 * DAY));
  const again = await sweep(MONDAY + 3_600_000, 'full');
  expect([again.run.totals.tasksCreated, again.run.totals.updated]).toEqual([0, 0]);
}, 60_000);

test('a play held by its cooldown fires again the day the cooldown ends, found by the incremental run (an at-risk escalation 30 days on): a same-day full sweep finds nothing left', async () => {
  const { sweep } = await setUp();
  // Named (a person's task), at risk and staying there with nothing new: a quarter of its seats
  // active, usage down 60%, no login for 70 days (recency already 0), contacted 100 days ago. Its
  // escalations, no-login and check-in ran 26 days ago; the escalation may run again 30 days on.
  const r = await call(local, 'POST', '/crm/v3/objects/companies', {
    properties: { name: 'Still At Risk Ltd', cs_acv: '150000', cs_usage_current_period: '400', cs_usage_previous_period: '1000', cs_licensed_seats: '20', cs_active_users: '5', cs_last_login_date: iso(MONDAY - 70 * DAY), cs_usage_updated_at: new Date(MONDAY - DAY).toISOString(), cs_nps_score: '7', cs_nps_date: iso(MONDAY - 20 * DAY) },
  });
  const id = String(rec(r.body).id);
  const ran = iso(MONDAY - 26 * DAY);
  const ledger = [`cs:${id}:risk_escalation:escalate:2026-W44@${ran}`, `cs:${id}:no_login:reengage:2026-W44@${ran}`, `cs:${id}:no_touch:check_in:2026-W44@${ran}`, `cs:${id}:usage_drop:alert:2026-W44@${ran}`];
  Object.assign(props(id), { notes_last_contacted: new Date(MONDAY - 100 * DAY).toISOString(), cs_playbook_ledger: ledger.join('\n') });
  const escalations = () => (props(id).cs_playbook_ledger ?? '').split('\n').filter((e) => e.includes(':risk_escalation:'));

  await sweep(MONDAY, 'full');
  // The fixture is what the test means: at risk, the escalation held by its cooldown until day 4.
  expect(props(id).cs_health_band).toBe('at_risk');
  expect(escalations()).toHaveLength(1);
  expect(props(id).cs_cooldown_ends).toBe(iso(MONDAY + 4 * DAY));

  for (let d = 1; d <= 5; d++) {
    const at = MONDAY + d * DAY;
    const inc = await sweep(at, 'incremental');
    if (d === 2 || d === 3) expect(inc.run.totals.accounts).toBe(0);
    const byIncremental = escalations().length;
    expect(byIncremental).toBe(d >= 4 ? 2 : 1);
    const full = await sweep(at + 3_600_000, 'full');
    expect([full.run.totals.tasksCreated, full.workload?.digital?.created ?? 0]).toEqual([0, 0]);
    expect(escalations()).toHaveLength(byIncremental);
  }
  // The new escalation is this week's, and the next cooldown end is recorded once a play waits again.
  expect(escalations()[1]).toContain(`:risk_escalation:escalate:2026-W48@${iso(MONDAY + 4 * DAY)}`);
}, 120_000);

test('runs evaluated as of another day than the real clock (a --now replay three days behind): the time triggers count days from the day evaluated, so the contract starting the next day is read by the incremental run', async () => {
  const { sweep } = await setUp(3 * DAY);
  const r = await call(local, 'POST', '/crm/v3/objects/companies', {
    properties: { name: 'Starts Tuesday Ltd', cs_acv: '20000', cs_contract_start_date: iso(MONDAY + DAY), cs_licensed_seats: '10' },
  });
  const id = String(rec(r.body).id);
  await sweep(MONDAY, 'full');
  expect(props(id).cs_lifecycle_stage).toBe('not_started');
  expect(props(id).cs_onboarding_csm ?? '').toBe('');
  // Tuesday as evaluated; Friday by the real clock, three days after Monday's run ended (Thursday):
  // by the real clock's days the contract-start window (Thursday … Tuesday) would be empty.
  const inc = await sweep(MONDAY + DAY, 'incremental');
  expect(inc.run.mode).toBe('incremental');
  expect(props(id).cs_lifecycle_stage).toBe('onboarding');
  expect(props(id).cs_onboarding_csm ?? '').not.toBe('');
  const full = await sweep(MONDAY + DAY + 3_600_000, 'full');
  expect([full.run.totals.tasksCreated, full.run.totals.assignments]).toEqual([0, 0]);
}, 60_000);

test('data aged by its HubSpot property history (no sync date) going stale: the day is recorded, and the incremental run that day shows it; a same-day full sweep finds nothing left', async () => {
  // (A login counts as recent for 60 days here, so the score does not slide in its digits: what
  // moves the band is the data going stale, and nothing else brings the company in.)
  const { sweep, clock } = await setUp(0, MONDAY - 10 * DAY - 6 * 3_600_000, (c) => Object.assign(c.health.normalise, { loginFullDays: 60, loginZeroDays: 90 }));
  // Usage, seats and a login set at 03:00 ten days before Monday, no sync date, no NPS, no contact:
  // their age comes from HubSpot's history; 15 whole days on (03:00 on Saturday) they are stale.
  clock.set(MONDAY - 10 * DAY - 6 * 3_600_000);
  const r = await call(local, 'POST', '/crm/v3/objects/companies', {
    properties: { name: 'Quiet Sync Ltd', cs_acv: '30000', cs_usage_current_period: '1100', cs_usage_previous_period: '1000', cs_licensed_seats: '10', cs_active_users: '9', cs_last_login_date: iso(MONDAY - 11 * DAY) },
  });
  expect(r.status).toBe(201);
  const id = String(rec(r.body).id);
  await sweep(MONDAY, 'full');
  expect(props(id).cs_health_band).not.toBe('unknown');
  expect(props(id).cs_health_stale_due).toBe(iso(MONDAY + 5 * DAY));
  // Daily incremental runs (a full sweep would rewrite the company, and the next incremental would
  // read it as modified whatever the trigger): nothing brings it in until the day its data goes stale.
  const bands: string[] = [];
  const read: number[] = [];
  for (let d = 1; d <= 6; d++) {
    const inc = await sweep(MONDAY + d * DAY, 'incremental');
    bands.push(props(id).cs_health_band as string);
    read.push(inc.run.totals.accounts);
  }
  expect(read).toEqual([0, 0, 0, 0, 1, 0]);
  // A full sweep the same day finds nothing the incremental runs left: no band or stage to change.
  const before = { ...props(id) };
  const full = await sweep(MONDAY + 6 * DAY + 3_600_000, 'full');
  expect(full.run.totals.updated - (full.run.totals.scoreOnly ?? 0)).toBe(0);
  expect([props(id).cs_health_band, props(id).cs_lifecycle_stage]).toEqual([before.cs_health_band, before.cs_lifecycle_stage]);
  expect(bands.slice(0, 4).every((b) => b !== 'unknown')).toBe(true);
  expect(bands.slice(4)).toEqual(['unknown', 'unknown']);
  expect(props(id).cs_health_summary).toMatch(/Stale: usage trend/);
  expect(props(id).cs_health_stale_due ?? '').toBe('');
}, 120_000);

test('runs evaluated as of a day ahead of the real clock (--now in the future): a ticket opened since the last run is read by the incremental run (changes are asked for since the real start)', async () => {
  const { sweep, clock } = await setUp(-3 * DAY);
  const id = await healthyCustomer('Ticket Ahead Ltd', []);
  const ticket = async () => {
    const r = await call(local, 'POST', '/crm/v3/objects/tickets', {
      properties: { subject: 'Help', hs_pipeline: '0', hs_pipeline_stage: '1' },
      associations: [{ to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 339 }] }],
    });
    expect(r.status).toBe(201);
  };
  await ticket();
  await sweep(MONDAY, 'full');
  expect(props(id).cs_open_tickets).toBe('1');
  // Two hours after that run by the real clock (three days behind the day evaluated), another ticket.
  clock.set(MONDAY - 3 * DAY + 2 * 3_600_000);
  await ticket();
  await sweep(MONDAY + DAY, 'incremental');
  expect(props(id).cs_open_tickets).toBe('2');
}, 60_000);
