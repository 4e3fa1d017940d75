/**
 * What the application asks of the CRM, in domain words. `src/hubspot/` implements it
 * (createHubSpotCrm); the sweep, the functions and the CLI depend only on this interface.
 * Everything HubSpot-specific (paths, property names, search operators, view URLs, string parsing,
 * batching, paging, retries, pacing) stays behind it.
 */
import type { Account, HealthBand, HistoryPoint, IsoDate, IsoDateTime, LifecycleStage, OpenTask, Owner, PlannedTask, RecordIssue, Segment, WrittenState } from '../../core';

/** One page of companies, already parsed. Bad values are reported in `issues`, never dropped silently. */
export interface CompanyPage {
  accounts: Account[];
  issues: RecordIssue[];
  /** Resume point: pass it back as `after` to continue after this page (opaque, JSON-safe). */
  cursor: string | null;
  /** How many companies the query matched when it started (HubSpot's `total`), for progress; null if unknown. */
  total: number | null;
}

/** The company dates a query can select on (the adapter maps each to its property, after the config's mapping). */
export type CompanyDateField = 'contractStartDate' | 'renewalDate' | 'lastLoginDate' | 'lastContactedAt' | 'segmentOverrideExpires' | 'usageUpdatedAt' | 'npsDate' | 'digitalTouchAt' | 'digitalFollowUpDue' | 'healthDropDue' | 'healthStaleDue' | 'riskCapEnds' | 'cooldownEnds';

/**
 * Which companies to read, in domain words; every criterion given must hold. `{}` is every company.
 *
 * @example
 * const onboardingWithCsm: CompanyQuery = { lifecycleStages: ['onboarding', 'onboarding_overdue'], hasOnboardingCsm: true };
 */
export interface CompanyQuery {
  /** Only companies modified at or after this instant. */
  modifiedSince?: IsoDateTime;
  /** Only companies whose stored lifecycle stage is one of these. */
  lifecycleStages?: LifecycleStage[];
  /** Only companies with an onboarding CSM set. */
  hasOnboardingCsm?: boolean;
  /** Only companies whose date falls within these UTC days (days since the epoch, both ends included). */
  dateBetween?: { field: CompanyDateField; fromDay: number; toDay: number };
  /** Only companies with an NPS answer at or below this score (0–10). */
  npsAtMost?: number;
  /** Only companies whose stored health score is within these points (both ends included). */
  scoreBetween?: { min: number; max: number };
  /** Only companies with work waiting in their backlog. */
  hasBacklog?: boolean;
  /** Only companies whose waiting work ranks at least this high (the backlog's top priority). */
  backlogPriorityAtLeast?: number;
  /** Only companies whose waiting work ranks below this (the backlog's top priority). */
  backlogPriorityBelow?: number;
  /** Only companies with digital touches held for a later day (one goes out per company per `channels.minDaysBetweenTouches` days). */
  hasDigitalWaiting?: boolean;
  /** Only companies whose stored segment is one of these. */
  segments?: Segment[];
  /** Only companies whose stored health band is one of these. */
  healthBands?: HealthBand[];
  /**
   * Alternatives (OR): a company matches when it matches one of these queries as well as every other
   * criterion of this one. The adapter decides how many alternatives one search carries
   * (`packCompanyQueries` in `src/hubspot`, within HubSpot's limits per search).
   */
  anyOf?: CompanyQuery[];
}

export interface IterateCompaniesOptions extends CompanyQuery {
  /** Resume after a previously returned cursor. */
  after?: string | null;
  /** Search page size, max 200. */
  pageSize?: number;
}

/** Company inputs a person can be told how to fill (the adapter names the portal's property for each). */
export type CompanyInputField =
  | 'usageCurrentPeriod'
  | 'usagePreviousPeriod'
  | 'usageUpdatedAt'
  | 'licensedSeats'
  | 'activeUsers'
  | 'lastLoginDate'
  | 'npsScore'
  | 'npsDate'
  | 'lastContactedAt';

