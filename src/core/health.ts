/**
 * Explainable health score: per-signal normalisation (0–100), per-segment weights, coverage of
 * fresh data, per-signal contributions that add up exactly to the score, and the trend.
 */
import type { CapId, Config, SignalId } from './config';
import * as dates from './dates';
import * as sorting from './sort-in-place';
import type { Account, HealthBand, HealthDropRecord, HealthPeakRecord, HistoryPoint, Segment } from './types';

// Bound once: under tsx (CommonJS output) each call through a named import goes through a getter,
// which showed in the profile of the per-account hot path.
const { MS_PER_DAY, formatIsoDay, parseInstantMs, parseIsoDay } = dates;
const { sortInPlace } = sorting;

export type SignalStatus = 'fresh' | 'stale' | 'unknown';

export interface SignalContribution {
  id: SignalId;
  label: string;
  /** Share of the weight used after renormalisation over known signals, 0–1; 0 when unknown. */
  weight: number;
  /** Normalised 0–100, null when unknown. */
  normalized: number | null;
  /** Points added to the score (0.1 precision; all contributions add up exactly to the score). */
  contribution: number;
  raw: string | null;
  status: SignalStatus;
  note: string | null;
}

/** A critical signal that caps the band (health.caps in the config). */
export interface HealthCap {
  id: CapId;
  /** The best band the account may show while this holds. */
  band: 'watch' | 'at_risk';
  /** The rule in words with the values, e.g. "NPS detractor: 3 on 2026-10-01 (0–6 within 90 days)". */
  reason: string;
}

export interface HealthResult {
  /** 0–100 integer; null when the evidence is too thin (coverage below `minCoverage`): no evidence, no score. */
  score: number | null;
  band: HealthBand;
  /** Every critical signal that holds (strictest first); the band is at most the first one's. */
  caps: HealthCap[];
  /** The cap that lowered the band below what the score gives; null when none did. */
  cappedBy: HealthCap | null;
  /** % of the segment's configured weight with fresh data (0–100, integer). */
  coverage: number;
  /** Per signal, in ORDER; from `computeHealth`, built when first read (the card reads them, the sweep does not). */
  contributions: SignalContribution[];
  summary: string;
  /** The raw inputs used, for the card and for audits. */
  inputs: Record<string, string | number | null>;
  /** The fresh signals, one bit each (`FRESH_BIT`): what the playbooks may act on, without building `contributions`. */
  freshMask: number;
  /**
   * The most points a day the clock alone can take off this score (login and touch recency
   * ageing, with this company's weights and known signals; a recency at zero ages no more).
   */
  clockRate?: number;
}

export const SIGNAL_LABELS: Record<SignalId, string> = {
  usage_trend: 'Usage trend',
  seat_utilisation: 'Seat utilisation',
  login_recency: 'Last login',
  tickets: 'Support tickets',
  nps: 'NPS',
  engagement: 'Last touch',
};

const ORDER: readonly SignalId[] = ['usage_trend', 'seat_utilisation', 'login_recency', 'tickets', 'nps', 'engagement'];
/** A signal's bit in `HealthResult.freshMask`. */
export const FRESH_BIT: Readonly<Record<SignalId, number>> = Object.freeze({ usage_trend: 1, seat_utilisation: 2, login_recency: 4, tickets: 8, nps: 16, engagement: 32 });
/** Signal indices in ORDER. */
const USAGE = 0;
const SEATS = 1;
const LOGIN = 2;
const TICKETS = 3;
const NPS = 4;
const ENGAGEMENT = 5;

/**
 * What `measure` found for each signal (index in ORDER), for the evaluation in progress. The core is
 * synchronous and `computeHealth` reads these only before it returns, so one set serves every
 * account: no per-signal objects in the hot loop.
 */
const known = new Uint8Array(6);
/** Normalised 0–100 (meaningful when known). */
const normalized = new Float64Array(6);
const stale = new Uint8Array(6);
const notes: (string | null)[] = [null, null, null, null, null, null];
/**
 * The figures a known signal's words are made of (`rawText`), kept as numbers: the words are built
 * only for what is shown (the card's contributions) or written (the ≤ 4 signals the summary names).
 */
const figA = new Float64Array(6);
const figB = new Float64Array(6);
/**
 * 1 when the summary names signal i by a text without relative age (`bareText`); 0 when its raw
 * text is free text an age may have to be stripped from (a malformed NPS answer date).
 */
const hasBare = new Uint8Array(6);
/** The last login day `measure` parsed (null when unknown). */
let measuredLoginDay: number | null = null;
/** Exact contributions and their apportioned tenths (scratch of computeHealth / apportion). */
const exact = new Float64Array(6);
/** What `weigh` found for each signal, as the contributions report it: share of the weight, normalised (rounded to 0.1), points. */
const shareOf = new Float64Array(6);
const normalisedOf = new Float64Array(6);
const pointsOf = new Float64Array(6);
const floors = new Float64Array(6);
const fracs = new Float64Array(6);
const NO_CAPS: HealthCap[] = Object.freeze([]) as unknown as HealthCap[];

function unknown(i: number, note: string): void {
  known[i] = 0;
  normalized[i] = 0;
  stale[i] = 0;
  notes[i] = note;
  hasBare[i] = 0;
}

/** A known signal: its normalised value and the two figures its words are made of (`rawText`). */
function measured(i: number, value: number, a: number, b: number, isStale: boolean, note: string | null, bare: boolean): void {
  known[i] = 1;
  normalized[i] = value;
  stale[i] = isStale ? 1 : 0;
  notes[i] = note;
  figA[i] = a;
  figB[i] = b;
  hasBare[i] = bare ? 1 : 0;
}

/**
 * A known signal's raw value in words (the card's value column), from what `measure` kept for
 * `account` (call it before anything measures another account).
 */
