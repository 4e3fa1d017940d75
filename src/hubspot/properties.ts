/**
 * The company property schema of the data contract (/work/shared/design/properties.md): group
 * `customer_success`, the properties the app writes, and the input properties it reads (created
 * only when the portal lacks them and the config maps them nowhere else).
 */
import { HEALTH_BANDS, LIFECYCLE_STAGES, SEGMENTS } from '../core';
import { INPUT_PROPERTIES, WRITTEN_PROPERTIES } from './company-properties';
import { workloadPropertyDefinitions } from './workload-properties';

export const PROPERTY_GROUP = { name: 'customer_success', label: 'Customer Success', displayOrder: -1 } as const;

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
}

/** A property definition as sent to `POST /crm/v3/properties/companies`. */
export interface PropertyDefinition {
  name: string;
  label: string;
  description: string;
  groupName: string;
  type: 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';
  fieldType: 'text' | 'textarea' | 'number' | 'date' | 'select' | 'checkbox' | 'booleancheckbox';
  options?: PropertyOption[];
  externalOptions?: boolean;
  referencedObjectType?: string;
  showCurrencySymbol?: boolean;
  formField?: boolean;
  /** Ours to create only when the portal has no such property (inputs). Not sent. */
  input?: boolean;
}

const LABELS: Record<string, string> = {
  pooled: 'Pooled',
  mid_pooled: 'Mid-touch pooled',
  named: 'Named CSM',
  healthy: 'Healthy',
  watch: 'Watch',
  at_risk: 'At risk',
  unknown: 'Unknown',
  not_started: 'Not started',
  onboarding: 'Onboarding',
  onboarding_overdue: 'Onboarding overdue',
  graduated: 'Graduated',
};

function options(values: readonly string[]): PropertyOption[] {
  return values.map((value, i) => ({ label: LABELS[value] ?? value, value, displayOrder: i, hidden: false }));
}

