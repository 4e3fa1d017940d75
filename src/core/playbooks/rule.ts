/**
 * What a playbook rule is, and the per-account context the planner hands it.
 *
 * A rule module (`rules/<rule>.ts`) exports one `PlaybookRule`:
 * - `resolve(config)` — its settings for a config, or null when it cannot fire (switched off). Called
 *   once per config by the registry, never per account;
 * - `trigger(ctx, settings)` — whether the account wants the work today: calls `ctx.add(...)` with the
 *   step, the period (the key's calendar identity), the priority, the due day and the cooldown. No text
 *   is built here: most wanted work is skipped (ledger, cooldown, cap, channel);
 * - `describe(candidate, ctx, settings)` — the subject, the why and the values with the true figures,
 *   called only for work that is planned (a task or a digital touch).
 * The channel is the config's `channels.plays[<play>][<segment>]`, where the play is the rule's id
 * (or the `play` it passes to `ctx.add`, e.g. `renewal_d60`); the planner (../playbooks.ts) applies the
 * ledger, cooldowns, channels, the one-touch-a-day rule, the open-task cap and the owner.
 */
import type { Config, RuleId } from '../config';
import * as dates from '../dates';
import { FRESH_BIT, type HealthResult } from '../health';
import type { LifecycleResult } from '../lifecycle';
import type { SegmentResult } from '../segment';
import type { Account, HealthBand, TaskPriority } from '../types';

const FRESH_USAGE = FRESH_BIT.usage_trend;
const FRESH_SEATS = FRESH_BIT.seat_utilisation;
const FRESH_LOGIN = FRESH_BIT.login_recency;
const FRESH_NPS = FRESH_BIT.nps;

const { isoWeekKey, utcDay } = dates;

export type PlaybookId = RuleId | 'onboarding';

export type TextValue = string | number | boolean | null;

export interface PlaybookInput {
  account: Account;
  segment: SegmentResult;
  health: HealthResult;
  lifecycle: LifecycleResult;
  /** The score and band stored before this run (edge detection for health rules). */
  previous: { healthScore: number | null; healthBand: HealthBand | null };
  /** Optional trend from the score history (a ≥ N-point drop over the compare window fires health_drop too). */
  trend?: { change: number | null; dropped: boolean } | null;
  /** Who gets the tasks; null = nobody available (everything skipped as `no_owner`). */
  owner: { ownerId: string } | { queueId: string } | null;
  config: Config;
  now: Date;
  /**
   * `deferred`: the words of planned work — a task's subject, body and trigger, a digital touch's why —
   * are left for `withTaskTexts` / `withTouchTexts`, as the sweep plans: most planned tasks wait in
   * the backlog and are never written, and a touch is written as its type and time. Default: built now.
   */
  texts?: 'now' | 'deferred';
}

/** The words of one planned piece of work. */
export interface RuleText {
  /** Follows "<Title>: " in the task subject. */
  subject: string;
  /** The rule in words with the values. */
  why: string;
  values: Record<string, TextValue>;
}

/**
 * A playbook rule. Method syntax on purpose: the registry holds rules of different settings types.
 * @example
 * const rule: PlaybookRule<Config['playbooks']['rules']['no_login']> = { id: 'no_login', title: 'No login', resolve: ownSettings('no_login'), trigger(ctx, s) { … }, describe(c, ctx, s) { … } };
 */
export interface PlaybookRule<S> {
  /** The playbook: the key's second field, the title, the cooldown's scope, the default channel play. */
  readonly id: PlaybookId;
  readonly title: string;
  resolve(config: Config): S | null;
  trigger(ctx: RuleContext, settings: S): void;
  describe(c: Candidate, ctx: RuleContext, settings: S): RuleText;
}

/** A rule with its settings for one config (built once per config by the registry). */
export interface ActiveRule {
  readonly rule: PlaybookRule<unknown>;
  readonly settings: unknown;
  /** The config's channels of the rule's own play (`channels.plays[<id>]`), read once with the settings. */
  readonly plays?: Config['channels']['plays'][string] | undefined;
  /** The config's touch type of the rule's own play (`channels.touchTypes[<id>]`). */
  readonly touchType?: string | undefined;
}

/** Work a rule wants today (one object per fired rule; the planner fills the last four fields). */
export interface Candidate {
  active: ActiveRule;
  playbook: PlaybookId;
  /** Channel key when it differs from the playbook (`renewal_d60`); null = the playbook. */
  play: string | null;
  step: string;
  period: string;
  priority: TaskPriority;
  dueDay: number;
  cooldownDays: number;
  /** One figure the rule keeps for its texts (the window, the step index, the drop…); NaN when unused. */
  arg: number;
  order: number;
  key: string;
  human: boolean;
  /** The day of the digital touch this human task follows up; null when it is not a follow-up. */
  followUpDay: number | null;
  text: RuleText | null;
}

/**
 * The usual `resolve`: the rule's own settings from `playbooks.rules`, null when switched off.
 * @example const resolve = ownSettings('no_login'); resolve(defaultConfig())?.days // 30
 */
export function ownSettings<K extends RuleId>(id: K): (config: Config) => Config['playbooks']['rules'][K] | null {
  return (config) => {
    const rule = config.playbooks.rules[id];
    return rule.enabled ? rule : null;
  };
}

