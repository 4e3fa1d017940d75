/**
 * Small, fast UTC calendar helpers used by the core. Everything is expressed in *epoch days*
 * (whole days since 1970-01-01 UTC) so that period keys and due dates are built from UTC fields
 * only and never move with `process.env.TZ` or a DST change.
 *
 * Calendar rules off the hot path go through date-fns (the ISO week, computed once per day and
 * cached); parsing and formatting days run for every date of every account and stay hand-rolled:
 * date-fns is 120–950× slower for them (`npx tsx bench/dates.ts`, docs/architecture.md).
 */
import { getISOWeek, getISOWeekYear } from 'date-fns';
import type { IsoDate, IsoDateTime } from './types';

export const MS_PER_DAY = 86_400_000;

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * Parses a `YYYY-MM-DD` calendar day into epoch days, or null when malformed or not a real day.
 * @example
 * parseIsoDay('1970-01-02') // 1
 * parseIsoDay('2024-13-45') // null
 */
export function parseIsoDay(value: IsoDate | null | undefined): number | null {
  if (typeof value !== 'string' || value.length !== 10) return null;
  return dayAt(value);
}

/**
 * `parseIsoDay(value.slice(from))` without the substring: the day when `value` ends with exactly
 * `YYYY-MM-DD` from `from` on (a ledger entry's `@YYYY-MM-DD`).
 * @example
 * parseIsoDayAt('cs:1:renewal:d90:2027-01-31@2026-11-02', 28) // parseIsoDay('2026-11-02')
 */
export function parseIsoDayAt(value: string, from: number): number | null {
  if (from < 0 || value.length - from !== 10) return null;
  return dayAt(value, from);
}

/**
 * The `YYYY-MM-DD` day in the 10 characters of `value` from `from` on, whatever follows (a ledger
 * entry `key@YYYY-MM-DD@owner`), or null; no substring made.
 * @example
 * parseIsoDayIn('k@2026-11-02@7', 2) // parseIsoDay('2026-11-02')
 */
export function parseIsoDayIn(value: string, from: number): number | null {
  if (from < 0 || value.length - from < 10) return null;
  return dayAt(value, from);
}

/** The `YYYY-MM-DD` day in the 10 characters of `value` from `o` (default 0) on (epoch days), or null (no substring made). */
function dayAt(value: string, o = 0): number | null {
  if (value.charCodeAt(o + 4) !== 45 || value.charCodeAt(o + 7) !== 45) return null;
  // The eight digits at once (every date of every account goes through here).
  const y1 = value.charCodeAt(o) - 48;
  const y2 = value.charCodeAt(o + 1) - 48;
  const y3 = value.charCodeAt(o + 2) - 48;
  const y4 = value.charCodeAt(o + 3) - 48;
  const m1 = value.charCodeAt(o + 5) - 48;
  const m2 = value.charCodeAt(o + 6) - 48;
  const d1 = value.charCodeAt(o + 8) - 48;
  const d2 = value.charCodeAt(o + 9) - 48;
  if ((y1 | y2 | y3 | y4 | m1 | m2 | d1 | d2) < 0 || y1 > 9 || y2 > 9 || y3 > 9 || y4 > 9 || m1 > 9 || m2 > 9 || d1 > 9 || d2 > 9) return null;
  const y = y1 * 1000 + y2 * 100 + y3 * 10 + y4;
  const mo = m1 * 10 + m2;
  const d = d1 * 10 + d2;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  if (y >= CIVIL_FROM && y < CIVIL_TO) {
    // Every date of every account comes through here: the days of CIVIL_FROM … CIVIL_TO are
    // remembered in a flat table (filled lazily), valid or not.
    const table = (civilTable ??= new Int32Array((CIVIL_TO - CIVIL_FROM) * 372).fill(CIVIL_UNSEEN));
    const slot = ((y - CIVIL_FROM) * 12 + mo - 1) * 31 + d - 1;
    let day = table[slot] as number;
    if (day === CIVIL_UNSEEN) {
      day = d > daysInMonth(y, mo) ? CIVIL_INVALID : daysFromCivil(y, mo, d);
      table[slot] = day;
    }
    return day === CIVIL_INVALID ? null : day;
  }
  if (d > daysInMonth(y, mo)) return null;
  return daysFromCivil(y, mo, d);
}
/** Years whose days `dayAt` keeps in `civilTable` (31 slots a month, 372 a year). */
const CIVIL_FROM = 1900;
const CIVIL_TO = 2300;
const CIVIL_UNSEEN = 0x7fffffff;
const CIVIL_INVALID = 0x7ffffffe;
let civilTable: Int32Array | null = null;

/**
 * Parses an ISO instant (or a bare `YYYY-MM-DD`, read as midnight UTC) into epoch ms; null when malformed.
 * @example
 * parseInstantMs('1970-01-01T00:00:01.000Z') // 1000
 */
