/**
 * `createHubSpotCrm`: the `CrmPort` over HubSpot's API. Everything HubSpot-specific stays here
 * and in the modules it wires together.
 */
import type { CrmPort } from '../app/ports';
import { createHubSpotClient, type HubSpotClientOptions } from './client';
import { INPUT_PROPERTIES, resolveProperty, type PropertyMap } from './company-properties';
import { DEFAULT_VALUE_BOUNDS, type ValueBounds } from './company-parser';
import { companyUpdateFor, workloadUpdateFor } from './written-state';
import { companyRecordUrl, companyViewUrlFor } from './company-queries';
import { healthHistory, iterateCompanies, readCompanies, updateCompanies } from './companies';
import { companyTasks, openTicketCounts, primaryContactIds, ticketChangesSince, ticketCounts } from './associations';
import { TASK_CONTACTS_MAX, createTasks, readTask, updateTask } from './tasks';
import { createOwnersCache, createTtlCache, listOwnerPages, listOwners, type OwnersCache, type TtlCache } from './owners';
import { readCompanyCard } from './company-card';
import { createHash } from 'node:crypto';
import { ticketsLinked, valueTimestamps } from './value-history';
import { ownerTaskLoads } from './owner-tasks';
import { createWrittenProperties, installProperties, isWrittenProperty } from './installer';
import { installDigitalTouchWorkflows } from './workflows';
import { anyBodySchema, callbackCompletionBody } from './schemas';
import { LIMITS } from './limits';
import { HubSpotApiError } from './errors';

export interface HubSpotCrmOptions extends HubSpotClientOptions {
  /** Our input property name → the portal's property (e.g. `{ cs_acv: 'annualrevenue' }`). */
  propertyMap?: Record<string, string>;
  /** Ticket pipeline stage ids that count as closed. Default `['4']`. */
  closedTicketStageIds?: string[];
  /** Options of `cs_required_skills` for the installer. */
  skills?: string[];
  /** Plausibility bounds for values read (default: the config defaults, e.g. ACV below 1e9). */
  valueBounds?: ValueBounds;
  /** Reconcile-then-recreate rounds after uncertain task creates. Default 3. */
  maxReconcileRounds?: number;
  /**
   * Owners are kept this long across calls (ms; 0 or absent = listed every time). The cache is
   * shared by every CrmPort of the process (`sharedOwnersCache`) unless one is given.
   */
  ownersCacheMs?: number;
  ownersCache?: OwnersCache;
  /**
   * Whether the portal links tickets to companies, kept as long as the owners (`ownersCacheMs`)
   * and shared by every CrmPort of the process (`sharedTicketsLinkedCache`) unless one is given:
   * a function builds a port per call, so a per-port answer would be asked again on every card load.
   */
  ticketsLinkedCache?: TtlCache<boolean>;
  /** Primary contacts a created task is also linked to (0 = the company only). Default 3. */
  taskContactsMax?: number;
}

/** One owners cache per process: an app function's warm container keeps it between calls. */
export const sharedOwnersCache: OwnersCache = createOwnersCache();
/** One tickets-linked answer per portal and process (see `HubSpotCrmOptions.ticketsLinkedCache`). */
export const sharedTicketsLinkedCache: TtlCache<boolean> = createTtlCache<boolean>();

/**
 * Creates the HubSpot `CrmPort`. One pacer and one retry policy are shared by all its calls.
 *
 * @example
 * const crm = createHubSpotCrm({ accessToken: process.env.HUBSPOT_ACCESS_TOKEN ?? '', limits: { perTenSeconds: 190 } });
 * for await (const page of crm.iterateCompanies()) console.log(page.accounts.length);
 */
