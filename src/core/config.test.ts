import { DIGITAL_TOUCH_TYPES, configVersion, defaultConfig, digitalTouchLabel, parseConfig } from './config';

describe('parseConfig', () => {
  it('accepts no input and returns the seed defaults', () => {
    const r = parseConfig(undefined);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.segments.pooledBelow).toBe(25_000);
    expect(r.config.segments.namedFrom).toBe(100_000);
    expect(r.config.health.bands).toEqual({ healthy: 70, watch: 50 });
    expect(r.config.lifecycle.onboardingDays).toBe(90);
    expect(r.config.playbooks.onboarding.steps.map((s) => s.day)).toEqual([0, 3, 7, 14]);
    expect(r.config.assignment.concurrentOnboardingCap).toBe(20);
    expect(r.config.playbooks.rules.usage_drop.dropAbove).toBe(0.3);
    expect(r.config.playbooks.rules.renewal.windows).toEqual([90, 60, 30]);
    expect(r.config.kpis.coverageBenchmarks.mid_pooled).toEqual({ min: 75, max: 150 });
  });

  it('merges a partial override deeply and replaces arrays', () => {
    const r = parseConfig({
      segments: { pooledBelow: 30_000 },
      health: { weights: { named: { nps: 40 } } },
      playbooks: { rules: { renewal: { windows: [120, 30] } } },
      pool: { queueId: 'q1', members: [{ ownerId: '7', skills: ['de'], coverageDays: ['tue'], outOfOffice: [], capacity: 5 }] },
      propertyMapping: { acv: 'annual_value' },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.segments.pooledBelow).toBe(30_000);
    expect(r.config.segments.namedFrom).toBe(100_000);
    expect(r.config.health.weights.named.nps).toBe(40);
    expect(r.config.health.weights.named.usage_trend).toBe(20);
    expect(r.config.playbooks.rules.renewal.windows).toEqual([120, 30]);
    expect(r.config.pool.members).toHaveLength(1);
    expect(r.config.propertyMapping).toEqual({ acv: 'annual_value' });
  });

  it('rejects a wrong type with the dotted path', () => {
    const r = parseConfig({ health: { weights: { pooled: { usage_trend: 'high' } } } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path)).toContain('health.weights.pooled.usage_trend');
  });

  it('a health drop must be held longer than the wait before the call after a digital touch', () => {
    const r = parseConfig({ playbooks: { rules: { health_drop: { holdDays: 7 } } } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([{ path: 'playbooks.rules.health_drop.holdDays', message: expect.stringContaining('greater than channels.followUpDays') }]);
    expect(parseConfig({ playbooks: { rules: { health_drop: { holdDays: 8 } } } }).ok).toBe(true);
    expect(parseConfig({ playbooks: { rules: { health_drop: { holdDays: 10 } } }, channels: { followUpDays: 10 } }).ok).toBe(false);
  });

  it('rejects unknown keys with their path, at any depth', () => {
    const r = parseConfig({ helth: {}, health: { weights: { pooled: { vibes: 3 } } }, pool: { members: [{ ownerId: '1', skills: [], coverageDays: [], outOfOffice: [], capacity: 1, shoeSize: 9 }] } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['helth', 'health.weights.pooled.vibes', 'pool.members.0.shoeSize']));
  });

  it('rejects bad enum values, bad dates and inconsistent thresholds', () => {
    const r = parseConfig({
      segments: { pooledBelow: 100_000, namedFrom: 25_000 },
      pool: { members: [{ ownerId: '1', skills: [], coverageDays: ['funday'], outOfOffice: [{ from: '2026-02-30', to: '2026-03-01' }], capacity: 1 }] },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['segments', 'pool.members.0.coverageDays.0', 'pool.members.0.outOfOffice.0.from']));
  });

  it('rejects non-objects and NaN / negative numbers', () => {
    expect(parseConfig([1, 2]).ok).toBe(false);
    expect(parseConfig('x').ok).toBe(false);
    const r = parseConfig({ playbooks: { openTaskCap: -1, dueHourUtc: Number.NaN } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['playbooks.openTaskCap', 'playbooks.dueHourUtc']));
  });

  it('rejects all-zero weights for a segment', () => {
    const r = parseConfig({ health: { weights: { pooled: { usage_trend: 0, seat_utilisation: 0, login_recency: 0, tickets: 0, nps: 0, engagement: 0 } } } });
    expect(r.ok).toBe(false);
  });
});

describe('configVersion', () => {
  it('is stable across key order and changes when a value changes', () => {
    const a = defaultConfig();
    const shuffled = Object.fromEntries(Object.entries(a).reverse()) as typeof a;
    expect(configVersion(a)).toBe(configVersion(shuffled));
    expect(configVersion(a)).toMatch(/^c-[0-9a-f]{12}$/);
    const b = defaultConfig();
    b.segments.pooledBelow = 25_001;
    expect(configVersion(b)).not.toBe(configVersion(a));
  });

  it('carries the human label', () => {
    const c = { ...defaultConfig(), version: '2026-Q1' };
    expect(configVersion(c)).toMatch(/^2026-Q1-[0-9a-f]{12}$/);
  });
});

describe('digital touch labels', () => {
  test('every touch type has its own words, and an unknown value is shown as it is', () => {
    const labels = DIGITAL_TOUCH_TYPES.map((t) => digitalTouchLabel(t));
    labels.forEach((label, i) => expect(label).not.toBe(DIGITAL_TOUCH_TYPES[i]));
    expect(new Set(labels).size).toBe(DIGITAL_TOUCH_TYPES.length);
    expect(digitalTouchLabel('carrier_pigeon')).toBe('carrier_pigeon');
  });
});
