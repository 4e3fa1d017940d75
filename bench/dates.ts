/**
 * Hand-rolled UTC calendar helpers (`src/core/dates.ts`) against date-fns for the same answers:
 * parse a `YYYY-MM-DD` day, format a day, and the ISO week key (now date-fns in the core, behind a
 * per-day cache; the hand-rolled formula it replaced is kept here for the comparison). Prints ns per call and the ratio,
 * after checking both give the same results. Run: `npx tsx bench/dates.ts` (not part of `npm run bench`).
 *
 * date-fns computes in the process's local time zone, so the date-fns side builds a local date from
 * the UTC fields (the way `src/core/dates.ts` uses it) to stay independent of TZ and DST.
 */
import { differenceInCalendarDays, format, getISOWeek, getISOWeekYear, isValid, parse } from 'date-fns';
import { formatIsoDay, isoWeekKeyUncached, isoWeekdayIndex, parseIsoDay } from '../src/core';

const DAYS = 20_000; // 1990 … 2044
const ROUNDS = 15;
const EPOCH_LOCAL = new Date(1970, 0, 1);

const localOf = (day: number): Date => {
  const d = new Date(day * 86_400_000);
  return new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
};

const days = Array.from({ length: DAYS }, (_, i) => 7_300 + i);
const texts = days.map((d) => formatIsoDay(d));

const fnsParse = (s: string): number | null => {
  const d = parse(s, 'yyyy-MM-dd', EPOCH_LOCAL);
  return isValid(d) ? differenceInCalendarDays(d, EPOCH_LOCAL) : null;
};
const fnsFormat = (day: number): string => format(localOf(day), 'yyyy-MM-dd');
const fnsWeek = (day: number): string => {
  const d = localOf(day);
  const w = getISOWeek(d);
  return `${getISOWeekYear(d)}-W${w < 10 ? '0' : ''}${w}`;
};
/** The hand-rolled ISO week formula `isoWeekKeyUncached` used before it moved to date-fns. */
const handWeek = (day: number): string => {
  const thursday = day - isoWeekdayIndex(day) + 3;
  const year = new Date(thursday * 86_400_000).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1) / 86_400_000) / 7) + 1;
  return `${year}-W${week < 10 ? '0' : ''}${week}`;
};
/** formatIsoDay without its day table: the hand-rolled arithmetic itself. */
const handFormat = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10);

function nsPerCall<T>(inputs: readonly T[], fn: (x: T) => unknown): number {
  let best = Infinity;
  let sink = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (const x of inputs) if (fn(x) !== null) sink++;
    const ns = Number(process.hrtime.bigint() - t0) / inputs.length;
    if (ns < best) best = ns;
  }
  if (sink < 0) console.log(sink);
  return best;
}

function check(): void {
  for (let i = 0; i < DAYS; i += 97) {
    const d = days[i] as number;
    const t = texts[i] as string;
    if (parseIsoDay(t) !== fnsParse(t)) throw new Error(`parse differs on ${t}`);
    if (handFormat(d) !== fnsFormat(d)) throw new Error(`format differs on ${d}`);
    if (handWeek(d) !== fnsWeek(d) || isoWeekKeyUncached(d) !== fnsWeek(d)) throw new Error(`week differs on ${t}`);
  }
  for (const bad of ['2026-02-30', '2026-13-01', 'x']) if (parseIsoDay(bad) !== null || fnsParse(bad) !== null) throw new Error(`both refuse ${bad}`);
}

check();
const rows: Array<[string, number, number]> = [
  ['parse YYYY-MM-DD → epoch day', nsPerCall(texts, parseIsoDay), nsPerCall(texts, fnsParse)],
  ['format epoch day → YYYY-MM-DD (no cache)', nsPerCall(days, handFormat), nsPerCall(days, fnsFormat)],
  ['formatIsoDay (with its day table)', nsPerCall(days, formatIsoDay), nsPerCall(days, fnsFormat)],
  ['ISO week key (no cache)', nsPerCall(days, handWeek), nsPerCall(days, fnsWeek)],
];
console.log(`TZ=${process.env['TZ'] ?? '(unset)'}; ${DAYS.toLocaleString('en')} days, best of ${ROUNDS} rounds`);
console.log('operation | hand-rolled ns/call | date-fns ns/call | date-fns ÷ hand-rolled');
for (const [name, hand, fns] of rows) console.log(`${name} | ${hand.toFixed(0)} | ${fns.toFixed(0)} | ${(fns / hand).toFixed(1)}×`);
