import {
  bandLabel,
  bandVariant,
  dateInputToIso,
  dayOfLabel,
  formatChange,
  formatDate,
  formatDateTime,
  formatPoints,
  formatScore,
  formatTriggerValues,
  isEmptyCard,
  isPartialCard,
  onboardingProgress,
  overrideText,
  segmentLabel,
  setDateLocale,
  stageLabel,
  taskHolder,
  trendRows,
  unknownSignals,
} from './view-model';
import { HEALTH_BANDS } from '../../src/app/view-models';
import { emptyCard, expiredOverrideCard, fullCard, partialCard } from './fixtures';

describe('labels and colours', () => {
  it('maps each band to its label and tag colour', () => {
    expect(HEALTH_BANDS.map((b) => [bandLabel(b), bandVariant(b)])).toEqual([
      ['Healthy', 'success'],
      ['Watch', 'warning'],
      ['At risk', 'danger'],
      ['Unknown', 'default'],
    ]);
  });

  it('labels segments and stages for people', () => {
    expect(segmentLabel('mid_pooled')).toBe('Mid-pooled');
    expect(stageLabel('onboarding_overdue')).toBe('Onboarding overdue');
  });
});

describe('dates in UTC', () => {
  it('formats a day and an instant as the UTC calendar day', () => {
    expect(formatDate('2026-11-23')).toBe('23 Nov 2026');
    expect(formatDate('2026-11-23T23:30:00.000Z')).toBe('23 Nov 2026');
    expect(formatDate('2026-11-23T23:30:00-05:00')).toBe('24 Nov 2026');
    expect(formatDate(null)).toBe('—');
    expect(formatDate('garbage')).toBe('garbage');
  });

  it('formats an instant with time', () => {
    expect(formatDateTime('2026-11-23T09:05:00.000Z')).toBe('23 Nov 2026, 09:05 UTC');
  });

  it("writes dates in the portal user's locale when one is given, still as the UTC day; else 12 Nov 2026", () => {
    try {
      expect(setDateLocale('en-US')).toBe('en-US');
      expect(formatDate('2026-11-23')).toBe('Nov 23, 2026');
      expect(formatDate('2026-11-23T23:30:00-05:00')).toBe('Nov 24, 2026'); // the UTC day, whatever the locale
      expect(formatDateTime('2026-11-23T09:05:00.000Z')).toBe('Nov 23, 2026, 09:05 UTC');
      expect(setDateLocale('de-de')).toBe('de-DE'); // HubSpot may send lower case
      expect(formatDate('2026-11-23')).toBe('23. Nov. 2026');
      expect(formatDate('garbage')).toBe('garbage');
      expect(formatDate(null)).toBe('—');
      // Absent, empty or malformed locales fall back to the house format.
      for (const bad of [undefined, null, '', '  ', 'not a locale!', 'x-'] as const) {
        expect(setDateLocale(bad)).toBeNull();
        expect(formatDate('2026-11-23')).toBe('23 Nov 2026');
      }
      // An explicit locale wins for one call.
      expect(formatDate('2026-11-23', 'en-GB')).toBe('23 Nov 2026');
      expect(formatDate('2026-11-23', 'en-US')).toBe('Nov 23, 2026');
    } finally {
      setDateLocale(null);
    }
  });

  it('turns a DateInput value (month from 0) into YYYY-MM-DD', () => {
    expect(dateInputToIso({ year: 2027, month: 0, date: 5 })).toBe('2027-01-05');
    expect(dateInputToIso(null)).toBeUndefined();
  });
});

describe('numbers', () => {
  it('day N of total and progress', () => {
    expect(dayOfLabel(12, 90)).toBe('Day 12 of 90');
    expect(dayOfLabel(null, 90)).toBeNull();
    expect(onboardingProgress(45, 90)).toBe(50);
    expect(onboardingProgress(96, 90)).toBe(100);
    expect(onboardingProgress(null, 90)).toBe(0);
  });

  it('scores, points and change', () => {
    expect(formatScore(68.5)).toBe('69');
    expect(formatScore(null)).toBe('—');
    expect(formatPoints(16.5)).toBe('+16.5');
    expect(formatPoints(-4)).toBe('−4.0');
    expect(formatPoints(0.01)).toBe('0.0');
    expect(formatChange(-5)).toBe('−5 in 30 days');
    expect(formatChange(3.6)).toBe('+4 in 30 days');
    expect(formatChange(0)).toBe('±0 in 30 days');
    expect(formatChange(null)).toBeNull();
  });
});

describe('card view model', () => {
  it('task holder: owner, else pool queue', () => {
    const [own, queued] = fullCard.playbooks.openTasks;
    expect(own && taskHolder(own)).toBe('Priya Raman');
    expect(queued && taskHolder(queued)).toBe('Pool queue 7731');
  });

  it('trigger values in words', () => {
    expect(formatTriggerValues({ dropPct: 35, sponsor: null, renewal: true })).toBe('dropPct = 35, sponsor = unknown, renewal = true');
    expect(formatTriggerValues({})).toBe('—');
  });

  it('tells empty, partial and full apart', () => {
    expect([isEmptyCard(emptyCard), isPartialCard(emptyCard)]).toEqual([true, false]);
    expect([isEmptyCard(partialCard), isPartialCard(partialCard)]).toEqual([false, true]);
    expect([isEmptyCard(fullCard), isPartialCard(fullCard)]).toEqual([false, false]);
    expect(unknownSignals(partialCard).map((s) => s.label)).toEqual(['Usage trend', 'Support tickets']);
  });

  it('trend rows by UTC day, rounded', () => {
    const rows = trendRows(fullCard);
    expect(rows[0]).toEqual({ date: '2026-08-25', score: 74 });
    expect(rows.at(-1)).toEqual({ date: '2026-11-23', score: 69 });
  });

  it('override in words, expired visible', () => {
    const o = expiredOverrideCard.segment.override;
    expect(o && overrideText(o)).toBe('Named until 30 Sep 2026 (expired)');
    expect(overrideText({ segment: 'pooled', reason: null, expires: null, expired: false })).toBe('Pooled until removed');
  });
});
