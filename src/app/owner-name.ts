/**
 * How the app names a HubSpot owner to people (card, report, settings, the sweep's summary).
 */
import type { Owner } from '../core';

/**
 * A person's name: "First Last", else the email, else "Owner <id>"; an id HubSpot does not know
 * says so, so a stale assignment is visible.
 *
 * @example
 * ownerName({ id: '7', firstName: 'Ana', lastName: null, email: 'ana@example.com', userId: null, active: true, archived: false, teams: [] }, '7') // 'Ana'
 * ownerName(undefined, '7') // 'Owner 7 (not found in HubSpot)'
 */
export function ownerName(owner: Owner | undefined, id: string): string {
  if (owner === undefined) return `Owner ${id} (not found in HubSpot)`;
  const name = [owner.firstName, owner.lastName].filter((s): s is string => typeof s === 'string' && s.trim() !== '').join(' ').trim();
  return name || owner.email || `Owner ${id}`;
}
