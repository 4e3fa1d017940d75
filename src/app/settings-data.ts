/**
 * What the `settings-data` function returns (inside `FunctionResult`) and the settings component
 * renders: the effective config, its validation, and, when a `configOverride` was sent, a what-if
 * preview of that config over the portfolio. Plain JSON.
 */
import type { HealthBand, IsoDateTime, Segment } from '../core/types';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface ConfigIssue {
  /** Dotted path in the config, e.g. `segments.thresholds.namedFrom`. */
  path: string;
  message: string;
}

export type ConfigValidation = { ok: true } | { ok: false; errors: ConfigIssue[] };

export interface SignalWeight {
  signal: string;
  label: string;
  /** Configured weight (not renormalised). */
  weight: number;
}

export interface PlaybookSummary {
  id: string;
  label: string;
  enabled: boolean;
  /** When it fires, in words, e.g. "usage drops more than 30% period over period". */
  trigger: string;
  /** Days before the same condition may fire again; null = once per period key only. */
  cooldownDays: number | null;
}

export interface PoolMemberSummary {
  ownerId: string;
  name: string;
  skills: string[];
  /** Days worked, e.g. ["Tue", "Wed", "Thu"]. */
  coverageDays: string[];
  /** Cap on concurrent onboardings. */
  capacity: number;
  active: boolean;
  outOfOffice: boolean;
}

/** The config in words: what the settings page shows without reading JSON. */
export interface ConfigSummary {
  segments: {
    currency: string;
    /** ACV from which an account is mid_pooled / named. */
    midPooledFrom: number;
    namedFrom: number;
    /** Hysteresis band around a threshold, in % of it. */
    hysteresisPct: number;
    dedicatedCsmNeverPooled: boolean;
  };
  weights: { segment: Segment; weights: SignalWeight[] }[];
  bands: {
    healthyFrom: number;
    watchFrom: number;
    /** Below this % of fresh weight the band is unknown. */
    minCoverage: number;
  };
  onboarding: { days: number; maxConcurrentPerCsm: number };
  playbooks: PlaybookSummary[];
  openTaskCap: number;
  pool: { queueId: string | null; members: PoolMemberSummary[] };
}

export interface BandChange {
  from: HealthBand;
  to: HealthBand;
  count: number;
}

export interface SegmentChange {
  from: Segment;
  to: Segment;
  count: number;
}

export interface PlaybookFiring {
  playbook: string;
  label: string;
  /** Tasks that would fire now under the current config. */
  current: number;
  /** … and under the proposed one. */
  proposed: number;
}

export interface WhatIfExample {
  companyId: string;
  companyName: string | null;
  /** The change, for people: "watch → at risk (score 54 → 47)". */
  change: string;
}

export interface WhatIfPreview {
  /** Version the proposed config would carry. */
  configVersion: string | null;
  /** Validation of the proposed config (the effective config with the override merged). */
  validation: ConfigValidation;
  /** null when the proposed config is invalid. */
  figures: {
    accountsEvaluated: number;
    bandChanges: BandChange[];
    segmentChanges: SegmentChange[];
    tasks: PlaybookFiring[];
    examples: WhatIfExample[];
  } | null;
}

export interface SettingsData {
  configVersion: string;
  /** Where the effective config came from, for people (e.g. "defaults", "config file cs-config.json"). */
  source: string;
  generatedAt: IsoDateTime;
  config: { json: JsonValue; summary: ConfigSummary };
  /** Validation of the effective config. */
  validation: ConfigValidation;
  /** Present when the call sent a `configOverride`. */
  whatIf: WhatIfPreview | null;
}
