/**
 * The one validated configuration of the customer-success core. Every number the rules use lives
 * here with a default drawn from the seeds (see ../shared/design/product.md); a JSON file may
 * override any part. Unknown keys and wrong types are rejected with the dotted path of the key.
 */
import { z } from 'zod';
import { WEEKDAYS, parseIsoDay } from './dates';
import { SEGMENTS, TASK_PRIORITIES } from './types';

export const SIGNAL_IDS = ['usage_trend', 'seat_utilisation', 'login_recency', 'tickets', 'nps', 'engagement'] as const;
export type SignalId = (typeof SIGNAL_IDS)[number];

export const EXIT_CRITERIA = ['csm_assigned', 'seat_adoption', 'recent_login', 'health_ok'] as const;
export type ExitCriterionId = (typeof EXIT_CRITERIA)[number];

const isoDate = z.string().refine((s) => parseIsoDay(s) !== null, { message: 'expected a YYYY-MM-DD date' });
const nonNegInt = z.number().int().min(0);
const positiveInt = z.number().int().min(1);
const share = z.number().min(0).max(1);
const priority = z.enum(TASK_PRIORITIES);
/** The band a critical signal caps an account at. */
const capBand = z.enum(['watch', 'at_risk']);

const weightsSchema = z
  .object({
    usage_trend: z.number().min(0),
    seat_utilisation: z.number().min(0),
    login_recency: z.number().min(0),
    tickets: z.number().min(0),
    nps: z.number().min(0),
    engagement: z.number().min(0),
  })
  .strict()
  .refine((w) => Object.values(w).some((v) => v > 0), { message: 'at least one weight must be > 0' });

const ruleBase = {
  enabled: z.boolean(),
  priority,
  /** Days after `now` the task is due. */
  dueInDays: nonNegInt,
  /** A persisting condition fires again only after this many days. */
  cooldownDays: nonNegInt,
};

const poolMemberSchema = z
  .object({
    ownerId: z.string().min(1),
    skills: z.array(z.string().min(1)),
    coverageDays: z.array(z.enum(WEEKDAYS)),
    outOfOffice: z.array(z.object({ from: isoDate, to: isoDate }).strict()),
    /** Max concurrent onboardings for this member (the config cap also applies). */
    capacity: nonNegInt,
    /** Human tasks this member may get per working day; omitted = `workload.tasksPerDay`. */
    tasksPerDay: nonNegInt.optional(),
    /** Open tasks at which this member gets nothing new; omitted = `workload.maxOpenTasks`. */
    maxOpenTasks: nonNegInt.optional(),
  })
  .strict();

/** How a play reaches the customer (product.md "Digital first"). */
export const CHANNELS = ['digital', 'task', 'digital_then_task', 'off'] as const;
export type Channel = (typeof CHANNELS)[number];
const channel = z.enum(CHANNELS);
const segmentChannels = z.object({ pooled: channel, mid_pooled: channel, named: channel }).strict();
export type SegmentChannels = z.infer<typeof segmentChannels>;

/** Values of `cs_digital_touch`: what the company workflow enrolled on it sends. */
export const DIGITAL_TOUCH_TYPES = ['check_in', 'usage_summary', 'we_noticed', 'adoption_tips', 'expansion_offer', 'renewal_reminder'] as const;
export type DigitalTouchType = (typeof DIGITAL_TOUCH_TYPES)[number];

const DIGITAL_TOUCH_LABELS: Record<DigitalTouchType, string> = {
  check_in: 'Check-in email',
  usage_summary: 'Usage summary before renewal',
  we_noticed: '"We noticed…" email',
  adoption_tips: 'Adoption tips',
  expansion_offer: 'Expansion offer',
  renewal_reminder: 'Renewal reminder',
};

/** A touch type in words (workflow names, the card, the cockpit); an unknown value is shown as it is. */
export function digitalTouchLabel(type: string): string {
  return (DIGITAL_TOUCH_LABELS as Record<string, string>)[type] ?? type;
}

