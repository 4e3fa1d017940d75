/**
 * Playbook triggers → planned HubSpot tasks. Quiet by design:
 * - a stable idempotency key `cs:<accountId>:<playbook>:<step>:<period>` where the period is a UTC
 *   calendar identity (renewal date, onboarding start date, NPS answer date, contract start date,
 *   or the ISO week the condition was seen) — never TZ or DST dependent;
 * - keys already in the company's ledger are never planned again;
 * - a condition that persists fires again only after its cooldown (from the ledger's creation dates);
 * - at most `openTaskCap` open CS tasks per company, highest priority first.
 *
 * Ledger entries are `<key>@<YYYY-MM-DD>` (creation day, UTC), newest last.
 */
import type { Channel, Config, RuleId } from './config';
import * as dates from './dates';
import type { HealthResult } from './health';
import type { LifecycleResult } from './lifecycle';
import type { SegmentResult } from './segment';
import type { Account, HealthBand, IsoDate, PlannedTask, PlannedTouch, TaskPriority } from './types';
import { isUrgent, parseBacklog, taskRank, waitingSince } from './workload';

// Bound once: under tsx (CommonJS output) each call through a named import goes through a getter,
// which showed in the profile of the per-account hot path.
const { dayAtUtcHour, formatIsoDay, isoWeekKey, parseInstantMs, parseIsoDay, utcDay, MS_PER_DAY } = dates;

export type PlaybookId = RuleId | 'onboarding';
/**
 * Why a wanted piece of work was not planned today: already done (`ledger`), too soon (`cooldown`),
 * the company's open-task cap (`cap`), nobody to take it (`no_owner`), the play is switched off for the
 * segment (`off`), a digital touch is waiting for the customer (`awaiting_engagement`), the customer
 * engaged after the touch (`engaged`), another digital touch goes out today (`digital_busy`), or an
 * onboarding step's date passed more than `catchUpDays` ago without it (`missed`).
 */
export type SkipReason = 'ledger' | 'cooldown' | 'cap' | 'no_owner' | 'off' | 'awaiting_engagement' | 'engaged' | 'digital_busy' | 'missed';

export interface PlaybookInput {
  account: Account;
  segment: SegmentResult;
  health: HealthResult;
  lifecycle: LifecycleResult;
  /** The score and band stored before this run (edge detection for health rules). */
  previous: { healthScore: number | null; healthBand: HealthBand | null };
  /** Optional trend from the score history (a ≥ N-point drop over the compare window fires health_drop too). */
  trend?: { change: number | null; dropped: boolean } | null;
  /** Who gets the tasks; null = nobody available (everything skipped as `no_owner`). */
  owner: { ownerId: string } | { queueId: string } | null;
  config: Config;
  now: Date;
}

export interface PlaybookPlan {
  tasks: PlannedTask[];
  /** At most one digital touch per company per run (the highest priority one). */
  touches: PlannedTouch[];
  skipped: { key: string; reason: SkipReason }[];
}

export const PLAYBOOK_TITLES: Record<PlaybookId, string> = {
  onboarding: 'Onboarding',
  new_contract: 'New contract',
  usage_drop: 'Usage drop',
  low_seat_utilisation: 'Low seat utilisation',
  no_login: 'No login',
  health_drop: 'Health drop',
  risk_escalation: 'Risk escalation',
  nps_detractor: 'NPS detractor',
  renewal: 'Renewal',
  expansion: 'Expansion',
  no_touch: 'Check-in',
};

const PRIORITY_RANK: Record<TaskPriority, number> = { HIGH: 3, MEDIUM: 2, LOW: 1 };

/**
 * Builds the idempotency key.
 * @example
 * taskKey('123', 'renewal', 'd60', '2027-01-31') // 'cs:123:renewal:d60:2027-01-31'
 */
export function taskKey(accountId: string, playbook: PlaybookId, step: string, period: string): string {
  return `cs:${accountId}:${playbook}:${step}:${period}`;
}

const KEY_LINE = /^Idempotency key: (cs:[^\s]+)\s*$/m;

