/**
 * Builds what the company card shows (`CardData`) for one company, dry: nothing is written.
 * HubSpot calls (`CrmPort.readCompanyCard`): one company read with its score and summary history
 * and its associated ids, in parallel with the active owners (cached across calls); then one batch
 * read per associated type (tasks, tickets), in parallel; the archived owners only when a name
 * shown is not among the active ones. The contacts are not read here: the card has them from
 * HubSpot's `useAssociations` hook. The core evaluates it with the same rules as the sweep.
 */
import {
  createAssignmentState,
  isOwnerUsable,
  evaluateAccount,
  healthTrend,
  computeLifecycle,
  PLAYBOOK_TITLES,
  SIGNAL_LABELS,
  parseLedger,
  planPlaybooks,
  MS_PER_DAY,
  parseInstantMs,
  parseIsoDay,
  formatIsoDay,
  type PlaybookId,
  type SkipReason,
  type Config,
  type SignalId,
  type Account,
  type HealthBand,
  type HistoryPoint,
  type OpenTask,
  type PlannedTask,
  type Segment,
} from '../core';
import type { CardData, CardOnboardingStep, CardScoreChange, CardSignal, CardTask, CardTrigger, FunctionResult } from './card-data';
import type { AppDeps } from './deps';
import { hasNoData, missingData } from './missing-data';
import { ownerName } from './owner-name';

/** Recent triggers shown on the card (newest first). */
export const RECENT_TRIGGERS_MAX = 5;

function isPlaybookId(value: string): value is PlaybookId {
  return Object.prototype.hasOwnProperty.call(PLAYBOOK_TITLES, value);
}

/** `cs:<account>:<playbook>:<step>:<period>` → its parts; null for a key we did not write. */
export function parseTaskKey(key: string): { playbook: string; step: string; period: string } | null {
  const m = /^cs:[^:]+:([^:]+):([^:]+):(.+)$/.exec(key);
  if (!m || m[1] === undefined || m[2] === undefined || m[3] === undefined) return null;
  return { playbook: m[1], step: m[2], period: m[3] };
}

/**
 * The last triggers that fired (from the ledger), with the rule and the values. The values are
 * recovered by planning the account again with an empty ledger: a condition that still holds for
 * the same period gives the same key, and with it the rule and today's values. When it no longer
 * holds (or was an edge such as a band change), the card gets the playbook, step, period and the
 * task's subject when the task is still open.
 */
function recentTriggers(account: Account, replanned: readonly PlannedTask[], open: readonly OpenTask[]): CardTrigger[] {
  const planned = new Map(replanned.map((t) => [t.key, t]));
  const openByKey = new Map(open.filter((t) => t.key !== null).map((t) => [t.key as string, t]));
  const entries = parseLedger(account.playbookLedger).reverse().slice(0, RECENT_TRIGGERS_MAX);
  return entries.map((e) => {
    const parts = parseTaskKey(e.key);
    const playbook = parts?.playbook ?? 'unknown';
    const firedAt = e.createdOn === null ? null : `${e.createdOn}T00:00:00.000Z`;
    const same = planned.get(e.key);
    if (same) return { key: e.key, playbook, rule: ruleInWords(playbook, same.trigger.rule), values: same.trigger.values, firedAt };
    const title = isPlaybookId(playbook) ? PLAYBOOK_TITLES[playbook] : playbook;
    const task = openByKey.get(e.key);
    const rule = task ? task.subject : `${title}${parts ? ` (${parts.step})` : ''}`;
    return { key: e.key, playbook, rule, values: parts ? { step: parts.step, period: parts.period } : {}, firedAt };
  });
}

/** A rule id prefix (`nps_detractor: …`) becomes the playbook's title (`NPS detractor: …`). */
export function ruleInWords(playbook: string, rule: string): string {
  const title = isPlaybookId(playbook) ? PLAYBOOK_TITLES[playbook] : playbook;
  return rule.startsWith(`${playbook}: `) ? `${title}: ${rule.slice(playbook.length + 2)}` : rule;
}