/** Play ids a channel may be set for: a rule id, `onboarding`, or `renewal_d<window>` for one renewal window. */
const PLAY_KEY = /^(new_contract|onboarding|usage_drop|low_seat_utilisation|no_login|health_drop|risk_escalation|nps_detractor|renewal|renewal_d\d+|expansion|no_touch)$/;
const playKey = z.string().regex(PLAY_KEY, 'a rule id, onboarding, or renewal_d<window>');

const benchmarkSchema = z.object({ min: z.number().min(0), max: z.number().min(0) }).strict();

export const ConfigSchema = z
  .object({
    /** Optional human label, e.g. "2026-Q1"; part of configVersion. */
    version: z.string().max(40).nullable(),
    segments: z
      .object({
        /** ACV below this → pooled. */
        pooledBelow: z.number().positive(),
        /** ACV at or above this → named. */
        namedFrom: z.number().positive(),
        /** Hysteresis: an account stays in its segment unless ACV crosses a threshold by more than this share of it. */
        hysteresis: share,
        /** Segment when ACV is unknown and there is no previous segment. */
        unknownAcvSegment: z.enum(SEGMENTS),
        /** Segment for a dedicated-CSM contract (never pooled). */
        dedicatedSegment: z.enum(['named', 'mid_pooled']),
        /** An ACV at or above this is implausible (e.g. `1e12`): rejected as a bad value, never a named account. */
        acvBelow: z.number().positive(),
      })
      .strict()
      .refine((s) => s.namedFrom > s.pooledBelow, { message: 'namedFrom must be greater than pooledBelow' }),
    health: z
      .object({
        weights: z.object({ pooled: weightsSchema, mid_pooled: weightsSchema, named: weightsSchema }).strict(),
        bands: z.object({ healthy: z.number().min(0).max(100), watch: z.number().min(0).max(100) }).strict(),
        /** Below this coverage (% of weight with fresh data) the band is `unknown`. */
        minCoverage: z.number().min(0).max(100),
        staleness: z
          .object({
            /** Usage, seats and login data older than this (cs_usage_updated_at) are stale. */
            usageDays: positiveInt,
            /** An NPS answer older than this (cs_nps_date) is stale. */
            npsDays: positiveInt,
            /** When the sync date is unknown, count the signal as fresh (true) or stale (false). */
            unknownAgeIsFresh: z.boolean(),
            /**
             * When no sync date (cs_usage_updated_at, cs_nps_date) is known, read the timestamp HubSpot
             * keeps for the value (property history): one extra batch read per 50 such companies.
             */
            valueHistory: z.boolean(),
          })
          .strict(),
        normalise: z
          .object({
            /** Usage change at or below this → 0; at or above `usageCeil` → 100 (fractions, -0.5 = -50%). */
            usageFloor: z.number(),
            usageCeil: z.number(),
            /** Seat utilisation at or above this → 100. */
            seatTarget: z.number().positive().max(1),
            /** Days since last login: ≤ full → 100, ≥ zero → 0. */
            loginFullDays: nonNegInt,
            loginZeroDays: positiveInt,
            /** Points lost per open ticket and per high-priority ticket. */
            ticketOpenPenalty: z.number().min(0),
            ticketHighPenalty: z.number().min(0),
            /** Days since last touch: ≤ full → 100, ≥ zero → 0. */
            engagementFullDays: nonNegInt,
            engagementZeroDays: positiveInt,
          })
          .strict()
          .refine((n) => n.usageCeil > n.usageFloor, { message: 'usageCeil must be greater than usageFloor' })
          .refine((n) => n.loginZeroDays > n.loginFullDays, { message: 'loginZeroDays must be greater than loginFullDays' })
          .refine((n) => n.engagementZeroDays > n.engagementFullDays, {
            message: 'engagementZeroDays must be greater than engagementFullDays',
          }),
        /**
         * Critical signals cap the band whatever the score (the strictest cap applies; a cap never
         * raises a band and never turns `unknown` into a score).
         */
        caps: z
          .object({
            /** An NPS answer ≤ `max` given within the last `withinDays` days. */
            nps_detractor: z.object({ enabled: z.boolean(), band: capBand, max: z.number().min(0).max(10), withinDays: positiveInt }).strict(),
            /** No login for `days`+ days (fresh login data only). */
            no_login: z.object({ enabled: z.boolean(), band: capBand, days: positiveInt }).strict(),
            /** Usage down by more than `dropAbove` period over period (fresh usage data only). */
            usage_drop: z.object({ enabled: z.boolean(), band: capBand, dropAbove: share }).strict(),
            /** At least one open ticket with priority URGENT. */
            urgent_ticket: z.object({ enabled: z.boolean(), band: capBand }).strict(),
            /**
             * A risk task (usage drop, no login, NPS detractor, risk escalation, health drop) created
             * this run or within the last `withinDays` days (the ledger): never shown healthy beside it.
             */
            risk_task: z.object({ enabled: z.boolean(), band: capBand, withinDays: positiveInt }).strict(),
          })
          .strict(),
        /** History window for the trend, days. */
        trendDays: positiveInt,
        /** The trend compares with the score this many days ago. */
        trendCompareDays: positiveInt,
      })
      .strict()
      .refine((h) => h.bands.healthy > h.bands.watch, { message: 'bands.healthy must be greater than bands.watch' }),
    lifecycle: z
      .object({
        onboardingDays: positiveInt,
        exitCriteria: z.array(z.enum(EXIT_CRITERIA)),
        /** Seat utilisation needed for the `seat_adoption` exit criterion. */
        exitSeatUtilisation: share,
        /** Last login within this many days for `recent_login`. */
        exitLoginDays: positiveInt,
        /** Score needed for `health_ok`. */
        exitHealthScore: z.number().min(0).max(100),
        /** Overdue onboardings graduate anyway after this many days (null = never). */
        maxOverdueDays: nonNegInt.nullable(),
      })
      .strict(),
    assignment: z
      .object({
        /** Max concurrent onboardings per CSM (000: ~20). */
        concurrentOnboardingCap: positiveInt,
      })
      .strict(),
    pool: z
      .object({
        /** HubSpot task queue id for pool work; null = least-loaded member in rotation. */
        queueId: z.string().min(1).nullable(),
        members: z.array(poolMemberSchema),
      })
      .strict(),
    workload: z
      .object({
        /** Human tasks per CSM per working day (a member may override it). */
        tasksPerDay: nonNegInt,
        /** A CSM with this many open tasks gets nothing new until they close some (001 §8.3: 30–40% completion). */
        maxOpenTasks: nonNegInt,
        /** Tasks for the pool's queue per day when `pool.queueId` is set; null = what the members working that day have left after their onboarding schedules (they work the queue). */
        queueTasksPerDay: nonNegInt.nullable(),
        /** Urgent work is created even over capacity (and counted as such). */
        urgent: z
          .object({
            /** A renewal task at or within this many days of the renewal date. */
            renewalWithinDays: nonNegInt,
            /** Any human task for a named account whose band is at_risk. */
            namedAtRisk: z.boolean(),
            /** Urgent tasks a CSM may get beyond capacity per day; the rest wait, first in line tomorrow. */
            maxExtraPerCsm: nonNegInt,
          })
          .strict(),
        /**
         * Priority of a waiting human task (higher first), documented in the README:
         * byTaskPriority[priority] + byBand[band] + min(arrMaxPoints, ACV/1000 × perArrThousand)
         * + max(0, renewalHorizonDays − days to renewal) × perRenewalDay + min(waitingMaxPoints, days waiting × perDayWaiting).
         */
        priority: z
          .object({
            byTaskPriority: z.object({ HIGH: z.number().min(0), MEDIUM: z.number().min(0), LOW: z.number().min(0) }).strict(),
            byBand: z.object({ at_risk: z.number().min(0), watch: z.number().min(0), unknown: z.number().min(0), healthy: z.number().min(0) }).strict(),
            perArrThousand: z.number().min(0),
            arrMaxPoints: z.number().min(0),
            renewalHorizonDays: nonNegInt,
            perRenewalDay: z.number().min(0),
            perDayWaiting: z.number().min(0),
            waitingMaxPoints: z.number().min(0),
          })
          .strict(),
        /** Waiting entries kept per company in `cs_playbook_backlog`. */
        backlogMaxEntries: positiveInt,
      })
      .strict(),
    channels: z
      .object({
        /** Channel per play and segment (play ids: rule ids, `onboarding`, `renewal_d<window>`); a play not listed is a human task. */
        plays: z.record(playKey, segmentChannels),
        /** digital_then_task: the human task comes this many days after the digital touch when the customer has not engaged since. */
        followUpDays: positiveInt,
        /** After this many days without a follow-up (the condition kept firing elsewhere), the digital series is over. */
        followUpWindowDays: positiveInt,
        /**
         * At most one digital touch per company in this many days (1 = one a day): the others wait,
         * the most important first. Default 7, the follow-up wait: a second email inside it would
         * reach a customer who has not had the time to answer the first.
         */
        minDaysBetweenTouches: positiveInt,
        /** Touch type written to `cs_digital_touch` per play. */
        touchTypes: z.record(playKey, z.enum(DIGITAL_TOUCH_TYPES)),
      })
      .strict()
      .refine((c) => c.followUpWindowDays > c.followUpDays, { message: 'followUpWindowDays must be greater than followUpDays' }),
    playbooks: z
      .object({
        /** Tasks are due at this UTC hour. */
        dueHourUtc: z.number().int().min(0).max(23),
        /** Max open CS tasks per company. */
        openTaskCap: nonNegInt,
        /** Ledger entries kept per company (newest kept). */
        ledgerMaxEntries: positiveInt,
        /** What to do, first line of a task's body, per play (rule id, `onboarding`, `renewal_d<window>`). */
        actions: z.record(playKey, z.string().min(1).max(500)),
        onboarding: z
          .object({
            enabled: z.boolean(),
            steps: z.array(
              z
                .object({
                  step: z.string().regex(/^[a-z0-9_]+$/, 'lower-case letters, digits and _ only'),
                  day: nonNegInt,
                  subject: z.string().min(1),
                  priority,
                })
                .strict(),
            ),
            /** A step missed by more than this many days is not created any more. */
            catchUpDays: nonNegInt,
          })
          .strict(),
        rules: z
          .object({
            new_contract: z.object({ ...ruleBase, windowDays: nonNegInt }).strict(),
            usage_drop: z.object({ ...ruleBase, dropAbove: share }).strict(),
            low_seat_utilisation: z.object({ ...ruleBase, below: share }).strict(),
            no_login: z.object({ ...ruleBase, days: positiveInt }).strict(),
            health_drop: z
              .object({
                ...ruleBase,
                points: z.number().positive().max(100),
                /** Days a drop stays in force while the score stays that far below (see `healthDropNow`). */
                holdDays: positiveInt.max(90),
              })
              .strict(),
            risk_escalation: z.object({ ...ruleBase, below: z.number().min(0).max(100) }).strict(),
            nps_detractor: z.object({ ...ruleBase, max: z.number().min(0).max(10) }).strict(),
            renewal: z
              .object({
                ...ruleBase,
                windows: z.array(positiveInt).min(1),
                /** Windows where pooled and mid-pooled accounts get a person only when usage is low or expansion potential is high (001: renewal 60 days out). */
                qualifiedWindows: z.array(positiveInt),
                /** "Usage is low" for a qualified window: seat utilisation below this share. */
                lowUtilisationBelow: share,
              })
              .strict(),
            expansion: z.object({ ...ruleBase, utilisationFrom: z.number().min(0), onlyHealthy: z.boolean() }).strict(),
            no_touch: z.object({ ...ruleBase, days: positiveInt }).strict(),
          })
          .strict(),
      })
      .strict(),
    kpis: z
      .object({
        /** Accounts per CSM benchmarks (001 §9). */
        coverageBenchmarks: z.object({ pooled: benchmarkSchema, mid_pooled: benchmarkSchema, named: benchmarkSchema }).strict(),
        /** Yearly cost of one CSM, for cost per account; null = not set. */
        csmYearlyCost: z.number().min(0).nullable(),
      })
      .strict(),
    /** The company card, the sidebar and the manager's cockpit. */
    card: z
      .object({
        /** Contacts shown on the card (primary first). */
        contactsMax: positiveInt.max(100),
        /** Owners are cached across card loads this long (seconds; 0 = no cache). */
        ownersCacheSeconds: nonNegInt,
        /** Snooze choices offered on a task, in days. */
        snoozeDays: z.array(positiveInt.max(365)).min(1),
        /** Score changes shown in the history. */
        historyMax: positiveInt.max(100),
        /** The cockpit lists renewals this many days ahead that are at risk or unknown. */
        renewalsAheadDays: positiveInt,
      })
      .strict(),
    /**
     * Input property → the portal's own property, read by the adapter. Keys are our property names
     * (`{ "cs_acv": "annualrevenue" }`, canonical) or the Account field (`{ "acv": … }`, also accepted).
     */
    propertyMapping: z.record(z.string().min(1), z.string().min(1)),
  })
  .strict()
  // The call after an unanswered digital touch comes followUpDays later: the drop must still be held then.
  .refine((c) => c.playbooks.rules.health_drop.holdDays > c.channels.followUpDays, {
    message: 'must be greater than channels.followUpDays (the call after an unanswered digital touch must still see the drop)',
    path: ['playbooks', 'rules', 'health_drop', 'holdDays'],
  });

