/**
 * The company use cases behind the app functions and the workflow actions: recompute health,
 * assign the onboarding CSM, run playbooks, override the segment, graduate now, extend
 * onboarding. Each reads the company once (`readCompanies([id])`), asks the pure core, and writes
 * only the properties that changed. Expected failures are values (`ActionFailure`).
 *
 * Recompute and run-playbooks go through the shared pipeline (`processAccounts`): a recompute that
 * moves a company into `at_risk` must also create the escalation task, or the edge is lost.
 */
import { assignOnboardingCsm as assignCore, createAssignmentState, isOwnerUsable, computeLifecycle, extendOnboarding as extendCore, graduateNow as graduateCore, computeSegment, type AssignmentState, type LifecycleActionResult, type Account, type IsoDate, type LifecycleStage, type Owner, type Segment, type SegmentOverride, type WrittenState } from '../core';
import type { ActionError, ActionFailure, CompanyActions, RecomputeHealthResult, RunPlaybooksResult } from './company-actions';
import { loadAssignmentState } from './assignment-loader';
import type { AppDeps } from './deps';
import { isFutureIsoDate } from './function-params';
import { processAccounts } from './process';
import { hubspotFailure } from './failures';

export type OverrideSegmentResult =
  | { ok: true; segment: Segment; reason: string; override: SegmentOverride | null; changed: boolean }
  | ActionFailure;

export type LifecycleChangeResult =
  | { ok: true; stage: LifecycleStage | null; graduationDate: IsoDate | null; graduatedAt: IsoDate | null; reason: string; changed: boolean }
  | ActionFailure;

export type AssignOnboardingCsmOutcome =
  | { ok: true; ownerId: string | null; reason: string; kept: boolean; manual: boolean; changed: boolean }
  | ActionFailure;

export interface CompanyService extends CompanyActions {
  assignOnboardingCsm(companyId: string, ownerId?: string, reason?: string): Promise<AssignOnboardingCsmOutcome>;
  /** `segment: null` removes the override. `expires` (YYYY-MM-DD) must be after today (UTC). */
  overrideSegment(companyId: string, segment: Segment | null, reason: string | null, expires: IsoDate | null): Promise<OverrideSegmentResult>;
  graduateNow(companyId: string, reason: string): Promise<LifecycleChangeResult>;
  extendOnboarding(companyId: string, days: number, reason: string): Promise<LifecycleChangeResult>;
}

const ONBOARDING: ReadonlySet<string> = new Set(['onboarding', 'onboarding_overdue']);

function fail(code: string, message: string, retryable = false): ActionFailure {
  return { ok: false, error: { code, message, retryable } };
}

/** HubSpot errors become failures (retryable or not); anything else is a bug and propagates. */
async function guard<T>(work: () => Promise<T | ActionFailure>): Promise<T | ActionFailure> {
  try {
    return await work();
  } catch (error) {
    const failure: ActionError | null = hubspotFailure(error);
    if (failure === null) throw error;
    return { ok: false, error: failure };
  }
}

/**
 * Creates the service over `deps`.
 *
 * @example
 * const service = createCompanyService(deps);
 * const r = await service.recomputeHealth('4021'); // { ok: true, score: 64, band: 'watch', segment: 'pooled' }
 */