/** Why a due onboarding step was not planned today, in words a CSM reads (`missed` is a skip for good). */
function stepHeldBack(reason: SkipReason, catchUpDays: number): { state: 'skipped' | 'waiting'; reason: string } {
  switch (reason) {
    case 'missed':
      return { state: 'skipped', reason: `no task was created within ${catchUpDays} ${catchUpDays === 1 ? 'day' : 'days'} of its day (e.g. the app first saw this customer later), so the app no longer creates it` };
    case 'off':
      return { state: 'skipped', reason: 'onboarding steps are switched off for this segment in the settings' };
    case 'no_owner':
      return { state: 'waiting', reason: 'nobody can take it: no onboarding CSM or pool member is available' };
    case 'cap':
      return { state: 'waiting', reason: 'the company already has its maximum of open CS tasks' };
    case 'cooldown':
      return { state: 'waiting', reason: 'a task of the same play was created recently' };
    case 'awaiting_engagement':
      return { state: 'waiting', reason: 'an email went out: waiting for the customer to respond before a call' };
    case 'engaged':
      return { state: 'skipped', reason: 'the customer responded to the email, so no call is needed' };
    case 'digital_busy':
      return { state: 'waiting', reason: 'another email went to this customer recently: this one waits its turn' };
    case 'ledger':
      return { state: 'skipped', reason: 'already done' };
  }
}

/**
 * The onboarding plan's steps and where each stands, from what the card already read: the ledger
 * (created), the open tasks (open), the dry run's tasks, touches and skips (due, skipped and why), and
 * the start date (upcoming). Empty when not onboarding or without a start date.
 */
export function onboardingSteps(args: {
  accountId: string;
  stage: string;
  startDate: string | null;
  ledger: readonly string[];
  open: readonly OpenTask[];
  dryRun: { tasks: readonly { key: string }[]; touches: readonly { key: string }[]; skipped: readonly { key: string; reason: SkipReason }[] };
  onboarding: Config['playbooks']['onboarding'];
  today: number;
}): CardOnboardingStep[] {
  const { onboarding: ob } = args;
  if (!ob.enabled || (args.stage !== 'onboarding' && args.stage !== 'onboarding_overdue')) return [];
  const start = parseIsoDay(args.startDate);
  if (start === null) return [];
  const period = formatIsoDay(start);
  // A step's keys: `<step>` for a task, `<step>-digital` / `<step>-call` for the digital channels.
  const isStep = (key: string, step: string): boolean => {
    const parts = parseTaskKey(key);
    return parts !== null && parts.playbook === 'onboarding' && parts.period === period && (parts.step === step || parts.step.startsWith(`${step}-`)) && key.startsWith(`cs:${args.accountId}:`);
  };
  const ledgerKeys = parseLedger(args.ledger).map((e) => e.key);
  return ob.steps.map((s) => {
    const due = start + s.day;
    const base = { step: s.step, day: s.day, subject: s.subject, dueDate: formatIsoDay(due), reason: null, taskDueAt: null };
    const open = args.open.find((t) => t.key !== null && isStep(t.key, s.step));
    if (open) return { ...base, state: 'open', taskDueAt: open.dueAt };
    if (ledgerKeys.some((k) => isStep(k, s.step))) return { ...base, state: 'done' };
    if ([...args.dryRun.tasks, ...args.dryRun.touches].some((t) => isStep(t.key, s.step))) return { ...base, state: 'due' };
    const skip = args.dryRun.skipped.find((k) => isStep(k.key, s.step) && k.reason !== 'ledger');
    if (skip) return { ...base, ...stepHeldBack(skip.reason, ob.catchUpDays) };
    if (args.today < due) return { ...base, state: 'upcoming' };
    // Past the catch-up window without a task: the planner's `missed`, whatever the dry run saw.
    if (args.today - due > ob.catchUpDays) return { ...base, ...stepHeldBack('missed', ob.catchUpDays) };
    return { ...base, state: 'due' };
  });
}

