/**
 * Company property names (the data contract, in ONE place) and the mapping between HubSpot's
 * all-string property values and the domain `Account` / `WrittenState`.
 *
 * Parsing rules: missing and empty both mean unknown (null) with no issue; a malformed value
 * ("NaN", "12,5", "Infinity", "2024-13-45", an unknown option, negative seats) is null plus a
 * `RecordIssue` — never NaN, never a silent default.
 */
import { z } from 'zod';
import {
  HEALTH_BANDS,
  defaultConfig,
  LIFECYCLE_STAGES,
  SEGMENTS,
  type Account,
  type IsoDate,
  type IsoDateTime,
  type RecordIssue,
  type SegmentOverride,
  type WrittenState,
} from '../core';

import { WORKLOAD_READ_PROPERTIES, parseWorkload } from './workload-properties';
/** Properties the app writes (group `customer_success`). */
export const WRITTEN_PROPERTIES = {
  segment: 'cs_segment',
  segmentReason: 'cs_segment_reason',
  segmentOverride: 'cs_segment_override',
  segmentOverrideReason: 'cs_segment_override_reason',
  segmentOverrideExpires: 'cs_segment_override_expires',
  healthScore: 'cs_health_score',
  healthBand: 'cs_health_band',
  healthCoverage: 'cs_health_coverage',
  healthSummary: 'cs_health_summary',
  healthComputedAt: 'cs_health_computed_at',
  lifecycleStage: 'cs_lifecycle_stage',
  onboardingCsmId: 'cs_onboarding_csm',
  onboardingStartDate: 'cs_onboarding_start_date',
  graduationDate: 'cs_graduation_date',
  graduatedAt: 'cs_graduated_at',
  lifecycleReason: 'cs_lifecycle_reason',
  configVersion: 'cs_config_version',
  playbookLedger: 'cs_playbook_ledger',
} as const;

/** Input signals; a config may map each to another property the portal already has. */
export const INPUT_PROPERTIES = {
  acv: 'cs_acv',
  dedicatedCsmContract: 'cs_dedicated_csm_contract',
  contractStartDate: 'cs_contract_start_date',
  renewalDate: 'cs_renewal_date',
  licensedSeats: 'cs_licensed_seats',
  activeUsers: 'cs_active_users',
  usageCurrentPeriod: 'cs_usage_current_period',
  usagePreviousPeriod: 'cs_usage_previous_period',
  lastLoginDate: 'cs_last_login_date',
  npsScore: 'cs_nps_score',
  npsDate: 'cs_nps_date',
  usageUpdatedAt: 'cs_usage_updated_at',
  requiredSkills: 'cs_required_skills',
  lastContactedAt: 'notes_last_contacted',
} as const;

/** HubSpot's own company properties the core reads. */
export const SYSTEM_PROPERTIES = {
  name: 'name',
  modifiedAt: 'hs_lastmodifieddate',
  objectId: 'hs_object_id',
} as const;

/** Maps our default property name (e.g. `cs_acv`) to the portal's property (e.g. `annualrevenue`). */
export type PropertyMap = Readonly<Record<string, string>>;

/** Ledger bounds: the newest keys kept, and the textarea limit. */
export const LEDGER_MAX_KEYS = 200;
export const LEDGER_MAX_CHARS = 65_536;

/**
 * The property actually read for one of our names, after the config's map.
 *
 * @example
 * resolveProperty('cs_acv', { cs_acv: 'annualrevenue' }) // 'annualrevenue'
 */
export function resolveProperty(name: string, propertyMap: PropertyMap = {}): string {
  return propertyMap[name] ?? name;
}

/**
 * Every company property the core needs: inputs (mapped), written state, system properties.
 *
 * @example
 * companyPropertyNames({}).includes('cs_health_score') // true
 */
export function companyPropertyNames(propertyMap: PropertyMap = {}): string[] {
  const names = new Set<string>([
    ...Object.values(SYSTEM_PROPERTIES),
    ...Object.values(INPUT_PROPERTIES).map((n) => resolveProperty(n, propertyMap)),
    ...Object.values(WRITTEN_PROPERTIES),
    ...WORKLOAD_READ_PROPERTIES,
  ]);
  return [...names];
}

// ---------------------------------------------------------------- value parsers

/** A failed parse: `range` when the value reads but is implausible (rejected), else unreadable. */
type Parsed<T> = { ok: true; value: T | null } | { ok: false; message: string; range?: true };

const NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

const numberString = z.string().regex(NUMBER_RE, 'not a number');

function parseNumber(raw: string, opts: { min?: number; max?: number; below?: number } = {}): Parsed<number> {
  const checked = numberString.safeParse(raw);
  if (!checked.success) return { ok: false, message: `not a number: "${clip(raw)}"` };
  const value = Number(raw);
  if (!Number.isFinite(value)) return { ok: false, message: `not a finite number: "${clip(raw)}"` };
  if (opts.min !== undefined && value < opts.min) return { ok: false, message: `below ${opts.min}: ${value}`, range: true };
  if (opts.max !== undefined && value > opts.max) return { ok: false, message: `above ${opts.max}: ${value}`, range: true };
  if (opts.below !== undefined && value >= opts.below) return { ok: false, message: `${raw} is not below ${opts.below.toLocaleString('en-US')}`, range: true };
  return { ok: true, value };
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Dates read as inputs: years 1900–2199. Anything else is a data error (a typo such as 20266, or an
 * epoch in seconds), and far years would overflow the dates the app derives and writes back. Dates
 * the app derives itself (graduation = start + onboarding + extensions) may run a little past that,
 * so its own written dates are read with a wider range (to 2999).
 */
const MIN_YEAR = 1900;
const INPUT_MAX_YEAR = 2199;
const WRITTEN_MAX_YEAR = 2999;

function validYmd(y: number, m: number, d: number, maxYear: number): boolean {
  if (y < MIN_YEAR || y > maxYear) return false;
  if (m < 1 || m > 12 || d < 1) return false;
  const dim = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= dim;
}

function instantFrom(raw: string, maxYear: number): number | null {
  if (/^-?\d{1,15}$/.test(raw)) {
    const ms = Number(raw);
    return Number.isSafeInteger(ms) && ms >= Date.UTC(MIN_YEAR, 0, 1) && ms < Date.UTC(maxYear + 1, 0, 1) ? ms : null;
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.exec(raw);
  if (!iso) return null;
  if (!validYmd(Number(iso[1]), Number(iso[2]), Number(iso[3]), maxYear)) return null;
  const ms = Date.parse(raw);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * A calendar day from `YYYY-MM-DD`, HubSpot's midnight-UTC epoch ms, or an ISO instant (UTC day).
 *
 * @example
 * parseDateValue('1704067200000') // { ok: true, value: '2024-01-01' }
 */
export function parseDateValue(raw: string, maxYear: number = INPUT_MAX_YEAR): Parsed<IsoDate> {
  const m = DATE_RE.exec(raw);
  if (m) {
    return validYmd(Number(m[1]), Number(m[2]), Number(m[3]), maxYear) ? { ok: true, value: raw } : { ok: false, message: `not a valid date: "${clip(raw)}"` };
  }
  const ms = instantFrom(raw, maxYear);
  if (ms === null) return { ok: false, message: `not a valid date: "${clip(raw)}"` };
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return { ok: false, message: `not a valid date: "${clip(raw)}"` };
  return { ok: true, value: d.toISOString().slice(0, 10) };
}

/** A date the app wrote itself (derived dates may run past the input range). */
function parseWrittenDateValue(raw: string): Parsed<IsoDate> {
  return parseDateValue(raw, WRITTEN_MAX_YEAR);
}

/**
 * An instant from epoch ms or ISO 8601 (a bare `YYYY-MM-DD` is midnight UTC), as ISO with `Z`.
 *
 * @example
 * parseDateTimeValue('2024-03-01T10:00:00+01:00') // { ok: true, value: '2024-03-01T09:00:00.000Z' }
 */
export function parseDateTimeValue(raw: string): Parsed<IsoDateTime> {
  const m = DATE_RE.exec(raw);
  if (m) {
    return validYmd(Number(m[1]), Number(m[2]), Number(m[3]), WRITTEN_MAX_YEAR)
      ? { ok: true, value: `${raw}T00:00:00.000Z` }
      : { ok: false, message: `not a valid date-time: "${clip(raw)}"` };
  }
  const ms = instantFrom(raw, WRITTEN_MAX_YEAR);
  if (ms === null) return { ok: false, message: `not a valid date-time: "${clip(raw)}"` };
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return { ok: false, message: `not a valid date-time: "${clip(raw)}"` };
  return { ok: true, value: d.toISOString() };
}

function parseBoolean(raw: string): Parsed<boolean> {
  const v = raw.trim().toLowerCase();
  if (v === 'true') return { ok: true, value: true };
  if (v === 'false') return { ok: true, value: false };
  return { ok: false, message: `not a boolean: "${clip(raw)}"` };
}

function parseEnum<T extends string>(options: readonly T[]): (raw: string) => Parsed<T> {
  return (raw) => {
    const v = raw.trim();
    return (options as readonly string[]).includes(v) ? { ok: true, value: v as T } : { ok: false, message: `unknown option "${clip(raw)}" (expected ${options.join(', ')})` };
  };
}

function parseOwnerId(raw: string): Parsed<string> {
  const v = raw.trim();
  return /^\d+$/.test(v) ? { ok: true, value: v } : { ok: false, message: `not an owner id: "${clip(raw)}"` };
}

function clip(raw: string): string {
  return raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
}

/**
 * Parses a multi-checkbox value (`a;b;c`) into distinct, trimmed values.
 *
 * @example
 * parseMultiValue('ent; fintech;;ent') // ['ent', 'fintech']
 */
export function parseMultiValue(raw: string | null | undefined): string[] {
  if (!raw) return [];
  return [...new Set(raw.split(';').map((s) => s.trim()).filter((s) => s.length > 0))];
}

/**
 * Splits the ledger property's text into its entries (newline- or `;`-separated), keeping the newest
 * `LEDGER_MAX_KEYS` (the core's `parseLedger` then reads each entry's key and day).
 *
 * @example
 * splitLedgerText('a\nb;c') // ['a', 'b', 'c']
 */
export function splitLedgerText(raw: string | null | undefined): string[] {
  if (!raw) return [];
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const k of raw.split(/[\n;\r]+/).map((s) => s.trim())) {
    if (k.length === 0 || seen.has(k)) continue;
    seen.add(k);
    keys.push(k);
  }
  return keys.slice(-LEDGER_MAX_KEYS);
}

/**
 * Formats the ledger for the textarea: newest last, at most `LEDGER_MAX_KEYS` keys and
 * `LEDGER_MAX_CHARS` characters (the oldest keys are dropped first).
 *
 * @example
 * formatLedger(['a', 'b']) // 'a\nb'
 */
export function formatLedger(keys: readonly string[]): string {
  const distinct: string[] = [];
  const seen = new Set<string>();
  for (const k of keys) {
    const key = k.replace(/[\n\r;]/g, ' ').trim();
    if (key.length === 0 || seen.has(key)) continue;
    seen.add(key);
    distinct.push(key);
  }
  const kept = distinct.slice(-LEDGER_MAX_KEYS);
  let text = kept.join('\n');
  while (text.length > LEDGER_MAX_CHARS && kept.length > 0) {
    kept.shift();
    text = kept.join('\n');
  }
  return text;
}

// ---------------------------------------------------------------- parseCompany

/** Plausibility bounds: a value outside them is a data error (rejected, reported), not a figure. */
export interface ValueBounds {
  /** An ACV at or above this is rejected (config `segments.acvBelow`). */
  acvBelow: number;
}
export const DEFAULT_VALUE_BOUNDS: ValueBounds = { acvBelow: defaultConfig().segments.acvBelow };

/** People's names of the properties, for per-record messages ("ACV unreadable: '12,5k'"). */
const LABELS: Record<string, string> = {
  cs_acv: 'ACV',
  cs_dedicated_csm_contract: 'Dedicated-CSM contract',
  cs_contract_start_date: 'Contract start date',
  cs_renewal_date: 'Renewal date',
  cs_licensed_seats: 'Licensed seats',
  cs_active_users: 'Active users',
  cs_usage_current_period: 'Usage (current period)',
  cs_usage_previous_period: 'Usage (previous period)',
  cs_last_login_date: 'Last login date',
  cs_nps_score: 'NPS score',
  cs_nps_date: 'NPS date',
  cs_usage_updated_at: 'Usage sync date',
  notes_last_contacted: 'Last contacted',
  cs_segment: 'CS segment',
  cs_segment_override: 'CS segment override',
  cs_segment_override_expires: 'CS segment override expiry',
  cs_health_score: 'CS health score',
  cs_health_band: 'CS health band',
  cs_health_coverage: 'CS health coverage',
  cs_health_computed_at: 'CS health computed at',
  cs_lifecycle_stage: 'CS lifecycle stage',
  cs_onboarding_csm: 'CS onboarding CSM',
  cs_onboarding_start_date: 'CS onboarding start date',
  cs_graduation_date: 'CS graduation date',
  cs_graduated_at: 'CS graduated at',
  hs_lastmodifieddate: 'Last modified date',
};

/** The label of a property read (a mapped portal property is named after the signal it feeds). */
function labelOf(property: string, propertyMap: PropertyMap): string {
  const direct = LABELS[property];
  if (direct !== undefined) return direct;
  for (const [ours, theirs] of Object.entries(propertyMap)) if (theirs === property && LABELS[ours] !== undefined) return `${LABELS[ours] ?? ours} (${property})`;
  return property;
}

/** A company as HubSpot returns it (search, batch read, get). */
export const rawCompanySchema = z.object({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable().optional()),
});
export type RawCompany = { id: string; properties: Record<string, string | null | undefined> };

/**
 * Parses one HubSpot company into an `Account` plus the issues met.
 *
 * @example
 * const { account, issues } = parseCompany({ id: '1', properties: { cs_acv: '12,5' } }, {});
 * // account.acv === null, issues[0].property === 'cs_acv'
 */
export function parseCompany(raw: RawCompany, propertyMap: PropertyMap = {}, bounds: ValueBounds = DEFAULT_VALUE_BOUNDS): { account: Account; issues: RecordIssue[] } {
  const issues: RecordIssue[] = [];
  const props = raw.properties;

  const read = <T>(property: string, parser: (raw: string) => Parsed<T>): T | null => {
    const value = props[property];
    if (value === null || value === undefined || value.trim() === '') return null;
    const parsed = parser(value.trim());
    if (parsed.ok) return parsed.value;
    // Present but bad is never the same as missing: the message names the value and what it is.
    const label = labelOf(property, propertyMap);
    const message = parsed.range ? `${label} rejected: ${parsed.message}` : `${label} unreadable: '${clip(value.trim())}'`;
    issues.push({ recordId: raw.id, property, value: clip(value), message });
    return null;
  };
  const text = (property: string): string | null => {
    const value = props[property];
    return value === null || value === undefined || value.trim() === '' ? null : value;
  };
  const input = (name: string): string => resolveProperty(name, propertyMap);
  const W = WRITTEN_PROPERTIES;
  const I = INPUT_PROPERTIES;

  const overrideSegment = read(W.segmentOverride, parseEnum(SEGMENTS));
  const segmentOverride: SegmentOverride | null =
    overrideSegment === null
      ? null
      : { segment: overrideSegment, reason: text(W.segmentOverrideReason), expires: read(W.segmentOverrideExpires, parseWrittenDateValue) };

  const account: Account = {
    id: raw.id,
    name: text(SYSTEM_PROPERTIES.name),
    acv: read(input(I.acv), (v) => parseNumber(v, { min: 0, below: bounds.acvBelow })),
    dedicatedCsmContract: read(input(I.dedicatedCsmContract), parseBoolean),
    contractStartDate: read(input(I.contractStartDate), parseDateValue),
    renewalDate: read(input(I.renewalDate), parseDateValue),
    licensedSeats: read(input(I.licensedSeats), (v) => parseNumber(v, { min: 0 })),
    activeUsers: read(input(I.activeUsers), (v) => parseNumber(v, { min: 0 })),
    usageCurrentPeriod: read(input(I.usageCurrentPeriod), (v) => parseNumber(v, { min: 0 })),
    usagePreviousPeriod: read(input(I.usagePreviousPeriod), (v) => parseNumber(v, { min: 0 })),
    lastLoginDate: read(input(I.lastLoginDate), parseDateValue),
    npsScore: read(input(I.npsScore), (v) => parseNumber(v, { min: 0, max: 10 })),
    npsDate: read(input(I.npsDate), parseDateValue),
    usageUpdatedAt: read(input(I.usageUpdatedAt), parseDateTimeValue),
    lastContactedAt: read(input(I.lastContactedAt), parseDateTimeValue),
    requiredSkills: parseMultiValue(props[input(I.requiredSkills)]),
    openTickets: null,
    highPriorityTickets: null,
    modifiedAt: read(SYSTEM_PROPERTIES.modifiedAt, parseDateTimeValue),
    openCsTasks: null,

    segment: read(W.segment, parseEnum(SEGMENTS)),
    segmentReason: text(W.segmentReason),
    segmentOverride,
    healthScore: read(W.healthScore, (v) => parseNumber(v, { min: 0, max: 100 })),
    healthBand: read(W.healthBand, parseEnum(HEALTH_BANDS)),
    healthCoverage: read(W.healthCoverage, (v) => parseNumber(v, { min: 0, max: 100 })),
    healthSummary: text(W.healthSummary),
    healthComputedAt: read(W.healthComputedAt, parseDateTimeValue),
    lifecycleStage: read(W.lifecycleStage, parseEnum(LIFECYCLE_STAGES)),
    onboardingCsmId: read(W.onboardingCsmId, parseOwnerId),
    onboardingStartDate: read(W.onboardingStartDate, parseWrittenDateValue),
    graduationDate: read(W.graduationDate, parseWrittenDateValue),
    graduatedAt: read(W.graduatedAt, parseWrittenDateValue),
    lifecycleReason: text(W.lifecycleReason),
    configVersion: text(W.configVersion),
    playbookLedger: splitLedgerText(props[W.playbookLedger]),
    ...parseWorkload(props),
  };
  return { account, issues };
}

// ---------------------------------------------------------------- writes

function fmtNumber(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return '';
  return String(Math.round(n * 1e6) / 1e6);
}

function fmtDateTime(v: string | null): string {
  if (v === null) return '';
  const parsed = parseDateTimeValue(v);
  return parsed.ok && parsed.value !== null ? parsed.value : v;
}

/**
 * Formats a `WrittenState` the HubSpot way: date → `YYYY-MM-DD`, datetime → ISO, numbers,
 * enumeration option values, blank → ''.
 *
 * @example
 * formatWrittenState(state).cs_health_score // '72'
 */
export function formatWrittenState(state: WrittenState): Record<string, string> {
  const W = WRITTEN_PROPERTIES;
  return {
    [W.segment]: state.segment ?? '',
    [W.segmentReason]: state.segmentReason ?? '',
    [W.segmentOverride]: state.segmentOverride?.segment ?? '',
    [W.segmentOverrideReason]: state.segmentOverride?.reason ?? '',
    [W.segmentOverrideExpires]: state.segmentOverride?.expires ?? '',
    [W.healthScore]: fmtNumber(state.healthScore),
    [W.healthBand]: state.healthBand ?? '',
    [W.healthCoverage]: fmtNumber(state.healthCoverage),
    [W.healthSummary]: state.healthSummary ?? '',
    [W.healthComputedAt]: fmtDateTime(state.healthComputedAt),
    [W.lifecycleStage]: state.lifecycleStage ?? '',
    [W.onboardingCsmId]: state.onboardingCsmId ?? '',
    [W.onboardingStartDate]: state.onboardingStartDate ?? '',
    [W.graduationDate]: state.graduationDate ?? '',
    [W.graduatedAt]: state.graduatedAt ?? '',
    [W.lifecycleReason]: state.lifecycleReason ?? '',
    [W.configVersion]: state.configVersion ?? '',
    [W.playbookLedger]: formatLedger(state.playbookLedger),
  };
}

/**
 * The properties to write to move `current` to `next`: only those that differ, formatted the
 * HubSpot way; `null` when nothing differs. `cs_health_computed_at` alone never causes a write.
 *
 * @example
 * companyUpdateFor(state, { ...state, healthScore: 40 }) // { cs_health_score: '40', cs_health_computed_at: '...' }
 * companyUpdateFor(state, state) // null
 */
export function companyUpdateFor(current: WrittenState, next: WrittenState): Record<string, string> | null {
  const before = formatWrittenState(current);
  const after = formatWrittenState(next);
  const computedAt = WRITTEN_PROPERTIES.healthComputedAt;
  const changes: Record<string, string> = {};
  for (const [name, value] of Object.entries(after)) {
    if (name === computedAt) continue;
    if (before[name] !== value) changes[name] = value;
  }
  if (Object.keys(changes).length === 0) return null;
  if (before[computedAt] !== after[computedAt]) changes[computedAt] = after[computedAt] ?? '';
  return changes;
}

/**
 * Formats one domain value for a HubSpot write: null → '', booleans → 'true'/'false', numbers.
 *
 * @example
 * formatPropertyValue(null) // ''
 */
export function formatPropertyValue(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return fmtNumber(value);
  return value;
}
