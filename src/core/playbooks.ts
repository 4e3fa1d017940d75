/**
 * Playbook triggers → planned HubSpot tasks. Quiet by design:
 * - a stable idempotency key `cs:<accountId>:<playbook>:<step>:<period>` where the period is a UTC
 *   calendar identity (renewal date, onboarding start date, NPS answer date, contract start date,
 *   or the ISO week the condition was seen) — never TZ or DST dependent;
 * - keys already in the company's ledger are never planned again;
 * - a condition that persists fires again only after its cooldown (from the ledger's creation dates);
 * - at most `openTaskCap` open CS tasks per company, highest priority first.
 *
 * Ledger entries are `<key>@<YYYY-MM-DD>` (creation day, UTC), newest last; a task given to a CSM
 * is `<key>@<YYYY-MM-DD>@<ownerId>` (who took that step: the company's series stays with them).
 *
 * The rules are modules (./playbooks/rules, one per rule: trigger, priority, texts) listed in
 * ./playbooks/registry.ts; this planner runs them and applies the ledger, cooldowns, channels, the
 * one-touch-a-day rule, the cap and the owner to all alike. Texts are built only for planned work.
 */
import type { Channel, Config } from './config';
import * as dates from './dates';
import * as registry from './playbooks/registry';
import * as ruleModule from './playbooks/rule';
import * as sorting from './sort-in-place';
import type { ActiveRule, Candidate, PlaybookInput, RuleContext, RuleText, TextValue } from './playbooks/rule';
import type { DeferredTexts, IsoDate, PlannedTask, PlannedTouch, TaskPriority } from './types';
import * as workload from './workload';

export { PLAYBOOK_RULES, PLAYBOOK_TITLES, activeRules } from './playbooks/registry';
export { taskKey, type ActiveRule, type PlaybookId, type PlaybookInput, type PlaybookRule, type RuleText } from './playbooks/rule';

// Bound once: under tsx (CommonJS output) each call through a named import goes through a getter,
// which showed in the profile of the per-account hot path.
const { dayAtUtcHour, formatIsoDay, parseInstantMs, parseIsoDay, parseIsoDayAt, parseIsoDayIn, utcDay, MS_PER_DAY } = dates;
const { activeRules } = registry;
const { RuleContext: Context, taskKey } = ruleModule;
const { isUrgent, parseBacklog, taskRank, waitingSince } = workload;
const { sortInPlace } = sorting;

/**
 * Why a wanted piece of work was not planned today: already done (`ledger`), too soon (`cooldown`),
 * the company's open-task cap (`cap`), nobody to take it (`no_owner`), the play is switched off for the
 * segment (`off`), a digital touch is waiting for the customer (`awaiting_engagement`), the customer
 * engaged after the touch (`engaged`), another digital touch goes out today or went out in the last
 * `channels.minDaysBetweenTouches` days (`digital_busy`), or an
 * onboarding step's date passed more than `catchUpDays` ago without it (`missed`).
 */
export type SkipReason = 'ledger' | 'cooldown' | 'cap' | 'no_owner' | 'off' | 'awaiting_engagement' | 'engaged' | 'digital_busy' | 'missed';

export interface PlaybookPlan {
  tasks: PlannedTask[];
  /** At most one digital touch per company per run (the highest priority one). */
  touches: PlannedTouch[];
  skipped: { key: string; reason: SkipReason }[];
  /**
   * The plays with a cooldown that fire now, whatever became of them (planned, or held by the ledger
   * or the cooldown): with the ledger as written, `cooldownEndsOf` tells the first day one may fire
   * again, a day the clock alone brings (cs_cooldown_ends, read by an incremental run that day).
   */
  firing?: readonly FiringPlay[];
}

/** A play with a cooldown that fires now. */
export interface FiringPlay {
  playbook: string;
  cooldownDays: number;
}


const PRIORITY_RANK: Record<TaskPriority, number> = { HIGH: 3, MEDIUM: 2, LOW: 1 };

const KEY_LINE = /^Idempotency key: (cs:[^\s]+)\s*$/m;

