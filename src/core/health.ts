/**
 * Explainable health score: per-signal normalisation (0–100), per-segment weights, coverage of
 * fresh data, per-signal contributions that add up exactly to the score, and the trend.
 */
import type { CapId, Config, SignalId } from './config';
import * as dates from './dates';
import type { Account, HealthBand, HistoryPoint, Segment } from './types';

// Bound once: under tsx (CommonJS output) each call through a named import goes through a getter,
// which showed in the profile of the per-account hot path.
const { MS_PER_DAY, formatIsoDay, parseInstantMs, parseIsoDay } = dates;

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
  contributions: SignalContribution[];
  summary: string;
  /** The raw inputs used, for the card and for audits. */
  inputs: Record<string, string | number | null>;
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

interface Measured {
  normalized: number | null;
  raw: string | null;
  stale: boolean;
  note: string | null;
  /** `raw` as the summary names it (relative age removed), when known without the regex. */
  bare?: string;
}

const UNKNOWN = (note: string): Measured => ({ normalized: null, raw: null, stale: false, note });

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
  return `${p > 0 ? '+' : p < 0 ? '−' : ''}${Math.abs(p)}%`;
}

/** Signed share, e.g. −0.35 → "−35%". */
export function formatChange(x: number): string {
  return pct(x);
}

/**
 * Freshness from a sync date (cs_usage_updated_at, cs_nps_date) or, when that is unknown, from the
 * timestamp HubSpot keeps for the value itself (property history, `fromHistory`).
 */
function ageStale(at: number | null, nowMs: number, maxDays: number, unknownIsFresh: boolean, fromHistory = false): { stale: boolean; note: string | null } {
  if (at === null) return { stale: !unknownIsFresh, note: 'sync date unknown' };
  const days = Math.floor((nowMs - at) / MS_PER_DAY);
  const source = fromHistory ? '; age from HubSpot property history' : '';
  if (days > maxDays) return { stale: true, note: `data is ${days} days old (limit ${maxDays}${source})` };
  return { stale: false, note: fromHistory ? 'sync date unknown; value set in HubSpot within the limit' : null };
}

