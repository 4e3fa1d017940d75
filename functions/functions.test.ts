/**
 * Every app function through its exported `main(context)`, with HubSpot's 2026.03 context shape,
 * against the seeded local CRM server (real HTTP, real response shapes). Calls per function are
 * measured with the server's request counters.
 */
import type { CardData, FunctionResult, PortfolioReport, SettingsData } from '../src/app';
import { main as assignOnboardingCsm } from './assign-onboarding-csm';
import { main as cardData } from './card-data';
import { main as extendOnboarding } from './extend-onboarding';
import { main as graduateNow } from './graduate-now';
import { main as overrideSegment } from './override-segment';
import { main as portfolioReport } from './portfolio-report';
import { main as recomputeHealth } from './recompute-health';
import { main as runPlaybooks } from './run-playbooks';
import { main as settingsData } from './settings-data';
import { NOW, companies, dayOf, isJustStarted, isLongStarted, isOnboarding, isPartial, startFunctionsEnv, tasksOf, type FunctionsEnv } from './test/local-crm';

/** The context HubSpot's runtime passes (2026.03): parameters, propertiesToSend, event, secrets. */
const ctx = (parameters: unknown) => ({ parameters, propertiesToSend: {}, event: { type: 'SERVERLESS_EXECUTION' }, secrets: {} });

let env: FunctionsEnv;
beforeAll(async () => {
  env = await startFunctionsEnv();
});
afterAll(async () => {
  await env.stop();
});

/** Runs `fn` and counts the HubSpot requests it made. */
async function counted<T>(fn: () => Promise<T>): Promise<{ result: T; calls: number }> {
  const before = env.crm.counters.total;
  const result = await fn();
  return { result, calls: env.crm.counters.total - before };
}

function data<T>(r: FunctionResult<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.data;
}

function first(pick: (p: Record<string, string>) => boolean, skip = 0): string {
  const c = companies(env.crm, pick)[skip];
  if (!c) throw new Error('seed has no such company');
  return c.id;
}

describe('bad input and failures are envelopes, never throws or stacks', () => {
  it.each([
    ['card-data', 'companyId', {}, cardData],
    ['card-data', 'companyId', { companyId: 'abc' }, cardData],
    ['recompute-health', 'companyId', { companyId: 12 }, recomputeHealth],
    ['assign-onboarding-csm', 'reason', { companyId: '1', ownerId: '7' }, assignOnboardingCsm],
    ['override-segment', 'segment', { companyId: '1', segment: 'gold', reason: 'why not' }, overrideSegment],
    ['graduate-now', 'reason', { companyId: '1', reason: '' }, graduateNow],
    ['extend-onboarding', 'days', { companyId: '1', days: 2.5, reason: 'waiting on SSO' }, extendOnboarding],
    ['settings-data', 'configOverride', { configOverride: [1] }, settingsData],
  ] as const)('%s with a bad %s %j → bad_parameters naming it', async (_uid, field, parameters, fn) => {
    const { result, calls } = await counted(() => (fn as (c: unknown) => Promise<FunctionResult<unknown>>)(ctx(parameters)));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('bad_parameters');
    expect(result.error.message).toContain(field);
    expect(result.error.message).not.toMatch(/at .*\.ts:\d+/);
    expect(calls).toBe(0);
  });

  it('a card function refuses a companyId that is not the card record (propertiesToSend.hs_object_id), and does nothing', async () => {
    const id = first(isOnboarding);
    for (const fn of [cardData, recomputeHealth, runPlaybooks, graduateNow]) {
      const { result, calls } = await counted(() =>
        (fn as (c: unknown) => Promise<FunctionResult<unknown>>)({ ...ctx({ companyId: '999999', reason: 'All milestones done early' }), propertiesToSend: { hs_object_id: id } }),
      );
      expect(result).toEqual({ ok: false, error: { code: 'wrong_record', message: expect.stringContaining(`company ${id}`) } });
      expect(calls).toBe(0);
    }
    const same = await cardData({ ...ctx({ companyId: id }), propertiesToSend: { hs_object_id: id } });
    expect(same.ok).toBe(true);
  });

  it('a missing context is bad parameters, not a crash', async () => {
    const r = await cardData(undefined as unknown as Parameters<typeof cardData>[0]);
    expect(r).toEqual({ ok: false, error: { code: 'bad_parameters', message: expect.stringContaining('companyId') } });
  });

  it('an unknown company is not_found (card and actions)', async () => {
    for (const fn of [cardData, recomputeHealth, runPlaybooks]) {
      const r = await fn(ctx({ companyId: '999' }));
      expect(r.ok ? null : r.error.code).toBe('not_found');
    }
    const g = await graduateNow(ctx({ companyId: '999', reason: 'done early' }));
    expect(g.ok ? null : g.error.code).toBe('not_found');
  });

  it('a rejected token (401) is an auth error naming the token variable, with no retry', async () => {
    const saved = process.env['PRIVATE_APP_ACCESS_TOKEN'];
    process.env['PRIVATE_APP_ACCESS_TOKEN'] = 'pat-na1-wrong-token-0000';
    try {
      const { result, calls } = await counted(() => cardData(ctx({ companyId: first(isOnboarding) })));
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('auth');
        expect(result.error.message).toContain('PRIVATE_APP_ACCESS_TOKEN');
        expect(result.error.message).not.toContain('wrong-token');
      }
      // The company read and the active owners go out in parallel; each is sent once, never retried.
      expect(calls).toBe(2);
    } finally {
      process.env['PRIVATE_APP_ACCESS_TOKEN'] = saved;
    }
  });

  it('no token at all names both variables; a bad CS_CONFIG_JSON names the key path', async () => {
    const saved = { token: process.env['PRIVATE_APP_ACCESS_TOKEN'], config: process.env['CS_CONFIG_JSON'] };
    try {
      delete process.env['PRIVATE_APP_ACCESS_TOKEN'];
      const r = await cardData(ctx({ companyId: '1' }));
      expect(r).toEqual({ ok: false, error: { code: 'missing_token', message: expect.stringMatching(/PRIVATE_APP_ACCESS_TOKEN.*HUBSPOT_ACCESS_TOKEN/) } });
      process.env['PRIVATE_APP_ACCESS_TOKEN'] = saved.token;
      process.env['CS_CONFIG_JSON'] = JSON.stringify({ segments: { pooledBelow: 'cheap' }, surprise: 1 });
      const c = await cardData(ctx({ companyId: '1' }));
      expect(c.ok).toBe(false);
      if (!c.ok) {
        expect(c.error.code).toBe('bad_config');
        expect(c.error.message).toContain('segments.pooledBelow');
        expect(c.error.message).toContain('surprise');
      }
    } finally {
      process.env['PRIVATE_APP_ACCESS_TOKEN'] = saved.token;
      process.env['CS_CONFIG_JSON'] = saved.config;
    }
  });
});

