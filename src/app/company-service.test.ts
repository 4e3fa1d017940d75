/**
 * The company use cases over an in-memory CRM port (`memoryCrm`): each reads the company once,
 * writes only what changed, and answers expected failures as values (HubSpot errors included);
 * a bug still throws.
 */
import { configVersion, defaultConfig, type Account, type Owner } from '../core';
import { makeAccount } from '../core/test-support';
import { AuthError, RateLimitError } from '../hubspot/errors';
import { createMemoryLogger } from '../platform/logger';
import { createCompanyService } from './company-service';
import type { AppDeps } from './deps';
import { memoryCrm, type MemoryCrm, type MemoryCrmOptions } from './test-support';

const NOW = new Date('2026-06-16T15:00:00Z');
const owner = (id: string, extra: Partial<Owner> = {}): Owner => ({ id, userId: null, email: null, firstName: `CSM ${id}`, lastName: null, active: true, archived: false, teams: [], ...extra });
const config = defaultConfig();
config.pool.members = [
  { ownerId: '1', skills: [], coverageDays: [], outOfOffice: [], capacity: 20 },
  { ownerId: '2', skills: [], coverageDays: [], outOfOffice: [], capacity: 20 },
];
const OWNERS = [owner('1'), owner('2'), owner('3', { archived: true })];
/** Onboarding since 10 days, CSM 1 assigned. */
const onboarding = (): Account =>
  makeAccount({ id: '9', acv: 30_000, contractStartDate: '2026-06-06', onboardingCsmId: '1', lifecycleStage: 'onboarding', onboardingStartDate: '2026-06-06', graduationDate: '2026-09-04' });

function setup(companies: Account[], extra: MemoryCrmOptions = {}): { crm: MemoryCrm; service: ReturnType<typeof createCompanyService>; log: ReturnType<typeof createMemoryLogger> } {
  const crm = memoryCrm({ companies, owners: OWNERS, ...extra });
  const log = createMemoryLogger();
  const deps: AppDeps = { crm, config, configVersion: configVersion(config), now: () => NOW, log };
  return { crm, service: createCompanyService(deps), log };
}