/** A filtered list of companies a manager can open in the CRM (domain values; the adapter names the properties). */
export interface CompanyViewFilter {
  segment?: Segment;
  healthBand?: HealthBand;
  lifecycleStage?: LifecycleStage;
  onboardingCsmId?: string;
  /** The graduation week key (e.g. `2026-W48`). */
  graduationWeek?: string;
}

/** The properties to write for one company; values are domain values, the adapter formats them. */
export interface CompanyUpdate {
  id: string;
  properties: Record<string, string | number | boolean | null>;
}

/**
 * A company's workload to record, in domain words (the adapter names and formats the properties).
 * Every part is optional: absent means "leave as it is".
 *
 * @example
 * const change: WorkloadChange = { ledger: ['cs:1:renewal:d90:2027-01-31@2026-11-23'], backlog: { next: [], oldestSince: null, topPriority: null } };
 */
export interface WorkloadChange {
  /** The playbook ledger to record (the core's `key@day` entries, newest last). */
  ledger?: readonly string[];
  /** The backlog of human work waiting for capacity (the core's `key@since` entries). */
  backlog?: {
    /** The backlog as read; when given and equal to `next`, the backlog is not written. */
    current?: readonly string[];
    next: readonly string[];
    /** The oldest day an entry has waited since; null when nothing waits. */
    oldestSince: IsoDate | null;
    /** The highest priority among the waiting work; null when unknown (written blank, as when nothing waits). */
    topPriority: number | null;
  };
  /** A digital touch asked for: its type (company workflows enroll on it) and when. */
  touch?: { touchType: string; at: IsoDateTime };
  /**
   * Digital touches due but held for a later day (one per company per `channels.minDaysBetweenTouches`
   * days), as read and as now: an incremental run re-reads the companies with any once their latest
   * touch is that old, so the next touch is not left for the weekly full sweep. Written only when the
   * number changed.
   */
  waiting?: { current: number; next: number };
  /**
   * The next day a digital touch's follow-up comes due (the core's `nextFollowUpDay`), as read and as
   * now: an incremental run reads the companies whose day has come. Written only when it changed.
   */
  followUpDue?: { current: IsoDate | null; next: IsoDate | null };
  /**
   * The first day the risk-task cap of the ledger being written no longer holds the band (the core's
   * `riskCapEndsOf`), as read and as now: an incremental run reads the companies whose day has
   * come. Written only when it changed.
   */
  riskCapEnds?: { current: IsoDate | null; next: IsoDate | null };
  /**
   * The first day a play that fires now but is held by its cooldown may fire again (the core's
   * `AccountEvaluation.cooldownEnds`), as read and as now: an incremental run reads the companies
   * whose day has come. Written only when it changed.
   */
  cooldownEnds?: { current: IsoDate | null; next: IsoDate | null };
}

export interface BatchFailure {
  /** Company id, or the task's idempotency key for creates. */
  id: string;
  status: number;
  message: string;
}

export interface BatchResult<T> {
  ok: T[];
  failed: BatchFailure[];
}

export interface CreatedTask {
  key: string;
  taskId: string;
  accountId: string;
}

export interface TicketCounts {
  open: number;
  highPriority: number;
  /** Open tickets with priority URGENT. */
  urgent?: number;
  /** Tickets associated with the company, closed ones included. */
  total?: number;
}

/** When HubSpot recorded the current values (property history), for freshness without a sync date. */
export interface ValueTimestamps {
  /** Newest of the usage, active-users and last-login values; null when none is set. */
  usageValueAt: string | null;
  /** When the NPS score was set; null when it is not. */
  npsValueAt: string | null;
}

export interface CallStats {
  /** HTTP requests sent, by kind (search, batchRead, batchUpdate, batchCreate, owners, ...). */
  calls: Record<string, number>;
  /** Records carried by successful calls, by kind (search results; batch and association inputs; 1 per other call). */
  items: Record<string, number>;
  total: number;
  retries: number;
  /** 429s of the 10-second burst limit (and any 429 whose policy HubSpot does not name). */
  rateLimited10s: number;
  /** 429s of search's per-second limit (policy SECONDLY): a search reached HubSpot later than the pacer's margin. */
  rateLimitedSecondly?: number;
  rateLimitedDaily: number;
  /** Time spent waiting in the pacer or for Retry-After, ms. */
  waitedMs: number;
}

