/**
 * HubSpot's all-string property values ↔ domain values, one value at a time.
 *
 * Reading: a malformed value ("NaN", "12,5", "Infinity", "2024-13-45", an unknown option) is a
 * failed parse with a message — never NaN, never a silent default; `range` marks a value that reads
 * but is implausible (rejected). Blank values are the caller's business (unknown, no issue).
 * Writing: null → '', booleans → 'true'/'false', numbers rounded to 6 decimals, instants as ISO `Z`.
 */
import { z } from 'zod';
import type { IsoDate, IsoDateTime } from '../core';

/** A failed parse: `range` when the value reads but is implausible (rejected), else unreadable. */
export type Parsed<T> = { ok: true; value: T | null } | { ok: false; message: string; range?: true };

const NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

const numberString = z.string().regex(NUMBER_RE, 'not a number');

/**
 * A finite number, optionally within bounds (`below`: strictly less than).
 *
 * @example
 * parseNumber('12,5') // { ok: false, message: 'not a number: "12,5"' }
 */
export function parseNumber(raw: string, opts: { min?: number; max?: number; below?: number } = {}): Parsed<number> {
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

/**
 * A date the app wrote itself (derived dates may run past the input range, to 2999).
 *
 * @example
 * parseWrittenDateValue('2250-01-01') // { ok: true, value: '2250-01-01' }
 */
export function parseWrittenDateValue(raw: string): Parsed<IsoDate> {
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

/**
 * HubSpot's booleancheckbox values, `true` / `false` (any case).
 *
 * @example
 * parseBoolean('TRUE') // { ok: true, value: true }
 */
export function parseBoolean(raw: string): Parsed<boolean> {
  const v = raw.trim().toLowerCase();
  if (v === 'true') return { ok: true, value: true };
  if (v === 'false') return { ok: true, value: false };
  return { ok: false, message: `not a boolean: "${clip(raw)}"` };
}

/**
 * A parser for one of an enumeration's option values.
 *
 * @example
 * parseEnum(['pooled', 'named'])('enterprise').ok // false
 */
export function parseEnum<T extends string>(options: readonly T[]): (raw: string) => Parsed<T> {
  return (raw) => {
    const v = raw.trim();
    return (options as readonly string[]).includes(v) ? { ok: true, value: v as T } : { ok: false, message: `unknown option "${clip(raw)}" (expected ${options.join(', ')})` };
  };
}

/**
 * A HubSpot owner id (digits).
 *
 * @example
 * parseOwnerId('9001') // { ok: true, value: '9001' }
 */
export function parseOwnerId(raw: string): Parsed<string> {
  const v = raw.trim();
  return /^\d+$/.test(v) ? { ok: true, value: v } : { ok: false, message: `not an owner id: "${clip(raw)}"` };
}

/**
 * A value shortened for a message (at most 60 characters).
 *
 * @example
 * clip('x'.repeat(100)).length // 60
 */
export function clip(raw: string): string {
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
 * A number for a write: rounded to 6 decimals; null or not finite → ''.
 *
 * @example
 * formatNumber(41.5000001) // '41.5'
 */
export function formatNumber(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return '';
  return String(Math.round(n * 1e6) / 1e6);
}

/**
 * An instant for a write: ISO with `Z` when it reads as one, else as given; null → ''.
 *
 * @example
 * formatDateTime('2024-03-01T10:00:00+01:00') // '2024-03-01T09:00:00.000Z'
 */
export function formatDateTime(v: string | null): string {
  if (v === null) return '';
  const parsed = parseDateTimeValue(v);
  return parsed.ok && parsed.value !== null ? parsed.value : v;
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
  if (typeof value === 'number') return formatNumber(value);
  return value;
}
