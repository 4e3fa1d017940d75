import { useAssociations } from '@hubspot/ui-extensions/crm';
import type { CardContact } from '../../src/app/view-models';
import { CONTACT_OBJECT_TYPE, PEOPLE_PAGE_LENGTH, PEOPLE_PROPERTIES, peopleFromAssociations } from './people';

export type PeopleState =
  | { status: 'loading' }
  | { status: 'error'; message: string; retry: () => void }
  | { status: 'ready'; people: CardContact[]; more: boolean };

/**
 * The record's contacts for the People section, from HubSpot's `useAssociations` hook (a read the
 * CRM UI makes for the record shown, in parallel with the `card-data` function; not on the app's
 * token). Primary contacts first.
 */
export function usePeople(): PeopleState {
  const { results, error, isLoading, refetch, pagination } = useAssociations({
    toObjectType: CONTACT_OBJECT_TYPE,
    properties: PEOPLE_PROPERTIES,
    pageLength: PEOPLE_PAGE_LENGTH,
  });
  if (isLoading) return { status: 'loading' };
  if (error) return { status: 'error', message: error.message, retry: () => void refetch() };
  return { status: 'ready', people: peopleFromAssociations(results), more: pagination.hasNextPage };
}