/**
 * The idempotency key carried by a task body, or null when the task is not ours.
 * @example
 * extractTaskKey('Why…\nIdempotency key: cs:1:renewal:d90:2027-01-31') // 'cs:1:renewal:d90:2027-01-31'
 */
export function extractTaskKey(body: string | null | undefined): string | null {
  if (typeof body !== 'string') return null;
  // HubSpot may store the body as HTML: turn line breaks and tags into new lines first.
  const text = body.includes('<') ? body.replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|div)>/gi, '\n').replace(/<[^>]*>/g, '') : body;
  const m = KEY_LINE.exec(text);
  return m?.[1] ?? null;
}

export interface LedgerEntry {
  key: string;
  /** Creation day (UTC) when recorded; null for entries without a date. */
  createdOn: IsoDate | null;
  /** The CSM the task was given to, when recorded (`key@YYYY-MM-DD@ownerId`). */
  ownerId?: string;
}

/**
 * Where a (trimmed) ledger entry's key ends: the index of the `@` before its day, for `key@YYYY-MM-DD`
 * and `key@YYYY-MM-DD@ownerId`; -1 for a bare key (no day). No substring made.
 * @example
 * ledgerKeyEnd('cs:1:renewal:d60:2027-01-31@2026-12-02@7') // 26
 */
export function ledgerKeyEnd(entry: string): number {
  const at = entry.lastIndexOf('@');
  if (at <= 0) return -1;
  if (parseIsoDayAt(entry, at + 1) !== null) return at;
  const d = at - 11;
  return d > 0 && at + 1 < entry.length && entry.charCodeAt(d) === 64 /* @ */ && parseIsoDayIn(entry, d + 1) !== null ? d : -1;
}

/**
 * Parses ledger entries (`key@YYYY-MM-DD`, `key@YYYY-MM-DD@ownerId` or a bare key). Blank entries are dropped.
 * @example
 * parseLedger(['cs:1:usage_drop:alert:2026-W12@2026-03-18']) // [{ key: 'cs:1:usage_drop:alert:2026-W12', createdOn: '2026-03-18' }]
 * parseLedger(['cs:1:renewal:d60:2027-01-31@2026-12-02@7']) // [{ key: 'cs:1:renewal:d60:2027-01-31', createdOn: '2026-12-02', ownerId: '7' }]
 */
export function parseLedger(ledger: readonly string[]): LedgerEntry[] {
  const out: LedgerEntry[] = [];
  for (const raw of ledger) {
    const entry = raw.trim();
    if (entry.length === 0) continue;
    const end = ledgerKeyEnd(entry);
    if (end < 0) out.push({ key: entry, createdOn: null });
    else if (end + 11 === entry.length) out.push({ key: entry.slice(0, end), createdOn: entry.slice(end + 1) });
    else out.push({ key: entry.slice(0, end), createdOn: entry.slice(end + 1, end + 11), ownerId: entry.slice(end + 12) });
  }
  return out;
}

/**
 * Who took the company's latest task of ours that names its CSM (the newest day; on the same day the
 * later entry), or null: its series stays with them when they work, also once that task is completed.
 * @example
 * seriesOwnerOf(['cs:1:renewal:d90:2027-01-31@2026-11-02@7', 'cs:1:renewal:d60-digital:2027-01-31@2026-12-02']) // '7'
 */
export function seriesOwnerOf(ledger: readonly string[]): string | null {
  let best: string | null = null;
  let bestDay = -Infinity;
  for (const e of parseLedger(ledger)) {
    const day = e.ownerId === undefined ? null : parseIsoDay(e.createdOn);
    if (day !== null && day >= bestDay && e.ownerId !== undefined) {
      best = e.ownerId;
      bestDay = day;
    }
  }
  return best;
}

