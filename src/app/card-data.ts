/**
 * What the `card-data` function returns and the company card renders: everything the card shows,
 * in one call. Plain JSON (it crosses `hubspot.serverless`). The functions build it from core
 * results; the card only renders it.
 */
import type { HealthBand, LifecycleStage, Segment } from '../core/types';

export interface CardSignal {
  /** Stable id, e.g. `usage_trend`. */
  id: string;
  label: string;
  /** Weight share used (after renormalisation), 0–1; 0 when unknown. */
  weight: number;
  /** Normalised 0–100, null when unknown. */
  normalized: number | null;
  /** Points this signal adds to the score (contributions add up to the score). */
  contribution: number;
  /** Points this signal costs the score: its weight share × (100 − normalised); 0 when unknown or at 100. */
  pointsLost: number;
  /** The weight the config gives this signal for the segment, 0–1, before any renormalisation. */
  configuredWeight: number;
  /** The raw value read, for people (e.g. "412 vs 630 (−35%)"). */
  raw: string | null;
  status: 'fresh' | 'stale' | 'unknown';
  /** Why unknown or stale, for people. */
  note: string | null;
}

export interface CardMissingData {
  /** Signal id, e.g. `usage_trend`. */
  id: string;
  label: string;
  status: 'unknown' | 'stale';
  /** Why (e.g. "usage not reported", "data is 40 days old (limit 14)"). */
  note: string | null;
  /** What to do in HubSpot to get the data, naming the properties read. */
  howTo: string;
}

export interface CardCap {
  id: string;
  band: 'watch' | 'at_risk';
  /** The rule and the values, e.g. "NPS detractor: 3 on 2026-10-01". */
  reason: string;
}

/**
 * One step of the onboarding plan (config `playbooks.onboarding.steps`) and where it stands, from the
 * ledger, the open tasks and the card's dry run: `done` (its task was created and is no longer open),
 * `open` (its task is open), `due` (its day has come: the next sweep creates it), `upcoming` (its day
 * is ahead), `skipped` (never created and never will be: `reason` says why), `waiting` (due, but held
 * back today: `reason` says why).
 */
export interface CardOnboardingStep {
  step: string;
  /** Day of the schedule (0 = the onboarding start). */
  day: number;
  subject: string;
  /** The step's own day (YYYY-MM-DD, UTC). */
  dueDate: string;
  state: 'done' | 'open' | 'due' | 'upcoming' | 'skipped' | 'waiting';
  /** Why skipped or waiting, in words (no ids, no ISO dates); null otherwise. */
  reason: string | null;
  /** The open task's due instant when `open`; null otherwise. */
  taskDueAt: string | null;
}

export interface CardTrendPoint {
  at: string; // ISO instant
  score: number;
}

export interface CardTask {
  id: string;
  subject: string;
  dueAt: string | null;
  priority: string | null;
  ownerName: string | null;
  queueId: string | null;
  /** Why the playbook fired, in words (from the trigger that created it); null when unknown. */
  why: string | null;
  /** Days past due (0 = due today or later). */
  overdueDays: number;
  /**
   * The contacts the task was linked to in HubSpot when it was created (task → contact
   * associations, recorded in its body); [] when none. The card names them from its People read
   * (and says "about" the primary contact when none is linked).
   */
  linkedContactIds: string[];
}

/** One change of the score, from HubSpot's property history of cs_health_score and cs_health_summary. */
export interface CardScoreChange {
  at: string; // ISO instant HubSpot recorded
  score: number;
  /** Change from the value before; null for the first value known. */
  delta: number | null;
  /** The health summary written with this score (its causes), when HubSpot kept it. */
  causes: string | null;
}

/**
 * A contact of the company, for the card's People section. The card reads the contacts itself
 * (HubSpot's `useAssociations` hook), not through `card-data`.
 */