function measure(account: Account, config: Config, nowMs: number): Record<SignalId, Measured> {
  const n = config.health.normalise;
  const st = config.health.staleness;
  const today = Math.floor(nowMs / MS_PER_DAY);
  const syncedAt = parseInstantMs(account.usageUpdatedAt);
  const valueAt = syncedAt === null ? parseInstantMs(account.usageValueAt ?? null) : null;
  const usageAge = ageStale(syncedAt ?? valueAt, nowMs, st.usageDays, st.unknownAgeIsFresh, valueAt !== null);

  // usage trend
  let usage: Measured;
  const cur = account.usageCurrentPeriod;
  const prev = account.usagePreviousPeriod;
  if (!finite(cur) || !finite(prev)) usage = UNKNOWN(cur === null || prev === null ? 'usage not reported' : 'usage value is not a number');
  else if (cur < 0 || prev < 0) usage = UNKNOWN('negative usage');
  else if (prev === 0) usage = UNKNOWN('no usage in the previous period to compare with');
  else if (!Number.isFinite(((cur - prev) / prev) * 100)) usage = UNKNOWN('usage change is out of range');
  else {
    const change = (cur - prev) / prev;
    usage = {
      normalized: 100 * clamp01((change - n.usageFloor) / (n.usageCeil - n.usageFloor)),
      raw: `${cur} vs ${prev} (${pct(change)})`,
      stale: usageAge.stale,
      note: usageAge.note,
    };
  }

  // seat utilisation
  let seats: Measured;
  const lic = account.licensedSeats;
  const act = account.activeUsers;
  if (!finite(lic) || !finite(act)) seats = UNKNOWN(lic === null || act === null ? 'seats not reported' : 'seat value is not a number');
  else if (lic <= 0 || act < 0) seats = UNKNOWN(lic <= 0 ? 'no licensed seats' : 'negative active users');
  else if (!Number.isFinite((act / lic) * 100)) seats = UNKNOWN('seat utilisation is out of range');
  else {
    const util = act / lic;
    seats = { normalized: 100 * clamp01(util / n.seatTarget), raw: `${act} of ${lic} seats (${Math.round(util * 100)}%)`, stale: usageAge.stale, note: usageAge.note };
  }

  // login recency
  let login: Measured;
  const loginDay = parseIsoDay(account.lastLoginDate);
  if (loginDay === null) login = UNKNOWN(account.lastLoginDate === null ? 'no login date' : 'login date is malformed');
  else {
    const days = Math.max(0, today - loginDay);
    login = {
      normalized: recency(days, n.loginFullDays, n.loginZeroDays),
      raw: `${account.lastLoginDate} (${days} days ago)`,
      // A valid YYYY-MM-DD then " (N days ago)": the summary's pattern removes exactly the suffix.
      bare: account.lastLoginDate as string,
      stale: usageAge.stale,
      note: today < loginDay ? 'login date is in the future; counted as today' : usageAge.note,
    };
  }

  // tickets
  let tickets: Measured;
  const open = account.openTickets;
  const high = account.highPriorityTickets;
  if (!finite(open) || open < 0) tickets = UNKNOWN(open === null ? 'tickets not read, or the portal does not link tickets to companies' : 'ticket count is invalid');
  else {
    const h = finite(high) && high >= 0 ? Math.min(high, open) : 0;
    tickets = {
      normalized: Math.max(0, 100 - (open - h) * n.ticketOpenPenalty - h * n.ticketHighPenalty),
      raw: `${open} open, ${h} high priority`,
      stale: false,
      note: finite(high) && high >= 0 ? null : 'high-priority count unknown; counted as 0',
    };
  }

  // nps
  let nps: Measured;
  const score = account.npsScore;
  if (!finite(score)) nps = UNKNOWN(score === null ? 'no NPS answer' : 'NPS is not a number');
  else if (score < 0 || score > 10) nps = UNKNOWN(`NPS ${score} is outside 0–10`);
  else {
    const npsDay = parseIsoDay(account.npsDate);
    const npsValueAt = npsDay === null ? parseInstantMs(account.npsValueAt ?? null) : null;
    const age = ageStale(npsDay !== null ? npsDay * MS_PER_DAY : npsValueAt, nowMs, st.npsDays, st.unknownAgeIsFresh, npsValueAt !== null);
    nps = {
      normalized: score * 10,
      raw: account.npsDate ? `${score} (${account.npsDate})` : `${score}`,
      stale: age.stale,
      note: npsDay === null && npsValueAt === null ? 'answer date unknown' : age.note,
    };
  }

  // engagement
  let eng: Measured;
  const touched = parseInstantMs(account.lastContactedAt);
  if (touched === null) eng = UNKNOWN(account.lastContactedAt === null ? 'never contacted or not read' : 'last contact date is malformed');
  else {
    const days = Math.max(0, Math.floor((nowMs - touched) / MS_PER_DAY));
    const date = formatIsoDay(Math.floor(touched / MS_PER_DAY));
    eng = { normalized: recency(days, n.engagementFullDays, n.engagementZeroDays), raw: `${date} (${days} days ago)`, stale: false, note: null, bare: date };
  }

  return { usage_trend: usage, seat_utilisation: seats, login_recency: login, tickets, nps, engagement: eng };
}

/**
 * Distributes `total` tenths over `exact` values (in points) so the rounded parts add up exactly
 * (largest remainder). Returns points with 0.1 precision.
 */
function apportion(exact: number[], totalTenths: number): number[] {
  const n = exact.length;
  const floors: number[] = new Array<number>(n);
  const fracs: number[] = new Array<number>(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const t = (exact[i] ?? 0) * 10;
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
      if (diff < 0 && (floors[i] ?? 0) <= 0) continue;
      if (best < 0 || (diff > 0 ? (fracs[i] ?? 0) > (fracs[best] ?? 0) : (fracs[i] ?? 0) < (fracs[best] ?? 0))) best = i;
    }
    if (best < 0) break;
    floors[best] = (floors[best] ?? 0) + (diff > 0 ? 1 : -1);
    // Each item moves at most once per pass: push it to the back of the queue.
    fracs[best] = diff > 0 ? -1 - guard : 2 + guard;
    diff += diff > 0 ? -1 : 1;
  }
  for (let i = 0; i < n; i++) floors[i] = (floors[i] ?? 0) / 10;
  return floors;
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

