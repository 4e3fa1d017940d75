/**
 * Pure helpers that turn `CardData` values into what a CSM reads: labels, tag colours, dates (UTC),
 * "Day 12 of 90". No React, no clock: the card's `computedAt` is the reference instant.
 */
import type { HealthBand, LifecycleStage, Segment, CardData, CardOnboardingStep, CardSignal, CardTask, CardTrigger } from '../../src/app/view-models';

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

/** The portal user's locale for dates (HubSpot's `context.user.locale`), null = `12 Nov 2026`. */
let dateLocale: string | null = null;
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A locale `Intl` knows (e.g. `en-us`, `de-DE`), canonicalised; null when absent or unknown. */
function usableLocale(locale: string | null | undefined): string | null {
  if (typeof locale !== 'string' || locale.trim() === '') return null;
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale.trim()])[0] ?? null;
  } catch {
    return null; // not a well-formed language tag
  }
}

/**
 * Sets the locale every date on the card is written in: the card and the sidebar call it with
 * `context.user.locale` on each render (absent or unknown → `12 Nov 2026`). Returns the locale used.
 *
 * @example setDateLocale('en-US'); formatDate('2026-11-23') // 'Nov 23, 2026'
 * @example setDateLocale(undefined); formatDate('2026-11-23') // '23 Nov 2026'
 */
export function setDateLocale(locale: string | null | undefined): string | null {
  dateLocale = usableLocale(locale);
  return dateLocale;
}

function localeFormat(locale: string): Intl.DateTimeFormat {
  let f = dateFormats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
    dateFormats.set(locale, f);
  }
  return f;
}

/**
 * A calendar day in UTC, the same for every viewer whatever their time zone, in the portal user's
 * locale when one is set (`setDateLocale`), else `12 Nov 2026`. One format for every date on the card.
 * @example formatDate('2026-11-23') // '23 Nov 2026'
 * @example formatDate('2026-11-23T23:30:00Z') // '23 Nov 2026'
 * @example formatDate('2026-11-23', 'de-DE') // '23. Nov. 2026'
 */
export function formatDate(value: string | null, locale: string | null = dateLocale): string {
  if (value === null) return '—';
  const d = parseUtc(value);
  if (!d) return value;
  const usable = locale === dateLocale ? locale : usableLocale(locale);
  if (usable !== null) return localeFormat(usable).format(d);
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
 * No data for a score: no product, survey or engagement data (at most ticket counts) and no
 * history, or health never computed (no signals read).
 */
export function isEmptyCard(card: CardData): boolean {
  // A company with no data at all still gets the whole card (tasks, facts, "No data yet" with what is missing).
  return card.health.score === null && card.health.signals.length === 0 && card.health.trend.length === 0;
}


/** One missing signal in words: 'Usage trend (usage not reported): Sync product usage into …'. */
export const missingText = (m: CardData['health']['missing'][number]): string => `${m.label}${m.note ? ` (${wordsWithDates(m.note)})` : ''}: ${m.howTo}`;

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

/**
 * Every ISO day or instant inside a sentence in the card's one date format.
 * @example wordsWithDates('last login 2026-10-20 (33 days ago)') // 'last login 20 Oct 2026 (33 days ago)'
 */
export function wordsWithDates(text: string): string {
  return text.replace(/\b(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z)?\b/g, (m: string, day: string) => formatDate(day));
}

/** @example formatMoney(18400) // '$18,400' ; formatMoney(null) // 'Unknown' */
export function formatMoney(value: number | null): string {
  if (value === null) return 'Unknown';
  const rounded = Math.round(value);
  return `${rounded < 0 ? '−' : ''}$${Math.abs(rounded).toLocaleString('en-US')}`;
}

/** @example formatDelta(-18) // '−18' ; formatDelta(5) // '+5' */
export function formatDelta(delta: number): string {
  const r = Math.round(delta);
  return r > 0 ? `+${r}` : r < 0 ? `−${Math.abs(r)}` : '±0';
}

/** A day count relative to today: 'in 12 days', 'today', '3 days ago'. */
export function relativeDays(days: number): string {
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days === -1) return 'yesterday';
  return days > 0 ? `in ${days} days` : `${-days} days ago`;
}

/** The renewal fact: '12 Nov 2027 (in 354 days)'. */
export function renewalText(facts: CardData['facts']): string {
  if (facts.renewalDate === null) return 'Unknown';
  return facts.daysToRenewal === null ? formatDate(facts.renewalDate) : `${formatDate(facts.renewalDate)} (${relativeDays(facts.daysToRenewal)})`;
}

/** The last-touch fact: '2 Nov 2026 (21 days ago)', or 'Never'. */
export function lastTouchText(facts: CardData['facts']): string {
  if (facts.lastTouchAt === null) return 'Never';
  return facts.daysSinceTouch === null ? formatDate(facts.lastTouchAt) : `${formatDate(facts.lastTouchAt)} (${relativeDays(-facts.daysSinceTouch)})`;
}