export interface CardContact {
  id: string;
  name: string;
  role: string | null;
  email: string | null;
  /** Last engagement HubSpot recorded for the contact (ISO instant), null when never. */
  lastEngagedAt: string | null;
  primary: boolean;
}

/** The facts a CSM needs before acting: money, dates, people. */
export interface CardFacts {
  /** Annual contract value (cs_acv or the mapped property); null when unknown. */
  arr: number | null;
  renewalDate: string | null;
  /** Days from today to the renewal (negative when past); null when unknown. */
  daysToRenewal: number | null;
  /** The company's HubSpot owner (hubspot_owner_id), if any. */
  accountOwner: { id: string; name: string } | null;
  /** Last touch (notes_last_contacted), ISO instant; null when never. */
  lastTouchAt: string | null;
  daysSinceTouch: number | null;
}

export interface CardTrigger {
  key: string;
  playbook: string;
  rule: string;
  values: Record<string, string | number | boolean | null>;
  firedAt: string | null;
}

export interface CardData {
  companyId: string;
  companyName: string | null;
  configVersion: string;
  computedAt: string; // ISO instant `now` used
  facts: CardFacts;
  health: {
    score: number | null;
    band: HealthBand;
    /** True when the unknown signals could move the band (their weight, at 0 or 100, crosses a band edge). */
    unknownMatters: boolean;
    /** Score changes with their causes, newest first (HubSpot property history, no store of ours). */
    history: CardScoreChange[];
    coverage: number; // 0–100 (% of weight with fresh data)
    signals: CardSignal[];
    summary: string;
    trend: CardTrendPoint[]; // last 90 days, oldest first
    /** Change vs. the score 30 days ago (or the oldest in range), null when no history. */
    change: number | null;
    /** Coverage needed for a score (config health.minCoverage); below it the score is null. */
    minCoverage: number;
    /** No product, survey or engagement data at all (at most ticket counts): the card's no-data state. */
    noData: boolean;
    /** Signals not counted as fresh, with what is missing and how to get it. */
    missing: CardMissingData[];
    /** The critical signal that capped the band (e.g. a recent NPS detractor); null when none did. */
    cap: CardCap | null;
    /** Every critical signal that holds, strictest first (the cap is the first when it lowered the band). */
    caps: CardCap[];
  };
  segment: {
    segment: Segment;
    reason: string;
    override: { segment: Segment; reason: string | null; expires: string | null; expired: boolean } | null;
  };
  lifecycle: {
    stage: LifecycleStage;
    onboardingCsm: { id: string; name: string; active: boolean } | null;
    startDate: string | null;
    graduationDate: string | null;
    graduatedAt: string | null;
    /** Day N of `totalDays`; null when not onboarding. */
    day: number | null;
    totalDays: number;
    /** Empty once graduated (criteria matter only while onboarding). */
    exitCriteria: { id: string; label: string; met: boolean }[];
    overdueDays: number | null;
    /** Every exit criterion met before the graduation date: graduate early, or it graduates on the date. */
    readyToGraduate: boolean;
    /** Why a person last graduated, extended or chose the CSM (cs_lifecycle_reason); null if never. */
    reason: string | null;
    /** The onboarding plan's steps, in schedule order, while onboarding; empty otherwise. */
    steps: CardOnboardingStep[];
  };
  playbooks: {
    openTasks: CardTask[];
    recentTriggers: CardTrigger[];
    openTaskCap: number;
  };
  /** Contacts the People section shows at most, primary first (config `card.contactsMax`). */
  peopleMax: number;
  /** Snooze choices for a task, in days (config `card.snoozeDays`). */
  snoozeDays: number[];
  /** Choices for the "assign onboarding CSM" action. */
  assignableOwners: { id: string; name: string }[];
  /** Per-record data problems (bad values read from HubSpot). */
  dataIssues: { property: string; value: string; message: string }[];
}

/** Every function answers this envelope: the card never sees a stack trace. */
export type FunctionResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
