/**
 * The company properties of the data contract, in ONE place: the names the app writes, the inputs it
 * reads (each may be mapped to a property the portal already has), HubSpot's own properties it reads,
 * and the people's names of them for per-record messages.
 */
import { WORKLOAD_READ_PROPERTIES } from './workload-properties';

/** Properties the app writes (group `customer_success`). */
export const WRITTEN_PROPERTIES = {
  segment: 'cs_segment',
  segmentReason: 'cs_segment_reason',
  segmentOverride: 'cs_segment_override',
  segmentOverrideReason: 'cs_segment_override_reason',
  segmentOverrideExpires: 'cs_segment_override_expires',
  healthScore: 'cs_health_score',
  healthBand: 'cs_health_band',
  healthCoverage: 'cs_health_coverage',
  healthSummary: 'cs_health_summary',
  healthComputedAt: 'cs_health_computed_at',
  lifecycleStage: 'cs_lifecycle_stage',
  onboardingCsmId: 'cs_onboarding_csm',
  onboardingStartDate: 'cs_onboarding_start_date',
  graduationDate: 'cs_graduation_date',
  graduatedAt: 'cs_graduated_at',
  lifecycleReason: 'cs_lifecycle_reason',
  configVersion: 'cs_config_version',
  playbookLedger: 'cs_playbook_ledger',
  openTickets: 'cs_open_tickets',
  openTicketsHighPriority: 'cs_open_tickets_high_priority',
  openTicketsUrgent: 'cs_open_tickets_urgent',
  healthDropFrom: 'cs_health_drop_from',
  healthDropOn: 'cs_health_drop_on',
  healthPeak: 'cs_health_peak',
  healthPeakOn: 'cs_health_peak_on',
  healthDropHeadroom: 'cs_health_drop_headroom',
  healthDropDue: 'cs_health_drop_due',
  healthStaleDue: 'cs_health_stale_due',
} as const;

/** Input signals; a config may map each to another property the portal already has. */
export const INPUT_PROPERTIES = {
  acv: 'cs_acv',
  dedicatedCsmContract: 'cs_dedicated_csm_contract',
  contractStartDate: 'cs_contract_start_date',
  renewalDate: 'cs_renewal_date',
  licensedSeats: 'cs_licensed_seats',
  activeUsers: 'cs_active_users',
  usageCurrentPeriod: 'cs_usage_current_period',
  usagePreviousPeriod: 'cs_usage_previous_period',
  lastLoginDate: 'cs_last_login_date',
  npsScore: 'cs_nps_score',
  npsDate: 'cs_nps_date',
  usageUpdatedAt: 'cs_usage_updated_at',
  requiredSkills: 'cs_required_skills',
  lastContactedAt: 'notes_last_contacted',
} as const;

/** HubSpot's own company properties the core reads. */
export const SYSTEM_PROPERTIES = {
  name: 'name',
  modifiedAt: 'hs_lastmodifieddate',
  objectId: 'hs_object_id',
} as const;

/** Maps our default property name (e.g. `cs_acv`) to the portal's property (e.g. `annualrevenue`). */
export type PropertyMap = Readonly<Record<string, string>>;

/**
 * The property actually read for one of our names, after the config's map.
 *
 * @example
 * resolveProperty('cs_acv', { cs_acv: 'annualrevenue' }) // 'annualrevenue'
 */
export function resolveProperty(name: string, propertyMap: PropertyMap = {}): string {
  return propertyMap[name] ?? name;
}

/**
 * Every company property the core needs: inputs (mapped), written state, system properties.
 *
 * @example
 * companyPropertyNames({}).includes('cs_health_score') // true
 */
export function companyPropertyNames(propertyMap: PropertyMap = {}): string[] {
  const names = new Set<string>([
    ...Object.values(SYSTEM_PROPERTIES),
    ...Object.values(INPUT_PROPERTIES).map((n) => resolveProperty(n, propertyMap)),
    ...Object.values(WRITTEN_PROPERTIES),
    ...WORKLOAD_READ_PROPERTIES,
  ]);
  return [...names];
}

/** People's names of the properties, for per-record messages ("ACV unreadable: '12,5k'"). */
const LABELS: Record<string, string> = {
  cs_acv: 'ACV',
  cs_dedicated_csm_contract: 'Dedicated-CSM contract',
  cs_contract_start_date: 'Contract start date',
  cs_renewal_date: 'Renewal date',
  cs_licensed_seats: 'Licensed seats',
  cs_active_users: 'Active users',
  cs_usage_current_period: 'Usage (current period)',
  cs_usage_previous_period: 'Usage (previous period)',
  cs_last_login_date: 'Last login date',
  cs_nps_score: 'NPS score',
  cs_nps_date: 'NPS date',
  cs_usage_updated_at: 'Usage sync date',
  notes_last_contacted: 'Last contacted',
  cs_segment: 'CS segment',
  cs_segment_override: 'CS segment override',
  cs_segment_override_expires: 'CS segment override expiry',
  cs_health_score: 'CS health score',
  cs_health_band: 'CS health band',
  cs_health_coverage: 'CS health coverage',
  cs_health_computed_at: 'CS health computed at',
  cs_lifecycle_stage: 'CS lifecycle stage',
  cs_onboarding_csm: 'CS onboarding CSM',
  cs_onboarding_start_date: 'CS onboarding start date',
  cs_graduation_date: 'CS graduation date',
  cs_graduated_at: 'CS graduated at',
  cs_open_tickets: 'CS open tickets',
  cs_open_tickets_high_priority: 'CS open tickets, high priority',
  cs_open_tickets_urgent: 'CS open tickets, urgent',
  cs_health_drop_from: 'CS health before the drop',
  cs_health_drop_on: 'CS health drop seen on',
  hs_lastmodifieddate: 'Last modified date',
};

/**
 * The label of a property read (a mapped portal property is named after the signal it feeds).
 *
 * @example
 * propertyLabel('annualrevenue', { cs_acv: 'annualrevenue' }) // 'ACV (annualrevenue)'
 */
export function propertyLabel(property: string, propertyMap: PropertyMap = {}): string {
  const direct = LABELS[property];
  if (direct !== undefined) return direct;
  for (const [ours, theirs] of Object.entries(propertyMap)) if (theirs === property && LABELS[ours] !== undefined) return `${LABELS[ours] ?? ours} (${property})`;
  return property;
}