/** The stage fact: 'Onboarding, day 12 of 90', 'Graduated on 1 Jun 2026'. */
export function stageText(lifecycle: CardData['lifecycle']): string {
  const stage = stageLabel(lifecycle.stage);
  if (lifecycle.day !== null) return `${stage}, day ${lifecycle.day} of ${lifecycle.totalDays}`;
  if (lifecycle.stage === 'graduated' && (lifecycle.graduatedAt ?? lifecycle.graduationDate)) return `${stage} on ${formatDate(lifecycle.graduatedAt ?? lifecycle.graduationDate)}`;
  return stage;
}

/** When a task is due, in words: 'Overdue by 3 days (20 Nov 2026)', 'Due today', 'Due 26 Nov 2026'. */
export function dueText(task: CardTask, computedAt: string): string {
  if (task.dueAt === null) return 'No due date';
  if (task.overdueDays > 0) return `Overdue by ${task.overdueDays} ${task.overdueDays === 1 ? 'day' : 'days'} (${formatDate(task.dueAt)})`;
  if (isoDay(task.dueAt) === isoDay(computedAt)) return 'Due today';
  return `Due ${formatDate(task.dueAt)}`;
}

/**
 * One onboarding step in words: a tag (what state it is in) and a line (the step, its day, and why when
 * skipped or held back).
 * @example onboardingStepText({ step: 'day0', day: 0, subject: 'Welcome', dueDate: '2026-11-12', state: 'skipped', reason: 'no task was created…', taskDueAt: null })
 * // { tag: 'Skipped', variant: 'default', text: 'Day 0 (12 Nov 2026): Welcome. Skipped: no task was created…' }
 */
export function onboardingStepText(step: CardOnboardingStep): { tag: string; variant: 'default' | 'warning' | 'success' | 'info'; text: string } {
  const head = `Day ${step.day} (${formatDate(step.dueDate)}): ${step.subject}`;
  switch (step.state) {
    case 'done':
      return { tag: 'Done', variant: 'success', text: `${head}. Done: its task was created and is closed.` };
    case 'open':
      return { tag: 'Open task', variant: 'info', text: `${head}. Open task, due ${formatDate(step.taskDueAt ?? step.dueDate)}.` };
    case 'due':
      return { tag: 'Due now', variant: 'warning', text: `${head}. Due now: the next sweep creates its task.` };
    case 'upcoming':
      return { tag: `Due on ${formatDate(step.dueDate)}`, variant: 'default', text: `${head}. Due on ${formatDate(step.dueDate)}.` };
    case 'skipped':
      return { tag: 'Skipped', variant: 'default', text: `${head}. Skipped: ${step.reason ?? 'no reason recorded'}.` };
    case 'waiting':
      return { tag: 'Waiting', variant: 'warning', text: `${head}. Waiting: ${step.reason ?? 'no reason recorded'}.` };
  }
}

/** One score change with its causes: '−18 on 22 Nov 2026: usage trend 412 vs 630 (−35%)'. */
export function scoreChangeText(change: CardData['health']['history'][number]): string {
  const head = change.delta === null ? `${Math.round(change.score)} on ${formatDate(change.at)} (first score kept)` : `${formatDelta(change.delta)} to ${Math.round(change.score)} on ${formatDate(change.at)}`;
  return change.causes ? `${head}: ${wordsWithDates(change.causes)}` : head;
}

/** Points a signal costs the score, in words: '8.3 points lost', 'no points lost'. */
export function pointsLostText(signal: CardSignal): string {
  if (signal.status === 'unknown') return 'not scored';
  const abs = Math.abs(signal.pointsLost).toFixed(1);
  return abs === '0.0' ? 'no points lost' : `−${abs}`;
}

/** Sorting for "next action": overdue first, then by due date, then high priority first. */
export function byUrgency(a: CardTask, b: CardTask): number {
  if (a.overdueDays !== b.overdueDays) return b.overdueDays - a.overdueDays;
  const d = (a.dueAt ?? '\uffff').localeCompare(b.dueAt ?? '\uffff');
  if (d !== 0) return d;
  const rank = (p: string | null) => (p === 'HIGH' ? 0 : p === 'MEDIUM' ? 1 : 2);
  return rank(a.priority) - rank(b.priority);
}

/** The cap on the band, in words: 'Capped at Watch: NPS detractor: 3 on 2 Nov 2026'. */
export function capText(cap: NonNullable<CardData['health']['cap']>): string {
  return `Capped at ${bandLabel(cap.band)}: ${wordsWithDates(cap.reason)}`;
}

/**
 * A task's subject as the card shows it: dates in words, and without the company's own name (the
 * card is on that company).
 * @example taskTitle({ subject: 'Renewal: 30 days to renewal (2026-12-12) — Acme' } as CardTask, 'Acme') // 'Renewal: 30 days to renewal (12 Dec 2026)'
 */
export function taskTitle(task: Pick<CardTask, 'subject'>, companyName: string | null): string {
  const suffix = companyName ? ` — ${companyName}` : null;
  const subject = suffix !== null && task.subject.endsWith(suffix) ? task.subject.slice(0, -suffix.length) : task.subject;
  return wordsWithDates(subject);
}
