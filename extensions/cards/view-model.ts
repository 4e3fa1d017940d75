/**
 * Pure helpers that turn `CardData` values into what a CSM reads: labels, tag colours, dates (UTC),
 * "Day 12 of 90". No React, no clock: the card's `computedAt` is the reference instant.
 */
import type { HealthBand, LifecycleStage, Segment, CardData, CardSignal, CardTask, CardTrigger } from '../../src/app/view-models';

export type TagVariant = 'success' | 'warning' | 'danger' | 'default' | 'info';

const BAND_LABELS: Record<HealthBand, string> = {
  healthy: 'Healthy',
  watch: 'Watch',
  at_risk: 'At risk',
  unknown: 'Unknown',
};

const BAND_VARIANTS: Record<HealthBand, TagVariant> = {
  healthy: 'success',
  watch: 'warning',
  at_risk: 'danger',
  unknown: 'default',
};

const SEGMENT_LABELS: Record<Segment, string> = {
  pooled: 'Pooled',
  mid_pooled: 'Mid-pooled',
  named: 'Named',
};

const STAGE_LABELS: Record<LifecycleStage, string> = {
  not_started: 'Not started',
  onboarding: 'Onboarding',
  onboarding_overdue: 'Onboarding overdue',
  graduated: 'Graduated',
};

const STAGE_VARIANTS: Record<LifecycleStage, TagVariant> = {
  not_started: 'default',
  onboarding: 'info',
  onboarding_overdue: 'danger',
  graduated: 'success',
};

/** @example bandLabel('at_risk') // 'At risk' */
export const bandLabel = (band: HealthBand): string => BAND_LABELS[band];
/** StatusTag variant: healthy → success, watch → warning, at risk → danger, unknown → default. */
export const bandVariant = (band: HealthBand): TagVariant => BAND_VARIANTS[band];
/** @example segmentLabel('mid_pooled') // 'Mid-pooled' */
export const segmentLabel = (segment: Segment): string => SEGMENT_LABELS[segment];
export const stageLabel = (stage: LifecycleStage): string => STAGE_LABELS[stage];
export const stageVariant = (stage: LifecycleStage): TagVariant => STAGE_VARIANTS[stage];

export const signalStatusLabel = (status: CardSignal['status']): string =>
  status === 'fresh' ? 'Fresh' : status === 'stale' ? 'Stale' : 'Unknown';
export const signalStatusVariant = (status: CardSignal['status']): TagVariant =>
  status === 'fresh' ? 'success' : status === 'stale' ? 'warning' : 'default';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

function parseUtc(value: string): Date | null {
  // A bare calendar day is UTC midnight; an instant is read as written.
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00.000Z`) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * A calendar day in UTC, the same for every viewer whatever their time zone.
 * @example formatDate('2026-11-23') // '23 Nov 2026'
 * @example formatDate('2026-11-23T23:30:00Z') // '23 Nov 2026'
 */
export function formatDate(value: string | null): string {
  if (value === null) return '—';
  const d = parseUtc(value);
  if (!d) return value;
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** @example formatDateTime('2026-11-23T09:05:00Z') // '23 Nov 2026, 09:05 UTC' */
export function formatDateTime(value: string | null): string {
  if (value === null) return '—';
  const d = parseUtc(value);
  if (!d) return value;
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${formatDate(value)}, ${hh}:${mm} UTC`;
}

/** `YYYY-MM-DD` of an instant or day (UTC), for chart axes. */
export function isoDay(value: string): string {
  const d = parseUtc(value);
  return d ? d.toISOString().slice(0, 10) : value;
}

/** @example dayOfLabel(12, 90) // 'Day 12 of 90' */
export function dayOfLabel(day: number | null, totalDays: number): string | null {
  return day === null ? null : `Day ${day} of ${totalDays}`;
}

/** Percent of onboarding elapsed, capped to 0–100. */
export function onboardingProgress(day: number | null, totalDays: number): number {
  if (day === null || totalDays <= 0) return 0;
  return Math.max(0, Math.min(100, Math.round((day / totalDays) * 100)));
}

/** @example formatScore(72.4) // '72' ; formatScore(null) // '—' */
export const formatScore = (score: number | null): string => (score === null ? '—' : String(Math.round(score)));

/** @example formatPercent(62.5) // '63%' */
export const formatPercent = (value: number): string => `${Math.round(value)}%`;

/** Points with sign and one decimal: '+18.5', '−4.0', '0.0'. */
export function formatPoints(points: number): string {
  const abs = Math.abs(points).toFixed(1);
  if (points > 0 && abs !== '0.0') return `+${abs}`;
  if (points < 0 && abs !== '0.0') return `−${abs}`;
  return '0.0';
}

/** @example formatChange(-12) // '−12 in 30 days' */
export function formatChange(change: number | null): string | null {
  if (change === null) return null;
  const rounded = Math.round(change);
  const sign = rounded > 0 ? '+' : rounded < 0 ? '−' : '±';
  return `${sign}${Math.abs(rounded)} in 30 days`;
}

/** Weight share as a percentage: 0.25 → '25%'. */
export const formatWeight = (weight: number): string => `${Math.round(weight * 100)}%`;

/** Who holds a task: its owner, else the pool queue. */
export function taskHolder(task: CardTask): string {
  if (task.ownerName) return task.ownerName;
  if (task.queueId) return `Pool queue ${task.queueId}`;
  return 'Unassigned';
}

/** A trigger's values in words: 'usageDropPct = 35, seats = 40'. */
export function formatTriggerValues(values: CardTrigger['values']): string {
  const entries = Object.entries(values);
  if (entries.length === 0) return '—';
  return entries.map(([k, v]) => `${k} = ${v === null ? 'unknown' : String(v)}`).join(', ');
}

/** Signals the score could not use. */
export const unknownSignals = (card: CardData): CardSignal[] => card.health.signals.filter((s) => s.status === 'unknown');
export const staleSignals = (card: CardData): CardSignal[] => card.health.signals.filter((s) => s.status === 'stale');

/**
 * No health data was ever computed for this company (the sweep or a recompute never ran):
 * no score, no signals read, no history.
 */
export function isEmptyCard(card: CardData): boolean {
  return card.health.score === null && card.health.signals.length === 0 && card.health.trend.length === 0;
}

/** Some signals are unknown: the score rests on part of the weight. */
export const isPartialCard = (card: CardData): boolean => !isEmptyCard(card) && unknownSignals(card).length > 0;

/** LineChart rows from the score history, oldest first. */
export function trendRows(card: CardData): { date: string; score: number }[] {
  return card.health.trend.map((p) => ({ date: isoDay(p.at), score: Math.round(p.score) }));
}

/** The override in words: 'Named until 31 Jan 2027 (expired)' */
export function overrideText(override: NonNullable<CardData['segment']['override']>): string {
  const until = override.expires ? `until ${formatDate(override.expires)}` : 'until removed';
  return `${segmentLabel(override.segment)} ${until}${override.expired ? ' (expired)' : ''}`;
}

/** `{ year, month (0-based), date }` from DateInput → 'YYYY-MM-DD'. */
export function dateInputToIso(value: { year: number; month: number; date: number } | null | undefined): string | undefined {
  if (!value) return undefined;
  const mm = String(value.month + 1).padStart(2, '0');
  const dd = String(value.date).padStart(2, '0');
  return `${value.year}-${mm}-${dd}`;
}