/**
 * Builds the idempotency key.
 * @example
 * taskKey('123', 'renewal', 'd60', '2027-01-31') // 'cs:123:renewal:d60:2027-01-31'
 */
export function taskKey(accountId: string, playbook: PlaybookId, step: string, period: string): string {
  return `cs:${accountId}:${playbook}:${step}:${period}`;
}

/**
 * A share as a whole percentage.
 * @example pctText(0.604) // '60%'
 */
export function pctText(x: number): string {
  const p = Math.round(x * 100);
  // Most shares are within ±1000%: their texts are made once.
  if (p >= -PCT_SPAN && p <= PCT_SPAN && (p | 0) === p) return (pctTexts[p + PCT_SPAN] ??= `${p}%`);
  return `${p}%`;
}
const PCT_SPAN = 1000;
const pctTexts: (string | undefined)[] = new Array<string | undefined>(2 * PCT_SPAN + 1).fill(undefined);

/** The ISO week of the last day asked (a sweep plans every account on one day). */
let weekDay = Number.NaN;
let weekText = '';
function weekOf(day: number): string {
  if (day !== weekDay) {
    weekText = isoWeekKey(day);
    weekDay = day;
  }
  return weekText;
}

/**
 * The account's facts shared by several rules, computed once per account; rules add their work here.
 * The planner keeps one context and its candidates and points them at each account in turn (`reset`):
 * the core is synchronous and nothing a plan returns refers to them. Rules only read the fields.
 */
export class RuleContext {
  account!: Account;
  segment!: SegmentResult;
  health!: HealthResult;
  lifecycle!: LifecycleResult;
  previous!: PlaybookInput['previous'];
  trend: PlaybookInput['trend'];
  config!: Config;
  /** Epoch day (UTC) of `now`. */
  today = 0;
  freshUsage = false;
  freshSeats = false;
  freshLogin = false;
  freshNps = false;
  /** Active users / licensed seats when both are known, seats > 0 and the seat signal is fresh; else null. */
  utilisation: number | null = null;
  /** Whether the onboarding schedule applies (stage onboarding or onboarding_overdue). */
  onboarding = false;
  /** The work wanted for this account: the first `count` entries (the rest are kept for reuse). */
  readonly candidates: Candidate[] = [];
  count = 0;
  /** Keys of onboarding steps missed beyond the catch-up window (null until there is one). */
  missed: string[] | null = null;
  /** The rule being triggered (set by the planner). */
  current: ActiveRule | null = null;

  constructor(input: PlaybookInput) {
    this.reset(input);
  }

  /** Points the context at another account: its facts, no candidates, nothing missed. */
  reset(input: PlaybookInput): void {
    this.account = input.account;
    this.segment = input.segment;
    this.health = input.health;
    this.lifecycle = input.lifecycle;
    this.previous = input.previous;
    this.trend = input.trend;
    this.config = input.config;
    this.today = utcDay(input.now);
    this.count = 0;
    this.missed = null;
    this.current = null;
    // The fresh signals from the mask: the contributions (and their words) are not built for this.
    const fresh = input.health.freshMask;
    const seats = (fresh & FRESH_SEATS) !== 0;
    this.freshUsage = (fresh & FRESH_USAGE) !== 0;
    this.freshSeats = seats;
    this.freshLogin = (fresh & FRESH_LOGIN) !== 0;
    this.freshNps = (fresh & FRESH_NPS) !== 0;
    const lic = input.account.licensedSeats;
    const act = input.account.activeUsers;
    this.utilisation = seats && lic !== null && act !== null && lic > 0 ? act / lic : null;
    const stage = input.lifecycle.stage;
    this.onboarding = stage === 'onboarding' || stage === 'onboarding_overdue';
  }

  /** The ISO week of today (`2026-W25`), the period of conditions seen this week; remembered for the last day. */
  get week(): string {
    return weekOf(this.today);
  }

  /** Adds work the current rule wants (`arg`: a figure kept for its texts; `play`: its channel key when not the playbook). */
  add(step: string, period: string, priority: TaskPriority, dueDay: number, cooldownDays: number, arg = NaN, play: string | null = null): void {
    const active = this.current as ActiveRule;
    const order = this.count++;
    const c = this.candidates[order];
    if (c === undefined) {
      this.candidates.push({ active, playbook: active.rule.id, play, step, period, priority, dueDay, cooldownDays, arg, order, key: '', human: false, followUpDay: null, text: null });
      return;
    }
    c.active = active;
    c.playbook = active.rule.id;
    c.play = play;
    c.step = step;
    c.period = period;
    c.priority = priority;
    c.dueDay = dueDay;
    c.cooldownDays = cooldownDays;
    c.arg = arg;
    c.order = order;
    c.key = '';
    c.human = false;
    c.followUpDay = null;
    c.text = null;
  }

  /** Records a step that was due too long ago to be created (shown as skipped: `missed`, or `ledger` when done). */
  miss(key: string): void {
    (this.missed ??= []).push(key);
  }

  /** The candidate's words, built once. */
  textOf(c: Candidate): RuleText {
    return (c.text ??= c.active.rule.describe(c, this, c.active.settings));
  }
}