export type Config = z.infer<typeof ConfigSchema>;
export type PoolMember = Config['pool']['members'][number];
export type SignalWeights = Config['health']['weights']['pooled'];
export type RuleId = keyof Config['playbooks']['rules'];
export type CapId = keyof Config['health']['caps'];

/**
 * The defaults drawn from the seeds (product.md). A fresh object each call.
 * @example
 * defaultConfig().segments.pooledBelow // 25000
 */
export function defaultConfig(): Config {
  return {
    version: null,
    segments: { pooledBelow: 25_000, namedFrom: 100_000, hysteresis: 0.05, unknownAcvSegment: 'pooled', dedicatedSegment: 'named', acvBelow: 1_000_000_000 },
    health: {
      weights: {
        pooled: { usage_trend: 25, seat_utilisation: 20, login_recency: 20, tickets: 10, nps: 15, engagement: 10 },
        mid_pooled: { usage_trend: 25, seat_utilisation: 15, login_recency: 15, tickets: 15, nps: 15, engagement: 15 },
        named: { usage_trend: 20, seat_utilisation: 15, login_recency: 10, tickets: 15, nps: 20, engagement: 20 },
      },
      bands: { healthy: 70, watch: 50 },
      minCoverage: 50,
      staleness: { usageDays: 14, npsDays: 180, unknownAgeIsFresh: true, valueHistory: true },
      normalise: {
        usageFloor: -0.5,
        usageCeil: 0.1,
        seatTarget: 0.8,
        loginFullDays: 7,
        loginZeroDays: 60,
        ticketOpenPenalty: 10,
        ticketHighPenalty: 25,
        engagementFullDays: 14,
        engagementZeroDays: 90,
      },
      caps: {
        nps_detractor: { enabled: true, band: 'watch', max: 6, withinDays: 90 },
        no_login: { enabled: true, band: 'watch', days: 30 },
        usage_drop: { enabled: true, band: 'watch', dropAbove: 0.3 },
        urgent_ticket: { enabled: true, band: 'at_risk' },
        risk_task: { enabled: true, band: 'watch', withinDays: 30 },
      },
      trendDays: 90,
      trendCompareDays: 30,
    },
    lifecycle: {
      onboardingDays: 90,
      exitCriteria: ['csm_assigned', 'seat_adoption', 'recent_login', 'health_ok'],
      exitSeatUtilisation: 0.5,
      exitLoginDays: 30,
      exitHealthScore: 50,
      maxOverdueDays: 60,
    },
    assignment: { concurrentOnboardingCap: 20 },
    pool: { queueId: null, members: [] },
    workload: {
      tasksPerDay: 8,
      maxOpenTasks: 40,
      queueTasksPerDay: null,
      urgent: { renewalWithinDays: 30, namedAtRisk: true, maxExtraPerCsm: 4 },
      priority: {
        byTaskPriority: { HIGH: 300, MEDIUM: 200, LOW: 100 },
        byBand: { at_risk: 60, watch: 30, unknown: 15, healthy: 0 },
        perArrThousand: 0.5,
        arrMaxPoints: 50,
        renewalHorizonDays: 90,
        perRenewalDay: 0.5,
        perDayWaiting: 3,
        waitingMaxPoints: 90,
      },
      backlogMaxEntries: 20,
    },
    channels: {
      // Seeds: pooled lives on automation and 1:many first (001 §5–6, 000); named is human.
      plays: {
        new_contract: { pooled: 'task', mid_pooled: 'task', named: 'task' },
        onboarding: { pooled: 'task', mid_pooled: 'task', named: 'task' },
        usage_drop: { pooled: 'digital_then_task', mid_pooled: 'task', named: 'task' },
        low_seat_utilisation: { pooled: 'digital', mid_pooled: 'digital_then_task', named: 'task' },
        no_login: { pooled: 'digital', mid_pooled: 'digital_then_task', named: 'task' },
        health_drop: { pooled: 'digital_then_task', mid_pooled: 'task', named: 'task' },
        risk_escalation: { pooled: 'digital_then_task', mid_pooled: 'digital_then_task', named: 'task' },
        nps_detractor: { pooled: 'digital_then_task', mid_pooled: 'task', named: 'task' },
        renewal_d90: { pooled: 'digital', mid_pooled: 'digital', named: 'task' },
        renewal_d60: { pooled: 'task', mid_pooled: 'task', named: 'task' },
        renewal_d30: { pooled: 'task', mid_pooled: 'task', named: 'task' },
        expansion: { pooled: 'digital', mid_pooled: 'task', named: 'task' },
        no_touch: { pooled: 'digital', mid_pooled: 'digital_then_task', named: 'task' },
      },
      followUpDays: 7,
      followUpWindowDays: 30,
      minDaysBetweenTouches: 7,
      touchTypes: {
        usage_drop: 'we_noticed',
        low_seat_utilisation: 'adoption_tips',
        no_login: 'adoption_tips',
        health_drop: 'we_noticed',
        risk_escalation: 'we_noticed',
        nps_detractor: 'we_noticed',
        renewal: 'usage_summary',
        renewal_d90: 'usage_summary',
        renewal_d60: 'renewal_reminder',
        renewal_d30: 'renewal_reminder',
        expansion: 'expansion_offer',
        no_touch: 'check_in',
        new_contract: 'check_in',
        onboarding: 'check_in',
      },
    },
    playbooks: {
      dueHourUtc: 9,
      openTaskCap: 3,
      ledgerMaxEntries: 100,
      actions: {
        new_contract: 'Plan the onboarding: confirm the kick-off date, the goals and who the customer’s admin is.',
        onboarding: 'Do this onboarding step with the customer and log it on the company.',
        usage_drop: 'Call the main contact: ask what changed, and offer a short session on the features they stopped using.',
        low_seat_utilisation: 'Send the admin the adoption guide and offer a training session for the unused seats.',
        no_login: 'Reach the admin: check they still have access and offer a quick refresher.',
        health_drop: 'Review the health breakdown on the card, then call the main contact about what moved.',
        risk_escalation: 'Call the main contact within a day; agree a recovery plan and involve the team lead if needed.',
        nps_detractor: 'Call the person who answered: thank them, ask what went wrong, log the follow-up.',
        renewal: 'Review usage and value with the customer before the renewal and confirm the decision maker.',
        renewal_d30: 'Confirm the renewal: decision maker, paperwork and any open issue that could block it.',
        expansion: 'Offer more seats or the next plan: their team is using nearly everything they bought.',
        no_touch: 'Check in with the main contact: ask how it is going and whether they need anything.',
      },
      onboarding: {
        enabled: true,
        steps: [
          { step: 'day0', day: 0, subject: 'Welcome the new customer and plan the onboarding', priority: 'HIGH' },
          { step: 'day3', day: 3, subject: 'Usage check', priority: 'MEDIUM' },
          { step: 'day7', day: 7, subject: 'Invite to the onboarding webinar', priority: 'MEDIUM' },
          { step: 'day14', day: 14, subject: 'Success call', priority: 'HIGH' },
        ],
        catchUpDays: 7,
      },
      rules: {
        new_contract: { enabled: true, priority: 'HIGH', dueInDays: 1, cooldownDays: 0, windowDays: 14 },
        usage_drop: { enabled: true, priority: 'HIGH', dueInDays: 2, cooldownDays: 30, dropAbove: 0.3 },
        low_seat_utilisation: { enabled: true, priority: 'MEDIUM', dueInDays: 5, cooldownDays: 30, below: 0.1 },
        no_login: { enabled: true, priority: 'MEDIUM', dueInDays: 3, cooldownDays: 30, days: 30 },
        health_drop: { enabled: true, priority: 'HIGH', dueInDays: 2, cooldownDays: 14, points: 20, holdDays: 14 },
        risk_escalation: { enabled: true, priority: 'HIGH', dueInDays: 1, cooldownDays: 30, below: 50 },
        nps_detractor: { enabled: true, priority: 'HIGH', dueInDays: 2, cooldownDays: 30, max: 6 },
        renewal: { enabled: true, priority: 'MEDIUM', dueInDays: 7, cooldownDays: 0, windows: [90, 60, 30], qualifiedWindows: [60], lowUtilisationBelow: 0.5 },
        expansion: { enabled: true, priority: 'LOW', dueInDays: 7, cooldownDays: 90, utilisationFrom: 0.9, onlyHealthy: true },
        no_touch: { enabled: true, priority: 'MEDIUM', dueInDays: 5, cooldownDays: 45, days: 45 },
      },
    },
    kpis: {
      coverageBenchmarks: { pooled: { min: 250, max: 500 }, mid_pooled: { min: 75, max: 150 }, named: { min: 5, max: 30 } },
      csmYearlyCost: null,
    },
    card: { contactsMax: 5, ownersCacheSeconds: 300, snoozeDays: [1, 3, 7], historyMax: 8, renewalsAheadDays: 90 },
    propertyMapping: {},
  };
}

