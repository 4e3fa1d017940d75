/**
 * Realistic `CardData` values, built by hand from the card contract (src/app/card-data.ts) for the
 * card tests. To be replaced or joined by real `card-data` function results once the functions run
 * against the local CRM.
 */
import type { CardData, CardSignal, CardTrendPoint } from '../../src/app/view-models';
import type { AssociationRow } from './people';

const signals: CardSignal[] = [
  {
    id: 'usage_trend',
    label: 'Usage trend',
    weight: 0.3,
    normalized: 55,
    configuredWeight: 0.3,
    pointsLost: 13.5,
    contribution: 16.5,
    raw: '412 vs 630 sessions (−35%)',
    status: 'fresh',
    note: null,
  },
  {
    id: 'seat_utilisation',
    label: 'Seat utilisation',
    weight: 0.25,
    normalized: 80,
    configuredWeight: 0.25,
    pointsLost: 5.0,
    contribution: 20,
    raw: '40 of 50 seats active',
    status: 'fresh',
    note: null,
  },
  {
    id: 'nps',
    label: 'NPS',
    weight: 0.2,
    normalized: 90,
    configuredWeight: 0.2,
    pointsLost: 2.0,
    contribution: 18,
    raw: '9 (promoter)',
    status: 'stale',
    note: 'Answer from 14 Feb 2026, older than 180 days',
  },
  {
    id: 'support_tickets',
    label: 'Support tickets',
    weight: 0.15,
    normalized: 60,
    configuredWeight: 0.15,
    pointsLost: 6.0,
    contribution: 9,
    raw: '3 open, 1 high priority',
    status: 'fresh',
    note: null,
  },
  {
    id: 'engagement',
    label: 'Engagement',
    weight: 0.1,
    normalized: 50,
    configuredWeight: 0.1,
    pointsLost: 5.0,
    contribution: 5,
    raw: 'Last contacted 21 days ago',
    status: 'fresh',
    note: null,
  },
];

function trend(from: string, scores: number[]): CardTrendPoint[] {
  const start = Date.parse(`${from}T06:00:00.000Z`);
  return scores.map((score, i) => ({ at: new Date(start + i * 15 * 86_400_000).toISOString(), score }));
}

/** An account in onboarding, day 12 of 90, mostly fresh data, two open tasks. */
export const fullCard: CardData = {
  companyId: '4021',
  companyName: 'Brightwave Analytics',
  configVersion: 'cfg-2026-11-01.3',
  computedAt: '2026-11-23T09:05:00.000Z',
  facts: {
    arr: 18400,
    renewalDate: '2027-11-12',
    daysToRenewal: 354,
    accountOwner: { id: '611', name: 'Sam Carter' },
    lastTouchAt: '2026-11-02T10:00:00.000Z',
    daysSinceTouch: 21,
  },
  health: {
    score: 68.5,
    band: 'watch',
    unknownMatters: false,
    history: [
      { at: '2026-11-22T06:00:00.000Z', score: 68, delta: -18, causes: 'usage trend 412 vs 630 (−35%); last login 2026-10-20' },
      { at: '2026-10-10T06:00:00.000Z', score: 86, delta: null, causes: null },
    ],
    coverage: 80,
    signals,
    summary: 'Seat utilisation (+20.0) and NPS (+18.0) hold it up; usage fell 35% period over period.',
    trend: trend('2026-08-25', [74, 76, 75, 73, 70, 69, 68.5]),
    change: -5,
    minCoverage: 50,
    noData: false,
    missing: [],
    cap: null,
    caps: [],
  },
  segment: {
    segment: 'pooled',
    reason: 'ACV $18,400 is below $25,000',
    override: null,
  },
  lifecycle: {
    stage: 'onboarding',
    onboardingCsm: { id: '501', name: 'Priya Raman', active: true },
    startDate: '2026-11-12',
    graduationDate: '2027-02-10',
    graduatedAt: null,
    day: 12,
    totalDays: 90,
    exitCriteria: [
      { id: 'kickoff', label: 'Kick-off call held', met: true },
      { id: 'integration', label: 'Integration live', met: false },
      { id: 'admins_trained', label: 'Admins trained', met: false },
    ],
    overdueDays: null,
    readyToGraduate: false,
    reason: null,
    steps: [
      { step: 'day0', day: 0, subject: 'Welcome the new customer and plan the onboarding', dueDate: '2026-11-12', state: 'done', reason: null, taskDueAt: null },
      {
        step: 'day3',
        day: 3,
        subject: 'Usage check',
        dueDate: '2026-11-15',
        state: 'skipped',
        reason: 'no task was created within 7 days of its day (e.g. the app first saw this customer later), so the app no longer creates it',
        taskDueAt: null,
      },
      { step: 'day7', day: 7, subject: 'Invite to the onboarding webinar', dueDate: '2026-11-19', state: 'open', reason: null, taskDueAt: '2026-11-20T15:00:00.000Z' },
      { step: 'day14', day: 14, subject: 'Success call', dueDate: '2026-11-26', state: 'upcoming', reason: null, taskDueAt: null },
    ],
  },
  playbooks: {
    openTasks: [
      {
        id: '90001',
        subject: 'Onboarding: Day 14 success call',
        dueAt: '2026-11-26T15:00:00.000Z',
        priority: 'MEDIUM',
        ownerName: 'Priya Raman',
        queueId: null,
        why: 'Onboarding: Day 14 success call',
        overdueDays: 0,
        linkedContactIds: [],
      },
      {
        id: '90002',
        subject: 'Usage drop: check in on falling usage',
        dueAt: '2026-11-25T15:00:00.000Z',
        priority: 'HIGH',
        ownerName: null,
        queueId: '7731',
        why: 'Usage drop: Usage dropped by more than 30% period over period: 412 vs 630 (−35%).',
        overdueDays: 0,
        linkedContactIds: ['3002'],
      },
    ],
    recentTriggers: [
      {
        key: '4021:usage_drop:2026-W47',
        playbook: 'usage_drop',
        rule: 'Usage fell more than 30% period over period',
        values: { usageCurrent: 412, usagePrevious: 630, dropPct: 35 },
        firedAt: '2026-11-21T06:00:00.000Z',
      },
    ],
    openTaskCap: 5,
  },
  peopleMax: 5,
  snoozeDays: [1, 3, 7],
  assignableOwners: [
    { id: '501', name: 'Priya Raman' },
    { id: '502', name: 'Tomás Ortega' },
    { id: '503', name: 'Hannah Weiss' },
  ],
  dataIssues: [],
};