function rawText(i: number, account: Account): string {
  const a = figA[i] as number;
  const b = figB[i] as number;
  switch (i) {
    case USAGE:
      return `${a} vs ${b} (${pct((a - b) / b)})`;
    case SEATS:
      return `${a} of ${b} seats (${Math.round((a / b) * 100)}%)`;
    case LOGIN:
      return `${account.lastLoginDate as string} (${a} days ago)`;
    case TICKETS:
      return `${a} open, ${b} high priority`;
    case NPS:
      return account.npsDate ? `${a} (${account.npsDate})` : `${a}`;
    default:
      return `${formatIsoDay(b)} (${a} days ago)`;
  }
}

/**
 * A known signal as the summary names it when it can without the regex (`hasBare`): the date alone
 * for the ages, the raw text itself for texts made of numbers and valid dates only.
 */
function bareText(i: number, account: Account): string {
  if (i === LOGIN) return account.lastLoginDate as string;
  if (i === ENGAGEMENT) return formatIsoDay(figB[i] as number);
  return rawText(i, account);
}

function finite(n: number | null): n is number {
  return typeof n === 'number' && Number.isFinite(n);
}

function clamp01(x: number): number {
  return x <= 0 ? 0 : x >= 1 ? 1 : x;
}

/** Linear 100 at ≤ full days, 0 at ≥ zero days. */
function recency(days: number, full: number, zero: number): number {
  return 100 * clamp01((zero - days) / (zero - full));
}

function pct(x: number): string {
  const p = Math.round(x * 100);
  // Most changes are within ±1000%: their texts are made once.
  if (p >= -PCT_SPAN && p <= PCT_SPAN && (p | 0) === p) return (pctTexts[p + PCT_SPAN] ??= pctText(p));
  return pctText(p);
}

function pctText(p: number): string {
  return `${p > 0 ? '+' : p < 0 ? '−' : ''}${Math.abs(p)}%`;
}
const PCT_SPAN = 1000;
const pctTexts: (string | undefined)[] = new Array<string | undefined>(2 * PCT_SPAN + 1).fill(undefined);

/** Signed share, e.g. −0.35 → "−35%". */
export function formatChange(x: number): string {
  return pct(x);
}

/** The answer of the last `ageStale` call (two values without an object). */
let ageIsStale = false;
let ageNote: string | null = null;

/**
 * Freshness from a sync date (cs_usage_updated_at, cs_nps_date) or, when that is unknown, from the
 * timestamp HubSpot keeps for the value itself (property history, `fromHistory`). Sets `ageIsStale` and `ageNote`.
 */
function ageStale(at: number | null, nowMs: number, maxDays: number, unknownIsFresh: boolean, fromHistory: boolean): void {
  if (at === null) {
    ageIsStale = !unknownIsFresh;
    ageNote = 'sync date unknown';
    return;
  }
  const days = Math.floor((nowMs - at) / MS_PER_DAY);
  if (days > maxDays) {
    ageIsStale = true;
    ageNote = `data is ${days} days old (limit ${maxDays}${fromHistory ? '; age from HubSpot property history' : ''})`;
    return;
  }
  ageIsStale = false;
  ageNote = fromHistory ? 'sync date unknown; value set in HubSpot within the limit' : null;
}

/** Measures the six signals into the scratch arrays above. */
function measure(account: Account, config: Config, nowMs: number): void {
  const n = config.health.normalise;
  const st = config.health.staleness;
  const today = Math.floor(nowMs / MS_PER_DAY);
  const syncedAt = parseInstantMs(account.usageUpdatedAt);
  const valueAt = syncedAt === null ? parseInstantMs(account.usageValueAt ?? null) : null;
  ageStale(syncedAt ?? valueAt, nowMs, st.usageDays, st.unknownAgeIsFresh, valueAt !== null);
  const usageStale = ageIsStale;
  const usageNote = ageNote;

  // usage trend
  const cur = account.usageCurrentPeriod;
  const prev = account.usagePreviousPeriod;
  if (!finite(cur) || !finite(prev)) unknown(USAGE, cur === null || prev === null ? 'usage not reported' : 'usage value is not a number');
  else if (cur < 0 || prev < 0) unknown(USAGE, 'negative usage');
  else if (prev === 0) unknown(USAGE, 'no usage in the previous period to compare with');
  else if (!Number.isFinite(((cur - prev) / prev) * 100)) unknown(USAGE, 'usage change is out of range');
  else {
    const change = (cur - prev) / prev;
    measured(USAGE, 100 * clamp01((change - n.usageFloor) / (n.usageCeil - n.usageFloor)), cur, prev, usageStale, usageNote, true);
  }

  // seat utilisation
  const lic = account.licensedSeats;
  const act = account.activeUsers;
  if (!finite(lic) || !finite(act)) unknown(SEATS, lic === null || act === null ? 'seats not reported' : 'seat value is not a number');
  else if (lic <= 0 || act < 0) unknown(SEATS, lic <= 0 ? 'no licensed seats' : 'negative active users');
  else if (!Number.isFinite((act / lic) * 100)) unknown(SEATS, 'seat utilisation is out of range');
  else {
    measured(SEATS, 100 * clamp01(act / lic / n.seatTarget), act, lic, usageStale, usageNote, true);
  }

  // login recency
  const loginDay = parseIsoDay(account.lastLoginDate);
  measuredLoginDay = loginDay;
  if (loginDay === null) unknown(LOGIN, account.lastLoginDate === null ? 'no login date' : 'login date is malformed');
  else {
    const days = Math.max(0, today - loginDay);
    // A valid YYYY-MM-DD then " (N days ago)": the summary names the date alone.
    measured(LOGIN, recency(days, n.loginFullDays, n.loginZeroDays), days, loginDay, usageStale, today < loginDay ? 'login date is in the future; counted as today' : usageNote, true);
  }

  // tickets
  const open = account.openTickets;
  const high = account.highPriorityTickets;
  if (!finite(open) || open < 0) unknown(TICKETS, open === null ? 'tickets not read, or the portal does not link tickets to companies' : 'ticket count is invalid');
  else {
    const highKnown = finite(high) && high >= 0;
    const h = highKnown ? Math.min(high, open) : 0;
    measured(TICKETS, Math.max(0, 100 - (open - h) * n.ticketOpenPenalty - h * n.ticketHighPenalty), open, h, false, highKnown ? null : 'high-priority count unknown; counted as 0', true);
  }

  // nps
  const score = account.npsScore;
  if (!finite(score)) unknown(NPS, score === null ? 'no NPS answer' : 'NPS is not a number');
  else if (score < 0 || score > 10) unknown(NPS, `NPS ${score} is outside 0–10`);
  else {
    const npsDay = parseIsoDay(account.npsDate);
    const npsValueAt = npsDay === null ? parseInstantMs(account.npsValueAt ?? null) : null;
    ageStale(npsDay !== null ? npsDay * MS_PER_DAY : npsValueAt, nowMs, st.npsDays, st.unknownAgeIsFresh, npsValueAt !== null);
    // A malformed answer date is free text: only then may the summary need to strip an age from it.
    measured(NPS, score * 10, score, 0, ageIsStale, npsDay === null && npsValueAt === null ? 'answer date unknown' : ageNote, npsDay !== null || !account.npsDate);
  }

  // engagement
  const touched = parseInstantMs(account.lastContactedAt);
  if (touched === null) unknown(ENGAGEMENT, account.lastContactedAt === null ? 'never contacted or not read' : 'last contact date is malformed');
  else {
    const days = Math.max(0, Math.floor((nowMs - touched) / MS_PER_DAY));
    measured(ENGAGEMENT, recency(days, n.engagementFullDays, n.engagementZeroDays), days, Math.floor(touched / MS_PER_DAY), false, null, true);
  }
}