/** Lower is worse; `unknown` is never compared (a cap does not apply to it). */
const BAND_RANK: Record<HealthBand, number> = { at_risk: 0, watch: 1, healthy: 2, unknown: 3 };

/**
 * The critical signals that hold (config `health.caps`), strictest first. Usage and login caps need
 * fresh data (the same data the playbooks act on); the NPS cap needs a known answer date.
 * @example
 * criticalCaps(makeAccount({ npsScore: 3, npsDate: '2026-06-01' }), m, defaultConfig(), Date.parse('2026-06-15'))
 * // [{ id: 'nps_detractor', band: 'watch', reason: 'NPS detractor: 3 on 2026-06-01' }]
 */
function criticalCaps(account: Account, m: Record<SignalId, Measured>, config: Config, nowMs: number): HealthCap[] {
  const caps = config.health.caps;
  const out: HealthCap[] = [];
  const today = Math.floor(nowMs / MS_PER_DAY);
  const nps = account.npsScore;
  if (caps.nps_detractor.enabled && finite(nps) && nps >= 0 && nps <= caps.nps_detractor.max) {
    const day = parseIsoDay(account.npsDate) ?? dayOfInstant(account.npsValueAt ?? null);
    if (day !== null && today - day <= caps.nps_detractor.withinDays) {
      out.push({ id: 'nps_detractor', band: caps.nps_detractor.band, reason: `NPS detractor: ${nps} on ${formatIsoDay(day)}` });
    }
  }
  const login = m.login_recency;
  const loginDay = parseIsoDay(account.lastLoginDate);
  if (caps.no_login.enabled && login.normalized !== null && !login.stale && loginDay !== null && today - loginDay >= caps.no_login.days) {
    out.push({ id: 'no_login', band: caps.no_login.band, reason: `no login since ${formatIsoDay(loginDay)} (${caps.no_login.days}+ days)` });
  }
  const usage = m.usage_trend;
  const cur = account.usageCurrentPeriod;
  const prev = account.usagePreviousPeriod;
  if (caps.usage_drop.enabled && usage.normalized !== null && !usage.stale && finite(cur) && finite(prev) && prev > 0) {
    const change = (cur - prev) / prev;
    if (-change > caps.usage_drop.dropAbove) {
      out.push({ id: 'usage_drop', band: caps.usage_drop.band, reason: `usage down ${pct(-change).replace('+', '')} (limit ${Math.round(caps.usage_drop.dropAbove * 100)}%)` });
    }
  }
  const urgent = account.urgentTickets;
  if (caps.urgent_ticket.enabled && finite(urgent ?? null) && (urgent as number) >= 1) {
    const k = urgent as number;
    out.push({ id: 'urgent_ticket', band: caps.urgent_ticket.band, reason: `${k} urgent open ticket${k === 1 ? '' : 's'}` });
  }
  // Strictest first; stable otherwise (the order above).
  return out.length > 1 ? out.sort((a, b) => BAND_RANK[a.band] - BAND_RANK[b.band]) : out;
}

function dayOfInstant(instant: string | null): number | null {
  const ms = parseInstantMs(instant);
  return ms === null ? null : Math.floor(ms / MS_PER_DAY);
}

const BAND_WORDS: Record<HealthBand, string> = { healthy: 'healthy', watch: 'watch', at_risk: 'at risk', unknown: 'unknown' };

const LOWER_LABELS: Record<string, string> = {};
for (const id of ORDER) LOWER_LABELS[SIGNAL_LABELS[id]] = SIGNAL_LABELS[id].toLowerCase();