/** Usage and tickets unknown: the score rests on 55% of the weight. */
export const partialCard: CardData = {
  ...fullCard,
  health: {
    ...fullCard.health,
    score: 71,
    band: 'healthy',
    coverage: 55,
    unknownMatters: true,
    missing: [
      { id: 'usage_trend', label: 'Usage trend', status: 'unknown', note: 'usage not reported', howTo: 'Sync product usage for this period and the one before (cs_usage_current_period, cs_usage_previous_period).' },
      { id: 'tickets', label: 'Support tickets', status: 'unknown', note: null, howTo: 'Associate the customer\'s support tickets with the company.' },
    ],
    signals: signals.map((s) =>
      s.id === 'usage_trend' || s.id === 'support_tickets'
        ? {
            ...s,
            weight: 0,
            normalized: null,
            contribution: 0,
            pointsLost: 0,
            raw: null,
            status: 'unknown' as const,
            note: s.id === 'usage_trend' ? 'No usage synced (cs_usage_current_period is empty)' : 'Tickets not read',
          }
        : s,
    ),
  },
  dataIssues: [{ property: 'cs_usage_current_period', value: 'n/a', message: 'Not a number' }],
};

/** Never computed: the sweep has not run for this company. */
export const emptyCard: CardData = {
  ...fullCard,
  companyName: 'Newco Ltd',
  health: { score: null, band: 'unknown', unknownMatters: true, history: [], coverage: 0, signals: [], summary: '', trend: [], change: null, minCoverage: 50, noData: true, missing: [], cap: null, caps: [] },
  lifecycle: {
    stage: 'not_started',
    onboardingCsm: null,
    startDate: null,
    graduationDate: null,
    graduatedAt: null,
    day: null,
    totalDays: 90,
    exitCriteria: [],
    overdueDays: null,
    readyToGraduate: false,
    reason: null,
    steps: [],
  },
  playbooks: { openTasks: [], recentTriggers: [], openTaskCap: 5 },
};

/** Only a name and "0 open tickets": no score, and the card says what is missing and how to get it. */
export const noDataCard: CardData = {
  ...emptyCard,
  companyName: 'Name Only GmbH',
  health: {
    ...emptyCard.health,
    coverage: 10,
    signals: fullCard.health.signals.map((s) => (s.id === 'tickets' ? s : { ...s, weight: 0, normalized: null, contribution: 0, raw: null, status: 'unknown' as const, note: 'not reported' })),
    missing: [
      { id: 'usage_trend', label: 'Usage trend', status: 'unknown', note: 'usage not reported', howTo: 'Sync product usage into cs_usage_current_period and cs_usage_previous_period, and the sync time into cs_usage_updated_at.' },
      { id: 'nps', label: 'NPS', status: 'unknown', note: 'no NPS answer', howTo: 'Record NPS answers in cs_nps_score (0–10) with the answer date in cs_nps_date.' },
    ],
  },
};

