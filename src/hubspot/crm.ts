/**
 * `createHubSpotCrm`: the `CrmPort` over HubSpot's API. Everything HubSpot-specific stays here
 * and in the modules it wires together.
 */
import type { CrmPort } from '../app/ports';
import { createHubSpotClient, type HubSpotClientOptions } from './client';
import { companyUpdateFor, type PropertyMap } from './company-mapping';
import { companyViewUrlFor } from './company-queries';
import { healthHistory, iterateCompanies, readCompanies, updateCompanies } from './companies';
import { companyTasks, ticketCounts } from './associations';
import { createTasks } from './tasks';
import { listOwners } from './owners';
import { installProperties } from './installer';
import { anyBodySchema } from './schemas';

export interface HubSpotCrmOptions extends HubSpotClientOptions {
  /** Our input property name → the portal's property (e.g. `{ cs_acv: 'annualrevenue' }`). */
  propertyMap?: Record<string, string>;
  /** Ticket pipeline stage ids that count as closed. Default `['4']`. */
  closedTicketStageIds?: string[];
  /** Options of `cs_required_skills` for the installer. */
  skills?: string[];
  /** Reconcile-then-recreate rounds after uncertain task creates. Default 3. */
  maxReconcileRounds?: number;
}

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
  return {
    iterateCompanies: (opts) => iterateCompanies(http, opts ?? {}, map),
    readCompanies: (ids) => readCompanies(http, ids, map),
    healthHistory: (id) => healthHistory(http, id),
    listOwners: () => listOwners(http),
    ticketCounts: (ids) => ticketCounts(http, ids, options.closedTicketStageIds ?? ['4']),
    openCsTasks: (ids) => companyTasks(http, ids),
    updateCompanies: (updates) => updateCompanies(http, updates),
    companyChanges: (current, next) => companyUpdateFor(current, next),
    companyViewUrl: (filter, where) => companyViewUrlFor(where.portalId, filter, where.appHost),
    createTasks: (tasks) => createTasks(http, tasks, { maxReconcileRounds: options.maxReconcileRounds }),
    async completeCallback(callbackId, outputFields) {
      await http.request({
        method: 'POST',
        path: `/automation/v4/actions/callbacks/${encodeURIComponent(callbackId)}/complete`,
        kind: 'callback',
        intent: 'idempotent-write',
        schema: anyBodySchema,
        body: { outputFields },
      });
    },
    installProperties: () => installProperties(http, { propertyMap: map, skills: options.skills }),
    stats: () => http.stats(),
  };
}
