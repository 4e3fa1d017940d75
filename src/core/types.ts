/**
 * Domain types shared by the core, the HubSpot adapter, the sweep, the functions and the cards.
 *
 * This file is the contract between layers. The core (src/core) is pure: it receives these values
 * plus `now` and a validated config, and returns these results. The adapter (src/hubspot) is the
 * only code that turns HubSpot's string properties into an `Account` and results back into
 * property writes and tasks.
 *
 * Conventions
 * - Dates (calendar days) are ISO `YYYY-MM-DD` strings, interpreted in UTC.
 * - Instants are ISO 8601 strings with `Z` (e.g. `2026-11-23T10:00:00.000Z`) or epoch ms numbers
 *   where noted.
 * - `null` means *unknown* (missing, empty, or malformed in HubSpot). Never use 0 for unknown.
 */

export const SEGMENTS = ['pooled', 'mid_pooled', 'named'] as const;
export type Segment = (typeof SEGMENTS)[number];

export const HEALTH_BANDS = ['healthy', 'watch', 'at_risk', 'unknown'] as const;
export type HealthBand = (typeof HEALTH_BANDS)[number];

/** Values of the `cs_lifecycle_stage` company property (properties.md). */
export const LIFECYCLE_STAGES = ['not_started', 'onboarding', 'onboarding_overdue', 'graduated'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const TASK_PRIORITIES = ['LOW', 'MEDIUM', 'HIGH'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

/** Calendar day `YYYY-MM-DD` (UTC). */
export type IsoDate = string;
/** Instant, ISO 8601 with `Z`. */
export type IsoDateTime = string;

export interface SegmentOverride {
  segment: Segment;
  reason: string | null;
  /** Override ends at the end of this day (UTC); null = until removed. */
  expires: IsoDate | null;
}

/**
 * The company properties the app writes (properties.md), as domain values. The core returns the
 * next `WrittenState`; the adapter writes only the properties that differ from the current one
 * (`healthComputedAt` alone never causes a write).
 */
export interface WrittenState {
  segment: Segment | null;
  segmentReason: string | null;
  segmentOverride: SegmentOverride | null;
  healthScore: number | null;
  healthBand: HealthBand | null;
  /** 0–100: % of signal weight with fresh data. */
  healthCoverage: number | null;
  healthSummary: string | null;
  healthComputedAt: IsoDateTime | null;
  lifecycleStage: LifecycleStage | null;
  onboardingCsmId: string | null;
  onboardingStartDate: IsoDate | null;
  graduationDate: IsoDate | null;
  graduatedAt: IsoDate | null;
  /** Why a person changed the lifecycle (graduated early, extended, chose the CSM); kept until the next such decision. */
  lifecycleReason: string | null;
  configVersion: string | null;
  /** Idempotency keys of tasks already created for this company (cs_playbook_ledger), newest last, bounded. */
  playbookLedger: string[];
  /**
   * The open tickets the last evaluation counted (cs_open_tickets…): an incremental sweep takes them
   * instead of reading the tickets of a company none of whose tickets changed since. Absent or null = not recorded.
   */
  ticketCounts?: StoredTicketCounts | null;
  /**
   * The latest health drop of `playbooks.rules.health_drop.points` or more (cs_health_drop_from,
   * cs_health_drop_on): the score before it and the day it was seen. The drop stays wanted for
   * `holdDays` while the score stays that far below. Absent = not recorded (an older caller).
   */
  healthDrop?: HealthDropRecord | null;
  /**
   * The highest score since the day it was recorded (cs_health_peak, cs_health_peak_on), renewed
   * after `health.trendCompareDays`: a slow slide of `health_drop.points` or more from it within
   * that window is a health drop, seen without reading the score's history. Absent = not recorded
   * (an older caller).
   */
  healthPeak?: HealthPeakRecord | null;
  /**
   * Points the score can still fall before its slide from the recorded peak is a health drop
   * (cs_health_drop_headroom: score − (peak − health_drop.points)), as of this evaluation; negative
   * once past; null without a peak in force or a score. Lets an incremental run find the companies
   * the clock alone may take past the line. Absent = not recorded (an older caller).
   */
  healthDropHeadroom?: number | null;
  /**
   * The first day the clock alone could take the score past that line (cs_health_drop_due;
   * `healthDropDueDay`): an incremental run reads the companies whose day has come. Null when it
   * cannot (passed, no ageing signal, or the peak's window ends first). Absent = not recorded.
   */
  healthDropDue?: IsoDate | null;
  /**
   * The first day a fresh signal whose age comes from HubSpot's property history (no sync date) goes
   * stale, if nothing else changes (cs_health_stale_due; `historyStaleDueDay`): a history timestamp
   * is not searchable, so an incremental run reads the companies whose day has come. Null when no
   * such signal is fresh. Absent = not recorded (an older caller).
   */
  healthStaleDue?: IsoDate | null;
}

/** A health drop as recorded: the score before it and the day it was seen. */
export interface HealthDropRecord {
  from: number;
  on: IsoDate;
}

/** The score's recent high as recorded: the score and the day it was reached (or renewed). */
export interface HealthPeakRecord {
  score: number;
  on: IsoDate;
}

/** Open tickets of a company as an evaluation counted them. */
export interface StoredTicketCounts {
  open: number;
  highPriority: number;
  urgent: number;
}

/**
 * One company as the core sees it: the input signals (read from HubSpot) and the state the app
 * wrote on a previous run (needed for hysteresis, edges, cooldowns and idempotency).
 */
export interface Account extends WrittenState {
  /** HubSpot company id (hs_object_id). */
  id: string;
  name: string | null;

  // ---- inputs (read) ----
  acv: number | null;
  dedicatedCsmContract: boolean | null;
  contractStartDate: IsoDate | null;
  renewalDate: IsoDate | null;
  licensedSeats: number | null;
  activeUsers: number | null;
  usageCurrentPeriod: number | null;
  usagePreviousPeriod: number | null;
  lastLoginDate: IsoDate | null;
  npsScore: number | null;
  /** When the NPS answer was given (cs_nps_date); null = unknown age. */
  npsDate: IsoDate | null;
  /** When usage / seats / logins were last synced from the product (cs_usage_updated_at). */
  usageUpdatedAt: IsoDateTime | null;
  /** HubSpot's notes_last_contacted. */
  lastContactedAt: IsoDateTime | null;
  requiredSkills: string[];
  /** Open tickets associated with the company; null = not read / unknown. */
  openTickets: number | null;
  /** Open tickets with priority HIGH (or URGENT). */
  highPriorityTickets: number | null;
  /** Open tickets with priority URGENT (caps the band); absent or null = unknown. */
  urgentTickets?: number | null;
  /**
   * When HubSpot last recorded a product-usage value (property history of usage, active users,
   * last login): the freshness of usage / seats / logins when `usageUpdatedAt` is unknown.
   */
  usageValueAt?: IsoDateTime | null;
  /** When HubSpot recorded the NPS answer (property history): its age when `npsDate` is unknown. */
  npsValueAt?: IsoDateTime | null;
  /** hs_lastmodifieddate. */
  modifiedAt: IsoDateTime | null;

  // ---- state written by the app on earlier runs (see WrittenState) ----
  /** Number of open tasks the app created for this company; null = not read. */
  openCsTasks: number | null;

  // ---- workload (issue 14); optional so older fixtures stay valid ----
  /** Human work waiting for capacity (cs_playbook_backlog): `key@YYYY-MM-DD` (waiting since), oldest first. */
  playbookBacklog?: string[];
  /**
   * The latest customer engagement HubSpot records on the company: the newest of notes_last_contacted,
   * notes_last_updated and hs_last_sales_activity_timestamp (a digital touch is answered when this moves after it).
   */
  lastEngagedAt?: IsoDateTime | null;
  /** When the company's latest digital touch was asked for (cs_digital_touch_at): engagement counts only after this instant. */
  digitalTouchAt?: IsoDateTime | null;
  /** Digital touches due but held for a later day when last evaluated (cs_digital_waiting); absent = none. */
  digitalWaiting?: number;
  /** The next day a digital touch's follow-up comes due, as last written (cs_digital_follow_up_due); absent = none. */
  digitalFollowUpDue?: IsoDate;
  /** The first day the risk-task cap of the ledger no longer holds, as last written (cs_risk_cap_ends); absent = none. */
  riskCapEnds?: IsoDate;
  /** The first day a play held by its cooldown may fire again, as last written (cs_cooldown_ends); absent = none. */
  cooldownEnds?: IsoDate;
}

/** A value HubSpot sent that could not be parsed: reported per record, never a NaN. */
export interface RecordIssue {
  recordId: string;
  property: string;
  value: string;
  message: string;
}

/** A HubSpot user (owner) as the app needs it. */
export interface Owner {
  id: string;
  /** HubSpot user id (owners have both). */
  userId: number | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  /** false when archived in HubSpot or the user is deactivated. */
  active: boolean;
  archived: boolean;
  teams: { id: string; name: string; primary: boolean }[];
}

/** One past value of a property (from propertiesWithHistory), newest first or any order. */
export interface HistoryPoint {
  value: number;
  at: IsoDateTime;
}

/** A task the core wants created. The adapter turns it into a HubSpot task associated to the company. */
export interface PlannedTask {
  accountId: string;
  /** Stable idempotency key: account, playbook, step, period. Does not move with TZ or DST. */
  key: string;
  playbook: string;
  step: string;
  subject: string;
  /** Explains which rule fired on which values, and carries the key. */
  body: string;
  /** Due instant (UTC). */
  dueAt: IsoDateTime;
  priority: TaskPriority;
  /** Exactly one of ownerId / queueId is set. */
  ownerId: string | null;
  queueId: string | null;
  /** The rule and the values that fired it (for the card's "recent triggers"). */
  trigger: { rule: string; values: Record<string, string | number | boolean | null> };
  /** Ranking in the day's work, higher first (config `workload.priority`); absent = not ranked. */
  rank?: number;
  /** Created even over capacity (renewal within N days, a named account at risk). */
  urgent?: boolean;
  /** The owner is fixed (the onboarding CSM), not chosen from the pool. */
  pinnedOwner?: boolean;
  /** Waiting in the backlog since this day (UTC). */
  waitingSince?: IsoDate;
  /** Due day (epoch days, UTC) the rule asked for, before moving it to the assignee's working day. */
  dueDay?: number;
  /**
   * Present while the words are not built (an evaluation with `texts: 'deferred'`): subject and body
   * are empty until `withTaskTexts` builds them. A task is never written to HubSpot so.
   */
  deferredTexts?: DeferredTexts;
}

/** What the planner builds a deferred task's words from (opaque outside it). */
export interface DeferredTexts {
  readonly deferredTexts: true;
}

/** A digital touch the core wants written to the company (cs_digital_touch / cs_digital_touch_at). */
export interface PlannedTouch {
  accountId: string;
  /** Ledger key (the same key rules as tasks): `cs:<id>:<playbook>:<step>-digital:<period>`. */
  key: string;
  playbook: string;
  touchType: string;
  /** Why, in words with the values; empty while deferred (`deferredTexts`: `withTouchTexts` builds it). */
  why: string;
  /** Present while `why` is not built (an evaluation with `texts: 'deferred'`: the sweep writes a touch's type and time only). */
  deferredTexts?: DeferredTexts;
}

/** An open task of ours as read back from HubSpot (card, cap, reconciliation). */
export interface OpenTask {
  id: string;
  subject: string;
  dueAt: IsoDateTime | null;
  status: string;
  priority: string | null;
  ownerId: string | null;
  queueIds: string[];
  /** Idempotency key parsed from the body, when the task is ours. */
  key: string | null;
}
