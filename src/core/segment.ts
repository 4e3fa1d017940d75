/**
 * Coverage segment of an account: ACV band with hysteresis, dedicated-CSM contracts, manual overrides.
 */
import type { Config } from './config';
import * as dates from './dates';
import type { Account, Segment, SegmentOverride } from './types';

// Bound once: under tsx (CommonJS output) each call through a named import goes through a getter,
// which showed in the profile of the per-account hot path.
const { parseIsoDay, utcDay } = dates;

export type SegmentBasis = 'acv' | 'dedicated_contract' | 'override' | 'hysteresis' | 'unknown_acv';

export interface SegmentResult {
  segment: Segment;
  /** For people: why this segment (written to cs_segment_reason). */
  reason: string;
  basis: SegmentBasis;
  override: { segment: Segment; reason: string | null; expires: string | null; expired: boolean } | null;
}

const RANK: Record<Segment, number> = { pooled: 0, mid_pooled: 1, named: 2 };
const LABEL: Record<Segment, string> = { pooled: 'pooled', mid_pooled: 'mid-pooled', named: 'named' };
/** Reasons for an unknown ACV (made once). */
const KEEPING: Record<Segment, string> = { pooled: `ACV unknown: keeping ${LABEL.pooled}`, mid_pooled: `ACV unknown: keeping ${LABEL.mid_pooled}`, named: `ACV unknown: keeping ${LABEL.named}` };
const DEFAULTED: Record<Segment, string> = { pooled: `ACV unknown: default ${LABEL.pooled}`, mid_pooled: `ACV unknown: default ${LABEL.mid_pooled}`, named: `ACV unknown: default ${LABEL.named}` };

/** '000' … '999' (filled on first use): the groups of a formatted amount. */
let threeDigits: string[] | null = null;

/**
 * Formats a dollar amount for reasons: `$25,000`.
 * @example
 * formatUsd(1234567.4) // '$1,234,567'
 * formatUsd(-5) // '-$5'
 */
