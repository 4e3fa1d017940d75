/**
 * What the app's settings component shows: the effective config (as JSON and in words), its
 * validation, and — when a `configOverride` is sent — a what-if preview of the changed config over
 * a bounded sample of the portfolio (core `whatIf`; the sample size is `figures.accountsEvaluated`).
 */
import { isOwnerUsable, SIGNAL_IDS, configVersion, deepMerge, parseConfig, parseIsoDay, utcDay, SIGNAL_LABELS, whatIf, PLAYBOOK_TITLES, computeSegment, SEGMENTS, type Config, type Account, type HealthBand, type Owner, type Segment } from '../core';
import { ownerName } from './owner-name';
import type { AppDeps } from './deps';
import type { ConfigSummary, JsonValue, PlaybookSummary, SettingsData, WhatIfPreview } from './settings-data';

/** Companies read for a what-if preview (one or two search pages; fits the function's 15 s). */
export const WHAT_IF_SAMPLE = 400;

const BAND_WORDS: Record<HealthBand, string> = { healthy: 'healthy', watch: 'watch', at_risk: 'at risk', unknown: 'unknown' };
const DAY_LABEL: Record<string, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

const pct = (x: number): string => `${Math.round(x * 100)}%`;

function playbookSummaries(config: Config): PlaybookSummary[] {
  const r = config.playbooks.rules;
  const cd = (days: number): number | null => (days > 0 ? days : null);
  const ob = config.playbooks.onboarding;
  return [
    { id: 'onboarding', label: PLAYBOOK_TITLES.onboarding, enabled: ob.enabled, trigger: `onboarding schedule: ${ob.steps.map((s) => `day ${s.day} ${s.subject}`).join(', ')}`, cooldownDays: null },
    { id: 'new_contract', label: PLAYBOOK_TITLES.new_contract, enabled: r.new_contract.enabled, trigger: `a contract started in the last ${r.new_contract.windowDays} days`, cooldownDays: cd(r.new_contract.cooldownDays) },
    { id: 'usage_drop', label: PLAYBOOK_TITLES.usage_drop, enabled: r.usage_drop.enabled, trigger: `usage drops more than ${pct(r.usage_drop.dropAbove)} period over period`, cooldownDays: cd(r.usage_drop.cooldownDays) },
    { id: 'low_seat_utilisation', label: PLAYBOOK_TITLES.low_seat_utilisation, enabled: r.low_seat_utilisation.enabled, trigger: `seat utilisation below ${pct(r.low_seat_utilisation.below)}`, cooldownDays: cd(r.low_seat_utilisation.cooldownDays) },
    { id: 'no_login', label: PLAYBOOK_TITLES.no_login, enabled: r.no_login.enabled, trigger: `no login for ${r.no_login.days} days`, cooldownDays: cd(r.no_login.cooldownDays) },
    { id: 'health_drop', label: PLAYBOOK_TITLES.health_drop, enabled: r.health_drop.enabled, trigger: `health score falls ${r.health_drop.points} points or more`, cooldownDays: cd(r.health_drop.cooldownDays) },
    { id: 'risk_escalation', label: PLAYBOOK_TITLES.risk_escalation, enabled: r.risk_escalation.enabled, trigger: `health score falls below ${r.risk_escalation.below}`, cooldownDays: cd(r.risk_escalation.cooldownDays) },
    { id: 'nps_detractor', label: PLAYBOOK_TITLES.nps_detractor, enabled: r.nps_detractor.enabled, trigger: `NPS answer of ${r.nps_detractor.max} or lower`, cooldownDays: cd(r.nps_detractor.cooldownDays) },
    { id: 'renewal', label: PLAYBOOK_TITLES.renewal, enabled: r.renewal.enabled, trigger: `renewal in ${r.renewal.windows.join(' / ')} days`, cooldownDays: cd(r.renewal.cooldownDays) },
    { id: 'expansion', label: PLAYBOOK_TITLES.expansion, enabled: r.expansion.enabled, trigger: `seat utilisation at or above ${pct(r.expansion.utilisationFrom)}`, cooldownDays: cd(r.expansion.cooldownDays) },
    { id: 'no_touch', label: PLAYBOOK_TITLES.no_touch, enabled: r.no_touch.enabled, trigger: `no touch for ${r.no_touch.days} days`, cooldownDays: cd(r.no_touch.cooldownDays) },
  ];
}