/**
 * Distributes `totalTenths` tenths over `exact` (in points) so the rounded parts add up exactly
 * (largest remainder); leaves the parts, in tenths, in `floors`.
 */
function apportion(totalTenths: number): void {
  const n = 6;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const t = (exact[i] as number) * 10;
    const f = Math.floor(t + 1e-9);
    floors[i] = f;
    fracs[i] = t - f;
    sum += f;
  }
  let diff = totalTenths - sum;
  // Hand out (or take back) tenths by largest (smallest) remainder; ties by index. n is tiny (6).
  let guard = 0;
  while (diff !== 0 && guard++ < 1000) {
    let best = -1;
    for (let i = 0; i < n; i++) {
      if (diff < 0 && (floors[i] as number) <= 0) continue;
      if (best < 0 || (diff > 0 ? (fracs[i] as number) > (fracs[best] as number) : (fracs[i] as number) < (fracs[best] as number))) best = i;
    }
    if (best < 0) break;
    floors[best] = (floors[best] as number) + (diff > 0 ? 1 : -1);
    // Each item moves at most once per pass: push it to the back of the queue.
    fracs[best] = diff > 0 ? -1 - guard : 2 + guard;
    diff += diff > 0 ? -1 : 1;
  }
}

/**
 * Band of a score at a given coverage.
 * @example
 * bandFor(70, 100, defaultConfig()) // 'healthy'
 * bandFor(69, 100, defaultConfig()) // 'watch'
 * bandFor(90, 10, defaultConfig())  // 'unknown' (too little fresh data)
 */
export function bandFor(score: number | null, coverage: number, config: Config): HealthBand {
  if (score === null || coverage < config.health.minCoverage) return 'unknown';
  if (score >= config.health.bands.healthy) return 'healthy';
  if (score >= config.health.bands.watch) return 'watch';
  return 'at_risk';
}

/**
 * The most points time alone can take off a health score while no input changes: the clock moves
 * only the login recency (`loginDays` more days since the last login) and the engagement recency
 * (`engagementDays` more whole days since the last touch), and both only fall, each linearly between
 * its full and zero days. The weights are renormalised over the known signals, which the clock does
 * not change (staleness moves coverage, not the score), so time never raises a score. The worst case
 * over segments, with the known weight at its smallest: at least the fresh weight a score needs
 * (coverage, rounded, at least `minCoverage`), and at least the weights of the signals that move.
 *
 * @example
 * maxScoreDrop(defaultConfig(), 1, 1) // ≈ 1.03: a score of 70 today is at least 69 tomorrow
 */
export function maxScoreDrop(config: Config, loginDays: number, engagementDays: number): number {
  const h = config.health;
  const n = h.normalise;
  const login = Math.min(100, (100 / Math.max(1, n.loginZeroDays - n.loginFullDays)) * Math.max(0, loginDays));
  const engagement = Math.min(100, (100 / Math.max(1, n.engagementZeroDays - n.engagementFullDays)) * Math.max(0, engagementDays));
  let drop = 0;
  for (const w of Object.values(h.weights)) {
    const total = Object.values(w).reduce((a, b) => a + b, 0);
    if (total <= 0) continue;
    // round(100 × fresh / total) ≥ minCoverage ⇒ fresh ≥ total × (minCoverage − 0.5) / 100.
    const least = (total * Math.max(0, h.minCoverage - 0.5)) / 100;
    const wl = w.login_recency;
    const we = w.engagement;
    if (wl > 0) drop = Math.max(drop, (wl * login) / Math.max(least, wl));
    if (we > 0) drop = Math.max(drop, (we * engagement) / Math.max(least, we));
    if (wl + we > 0) drop = Math.max(drop, (wl * login + we * engagement) / Math.max(least, wl + we));
  }
  return drop;
}

/** Lower is worse; `unknown` is never compared (a cap does not apply to it). */
const BAND_RANK: Record<HealthBand, number> = { at_risk: 0, watch: 1, healthy: 2, unknown: 3 };