/**
 * Appends keys (created `now`, UTC day) to a ledger, skipping keys already present, keeping the newest
 * `maxEntries`; with `owners` (key → the CSM given the task), the entry names who took it.
 * @example
 * appendLedger([], ['cs:1:renewal:d90:2027-01-31'], new Date('2026-11-02T10:00:00Z'), 100)
 * // ['cs:1:renewal:d90:2027-01-31@2026-11-02']
 * appendLedger([], ['cs:1:renewal:d90:2027-01-31'], new Date('2026-11-02T10:00:00Z'), 100, new Map([['cs:1:renewal:d90:2027-01-31', '7']]))
 * // ['cs:1:renewal:d90:2027-01-31@2026-11-02@7']
 */
export function appendLedger(ledger: readonly string[], keys: readonly string[], now: Date, maxEntries: number, owners?: ReadonlyMap<string, string | null>): string[] {
  // Each kept entry is written back as parseLedger reads it, which is the trimmed entry itself.
  const out: string[] = [];
  for (let r = 0; r < ledger.length; r++) {
    const entry = (ledger[r] as string).trim();
    if (entry.length > 0) out.push(entry);
  }
  const kept = out.length;
  const day = formatIsoDay(utcDay(now));
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (entriesHoldKey(out, kept, k) || keys.indexOf(k) < i) continue;
    const owner = owners?.get(k)?.replace(/[@\s;]/g, '') ?? '';
    out.push(owner.length > 0 ? `${k}@${day}@${owner}` : `${k}@${day}`);
  }
  const max = Math.max(0, Math.floor(maxEntries));
  return out.length > max ? out.slice(out.length - max) : out;
}

/** Whether one of the first `n` (trimmed) entries has the key `k`, read as parseLedger reads it (in place). */
function entriesHoldKey(entries: readonly string[], n: number, k: string): boolean {
  for (let i = 0; i < n; i++) {
    const entry = entries[i] as string;
    const at = ledgerKeyEnd(entry);
    if (at > 0) {
      if (at === k.length && entry.startsWith(k)) return true;
    } else if (entry === k) return true;
  }
  return false;
}

function fmtValue(v: TextValue): string {
  if (v === null) return 'unknown';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(2);
  return String(v);
}

/** The planner's one rule context (see planPlaybooks). */
let sharedContext: RuleContext | null = null;

/**
 * Plans the playbook tasks for one account (pure; `now` decides the periods): runs the rules active
 * under the config (resolved once per config), then gates what they want.
 *
 * @example
 * const { tasks, skipped } = planPlaybooks({ account, segment, health, lifecycle, previous: { healthScore: 72, healthBand: 'healthy' }, owner: { ownerId: '7' }, config, now });
 * tasks[0].key // e.g. 'cs:123:usage_drop:alert:2026-W25'
 */
export function planPlaybooks(input: PlaybookInput): PlaybookPlan {
  // One context for every account (reset, not rebuilt): the core is synchronous, and nothing a plan
  // returns refers to the context or its candidates.
  let ctx = sharedContext;
  if (ctx === null) ctx = sharedContext = new Context(input);
  else ctx.reset(input);
  const rules = activeRules(input.config);
  for (let i = 0; i < rules.length; i++) {
    const a = rules[i] as ActiveRule;
    ctx.current = a;
    a.rule.trigger(ctx, a.settings);
  }
  const plan = finalise(ctx, input);
  const missed = ctx.missed;
  if (missed !== null) for (const key of missed) plan.skipped.push({ key, reason: rawLedgerHas(input.account.playbookLedger, key) ? 'ledger' : 'missed' });
  return plan;
}

/** `key.split(':')[n]` without the array. */
function field(key: string, n: number): string | undefined {
  let from = 0;
  for (let i = 0; i < n; i++) {
    const at = key.indexOf(':', from);
    if (at < 0) return undefined;
    from = at + 1;
  }
  const end = key.indexOf(':', from);
  return end < 0 ? key.slice(from) : key.slice(from, end);
}

/** The step of a key `cs:<id>:<playbook>:<step>:<period>` (its fourth field). */
function stepOf(key: string): string {
  return field(key, 3) ?? '';
}

/** The channel of a candidate for the account's segment (a play not configured is a human task). */
function channelOf(c: Candidate, input: PlaybookInput): Channel {
  const seg = input.segment.segment;
  const plays = input.config.channels.plays;
  // The rule's own play was read with its settings (`c.playbook` is the rule's id).
  return (c.play !== null ? plays[c.play]?.[seg] : undefined) ?? c.active.plays?.[seg] ?? 'task';
}

