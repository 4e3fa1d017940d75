import fc from 'fast-check';
import { dayAtUtcHour, formatIsoDay, isoWeekKey, parseInstantMs, parseIsoDay, parseIsoDayAt, utcDay, weekdayOf } from './dates';

describe('dates (UTC only)', () => {
  it('parses real days and rejects malformed ones', () => {
    expect(parseIsoDay('1970-01-01')).toBe(0);
    expect(parseIsoDay('2028-02-29')).toBe(Date.UTC(2028, 1, 29) / 86_400_000);
    expect(parseIsoDay('1969-12-31')).toBe(-1);
    for (const bad of ['2026-02-29', '2024-13-45', '2024-00-10', '2100-02-29', '2026-1-01', '20260101', '', 'abcd-ef-gh', null, undefined]) {
      expect(parseIsoDay(bad)).toBeNull();
    }
    expect(parseIsoDay('2000-02-29')).not.toBeNull();
  });

  it('agrees with the calendar on any ten characters (digits, dashes, others; years 0000–9999)', () => {
    const reference = (text: string): number | null => {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
      if (!m) return null;
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const at = new Date(0);
      at.setUTCFullYear(y, mo - 1, d);
      return at.getUTCFullYear() === y && at.getUTCMonth() === mo - 1 && at.getUTCDate() === d ? at.getTime() / 86_400_000 : null;
    };
    const chars = fc.constantFrom(...'0123456789-/ :a'.split(''));
    const dateLike = fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([y, mo, d]) => `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    fc.assert(
      fc.property(fc.oneof(dateLike, fc.array(chars, { minLength: 10, maxLength: 10 }).map((cs) => cs.join(''))), (text) => {
        expect(parseIsoDay(text)).toBe(reference(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('round-trips every day of several years', () => {
    const from = parseIsoDay('2023-12-25') ?? 0;
    for (let d = from; d < from + 1600; d++) expect(parseIsoDay(formatIsoDay(d))).toBe(d);
  });

  it('parses instants and bare days; rejects garbage', () => {
    expect(parseInstantMs('2026-03-29T01:30:00.000Z')).toBe(Date.UTC(2026, 2, 29, 1, 30));
    expect(parseInstantMs('2026-03-29')).toBe(Date.UTC(2026, 2, 29));
    expect(parseInstantMs('yesterday')).toBeNull();
    // The day part of an instant is checked as strictly as a bare day.
    for (const bad of ['2026-02-29T00:00:00Z', '2026-13-01T00:00:00.000Z', '2026/03/29T01:30:00Z', '2026-03-2xT01:30:00Z', '2026-03-29 01:30:00Z']) expect(parseInstantMs(bad)).toBeNull();
    expect(parseInstantMs(null)).toBeNull();
  });

  it('ISO weeks and weekdays from UTC fields (year boundaries, DST weekends)', () => {
    expect(isoWeekKey(parseIsoDay('2021-01-03') ?? 0)).toBe('2020-W53');
    expect(isoWeekKey(parseIsoDay('2024-12-30') ?? 0)).toBe('2025-W01');
    expect(isoWeekKey(utcDay(new Date('2026-03-29T23:59:59Z')))).toBe('2026-W13');
    expect(isoWeekKey(utcDay(new Date('2026-03-30T00:00:00Z')))).toBe('2026-W14');
    expect(weekdayOf(utcDay(new Date('2026-11-01T06:30:00Z')))).toBe('sun');
    expect(dayAtUtcHour(parseIsoDay('2026-11-01') ?? 0, 9)).toBe('2026-11-01T09:00:00.000Z');
    // Remembered texts never leak from one hour or day to another.
    for (const [day, hour, text] of [['2026-11-01', 14, '2026-11-01T14:00:00.000Z'], ['2026-11-02', 14, '2026-11-02T14:00:00.000Z'], ['2026-11-01', 9, '2026-11-01T09:00:00.000Z'], ['2026-11-01', 14, '2026-11-01T14:00:00.000Z']] as const) {
      expect(dayAtUtcHour(parseIsoDay(day) ?? 0, hour)).toBe(text);
    }
  });
});

describe('parseInstantMs fast path agrees with Date.parse', () => {
  it.each(['2026-03-29T01:30:00Z', '2026-03-29T01:30:00.123Z', '2028-02-29T23:59:59.999Z', '2026-03-29T01:30:00+02:00', '2026-03-29T25:00:00Z'])('%s', (s) => {
    const expected = Date.parse(s);
    expect(parseInstantMs(s)).toBe(Number.isFinite(expected) ? expected : null);
  });
});

describe('parseIsoDay: remembered days agree with the calendar', () => {
  it('gives the same day (or null) as Date.UTC for every day of 1899–2301, read twice', () => {
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    let mismatches = 0;
    for (let pass = 0; pass < 2; pass++) {
      for (let y = 1899; y <= 2301; y++) {
        for (let m = 0; m <= 13; m++) {
          for (let d = 0; d <= 32; d++) {
            const ms = Date.UTC(y, m - 1, d);
            const real = m >= 1 && m <= 12 && d >= 1 && new Date(ms).getUTCDate() === d ? ms / 86_400_000 : null;
            if (parseIsoDay(`${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`) !== real) mismatches++;
          }
        }
      }
    }
    expect(mismatches).toBe(0);
    expect(parseIsoDay('2024-02-29')).toBe(Date.UTC(2024, 1, 29) / 86_400_000);
    expect(parseIsoDay('2100-02-29')).toBeNull();
    expect(parseIsoDay('0999-12-31')).toBe(Date.UTC(999, 11, 31) / 86_400_000);
  });

  it('parseIsoDayAt reads the day at the end of a string as parseIsoDay reads the substring', () => {
    for (const s of ['k@2026-06-16', 'k@2026-02-30', 'k@2026-06-16x', 'k@2026-6-16', '@2026-06-16', '2026-06-16', 'k@', 'cs:1:a:b:2026-W25@2024-02-29']) {
      for (let from = -1; from <= s.length + 1; from++) expect(parseIsoDayAt(s, from)).toBe(from < 0 ? null : parseIsoDay(s.slice(from)));
    }
  });
});
