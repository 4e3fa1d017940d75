/**
 * What the card says when data is missing or stale: which signal, why, and how to get it in
 * the CRM (naming the properties actually read, after the config's property mapping: `crm.inputName`).
 */
import type { SignalContribution, SignalId } from '../core';
import type { CompanyInputField } from './ports';
import type { CardMissingData } from './card-data';

/** Signals that come from the product, surveys or engagement (not ticket counts). */
const DATA_SIGNALS: readonly SignalId[] = ['usage_trend', 'seat_utilisation', 'login_recency', 'nps', 'engagement'];

/** Where the CRM keeps an input, as people see it (`crm.inputName`: the portal's property after the config's mapping). */
export type InputName = (field: CompanyInputField) => string;

/**
 * How to get each signal's data, with the portal's property names.
 * @example
 * howToGet('nps', (f) => crm.inputName(f)) // 'Record NPS answers in cs_nps_score (0–10) with the answer date in cs_nps_date.'
 */
export function howToGet(id: SignalId, name: InputName): string {
  const p = (field: CompanyInputField) => name(field);
  switch (id) {
    case 'usage_trend':
      return `Sync product usage into ${p('usageCurrentPeriod')} and ${p('usagePreviousPeriod')}, and the sync time into ${p('usageUpdatedAt')}.`;
    case 'seat_utilisation':
      return `Sync ${p('licensedSeats')} and ${p('activeUsers')} from the product or the contract.`;
    case 'login_recency':
      return `Sync the last login day into ${p('lastLoginDate')}.`;
    case 'tickets':
      return 'Associate support tickets with their company in HubSpot (a portal whose tickets are not linked to companies gives no ticket evidence).';
    case 'nps':
      return `Record NPS answers in ${p('npsScore')} (0–10) with the answer date in ${p('npsDate')}.`;
    case 'engagement':
      return `Log calls, emails or meetings on the company: HubSpot sets ${p('lastContactedAt')}.`;
  }
}

/**
 * The signals not counted as fresh, in the card's words.
 * @example
 * missingData(health.contributions, (f) => crm.inputName(f)).map((m) => m.id) // ['usage_trend', 'nps']
 */
export function missingData(contributions: readonly SignalContribution[], name: InputName): CardMissingData[] {
  return contributions
    .filter((c): c is SignalContribution & { status: 'unknown' | 'stale' } => c.status !== 'fresh')
    .map((c) => ({ id: c.id, label: c.label, status: c.status, note: c.note, howTo: howToGet(c.id, name) }));
}

/** No product, survey or engagement data is known at all (at most ticket counts). */
export function hasNoData(contributions: readonly SignalContribution[]): boolean {
  return contributions.every((c) => !DATA_SIGNALS.includes(c.id) || c.status === 'unknown');
}
