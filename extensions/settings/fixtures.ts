/** Realistic `settings-data` results for the settings tests (to be joined by real function output). */
import type { SettingsData, WhatIfPreview } from '../../src/app/view-models';

export const settings: SettingsData = {
  configVersion: 'cfg-2026-11-01.3',
  source: 'config file cs-config.json',
  generatedAt: '2026-11-23T06:00:00.000Z',
  config: {
    json: { bands: { healthyFrom: 70, watchFrom: 50, minCoverage: 50 }, segments: { midPooledFrom: 25000, namedFrom: 100000 } },
    summary: {
      segments: { currency: 'USD', midPooledFrom: 25000, namedFrom: 100000, hysteresisPct: 5, dedicatedCsmNeverPooled: true },
      weights: [
        { segment: 'pooled', weights: [ { signal: 'usage_trend', label: 'Usage trend', weight: 0.35 }, { signal: 'nps', label: 'NPS', weight: 0.15 } ] },
        { segment: 'named', weights: [ { signal: 'usage_trend', label: 'Usage trend', weight: 0.2 }, { signal: 'nps', label: 'NPS', weight: 0.3 } ] },
      ],
      bands: { healthyFrom: 70, watchFrom: 50, minCoverage: 50 },
      onboarding: { days: 90, maxConcurrentPerCsm: 20 },
      playbooks: [
        { id: 'usage_drop', label: 'Usage drop', enabled: true, trigger: 'usage drops more than 30% period over period', cooldownDays: 30 },
        { id: 'renewal', label: 'Renewal 90/60/30', enabled: false, trigger: 'renewal date 90, 60 or 30 days out', cooldownDays: null },
      ],
      openTaskCap: 5,
      pool: {
        queueId: '7731',
        members: [
          { ownerId: '501', name: 'Priya Raman', skills: ['german', 'sso'], coverageDays: ['Mon', 'Tue', 'Wed'], capacity: 20, active: true, outOfOffice: false },
          { ownerId: '509', name: 'Leo Park', skills: [], coverageDays: ['Tue', 'Wed', 'Thu'], capacity: 15, active: false, outOfOffice: true },
        ],
      },
    },
  },
  validation: { ok: true },
  whatIf: null,
};

export const preview: WhatIfPreview = {
  configVersion: 'cfg-2026-11-01.3+whatif',
  validation: { ok: true },
  figures: {
    accountsEvaluated: 471,
    bandChanges: [
      { from: 'healthy', to: 'watch', count: 31 },
      { from: 'watch', to: 'at_risk', count: 12 },
    ],
    segmentChanges: [{ from: 'pooled', to: 'mid_pooled', count: 4 }],
    tasks: [{ playbook: 'usage_drop', label: 'Usage drop', current: 26, proposed: 41 }],
    examples: [{ companyId: '4021', companyName: 'Brightwave Analytics', change: 'healthy → watch (score 72 → 68)' }],
  },
};

export const invalidPreview: WhatIfPreview = {
  configVersion: null,
  validation: { ok: false, errors: [{ path: 'bands.watchFrom', message: 'must be below bands.healthyFrom (70)' }] },
  figures: null,
};