export function formatUsd(n: number): string {
  const v = Math.abs(Math.round(n));
  const sign = n < 0 ? '-$' : '$';
  if (v < 1000) return sign + v;
  if (v < 1e15) {
    // Exact integer arithmetic: whole groups of three from the right.
    const groups = (threeDigits ??= Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0')));
    let rest = Math.floor(v / 1000);
    let out = groups[v % 1000] as string;
    while (rest >= 1000) {
      out = `${groups[rest % 1000] as string},${out}`;
      rest = Math.floor(rest / 1000);
    }
    return `${sign}${rest},${out}`;
  }
  // NaN, Infinity and huge values: String() decides the digits (e.g. "1e+21").
  const digits = String(v);
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return sign + out;
}

/**
 * The segment from ACV alone (no hysteresis): `< pooledBelow` pooled, `≥ namedFrom` named, else mid_pooled.
 * @example
 * segmentForAcv(25_000, defaultConfig()) // 'mid_pooled'
 * segmentForAcv(99_999, defaultConfig()) // 'mid_pooled'
 */
export function segmentForAcv(acv: number, config: Config): Segment {
  if (acv < config.segments.pooledBelow) return 'pooled';
  if (acv >= config.segments.namedFrom) return 'named';
  return 'mid_pooled';
}

/**
 * What follows "ACV $x" in the reason, per segment, for the thresholds last used (remembered by
 * value, so a changed config is never read stale): the threshold texts are built once, not per account.
 */
let reasonPooledBelow = Number.NaN;
let reasonNamedFrom = Number.NaN;
let reasonTails: Record<Segment, string> = { pooled: '', mid_pooled: '', named: '' };

function acvReasonTail(seg: Segment, config: Config): string {
  const { pooledBelow, namedFrom } = config.segments;
  if (pooledBelow !== reasonPooledBelow || namedFrom !== reasonNamedFrom) {
    reasonTails = {
      pooled: ` is below ${formatUsd(pooledBelow)}: ${LABEL.pooled}`,
      mid_pooled: ` is between ${formatUsd(pooledBelow)} and ${formatUsd(namedFrom - 1)}: ${LABEL.mid_pooled}`,
      named: ` is at or above ${formatUsd(namedFrom)}: ${LABEL.named}`,
    };
    reasonPooledBelow = pooledBelow;
    reasonNamedFrom = namedFrom;
  }
  return reasonTails[seg];
}

/**
 * Hysteresis: `previous` is kept when ACV is within `margin` (share of the threshold) beyond
 * the edge of the previous segment's range. Returns true when the account stays.
 */
function staysBy(acv: number, previous: Segment, config: Config): boolean {
  const { pooledBelow, namedFrom, hysteresis } = config.segments;
  const lowEdge = previous === 'pooled' ? -Infinity : previous === 'mid_pooled' ? pooledBelow : namedFrom;
  const highEdge = previous === 'pooled' ? pooledBelow : previous === 'mid_pooled' ? namedFrom : Infinity;
  // Crossing up needs acv - highEdge > margin; crossing down needs lowEdge - acv > margin.
  if (acv >= highEdge) return acv - highEdge <= highEdge * hysteresis;
  if (acv < lowEdge) return lowEdge - acv <= lowEdge * hysteresis;
  return true;
}

function validAcv(acv: number | null): acv is number {
  return typeof acv === 'number' && Number.isFinite(acv) && acv >= 0;
}

function overrideActive(o: SegmentOverride, today: number): boolean {
  if (o.expires === null) return true;
  const end = parseIsoDay(o.expires);
  // A malformed expiry never reaches the core (the adapter gives null), but be safe: treat as expired.
  return end !== null && today <= end;
}

/**
 * Computes the segment in force and why.
 *
 * Order: a valid (unexpired) override wins, except that it can never pool a dedicated-CSM contract;
 * then a dedicated-CSM contract (→ `config.segments.dedicatedSegment`); then ACV with hysteresis
 * around the previous segment (`account.segment`; not applied after an override or when there was
 * none); unknown ACV keeps the previous segment or falls back to `unknownAcvSegment`.
 *
 * @example
 * computeSegment({ ...account, acv: 25_000, segment: null }, config, now)
 * // { segment: 'mid_pooled', basis: 'acv', reason: 'ACV $25,000 is between $25,000 and $99,999', override: null }
 * computeSegment({ ...account, acv: 25_500, segment: 'pooled' }, config, now)
 * // { segment: 'pooled', basis: 'hysteresis', ... }
 */
export function computeSegment(account: Account, config: Config, now: Date): SegmentResult {
  const today = utcDay(now);
  const o = account.segmentOverride;
  let overrideView: SegmentResult['override'] = null;
  let prefix = '';
  if (o !== null) {
    const active = overrideActive(o, today);
    overrideView = { segment: o.segment, reason: o.reason, expires: o.expires, expired: !active };
    if (active) {
      const poolsDedicated = account.dedicatedCsmContract === true && RANK[o.segment] < RANK[config.segments.dedicatedSegment];
      if (!poolsDedicated) {
        const why = o.reason ? `: ${o.reason}` : '';
        const until = o.expires ? ` (until ${o.expires})` : '';
        return { segment: o.segment, basis: 'override', reason: `Manual override to ${LABEL[o.segment]}${until}${why}`, override: overrideView };
      }
      prefix = `Override to ${LABEL[o.segment]} ignored: the contract promises a dedicated CSM. `;
    } else {
      prefix = `Override to ${LABEL[o.segment]} expired on ${o.expires ?? '?'}; `;
    }
  }

  if (account.dedicatedCsmContract === true) {
    const seg = config.segments.dedicatedSegment;
    return { segment: seg, basis: 'dedicated_contract', reason: `${prefix}Contract promises a dedicated CSM: ${LABEL[seg]}, never pooled`, override: overrideView };
  }

  // After an override the stored segment is the override's, so no hysteresis against it.
  const previous = o === null ? account.segment : null;

  if (!validAcv(account.acv)) {
    // Keeping the default is reported as the default, so a rerun writes the same reason.
    if (account.segment !== null && account.segment !== config.segments.unknownAcvSegment) {
      return { segment: account.segment, basis: 'unknown_acv', reason: `${prefix}${KEEPING[account.segment] ?? `ACV unknown: keeping ${LABEL[account.segment]}`}`, override: overrideView };
    }
    const seg = config.segments.unknownAcvSegment;
    return { segment: seg, basis: 'unknown_acv', reason: prefix === '' ? DEFAULTED[seg] : `${prefix}${DEFAULTED[seg]}`, override: overrideView };
  }

  const acv = account.acv;
  const raw = segmentForAcv(acv, config);
  if (previous !== null && previous !== raw && staysBy(acv, previous, config)) {
    return {
      segment: previous,
      basis: 'hysteresis',
      reason: `${prefix}ACV ${formatUsd(acv)} is within the ${Math.round(config.segments.hysteresis * 100)}% margin: staying ${LABEL[previous]}`,
      override: overrideView,
    };
  }
  return { segment: raw, basis: 'acv', reason: `${prefix}ACV ${formatUsd(acv)}${acvReasonTail(raw, config)}`, override: overrideView };
}