/** The config in words (owners give the pool members' names and active flags). */
export function summariseConfig(config: Config, owners: readonly Owner[], now: Date): ConfigSummary {
  const byId = new Map(owners.map((o) => [o.id, o]));
  const today = utcDay(now);
  return {
    segments: {
      currency: 'USD',
      midPooledFrom: config.segments.pooledBelow,
      namedFrom: config.segments.namedFrom,
      hysteresisPct: Math.round(config.segments.hysteresis * 1000) / 10,
      dedicatedCsmNeverPooled: true, // the schema allows only named or mid_pooled for dedicated contracts
    },
    weights: SEGMENTS.map((segment) => ({
      segment,
      weights: SIGNAL_IDS.map((signal) => ({ signal, label: SIGNAL_LABELS[signal], weight: config.health.weights[segment][signal] })),
    })),
    bands: { healthyFrom: config.health.bands.healthy, watchFrom: config.health.bands.watch, minCoverage: config.health.minCoverage },
    onboarding: { days: config.lifecycle.onboardingDays, maxConcurrentPerCsm: config.assignment.concurrentOnboardingCap },
    playbooks: playbookSummaries(config),
    openTaskCap: config.playbooks.openTaskCap,
    pool: {
      queueId: config.pool.queueId,
      members: config.pool.members.map((m) => ({
        ownerId: m.ownerId,
        name: ownerName(byId.get(m.ownerId), m.ownerId),
        skills: [...m.skills],
        coverageDays: (m.coverageDays.length > 0 ? m.coverageDays : ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']).map((d) => DAY_LABEL[d] ?? d),
        capacity: m.capacity,
        active: isOwnerUsable(byId.get(m.ownerId)),
        outOfOffice: m.outOfOffice.some((o) => {
          const f = parseIsoDay(o.from);
          const t = parseIsoDay(o.to);
          return f !== null && t !== null && f <= today && today <= t;
        }),
      })),
    },
  };
}

async function sample(deps: AppDeps, size: number): Promise<Account[]> {
  const out: Account[] = [];
  for await (const page of deps.crm.iterateCompanies({ pageSize: Math.min(200, size) })) {
    for (const a of page.accounts) if (out.length < size) out.push(a);
    if (out.length >= size) break;
  }
  return out;
}

/** The what-if preview of `override` merged over the effective config. */
export async function whatIfPreview(deps: AppDeps, override: Record<string, unknown>, owners: readonly Owner[], sampleSize = WHAT_IF_SAMPLE): Promise<WhatIfPreview> {
  const parsed = parseConfig(deepMerge(deps.config, override));
  if (!parsed.ok) return { configVersion: null, validation: { ok: false, errors: parsed.errors }, figures: null };
  const proposed = parsed.config;
  const now = deps.now();
  const accounts = await sample(deps, sampleSize);
  const r = whatIf(accounts, deps.config, proposed, now, { owners, examples: 5 });
  const segMoves = new Map<string, number>();
  for (const a of accounts) {
    const from = computeSegment(a, deps.config, now).segment;
    const to = computeSegment(a, proposed, now).segment;
    if (from !== to) segMoves.set(`${from}>${to}`, (segMoves.get(`${from}>${to}`) ?? 0) + 1);
  }
  return {
    configVersion: configVersion(proposed),
    validation: { ok: true },
    figures: {
      accountsEvaluated: r.accounts,
      bandChanges: Object.entries(r.bandMoves).map(([move, count]) => {
        const [from, to] = move.split('→') as [HealthBand, HealthBand];
        return { from, to, count };
      }),
      segmentChanges: [...segMoves.entries()].map(([move, count]) => {
        const [from, to] = move.split('>') as [Segment, Segment];
        return { from, to, count };
      }),
      // The core's whatIf counts tasks in total, not per playbook.
      tasks: [{ playbook: 'all', label: 'All playbooks', current: r.tasks.a, proposed: r.tasks.b }],
      examples: r.examples.map((e) => {
        const parts: string[] = [];
        if (e.band[0] !== e.band[1]) parts.push(`${BAND_WORDS[e.band[0]]} → ${BAND_WORDS[e.band[1]]} (score ${e.score[0] ?? '?'} → ${e.score[1] ?? '?'})`);
        if (e.segment[0] !== e.segment[1]) parts.push(`segment ${e.segment[0]} → ${e.segment[1]}`);
        if (e.tasks[0] !== e.tasks[1]) parts.push(`tasks ${e.tasks[0]} → ${e.tasks[1]}`);
        return { companyId: e.accountId, companyName: e.name, change: parts.join('; ') };
      }),
    },
  };
}

/**
 * Settings data: the effective config and, with `configOverride`, its what-if preview.
 *
 * @example
 * const data = await buildSettingsData(deps, { health: { bands: { healthy: 75 } } });
 * data.whatIf?.figures?.accountsEvaluated // 400 (the sample)
 */
export async function buildSettingsData(deps: AppDeps, configOverride?: Record<string, unknown>, options: { source?: string; sampleSize?: number } = {}): Promise<SettingsData> {
  const now = deps.now();
  const owners = await deps.crm.listOwners();
  const whatIfResult = configOverride === undefined ? null : await whatIfPreview(deps, configOverride, owners, options.sampleSize);
  return {
    configVersion: deps.configVersion,
    source: options.source ?? 'app config',
    generatedAt: now.toISOString(),
    config: { json: JSON.parse(JSON.stringify(deps.config)) as JsonValue, summary: summariseConfig(deps.config, owners, now) },
    validation: { ok: true },
    whatIf: whatIfResult,
  };
}