function skillLabel(value: string): string {
  return value.replace(/[_-]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}

const G = PROPERTY_GROUP.name;
const W = WRITTEN_PROPERTIES;
const I = INPUT_PROPERTIES;

function def(name: string, label: string, description: string, type: PropertyDefinition['type'], fieldType: PropertyDefinition['fieldType'], extra: Partial<PropertyDefinition> = {}): PropertyDefinition {
  return { name, label, description, groupName: G, type, fieldType, ...extra };
}

/**
 * The property definitions. `skills` are the options of `cs_required_skills`; when omitted the
 * installer leaves that property's options alone.
 *
 * @example
 * propertyDefinitions().find((p) => p.name === 'cs_segment')?.options?.map((o) => o.value) // ['pooled', 'mid_pooled', 'named']
 */
export function propertyDefinitions(opts: { skills?: readonly string[] } = {}): PropertyDefinition[] {
  const written: PropertyDefinition[] = [
    def(W.segment, 'CS segment', 'Coverage model in force (override applied). Written by the Customer Success app.', 'enumeration', 'select', { options: options(SEGMENTS) }),
    def(W.segmentReason, 'CS segment reason', 'Why this segment: ACV band, dedicated-CSM contract or override.', 'string', 'text'),
    def(W.segmentOverride, 'CS segment override', 'Manual segment; blank = none. Requires a reason.', 'enumeration', 'select', { options: options(SEGMENTS) }),
    def(W.segmentOverrideReason, 'CS segment override reason', 'Why the segment was overridden (required with an override).', 'string', 'textarea'),
    def(W.segmentOverrideExpires, 'CS segment override expires', 'The override ends after this day; blank = until removed.', 'date', 'date'),
    def(W.healthScore, 'CS health score', 'Health score 0-100; blank when unknown.', 'number', 'number'),
    def(W.healthBand, 'CS health band', 'Healthy, watch, at risk, or unknown when too few signals are fresh.', 'enumeration', 'select', { options: options(HEALTH_BANDS) }),
    def(W.healthCoverage, 'CS health coverage', 'Percent of signal weight with fresh data.', 'number', 'number'),
    def(W.healthSummary, 'CS health summary', 'The top contributions to the score, in words.', 'string', 'textarea'),
    def(W.healthComputedAt, 'CS health computed at', 'When the health score was last computed.', 'datetime', 'date'),
    def(W.lifecycleStage, 'CS lifecycle stage', 'Onboarding lifecycle: not started, onboarding, overdue, graduated.', 'enumeration', 'select', { options: options(LIFECYCLE_STAGES) }),
    def(W.onboardingCsmId, 'Onboarding CSM', 'The HubSpot user onboarding this customer.', 'enumeration', 'select', { options: [], externalOptions: true, referencedObjectType: 'OWNER' }),
    def(W.onboardingStartDate, 'CS onboarding start date', 'Day onboarding started.', 'date', 'date'),
    def(W.graduationDate, 'CS graduation date', 'Planned graduation: start + 90 days unless extended.', 'date', 'date'),
    def(W.graduatedAt, 'CS graduated at', 'Day the account actually graduated into the pool.', 'date', 'date'),
    def(W.lifecycleReason, 'CS lifecycle reason', 'Why a person graduated, extended or chose the onboarding CSM (the latest such decision).', 'string', 'textarea'),
    def(W.configVersion, 'CS config version', 'Which configuration produced these values.', 'string', 'text'),
    def(W.openTickets, 'CS open tickets', 'Open tickets associated with the company when health was last computed; blank when unknown.', 'number', 'number'),
    def(W.openTicketsHighPriority, 'CS open tickets, high priority', 'Of those, priority high or urgent.', 'number', 'number'),
    def(W.openTicketsUrgent, 'CS open tickets, urgent', 'Of those, priority urgent (holds the band at risk).', 'number', 'number'),
    def(W.healthDropFrom, 'CS health before the drop', 'The score before the latest health drop of the health-drop playbook points or more (20 by default); blank when none was seen.', 'number', 'number'),
    def(W.healthDropOn, 'CS health drop seen on', 'The day that drop was seen. It stays in force for the playbook hold days (14 by default) while the score stays that far below.', 'date', 'date'),
    def(W.healthPeak, 'CS health peak', 'The highest score since the peak date (renewed after the trend comparison days, 30 by default). A fall of the health-drop playbook points or more from it is a health drop, however slowly it came; blank until first computed.', 'number', 'number'),
    def(W.healthPeakOn, 'CS health peak date', 'The day the score reached that peak, or the day the window started again.', 'date', 'date'),
    def(W.healthDropHeadroom, 'CS health drop headroom', 'Points the score can still fall before its fall from the peak is a health drop (score minus peak plus the playbook points); negative once past; blank without a peak in the window. A view of 0 to 5 shows the accounts close to a health-drop review.', 'number', 'number'),
    def(W.healthStaleDue, 'CS health stale due by', 'The first day data whose age comes from HubSpot property history (no sync date mapped or readable) goes stale, if nothing else changes; blank when none is fresh. Managed by the app: an incremental sweep reads the companies whose day has come.', 'date', 'date'),
    def(W.healthDropDue, 'CS health drop due by', 'The first day the clock alone (logins and touches ageing) could take the score past that line, if nothing else changes; blank when it cannot. Managed by the app: an incremental sweep reads the companies whose day has come.', 'date', 'date'),
    def(W.playbookLedger, 'CS playbook ledger', 'Keys of playbook tasks already created (bounded), for idempotency. Managed by the app.', 'string', 'textarea'),
  ];
  const inputs: PropertyDefinition[] = [
    def(I.acv, 'CS ACV', 'Annual contract value; sets the segment.', 'number', 'number', { showCurrencySymbol: true, input: true }),
    def(I.dedicatedCsmContract, 'Dedicated CSM contract', 'The contract promises a named CSM: never pooled.', 'bool', 'booleancheckbox', {
      options: [
        { label: 'Yes', value: 'true', displayOrder: 0, hidden: false },
        { label: 'No', value: 'false', displayOrder: 1, hidden: false },
      ],
      input: true,
    }),
    def(I.contractStartDate, 'CS contract start date', 'Contract start; a new contract starts onboarding.', 'date', 'date', { input: true }),
    def(I.renewalDate, 'CS renewal date', 'Next renewal date.', 'date', 'date', { input: true }),
    def(I.licensedSeats, 'CS licensed seats', 'Seats licensed.', 'number', 'number', { input: true }),
    def(I.activeUsers, 'CS active users', 'Active users in the product.', 'number', 'number', { input: true }),
    def(I.usageCurrentPeriod, 'CS usage (current period)', 'Product usage this period.', 'number', 'number', { input: true }),
    def(I.usagePreviousPeriod, 'CS usage (previous period)', 'Product usage the previous period.', 'number', 'number', { input: true }),
    def(I.lastLoginDate, 'CS last login date', 'Last login to the product.', 'date', 'date', { input: true }),
    def(I.npsScore, 'CS NPS score', 'Latest NPS answer, 0-10.', 'number', 'number', { input: true }),
    def(I.npsDate, 'CS NPS date', 'When the latest NPS answer was given.', 'date', 'date', { input: true }),
    def(I.usageUpdatedAt, 'CS usage updated at', 'When usage, seats and logins were last synced from the product.', 'datetime', 'date', { input: true }),
    def(I.requiredSkills, 'CS required skills', 'Skills an onboarding CSM must have.', 'enumeration', 'checkbox', {
      ...(opts.skills ? { options: opts.skills.map((s, i) => ({ label: skillLabel(s), value: s, displayOrder: i, hidden: false })) } : { options: [] }),
      input: true,
    }),
  ];
  return [...written, ...workloadPropertyDefinitions(G), ...inputs];
}

/** The body sent to HubSpot for a definition (without our `input` marker). */
export function definitionBody(d: PropertyDefinition): Omit<PropertyDefinition, 'input'> {
  const { input: _input, ...body } = d;
  return body;
}