function touchTypeOf(c: Candidate, config: PlaybookInput['config']): string {
  const t = config.channels.touchTypes;
  return (c.play !== null ? t[c.play] : undefined) ?? c.active.touchType ?? 'check_in';
}

/** The step and period of a key `cs:<id>:<playbook>:<step>:<period>`. */
function stepAndPeriod(key: string): { step: string; period: string } {
  const parts = key.split(':');
  return { step: parts[3] ?? '', period: parts.slice(4).join(':') };
}

const DIGITAL_SUFFIX = '-digital';
const CALL_SUFFIX = '-call';

/**
 * Whether a ledger key is a digital touch (an automated 1:many email), not a task for a person.
 * @example isDigitalTouchKey('cs:1:nps_detractor:risk-digital:2026-11-01') // true
 */
export function isDigitalTouchKey(key: string): boolean {
  return stepOf(key).endsWith(DIGITAL_SUFFIX);
}

/**
 * The first day after `today` on which a digital touch in the ledger comes due for its follow-up
 * (a task for a person when the customer has not engaged): the day of each playbook's latest touch
 * plus `followUpDays`, when that touch's follow-up (its `-call` key) is not in the ledger yet. Null
 * when none is pending. Stored on the company, it lets an incremental run come back on that day:
 * the company's latest touch alone does not tell (touches go out one a day, so a company touched on
 * Monday and Wednesday has Monday's follow-up due before Wednesday's).
 *
 * @example
 * nextFollowUpDay(['cs:1:usage_drop:alert-digital:2026-W48@2026-11-23', 'cs:1:no_login:reengage-digital:2026-W48@2026-11-25'], 7, utcDay('2026-11-24'))
 * // utcDay('2026-11-30')
 */
export function nextFollowUpDay(ledger: readonly string[], followUpDays: number, today: number): number | null {
  const entries = parseLedger(ledger);
  const latest = new Map<string, { day: number; key: string }>();
  const keys = new Set<string>();
  for (const e of entries) {
    keys.add(e.key);
    if (!stepOf(e.key).endsWith(DIGITAL_SUFFIX)) continue;
    const day = parseIsoDay(e.createdOn);
    if (day === null) continue;
    const playbook = field(e.key, 2) ?? '';
    const seen = latest.get(playbook);
    if (seen === undefined || day >= seen.day) latest.set(playbook, { day, key: e.key });
  }
  let next: number | null = null;
  for (const { day, key } of latest.values()) {
    const due = day + followUpDays;
    if (due <= today) continue;
    const { step, period } = stepAndPeriod(key);
    const callKey = `${key.slice(0, key.length - step.length - period.length - 1)}${step.slice(0, -DIGITAL_SUFFIX.length)}${CALL_SUFFIX}:${period}`;
    if (keys.has(callKey)) continue;
    if (next === null || due < next) next = due;
  }
  return next;
}

/** Highest priority first, then the rules' order. */
function byPriority(a: Candidate, b: Candidate): number {
  return PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority] || a.order - b.order;
}


/*
 * The ledger as parseLedger reads it, in flat scratch arrays shared by every call (the core is
 * synchronous and `finalise` reads them only before it returns; ledgers are short: a linear scan
 * beats a Set and a Map). Entries at `ledgerLength` and beyond are left over from earlier accounts.
 */
const ledgerKeys: string[] = [];
/** Each entry's playbook (the key's third field). */
const ledgerPlaybooks: (string | undefined)[] = [];
/** Each entry's creation day, null when undated. */
const ledgerDays: (number | null)[] = [];
let ledgerLength = 0;