export function createHubSpotCrm(options: HubSpotCrmOptions): CrmPort {
  const http = createHubSpotClient(options);
  const map: PropertyMap = options.propertyMap ?? {};
  const ownersCache = options.ownersCache ?? sharedOwnersCache;
  const linkedCache = options.ticketsLinkedCache ?? sharedTicketsLinkedCache;
  // Per portal: the base URL and a hash of the token (the token itself is never kept as a key).
  const ownersKey = `${options.basePath ?? 'hubspot'}|${createHash('sha256').update(options.accessToken).digest('hex').slice(0, 16)}`;
  const clock = options.clock ?? { now: () => Date.now() };
  const bounds: ValueBounds = options.valueBounds ?? DEFAULT_VALUE_BOUNDS;
  const contactsMax = options.taskContactsMax ?? TASK_CONTACTS_MAX;
  /** Primary contacts being read ahead of the next creates (`prefetchTaskContacts`). */
  let contactsAhead: { ids: ReadonlySet<string>; read: Promise<Map<string, string[]> | null> } | null = null;
  // Learned once per port (a sweep, a function call, the serve process): one call.
  let linked: Promise<boolean> | null = null;
  const linkedOnce = (): Promise<boolean> => {
    linked ??= linkedCache.get(ownersKey, options.ownersCacheMs ?? 0, clock.now(), () => ticketsLinked(http)).catch((error: unknown) => {
      linked = null;
      throw error;
    });
    return linked;
  };
  // Properties of the contract a write found missing (a new version before `setup`): each created
  // once per port, however many chunks found it missing at the same time.
  const creating = new Map<string, Promise<void>>();
  const createMissing = async (names: string[]): Promise<boolean> => {
    if (!names.every(isWrittenProperty)) return false;
    const once = (name: string): Promise<void> => {
      let done = creating.get(name);
      if (done === undefined) {
        done = createWrittenProperties(http, [name]).then(() => undefined);
        // A failed creation is tried again by a later write (not remembered as done).
        done.catch(() => creating.delete(name));
        creating.set(name, done);
      }
      return done;
    };
    try {
      await Promise.all(names.map(once));
    } catch (error) {
      throw new HubSpotApiError({
        kind: 'client',
        status: error instanceof HubSpotApiError ? error.status : null,
        retryable: false,
        message: `The portal lacks properties this version writes (${names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ')}) and the app could not create them: run \`npm run cli -- setup\` (it creates every property of the contract). ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      });
    }
    return true;
  };
  return {
    iterateCompanies: (opts) => iterateCompanies(http, opts ?? {}, map, bounds),
    readCompanies: (ids) => readCompanies(http, ids, map, bounds),
    healthHistory: (id) => healthHistory(http, id),
    listOwners: () => ownersCache.get(ownersKey, options.ownersCacheMs ?? 0, clock.now(), () => listOwners(http)),
    // The card's two halves of the owners list, cached apart: the archived ones only when a name is missing.
    listActiveOwners: () => ownersCache.get(`${ownersKey}|active`, options.ownersCacheMs ?? 0, clock.now(), () => listOwnerPages(http, false)),
    listArchivedOwners: () => ownersCache.get(`${ownersKey}|archived`, options.ownersCacheMs ?? 0, clock.now(), () => listOwnerPages(http, true)),
    readCompanyCard: (id, opts) => readCompanyCard(http, id, { propertyMap: map, closedTicketStageIds: options.closedTicketStageIds ?? ['4'], ticketsLinked: linkedOnce, ...(opts?.ticketsLinkedKnown ? { ticketsLinkedKnown: opts.ticketsLinkedKnown } : {}) }),
    readTask: (id) => readTask(http, id),
    updateTask: (id, change) => updateTask(http, id, change),
    ticketCounts: (ids) => ticketCounts(http, ids, options.closedTicketStageIds ?? ['4']),
    ticketsLinked: linkedOnce,
    valueTimestamps: (ids) => valueTimestamps(http, ids, map),
    openTicketCounts: () => openTicketCounts(http, options.closedTicketStageIds ?? ['4']),
    ticketChangesSince: (since) => ticketChangesSince(http, Date.parse(since)),
    openCsTasks: (ids) => companyTasks(http, ids),
    updateCompanies: (updates) => updateCompanies(http, updates, { createMissing }),
    companyChanges: (current, next) => companyUpdateFor(current, next),
    workloadChanges: (change) => workloadUpdateFor(change),
    companyViewUrl: (filter, where) => companyViewUrlFor(where.portalId, filter, where.appHost),
    inputName: (field) => resolveProperty(INPUT_PROPERTIES[field], map),
    companyRecordUrl: (companyId, where) => companyRecordUrl(where.portalId, companyId, where.appHost),
    async createTasks(tasks) {
      // Contacts read ahead for these companies (consumed once: never stale for a later create).
      const ahead = contactsAhead;
      contactsAhead = null;
      const contacts = ahead !== null && tasks.every((t) => ahead.ids.has(t.accountId)) ? await ahead.read : null;
      return createTasks(http, tasks, { maxReconcileRounds: options.maxReconcileRounds, contactsMax, ...(contacts !== null ? { contacts } : {}) });
    },
    prefetchTaskContacts(companyIds) {
      const ids = [...new Set(companyIds)];
      if (contactsMax <= 0 || ids.length === 0 || ids.length > LIMITS.associationBatchSize) return;
      // A failed read is done again (and judged) by createTasks itself.
      const read = primaryContactIds(http, ids, contactsMax).then(
        (r) => r.byId,
        () => null,
      );
      contactsAhead = { ids: new Set(ids), read };
    },
    async completeCallback(callbackId, outputFields) {
      await http.request({
        method: 'POST',
        path: `/automation/v4/actions/callbacks/${encodeURIComponent(callbackId)}/complete`,
        kind: 'callback',
        intent: 'idempotent-write',
        schema: anyBodySchema,
        body: callbackCompletionBody(outputFields),
      });
    },
    installProperties: () => installProperties(http, { propertyMap: map, skills: options.skills }),
    installDigitalTouchWorkflows: () => installDigitalTouchWorkflows(http),
    ownerTaskLoads: (ids, since, queueId) => ownerTaskLoads(http, ids, since, queueId ?? null),
    stats: () => http.stats(),
  };
}