/** A score of 78 capped at Watch by a recent detractor; onboarding with every exit criterion met on day 12. */
export const cappedReadyCard: CardData = {
  ...fullCard,
  health: {
    ...fullCard.health,
    score: 78,
    band: 'watch',
    cap: { id: 'nps_detractor', band: 'watch', reason: 'NPS detractor: 3 on 2026-11-01' },
    caps: [
      { id: 'nps_detractor', band: 'watch', reason: 'NPS detractor: 3 on 2026-11-01' },
      { id: 'no_login', band: 'watch', reason: 'no login since 2026-10-09 (30+ days)' },
    ],
  },
  lifecycle: { ...fullCard.lifecycle, exitCriteria: fullCard.lifecycle.exitCriteria.map((c) => ({ ...c, met: true })), readyToGraduate: true },
};

/** A partial card below the coverage threshold: no score, the missing data named. */
export const noScoreCard: CardData = {
  ...partialCard,
  health: { ...partialCard.health, score: null, band: 'unknown', coverage: 35, missing: noDataCard.health.missing },
};

/** Graduated, at risk, with an override to named that expired; no open tasks. */
export const expiredOverrideCard: CardData = {
  ...fullCard,
  companyName: 'Harbor Logistics',
  health: { ...fullCard.health, score: 42, band: 'at_risk', change: -21 },
  segment: {
    segment: 'pooled',
    reason: 'ACV $22,000 is below $25,000 (override expired 30 Sep 2026)',
    override: { segment: 'named', reason: 'Exec sponsor during migration', expires: '2026-09-30', expired: true },
  },
  lifecycle: {
    ...fullCard.lifecycle,
    stage: 'graduated',
    startDate: '2026-03-02',
    graduationDate: '2026-05-31',
    graduatedAt: '2026-06-01',
    day: null,
    exitCriteria: [],
  },
  playbooks: { openTasks: [], recentTriggers: [], openTaskCap: 5 },
};

/** Onboarding past its graduation date by 6 days; the onboarding CSM was deactivated. */
export const overdueCard: CardData = {
  ...fullCard,
  lifecycle: {
    ...fullCard.lifecycle,
    stage: 'onboarding_overdue',
    onboardingCsm: { id: '509', name: 'Leo Park', active: false },
    startDate: '2026-08-19',
    graduationDate: '2026-11-17',
    day: 96,
    overdueDays: 6,
    reason: 'Extended by 14 days: waiting for the customer’s SSO rollout',
  },
};

/**
 * What HubSpot's `useAssociations` hook answers for the full card's company (toObjectType 0-1):
 * Ben Ito (unlabeled, listed first) and Ana Costa (primary: HubSpot's company → contact Primary type 2).
 */
export const fullPeopleRows: AssociationRow[] = [
  {
    toObjectId: 3002,
    associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 280, label: null }],
    properties: { firstname: 'Ben', lastname: 'Ito', email: 'ben.ito@brightwave.example.com', jobtitle: null, notes_last_contacted: null, hs_last_sales_activity_timestamp: null },
  },
  {
    toObjectId: 3001,
    associationTypes: [
      { category: 'HUBSPOT_DEFINED', typeId: 280, label: null },
      { category: 'HUBSPOT_DEFINED', typeId: 2, label: 'Primary' },
    ],
    properties: { firstname: 'Ana', lastname: 'Costa', email: 'ana.costa@brightwave.example.com', jobtitle: 'Head of Operations', notes_last_contacted: String(Date.UTC(2026, 10, 2, 10)), hs_last_sales_activity_timestamp: null },
  },
];

/** What `useAssociations` returns, for a test's `mocks.useAssociations.willCall(() => …)`. */
export function associationsAnswer(rows: AssociationRow[], over: Partial<{ isLoading: boolean; error: Error | null; refetch: () => Promise<void> }> = {}) {
  return {
    results: rows.map((r) => ({ ...r, associationTypes: r.associationTypes.map((t) => ({ ...t, label: t.label ?? '' })), properties: { ...r.properties } as Record<string, string | null> })),
    error: over.error ?? null,
    isLoading: over.isLoading ?? false,
    isRefetching: false,
    refetch: over.refetch ?? (async () => undefined),
    pagination: { hasNextPage: false, hasPreviousPage: false, currentPage: 1, pageSize: 20, nextPage: () => undefined, previousPage: () => undefined, reset: () => undefined },
  };
}
