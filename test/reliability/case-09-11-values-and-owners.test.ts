/**
 * Reliability cases 9–11: malformed values, missing vs empty properties, and owners that were
 * deleted, archived or deactivated — end to end through the local CRM server, the adapter's
 * parsing, the core and the written properties.
 */
import { loadAssignmentState, processAccounts, runSweep, memorySweepStateStore } from '../../src/app';
import type { LocalCrm } from '../../src/emulator';
import { NOW, startStack, type Stack } from './stack';

let s: Stack;
afterEach(() => s.stop());

function addCompany(local: LocalCrm, props: Record<string, string>): string {
  return String(local.store.insertRaw('companies', { name: 'Test Co', ...props }, NOW - 400 * 86_400_000).id);
}

const BAD_NUMBER = /^(NaN|-?Infinity)$/;

/** Every property value the app wrote on every company: none is NaN / Infinity / "undefined". */
function assertNoBadWrites(local: LocalCrm): void {
  for (const c of local.store.objects.companies.values()) {
    for (const [name, value] of Object.entries(c.props)) {
      if (!name.startsWith('cs_') || name === 'cs_acv' || name === 'cs_licensed_seats' || name === 'cs_active_users' || name === 'cs_renewal_date' || name === 'cs_nps_score' || name === 'cs_usage_current_period' || name === 'cs_usage_previous_period' || name === 'cs_last_login_date' || name === 'cs_contract_start_date') continue;
      expect(`${name}=${value}`).not.toMatch(/=(NaN|-?Infinity|undefined|null)$/);
    }
    const score = c.props.cs_health_score;
    if (score !== undefined && score !== '') expect(Number.isFinite(Number(score))).toBe(true);
  }
}

test('case 9: malformed values: "NaN", "12,5", "", "2024-13-45", negative seats — per-record error or unknown signal, never NaN in a score', async () => {
  s = await startStack({ companies: 20 });
  const bad = {
    nan: addCompany(s.local, { cs_acv: 'NaN', cs_usage_current_period: '120', cs_usage_previous_period: '100', cs_usage_updated_at: '2026-11-20' }),
    comma: addCompany(s.local, { cs_acv: '12,5', cs_active_users: '12,5', cs_licensed_seats: '40' }),
    empty: addCompany(s.local, { cs_acv: '', cs_nps_score: '' }),
    date: addCompany(s.local, { cs_acv: '30000', cs_renewal_date: '2024-13-45', cs_last_login_date: '2026-02-30' }),
    negative: addCompany(s.local, { cs_acv: '8000', cs_licensed_seats: '-5', cs_active_users: '3', cs_nps_score: '11' }),
    infinity: addCompany(s.local, { cs_acv: '1e309', cs_usage_current_period: 'Infinity', cs_usage_previous_period: '-0' }),
  };
  const { accounts, issues } = await s.crm.readCompanies(Object.values(bad));
  const issuesOf = (id: string) => issues.filter((i) => i.recordId === id).map((i) => i.property).sort();
  expect(issuesOf(bad.nan)).toEqual(['cs_acv']);
  expect(issuesOf(bad.comma)).toEqual(['cs_active_users', 'cs_acv']);
  expect(issuesOf(bad.empty)).toEqual([]); // empty = unknown, not an error
  expect(issuesOf(bad.date)).toEqual(['cs_last_login_date', 'cs_renewal_date']);
  expect(issuesOf(bad.negative)).toEqual(['cs_licensed_seats', 'cs_nps_score']);
  expect(issuesOf(bad.infinity)).toEqual(['cs_acv', 'cs_usage_current_period']);
  for (const i of issues) expect(i.message.length).toBeGreaterThan(0);
  const byId = new Map(accounts.map((a) => [a.id, a]));
  expect(byId.get(bad.nan)?.acv).toBeNull();
  expect(byId.get(bad.comma)).toMatchObject({ acv: null, activeUsers: null, licensedSeats: 40 });
  expect(byId.get(bad.negative)).toMatchObject({ licensedSeats: null, activeUsers: 3, npsScore: null });
  expect(byId.get(bad.date)).toMatchObject({ renewalDate: null, lastLoginDate: null, acv: 30000 });
  expect(byId.get(bad.infinity)).toMatchObject({ acv: null, usageCurrentPeriod: null });
  expect(byId.get(bad.infinity)?.usagePreviousPeriod === 0).toBe(true); // "-0" parses to -0, which is 0

  // Whole sweep: every record scored (or unknown) and written, issues counted, no NaN anywhere.
  const report = await runSweep(s.deps, { store: memorySweepStateStore() });
  expect(report.status).toBe('complete');
  expect(report.run.totals.accounts).toBe(26);
  expect(report.run.totals.issues).toBeGreaterThanOrEqual(issues.length);
  for (const id of Object.values(bad)) {
    const props = s.local.store.get('companies', Number(id))?.props ?? {};
    expect(props.cs_health_band).toMatch(/^(healthy|watch|at_risk|unknown)$/);
    // Blank (never written, or emptied) is the unknown score; anything written is a finite number.
    expect((props.cs_health_score ?? '') === '' || Number.isFinite(Number(props.cs_health_score))).toBe(true);
    expect(props.cs_segment).toMatch(/^(pooled|mid_pooled|named)$/);
  }
  assertNoBadWrites(s.local);
  expect(BAD_NUMBER.test(s.local.store.get('companies', Number(bad.nan))?.props.cs_health_score ?? '')).toBe(false);
});

