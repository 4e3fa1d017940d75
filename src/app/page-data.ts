/**
 * What the `portfolio-report` function returns (inside `FunctionResult`) and the app page renders:
 * the manager's portfolio view. Plain JSON. The function computes every figure and builds every
 * link; the page only renders.
 */
import type { HealthBand, IsoDate, IsoDateTime, Segment } from '../core/types';

/** One cell of the segment × band table. */
export interface SegmentBandCell {
  segment: Segment;
  band: HealthBand;
  count: number;
  /** A HubSpot company view filtered on this segment and band; null when the function cannot build one. */
  url: string | null;
}

/** A seed benchmark for accounts per CSM (001: mid-market 1:75–150, SMB 1:250–500). */
export interface CoverageBenchmark {
  /** Which benchmark, for people: e.g. "SMB (pooled)". */
  label: string;
  min: number;
  max: number;
}

export type CoverageStatus = 'below' | 'within' | 'above' | 'unknown';

/** One CSM's load. */
export interface CsmLoad {
  ownerId: string;
  ownerName: string;
  /** false when deactivated or archived in HubSpot (still listed while they hold accounts). */
  active: boolean;
  /** Companies where this CSM is the onboarding CSM and the stage is onboarding or overdue. */
  onboardingCount: number;
  /** Configured cap on concurrent onboardings; null = no cap. */
  onboardingCap: number | null;
  /** Graduated (pool) accounts whose open CS tasks this CSM holds, or their share of the pool. */
  pooledAccountsServed: number;
  /** Accounts per CSM (the N of 1:N); null when it cannot be computed. */
  coverageRatio: number | null;
  benchmark: CoverageBenchmark | null;
  /** coverageRatio against the benchmark range. */
  status: CoverageStatus;
  /** Companies view filtered on this onboarding CSM. */
  url: string | null;
}

/** Accounts per CSM for one segment's pool. */
export interface SegmentCoverage {
  segment: Segment;
  accounts: number;
  csms: number;
  coverageRatio: number | null;
  benchmark: CoverageBenchmark | null;
  status: CoverageStatus;
}

/** Companies due to graduate in one ISO week. */
export interface PipelineWeek {
  /** ISO week, e.g. `2026-W48`. */
  week: string;
  /** Monday of that week (UTC). */
  weekStart: IsoDate;
  count: number;
  /** Of those, already past their graduation date without graduating. */
  overdue: number;
  url: string | null;
}

/** CS tasks one playbook created in the report period. */
export interface PlaybookTaskStats {
  playbook: string;
  label: string;
  created: number;
  completed: number;
  open: number;
  /** completed / created, 0–1; null when none were created. */
  completionRate: number | null;
}

/** A link to a filtered HubSpot companies view. */
export interface CompanyViewLink {
  kind: 'segment' | 'band' | 'stage' | 'csm';
  /** The filter value: a segment, band, stage or owner id. */
  value: string;
  label: string;
  url: string;
}

export interface PortfolioTotals {
  accounts: number;
  onboarding: number;
  onboardingOverdue: number;
  graduated: number;
  notStarted: number;
  /** Accounts whose health band is unknown (too few fresh signals). */
  unknownHealth: number;
  openTasks: number;
  activeCsms: number;
}

/** One CSM's open CS tasks: what is on their plate, what is late, what comes this week. */
export interface CsmWorkload {
  ownerId: string;
  ownerName: string;
  active: boolean;
  /** Available at least one day in the next 7 (works that day, not out of office, active). */
  availableThisWeek: boolean;
  open: number;
  overdue: number;
  /** Due from today to 6 days ahead (not overdue). */
  dueThisWeek: number;
  /** Due day of their oldest open task, null when none. */
  oldestDue: IsoDate | null;
  /** Open tasks that may exceed capacity (renewal within the urgent window, a named account at risk). */
  urgent?: number;
  /** Tasks of ours created today that they still hold open, and what a working day allows them (0 when off today). */
  createdToday?: number;
  capacityToday?: number;
}

/** Annual contract value summed per segment × band (accounts with no value counted apart). */
export interface ArrCell {
  segment: Segment;
  band: HealthBand;
  arr: number;
  accounts: number;
  /** Accounts in the cell whose ACV is unknown (not in `arr`). */
  unknownArr: number;
}

/** A renewal soon whose health is at risk or unknown. */
export interface RenewalAtRisk {
  companyId: string;
  companyName: string;
  renewalDate: IsoDate;
  daysToRenewal: number;
  band: HealthBand;
  arr: number | null;
  segment: Segment;
  /** The company record in HubSpot; null without a portal id. */
  url: string | null;
}

/** A company whose data could not be read as is, by name, with a link. */
export interface DataIssueItem {
  companyId: string;
  companyName: string;
  property: string;
  message: string;
  url: string | null;
}

/** One piece of human work waiting for capacity (an entry of a company's `cs_playbook_backlog`). */
export interface BacklogItem {
  companyId: string;
  companyName: string;
  playbook: string;
  /** The playbook in words. */
  label: string;
  /** Waiting since this day (UTC). */
  since: IsoDate;
  daysWaiting: number;
  band: HealthBand;
  segment: Segment;
  /** Who it waits for: the onboarding CSM for onboarding steps, else null (the pool). */
  ownerId: string | null;
  url: string | null;
}