function byBandRank(a: HealthCap, b: HealthCap): number {
  return BAND_RANK[a.band] - BAND_RANK[b.band];
}


/**
 * The critical signals that hold (config `health.caps`), strictest first. Usage and login caps need
 * fresh data (the same data the playbooks act on); the NPS cap needs a known answer date.
 * Reads what `measure` found for this account.
 * @example
 * criticalCaps(makeAccount({ npsScore: 3, npsDate: '2026-06-01' }), defaultConfig(), Date.parse('2026-06-15'))
 * // [{ id: 'nps_detractor', band: 'watch', reason: 'NPS detractor: 3 on 2026-06-01' }]
 */
function criticalCaps(account: Account, config: Config, nowMs: number): HealthCap[] {
  const caps = config.health.caps;
  let out: HealthCap[] | null = null;
  const today = Math.floor(nowMs / MS_PER_DAY);
  const nps = account.npsScore;
  if (caps.nps_detractor.enabled && finite(nps) && nps >= 0 && nps <= caps.nps_detractor.max) {
    const day = parseIsoDay(account.npsDate) ?? dayOfInstant(account.npsValueAt ?? null);
    if (day !== null && today - day <= caps.nps_detractor.withinDays) {
      (out ??= []).push({ id: 'nps_detractor', band: caps.nps_detractor.band, reason: `NPS detractor: ${nps} on ${formatIsoDay(day)}` });
    }
  }
  const loginDay = measuredLoginDay;
  if (caps.no_login.enabled && known[LOGIN] === 1 && stale[LOGIN] === 0 && loginDay !== null && today - loginDay >= caps.no_login.days) {
    (out ??= []).push({ id: 'no_login', band: caps.no_login.band, reason: `no login since ${formatIsoDay(loginDay)} (${caps.no_login.days}+ days)` });
  }
  const cur = account.usageCurrentPeriod;
  const prev = account.usagePreviousPeriod;
  if (caps.usage_drop.enabled && known[USAGE] === 1 && stale[USAGE] === 0 && finite(cur) && finite(prev) && prev > 0) {
    const change = (cur - prev) / prev;
    if (-change > caps.usage_drop.dropAbove) {
      (out ??= []).push({ id: 'usage_drop', band: caps.usage_drop.band, reason: `usage down ${pct(-change).replace('+', '')} (limit ${Math.round(caps.usage_drop.dropAbove * 100)}%)` });
    }
  }
  const urgent = account.urgentTickets;
  if (caps.urgent_ticket.enabled && finite(urgent ?? null) && (urgent as number) >= 1) {
    const k = urgent as number;
    (out ??= []).push({ id: 'urgent_ticket', band: caps.urgent_ticket.band, reason: `${k} urgent open ticket${k === 1 ? '' : 's'}` });
  }
  if (out === null) return NO_CAPS;
  // Strictest first; stable otherwise (the order above).
  return out.length > 1 ? sortInPlace(out, byBandRank) : out;
}

function dayOfInstant(instant: string | null): number | null {
  const ms = parseInstantMs(instant);
  return ms === null ? null : Math.floor(ms / MS_PER_DAY);
}

const BAND_WORDS: Record<HealthBand, string> = { healthy: 'healthy', watch: 'watch', at_risk: 'at risk', unknown: 'unknown' };

/** Labels as the summary names them (lower case), by signal index. */
const LOWER: readonly string[] = ORDER.map((id) => SIGNAL_LABELS[id].toLowerCase());

/** Points signal i lost to the score (its share of the weight × what it lacks of 100). */
function lost(i: number): number {
  return (shareOf[i] as number) * (100 - (normalisedOf[i] as number));
}

const AGE_TEXT = / ?\(?\d+ days ago\)?/;

/** Signal `i` as named in the summary: its raw value without relative ages ("12 days ago"). */
function summaryWords(i: number, account: Account): string {
  const label = LOWER[i] as string;
  if (hasBare[i] === 1) return `${label} ${bareText(i, account)}`;
  const raw = rawText(i, account);
  // Without " days ago" the pattern cannot match: the replace is a no-op.
  const text = raw.includes(' days ago') ? raw.replace(AGE_TEXT, '') : raw;
  return `${label} ${text.trim() || raw}`;
}