describe('createCompanyService', () => {
  it('an unknown company is a not_found value for every use case, and nothing is written', async () => {
    const { crm, service } = setup([]);
    for (const r of [
      await service.recomputeHealth('404'),
      await service.runPlaybooks('404', {}),
      await service.assignOnboardingCsm('404'),
      await service.overrideSegment('404', 'named', 'strategic', null),
      await service.graduateNow('404', 'ready'),
      await service.extendOnboarding('404', 14, 'slow start'),
    ]) {
      expect(r).toEqual({ ok: false, error: { code: 'not_found', message: expect.stringContaining('404'), retryable: false } });
    }
    expect(crm.updates).toEqual([]);
  });

  it('recompute answers score, band and segment, and writes; a second recompute writes nothing', async () => {
    const { crm, service } = setup([onboarding()]);
    const r = await service.recomputeHealth('9');
    const written = crm.companies.get('9');
    // The answer is what was written (no usage data yet: the band says unknown, not bad).
    expect(r).toEqual({ ok: true, score: written?.healthScore, band: written?.healthBand, segment: 'mid_pooled' });
    expect(written).toMatchObject({ segment: 'mid_pooled', healthBand: 'unknown', healthComputedAt: NOW.toISOString() });
    expect(crm.updates).toHaveLength(1);
    await service.recomputeHealth('9');
    expect(crm.updates).toHaveLength(1);
  });

  it('HubSpot errors become failure values (retryable when waiting helps); a bug propagates', async () => {
    const limited = setup([onboarding()], { readError: () => new RateLimitError({ message: 'x', retryAfterMs: 2000, policyName: 'TEN_SECONDLY_ROLLING' }) });
    expect(await limited.service.recomputeHealth('9')).toEqual({ ok: false, error: { code: 'rate_limited', message: expect.stringContaining('2 s'), retryable: true } });
    const denied = setup([onboarding()], { readError: () => new AuthError({ message: 'x', status: 401 }) });
    expect(await denied.service.graduateNow('9', 'ready')).toMatchObject({ ok: false, error: { code: 'auth', retryable: false } });
    const buggy = setup([onboarding()], { readError: () => new TypeError('bug') });
    await expect(buggy.service.runPlaybooks('9', {})).rejects.toThrow('bug');
  });

  it('a refused write is a write_failed value, retryable on 5xx', async () => {
    const { service } = setup([onboarding()], { failUpdate: () => 503 });
    expect(await service.overrideSegment('9', 'named', 'strategic account', null)).toEqual({ ok: false, error: { code: 'write_failed', message: expect.stringContaining('503'), retryable: true } });
  });

  describe('assignOnboardingCsm', () => {
    it('keeps a usable CSM when asked to assign automatically', async () => {
      const { crm, service } = setup([onboarding()]);
      expect(await service.assignOnboardingCsm('9')).toEqual({ ok: true, ownerId: '1', reason: 'Existing assignment kept', kept: true, manual: false, changed: false });
      expect(crm.updates).toEqual([]);
    });

    it('a hand choice is written with its reason; an archived or unknown owner is refused', async () => {
      const { crm, service } = setup([onboarding()]);
      expect(await service.assignOnboardingCsm('9', '3')).toMatchObject({ ok: false, error: { code: 'invalid_owner', message: expect.stringContaining('archived') } });
      expect(await service.assignOnboardingCsm('9', '77')).toMatchObject({ ok: false, error: { code: 'invalid_owner' } });
      const r = await service.assignOnboardingCsm('9', '2', 'speaks German');
      expect(r).toEqual({ ok: true, ownerId: '2', reason: 'Chosen by hand: speaks German', kept: false, manual: true, changed: true });
      expect(crm.companies.get('9')).toMatchObject({ onboardingCsmId: '2', lifecycleReason: 'Chosen by hand: speaks German' });
    });

    it('assigns a pool member when the CSM left, and refuses a graduated company', async () => {
      const { crm, service } = setup([{ ...onboarding(), onboardingCsmId: '3' }, makeAccount({ id: '10', contractStartDate: '2025-01-01', graduatedAt: '2025-04-01', lifecycleStage: 'graduated' })]);
      const r = await service.assignOnboardingCsm('9');
      expect(r).toMatchObject({ ok: true, manual: false, kept: false, changed: true });
      expect(['1', '2']).toContain(crm.companies.get('9')?.onboardingCsmId);
      expect(await service.assignOnboardingCsm('10')).toMatchObject({ ok: false, error: { code: 'not_onboarding' } });
    });
  });

  describe('overrideSegment', () => {
    it('needs a reason and a future expiry, before reading anything', async () => {
      const { crm, service } = setup([onboarding()]);
      expect(await service.overrideSegment('9', 'named', '  ', null)).toMatchObject({ ok: false, error: { code: 'bad_parameters', message: expect.stringMatching(/^reason:/) } });
      expect(await service.overrideSegment('9', 'named', 'strategic', '2026-06-16')).toMatchObject({ ok: false, error: { code: 'bad_parameters', message: expect.stringMatching(/^expires:/) } });
      expect(crm.calls).toEqual([]);
    });

    it('sets the override (segment follows it) and removes it again', async () => {
      const { crm, service } = setup([onboarding()]);
      const set = await service.overrideSegment('9', 'named', 'strategic logo', '2026-12-31');
      expect(set).toMatchObject({ ok: true, segment: 'named', override: { segment: 'named', reason: 'strategic logo', expires: '2026-12-31' }, changed: true });
      expect(crm.companies.get('9')?.segment).toBe('named');
      const removed = await service.overrideSegment('9', null, null, null);
      expect(removed).toMatchObject({ ok: true, segment: 'mid_pooled', override: null, changed: true });
    });
  });

  describe('graduateNow / extendOnboarding', () => {
    it('graduate now stores the stage and the reason, and logs ids and the stage only', async () => {
      const { crm, service, log } = setup([onboarding()]);
      const r = await service.graduateNow('9', 'All exit criteria met early');
      expect(r).toMatchObject({ ok: true, stage: 'graduated', graduatedAt: '2026-06-16', reason: expect.stringContaining('All exit criteria met early'), changed: true });
      expect(crm.companies.get('9')).toMatchObject({ lifecycleStage: 'graduated', graduatedAt: '2026-06-16' });
      expect(log.lines).toEqual([{ level: 'info', event: 'lifecycle_change', companyId: '9', stage: 'graduated', changed: true }]);
      expect(await service.graduateNow('9', 'again')).toMatchObject({ ok: false, error: { code: 'not_onboarding' } });
    });

    it('extend onboarding moves the graduation date; the core’s refusals come back as values', async () => {
      const { service } = setup([onboarding()]);
      const r = await service.extendOnboarding('9', 14, 'Integration delayed');
      expect(r).toMatchObject({ ok: true, graduationDate: '2026-09-18', changed: true });
      expect(await service.extendOnboarding('9', 14, '')).toMatchObject({ ok: false, error: { code: 'reason_required' } });
    });
  });
});
