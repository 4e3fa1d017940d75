/**
 * The app component (`app/app-hsmeta.json`): one private app with static auth and the least scopes
 * the app needs. Why each scope is there:
 */
export const REQUIRED_SCOPES = [
  // HubSpot's 2026.03 static private app templates always list the base `oauth` scope.
  'oauth',
  // Read companies (health inputs, segment, lifecycle) and write the app's company properties.
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  // Tasks have no scope of their own: the tasks API requires crm.objects.contacts.read / .write.
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  // Tickets associated with a company feed the health score (read only).
  'tickets',
  // Owners (CSMs, pool members) for assignment and names on the card.
  'crm.objects.owners.read',
  // Create and read the app's company properties and property group (installer).
  'crm.schemas.companies.read',
  'crm.schemas.companies.write',
  // Completing BLOCKed workflow-action executions (`/automation/v4/actions/callbacks/.../complete`).
  'automation',
] as const;

export const APP_UID = 'pooled_customer_success';

export interface AppMetaOptions {
  /** Base URL of the self-hosted action server, added to `permittedUrls.fetch` when set. */
  actionBaseUrl?: string;
}

export function createAppHsmeta(options: AppMetaOptions = {}): Record<string, unknown> {
  return {
    uid: APP_UID,
    type: 'app',
    config: {
      name: 'Pooled Customer Success',
      description:
        'Pooled Customer Success inside HubSpot: health, segments, onboarding CSM assignment and playbook tasks as company properties and tasks.',
      distribution: 'private',
      auth: {
        type: 'static',
        requiredScopes: [...REQUIRED_SCOPES],
        optionalScopes: [],
        conditionallyRequiredScopes: [],
      },
      permittedUrls: {
        fetch: options.actionBaseUrl ? [options.actionBaseUrl] : [],
        iframe: [],
        img: [],
      },
    },
  };
}
