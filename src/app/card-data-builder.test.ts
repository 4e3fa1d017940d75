import { defaultConfig } from '../core';
import { causesFromSummary, ruleInWords, scoreChanges, ticketsCountedBySweep, unknownMatters } from './card-data-builder';

describe('unknownMatters', () => {
  const config = defaultConfig(); // healthy ≥ 70, watch ≥ 50
  it('is false when the band holds whatever the unknown signals would say', () => {
    // 95 on 85% of the weight: 80.75 … 95.75, healthy either way.
    expect(unknownMatters(95, 0.85, config)).toBe(false);
    expect(unknownMatters(80, 1, config)).toBe(false);
  });
  it('is true when they could move the band, and when there is no score at all', () => {
    // 72 on 85%: 61.2 (watch) … 76.2 (healthy).
    expect(unknownMatters(72, 0.85, config)).toBe(true);
    expect(unknownMatters(null, 0, config)).toBe(true);
  });
});

describe('causesFromSummary', () => {
  it('takes the weak signals of the summary, else the rest after the score', () => {
    expect(causesFromSummary('62/100 watch, coverage 85%. Weak: usage trend 412 vs 630 (−35%); last login 2026-10-20. Strong: NPS 9.')).toBe('usage trend 412 vs 630 (−35%); last login 2026-10-20');
    expect(causesFromSummary('88/100 healthy, coverage 100%. Strong: NPS 9.')).toBe('Strong: NPS 9.');
    expect(causesFromSummary('64/100 watch, coverage 80%.')).toBeNull();
    expect(causesFromSummary(null)).toBeNull();
  });
});

describe('scoreChanges', () => {
  it('pairs each score with the summary written with it, newest first, only real changes, bounded', () => {
    const scores = [
      { value: 60, at: '2026-11-12T06:00:00.000Z' },
      { value: 78, at: '2026-10-01T06:00:00.000Z' },
      { value: 78, at: '2026-10-15T06:00:00.000Z' },
    ];
    const summaries = [
      { value: '60/100 watch, coverage 90%. Weak: usage trend 300 vs 520 (−42%); last login 2026-10-10.', at: '2026-11-12T06:00:00.000Z' },
      { value: '78/100 healthy, coverage 90%.', at: '2026-10-01T06:00:00.000Z' },
    ];
    expect(scoreChanges(scores, summaries, 10)).toEqual([
      { at: '2026-11-12T06:00:00.000Z', score: 60, delta: -18, causes: 'usage trend 300 vs 520 (−42%); last login 2026-10-10' },
      { at: '2026-10-01T06:00:00.000Z', score: 78, delta: null, causes: null },
    ]);
    expect(scoreChanges(scores, summaries, 1)).toHaveLength(1);
    expect(scoreChanges([], [], 5)).toEqual([]);
  });
});

describe('ruleInWords', () => {
  it('replaces the rule id by the playbook title', () => {
    expect(ruleInWords('nps_detractor', 'nps_detractor: NPS detractor (0–6): answered 3.')).toBe('NPS detractor: NPS detractor (0–6): answered 3.');
    expect(ruleInWords('renewal', 'Renewal (d30)')).toBe('Renewal (d30)');
  });
});

describe('ticketsCountedBySweep', () => {
  it('is false when the summary names support tickets unknown or missing, true for any other summary, null without one', () => {
    expect(ticketsCountedBySweep('71/100 healthy, coverage 80%. Strong: NPS 8. Unknown: usage trend, support tickets.')).toBe(false);
    expect(ticketsCountedBySweep('Health unknown: too little fresh data for a score (coverage 20%, needs 60%). Missing: support tickets, NPS.')).toBe(false);
    expect(ticketsCountedBySweep('62/100 watch (capped: NPS detractor: 3 on 2026-11-16), coverage 100%. Weak: support tickets 3 open (1 high priority).')).toBe(true);
    expect(ticketsCountedBySweep('88/100 healthy, coverage 100%. Unknown: NPS.')).toBe(true);
    expect(ticketsCountedBySweep('Health unknown: no signal has data (coverage 0%). Missing: usage trend, seat utilisation.')).toBe(true);
    expect(ticketsCountedBySweep(null)).toBeNull();
    expect(ticketsCountedBySweep('  ')).toBeNull();
  });
});
