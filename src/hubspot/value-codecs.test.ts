import { clip, formatDateTime, formatNumber, formatPropertyValue, parseBoolean, parseDateTimeValue, parseDateValue, parseEnum, parseMultiValue, parseNumber, parseOwnerId, parseWrittenDateValue } from './value-codecs';

describe('dates', () => {
  test('date formats', () => {
    expect(parseDateValue('2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    expect(parseDateValue('2023-02-29').ok).toBe(false);
    expect(parseDateValue('1704067200000')).toEqual({ ok: true, value: '2024-01-01' });
    expect(parseDateTimeValue('2024-03-01T10:00:00+01:00')).toEqual({ ok: true, value: '2024-03-01T09:00:00.000Z' });
    expect(parseDateTimeValue('yesterday').ok).toBe(false);
  });
});

describe('numbers', () => {
  test('finite numbers only; bounds reject a value that reads (range), unreadable ones are not range', () => {
    expect(parseNumber('24999.5')).toEqual({ ok: true, value: 24999.5 });
    expect(parseNumber('1e3')).toEqual({ ok: true, value: 1000 });
    for (const bad of ['12,5', 'NaN', 'Infinity', '0x10', '', ' ']) expect(parseNumber(bad)).toMatchObject({ ok: false });
    expect(parseNumber('1e400')).toMatchObject({ ok: false, message: expect.stringContaining('not a finite number') });
    expect(parseNumber('12,5')).not.toHaveProperty('range');
    expect(parseNumber('-5', { min: 0 })).toEqual({ ok: false, message: 'below 0: -5', range: true });
    expect(parseNumber('11', { max: 10 })).toEqual({ ok: false, message: 'above 10: 11', range: true });
    expect(parseNumber('1e9', { below: 1e9 })).toEqual({ ok: false, message: '1e9 is not below 1,000,000,000', range: true });
  });

  test('formatted for a write: rounded to 6 decimals, null and non-finite blank', () => {
    expect(formatNumber(41.5)).toBe('41.5');
    expect(formatNumber(1 / 3)).toBe('0.333333');
    expect(formatNumber(null)).toBe('');
    expect(formatNumber(Number.NaN)).toBe('');
    expect(formatPropertyValue(null)).toBe('');
    expect(formatPropertyValue(true)).toBe('true');
    expect(formatPropertyValue(false)).toBe('false');
    expect(formatPropertyValue(2.5)).toBe('2.5');
    expect(formatPropertyValue('pooled')).toBe('pooled');
  });
});

describe('other values', () => {
  test('booleans, options, owner ids, multi-checkbox values', () => {
    expect(parseBoolean(' TRUE ')).toEqual({ ok: true, value: true });
    expect(parseBoolean('false')).toEqual({ ok: true, value: false });
    expect(parseBoolean('maybe').ok).toBe(false);
    expect(parseEnum(['pooled', 'named'])('named')).toEqual({ ok: true, value: 'named' });
    expect(parseEnum(['pooled', 'named'])('enterprise')).toEqual({ ok: false, message: 'unknown option "enterprise" (expected pooled, named)' });
    expect(parseOwnerId('9001')).toEqual({ ok: true, value: '9001' });
    expect(parseOwnerId('ann@x.com').ok).toBe(false);
    expect(parseMultiValue('ent; fintech;;ent')).toEqual(['ent', 'fintech']);
    expect(parseMultiValue(null)).toEqual([]);
  });

  test('dates the app wrote itself may run past the input range; instants are written as ISO Z', () => {
    expect(parseDateValue('2250-01-01').ok).toBe(false);
    expect(parseWrittenDateValue('2250-01-01')).toEqual({ ok: true, value: '2250-01-01' });
    expect(parseWrittenDateValue('3000-01-01').ok).toBe(false);
    expect(formatDateTime('2024-03-01T10:00:00+01:00')).toBe('2024-03-01T09:00:00.000Z');
    expect(formatDateTime(null)).toBe('');
  });

  test('long values are clipped for messages', () => {
    expect(clip('x'.repeat(100))).toHaveLength(60);
    expect(clip('short')).toBe('short');
  });
});