function lowerLabel(label: string): string {
  return LOWER_LABELS[label] ?? label.toLowerCase();
}

function lost(c: SignalContribution): number {
  return c.weight * (100 - (c.normalized ?? 0));
}

const AGE_TEXT = / ?\(?\d+ days ago\)?/;

/** A signal as named in the summary: its raw value without relative ages ("12 days ago"). */
function summaryWords(c: SignalContribution, m: Record<SignalId, Measured>): string {
  const label = lowerLabel(c.label);
  const raw = c.raw;
  if (!raw) return label;
  const known = m[c.id] as Measured | undefined;
  if (known !== undefined && known.bare !== undefined && known.raw === raw) return `${label} ${known.bare}`;
  // Without " days ago" the pattern cannot match: the replace is a no-op.
  const bare = raw.includes(' days ago') ? raw.replace(AGE_TEXT, '') : raw;
  return `${label} ${bare.trim() || raw}`;
}

function summarise(
  score: number | null,
  band: HealthBand,
  coverage: number,
  cs: SignalContribution[],
  m: Record<SignalId, Measured>,
  caps: readonly HealthCap[],
  cappedBy: HealthCap | null,
  minCoverage: number,
): string {
  if (score === null) {
    let missing = '';
    let stale = '';
    for (const c of cs) {
      if (c.status === 'unknown') missing += (missing ? ', ' : '') + lowerLabel(c.label);
      else if (c.status === 'stale') stale += (stale ? ', ' : '') + lowerLabel(c.label);
    }
    const known = cs.some((c) => c.status !== 'unknown');
    let u = known
      ? `Health unknown: too little fresh data for a score (coverage ${coverage}%, needs ${minCoverage}%).`
      : `Health unknown: no signal has data (coverage ${coverage}%).`;
    if (missing) u += ` Missing: ${missing}.`;
    if (stale) u += ` Stale: ${stale}.`;
    return u;
  }
  // Weak: normalised < 50, by points lost; strong: ≥ 70, by contribution. Two each.
  let w1: SignalContribution | null = null;
  let w2: SignalContribution | null = null;
  let s1: SignalContribution | null = null;
  let s2: SignalContribution | null = null;
  let stale = '';
  let unknown = '';
  for (const c of cs) {
    if (c.status === 'unknown') {
      unknown += (unknown ? ', ' : '') + lowerLabel(c.label);
      continue;
    }
    if (c.status === 'stale') stale += (stale ? ', ' : '') + lowerLabel(c.label);
    const n = c.normalized ?? 0;
    if (c.weight === 0) continue;
    if (n < 50) {
      if (w1 === null || lost(c) > lost(w1)) {
        w2 = w1;
        w1 = c;
      } else if (w2 === null || lost(c) > lost(w2)) w2 = c;
    } else if (n >= 70) {
      if (s1 === null || c.contribution > s1.contribution) {
        s2 = s1;
        s1 = c;
      } else if (s2 === null || c.contribution > s2.contribution) s2 = c;
    }
  }
  // The summary is written to HubSpot: relative ages ("12 days ago") would change it every day
  // and force a write on unchanged accounts, so it names dates only.
  let s = `${score}/100 ${BAND_WORDS[band]}${cappedBy !== null ? ` (capped: ${cappedBy.reason})` : ''}, coverage ${coverage}%.`;
  // A risk task is named only when it is what holds the band (the signal behind it is listed anyway).
  if (caps.length > 0) {
    const others = caps.filter((c) => c !== cappedBy && c.id !== 'risk_task');
    if (others.length > 0) s += ` Critical: ${others.map((c) => c.reason).join('; ')}.`;
  }
  if (w1 !== null) s += ` Weak: ${summaryWords(w1, m)}${w2 !== null ? `; ${summaryWords(w2, m)}` : ''}.`;
  if (s1 !== null) s += ` Strong: ${summaryWords(s1, m)}${s2 !== null ? `; ${summaryWords(s2, m)}` : ''}.`;
  if (stale) s += ` Stale: ${stale}.`;
  if (unknown) s += ` Unknown: ${unknown}.`;
  return s;
}

