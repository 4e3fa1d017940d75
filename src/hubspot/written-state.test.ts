import type { WrittenState } from '../core';
import { emptyWrittenState } from '../core/test-support';
import { companyUpdateFor, formatWrittenState, workloadUpdateFor } from './written-state';

const empty: WrittenState = emptyWrittenState();

describe('companyUpdateFor', () => {
  const current: WrittenState = { ...empty, segment: 'pooled', healthScore: 72, healthBand: 'healthy', healthComputedAt: '2026-11-01T00:00:00.000Z', playbookLedger: ['a'] };

  test('null when nothing differs, even if only computedAt moved', () => {
    expect(companyUpdateFor(current, { ...current })).toBeNull();
    expect(companyUpdateFor(current, { ...current, healthComputedAt: '2026-11-23T00:00:00.000Z' })).toBeNull();
  });

  test('only the changed properties, formatted the HubSpot way, plus computedAt', () => {
    const next: WrittenState = {
      ...current,
      healthScore: 41.5,
      healthBand: 'at_risk',
      segmentOverride: { segment: 'named', reason: 'risk', expires: '2026-12-31' },
      onboardingStartDate: '2026-11-23',
      healthComputedAt: '2026-11-23T10:00:00.000Z',
      playbookLedger: ['a', 'b'],
    };
    expect(companyUpdateFor(current, next)).toEqual({
      cs_health_score: '41.5',
      cs_health_band: 'at_risk',
      cs_segment_override: 'named',
      cs_segment_override_reason: 'risk',
      cs_segment_override_expires: '2026-12-31',
      cs_onboarding_start_date: '2026-11-23',
      cs_health_computed_at: '2026-11-23T10:00:00.000Z',
      cs_playbook_ledger: 'a\nb',
    });
  });

  test('a health drop recorded is written as its two properties; an older caller without one writes neither', () => {
    expect(companyUpdateFor({ ...current, healthDrop: null }, { ...current, healthDrop: { from: 80, on: '2026-11-21' } })).toEqual({ cs_health_drop_from: '80', cs_health_drop_on: '2026-11-21' });
    expect(companyUpdateFor({ ...current, healthDrop: { from: 80, on: '2026-11-21' } }, { ...current, healthDrop: { from: 80, on: '2026-11-21' } })).toBeNull();
    expect(formatWrittenState(current)).not.toHaveProperty('cs_health_drop_from');
    expect(formatWrittenState({ ...current, healthDrop: null })).toMatchObject({ cs_health_drop_from: '', cs_health_drop_on: '' });
  });

  test('a health peak is written as its two properties when it moves; an older caller without one writes neither', () => {
    const peak = { score: 94, on: '2026-11-23' };
    expect(companyUpdateFor({ ...current, healthPeak: peak }, { ...current, healthPeak: { score: 95, on: '2026-11-24' } })).toEqual({ cs_health_peak: '95', cs_health_peak_on: '2026-11-24' });
    expect(companyUpdateFor({ ...current, healthPeak: peak }, { ...current, healthPeak: { ...peak } })).toBeNull();
    expect(formatWrittenState(current)).not.toHaveProperty('cs_health_peak');
    expect(formatWrittenState({ ...current, healthPeak: null })).toMatchObject({ cs_health_peak: '', cs_health_peak_on: '' });
    expect(companyUpdateFor({ ...current, healthDropHeadroom: 4 }, { ...current, healthDropHeadroom: -1.5 })).toEqual({ cs_health_drop_headroom: '-1.5' });
    expect(formatWrittenState({ ...current, healthDropHeadroom: null })).toMatchObject({ cs_health_drop_headroom: '' });
    expect(formatWrittenState(current)).not.toHaveProperty('cs_health_drop_headroom');
    expect(companyUpdateFor({ ...current, healthDropDue: null }, { ...current, healthDropDue: '2026-12-09' })).toEqual({ cs_health_drop_due: '2026-12-09' });
    expect(formatWrittenState({ ...current, healthDropDue: null })).toMatchObject({ cs_health_drop_due: '' });
    expect(companyUpdateFor({ ...current, healthStaleDue: '2026-12-16' }, { ...current, healthStaleDue: null })).toEqual({ cs_health_stale_due: '' });
    expect(formatWrittenState(current)).not.toHaveProperty('cs_health_stale_due');
  });

  test('a value cleared is written as blank', () => {
    expect(companyUpdateFor(current, { ...current, healthScore: null })).toEqual({ cs_health_score: '' });
  });
});

describe('formatWrittenState', () => {
  test('every written property, blank when unknown', () => {
    const all = formatWrittenState(empty);
    expect(Object.keys(all)).toHaveLength(18);
    expect(Object.values(all).every((v) => v === '')).toBe(true);
  });
});

describe('workloadUpdateFor', () => {
  test('the ledger when given, the backlog written as given without a current one, the touch with its time', () => {
    expect(workloadUpdateFor({})).toEqual({});
    expect(workloadUpdateFor({ ledger: ['k1@2026-11-20', 'k2@2026-11-23'], backlog: { next: ['k3@2026-11-21'], oldestSince: '2026-11-21', topPriority: 40 } })).toEqual({
      cs_playbook_ledger: 'k1@2026-11-20\nk2@2026-11-23',
      cs_playbook_backlog: 'k3@2026-11-21',
      cs_backlog_since: '2026-11-21',
      cs_backlog_priority: '40',
    });
    expect(workloadUpdateFor({ backlog: { current: ['a@2026-11-20'], next: ['a@2026-11-20'], oldestSince: '2026-11-20', topPriority: 1 }, touch: { touchType: 'check_in', at: '2026-11-23T09:00:00.000Z' } })).toEqual({
      cs_digital_touch: 'check_in',
      cs_digital_touch_at: '2026-11-23T09:00:00.000Z',
    });
  });
});

describe('recorded ticket counts', () => {
  const current: WrittenState = { ...empty, healthScore: 72, ticketCounts: { open: 2, highPriority: 1, urgent: 0 } };

  test('written as three numbers when they change, not otherwise', () => {
    expect(companyUpdateFor(current, { ...current, ticketCounts: { open: 2, highPriority: 1, urgent: 0 } })).toBeNull();
    expect(companyUpdateFor(current, { ...current, ticketCounts: { open: 3, highPriority: 2, urgent: 1 } })).toEqual({
      cs_open_tickets: '3',
      cs_open_tickets_high_priority: '2',
      cs_open_tickets_urgent: '1',
    });
  });

  test('unknown (the portal does not link tickets) is blank; a state without the record leaves them alone', () => {
    expect(companyUpdateFor(current, { ...current, ticketCounts: null })).toEqual({ cs_open_tickets: '', cs_open_tickets_high_priority: '', cs_open_tickets_urgent: '' });
    const { ticketCounts: _omit, ...older } = current;
    expect(Object.keys(formatWrittenState(older))).not.toContain('cs_open_tickets');
  });
});