describe('card-data', () => {
  it('returns everything the card shows for an onboarding company, in a few calls, writing nothing', async () => {
    const id = first(isOnboarding);
    const props = env.crm.store.get('companies', Number(id))?.props ?? {};
    const writesBefore = env.crm.counters.get('POST /crm/v3/objects/companies/batch/update');
    const { result, calls } = await counted(() => cardData(ctx({ companyId: id })));
    const card: CardData = data(result);
    expect(card.companyId).toBe(id);
    expect(card.companyName).toBe(props['name']);
    expect(card.lifecycle.stage).toBe('onboarding');
    expect(card.lifecycle.day).toBe(dayOf(props));
    expect(card.lifecycle.totalDays).toBe(90);
    expect(card.lifecycle.exitCriteria.map((c) => c.id)).toEqual(['csm_assigned', 'seat_adoption', 'recent_login', 'health_ok']);
    expect(card.health.signals).toHaveLength(6);
    const sum = card.health.signals.reduce((n, s) => n + s.contribution, 0);
    if (card.health.score !== null) expect(Math.round(sum)).toBe(card.health.score);
    expect(card.health.signals.find((s) => s.id === 'usage_trend')?.raw).toMatch(/vs/);
    expect(card.assignableOwners.length).toBeGreaterThan(0);
    expect(card.assignableOwners.every((o) => env.pool.members.some((m) => m.ownerId === o.id))).toBe(true);
    expect(card.computedAt).toBe(new Date(NOW).toISOString());
    // read + history + owners (+archived) + ticket associations/reads + task associations/reads
    expect(calls).toBeLessThanOrEqual(8);
    expect(env.crm.counters.get('POST /crm/v3/objects/companies/batch/update')).toBe(writesBefore);
  });

  it('shows partial data as unknown signals and lower coverage, never NaN', async () => {
    const card = data(await cardData(ctx({ companyId: first(isPartial) })));
    const unknown = card.health.signals.filter((s) => s.status === 'unknown');
    expect(unknown.length).toBeGreaterThan(0);
    for (const s of unknown) {
      expect(s.normalized).toBeNull();
      expect(s.note).toEqual(expect.any(String));
    }
    expect(card.health.coverage).toBeLessThan(100);
    expect(JSON.stringify(card)).not.toContain('NaN');
  });
});

