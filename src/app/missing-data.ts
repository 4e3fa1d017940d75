/**
 * What the card says when data is missing or stale: which signal, why, and how to get it in
 * HubSpot (naming the properties actually read, after the config's property mapping).
 */
import type { Config, SignalContribution, SignalId } from '../core';
import { INPUT_PROPERTIES, resolveProperty } from '../hubspot';
import type { CardMissingData } from './card-data';

/** Signals that come from the product, surveys or engagement (not ticket counts). */
const DATA_SIGNALS: readonly SignalId[] = ['usage_trend', 'seat_utilisation', 'login_recency', 'nps', 'engagement'];

/**
 * How to get each signal's data, with the portal's property names.
 * @example
 * howToGet('nps', defaultConfig()) // 'Record NPS answers in cs_nps_score (0–10) with the answer date in cs_nps_date.'
 */
export function howToGet(id: SignalId, config: Pick<Config, 'propertyMapping'>): string {
  const p = (name: string) => resolveProperty(name, config.propertyMapping);
  const I = INPUT_PROPERTIES;
  switch (id) {
    case 'usage_trend':
      return `Sync product usage into ${p(I.usageCurrentPeriod)} and ${p(I.usagePreviousPeriod)}, and the sync time into ${p(I.usageUpdatedAt)}.`;
    case 'seat_utilisation':
      return `Sync ${p(I.licensedSeats)} and ${p(I.activeUsers)} from the product or the contract.`;
    case 'login_recency':
      return `Sync the last login day into ${p(I.lastLoginDate)}.`;
    case 'tickets':
      return 'Associate support tickets with their company in HubSpot (a portal whose tickets are not linked to companies gives no ticket evidence).';
    case 'nps':
      return `Record NPS answers in ${p(I.npsScore)} (0–10) with the answer date in ${p(I.npsDate)}.`;
    case 'engagement':
      return `Log calls, emails or meetings on the company: HubSpot sets ${p(I.lastContactedAt)}.`;
  }
}

/**
 * The signals not counted as fresh, in the card's words.
 * @example
 * missingData(health.contributions, config).map((m) => m.id) // ['usage_trend', 'nps']
 */
export function missingData(contributions: readonly SignalContribution[], config: Pick<Config, 'propertyMapping'>): CardMissingData[] {
  return contributions
    .filter((c): c is SignalContribution & { status: 'unknown' | 'stale' } => c.status !== 'fresh')
    .map((c) => ({ id: c.id, label: c.label, status: c.status, note: c.note, howTo: howToGet(c.id, config) }));
}

/** No product, survey or engagement data is known at all (at most ticket counts). */
export function hasNoData(contributions: readonly SignalContribution[]): boolean {
  return contributions.every((c) => !DATA_SIGNALS.includes(c.id) || c.status === 'unknown');
}
