/**
 * What the app writes to a company, the HubSpot way: the domain `WrittenState` as property values,
 * only what differs from the current state; and the workload (ledger, backlog, digital touch) the
 * app hands over in domain words (`CrmPort.workloadChanges`).
 */
import type { WrittenState } from '../core';
import type { WorkloadChange } from '../app/ports';
import { WRITTEN_PROPERTIES } from './company-properties';
import { formatLedger } from './playbook-ledger';
import { formatDateTime, formatNumber } from './value-codecs';
import { workloadWrites } from './workload-properties';

/**
 * Formats a `WrittenState` the HubSpot way: date → `YYYY-MM-DD`, datetime → ISO, numbers,
 * enumeration option values, blank → ''.
 *
 * @example
 * formatWrittenState(state).cs_health_score // '72'
 */
export function formatWrittenState(state: WrittenState): Record<string, string> {
  const W = WRITTEN_PROPERTIES;
  return {
    [W.segment]: state.segment ?? '',
    [W.segmentReason]: state.segmentReason ?? '',
    [W.segmentOverride]: state.segmentOverride?.segment ?? '',
    [W.segmentOverrideReason]: state.segmentOverride?.reason ?? '',
    [W.segmentOverrideExpires]: state.segmentOverride?.expires ?? '',
    [W.healthScore]: formatNumber(state.healthScore),
    [W.healthBand]: state.healthBand ?? '',
    [W.healthCoverage]: formatNumber(state.healthCoverage),
    [W.healthSummary]: state.healthSummary ?? '',
    [W.healthComputedAt]: formatDateTime(state.healthComputedAt),
    [W.lifecycleStage]: state.lifecycleStage ?? '',
    [W.onboardingCsmId]: state.onboardingCsmId ?? '',
    [W.onboardingStartDate]: state.onboardingStartDate ?? '',
    [W.graduationDate]: state.graduationDate ?? '',
    [W.graduatedAt]: state.graduatedAt ?? '',
    [W.lifecycleReason]: state.lifecycleReason ?? '',
    [W.configVersion]: state.configVersion ?? '',
    [W.playbookLedger]: formatLedger(state.playbookLedger),
    ...formatTicketCounts(state),
    ...(state.healthDrop === undefined
      ? {}
      : { [W.healthDropFrom]: state.healthDrop === null ? '' : formatNumber(state.healthDrop.from), [W.healthDropOn]: state.healthDrop?.on ?? '' }),
    ...(state.healthPeak === undefined
      ? {}
      : { [W.healthPeak]: state.healthPeak === null ? '' : formatNumber(state.healthPeak.score), [W.healthPeakOn]: state.healthPeak?.on ?? '' }),
    ...(state.healthDropHeadroom === undefined ? {} : { [W.healthDropHeadroom]: formatNumber(state.healthDropHeadroom) }),
    ...(state.healthDropDue === undefined ? {} : { [W.healthDropDue]: state.healthDropDue ?? '' }),
    ...(state.healthStaleDue === undefined ? {} : { [W.healthStaleDue]: state.healthStaleDue ?? '' }),
  };
}

/**
 * The recorded ticket counts as properties; none when the state carries no record (an older
 * caller), blanks when it records unknown.
 */
function formatTicketCounts(state: WrittenState): Record<string, string> {
  if (state.ticketCounts === undefined) return {};
  const W = WRITTEN_PROPERTIES;
  const c = state.ticketCounts;
  return {
    [W.openTickets]: c === null ? '' : formatNumber(c.open),
    [W.openTicketsHighPriority]: c === null ? '' : formatNumber(c.highPriority),
    [W.openTicketsUrgent]: c === null ? '' : formatNumber(c.urgent),
  };
}

/**
 * The properties to write to move `current` to `next`: only those that differ, formatted the
 * HubSpot way; `null` when nothing differs. `cs_health_computed_at` alone never causes a write.
 *
 * @example
 * companyUpdateFor(state, { ...state, healthScore: 40 }) // { cs_health_score: '40', cs_health_computed_at: '...' }
 * companyUpdateFor(state, state) // null
 */
export function companyUpdateFor(current: WrittenState, next: WrittenState): Record<string, string> | null {
  const before = formatWrittenState(current);
  const after = formatWrittenState(next);
  const computedAt = WRITTEN_PROPERTIES.healthComputedAt;
  const changes: Record<string, string> = {};
  for (const [name, value] of Object.entries(after)) {
    if (name === computedAt) continue;
    if (before[name] !== value) changes[name] = value;
  }
  if (Object.keys(changes).length === 0) return null;
  if (before[computedAt] !== after[computedAt]) changes[computedAt] = after[computedAt] ?? '';
  return changes;
}

/**
 * The properties that record a workload change: the ledger when given, the backlog (with its
 * oldest day and top priority) when given and different from the current one, the digital touch
 * when one is asked for. `{}` when nothing is to be written.
 *
 * @example
 * workloadUpdateFor({ ledger: ['k@2026-11-23'] }) // { cs_playbook_ledger: 'k@2026-11-23' }
 */
export function workloadUpdateFor(change: WorkloadChange): Record<string, string> {
  return {
    ...(change.ledger !== undefined ? { [WRITTEN_PROPERTIES.playbookLedger]: formatLedger(change.ledger) } : {}),
    ...workloadWrites(change),
  };
}