/**
 * The idempotency key carried by a task body, or null when the task is not ours.
 * @example
 * extractTaskKey('Why…\nIdempotency key: cs:1:renewal:d90:2027-01-31') // 'cs:1:renewal:d90:2027-01-31'
 */
export function extractTaskKey(body: string | null | undefined): string | null {
  if (typeof body !== 'string') return null;
  // HubSpot may store the body as HTML: turn line breaks and tags into new lines first.
  const text = body.includes('<') ? body.replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|div)>/gi, '\n').replace(/<[^>]*>/g, '') : body;
  const m = KEY_LINE.exec(text);
  return m?.[1] ?? null;
}

export interface LedgerEntry {
  key: string;
  /** Creation day (UTC) when recorded; null for entries without a date. */
  createdOn: IsoDate | null;
}

/**
 * Parses ledger entries (`key@YYYY-MM-DD` or a bare key). Blank entries are dropped.
 * @example
 * parseLedger(['cs:1:usage_drop:alert:2026-W12@2026-03-18']) // [{ key: 'cs:1:usage_drop:alert:2026-W12', createdOn: '2026-03-18' }]
 */
export function parseLedger(ledger: readonly string[]): LedgerEntry[] {
  const out: LedgerEntry[] = [];
  for (const raw of ledger) {
    const entry = raw.trim();
    if (entry.length === 0) continue;
    const at = entry.lastIndexOf('@');
    if (at > 0 && parseIsoDay(entry.slice(at + 1)) !== null) out.push({ key: entry.slice(0, at), createdOn: entry.slice(at + 1) });
    else out.push({ key: entry, createdOn: null });
  }
  return out;
}

/**
 * Appends keys (created `now`, UTC day) to a ledger, skipping keys already present, keeping the newest `maxEntries`.
 * @example
 * appendLedger([], ['cs:1:renewal:d90:2027-01-31'], new Date('2026-11-02T10:00:00Z'), 100)
 * // ['cs:1:renewal:d90:2027-01-31@2026-11-02']
 */
export function appendLedger(ledger: readonly string[], keys: readonly string[], now: Date, maxEntries: number): string[] {
  // Each kept entry is written back as parseLedger reads it, which is the trimmed entry itself.
  const out: string[] = [];
  const seen: string[] = [];
  for (const raw of ledger) {
    const entry = raw.trim();
    if (entry.length === 0) continue;
    out.push(entry);
    const at = entry.lastIndexOf('@');
    seen.push(at > 0 && parseIsoDay(entry.slice(at + 1)) !== null ? entry.slice(0, at) : entry);
  }
  const day = formatIsoDay(utcDay(now));
  for (const k of keys) {
    if (seen.includes(k)) continue;
    seen.push(k);
    out.push(`${k}@${day}`);
  }
  const max = Math.max(0, Math.floor(maxEntries));
  return out.length > max ? out.slice(out.length - max) : out;
}

interface Candidate {
  playbook: PlaybookId;
  /** Channel key when it differs from the playbook (`renewal_d60`). */
  play?: string;
  step: string;
  period: string;
  subject: string;
  why: string;
  values: Record<string, string | number | boolean | null>;
  priority: TaskPriority;
  dueDay: number;
  cooldownDays: number;
  order: number;
}

function addCandidate(list: Candidate[], c: Omit<Candidate, 'order'>): void {
  (c as Candidate).order = list.length;
  list.push(c as Candidate);
}

function fmtValue(v: string | number | boolean | null): string {
  if (v === null) return 'unknown';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(2);
  return String(v);
}