export function parseInstantMs(value: IsoDateTime | null | undefined): number | null {
  if (typeof value !== 'string' || value.length < 10) return null;
  if (value.length === 10) {
    const day = parseIsoDay(value);
    return day === null ? null : day * MS_PER_DAY;
  }
  if (value.charCodeAt(10) !== 84 /* T */) return null;
  const day = dayAt(value);
  if (day === null) return null;
  // Fast path: YYYY-MM-DDTHH:MM:SS(.sss)Z
  if ((value.length === 20 || value.length === 24) && value.charCodeAt(value.length - 1) === 90 /* Z */ && value.charCodeAt(13) === 58 && value.charCodeAt(16) === 58) {
    const h = digits(value, 11, 13);
    const mi = digits(value, 14, 16);
    const sec = digits(value, 17, 19);
    const msPart = value.length === 24 ? (value.charCodeAt(19) === 46 ? digits(value, 20, 23) : -1) : 0;
    if (h >= 0 && h < 24 && mi >= 0 && mi < 60 && sec >= 0 && sec < 60 && msPart >= 0) return day * MS_PER_DAY + ((h * 60 + mi) * 60 + sec) * 1000 + msPart;
  }
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * The UTC epoch day of an instant.
 * @example
 * utcDay(new Date('2026-03-29T23:30:00Z')) // the epoch day of 2026-03-29
 */
export function utcDay(at: Date | number): number {
  const ms = typeof at === 'number' ? at : at.getTime();
  return Math.floor(ms / MS_PER_DAY);
}

/**
 * Formats epoch days as `YYYY-MM-DD`.
 * @example
 * formatIsoDay(0) // '1970-01-01'
 */
export function formatIsoDay(day: number): IsoDate {
  if (day >= 0 && day < DAY_TABLE_SIZE && (day | 0) === day) {
    const table = (dayTable ??= new Array<IsoDate | undefined>(DAY_TABLE_SIZE).fill(undefined));
    const hit = table[day];
    if (hit !== undefined) return hit;
    const text = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    table[day] = text;
    return text;
  }
  const hit = dayCache.get(day);
  if (hit !== undefined) return hit;
  const text = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
  if (dayCache.size > 50_000) dayCache.clear();
  dayCache.set(day, text);
  return text;
}
/** Days 1970-01-01 … 2149-06-06 are cached in a flat table (filled lazily); others in a bounded map. */
const DAY_TABLE_SIZE = 65_536;
let dayTable: (IsoDate | undefined)[] | null = null;
const dayCache = new Map<number, IsoDate>();

/**
 * Formats an epoch day at a whole UTC hour as an ISO instant.
 * @example
 * dayAtUtcHour(0, 9) // '1970-01-01T09:00:00.000Z'
 */
export function dayAtUtcHour(day: number, hour: number): IsoDateTime {
  // Every task of a run is due at the configured hour: remember that hour's texts by day.
  if (hour !== instantHour) {
    instantHour = hour;
    instantTexts.clear();
  }
  const hit = instantTexts.get(day);
  if (hit !== undefined) return hit;
  const text = `${formatIsoDay(day)}T${hour < 10 ? '0' : ''}${hour}:00:00.000Z`;
  if (instantTexts.size > 50_000) instantTexts.clear();
  instantTexts.set(day, text);
  return text;
}
let instantHour = Number.NaN;
const instantTexts = new Map<number, IsoDateTime>();

/** 0 = Monday … 6 = Sunday (UTC). */
export function isoWeekdayIndex(day: number): number {
  // 1970-01-01 was a Thursday (index 3).
  return (((day + 3) % 7) + 7) % 7;
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * The UTC weekday name of an epoch day.
 * @example
 * weekdayOf(0) // 'thu'
 */
export function weekdayOf(day: number): Weekday {
  return WEEKDAYS[isoWeekdayIndex(day)] ?? 'mon';
}

/**
 * ISO-8601 week identity (`2026-W14`) of an epoch day, from UTC fields only.
 * @example
 * isoWeekKey(parseIsoDay('2021-01-03')!) // '2020-W53'
 */
export function isoWeekKey(day: number): string {
  const hit = weekCache.get(day);
  if (hit !== undefined) return hit;
  const key = isoWeekKeyUncached(day);
  if (weekCache.size > 50_000) weekCache.clear();
  weekCache.set(day, key);
  return key;
}
const weekCache = new Map<number, string>();

/**
 * The ISO week key of an epoch day, computed by date-fns (uncached; `isoWeekKey` caches it).
 * date-fns computes in local time, so it is given the local date with the day's UTC calendar fields:
 * the answer is the same in every time zone.
 *
 * @example
 * isoWeekKeyUncached(parseIsoDay('2026-12-31')!) // '2026-W53'
 */
export function isoWeekKeyUncached(day: number): string {
  const utc = new Date(day * MS_PER_DAY);
  const local = new Date(0);
  local.setFullYear(utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate());
  local.setHours(0, 0, 0, 0);
  const week = getISOWeek(local);
  return `${getISOWeekYear(local)}-W${week < 10 ? '0' : ''}${week}`;
}