/** Days every member works when a config does not say (helper for tests and the emulator seed). */
export const EVERY_DAY: readonly (typeof WEEKDAYS)[number][] = [...WEEKDAYS];

export interface ConfigError {
  path: string;
  message: string;
}
export type ParseConfigResult = { ok: true; config: Config } | { ok: false; errors: ConfigError[] };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge: objects merge key by key, arrays and scalars replace (the config file's rule; the one deep merge). */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) {
    // propertyMapping is a record: an override replaces entries, it is still merged per key.
    out[k] = k in base ? deepMerge(base[k], v) : v;
  }
  return out;
}

function joinPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

/**
 * Validates a (partial) config over the defaults. Objects merge deeply; arrays replace.
 * @example
 * parseConfig({ segments: { pooledBelow: 30000 } }) // { ok: true, config: { ...defaults, segments.pooledBelow: 30000 } }
 * parseConfig({ health: { weights: { pooled: { usage_trend: 'x' } } } })
 * // { ok: false, errors: [{ path: 'health.weights.pooled.usage_trend', message: '...' }] }
 */
export function parseConfig(input: unknown): ParseConfigResult {
  if (input !== undefined && input !== null && !isPlainObject(input)) {
    return { ok: false, errors: [{ path: '', message: 'config must be a JSON object' }] };
  }
  const merged = deepMerge(defaultConfig(), input ?? {});
  const result = ConfigSchema.safeParse(merged);
  if (result.success) return { ok: true, config: result.data };
  const errors: ConfigError[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors.push({ path: joinPath([...issue.path, key]), message: `unknown key "${key}"` });
    } else {
      errors.push({ path: joinPath(issue.path), message: issue.message });
    }
  }
  return { ok: false, errors };
}

/** Canonical JSON: object keys sorted, so equal configs hash equally whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function fnv1a(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * A stable short id of a config: the optional human label plus a 12-hex hash of its canonical JSON.
 * @example
 * configVersion(defaultConfig()) // e.g. 'c-3f9a0b12c4de'
 * configVersion({ ...defaultConfig(), version: '2026-Q1' }) // e.g. '2026-Q1-3f9a0b12c4de'
 */
export function configVersion(config: Config): string {
  const json = canonicalJson(config);
  const hash = (fnv1a(json, 0x811c9dc5).toString(16).padStart(8, '0') + fnv1a(json, 0x2c9277b5).toString(16).padStart(8, '0')).slice(0, 12);
  return config.version ? `${config.version}-${hash}` : `c-${hash}`;
}