export interface InstallReport {
  groupCreated: boolean;
  created: string[];
  updated: string[];
  unchanged: string[];
}

/** One digital-touch workflow in HubSpot (`setup --workflows`). */
export interface DigitalTouchWorkflow {
  touchType: string;
  flowId: string;
  name: string;
  isEnabled: boolean;
}

/** What `setup --workflows` found, created, and what the admin does next. */
export interface WorkflowInstallReport {
  /** Already there (matched by name or by the marker in the description); left as they are. */
  existing: DigitalTouchWorkflow[];
  /** Created this run, turned off. */
  created: DigitalTouchWorkflow[];
  /** The token scope the flows API needs. */
  scope: string;
  adminSteps: string[];
}

export interface CrmPort {
  /** Streams every company (or the filtered set) in pages, past the 10,000 search ceiling. */
  iterateCompanies(options?: IterateCompaniesOptions): AsyncIterable<CompanyPage>;
  /** Reads up to any number of companies by id (batch read, 100 per call). */
  readCompanies(ids: string[]): Promise<{ accounts: Account[]; issues: RecordIssue[]; missing: string[] }>;
  /** Score history (propertiesWithHistory) for one company. */
  healthHistory(companyId: string): Promise<HistoryPoint[]>;
  /** Active and archived owners, with teams. */
  listOwners(): Promise<Owner[]>;
  /**
   * The active owners only (deactivated users included, not active), and the archived ones apart:
   * the card lists the archived ones only when a name it shows is missing. Optional: without them
   * the card uses `listOwners`.
   */
  listActiveOwners?(): Promise<Owner[]>;
  listArchivedOwners?(): Promise<Owner[]>;
  /** Open / high-priority ticket counts per company (v4 associations + batch read). */
  ticketCounts(companyIds: string[]): Promise<Map<string, TicketCounts>>;
  /**
   * Whether the portal links its tickets to companies at all (else "no ticket" is no evidence).
   * Learned once per port (one call); absent = assume linked.
   */
  ticketsLinked?(): Promise<boolean>;
  /** Timestamps of the current usage and NPS values from property history (50 companies per call). */
  valueTimestamps?(companyIds: string[]): Promise<Map<string, ValueTimestamps>>;
  /**
   * Open-ticket counts for the whole portfolio: open tickets by search, then their company links
   * (a full sweep's way: it never reads closed tickets). Companies absent have no open ticket.
   */
  openTicketCounts(): Promise<{ byCompany: Map<string, TicketCounts>; openTickets: number; unlinked: number }>;
  /**
   * The companies linked to a ticket created or changed at or after `since` (tickets by search on
   * their modified date, then their company links): an incremental sweep reads only their tickets
   * and takes the recorded counts of the others. Absent = the sweep reads every company's tickets.
   */
  ticketChangesSince?(since: IsoDateTime): Promise<{ companies: Set<string>; tickets: number }>;
  /** Open tasks the app created, per company (v4 associations + batch read). */
  openCsTasks(companyIds: string[]): Promise<Map<string, OpenTask[]>>;
  /**
   * What the company card shows, in one company read (properties, score and summary history,
   * associated ids) plus one batch read per associated type (tasks, tickets), in parallel. The
   * contacts are not read: the card has them from HubSpot's own `useAssociations` hook. Null when
   * the company does not exist.
   */
  readCompanyCard(companyId: string, options?: CompanyCardReadOptions): Promise<CompanyCardRead | null>;
  /** One task and the companies it is associated to; null when it does not exist. */
  readTask(taskId: string): Promise<{ task: OpenTask; companyIds: string[] } | null>;
  /** Completes or snoozes (moves the due date of) a task; returns it as HubSpot now has it. */
  updateTask(taskId: string, change: TaskChange): Promise<OpenTask>;
  /** Batch update, 100 per call; 207 partial results reported per record. */
  updateCompanies(updates: CompanyUpdate[]): Promise<BatchResult<string>>;
  /**
   * What to write to move a company from `current` to `next`, as `CompanyUpdate.properties`
   * (the adapter's formatting, opaque to the app); null when nothing changes.
   */
  companyChanges(current: WrittenState, next: WrittenState): Record<string, string> | null;
  /**
   * What to write to record a workload change (ledger, backlog, digital touch), as
   * `CompanyUpdate.properties` (the adapter's names and formatting, opaque to the app); `{}` when nothing.
   */
  workloadChanges(change: WorkloadChange): Record<string, string>;
  /** A link to the CRM's company list filtered on `filter`; null without a valid portal id. */
  companyViewUrl(filter: CompanyViewFilter, where: { portalId: string | null | undefined; appHost?: string }): string | null;
  /** Where the CRM keeps an input, as people see it (the portal's property, after the config's mapping), for guidance text. */
  inputName(field: CompanyInputField): string;
  /** A link to one company's record in the CRM; null without a valid portal id or company id. */
  companyRecordUrl(companyId: string, where: { portalId: string | null | undefined; appHost?: string }): string | null;
  /**
   * Creates tasks associated to their company (type 192), 100 per call. Never re-sends a create
   * blindly: after a 5xx/timeout it reconciles by reading the company's tasks for the key first.
   */
  createTasks(tasks: PlannedTask[]): Promise<BatchResult<CreatedTask>>;
  /**
   * Starts reading the primary contacts of these companies now (at most one call's worth), for the
   * next `createTasks` whose tasks are all theirs: the contacts are then not a round trip of their
   * own before the creates. A read that fails is simply done again by `createTasks`.
   */
  prefetchTaskContacts?(companyIds: readonly string[]): void;
  /** Completes a BLOCKed workflow action. */
  completeCallback(callbackId: string, outputFields: Record<string, string | number>): Promise<void>;
  /** Installs the property group and the properties of the data contract. Idempotent. */
  installProperties(): Promise<InstallReport>;
  /**
   * One company workflow per digital touch type, created turned off when missing (idempotent; needs the
   * `automation` scope). Optional so partial fakes stay valid.
   */
  installDigitalTouchWorkflows?(): Promise<WorkflowInstallReport>;
  /**
   * Per owner: open tasks, and open tasks our dispatch gave them on `day` (YYYY-MM-DD; the day's capacity already used);
   * with the pool's `queueId`, what the dispatch gave that queue on `day` under `queue:<id>` (same search).
   * Optional so partial fakes stay valid; without it capacity assumes nothing open and nothing given today.
   */
  ownerTaskLoads?(ownerIds: string[], day: string, queueId?: string | null): Promise<{ open: Map<string, number>; dispatchedOn: Map<string, number> }>;
  /** Request counters since creation. */
  stats(): CallStats;
}