/** The summary of what `weigh` found for `account` (reads the scratch: call it right after). */
function summarise(account: Account, score: number | null, band: HealthBand, coverage: number, caps: readonly HealthCap[], cappedBy: HealthCap | null, minCoverage: number): string {
  if (score === null) {
    let missing = '';
    let staleText = '';
    let anyKnown = false;
    for (let i = 0; i < 6; i++) {
      if (known[i] === 0) missing += (missing ? ', ' : '') + (LOWER[i] as string);
      else {
        anyKnown = true;
        if (stale[i] === 1) staleText += (staleText ? ', ' : '') + (LOWER[i] as string);
      }
    }
    let u = anyKnown
      ? `Health unknown: too little fresh data for a score (coverage ${coverage}%, needs ${minCoverage}%).`
      : `Health unknown: no signal has data (coverage ${coverage}%).`;
    if (missing) u += ` Missing: ${missing}.`;
    if (staleText) u += ` Stale: ${staleText}.`;
    return u;
  }
  // Weak: normalised < 50, by points lost; strong: ≥ 70, by contribution. Two each (signal indices).
  let w1 = -1;
  let w2 = -1;
  let s1 = -1;
  let s2 = -1;
  let staleText = '';
  let unknownText = '';
  for (let i = 0; i < 6; i++) {
    if (known[i] === 0) {
      unknownText += (unknownText ? ', ' : '') + (LOWER[i] as string);
      continue;
    }
    if (stale[i] === 1) staleText += (staleText ? ', ' : '') + (LOWER[i] as string);
    const n = normalisedOf[i] as number;
    if (shareOf[i] === 0) continue;
    if (n < 50) {
      if (w1 < 0 || lost(i) > lost(w1)) {
        w2 = w1;
        w1 = i;
      } else if (w2 < 0 || lost(i) > lost(w2)) w2 = i;
    } else if (n >= 70) {
      const points = pointsOf[i] as number;
      if (s1 < 0 || points > (pointsOf[s1] as number)) {
        s2 = s1;
        s1 = i;
      } else if (s2 < 0 || points > (pointsOf[s2] as number)) s2 = i;
    }
  }
  // The summary is written to HubSpot: relative ages ("12 days ago") would change it every day
  // and force a write on unchanged accounts, so it names dates only.
  let s = `${score}/100 ${BAND_WORDS[band]}${cappedBy !== null ? ` (capped: ${cappedBy.reason})` : ''}, coverage ${coverage}%.`;
  // A risk task is named only when it is what holds the band (the signal behind it is listed anyway).
  if (caps.length > 0) {
    let others = '';
    let count = 0;
    for (const c of caps) if (c !== cappedBy && c.id !== 'risk_task') others += (count++ > 0 ? '; ' : '') + c.reason;
    if (count > 0) s += ` Critical: ${others}.`;
  }
  if (w1 >= 0) s += ` Weak: ${summaryWords(w1, account)}${w2 >= 0 ? `; ${summaryWords(w2, account)}` : ''}.`;
  if (s1 >= 0) s += ` Strong: ${summaryWords(s1, account)}${s2 >= 0 ? `; ${summaryWords(s2, account)}` : ''}.`;
  if (staleText) s += ` Stale: ${staleText}.`;
  if (unknownText) s += ` Unknown: ${unknownText}.`;
  return s;
}

/** Labels by signal index (ORDER). */
const LABELS: readonly string[] = ORDER.map((id) => SIGNAL_LABELS[id]);

/** Signal i's contribution as `weigh` found it for `account` (its words built now). */
function contributionOf(i: number, weight: number, account: Account): SignalContribution {
  const isKnown = known[i] === 1;
  return {
    id: ORDER[i] as SignalId,
    label: LABELS[i] as string,
    weight: shareOf[i] as number,
    normalized: isKnown ? (normalisedOf[i] as number) : null,
    contribution: pointsOf[i] as number,
    raw: isKnown ? rawText(i, account) : null,
    status: !isKnown ? 'unknown' : stale[i] === 1 ? 'stale' : 'fresh',
    note: isKnown && weight === 0 ? 'weight 0 in this segment' : (notes[i] ?? null),
  };
}

/** What the last `weigh` found besides the scratch arrays (no object per account). */
let weighedScore: number | null = null;
let weighedCoverage = 0;
let weighedClockRate = 0;
let weighedFresh = 0;

/**
 * Measures the six signals of `account` and weighs them with `weights`: fills the scratch (known,
 * stale, shares, normalised values, apportioned points) and `weighed*`.
 */
function weigh(account: Account, weights: Config['health']['weights'][Segment], config: Config, nowMs: number): void {
  measure(account, config, nowMs);
  const w0 = weights.usage_trend;
  const w1 = weights.seat_utilisation;
  const w2 = weights.login_recency;
  const w3 = weights.tickets;
  const w4 = weights.nps;
  const w5 = weights.engagement;
  let totalWeight = 0;
  let knownWeight = 0;
  let freshWeight = 0;
  let fresh = 0;
  for (let i = 0; i < 6; i++) {
    const w = i === 0 ? w0 : i === 1 ? w1 : i === 2 ? w2 : i === 3 ? w3 : i === 4 ? w4 : w5;
    totalWeight += w;
    if (known[i] === 1 && stale[i] === 0) fresh |= 1 << i;
    if (known[i] === 1 && w > 0) {
      knownWeight += w;
      if (stale[i] === 0) freshWeight += w;
    }
  }
  const coverage = totalWeight > 0 ? Math.round((100 * freshWeight) / totalWeight) : 0;
  const norm = config.health.normalise;
  let clockRate = 0;
  if (knownWeight > 0 && known[LOGIN] === 1 && w2 > 0 && (normalized[LOGIN] as number) > 0) clockRate += (w2 / knownWeight) * (100 / Math.max(1, norm.loginZeroDays - norm.loginFullDays));
  if (knownWeight > 0 && known[ENGAGEMENT] === 1 && w5 > 0 && (normalized[ENGAGEMENT] as number) > 0) clockRate += (w5 / knownWeight) * (100 / Math.max(1, norm.engagementZeroDays - norm.engagementFullDays));
  let sum = 0;
  for (let i = 0; i < 6; i++) {
    const w = i === 0 ? w0 : i === 1 ? w1 : i === 2 ? w2 : i === 3 ? w3 : i === 4 ? w4 : w5;
    const e = known[i] === 1 && w > 0 && knownWeight > 0 ? (w / knownWeight) * (normalized[i] as number) : 0;
    exact[i] = e;
    sum += e;
  }
  // No evidence, no score: below the coverage threshold the score is empty, not a number.
  const score = knownWeight > 0 && coverage >= config.health.minCoverage ? Math.min(100, Math.max(0, Math.round(sum))) : null;
  if (score !== null) apportion(score * 10);
  for (let i = 0; i < 6; i++) {
    const w = i === 0 ? w0 : i === 1 ? w1 : i === 2 ? w2 : i === 3 ? w3 : i === 4 ? w4 : w5;
    const isKnown = known[i] === 1;
    shareOf[i] = isKnown && w > 0 ? w / knownWeight : 0;
    normalisedOf[i] = isKnown ? Math.round((normalized[i] as number) * 10) / 10 : 0;
    pointsOf[i] = score !== null ? (floors[i] as number) / 10 : 0;
  }
  weighedScore = score;
  weighedCoverage = coverage;
  weighedClockRate = clockRate;
  weighedFresh = fresh;
}