function readLedger(ledger: readonly string[]): void {
  let n = 0;
  for (let r = 0; r < ledger.length; r++) {
    const entry = (ledger[r] as string).trim();
    if (entry.length === 0) continue;
    // As ledgerKeyEnd reads it, the day parsed once: `key@day`, then `key@day@owner`.
    let at = entry.lastIndexOf('@');
    let created = at > 0 ? parseIsoDayAt(entry, at + 1) : null;
    if (created === null && at > 11 && at + 1 < entry.length && entry.charCodeAt(at - 11) === 64 /* @ */) {
      at -= 11;
      created = parseIsoDayIn(entry, at + 1);
    }
    const key = created !== null ? entry.slice(0, at) : entry;
    ledgerKeys[n] = key;
    ledgerPlaybooks[n] = field(key, 2);
    ledgerDays[n] = created;
    n++;
  }
  ledgerLength = n;
}

function ledgerHas(key: string): boolean {
  for (let i = 0; i < ledgerLength; i++) if (ledgerKeys[i] === key) return true;
  return false;
}

/** The latest creation day of a playbook's entries. */
function lastOf(playbook: string): number | undefined {
  let last: number | undefined;
  for (let i = 0; i < ledgerLength; i++) {
    const d = ledgerDays[i];
    if (d !== null && d !== undefined && ledgerPlaybooks[i] === playbook && (last === undefined || d > last)) last = d;
  }
  return last;
}

/**
 * The first day one of the `firing` plays may fire again by the ledger as written (its latest entry
 * of that play + its cooldown, when that is after `today`), or null.
 * @example
 * cooldownEndsOf(['cs:1:risk_escalation:escalate:2026-W49@2026-12-01'], [{ playbook: 'risk_escalation', cooldownDays: 30 }], <2026-12-05>) // <2026-12-31>
 */
export function cooldownEndsOf(ledger: readonly string[], firing: readonly FiringPlay[], today: number): number | null {
  if (firing.length === 0 || ledger.length === 0) return null;
  readLedger(ledger);
  let ends: number | null = null;
  for (const f of firing) {
    const last = lastOf(f.playbook);
    if (last === undefined || last + f.cooldownDays <= today) continue;
    if (ends === null || last + f.cooldownDays < ends) ends = last + f.cooldownDays;
  }
  return ends;
}

/**
 * `cooldownEndsOf` once the day's dispatch has created tasks of `playbooks` today: each starts its
 * play's cooldown (`playbooks.rules.<id>.cooldownDays`), so the earliest of `current` and today + that.
 * @example
 * cooldownEndsAfterCreating(null, ['risk_escalation'], defaultConfig(), 20_000) // 20_030
 */
export function cooldownEndsAfterCreating(current: number | null, playbooks: readonly string[], config: Config, today: number): number | null {
  let ends = current;
  const rules = config.playbooks.rules as Record<string, { cooldownDays?: number } | undefined>;
  for (const p of playbooks) {
    const days = Object.prototype.hasOwnProperty.call(rules, p) ? (rules[p]?.cooldownDays ?? 0) : 0;
    if (days > 0 && (ends === null || today + days < ends)) ends = today + days;
  }
  return ends;
}

/** The latest digital touch of a playbook in the ledger: its index, or -1. */
function lastTouchOf(playbook: string): number {
  let best = -1;
  for (let i = 0; i < ledgerLength; i++) {
    const d = ledgerDays[i];
    if (d === null || d === undefined || ledgerPlaybooks[i] !== playbook || !stepOf(ledgerKeys[i] as string).endsWith(DIGITAL_SUFFIX)) continue;
    if (best < 0 || d > (ledgerDays[best] as number)) best = i;
  }
  return best;
}

/** Whether a digital touch in the ledger was written in the `days` days up to `today` (today − days + 1 … today). */
function touchedWithin(today: number, days: number): boolean {
  for (let i = 0; i < ledgerLength; i++) {
    const d = ledgerDays[i];
    if (d === null || d === undefined || d > today || d <= today - days) continue;
    if (stepOf(ledgerKeys[i] as string).endsWith(DIGITAL_SUFFIX)) return true;
  }
  return false;
}

/** Whether a raw ledger holds `key` (dated `key@…` or bare), as the missed steps are checked. */
function rawLedgerHas(ledger: readonly string[], key: string): boolean {
  const n = key.length;
  for (let i = 0; i < ledger.length; i++) {
    const e = ledger[i] as string;
    if (e === key || (e.length > n && e.charCodeAt(n) === 64 /* @ */ && e.startsWith(key))) return true;
  }
  return false;
}