function pctText(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/**
 * Plans the playbook tasks for one account (pure; `now` decides the periods).
 *
 * @example
 * const { tasks, skipped } = planPlaybooks({ account, segment, health, lifecycle, previous: { healthScore: 72, healthBand: 'healthy' }, owner: { ownerId: '7' }, config, now });
 * tasks[0].key // e.g. 'cs:123:usage_drop:alert:2026-W25'
 */
export function planPlaybooks(input: PlaybookInput): PlaybookPlan {
  const { account, health, lifecycle, previous, config, now } = input;
  const today = utcDay(now);
  let weekKey: string | null = null;
  const rules = config.playbooks.rules;
  const candidates: Candidate[] = [];
  const missed: string[] = [];
  let freshUsage = false;
  let freshSeats = false;
  let freshLogin = false;
  let freshNps = false;
  for (const c of health.contributions) {
    if (c.status !== 'fresh') continue;
    if (c.id === 'usage_trend') freshUsage = true;
    else if (c.id === 'seat_utilisation') freshSeats = true;
    else if (c.id === 'login_recency') freshLogin = true;
    else if (c.id === 'nps') freshNps = true;
  }

  // New contract → onboarding kick-off (period: the contract start date).
  const contract = parseIsoDay(account.contractStartDate);
  // "New contract" and "welcome" are one step: with an onboarding schedule that has a Day 0 step, the
  // welcome (its first step) is the kick-off and this rule stays quiet for onboarding accounts.
  const welcomeCovers =
    config.playbooks.onboarding.enabled && config.playbooks.onboarding.steps.some((s) => s.day === 0) && (lifecycle.stage === 'onboarding' || lifecycle.stage === 'onboarding_overdue');
  if (rules.new_contract.enabled && !welcomeCovers && contract !== null && contract <= today && today - contract <= rules.new_contract.windowDays && lifecycle.stage !== 'graduated') {
    addCandidate(candidates, {
      playbook: 'new_contract',
      step: 'kickoff',
      period: formatIsoDay(contract),
      subject: 'plan the onboarding',
      why: `A new contract started on ${formatIsoDay(contract)}: onboarding starts (${config.lifecycle.onboardingDays} days).`,
      values: { contractStartDate: formatIsoDay(contract) },
      priority: rules.new_contract.priority,
      dueDay: today + rules.new_contract.dueInDays,
      cooldownDays: rules.new_contract.cooldownDays,
    });
  }

  // Onboarding schedule (period: the onboarding start date; Day 0 = start date).
  const ob = config.playbooks.onboarding;
  const start = parseIsoDay(lifecycle.startDate);
  if (ob.enabled && start !== null && (lifecycle.stage === 'onboarding' || lifecycle.stage === 'onboarding_overdue')) {
    for (const s of ob.steps) {
      const due = start + s.day;
      if (today - due > ob.catchUpDays) {
        // Missed: shown as skipped with its reason (unless it was done).
        missed.push(taskKey(account.id, 'onboarding', s.step, formatIsoDay(start)));
        continue;
      }
      if (today >= due) {
        addCandidate(candidates, {
          playbook: 'onboarding',
          step: s.step,
          period: formatIsoDay(start),
          subject: s.subject.toLowerCase(),
          why: `Onboarding schedule: Day ${s.day} (${s.subject}) of the onboarding that started on ${formatIsoDay(start)}.`,
          values: { startDate: formatIsoDay(start), scheduleDay: s.day, lifecycleDay: lifecycle.day },
          priority: s.priority,
          dueDay: due,
          cooldownDays: 0,
        });
      }
    }
  }

  // Overdue onboarding → the onboarding CSM, naming the exit criteria still missing (period: the graduation date).
  const graduation = parseIsoDay(lifecycle.graduationDate);
  if (ob.enabled && lifecycle.stage === 'onboarding_overdue' && graduation !== null) {
    const missing = lifecycle.exitCriteria.filter((c) => !c.met).map((c) => c.label);
    addCandidate(candidates, {
      playbook: 'onboarding',
      step: 'overdue',
      period: formatIsoDay(graduation),
      subject: `overdue ${lifecycle.overdueDays ?? 0} days${missing.length > 0 ? `, missing: ${missing.join(', ').toLowerCase()}` : ''}`,
      why: `Onboarding was due to end on ${formatIsoDay(graduation)} and is ${lifecycle.overdueDays ?? 0} days overdue; exit criteria not met: ${missing.length > 0 ? missing.join(', ') : 'none recorded'}.`,
      values: { graduationDate: formatIsoDay(graduation), overdueDays: lifecycle.overdueDays, missing: missing.join('; ') },
      priority: 'HIGH',
      dueDay: today + 1,
      cooldownDays: 0,
    });
  }

  // Usage drop > N% period over period.
  const cur = account.usageCurrentPeriod;
  const prev = account.usagePreviousPeriod;
  if (rules.usage_drop.enabled && freshUsage && cur !== null && prev !== null && prev > 0) {
    const change = (cur - prev) / prev;
    if (-change > rules.usage_drop.dropAbove) {
      addCandidate(candidates, {
        playbook: 'usage_drop',
        step: 'alert',
        period: (weekKey ??= isoWeekKey(today)),
        subject: `usage down ${pctText(-change)}`,
        why: `Usage dropped by more than ${pctText(rules.usage_drop.dropAbove)} period over period: ${cur} vs ${prev} (−${pctText(-change)}).`,
        values: { current: cur, previous: prev, change: Math.round(change * 1000) / 1000, threshold: rules.usage_drop.dropAbove },
        priority: rules.usage_drop.priority,
        dueDay: today + rules.usage_drop.dueInDays,
        cooldownDays: rules.usage_drop.cooldownDays,
      });
    }
  }

  // Seat utilisation (low → adoption task; high → expansion).
  const lic = account.licensedSeats;
  const act = account.activeUsers;
  if (freshSeats && lic !== null && act !== null && lic > 0) {
    const util = act / lic;
    if (rules.low_seat_utilisation.enabled && util < rules.low_seat_utilisation.below) {
      addCandidate(candidates, {
        playbook: 'low_seat_utilisation',
        step: 'adoption',
        period: (weekKey ??= isoWeekKey(today)),
        subject: `only ${pctText(util)} of seats used`,
        why: `Seat utilisation is below ${pctText(rules.low_seat_utilisation.below)}: ${act} active of ${lic} licensed (${pctText(util)}).`,
        values: { activeUsers: act, licensedSeats: lic, utilisation: Math.round(util * 1000) / 1000, threshold: rules.low_seat_utilisation.below },
        priority: rules.low_seat_utilisation.priority,
        dueDay: today + rules.low_seat_utilisation.dueInDays,
        cooldownDays: rules.low_seat_utilisation.cooldownDays,
      });
    }
    if (rules.expansion.enabled && util >= rules.expansion.utilisationFrom && (!rules.expansion.onlyHealthy || health.band === 'healthy')) {
      addCandidate(candidates, {
        playbook: 'expansion',
        step: 'seats',
        period: (weekKey ??= isoWeekKey(today)),
        subject: `${pctText(util)} of seats used`,
        why: `Licence utilisation is at or above ${pctText(rules.expansion.utilisationFrom)}: ${act} active of ${lic} licensed (${pctText(util)}). Expansion opportunity.`,
        values: { activeUsers: act, licensedSeats: lic, utilisation: Math.round(util * 1000) / 1000, threshold: rules.expansion.utilisationFrom },
        priority: rules.expansion.priority,
        dueDay: today + rules.expansion.dueInDays,
        cooldownDays: rules.expansion.cooldownDays,
      });
    }
  }

  // No login for N+ days.
  const login = parseIsoDay(account.lastLoginDate);
  if (rules.no_login.enabled && freshLogin && login !== null && today - login >= rules.no_login.days) {
    addCandidate(candidates, {
      playbook: 'no_login',
      step: 'reengage',
      period: (weekKey ??= isoWeekKey(today)),
      subject: `no login for ${today - login} days`,
      why: `No login for ${rules.no_login.days}+ days: last login ${formatIsoDay(login)} (${today - login} days ago).`,
      values: { lastLoginDate: formatIsoDay(login), daysSince: today - login, threshold: rules.no_login.days },
      priority: rules.no_login.priority,
      dueDay: today + rules.no_login.dueInDays,
      cooldownDays: rules.no_login.cooldownDays,
    });
  }

  // Health drop ≥ N points (vs the stored score, or over the trend window).
  const score = health.score;
  const known = score !== null && health.band !== 'unknown';
  if (rules.health_drop.enabled && known) {
    const stepDrop = previous.healthScore !== null ? previous.healthScore - score : null;
    const trendDrop = input.trend?.dropped === true && input.trend.change !== null ? -input.trend.change : null;
    const drop = stepDrop !== null && stepDrop >= rules.health_drop.points ? stepDrop : trendDrop;
    if (drop !== null && drop >= rules.health_drop.points) {
      addCandidate(candidates, {
        playbook: 'health_drop',
        step: 'review',
        period: (weekKey ??= isoWeekKey(today)),
        subject: `health down ${drop} points to ${score}`,
        why: `Health dropped by ${rules.health_drop.points}+ points: ${drop} points, now ${score}${previous.healthScore !== null ? ` (was ${previous.healthScore})` : ''}.`,
        values: { score, previousScore: previous.healthScore, drop, threshold: rules.health_drop.points },
        priority: rules.health_drop.priority,
        dueDay: today + rules.health_drop.dueInDays,
        cooldownDays: rules.health_drop.cooldownDays,
      });
    }
  }

  // Health below N → risk escalation.
  if (rules.risk_escalation.enabled && known && score < rules.risk_escalation.below) {
    const edge = previous.healthBand !== 'at_risk';
    addCandidate(candidates, {
      playbook: 'risk_escalation',
      step: 'escalate',
      period: (weekKey ??= isoWeekKey(today)),
      subject: `health ${score}`,
      why: `Health is below ${rules.risk_escalation.below}: ${score} (${edge ? 'newly at risk' : 'still at risk'}). ${health.summary}`,
      values: { score, previousBand: previous.healthBand, threshold: rules.risk_escalation.below },
      priority: rules.risk_escalation.priority,
      dueDay: today + rules.risk_escalation.dueInDays,
      cooldownDays: rules.risk_escalation.cooldownDays,
    });
  }

  // NPS detractor (period: the answer's date).
  const nps = account.npsScore;
  if (rules.nps_detractor.enabled && freshNps && nps !== null && nps <= rules.nps_detractor.max) {
    const npsDay = parseIsoDay(account.npsDate);
    addCandidate(candidates, {
      playbook: 'nps_detractor',
      step: 'follow_up',
      period: npsDay !== null ? formatIsoDay(npsDay) : (weekKey ??= isoWeekKey(today)),
      subject: `NPS ${nps}`,
      why: `NPS detractor (0–${rules.nps_detractor.max}): answered ${nps}${npsDay !== null ? ` on ${formatIsoDay(npsDay)}` : ''}.`,
      values: { npsScore: nps, npsDate: npsDay !== null ? formatIsoDay(npsDay) : null, threshold: rules.nps_detractor.max },
      priority: rules.nps_detractor.priority,
      dueDay: today + rules.nps_detractor.dueInDays,
      cooldownDays: rules.nps_detractor.cooldownDays,
    });
  }

  // Renewal 90/60/30 (period: the renewal date; only the tightest window that applies).
  const renewal = parseIsoDay(account.renewalDate);
  if (rules.renewal.enabled && renewal !== null && renewal >= today) {
    const daysOut = renewal - today;
    // The tightest window that applies: the smallest one at or beyond daysOut.
    let w: number | undefined;
    for (const x of rules.renewal.windows) if (daysOut <= x && (w === undefined || x < w)) w = x;
    // A qualified window (60 days out) needs a person only when usage is low or expansion potential is high (001 §5–6).
    const util = freshSeats && lic !== null && act !== null && lic > 0 ? act / lic : null;
    const lowUsage = util !== null && util < rules.renewal.lowUtilisationBelow;
    const expansionPotential = util !== null && util >= rules.expansion.utilisationFrom;
    const qualifies = w === undefined || !rules.renewal.qualifiedWindows.includes(w) || input.segment.segment === 'named' || lowUsage || expansionPotential;
    if (w !== undefined && qualifies) {
      addCandidate(candidates, {
        playbook: 'renewal',
        play: `renewal_d${w}`,
        step: `d${w}`,
        period: formatIsoDay(renewal),
        subject: `renewal in ${daysOut} days (${formatIsoDay(renewal)})`,
        why: `Renewal on ${formatIsoDay(renewal)} is ${daysOut} days out (the ${w}-day window)${rules.renewal.qualifiedWindows.includes(w) && input.segment.segment !== 'named' ? (lowUsage ? `; usage is low (${pctText(util ?? 0)} of seats, below ${pctText(rules.renewal.lowUtilisationBelow)})` : `; expansion potential (${pctText(util ?? 0)} of seats used)`) : ''}.`,
        values: { renewalDate: formatIsoDay(renewal), daysOut, window: w, score, band: health.band },
        priority: w <= 30 ? 'HIGH' : rules.renewal.priority,
        dueDay: Math.min(today + rules.renewal.dueInDays, Math.max(today, renewal - 1)),
        cooldownDays: rules.renewal.cooldownDays,
      });
    }
  }

  // No touch in N days → check-in.
  const touched = parseInstantMs(account.lastContactedAt);
  if (rules.no_touch.enabled && touched !== null) {
    const days = today - Math.floor(touched / MS_PER_DAY);
    if (days >= rules.no_touch.days) {
      addCandidate(candidates, {
        playbook: 'no_touch',
        step: 'check_in',
        period: (weekKey ??= isoWeekKey(today)),
        subject: `no touch in ${days} days`,
        why: `No touch in ${rules.no_touch.days}+ days: last contact ${formatIsoDay(Math.floor(touched / MS_PER_DAY))} (${days} days ago).`,
        values: { lastContactedAt: account.lastContactedAt, daysSince: days, threshold: rules.no_touch.days },
        priority: rules.no_touch.priority,
        dueDay: today + rules.no_touch.dueInDays,
        cooldownDays: rules.no_touch.cooldownDays,
      });
    }
  }

  const plan = finalise(candidates, input, today);
  for (const key of missed) plan.skipped.push({ key, reason: input.account.playbookLedger.some((e) => e.startsWith(`${key}@`) || e === key) ? 'ledger' : 'missed' });
  return plan;
}

/** `key.split(':')[2]` without the array. */
function thirdField(key: string): string | undefined {
  const a = key.indexOf(':');
  if (a < 0) return undefined;
  const b = key.indexOf(':', a + 1);
  if (b < 0) return undefined;
  const c = key.indexOf(':', b + 1);
  return c < 0 ? key.slice(b + 1) : key.slice(b + 1, c);
}

/** The channel of a candidate for the account's segment (a play not configured is a human task). */
function channelOf(c: Candidate, input: PlaybookInput): Channel {
  const seg = input.segment.segment;
  const plays = input.config.channels.plays;
  return (c.play !== undefined ? plays[c.play]?.[seg] : undefined) ?? plays[c.playbook]?.[seg] ?? 'task';
}

function touchTypeOf(c: Candidate, config: PlaybookInput['config']): string {
  const t = config.channels.touchTypes;
  return (c.play !== undefined ? t[c.play] : undefined) ?? t[c.playbook] ?? 'check_in';
}

/** The step and period of a key `cs:<id>:<playbook>:<step>:<period>`. */
function stepAndPeriod(key: string): { step: string; period: string } {
  const parts = key.split(':');
  return { step: parts[3] ?? '', period: parts.slice(4).join(':') };
}

const DIGITAL_SUFFIX = '-digital';
const CALL_SUFFIX = '-call';

/**
 * Whether a ledger key is a digital touch (an automated 1:many email), not a task for a person.
 * @example isDigitalTouchKey('cs:1:nps_detractor:risk-digital:2026-11-01') // true
 */
export function isDigitalTouchKey(key: string): boolean {
  return stepAndPeriod(key).step.endsWith(DIGITAL_SUFFIX);
}

type Ready = Candidate & { key: string; human: boolean; followUp?: { touchDay: number } };

function finalise(candidates: Candidate[], input: PlaybookInput, today: number): PlaybookPlan {
  const { account, config, owner } = input;
  const skipped: PlaybookPlan['skipped'] = [];
  if (candidates.length === 0) return { tasks: [], touches: [], skipped };

  // The ledger (as parseLedger reads it): keys, and per entry its playbook and creation day.
  // Ledgers are short, so flat arrays scanned linearly beat building a Set and a Map.
  const keys: string[] = [];
  const playbooks: (string | undefined)[] = [];
  const days: (number | null)[] = [];
  for (const raw of account.playbookLedger) {
    const entry = raw.trim();
    if (entry.length === 0) continue;
    const at = entry.lastIndexOf('@');
    const created = at > 0 ? parseIsoDay(entry.slice(at + 1)) : null;
    const key = created !== null ? entry.slice(0, at) : entry;
    keys.push(key);
    playbooks.push(thirdField(key));
    days.push(created);
  }
  const lastOf = (playbook: string): number | undefined => {
    let last: number | undefined;
    for (let i = 0; i < keys.length; i++) {
      const d = days[i];
      if (d !== null && d !== undefined && playbooks[i] === playbook && (last === undefined || d > last)) last = d;
    }
    return last;
  };
  /** The latest digital touch of a playbook in the ledger: its day and key. */
  const lastTouchOf = (playbook: string): { day: number; key: string } | null => {
    let best: { day: number; key: string } | null = null;
    for (let i = 0; i < keys.length; i++) {
      const d = days[i];
      const k = keys[i] as string;
      if (d === null || d === undefined || playbooks[i] !== playbook || !stepAndPeriod(k).step.endsWith(DIGITAL_SUFFIX)) continue;
      if (best === null || d > best.day) best = { day: d, key: k };
    }
    return best;
  };
  const engagedMs = parseInstantMs(account.lastEngagedAt ?? null);
  const ch = config.channels;

  const ready: Ready[] = [];
  /** The usual gate: not already in the ledger, not within the play's cooldown. */
  const gate = (c: Candidate, key: string, human: boolean): void => {
    if (keys.includes(key)) {
      skipped.push({ key, reason: 'ledger' });
      return;
    }
    const last = lastOf(c.playbook);
    if (c.cooldownDays > 0 && last !== undefined && today - last < c.cooldownDays) {
      skipped.push({ key, reason: 'cooldown' });
      return;
    }
    ready.push({ ...c, key, human });
  };
  for (const c of candidates) {
    const channel = channelOf(c, input);
    if (channel === 'off') {
      skipped.push({ key: taskKey(account.id, c.playbook, c.step, c.period), reason: 'off' });
      continue;
    }
    if (channel === 'task') {
      gate(c, taskKey(account.id, c.playbook, c.step, c.period), true);
      continue;
    }
    if (channel === 'digital_then_task') {
      const touch = lastTouchOf(c.playbook);
      if (touch !== null && today - touch.day < ch.followUpWindowDays) {
        const { step, period } = stepAndPeriod(touch.key);
        const callKey = taskKey(account.id, c.playbook, `${step.slice(0, -DIGITAL_SUFFIX.length)}${CALL_SUFFIX}`, period);
        if (keys.includes(callKey)) skipped.push({ key: callKey, reason: 'ledger' });
        else if (today - touch.day < ch.followUpDays) skipped.push({ key: callKey, reason: 'awaiting_engagement' });
        else if (engagedMs !== null && engagedMs >= touch.day * MS_PER_DAY) skipped.push({ key: callKey, reason: 'engaged' });
        else {
          ready.push({
            ...c,
            key: callKey,
            human: true,
            subject: `${c.subject}, no response ${today - touch.day} days after the digital touch`,
            why: `${c.why} A digital touch went out on ${formatIsoDay(touch.day)} and the customer has not engaged since (no contact, activity or engagement recorded in ${today - touch.day} days; follow-up after ${ch.followUpDays}).`,
            followUp: { touchDay: touch.day },
          });
        }
        continue;
      }
    }
    gate(c, taskKey(account.id, c.playbook, `${c.step}${DIGITAL_SUFFIX}`, c.period), false);
  }

  // Digital: one touch per company per run (one property), the most important first.
  const digital = ready.filter((c) => !c.human).sort((a, b) => PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority] || a.order - b.order);
  const touches: PlannedTouch[] = [];
  // …and one per day: a touch already written today holds the others until tomorrow.
  let touchedToday = false;
  for (let i = 0; i < keys.length; i++) if (days[i] === today && stepAndPeriod(keys[i] as string).step.endsWith(DIGITAL_SUFFIX)) touchedToday = true;
  for (const c of digital) {
    if (touches.length > 0 || touchedToday) {
      skipped.push({ key: c.key, reason: 'digital_busy' });
      continue;
    }
    touches.push({ accountId: account.id, key: c.key, playbook: c.playbook, touchType: touchTypeOf(c, config), why: c.why });
  }

  const human = ready.filter((c) => c.human);
  if (owner === null) {
    for (const c of human) skipped.push({ key: c.key, reason: 'no_owner' });
    return { tasks: [], touches, skipped };
  }

  human.sort((a, b) => PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority] || a.order - b.order);
  const open = account.openCsTasks !== null && Number.isFinite(account.openCsTasks) && account.openCsTasks > 0 ? account.openCsTasks : 0;
  let room = Math.max(0, config.playbooks.openTaskCap - open);
  const tasks: PlannedTask[] = [];
  const ownerId = 'ownerId' in owner ? owner.ownerId : null;
  const queueId = 'queueId' in owner ? owner.queueId : null;
  const who = account.name ?? `company ${account.id}`;
  const context = `Segment: ${input.segment.segment}; health: ${input.health.score ?? 'unknown'} (${input.health.band}); lifecycle: ${input.lifecycle.stage}.`;
  const todayIso = formatIsoDay(today);
  const backlog = parseBacklog(account.playbookBacklog, todayIso);
  const renewal = parseIsoDay(account.renewalDate);
  const daysToRenewal = renewal !== null && renewal >= today ? renewal - today : null;
  for (const c of human) {
    // The onboarding schedule is one plan: its steps are not blocked by the open-task cap (13.5).
    const capped = c.playbook !== 'onboarding';
    if (capped && room <= 0) {
      skipped.push({ key: c.key, reason: 'cap' });
      continue;
    }
    if (capped) room--;
    const title = PLAYBOOK_TITLES[c.playbook];
    let valueText = '';
    const values = c.values;
    for (const k in values) valueText += `${valueText.length > 0 ? ', ' : ''}${k} ${fmtValue(values[k] as string | number | boolean | null)}`;
    const action = config.playbooks.actions[c.play ?? c.playbook] ?? config.playbooks.actions[c.playbook] ?? null;
    const body = `${action !== null ? `What to do: ${action}\n` : ''}Why: ${c.why}\nValues: ${valueText}.\n${context}\n${title} (${c.playbook}/${stepAndPeriod(c.key).step}) for ${who}.\nIdempotency key: ${c.key}`;
    const since = waitingSince(backlog, c.key, todayIso);
    tasks.push({
      accountId: account.id,
      key: c.key,
      playbook: c.playbook,
      step: stepAndPeriod(c.key).step,
      subject: `${title}: ${c.subject} — ${who}`,
      body,
      dueAt: dayAtUtcHour(Math.max(c.dueDay, today), config.playbooks.dueHourUtc),
      priority: c.priority,
      ownerId,
      queueId,
      trigger: { rule: `${c.playbook}: ${c.why}`, values: c.values },
      rank: taskRank({ priority: c.priority, band: input.health.band, acv: account.acv, daysToRenewal, daysWaiting: today - (parseIsoDay(since) ?? today) }, config),
      urgent: isUrgent({ playbook: c.playbook, daysToRenewal, segment: input.segment.segment, band: input.health.band }, config),
      waitingSince: since,
      dueDay: Math.max(c.dueDay, today),
    });
  }
  return { tasks, touches, skipped };
}
