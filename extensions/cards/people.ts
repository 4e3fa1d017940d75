/**
 * The card's People section from HubSpot's own card hook: `useAssociations` (`@hubspot/ui-extensions/crm`)
 * reads the record's associated contacts through the CRM UI, so it is not a call on the app's
 * token and not part of the `card-data` function's budget. Pure helpers here; the hook in `usePeople.ts`.
 */
import type { CardContact, CardTask } from '../../src/app/view-models';

/** HubSpot's contacts object type id. */
export const CONTACT_OBJECT_TYPE = '0-1';

/**
 * Contact properties the card shows: name, role, email, and the last engagement
 * (`notes_last_contacted`, else `hs_last_sales_activity_timestamp`).
 */
export const PEOPLE_PROPERTIES = ['firstname', 'lastname', 'email', 'jobtitle', 'notes_last_contacted', 'hs_last_sales_activity_timestamp'];

/**
 * Contacts read in one page. The card shows at most `card.peopleMax` of them, primary first; the
 * page is larger so that primary contacts among the first 20 associated are found.
 */
export const PEOPLE_PAGE_LENGTH = 20;

/**
 * HubSpot's association type id for "company to contact (Primary)" (HUBSPOT_DEFINED); the
 * unlabeled company → contact type is 280. HubSpot says to rely on the type id, not the label.
 * The same id as `src/hubspot/associations.ts` (the card may import only the view models).
 */
export const COMPANY_TO_CONTACT_PRIMARY_TYPE_ID = 2;

/** One result of `useAssociations` (the SDK's `AssociationResult`). */
export interface AssociationRow {
  toObjectId: number;
  associationTypes: { category: string; typeId: number; label: string | null }[];
  properties: Record<string, string | null | undefined>;
}

/** Primary when HubSpot's primary company ↔ contact type is among the association's types (or, failing that, its label says Primary). */
export function isPrimary(types: AssociationRow['associationTypes']): boolean {
  return types.some((t) => (t.category === 'HUBSPOT_DEFINED' && t.typeId === COMPANY_TO_CONTACT_PRIMARY_TYPE_ID) || /^primary$/i.test(t.label ?? ''));
}

const text = (v: string | null | undefined): string | null => {
  const s = v?.trim();
  return s ? s : null;
};

/**
 * A date-time property value as an ISO instant: HubSpot gives milliseconds since the epoch (as
 * text) or an ISO string; null when empty or not a date.
 *
 * @example instantOf('1762077600000') // '2025-11-02T10:00:00.000Z'
 */
export function instantOf(raw: string | null | undefined): string | null {
  const s = text(raw);
  if (s === null) return null;
  // Epoch milliseconds, or an ISO date / date-time; anything else (e.g. "12") is not a date.
  const ms = /^\d{9,}$/.test(s) ? Number(s) : /^\d{4}-\d{2}-\d{2}/.test(s) ? Date.parse(s) : NaN;
  if (!Number.isFinite(ms)) return null;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/**
 * The hook's rows as the card's contacts: named (first and last name, else email, else "Contact
 * <id>"), primary first, each contact once, in the order HubSpot gave them otherwise.
 */
export function peopleFromAssociations(rows: readonly AssociationRow[]): CardContact[] {
  const seen = new Set<string>();
  const out: CardContact[] = [];
  for (const r of rows) {
    const id = String(r.toObjectId);
    if (seen.has(id)) continue;
    seen.add(id);
    const p = r.properties;
    const name = [text(p.firstname), text(p.lastname)].filter((s): s is string => s !== null).join(' ');
    out.push({
      id,
      name: name || text(p.email) || `Contact ${id}`,
      role: text(p.jobtitle),
      email: text(p.email),
      lastEngagedAt: instantOf(p.notes_last_contacted) ?? instantOf(p.hs_last_sales_activity_timestamp),
      primary: isPrimary(r.associationTypes),
    });
  }
  // A stable sort: primary contacts first, the rest as HubSpot listed them.
  return out.map((c, i) => ({ c, i })).sort((a, b) => Number(b.c.primary) - Number(a.c.primary) || a.i - b.i).map((x) => x.c);
}

/**
 * The line under a task naming its contacts: "Linked to: …" (the contacts HubSpot links the task
 * to, named from the People read; one not among them is "Contact <id>"), else "About: <primary
 * contact>"; null when there is none. While the contacts load, linked ones are counted, not named.
 */
export function taskContactText(task: Pick<CardTask, 'linkedContactIds'>, people: readonly CardContact[] | null): string | null {
  const ids = task.linkedContactIds;
  if (people === null) return ids.length === 0 ? null : `Linked to ${ids.length} ${ids.length === 1 ? 'contact' : 'contacts'}`;
  const byId = new Map(people.map((p) => [p.id, p]));
  if (ids.length > 0) return `Linked to: ${ids.map((id) => byId.get(id)?.name ?? `Contact ${id}`).join(', ')}`;
  const primary = people.find((p) => p.primary);
  return primary ? `About: ${primary.name}` : null;
}