/**
 * Whether the customer engaged after a digital touch written on `touchDay`: after the exact instant
 * of `cs_digital_touch_at` when it is that touch (the company's latest, written that day: one touch
 * a day), else from the start of its day (an older touch, or the instant not read). The planner's
 * follow-up and the cockpit's answered / unanswered count both read it.
 *
 * @example
 * engagedAfterTouch(Date.parse('2026-11-20T08:00:00Z'), 20777, '2026-11-20T10:00:00Z') // false: before the touch
 */
export function engagedAfterTouch(engagedMs: number, touchDay: number, touchAt: string | null | undefined): boolean {
  const at = touchAt === undefined || touchAt === null ? null : parseInstantMs(touchAt);
  if (at !== null && Math.floor(at / MS_PER_DAY) === touchDay) return engagedMs > at;
  return engagedMs >= touchDay * MS_PER_DAY;
}

/** The words of a planned candidate; a follow-up says the digital touch went unanswered. */
function wordsOf(ctx: RuleContext, c: Candidate): RuleText {
  const t = ctx.textOf(c);
  const touchDay = c.followUpDay;
  if (touchDay === null) return t;
  const waited = ctx.today - touchDay;
  return {
    subject: `${t.subject}, no response ${waited} days after the digital touch`,
    why: `${t.why} A digital touch went out on ${formatIsoDay(touchDay)} and the customer has not engaged since (no contact, activity or engagement recorded in ${waited} days; follow-up after ${ctx.config.channels.followUpDays}).`,
    values: t.values,
  };
}

/** What a deferred task's words are built from: the planner's input for its account and a copy of its candidate. */
interface Pending extends DeferredTexts {
  input: PlaybookInput;
  candidate: Candidate;
}

/** The trigger of a task whose words are deferred (read through `withTaskTexts`, never written). */
const NO_TRIGGER: PlannedTask['trigger'] = Object.freeze({ rule: '', values: Object.freeze({}) as PlannedTask['trigger']['values'] }) as PlannedTask['trigger'];

/** A planned task's words: subject, body (what to do, why, the values, the account's context, the key) and trigger. */
function taskTexts(ctx: RuleContext, c: Candidate, input: PlaybookInput, step: string): Pick<PlannedTask, 'subject' | 'body' | 'trigger'> {
  const { account, config } = input;
  const title = c.active.rule.title;
  const words = wordsOf(ctx, c);
  let valueText = '';
  const values = words.values;
  for (const k in values) valueText += `${valueText.length > 0 ? ', ' : ''}${k} ${fmtValue(values[k] as TextValue)}`;
  const action = config.playbooks.actions[c.play ?? c.playbook] ?? config.playbooks.actions[c.playbook] ?? null;
  const who = account.name ?? `company ${account.id}`;
  const context = `Segment: ${input.segment.segment}; health: ${input.health.score ?? 'unknown'} (${input.health.band}); lifecycle: ${input.lifecycle.stage}.`;
  return {
    subject: `${title}: ${words.subject} — ${who}`,
    body: `${action !== null ? `What to do: ${action}\n` : ''}Why: ${words.why}\nValues: ${valueText}.\n${context}\n${title} (${c.playbook}/${step}) for ${who}.\nIdempotency key: ${c.key}`,
    trigger: { rule: `${c.playbook}: ${words.why}`, values },
  };
}

/**
 * The task with its words built, when its evaluation deferred them (`texts: 'deferred'`, as the
 * sweep evaluates: most planned work waits in the backlog and is never written); the task itself
 * otherwise. The words are exactly those an evaluation that builds them now gives.
 * @example
 * const ev = evaluateAccount(account, { ...ctx, texts: 'deferred' });
 * withTaskTexts(ev.tasks[0]).subject // 'Renewal: renewal in 60 days (2027-01-31) — Acme'
 */