export function createCompanyService(deps: AppDeps): CompanyService {
  const { crm, config } = deps;

  async function read(companyId: string): Promise<{ ok: true; account: Account } | ActionFailure> {
    const r = await crm.readCompanies([companyId]);
    const account = r.accounts.find((a) => a.id === companyId);
    if (account === undefined) return fail('not_found', `No company with id ${companyId} in HubSpot (deleted, merged or never existed)`);
    return { ok: true, account };
  }

  async function write(account: Account, next: WrittenState): Promise<{ ok: true; changed: boolean } | ActionFailure> {
    const update = crm.companyChanges(account, next);
    if (update === null) return { ok: true, changed: false };
    const res = await crm.updateCompanies([{ id: account.id, properties: update }]);
    const failed = res.failed[0];
    if (failed !== undefined) return fail('write_failed', `HubSpot did not save company ${account.id} (${failed.status}): ${failed.message}`, failed.status >= 500 || failed.status === 429);
    return { ok: true, changed: true };
  }

  /**
   * The assignment state for one company: the owners always (usable CSMs and pool members), the
   * pool's onboarding loads only when this company needs an onboarding CSM chosen now.
   */
  async function stateFor(account: Account, now: Date): Promise<{ state: AssignmentState; owners: Owner[] }> {
    const owners = await crm.listOwners();
    const stage = computeLifecycle(account, config, now).stage;
    const csm = account.onboardingCsmId;
    const needsAssignment = ONBOARDING.has(stage) && (csm === null || !isOwnerUsable(owners.find((o) => o.id === csm)));
    if (!needsAssignment) return { state: createAssignmentState({ members: config.pool.members, owners }), owners };
    const loaded = await loadAssignmentState(deps, owners);
    return { state: loaded.state, owners };
  }

  async function pipeline(account: Account) {
    const { state } = await stateFor(account, deps.now());
    return processAccounts([account], deps, state, {});
  }

  function pipelineFailure(result: Awaited<ReturnType<typeof processAccounts>>): ActionFailure | null {
    const f = result.failures[0];
    if (f === undefined) return null;
    return fail('write_failed', `HubSpot did not save all changes (${f.op} ${f.status}): ${f.message}; running it again is safe`, true);
  }

  const service: CompanyService = {
    recomputeHealth: (companyId) =>
      guard<RecomputeHealthResult>(async () => {
        const r = await read(companyId);
        if (!r.ok) return r;
        const result = await pipeline(r.account);
        const failure = pipelineFailure(result);
        if (failure) return failure;
        const ev = result.processed[0]?.evaluation;
        if (ev === undefined) return fail('internal', 'The pipeline returned no result');
        return { ok: true, score: ev.health.score, band: ev.health.band, segment: ev.segment.segment };
      }),

    runPlaybooks: (companyId, opts) =>
      guard<RunPlaybooksResult>(async () => {
        const r = await read(companyId);
        if (!r.ok) return r;
        const result = await pipeline(r.account);
        const keys = result.tasksCreated.map((t) => t.key);
        deps.log.info('run_playbooks', { companyId, created: keys.length, reconciled: result.reconciled, scope: opts.idempotencyScope ?? null });
        const failure = pipelineFailure(result);
        if (failure && keys.length === 0) return failure;
        return { ok: true, tasksCreated: keys.length, keys };
      }),

    assignOnboardingCsm: (companyId, ownerId, reason) =>
      guard<AssignOnboardingCsmOutcome>(async () => {
        const now = deps.now();
        const r = await read(companyId);
        if (!r.ok) return r;
        const account = r.account;
        const lifecycle = computeLifecycle(account, config, now);
        if (lifecycle.stage === 'graduated') return fail('not_onboarding', `Company ${companyId} has already graduated (${lifecycle.graduatedAt ?? 'date unknown'}): no onboarding CSM to assign`);
        if (lifecycle.startDate === null) return fail('not_onboarding', `Company ${companyId} has no contract start date: onboarding has not started`);
        const owners = await crm.listOwners();

        let chosen: string;
        let why: string;
        let kept = false;
        if (ownerId !== undefined) {
          const owner = owners.find((o) => o.id === ownerId);
          if (!isOwnerUsable(owner)) {
            const what = owner === undefined ? 'is not a HubSpot owner in this portal' : owner.archived ? 'is archived' : 'is deactivated';
            return fail('invalid_owner', `Owner ${ownerId} ${what}: choose an active owner`);
          }
          const member = config.pool.members.some((m) => m.ownerId === ownerId);
          chosen = ownerId;
          kept = account.onboardingCsmId === ownerId;
          why = `Chosen by hand${member ? '' : ' (not a pool member)'}${reason ? `: ${reason}` : ''}`;
        } else {
          const current = account.onboardingCsmId;
          if (current !== null && isOwnerUsable(owners.find((o) => o.id === current))) {
            return { ok: true, ownerId: current, reason: 'Existing assignment kept', kept: true, manual: false, changed: false };
          }
          const { state } = await loadAssignmentState(deps, owners);
          const a = assignCore({ ...account, onboardingCsmId: null }, state, config, now);
          if (!a.ok) return fail('no_owner_available', a.reason);
          chosen = a.ownerId;
          why = a.reason;
        }
        const withCsm = { ...account, onboardingCsmId: chosen };
        const lc = computeLifecycle(withCsm, config, now);
        const next: WrittenState = {
          ...account,
          onboardingCsmId: chosen,
          lifecycleStage: lc.stage,
          onboardingStartDate: lc.startDate,
          graduationDate: lc.graduationDate,
          // A person's choice is recorded with its reason; an automatic one leaves the last reason.
          ...(ownerId !== undefined ? { lifecycleReason: why } : {}),
        };
        const w = await write(account, next);
        if (!w.ok) return w;
        return { ok: true, ownerId: chosen, reason: why, kept, manual: ownerId !== undefined, changed: w.changed };
      }),

    overrideSegment: (companyId, segment, reason, expires) =>
      guard<OverrideSegmentResult>(async () => {
        const now = deps.now();
        if (segment !== null && expires !== null && !isFutureIsoDate(expires, now)) {
          return fail('bad_parameters', `expires: The expiry must be after today (${now.toISOString().slice(0, 10)}); ${expires} is not`);
        }
        if (segment !== null && (reason === null || reason.trim() === '')) return fail('bad_parameters', 'reason: A reason is required to override the segment');
        const r = await read(companyId);
        if (!r.ok) return r;
        const account = r.account;
        const override: SegmentOverride | null = segment === null ? null : { segment, reason: reason?.trim() ?? null, expires };
        // Removing an override: no hysteresis against the override's segment.
        const basis = { ...account, segmentOverride: override, segment: override === null && account.segmentOverride !== null ? null : account.segment };
        const seg = computeSegment(basis, config, now);
        const next: WrittenState = { ...account, segmentOverride: override, segment: seg.segment, segmentReason: seg.reason, configVersion: deps.configVersion };
        const w = await write(account, next);
        if (!w.ok) return w;
        return { ok: true, segment: seg.segment, reason: seg.reason, override, changed: w.changed };
      }),

    graduateNow: (companyId, reason) => lifecycleChange(companyId, (account, now) => graduateCore(account, reason, now, config)),

    extendOnboarding: (companyId, days, reason) => lifecycleChange(companyId, (account, now) => extendCore(account, days, reason, { config, now })),
  };

  function lifecycleChange(companyId: string, change: (account: Account, now: Date) => LifecycleActionResult): Promise<LifecycleChangeResult> {
    return guard<LifecycleChangeResult>(async () => {
      const now = deps.now();
      const r = await read(companyId);
      if (!r.ok) return r;
      const result = change(r.account, now);
      if (!result.ok) return fail(result.error.code, result.error.message);
      // The reason is stored (cs_lifecycle_reason), so views and the card say why it was changed.
      const next: WrittenState = { ...r.account, ...result.state, lifecycleReason: result.reason };
      const w = await write(r.account, next);
      if (!w.ok) return w;
      deps.log.info('lifecycle_change', { companyId, stage: result.state.lifecycleStage, changed: w.changed });
      return { ok: true, stage: result.state.lifecycleStage, graduationDate: result.state.graduationDate, graduatedAt: result.state.graduatedAt, reason: result.reason, changed: w.changed };
    });
  }

  return service;
}
