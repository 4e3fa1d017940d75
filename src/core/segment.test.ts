import fc from 'fast-check';
import { defaultConfig } from './config';
import { makeAccount } from './test-support';
import { computeSegment, formatUsd, segmentForAcv } from './segment';

const config = defaultConfig();
const now = new Date('2026-06-15T12:00:00Z');

describe('segmentForAcv boundaries', () => {
  it.each([
    [0, 'pooled'],
    [24_999.99, 'pooled'],
    [25_000, 'mid_pooled'],
    [99_999, 'mid_pooled'],
    [99_999.99, 'mid_pooled'],
    [100_000, 'named'],
  ] as const)('ACV %p → %s', (acv, seg) => {
    expect(segmentForAcv(acv, config)).toBe(seg);
  });
});

describe('computeSegment', () => {
  it('uses ACV with no previous segment (exactly $25,000 and $100,000)', () => {
    expect(computeSegment(makeAccount({ acv: 25_000 }), config, now)).toMatchObject({ segment: 'mid_pooled', basis: 'acv', override: null });
    expect(computeSegment(makeAccount({ acv: 100_000 }), config, now)).toMatchObject({ segment: 'named', basis: 'acv' });
    expect(computeSegment(makeAccount({ acv: 24_999 }), config, now).reason).toContain('$24,999');
  });

  it('keeps the previous segment inside the hysteresis margin (5% of the threshold)', () => {
    // Up from pooled needs ACV > 25,000 + 1,250.
    expect(computeSegment(makeAccount({ acv: 25_000, segment: 'pooled' }), config, now)).toMatchObject({ segment: 'pooled', basis: 'hysteresis' });
    expect(computeSegment(makeAccount({ acv: 26_250, segment: 'pooled' }), config, now)).toMatchObject({ segment: 'pooled', basis: 'hysteresis' });
    expect(computeSegment(makeAccount({ acv: 26_251, segment: 'pooled' }), config, now)).toMatchObject({ segment: 'mid_pooled', basis: 'acv' });
    // Down from mid_pooled needs ACV < 25,000 - 1,250.
    expect(computeSegment(makeAccount({ acv: 23_750, segment: 'mid_pooled' }), config, now)).toMatchObject({ segment: 'mid_pooled', basis: 'hysteresis' });
    expect(computeSegment(makeAccount({ acv: 23_749, segment: 'mid_pooled' }), config, now)).toMatchObject({ segment: 'pooled', basis: 'acv' });
    // Down from named needs ACV < 95,000.
    expect(computeSegment(makeAccount({ acv: 95_000, segment: 'named' }), config, now)).toMatchObject({ segment: 'named', basis: 'hysteresis' });
    expect(computeSegment(makeAccount({ acv: 94_999, segment: 'named' }), config, now)).toMatchObject({ segment: 'mid_pooled' });
    // A big jump is never held back.
    expect(computeSegment(makeAccount({ acv: 150_000, segment: 'pooled' }), config, now)).toMatchObject({ segment: 'named', basis: 'acv' });
  });

  it('never pools a dedicated-CSM contract', () => {
    const r = computeSegment(makeAccount({ acv: 1_000, dedicatedCsmContract: true }), config, now);
    expect(r).toMatchObject({ segment: 'named', basis: 'dedicated_contract' });
    const o = computeSegment(makeAccount({ acv: 1_000, dedicatedCsmContract: true, segmentOverride: { segment: 'pooled', reason: 'cheap', expires: null } }), config, now);
    expect(o.segment).toBe('named');
    expect(o.reason).toContain('ignored');
  });

  it('applies an override until the end of its expiry day, then falls back visibly', () => {
    const acc = (expires: string | null) => makeAccount({ acv: 10_000, segment: 'named', segmentOverride: { segment: 'named', reason: 'renewal at risk', expires } });
    expect(computeSegment(acc('2026-06-15'), config, now)).toMatchObject({ segment: 'named', basis: 'override', override: { expired: false } });
    expect(computeSegment(acc(null), config, now)).toMatchObject({ segment: 'named', basis: 'override' });
    const expired = computeSegment(acc('2026-06-14'), config, now);
    // No hysteresis against an override's segment: straight back to the ACV band.
    expect(expired).toMatchObject({ segment: 'pooled', basis: 'acv', override: { expired: true, segment: 'named' } });
    expect(expired.reason).toMatch(/expired on 2026-06-14/);
  });

  it('keeps the previous segment or defaults when ACV is unknown or invalid', () => {
    expect(computeSegment(makeAccount({ acv: null, segment: 'named' }), config, now)).toMatchObject({ segment: 'named', basis: 'unknown_acv' });
    expect(computeSegment(makeAccount({ acv: null }), config, now)).toMatchObject({ segment: 'pooled', basis: 'unknown_acv' });
    for (const bad of [Number.NaN, Infinity, -5]) {
      expect(computeSegment(makeAccount({ acv: bad }), config, now).basis).toBe('unknown_acv');
    }
  });
});

describe('formatUsd', () => {
  it('groups thousands', () => {
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(999)).toBe('$999');
    expect(formatUsd(1_234_567)).toBe('$1,234,567');
  });

  it('rounds to whole dollars, signs negatives, groups every size as en-US does', () => {
    expect(formatUsd(999.5)).toBe('$1,000');
    expect(formatUsd(-1234.4)).toBe('-$1,234');
    expect(formatUsd(1_000_000)).toBe('$1,000,000');
    expect(formatUsd(100_200_003)).toBe('$100,200,003');
    fc.assert(
      fc.property(fc.double({ min: -1e15, max: 1e15, noNaN: true }), (n) => {
        const whole = Math.abs(Math.round(n));
        expect(formatUsd(n)).toBe(`${n < 0 ? '-' : ''}$${whole.toLocaleString('en-US', { maximumFractionDigits: 0 })}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('reasons name the configured thresholds, also after the config changes', () => {
    const other = defaultConfig();
    other.segments.pooledBelow = 10_000;
    other.segments.namedFrom = 50_000;
    expect(computeSegment(makeAccount({ acv: 30_000 }), config, now).reason).toBe('ACV $30,000 is between $25,000 and $99,999: mid-pooled');
    expect(computeSegment(makeAccount({ acv: 30_000 }), other, now).reason).toBe('ACV $30,000 is between $10,000 and $49,999: mid-pooled');
    expect(computeSegment(makeAccount({ acv: 5_000 }), other, now).reason).toBe('ACV $5,000 is below $10,000: pooled');
    expect(computeSegment(makeAccount({ acv: 5_000 }), config, now).reason).toBe('ACV $5,000 is below $25,000: pooled');
    expect(computeSegment(makeAccount({ acv: 150_000 }), config, now).reason).toBe('ACV $150,000 is at or above $100,000: named');
  });
});

describe('computeSegment: stable on rerun', () => {
  test('unknown ACV gives the same segment and reason on the next run (no needless write)', () => {
    const config = defaultConfig();
    const now = new Date('2026-11-23T00:00:00Z');
    const first = computeSegment(makeAccount({ acv: null, segment: null }), config, now);
    const second = computeSegment(makeAccount({ acv: null, segment: first.segment }), config, now);
    expect(second).toEqual(first);
  });
});