describe('recompute-health and run-playbooks', () => {
  it('recompute writes the score and band it returns, and the card then agrees', async () => {
    const id = first(isOnboarding, 1);
    const { result, calls } = await counted(() => recomputeHealth(ctx({ companyId: id })));
    const r = data(result);
    const props = env.crm.store.get('companies', Number(id))?.props ?? {};
    expect(props['cs_health_band']).toBe(r.band);
    expect(props['cs_health_score'] ?? '').toBe(r.score === null ? '' : String(r.score));
    expect(props['cs_segment']).toBe(r.segment);
    expect(calls).toBeLessThanOrEqual(12);
    const card = data(await cardData(ctx({ companyId: id })));
    expect([card.health.score, card.health.band]).toEqual([r.score, r.band]);
  });

  it('run-playbooks twice creates the due tasks once', async () => {
    const id = first((p) => isJustStarted(p) && !isOnboarding(p)); // untouched by the tests above
    const before = tasksOf(env.crm, id).length;
    const once = data(await runPlaybooks(ctx({ companyId: id })));
    expect(once.tasksCreated).toBeGreaterThan(0);
    expect(once.keys.every((k) => k.startsWith(`cs:${id}:`))).toBe(true);
    const { result, calls } = await counted(() => runPlaybooks(ctx({ companyId: id })));
    expect(data(result)).toEqual({ tasksCreated: 0, keys: [] });
    expect(tasksOf(env.crm, id).length).toBe(before + once.tasksCreated);
    expect(calls).toBeLessThanOrEqual(8);
    // The card shows the open tasks and the triggers that fired.
    const card = data(await cardData(ctx({ companyId: id })));
    expect(card.playbooks.openTasks.length).toBe(before + once.tasksCreated);
    expect(card.playbooks.recentTriggers.map((t) => t.key).sort()).toEqual([...once.keys].sort().slice(0, 5));
    expect(card.playbooks.recentTriggers[0]?.firedAt).toBe('2026-11-23T00:00:00.000Z');
  });
});

describe('assign-onboarding-csm', () => {
  it('assigns automatically from the pool, and keeps an existing assignment', async () => {
    const id = first((p) => isOnboarding(p) && !p['cs_onboarding_csm'], 3);
    const r = data(await assignOnboardingCsm(ctx({ companyId: id })));
    expect(env.pool.members.map((m) => m.ownerId)).toContain(r.ownerId);
    expect(env.crm.store.get('companies', Number(id))?.props['cs_onboarding_csm']).toBe(r.ownerId);
    const again = data(await assignOnboardingCsm(ctx({ companyId: id })));
    expect(again).toMatchObject({ ownerId: r.ownerId, kept: true, changed: false });
  });

  it('a manual choice is validated (archived owner refused) and kept by later runs', async () => {
    const id = first((p) => isOnboarding(p) && !p['cs_onboarding_csm'], 4);
    const archived = env.crm.store.owners.find((o) => o.archived);
    expect(archived).toBeDefined();
    const refused = await assignOnboardingCsm(ctx({ companyId: id, ownerId: archived?.id, reason: 'speaks German' }));
    expect(refused).toEqual({ ok: false, error: { code: 'invalid_owner', message: expect.stringContaining('archived') } });
    const chosen = env.pool.members[1]?.ownerId ?? '';
    const r = data(await assignOnboardingCsm(ctx({ companyId: id, ownerId: chosen, reason: 'speaks German' })));
    expect(r).toMatchObject({ ownerId: chosen, manual: true, reason: expect.stringContaining('speaks German') });
    await recomputeHealth(ctx({ companyId: id }));
    expect(env.crm.store.get('companies', Number(id))?.props['cs_onboarding_csm']).toBe(chosen);
    const card = data(await cardData(ctx({ companyId: id })));
    expect(card.lifecycle.onboardingCsm).toMatchObject({ id: chosen, active: true });
  });
});