/** The fields of a health result other than its contributions. */
interface HealthFields extends Omit<HealthResult, 'contributions' | 'inputs' | 'clockRate'> {
  clockRate: number;
}

/**
 * A health result whose contributions (six objects with their words) are built when first read —
 * the card reads them; the sweep writes the score, band, coverage and summary only — by measuring
 * the same account again: the same values `computeHealth` weighed.
 */
class Health implements HealthResult {
  score: number | null;
  band: HealthBand;
  caps: HealthCap[];
  cappedBy: HealthCap | null;
  coverage: number;
  summary: string;
  freshMask: number;
  clockRate: number;
  readonly #account: Account;
  readonly #segment: Segment;
  readonly #config: Config;
  readonly #nowMs: number;
  #contributions: SignalContribution[] | null = null;

  constructor(fields: HealthFields, account: Account, segment: Segment, config: Config, nowMs: number) {
    this.score = fields.score;
    this.band = fields.band;
    this.caps = fields.caps;
    this.cappedBy = fields.cappedBy;
    this.coverage = fields.coverage;
    this.summary = fields.summary;
    this.freshMask = fields.freshMask;
    this.clockRate = fields.clockRate;
    this.#account = account;
    this.#segment = segment;
    this.#config = config;
    this.#nowMs = nowMs;
  }

