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
  /** The raw value read, for people (e.g. "412 vs 630 (−35%)"). */
  raw: string | null;
  status: 'fresh' | 'stale' | 'unknown';
  /** Why unknown or stale, for people. */
  note: string | null;
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
  health: {
    score: number | null;
    band: HealthBand;
    coverage: number; // 0–100 (% of weight with fresh data)
    signals: CardSignal[];
    summary: string;
    trend: CardTrendPoint[]; // last 90 days, oldest first
    /** Change vs. the score 30 days ago (or the oldest in range), null when no history. */
    change: number | null;
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
    exitCriteria: { id: string; label: string; met: boolean }[];
    overdueDays: number | null;
    /** Why a person last graduated, extended or chose the CSM (cs_lifecycle_reason); null if never. */
    reason: string | null;
  };
  playbooks: {
    openTasks: CardTask[];
    recentTriggers: CardTrigger[];
    openTaskCap: number;
  };
  /** Choices for the "assign onboarding CSM" action. */
  assignableOwners: { id: string; name: string }[];
  /** Per-record data problems (bad values read from HubSpot). */
  dataIssues: { property: string; value: string; message: string }[];
}

/** Every function answers this envelope: the card never sees a stack trace. */
export type FunctionResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