/**
 * Scores an account for a segment. Unknown signals are excluded and the weights renormalised;
 * stale signals still count in the score but not in coverage. The score is the rounded sum of the
 * exact contributions; reported contributions are apportioned in 0.1 points so they add up to it.
 *
 * @example
 * const h = computeHealth(account, 'pooled', defaultConfig(), new Date('2026-06-15T00:00:00Z'));
 * h.contributions.reduce((s, c) => s + c.contribution, 0) // ≈ h.score (exact in tenths)
 */
export function computeHealth(account: Account, segment: Segment, config: Config, now: Date, extraCaps: readonly HealthCap[] = []): HealthResult {
  const nowMs = now.getTime();
  const weights = config.health.weights[segment];
  const m = measure(account, config, nowMs);
  let totalWeight = 0;
  let knownWeight = 0;
  let freshWeight = 0;
  for (const id of ORDER) {
    const w = weights[id];
    totalWeight += w;
    const s = m[id];
    if (s.normalized !== null && w > 0) {
      knownWeight += w;
      if (!s.stale) freshWeight += w;
    }
  }
  const coverage = totalWeight > 0 ? Math.round((100 * freshWeight) / totalWeight) : 0;
  const exact: number[] = [0, 0, 0, 0, 0, 0];
  let sum = 0;
  for (let i = 0; i < ORDER.length; i++) {
    const id = ORDER[i] as SignalId;
    const s = m[id];
    const w = weights[id];
    const e = s.normalized !== null && w > 0 && knownWeight > 0 ? (w / knownWeight) * s.normalized : 0;
    exact[i] = e;
    sum += e;
  }
  // No evidence, no score: below the coverage threshold the score is empty, not a number.
  const score = knownWeight > 0 && coverage >= config.health.minCoverage ? Math.min(100, Math.max(0, Math.round(sum))) : null;
  const parts = score === null ? null : apportion(exact, score * 10);
  const contributions: SignalContribution[] = [];
  for (let i = 0; i < ORDER.length; i++) {
    const id = ORDER[i] as SignalId;
    const s = m[id];
    const w = weights[id];
    const known = s.normalized !== null && w > 0;
    contributions.push({
      id,
      label: SIGNAL_LABELS[id],
      weight: known ? w / knownWeight : 0,
      normalized: s.normalized === null ? null : Math.round(s.normalized * 10) / 10,
      contribution: parts === null ? 0 : (parts[i] ?? 0),
      raw: s.raw,
      status: s.normalized === null ? 'unknown' : s.stale ? 'stale' : 'fresh',
      note: s.normalized !== null && w === 0 ? 'weight 0 in this segment' : s.note,
    });
  }
  const caps = extraCaps.length === 0 ? criticalCaps(account, m, config, nowMs) : [...criticalCaps(account, m, config, nowMs), ...extraCaps].sort((a, b) => BAND_RANK[a.band] - BAND_RANK[b.band]);
  const scoreBand = bandFor(score, coverage, config);
  const strictest = caps[0];
  const cappedBy = scoreBand !== 'unknown' && strictest !== undefined && BAND_RANK[strictest.band] < BAND_RANK[scoreBand] ? strictest : null;
  const band = cappedBy !== null ? cappedBy.band : scoreBand;
  return {
    score,
    band,
    caps,
    cappedBy,
    coverage,
    contributions,
    summary: summarise(score, band, coverage, contributions, m, caps, cappedBy, config.health.minCoverage),
    inputs: {
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
    },
  };
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
  if (health.band === 'unknown' || health.cappedBy !== null || BAND_RANK[cap.band] >= BAND_RANK[health.band] || health.score === null) return { ...health, caps };
  const head = `${health.score}/100 ${BAND_WORDS[health.band]},`;
  const summary = health.summary.startsWith(head) ? `${health.score}/100 ${BAND_WORDS[cap.band]} (capped: ${cap.reason}),${health.summary.slice(head.length)}` : health.summary;
  return { ...health, band: cap.band, caps, cappedBy: cap, summary };
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