export interface CompanyCardReadOptions {
  /**
   * For a company with no ticket: whether tickets count, from the company as read (the last
   * sweep's judgement); null = unknown from the record, so the adapter asks the portal
   * (`ticketsLinked`, cached) in the batch reads' round trip.
   */
  ticketsLinkedKnown?: (account: Account) => boolean | null;
}

export interface CompanyCardRead {
  /** The company parsed like every other read, with ticket counts and the open CS task count filled in. */
  account: Account;
  issues: RecordIssue[];
  accountOwnerId: string | null;
  /** cs_health_score values, newest first. */
  scoreHistory: HistoryPoint[];
  /** cs_health_summary values, newest first. */
  summaryHistory: { value: string; at: string }[];
  /** Our open tasks (body carries the key), not completed. */
  openTasks: OpenTask[];
  /** Tickets associated with the company, open or closed (0 = no ticket evidence unless the portal links tickets). */
  ticketsTotal: number;
  /** Whether the portal links tickets to companies, when the read asked (a company with no ticket); absent = not asked. */
  ticketsLinked?: boolean;
  /** Per open task id: the contacts it was linked to when created (from its body); absent = none recorded. */
  taskContactIds?: Record<string, string[]>;
}

/** What the card may change on a task: complete it, or move its due date (snooze). */
export interface TaskChange {
  status?: 'COMPLETED';
  /** New due instant (ISO). */
  dueAt?: string;
}