test('case 10: property missing vs present-but-empty — both mean unknown, not zero', async () => {
  s = await startStack({ companies: 5 });
  const common = { cs_acv: '12000', cs_contract_start_date: '2024-01-10', cs_licensed_seats: '50', cs_usage_updated_at: '2026-11-20', cs_last_login_date: '2026-11-21' };
  const missing = addCompany(s.local, { ...common });
  const empty = addCompany(s.local, { ...common, cs_nps_score: '', cs_active_users: '', cs_usage_current_period: '', cs_usage_previous_period: '', notes_last_contacted: '' });
  const zero = addCompany(s.local, { ...common, cs_nps_score: '0', cs_active_users: '0', cs_usage_current_period: '0', cs_usage_previous_period: '0', notes_last_contacted: '' });
  const { accounts, issues } = await s.crm.readCompanies([missing, empty, zero]);
  expect(issues).toEqual([]);
  const [m, e, z] = [missing, empty, zero].map((id) => accounts.find((a) => a.id === id));
  expect(m).toMatchObject({ npsScore: null, activeUsers: null, usageCurrentPeriod: null, usagePreviousPeriod: null, lastContactedAt: null });
  expect({ ...e, id: 'x' }).toEqual({ ...m, id: 'x' });
  expect(z).toMatchObject({ npsScore: 0, activeUsers: 0, usageCurrentPeriod: 0 });

  const report = await runSweep(s.deps, { store: memorySweepStateStore() });
  expect(report.status).toBe('complete');
  const written = (id: string) => s.local.store.get('companies', Number(id))?.props ?? {};
  for (const p of ['cs_health_score', 'cs_health_band', 'cs_health_coverage', 'cs_segment', 'cs_lifecycle_stage'] as const) expect(written(empty)[p]).toBe(written(missing)[p]);
  // Zero is a value: it changes coverage (known signals) and the score, unlike unknown.
  expect(Number(written(zero).cs_health_coverage)).toBeGreaterThan(Number(written(missing).cs_health_coverage));
  expect(written(zero).cs_health_score).not.toBe(written(missing).cs_health_score);
});

test('case 11: owner deleted, archived or deactivated — never assigned; existing assignments flagged for reassignment', async () => {
  s = await startStack({ companies: 40, csms: 6 });
  const archived = s.local.store.owners.find((o) => o.archived)?.id as string;
  const deactivatedOwner = s.local.store.owners.find((o) => !o.archived && o.teams.some((t) => t.name === 'CS Pool')) as (typeof s.local.store.owners)[number];
  Object.assign(deactivatedOwner, { userId: null, userIdIncludingInactive: 7_777_777 });
  const deactivated = deactivatedOwner.id;
  const deleted = '90000999'; // not an owner at all any more
  const unusable = new Set([archived, deactivated, deleted]);
  expect(s.config.pool.members.map((m) => m.ownerId)).toEqual(expect.arrayContaining([archived, deactivated]));

  const onboarding = { cs_acv: '15000', cs_contract_start_date: '2026-11-18', cs_lifecycle_stage: 'onboarding', cs_onboarding_start_date: '2026-11-18' };
  const flagged = [archived, deactivated, deleted].map((csm) => addCompany(s.local, { ...onboarding, cs_onboarding_csm: csm }));
  const fresh = Array.from({ length: 12 }, () => addCompany(s.local, { cs_acv: '15000', cs_contract_start_date: '2026-11-20' }));

  // Owners as the adapter reads them.
  const owners = await s.crm.listOwners();
  expect(owners.find((o) => o.id === archived)).toMatchObject({ active: false, archived: true });
  expect(owners.find((o) => o.id === deactivated)).toMatchObject({ active: false, archived: false });
  expect(owners.find((o) => o.id === deleted)).toBeUndefined();

  // The pipeline for the three flagged companies: not reassigned silently, flagged.
  const { state } = await loadAssignmentState(s.deps, owners);
  const { accounts } = await s.crm.readCompanies(flagged);
  const result = await processAccounts(accounts, s.deps, state, { dryRun: true });
  for (const p of result.processed) {
    expect(p.evaluation.assignment).toMatchObject({ ok: false, needsReassignment: true });
    expect(p.evaluation.next.onboardingCsmId).toBe(p.account.onboardingCsmId); // kept until a person reassigns
    for (const t of p.evaluation.tasks) expect(unusable.has(t.ownerId ?? '')).toBe(false);
  }

  const report = await runSweep(s.deps, { store: memorySweepStateStore() });
  expect(report.status).toBe('complete');
  expect(report.run.totals.needsReassignment).toBeGreaterThanOrEqual(3);
  for (const id of fresh) {
    const csm = s.local.store.get('companies', Number(id))?.props.cs_onboarding_csm ?? '';
    expect(csm).toMatch(/^\d+$/);
    expect(unusable.has(csm)).toBe(false);
  }
  for (const t of s.local.store.objects.tasks.values()) expect(unusable.has(t.props.hubspot_owner_id ?? '')).toBe(false);
  expect(report.loads.filter((l) => unusable.has(l.ownerId)).every((l) => !l.active)).toBe(true);
});