export function withTaskTexts<T extends PlannedTask>(task: T): T {
  const pending = task.deferredTexts as Pending | undefined;
  if (pending === undefined) return task;
  const { deferredTexts: _pending, ...rest } = task;
  return { ...rest, ...taskTexts(new Context(pending.input), pending.candidate, pending.input, task.step) } as T;
}

/**
 * The digital touch with its words (`why`) built, when its evaluation deferred them (the sweep
 * writes a touch's type and time, not its words); the touch itself otherwise.
 * @example
 * withTouchTexts(evaluateAccount(account, { ...ctx, texts: 'deferred' }).touches[0]).why // 'No touch in 45+ days: …'
 */
export function withTouchTexts(touch: PlannedTouch): PlannedTouch {
  const pending = touch.deferredTexts as Pending | undefined;
  if (pending === undefined) return touch;
  const { deferredTexts: _pending, ...rest } = touch;
  return { ...rest, why: wordsOf(new Context(pending.input), pending.candidate).why };
}

function finalise(ctx: RuleContext, input: PlaybookInput): PlaybookPlan {
  const { account, config, owner } = input;
  const today = ctx.today;
  const candidates = ctx.candidates;
  const count = ctx.count;
  const skipped: PlaybookPlan['skipped'] = [];
  if (count === 0) return { tasks: [], touches: [], skipped };

  readLedger(account.playbookLedger);
  const engagedMs = parseInstantMs(account.lastEngagedAt ?? null);
  const ch = config.channels;

  const ready: Candidate[] = [];
  let digitalCount = 0;
  const firing: FiringPlay[] = [];
  for (let n = 0; n < count; n++) {
    const c = candidates[n] as Candidate;
    const channel = channelOf(c, input);
    if (channel === 'off') {
      skipped.push({ key: taskKey(account.id, c.playbook, c.step, c.period), reason: 'off' });
      continue;
    }
    // A play that fires (whatever becomes of it below) comes again once its cooldown ends.
    if (c.cooldownDays > 0) {
      let known = false;
      for (let f = 0; f < firing.length && !known; f++) known = (firing[f] as FiringPlay).playbook === c.playbook;
      if (!known) firing.push({ playbook: c.playbook, cooldownDays: c.cooldownDays });
    }
    let key: string;
    let human: boolean;
    if (channel === 'task') {
      key = taskKey(account.id, c.playbook, c.step, c.period);
      human = true;
    } else {
      if (channel === 'digital_then_task') {
        const t = lastTouchOf(c.playbook);
        const touchDay = t < 0 ? 0 : (ledgerDays[t] as number);
        if (t >= 0 && today - touchDay < ch.followUpWindowDays) {
          const { step, period } = stepAndPeriod(ledgerKeys[t] as string);
          const callKey = taskKey(account.id, c.playbook, `${step.slice(0, -DIGITAL_SUFFIX.length)}${CALL_SUFFIX}`, period);
          if (ledgerHas(callKey)) skipped.push({ key: callKey, reason: 'ledger' });
          else if (today - touchDay < ch.followUpDays) skipped.push({ key: callKey, reason: 'awaiting_engagement' });
          else if (engagedMs !== null && engagedAfterTouch(engagedMs, touchDay, account.digitalTouchAt)) skipped.push({ key: callKey, reason: 'engaged' });
          else {
            c.key = callKey;
            c.human = true;
            c.followUpDay = touchDay;
            ready.push(c);
          }
          continue;
        }
      }
      key = taskKey(account.id, c.playbook, `${c.step}${DIGITAL_SUFFIX}`, c.period);
      human = false;
    }
    // The usual gate: not already in the ledger, not within the play's cooldown.
    if (ledgerHas(key)) {
      skipped.push({ key, reason: 'ledger' });
      continue;
    }
    if (c.cooldownDays > 0) {
      const last = lastOf(c.playbook);
      if (last !== undefined && today - last < c.cooldownDays) {
        skipped.push({ key, reason: 'cooldown' });
        continue;
      }
    }
    c.key = key;
    c.human = human;
    if (!human) digitalCount++;
    ready.push(c);
  }

  // Digital: one touch per company per run (one property), the most important first.
  const touches: PlannedTouch[] = [];
  if (digitalCount > 0) {
    const digital: Candidate[] = [];
    for (let n = 0; n < ready.length; n++) if (!(ready[n] as Candidate).human) digital.push(ready[n] as Candidate);
    sortInPlace(digital, byPriority);
    // …and one per `minDaysBetweenTouches` days: a touch written in that time holds the others.
    const touchedRecently = touchedWithin(today, ch.minDaysBetweenTouches);
    for (let n = 0; n < digital.length; n++) {
      const c = digital[n] as Candidate;
      if (touches.length > 0 || touchedRecently) {
        skipped.push({ key: c.key, reason: 'digital_busy' });
        continue;
      }
      const touch: PlannedTouch = { accountId: account.id, key: c.key, playbook: c.playbook, touchType: touchTypeOf(c, config), why: input.texts === 'deferred' ? '' : wordsOf(ctx, c).why };
      if (input.texts === 'deferred') touch.deferredTexts = { deferredTexts: true, input, candidate: { ...c } } as Pending;
      touches.push(touch);
    }
  }

  // Human work: the rest, when there is any.
  if (ready.length === digitalCount) return { tasks: [], touches, skipped, ...(firing.length > 0 ? { firing } : {}) };
  const human: Candidate[] = digitalCount === 0 ? ready : [];
  if (digitalCount > 0) for (let n = 0; n < ready.length; n++) if ((ready[n] as Candidate).human) human.push(ready[n] as Candidate);
  if (owner === null) {
    for (const c of human) skipped.push({ key: c.key, reason: 'no_owner' });
    return { tasks: [], touches, skipped, ...(firing.length > 0 ? { firing } : {}) };
  }
  const tasks: PlannedTask[] = [];

  sortInPlace(human, byPriority);
  const open = account.openCsTasks !== null && Number.isFinite(account.openCsTasks) && account.openCsTasks > 0 ? account.openCsTasks : 0;
  let room = Math.max(0, config.playbooks.openTaskCap - open);
  const ownerId = 'ownerId' in owner ? owner.ownerId : null;
  const queueId = 'queueId' in owner ? owner.queueId : null;
  const deferred = input.texts === 'deferred';
  const todayIso: IsoDate = formatIsoDay(today);
  const backlog = parseBacklog(account.playbookBacklog, todayIso);
  const renewal = parseIsoDay(account.renewalDate);
  const daysToRenewal = renewal !== null && renewal >= today ? renewal - today : null;
  for (const c of human) {
    // The onboarding schedule is one plan: its steps are not blocked by the open-task cap (13.5).
    const capped = c.playbook !== 'onboarding';
    if (capped && room <= 0) {
      skipped.push({ key: c.key, reason: 'cap' });
      continue;
    }
    if (capped) room--;
    const step = stepOf(c.key);
    const words = deferred ? null : taskTexts(ctx, c, input, step);
    const since = waitingSince(backlog, c.key, todayIso);
    const task: PlannedTask = {
      accountId: account.id,
      key: c.key,
      playbook: c.playbook,
      step,
      subject: words === null ? '' : words.subject,
      body: words === null ? '' : words.body,
      dueAt: dayAtUtcHour(Math.max(c.dueDay, today), config.playbooks.dueHourUtc),
      priority: c.priority,
      ownerId,
      queueId,
      trigger: words === null ? NO_TRIGGER : words.trigger,
      rank: taskRank({ priority: c.priority, band: input.health.band, acv: account.acv, daysToRenewal, daysWaiting: today - (parseIsoDay(since) ?? today) }, config),
      urgent: isUrgent({ playbook: c.playbook, daysToRenewal, segment: input.segment.segment, band: input.health.band }, config),
      waitingSince: since,
      dueDay: Math.max(c.dueDay, today),
    };
    // The candidate is the planner's scratch (reused for the next account): the words get a copy.
    if (deferred) task.deferredTexts = { deferredTexts: true, input, candidate: { ...c } } as Pending;
    tasks.push(task);
  }
  return { tasks, touches, skipped, ...(firing.length > 0 ? { firing } : {}) };
}
