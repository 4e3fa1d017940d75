/**
 * The pool's current onboarding loads, read from HubSpot: every company in an onboarding stage
 * with an onboarding CSM counts one for that CSM, unless its onboarding ends today. The rotation is derived from the same data (the
 * CSM whose latest onboarding started longest ago is next), so no state of our own is needed.
 */
import { createAssignmentState, computeLifecycle, type Account, type AssignmentState, type LifecycleStage, type Owner } from '../core';
import type { AppDeps } from './deps';

export interface LoadedAssignment {
  state: AssignmentState;
  /** Onboarding companies counted. */
  onboardingAccounts: number;
  /** Companies read by the pre-pass (search pages = ceil(this / 200)). */
  scanned: number;
}

/**
 * Reads onboarding companies (stage onboarding / onboarding_overdue) and builds the assignment state.
 *
 * @example
 * const { state } = await loadAssignmentState(deps, await deps.crm.listOwners());
 */
export async function loadAssignmentState(deps: Pick<AppDeps, 'crm' | 'config' | 'now'>, owners: Owner[]): Promise<LoadedAssignment> {
  const counter = onboardingCounter(deps);
  for await (const page of deps.crm.iterateCompanies({ lifecycleStages: ONBOARDING_STAGES, hasOnboardingCsm: true })) counter.add(page.accounts);
  return counter.result(owners);
}

/**
 * The same state from companies already read (a run that reads the whole portfolio in one unit
 * needs no pre-pass): only those the pre-pass would match count (stored stage onboarding or
 * onboarding_overdue, an onboarding CSM set).
 *
 * @example
 * const { state } = assignmentStateFrom(unit, deps, owners);
 */
export function assignmentStateFrom(accounts: readonly Account[], deps: Pick<AppDeps, 'config' | 'now'>, owners: Owner[]): LoadedAssignment {
  const counter = onboardingCounter(deps);
  counter.add(accounts.filter((a) => a.onboardingCsmId !== null && a.lifecycleStage !== null && ONBOARDING_STAGES.includes(a.lifecycleStage)));
  const loaded = counter.result(owners);
  return { ...loaded, scanned: 0 };
}

const ONBOARDING_STAGES: LifecycleStage[] = ['onboarding', 'onboarding_overdue'];

function onboardingCounter(deps: Pick<AppDeps, 'config' | 'now'>) {
  const now = deps.now();
  const loads = new Map<string, number>();
  const latestStart = new Map<string, string>();
  let scanned = 0;
  let onboarding = 0;
  return {
    add(accounts: readonly Account[]) {
      for (const account of accounts) {
        scanned++;
        const csm = account.onboardingCsmId;
        if (csm === null) continue;
        // An onboarding that ends today (graduates now) no longer takes a place: counting it would
        // make a second run assign what the first could not.
        const stage = computeLifecycle(account, deps.config, now).stage;
        if (stage !== 'onboarding' && stage !== 'onboarding_overdue') continue;
        onboarding++;
        loads.set(csm, (loads.get(csm) ?? 0) + 1);
        const start = account.onboardingStartDate ?? '';
        if ((latestStart.get(csm) ?? '') < start) latestStart.set(csm, start);
      }
    },
    result(owners: Owner[]): LoadedAssignment {
      const rotation = deps.config.pool.members
        .map((m) => m.ownerId)
        .filter((id) => latestStart.has(id))
        .sort((a, b) => (latestStart.get(a) ?? '').localeCompare(latestStart.get(b) ?? '') || a.localeCompare(b));
      const state = createAssignmentState({ members: deps.config.pool.members, owners, loads, rotation });
      return { state, onboardingAccounts: onboarding, scanned };
    },
  };
}
