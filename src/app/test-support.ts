/**
 * An in-memory `CrmPort` for the use cases' unit tests: companies, owners, open tasks and ticket
 * counts held in maps; writes stick; every call is recorded. Not used by production code (the
 * end-to-end tests run the real adapter against the local CRM server instead).
 */
import type { Account, OpenTask, Owner, PlannedTask, WrittenState } from '../core';
import type { BatchFailure, BatchResult, CompanyQuery, CompanyUpdate, CreatedTask, CrmPort, TicketCounts, WorkloadChange } from './ports';

export interface MemoryCrm extends CrmPort {
  companies: Map<string, Account>;
  /** Calls in order, as `method:argument` (ids joined with commas, counts for lists). */
  calls: string[];
  updates: CompanyUpdate[];
  created: PlannedTask[];
}

export interface MemoryCrmOptions {
  companies?: Account[];
  owners?: Owner[];
  tickets?: Map<string, TicketCounts>;
  open?: Map<string, OpenTask[]>;
  /** Refuse these creates (a 400 per task). */
  failCreate?: (task: PlannedTask) => boolean;
  /** Refuse these updates (the given status per company). */
  failUpdate?: (id: string) => number | null;
  /** Throws from every read (a HubSpot error, or a bug). */
  readError?: () => unknown;
}

const matches = (a: Account, q: CompanyQuery): boolean =>
  (q.lifecycleStages === undefined || (a.lifecycleStage !== null && q.lifecycleStages.includes(a.lifecycleStage))) && (!q.hasOnboardingCsm || a.onboardingCsmId !== null);

/**
 * Creates the in-memory port.
 *
 * @example
 * const crm = memoryCrm({ companies: [makeAccount({ id: '9' })] });
 * await crm.readCompanies(['9']); // { accounts: [ … ], issues: [], missing: [] }
 */
export function memoryCrm(options: MemoryCrmOptions = {}): MemoryCrm {
  const companies = new Map((options.companies ?? []).map((a) => [a.id, a]));
  const calls: string[] = [];
  const updates: CompanyUpdate[] = [];
  const created: PlannedTask[] = [];
  const unused = (name: string) => (): never => {
    throw new Error(`memoryCrm: ${name} is not implemented`);
  };
  const read = () => {
    const e = options.readError?.();
    if (e !== undefined) throw e;
  };
  return {
    companies,
    calls,
    updates,
    created,
    async *iterateCompanies(query = {}) {
      calls.push(`iterateCompanies:${JSON.stringify(query)}`);
      read();
      const accounts = [...companies.values()].filter((a) => matches(a, query));
      yield { accounts, issues: [], cursor: null, total: accounts.length };
    },
    async readCompanies(ids) {
      calls.push(`readCompanies:${ids.join(',')}`);
      read();
      const accounts = ids.map((id) => companies.get(id)).filter((a): a is Account => a !== undefined);
      return { accounts, issues: [], missing: ids.filter((id) => !companies.has(id)) };
    },
    healthHistory: unused('healthHistory'),
    async listOwners() {
      calls.push('listOwners');
      return options.owners ?? [];
    },
    async ticketCounts(ids) {
      calls.push(`ticketCounts:${ids.join(',')}`);
      return new Map([...(options.tickets ?? new Map<string, TicketCounts>())].filter(([id]) => ids.includes(id)));
    },
    async openCsTasks(ids) {
      calls.push(`openCsTasks:${ids.join(',')}`);
      return new Map(ids.map((id) => [id, options.open?.get(id) ?? []]));
    },
    async createTasks(tasks): Promise<BatchResult<CreatedTask>> {
      calls.push(`createTasks:${tasks.length}`);
      const result: BatchResult<CreatedTask> = { ok: [], failed: [] };
      for (const t of tasks) {
        if (options.failCreate?.(t)) result.failed.push({ id: t.key, status: 400, message: 'rejected' });
        else {
          created.push(t);
          result.ok.push({ key: t.key, taskId: `t-${created.length}`, accountId: t.accountId });
        }
      }
      return result;
    },
    async updateCompanies(list) {
      calls.push(`updateCompanies:${list.length}`);
      const ok: string[] = [];
      const failed: BatchFailure[] = [];
      for (const u of list) {
        const status = options.failUpdate?.(u.id) ?? null;
        if (status !== null) {
          failed.push({ id: u.id, status, message: 'refused' });
          continue;
        }
        updates.push(u);
        const current = companies.get(u.id);
        if (current !== undefined) {
          const changed = Object.fromEntries(Object.entries(u.properties).map(([k, v]) => [k, JSON.parse(String(v)) as unknown]));
          companies.set(u.id, { ...current, ...changed });
        }
        ok.push(u.id);
      }
      return { ok, failed };
    },
    /** Changes are the written-state fields that differ, JSON-encoded (so `updateCompanies` can apply them back). */
    companyChanges(current: WrittenState, next: WrittenState) {
      const changes: Record<string, string> = {};
      for (const key of Object.keys(next) as Array<keyof WrittenState>) {
        if (JSON.stringify(current[key]) !== JSON.stringify(next[key])) changes[key] = JSON.stringify(next[key]);
      }
      return Object.keys(changes).length > 0 ? changes : null;
    },
    /** Workload changes as the account fields they move (`playbookLedger`, `playbookBacklog`, `digitalWaiting`; the touch as `digitalTouch`), JSON-encoded likewise. */
    workloadChanges(change: WorkloadChange) {
      const changes: Record<string, string> = {};
      if (change.ledger !== undefined) changes['playbookLedger'] = JSON.stringify(change.ledger);
      const backlog = change.backlog;
      if (backlog !== undefined && (backlog.current === undefined || JSON.stringify(backlog.current) !== JSON.stringify(backlog.next))) changes['playbookBacklog'] = JSON.stringify(backlog.next);
      if (change.touch !== undefined) changes['digitalTouch'] = JSON.stringify(change.touch);
      if (change.waiting !== undefined && change.waiting.current !== change.waiting.next) changes['digitalWaiting'] = JSON.stringify(change.waiting.next);
      return changes;
    },
    companyViewUrl: unused('companyViewUrl'),
    companyRecordUrl: unused('companyRecordUrl'),
    inputName: unused('inputName'),
    openTicketCounts: unused('openTicketCounts'),
    readCompanyCard: unused('readCompanyCard'),
    readTask: unused('readTask'),
    updateTask: unused('updateTask'),
    completeCallback: unused('completeCallback'),
    installProperties: unused('installProperties'),
    stats: unused('stats'),
  };
}