describe('override-segment, graduate-now, extend-onboarding', () => {
  it('refuses an expiry today or in the past, writes nothing', async () => {
    const id = first(isLongStarted);
    const { result, calls } = await counted(() => overrideSegment(ctx({ companyId: id, segment: 'named', reason: 'exec sponsor', expires: '2026-11-23' })));
    expect(result).toEqual({ ok: false, error: { code: 'bad_parameters', message: expect.stringContaining('expires') } });
    expect(calls).toBe(0);
  });

  it('sets an override with reason and expiry (2 calls), then removes it', async () => {
    const id = first(isLongStarted, 1);
    const { result, calls } = await counted(() => overrideSegment(ctx({ companyId: id, segment: 'named', reason: 'Exec sponsor during migration', expires: '2027-03-31' })));
    expect(data(result)).toMatchObject({ segment: 'named', override: { segment: 'named', reason: 'Exec sponsor during migration', expires: '2027-03-31' } });
    expect(calls).toBe(2);
    const props = env.crm.store.get('companies', Number(id))?.props ?? {};
    expect([props['cs_segment'], props['cs_segment_override'], props['cs_segment_override_reason'], props['cs_segment_override_expires']]).toEqual([
      'named',
      'named',
      'Exec sponsor during migration',
      '2027-03-31',
    ]);
    const card = data(await cardData(ctx({ companyId: id })));
    expect(card.segment.override).toEqual({ segment: 'named', reason: 'Exec sponsor during migration', expires: '2027-03-31', expired: false });
    const removed = data(await overrideSegment(ctx({ companyId: id, segment: null })));
    expect(removed.override).toBeNull();
    expect(env.crm.store.get('companies', Number(id))?.props['cs_segment_override']).toBe('');
  });

  it('graduates an onboarding company by hand with a reason; graduating again is refused', async () => {
    const id = first(isOnboarding, 5);
    const { result, calls } = await counted(() => graduateNow(ctx({ companyId: id, reason: 'All milestones done early' })));
    expect(data(result)).toMatchObject({ stage: 'graduated', graduatedAt: '2026-11-23', reason: 'Graduated by hand: All milestones done early' });
    expect(calls).toBe(2);
    expect(env.crm.store.get('companies', Number(id))?.props['cs_graduated_at']).toBe('2026-11-23');
    expect(env.crm.store.get('companies', Number(id))?.props['cs_lifecycle_reason']).toBe('Graduated by hand: All milestones done early');
    const again = await graduateNow(ctx({ companyId: id, reason: 'once more' }));
    expect(again.ok ? null : again.error.code).toBe('not_onboarding');
    const card = data(await cardData(ctx({ companyId: id })));
    expect([card.lifecycle.stage, card.lifecycle.day]).toEqual(['graduated', null]);
    expect(card.lifecycle.reason).toBe('Graduated by hand: All milestones done early');
  });

  it('extends onboarding by N days and the card shows the new total', async () => {
    const id = first(isOnboarding, 6);
    const start = env.crm.store.get('companies', Number(id))?.props['cs_contract_start_date'] ?? '';
    const r = data(await extendOnboarding(ctx({ companyId: id, days: 30, reason: 'Waiting for SSO' })));
    const expected = new Date(Date.parse(`${start}T00:00:00Z`) + 120 * 86_400_000).toISOString().slice(0, 10);
    expect(r).toMatchObject({ stage: 'onboarding', graduationDate: expected, reason: expect.stringContaining('Waiting for SSO') });
    const card = data(await cardData(ctx({ companyId: id })));
    expect([card.lifecycle.totalDays, card.lifecycle.graduationDate]).toEqual([120, expected]);
    expect(env.crm.store.get('companies', Number(id))?.props['cs_lifecycle_reason']).toContain('Waiting for SSO');
    expect(card.lifecycle.reason).toContain('Waiting for SSO');
  });
});

describe('portfolio-report and settings-data', () => {
  it('portfolio-report covers every company once, with every segment × band cell and view links', async () => {
    const { result, calls } = await counted(() => portfolioReport(ctx({})));
    const report: PortfolioReport = data(result);
    expect(report.totals.accounts).toBe(200);
    expect(report.segmentBand).toHaveLength(12);
    expect(report.segmentBand.reduce((n, c) => n + c.count, 0)).toBe(200);
    expect(report.links.find((l) => l.kind === 'segment' && l.value === 'pooled')?.url).toBe('https://app.hubspot.com/contacts/123/objects/0-2/views/all/list?cs_segment=pooled');
    expect(report.tasksByPlaybook.reduce((n, p) => n + p.created, 0)).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(10);
  });

  it('settings-data gives the effective config; a what-if names its sample; a bad override names the key', async () => {
    const plain: SettingsData = data(await settingsData(ctx({})));
    expect(plain.whatIf).toBeNull();
    expect(plain.source).toBe('the CS_CONFIG_JSON secret');
    expect(plain.config.summary.bands).toEqual({ healthyFrom: 70, watchFrom: 50, minCoverage: 50 });
    expect(plain.config.summary.pool.members).toHaveLength(env.pool.members.length);
    const preview = data(await settingsData(ctx({ configOverride: { health: { bands: { healthy: 85 } } } })));
    expect(preview.whatIf?.validation).toEqual({ ok: true });
    expect(preview.whatIf?.figures?.accountsEvaluated).toBe(200);
    expect(preview.whatIf?.figures?.bandChanges.some((c) => c.from === 'healthy' && c.to === 'watch')).toBe(true);
    const bad = data(await settingsData(ctx({ configOverride: { health: { bands: { healthy: 'high' } } } })));
    expect(bad.whatIf?.validation.ok).toBe(false);
    if (bad.whatIf && !bad.whatIf.validation.ok) expect(bad.whatIf.validation.errors[0]?.path).toBe('health.bands.healthy');
    expect(bad.whatIf?.figures).toBeNull();
  });
});
