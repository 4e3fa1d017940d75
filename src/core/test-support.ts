/**
 * Builders for domain values, for tests and the bench (test support: not exported by `index.ts`).
 */
import type { Account, WrittenState } from './types';

/**
 * An empty written state (everything unknown / never written).
 * @example
 * emptyWrittenState().playbookLedger // []
 */
export function emptyWrittenState(): WrittenState {
  return {
    segment: null,
    segmentReason: null,
    segmentOverride: null,
    healthScore: null,
    healthBand: null,
    healthCoverage: null,
    healthSummary: null,
    healthComputedAt: null,
    lifecycleStage: null,
    onboardingCsmId: null,
    onboardingStartDate: null,
    graduationDate: null,
    graduatedAt: null,
    lifecycleReason: null,
    configVersion: null,
    playbookLedger: [],
  };
}

/**
 * An account with every input unknown, plus the given fields.
 * @example
 * makeAccount({ id: '42', acv: 30_000 }).segment // null
 */
export function makeAccount(fields: Partial<Account> & { id?: string } = {}): Account {
  // One literal with every key, then assign: keeps a single fast object shape (spreading varying
  // field sets into a large literal produced slow dictionary-mode objects).
  const account: Account = {
    segment: null,
    segmentReason: null,
    segmentOverride: null,
    healthScore: null,
    healthBand: null,
    healthCoverage: null,
    healthSummary: null,
    healthComputedAt: null,
    lifecycleStage: null,
    onboardingCsmId: null,
    onboardingStartDate: null,
    graduationDate: null,
    graduatedAt: null,
    lifecycleReason: null,
    configVersion: null,
    playbookLedger: [],
    id: '1',
    name: null,
    acv: null,
    dedicatedCsmContract: null,
    contractStartDate: null,
    renewalDate: null,
    licensedSeats: null,
    activeUsers: null,
    usageCurrentPeriod: null,
    usagePreviousPeriod: null,
    lastLoginDate: null,
    npsScore: null,
    npsDate: null,
    usageUpdatedAt: null,
    lastContactedAt: null,
    requiredSkills: [],
    openTickets: null,
    highPriorityTickets: null,
    modifiedAt: null,
    openCsTasks: null,
  };
  return Object.assign(account, fields);
}