function bandOf(score: number, config: Config): Exclude<HealthBand, 'unknown'> {
  if (score >= config.health.bands.healthy) return 'healthy';
  if (score >= config.health.bands.watch) return 'watch';
  return 'at_risk';
}

/**
 * Whether the unknown signals matter: with their configured weight at 0 or at 100, would the band
 * differ? Healthy accounts with no NPS answer stay quiet; a watch account one answer away from at
 * risk does not.
 *
 * @example
 * unknownMatters(92, 0.85, config) // false: 78–93, healthy either way
 */
export function unknownMatters(score: number | null, knownShare: number, config: Config): boolean {
  if (score === null) return true;
  if (knownShare >= 1) return false;
  const low = score * knownShare;
  const high = low + 100 * (1 - knownShare);
  return bandOf(Math.round(low), config) !== bandOf(Math.round(high), config);
}

/**
 * Whether the last sweep counted the company's tickets as evidence, from the health summary it
 * wrote: support tickets named unknown (or missing, without a score) → false, as when the sweep
 * judged that the portal does not link tickets to companies; any other summary → true; no summary
 * (never scored) → null (the portal is asked). The card's "0 open tickets" is then evidence exactly
 * when the sweep judged it so, without asking the portal on the card's path.
 *
 * @example
 * ticketsCountedBySweep('71/100 healthy, coverage 80%. Unknown: usage trend, support tickets.') // false
 */
export function ticketsCountedBySweep(summary: string | null): boolean | null {
  if (summary === null || summary.trim() === '') return null;
  const tickets = SIGNAL_LABELS.tickets.toLowerCase();
  for (const m of summary.matchAll(/(?:^|\s)(?:Unknown|Missing): ([^.]*)\./g)) {
    if ((m[1] ?? '').split(',').some((label) => label.trim().toLowerCase() === tickets)) return false;
  }
  return true;
}