/** Human work waiting for capacity, kept on the companies (issue 14): its size and its oldest item. */
export interface BacklogSummary {
  /** Waiting entries over all companies. */
  count: number;
  /** Companies with at least one entry. */
  companies: number;
  /** The longest-waiting item; null when nothing waits. */
  oldest: BacklogItem | null;
  /** The longest-waiting items, oldest first (at most 10). */
  oldestItems: BacklogItem[];
  /** By playbook, largest first. */
  byPlaybook: { playbook: string; label: string; count: number }[];
  /** By health band (band severity comes first in the priority), every band. */
  byBand: { band: HealthBand; count: number }[];
  /** By whom it waits for: onboarding steps for their onboarding CSM, the rest for the pool (ownerId null). */
  byOwner: { ownerId: string | null; ownerName: string; count: number }[];
}

/** Automated 1:many touches the app asked HubSpot workflows to send (`cs_digital_touch`), in the report period. */
export interface DigitalTouchSummary {
  count: number;
  /** By touch type (the value of `cs_digital_touch`), largest first. */
  byType: { type: string; label: string; count: number }[];
  /** By playbook, largest first. */
  byPlaybook: { playbook: string; label: string; count: number }[];
  /** The customer engaged after the touch (HubSpot's last contacted / activity / engagement dates moved). */
  engaged: number;
  /** Still within the wait for an answer (`channels.followUpDays`), no engagement yet. */
  awaitingAnswer: number;
  /** No answer after the wait: of these, a call task followed where the play asks for one. */
  unanswered: number;
}

/** A company named in the escalations. */
export interface EscalationItem {
  companyId: string;
  companyName: string;
  /** Why it is escalated, in words. */
  reason: string;
  arr: number | null;
  band: HealthBand;
  segment: Segment;
  /** Open CS tasks on the company (0 = nobody is on it yet). */
  openTasks: number;
  url: string | null;
}

/**
 * What needs a manager's eye beyond the day's plan (see `docs/cockpit.md`): named accounts at risk,
 * calls that followed an unanswered digital touch, and urgent work (renewal within the urgent window,
 * named at risk) that may exceed a CSM's daily capacity.
 */
export interface Escalations {
  /** Named accounts whose band is at risk (urgent, even over capacity), largest ARR first (at most 50 listed). */
  namedAtRisk: EscalationItem[];
  /** All of them, and their ARR (accounts without ACV add nothing). */
  namedAtRiskCount: number;
  namedAtRiskArr: number;
  /** Calls created in the period because a digital touch got no answer; those still open, with their companies. */
  noAnswerCalls: { created: number; open: number; items: EscalationItem[] };
  /** Open urgent tasks over all CSMs. */
  urgentOpen: number;
  /** Tasks created today beyond the daily capacity of their CSM (urgent work may exceed it), summed over CSMs. */
  overCapacityToday: number;
  /** The urgent window for renewals, in days (config `workload.urgent.renewalWithinDays`). */
  renewalWithinDays: number;
}

/** The signed-in CSM's day (001 §8.1): tasks due today and overdue, their onboardings, their share. */
export interface MyDay {
  ownerId: string;
  ownerName: string;
  tasks: { taskId: string; companyId: string; companyName: string; subject: string; dueAt: IsoDateTime | null; overdueDays: number; url: string | null }[];
  onboardings: { companyId: string; companyName: string; day: number | null; totalDays: number; overdue: boolean; missing: string[]; url: string | null }[];
  /** Their open CS tasks, and their share of all open CS tasks held by people (0–1). */
  openTasks: number;
  share: number | null;
  /**
   * Their share of the backlog: onboarding steps waiting for them (pinned to the onboarding CSM),
   * and the pool's waiting work divided over the pool members working today (null when none works today).
   */
  backlog?: { mine: number; pool: number; poolPerCsmToday: number | null };
}

export interface PortfolioReport {
  generatedAt: IsoDateTime;
  configVersion: string;
  /** Report period of the task figures (inclusive, UTC days). */
  period: { from: IsoDate; to: IsoDate };
  totals: PortfolioTotals;
  /** Every segment × band pair, zeros included. */
  segmentBand: SegmentBandCell[];
  coverage: SegmentCoverage[];
  csmLoads: CsmLoad[];
  /** Oldest week first. */
  onboardingPipeline: PipelineWeek[];
  tasksByPlaybook: PlaybookTaskStats[];
  /** Filtered company views: one per segment, band and stage (and CSM when known). */
  links: CompanyViewLink[];
  /** Accounts left out or counted as unknown because of bad data, for people. */
  dataIssues: { count: number; examples: string[]; items?: DataIssueItem[] };
  /** Open / overdue / due this week per CSM (pool members and anyone holding CS tasks). */
  workload?: CsmWorkload[];
  /** ARR by segment × band, every pair. */
  arrBySegmentBand?: ArrCell[];
  /** Renewals in the next `renewalsAheadDays` days that are at risk or unknown, soonest first. */
  renewalsAtRisk?: RenewalAtRisk[];
  renewalsAheadDays?: number;
  /** Pool members available at least one day this week (coverage is counted over them). */
  availableCsms?: number;
  /** Human work waiting for capacity. */
  backlog?: BacklogSummary;
  /** Digital touches in the report period. */
  digitalTouches?: DigitalTouchSummary;
  escalations?: Escalations;
  /** The signed-in CSM's day; null when the user is not a HubSpot owner here, absent when not asked. */
  myDay?: MyDay | null;
}