  get contributions(): SignalContribution[] {
    if (this.#contributions === null) {
      const weights = this.#config.health.weights[this.#segment];
      weigh(this.#account, weights, this.#config, this.#nowMs);
      this.#contributions = [
        contributionOf(0, weights.usage_trend, this.#account),
        contributionOf(1, weights.seat_utilisation, this.#account),
        contributionOf(2, weights.login_recency, this.#account),
        contributionOf(3, weights.tickets, this.#account),
        contributionOf(4, weights.nps, this.#account),
        contributionOf(5, weights.engagement, this.#account),
      ];
    }
    return this.#contributions;
  }

  /** The raw inputs of the score (made when read: the card and audits read them, the sweep does not). */
  get inputs(): Record<string, string | number | null> {
    const account = this.#account;
    return {
      usageCurrentPeriod: account.usageCurrentPeriod,
      usagePreviousPeriod: account.usagePreviousPeriod,
      licensedSeats: account.licensedSeats,
      activeUsers: account.activeUsers,
      lastLoginDate: account.lastLoginDate,
      usageUpdatedAt: account.usageUpdatedAt,
      openTickets: account.openTickets,
      highPriorityTickets: account.highPriorityTickets,
      npsScore: account.npsScore,
      npsDate: account.npsDate,
      lastContactedAt: account.lastContactedAt,
    };
  }

  /** The same result with some fields changed (the contributions are the same). */
  with(changes: Partial<HealthFields>): Health {
    const next = new Health({ ...this.fields(), ...changes }, this.#account, this.#segment, this.#config, this.#nowMs);
    next.#contributions = this.#contributions;
    return next;
  }

  private fields(): HealthFields {
    return { score: this.score, band: this.band, caps: this.caps, cappedBy: this.cappedBy, coverage: this.coverage, summary: this.summary, freshMask: this.freshMask, clockRate: this.clockRate };
  }

  /** Serialised with its contributions and inputs, as a plain result would be. */
  toJSON(): HealthResult {
    return { ...this.fields(), inputs: this.inputs, contributions: this.contributions };
  }
}

/**
 * Scores an account for a segment. Unknown signals are excluded and the weights renormalised;
 * stale signals still count in the score but not in coverage. The score is the rounded sum of the
 * exact contributions; reported contributions are apportioned in 0.1 points so they add up to it.
 * The contributions (with each signal's words) are built when first read.
 *
 * @example
 * const h = computeHealth(account, 'pooled', defaultConfig(), new Date('2026-06-15T00:00:00Z'));
 * h.contributions.reduce((s, c) => s + c.contribution, 0) // ≈ h.score (exact in tenths)
 */
export function computeHealth(account: Account, segment: Segment, config: Config, now: Date, extraCaps: readonly HealthCap[] = NO_CAPS): HealthResult {
  const nowMs = now.getTime();
  weigh(account, config.health.weights[segment], config, nowMs);
  const score = weighedScore;
  const coverage = weighedCoverage;
  const own = criticalCaps(account, config, nowMs);
  const caps = extraCaps.length === 0 ? own : [...own, ...extraCaps].sort(byBandRank);
  const scoreBand = bandFor(score, coverage, config);
  const strictest = caps.length > 0 ? caps[0] : undefined;
  const cappedBy = scoreBand !== 'unknown' && strictest !== undefined && BAND_RANK[strictest.band] < BAND_RANK[scoreBand] ? strictest : null;
  const band = cappedBy !== null ? cappedBy.band : scoreBand;
  return new Health(
    {
      score,
      band,
      caps,
      cappedBy,
      coverage,
      summary: summarise(account, score, band, coverage, caps, cappedBy, config.health.minCoverage),
      freshMask: weighedFresh,
      clockRate: weighedClockRate,
    },
    account,
    segment,
    config,
    nowMs,
  );
}

/**
 * The same result with one more cap applied (a risk task planned after the score was computed):
 * the band drops to the cap's when that is lower, and the summary's head names it, exactly as
 * `computeHealth(..., [cap])` would word it.
 * @example
 * withCap(h, { id: 'risk_task', band: 'watch', reason: 'risk task from 2026-11-28: No login' }).band // 'watch'
 */
export function withCap(health: HealthResult, cap: HealthCap): HealthResult {
  const caps = [...health.caps, cap].sort((a, b) => BAND_RANK[a.band] - BAND_RANK[b.band]);
  const changed = ((): Partial<HealthFields> => {
    if (health.band === 'unknown' || health.cappedBy !== null || BAND_RANK[cap.band] >= BAND_RANK[health.band] || health.score === null) return { caps };
    const head = `${health.score}/100 ${BAND_WORDS[health.band]},`;
    const summary = health.summary.startsWith(head) ? `${health.score}/100 ${BAND_WORDS[cap.band]} (capped: ${cap.reason}),${health.summary.slice(head.length)}` : health.summary;
    return { band: cap.band, caps, cappedBy: cap, summary };
  })();
  return health instanceof Health ? health.with(changed) : { ...health, ...changed };
}

export interface HealthTrend {
  /** Points in the trend window, oldest first. */
  points: { at: string; score: number }[];
  /** Latest score minus the score `trendCompareDays` ago (or the oldest in range); null when no history. */
  change: number | null;
  /** change ≤ −(health_drop points). */
  dropped: boolean;
}

/**
 * Trend from a score history (any order; non-finite values and bad dates are dropped).
 * @example
 * healthTrend([{ value: 80, at: '2026-05-01T00:00:00Z' }, { value: 55, at: '2026-06-10T00:00:00Z' }], new Date('2026-06-15'), config)
 * // { points: [...2], change: -25, dropped: true }
 */
export function healthTrend(history: HistoryPoint[], now: Date, config: Config): HealthTrend {
  const nowMs = now.getTime();
  const from = nowMs - config.health.trendDays * MS_PER_DAY;
  const pts: { ms: number; at: string; score: number }[] = [];
  for (const h of history) {
    const ms = parseInstantMs(h.at);
    if (ms === null || !Number.isFinite(h.value) || ms < from || ms > nowMs) continue;
    pts.push({ ms, at: new Date(ms).toISOString(), score: h.value });
  }
  pts.sort((a, b) => a.ms - b.ms);
  const latest = pts[pts.length - 1];
  if (latest === undefined) return { points: [], change: null, dropped: false };
  const compareAt = nowMs - config.health.trendCompareDays * MS_PER_DAY;
  let ref = pts[0] ?? latest;
  for (const p of pts) if (p.ms <= compareAt) ref = p;
  const change = Math.round((latest.score - ref.score) * 10) / 10;
  return {
    points: pts.map((p) => ({ at: p.at, score: p.score })),
    change,
    dropped: change <= -config.playbooks.rules.health_drop.points,
  };
}

/** A health drop in force today: its size, the score before it and the day it was seen (epoch day). */
export interface HealthDropNow {
  points: number;
  from: number;
  onDay: number;
}

/** Where the slide is measured from: the recorded peak while it is younger than `peakDays`. */
function peakInForce(peak: HealthPeakRecord | null | undefined, today: number, peakDays: number): number | null {
  if (peak === null || peak === undefined || peakDays <= 0) return null;
  const day = parseIsoDay(peak.on);
  return day !== null && day <= today && today - day < peakDays ? day : null;
}

/**
 * The health drop in force today, from the score stored before this run (a step), the recorded
 * peak (a slow slide: `cs_health_peak` / `_on`, younger than `peakDays`, the trend's comparison
 * window) or the recorded drop (`cs_health_drop_from` / `_on`) while it is held: a drop seen on day
 * D stays in force until day D + `holdDays` − 1 as long as the score is still `points` or more below
 * the score before it, so the work it asked for does not vanish the next day (when the stored score
 * is today's), and the call after an unanswered digital touch (`channels.followUpDays` later) still
 * sees it. A slide counts once per peak: a drop recorded on or after the peak's day is that slide
 * (held, then over). Of the three, the larger counts (a held one on a tie: it keeps its key). Null
 * when none (no allocation on that path).
 *
 * @example
 * healthDropNow(80, null, 55, 20_000, { points: 20, holdDays: 14 }) // { points: 25, from: 80, onDay: 20000 }
 * healthDropNow(55, { from: 80, on: '2024-10-04' }, 55, 20_005, { points: 20, holdDays: 14 }) // { points: 25, from: 80, onDay: 20000 }
 * healthDropNow(76, null, 74, 20_000, { points: 20, holdDays: 14 }, { score: 95, on: '2024-09-15' }, 30) // { points: 21, from: 95, onDay: 20000 }
 */
export function healthDropNow(
  stored: number | null,
  record: HealthDropRecord | null | undefined,
  score: number | null,
  today: number,
  s: { points: number; holdDays: number },
  peak: HealthPeakRecord | null | undefined = null,
  peakDays = 0,
): HealthDropNow | null {
  if (score === null) return null;
  const step = stored !== null ? stored - score : -Infinity;
  let held = -Infinity;
  let heldDay = Number.NaN;
  let recordDay: number | null = null;
  if (record !== null && record !== undefined) {
    recordDay = parseIsoDay(record.on);
    if (recordDay !== null && recordDay <= today && today - recordDay < s.holdDays) {
      held = record.from - score;
      heldDay = recordDay;
    }
  }
  const peakDay = peakInForce(peak, today, peakDays);
  const slide = peakDay !== null && !(recordDay !== null && recordDay >= peakDay) ? (peak as HealthPeakRecord).score - score : -Infinity;
  if (held >= s.points && held >= step && held >= slide) return { points: held, from: record?.from as number, onDay: heldDay };
  if (slide >= s.points && slide > step) return { points: slide, from: (peak as HealthPeakRecord).score, onDay: today };
  if (step >= s.points) return { points: step, from: stored as number, onDay: today };
  return null;
}

/**
 * The health drop to record after this evaluation: a step or slide of `points` or more seen today
 * (unless a larger held one stands), else the stored record unchanged (the latest drop stays on
 * record after its hold: managers filter on it). `undefined` in, `undefined` out for a step that
 * records nothing (an older caller that does not read the properties writes none).
 *
 * @example
 * nextHealthDrop(80, null, 55, 20_000, { points: 20, holdDays: 14 }) // { from: 80, on: '2024-10-04' }
 */
export function nextHealthDrop(
  stored: number | null,
  record: HealthDropRecord | null | undefined,
  score: number | null,
  today: number,
  s: { points: number; holdDays: number },
  peak: HealthPeakRecord | null | undefined = null,
  peakDays = 0,
): HealthDropRecord | null | undefined {
  const now = healthDropNow(stored, record, score, today, s, peak, peakDays);
  if (now === null || now.onDay !== today || (record !== null && record !== undefined && record.from === now.from && parseIsoDay(record.on) === today)) return record;
  return { from: now.from, on: formatIsoDay(today) };
}

/**
 * Points `score` can still fall before a slide from `peak` is a drop of `points` (score − (peak −
 * points)); negative once past it; null without a score or a peak in force today.
 *
 * @example
 * healthDropHeadroom({ score: 95, on: '2024-10-01' }, 80, 20_000, 20, 30) // 5
 */
export function healthDropHeadroom(peak: HealthPeakRecord | null | undefined, score: number | null, today: number, points: number, peakDays: number): number | null {
  if (score === null || peakInForce(peak, today, peakDays) === null) return null;
  return Math.round((score - ((peak as HealthPeakRecord).score - points)) * 10) / 10;
}

/**
 * The first day a fresh signal whose age comes from HubSpot's property history (no sync date: usage,
 * seats and login age with the usage values, the NPS answer with its own) goes stale, if nothing else
 * changes: the first day its age is over the limit (`staleness.usageDays` / `npsDays`), as
 * `computeHealth` counts it (whole days from the value's instant). Null when no such signal is fresh.
 * A sync date is searchable (an incremental run asks for it directly); a history timestamp is not,
 * so the company records this day (cs_health_stale_due).
 *
 * @example
 * // usage values set 2026-11-01T10:00Z (no sync date), limit 14 days: stale from 2026-11-16T10:00Z
 * historyStaleDueDay(makeAccount({ usageUpdatedAt: null, usageValueAt: '2026-11-01T10:00:00Z' }), defaultConfig(), Date.parse('2026-11-05T00:00:00Z')) // day of 2026-11-16
 */
export function historyStaleDueDay(account: Account, config: Config, nowMs: number): number | null {
  if (account.usageValueAt == null && account.npsValueAt == null) return null;
  const st = config.health.staleness;
  let due: number | null = null;
  const consider = (at: number | null, maxDays: number) => {
    if (at === null) return;
    const staleAt = at + (maxDays + 1) * MS_PER_DAY;
    if (staleAt <= nowMs) return; // stale already
    const day = Math.floor(staleAt / MS_PER_DAY);
    if (due === null || day < due) due = day;
  };
  if (parseInstantMs(account.usageUpdatedAt) === null) consider(parseInstantMs(account.usageValueAt ?? null), st.usageDays);
  if (parseIsoDay(account.npsDate) === null && account.npsScore !== null) consider(parseInstantMs(account.npsValueAt ?? null), st.npsDays);
  return due;
}

/**
 * The first day the clock alone could take the score past its slide line: `headroom` points left,
 * at most `clockRate` a day (a touch's whole days can gain one more, and the score rounds: one point
 * of slack), so not before today + ⌊(headroom − 1) / rate⌋ − 1 (at least tomorrow). Null when the
 * line is passed (the drop is seen), the clock cannot move the score, or that day is past the peak's
 * window (`peakOnDay + peakDays`, when the peak no longer counts). An incremental run reads the
 * companies whose day has come.
 *
 * @example
 * healthDropDueDay(10, 0.5, 20_000, 19_990, 30) // 20_000 + ⌊9 / 0.5⌋ − 1 = 20_017
 */
export function healthDropDueDay(headroom: number | null, clockRate: number, today: number, peakOnDay: number, peakDays: number): number | null {
  if (headroom === null || headroom <= 0 || !(clockRate > 0)) return null;
  const due = today + Math.max(1, Math.floor((headroom - 1) / clockRate) - 1);
  return due < peakOnDay + peakDays ? due : null;
}

/**
 * The peak to record after this evaluation: today's score when it is higher than the recorded
 * peak, or when that peak is `peakDays` old or more (or none is recorded; the window starts
 * again from today's score), else the recorded peak unchanged. An unknown score keeps it.
 * `undefined` in, `undefined` out (a caller that did not read the properties writes none, so it
 * never resets a peak it did not see).
 *
 * @example
 * nextHealthPeak({ score: 90, on: '2024-10-01' }, 93, 20_000, 30) // { score: 93, on: '2024-10-04' }
 * nextHealthPeak({ score: 90, on: '2024-10-01' }, 70, 20_000, 30) // the same record
 */
export function nextHealthPeak(peak: HealthPeakRecord | null | undefined, score: number | null, today: number, peakDays: number): HealthPeakRecord | null | undefined {
  if (peak === undefined || score === null) return peak;
  if (peak !== null && peakInForce(peak, today, peakDays) !== null && score <= peak.score) return peak;
  return { score, on: formatIsoDay(today) };
}

/**
 * The critical signal that holds a stored band below its score, as the summary names it
 * (`… (capped: <reason>), coverage …`); null when the summary names none or is absent.
 *
 * @example
 * capReasonOf('96/100 at risk (capped: NPS detractor: 3 on 12 Nov 2026), coverage 90%.') // 'NPS detractor: 3 on 12 Nov 2026'
 */
export function capReasonOf(summary: string | null | undefined): string | null {
  if (summary === null || summary === undefined) return null;
  const head = summary.indexOf(' (capped: ');
  const coverage = summary.indexOf('), coverage ');
  if (head < 0 || coverage < head) return null;
  const reason = summary.slice(head + ' (capped: '.length, coverage).trim();
  return reason.length > 0 ? reason : null;
}
