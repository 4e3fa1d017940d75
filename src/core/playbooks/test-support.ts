/** Builders for the playbook rule tests (rules/*.test.ts) and the planner's test. */
import { defaultConfig, type Config, type RuleId } from '../config';
import { computeHealth, type HealthResult } from '../health';
import { computeLifecycle, type LifecycleResult } from '../lifecycle';
import { planPlaybooks, type PlaybookInput, type PlaybookPlan } from '../playbooks';
import { computeSegment, type SegmentResult } from '../segment';
import { makeAccount } from '../test-support';
import type { Account, Segment } from '../types';

/** A healthy, recently touched, graduated pooled account. */
export const BASE: Partial<Account> = {
  id: '123',
  name: 'Acme',
  acv: 10_000,
  usageCurrentPeriod: 100,
  usagePreviousPeriod: 100,
  licensedSeats: 100,
  activeUsers: 50,
  lastLoginDate: '2026-06-14',
  usageUpdatedAt: '2026-06-14T00:00:00Z',
  openTickets: 0,
  highPriorityTickets: 0,
  npsScore: 8,
  npsDate: '2026-06-01',
  lastContactedAt: '2026-06-10T00:00:00Z',
  openCsTasks: 0,
  graduatedAt: '2026-01-01',
  onboardingStartDate: '2025-10-01',
};

/** Tuesday 2026-06-16, ISO week 2026-W25. */
export const NOW = new Date('2026-06-16T15:00:00Z');

/** An ACV that puts a fresh account in each segment (defaults: pooled < 25k ≤ mid-pooled < 100k ≤ named). */
export const SEGMENT_ACV: Record<Segment, number> = { pooled: 10_000, mid_pooled: 50_000, named: 150_000 };

/** Every play as a human task: trigger tests are about when rules fire, not the channel. */
export function allTasks(config: Config): Config {
  const plays = Object.fromEntries(Object.keys(config.channels.plays).map((k) => [k, { pooled: 'task', mid_pooled: 'task', named: 'task' } as const]));
  return { ...config, channels: { ...config.channels, plays } };
}

export interface PlanOptions {
  config?: Config;
  previous?: PlaybookInput['previous'];
  owner?: PlaybookInput['owner'];
  trend?: PlaybookInput['trend'];
  /** `tasks` (default): every play a human task; `config`: the config's own channels. */
  channels?: 'tasks' | 'config';
}

/** The default config with one rule's settings changed. */
export function withRule<K extends RuleId>(id: K, patch: Partial<Config['playbooks']['rules'][K]>): Config {
  const config = defaultConfig();
  Object.assign(config.playbooks.rules[id], patch);
  return config;
}

/** What the planner gets for BASE + fields: the account, its segment, health and lifecycle. */
export function evaluate(fields: Partial<Account>, now: Date = NOW, config: Config = defaultConfig()): { account: Account; segment: SegmentResult; health: HealthResult; lifecycle: LifecycleResult } {
  const account = makeAccount({ ...BASE, ...fields });
  const segment = computeSegment(account, config, now);
  const health = computeHealth(account, segment.segment, config, now);
  return { account, segment, health, lifecycle: computeLifecycle(account, config, now, health.score) };
}

/** Plans one account built from BASE + fields through segment, health and lifecycle, as a sweep does. */
export function plan(fields: Partial<Account>, now: Date = NOW, opts: PlanOptions = {}): PlaybookPlan {
  const base = opts.config ?? defaultConfig();
  const config = opts.channels === 'config' ? base : allTasks(base);
  const { account, segment, health, lifecycle } = evaluate(fields, now, config);
  return planPlaybooks({
    account,
    segment,
    health,
    lifecycle,
    previous: opts.previous ?? { healthScore: health.score, healthBand: health.band },
    trend: opts.trend ?? null,
    owner: opts.owner === undefined ? { ownerId: '7' } : opts.owner,
    config,
    now,
  });
}

/** How a playbook's work went out: a human `task`, a `digital` touch, switched `off`, or `none` (not wanted). */
export function routeOf(p: PlaybookPlan, playbook: string): 'task' | 'digital' | 'off' | 'none' {
  if (p.tasks.some((t) => t.playbook === playbook)) return 'task';
  if (p.touches.some((t) => t.playbook === playbook)) return 'digital';
  if (p.skipped.some((s) => s.reason === 'off' && s.key.split(':')[2] === playbook)) return 'off';
  return 'none';
}

/** The route per segment of the same account with the default channels (the segment set by its ACV). */
export function routesBySegment(fields: Partial<Account>, playbook: string, now: Date = NOW, opts: PlanOptions = {}): Record<Segment, string> {
  const out = {} as Record<Segment, string>;
  for (const seg of Object.keys(SEGMENT_ACV) as Segment[]) out[seg] = routeOf(plan({ ...fields, acv: SEGMENT_ACV[seg] }, now, { ...opts, channels: 'config' }), playbook);
  return out;
}