function configuredWeights(config: Config, segment: Segment): Record<SignalId, number> {
  const w = config.health.weights[segment];
  const total = Object.values(w).reduce((a, b) => a + b, 0);
  const out = {} as Record<SignalId, number>;
  for (const [id, v] of Object.entries(w) as [SignalId, number][]) out[id] = total > 0 ? v / total : 0;
  return out;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** The causes of a score from the summary written with it: its "Weak: …" part, else the rest of it. */
export function causesFromSummary(summary: string | null): string | null {
  if (summary === null) return null;
  const weak = /Weak: ([^.]*(?:\.\d[^.]*)*)\./.exec(summary);
  if (weak?.[1]) return weak[1].trim();
  const rest = summary.replace(/^\s*\d+\/100[^.]*\.\s*/, '').trim();
  return rest === '' ? null : rest;
}

/**
 * Score changes with their causes, newest first: each value of cs_health_score with the
 * cs_health_summary HubSpot recorded at or just before it (the sweep writes both in one update).
 */
export function scoreChanges(scores: readonly HistoryPoint[], summaries: readonly { value: string; at: string }[], max: number): CardScoreChange[] {
  const oldestFirst = [...scores].sort((a, b) => a.at.localeCompare(b.at));
  const sums = [...summaries].sort((a, b) => a.at.localeCompare(b.at));
  const out: CardScoreChange[] = [];
  let prev: number | null = null;
  for (const p of oldestFirst) {
    let summary: string | null = null;
    for (const s of sums) if (s.at <= p.at) summary = s.value;
    out.push({ at: p.at, score: p.value, delta: prev === null ? null : p.value - prev, causes: causesFromSummary(summary) });
    prev = p.value;
  }
  // Only real changes (and the first known value) are history.
  return out.filter((c) => c.delta !== 0).reverse().slice(0, max);
}

/**
 * Card data for one company.
 *
 * @example
 * const r = await buildCardData(deps, '4021');
 * if (r.ok) console.log(r.data.health.score, r.data.facts.daysToRenewal);
 */
export async function buildCardData(deps: AppDeps, companyId: string): Promise<FunctionResult<CardData>> {
  const { crm, config, configVersion } = deps;
  const now = deps.now();
  // The active owners in the company read's round trip; the archived ones (removed users) only when
  // a name the card shows is not among them: one owners call on a cold load instead of two.
  const split = crm.listActiveOwners !== undefined && crm.listArchivedOwners !== undefined;
  const [read, active] = await Promise.all([crm.readCompanyCard(companyId, { ticketsLinkedKnown: (a) => ticketsCountedBySweep(a.healthSummary) }), split ? (crm.listActiveOwners?.() ?? crm.listOwners()) : crm.listOwners()]);
  if (read === null) return { ok: false, error: { code: 'not_found', message: `No company with id ${companyId} in HubSpot (deleted, merged or never existed)` } };
  let owners = active;
  if (split) {
    const known = new Set(active.map((o) => o.id));
    const shown = [read.accountOwnerId, read.account.onboardingCsmId, ...read.openTasks.map((t) => t.ownerId)];
    if (shown.some((id) => id !== null && !known.has(id))) {
      const archived = (await crm.listArchivedOwners?.()) ?? [];
      owners = [...active, ...archived.filter((o) => !known.has(o.id))];
    }
  }

  // Tickets are evidence only when the portal links tickets to companies: for a company with no
  // ticket at all, as the last sweep judged (its health summary), else asked once per port; value
  // ages from history only when configured.
  const linked = read.ticketsTotal > 0 ? true : (read.ticketsLinked ?? (crm.ticketsLinked ? await crm.ticketsLinked() : true));
  const withHistory = config.health.staleness.valueHistory;
  const account: Account = {
    ...read.account,
    ...(linked ? {} : { openTickets: null, highPriorityTickets: null, urgentTickets: null }),
    ...(withHistory ? {} : { usageValueAt: null, npsValueAt: null }),
  };
  const open = read.openTasks;
  const history = read.scoreHistory;
  const byId = new Map(owners.map((o) => [o.id, o]));
  const state = createAssignmentState({ members: config.pool.members, owners });
  const ev = evaluateAccount(account, { config, configVersion, now, assignment: state, history });
  // What the CSM sees is the stored assignment, not the dry run's pick.
  const lifecycle = computeLifecycle(account, config, now, ev.health.score);
  const trend = healthTrend(history, now, config);
  const replanned = planPlaybooks({
    account: { ...account, playbookLedger: [], openCsTasks: 0 },
    segment: ev.segment,
    health: ev.health,
    lifecycle: ev.lifecycle,
    previous: { healthScore: account.healthScore, healthBand: account.healthBand },
    trend: ev.trend,
    owner: { ownerId: 'card' },
    config,
    now,
  }).tasks;
  const triggers = recentTriggers(account, replanned, open);
  const planned = new Map(replanned.map((t) => [t.key, t]));
  const triggerByKey = new Map(triggers.map((t) => [t.key, t]));

  const today = Math.floor(now.getTime() / MS_PER_DAY);

  const openTasks: CardTask[] = [...open]
    .sort((a, b) => (a.dueAt ?? '\uffff').localeCompare(b.dueAt ?? '\uffff'))
    .map((task) => {
      const dueMs = parseInstantMs(task.dueAt);
      const same = task.key === null ? undefined : planned.get(task.key);
      const fired = task.key === null ? undefined : triggerByKey.get(task.key);
      const why = same ? ruleInWords(same.playbook, same.trigger.rule) : (fired?.rule ?? null);
      return {
        id: task.id,
        subject: task.subject,
        dueAt: task.dueAt,
        priority: task.priority,
        ownerName: task.ownerId === null ? null : ownerName(byId.get(task.ownerId), task.ownerId),
        queueId: task.queueIds[0] ?? null,
        // The subject already says it when the rule no longer holds: no second line saying the same.
        why: why === task.subject ? null : why,
        overdueDays: dueMs === null ? 0 : Math.max(0, today - Math.floor(dueMs / MS_PER_DAY)),
        linkedContactIds: [...(read.taskContactIds?.[task.id] ?? [])],
      };
    });

  const weights = configuredWeights(config, ev.segment.segment);
  const signals: CardSignal[] = ev.health.contributions.map((c) => ({
    id: c.id,
    label: c.label,
    weight: c.weight,
    configuredWeight: weights[c.id],
    normalized: c.normalized,
    contribution: c.contribution,
    // Its share of the score times what it misses of 100 (a signal at 100 loses nothing, whatever the rounding).
    pointsLost: c.normalized === null ? 0 : Math.max(0, round1(c.weight * (100 - c.normalized))),
    raw: c.raw,
    status: c.status,
    note: c.note,
  }));
  const knownShare = signals.filter((s) => s.status !== 'unknown').reduce((a, s) => a + s.configuredWeight, 0);

  const renewalDay = parseIsoDay(account.renewalDate);
  const touchMs = parseInstantMs(account.lastContactedAt);
  const graduated = lifecycle.stage === 'graduated';
  const csm = account.onboardingCsmId;
  const data: CardData = {
    companyId,
    companyName: account.name,
    configVersion,
    computedAt: now.toISOString(),
    facts: {
      arr: account.acv,
      renewalDate: account.renewalDate,
      daysToRenewal: renewalDay === null ? null : renewalDay - today,
      accountOwner: read.accountOwnerId === null ? null : { id: read.accountOwnerId, name: ownerName(byId.get(read.accountOwnerId), read.accountOwnerId) },
      lastTouchAt: account.lastContactedAt,
      daysSinceTouch: touchMs === null ? null : Math.max(0, today - Math.floor(touchMs / MS_PER_DAY)),
    },
    health: {
      score: ev.health.score,
      band: ev.health.band,
      unknownMatters: unknownMatters(ev.health.score, knownShare, config),
      history: scoreChanges(history, read.summaryHistory, config.card.historyMax),
      coverage: ev.health.coverage,
      signals,
      summary: ev.health.summary,
      trend: trend.points.map((p) => ({ at: p.at, score: p.score })),
      change: trend.change,
      minCoverage: config.health.minCoverage,
      noData: ev.health.score === null && trend.points.length === 0 && hasNoData(ev.health.contributions),
      missing: missingData(ev.health.contributions, (field) => crm.inputName(field)),
      cap: ev.health.cappedBy,
      caps: ev.health.caps,
    },
    segment: { segment: ev.segment.segment, reason: ev.segment.reason, override: ev.segment.override },
    lifecycle: {
      stage: lifecycle.stage,
      onboardingCsm: csm === null ? null : { id: csm, name: ownerName(byId.get(csm), csm), active: isOwnerUsable(byId.get(csm)) },
      startDate: lifecycle.startDate,
      graduationDate: lifecycle.graduationDate,
      graduatedAt: lifecycle.graduatedAt,
      day: lifecycle.day,
      totalDays: lifecycle.totalDays,
      // A graduated account has nothing left to exit: no criteria shown.
      exitCriteria: graduated ? [] : lifecycle.exitCriteria.map((c) => ({ id: c.id, label: c.label, met: c.met })),
      overdueDays: lifecycle.overdueDays,
      readyToGraduate: lifecycle.readyToGraduate,
      reason: account.lifecycleReason,
      steps: onboardingSteps({
        accountId: account.id,
        stage: lifecycle.stage,
        startDate: lifecycle.startDate,
        ledger: account.playbookLedger,
        open,
        dryRun: ev,
        onboarding: config.playbooks.onboarding,
        today,
      }),
    },
    playbooks: { openTasks, recentTriggers: triggers, openTaskCap: config.playbooks.openTaskCap },
    peopleMax: config.card.contactsMax,
    snoozeDays: [...config.card.snoozeDays],
    assignableOwners: config.pool.members
      .filter((m) => isOwnerUsable(byId.get(m.ownerId)))
      .map((m) => ({ id: m.ownerId, name: ownerName(byId.get(m.ownerId), m.ownerId) })),
    dataIssues: read.issues.filter((i) => i.recordId === companyId).map((i) => ({ property: i.property, value: i.value, message: i.message })),
  };
  return { ok: true, data };
}
