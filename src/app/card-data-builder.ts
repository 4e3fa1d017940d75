/**
 * Builds what the company card shows (`CardData`) for one company, dry: nothing is written.
 * HubSpot calls: the company (batch read), then in parallel its score history, the owners, its
 * ticket counts and its open CS tasks. The core evaluates it with the same rules as the sweep.
 */
import { createAssignmentState, isOwnerUsable, evaluateAccount, healthTrend, computeLifecycle, PLAYBOOK_TITLES, parseLedger, planPlaybooks, type PlaybookId, type Account, type OpenTask, type PlannedTask } from '../core';
import type { CardData, CardTask, CardTrigger, FunctionResult } from './card-data';
import type { AppDeps } from './deps';
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
    if (same) return { key: e.key, playbook, rule: same.trigger.rule, values: same.trigger.values, firedAt };
    const title = isPlaybookId(playbook) ? PLAYBOOK_TITLES[playbook] : playbook;
    const task = openByKey.get(e.key);
    const rule = task ? task.subject : `${title}${parts ? ` (${parts.step})` : ''}`;
    return { key: e.key, playbook, rule, values: parts ? { step: parts.step, period: parts.period } : {}, firedAt };
  });
}

/**
 * Card data for one company.
 *
 * @example
 * const r = await buildCardData(deps, '4021');
 * if (r.ok) console.log(r.data.health.score, r.data.lifecycle.day);
 */
export async function buildCardData(deps: AppDeps, companyId: string): Promise<FunctionResult<CardData>> {
  const { crm, config, configVersion } = deps;
  const now = deps.now();
  const read = await crm.readCompanies([companyId]);
  const stored = read.accounts.find((a) => a.id === companyId);
  if (stored === undefined) return { ok: false, error: { code: 'not_found', message: `No company with id ${companyId} in HubSpot (deleted, merged or never existed)` } };

  const [history, owners, tickets, tasks] = await Promise.all([
    crm.healthHistory(companyId),
    crm.listOwners(),
    crm.ticketCounts([companyId]),
    crm.openCsTasks([companyId]),
  ]);
  const open = tasks.get(companyId) ?? [];
  const t = tickets.get(companyId);
  const account: Account = {
    ...stored,
    openTickets: t ? t.open : null,
    highPriorityTickets: t ? t.highPriority : null,
    openCsTasks: open.length,
  };
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

  const openTasks: CardTask[] = [...open]
    .sort((a, b) => (a.dueAt ?? '\uffff').localeCompare(b.dueAt ?? '\uffff'))
    .map((task) => ({
      id: task.id,
      subject: task.subject,
      dueAt: task.dueAt,
      priority: task.priority,
      ownerName: task.ownerId === null ? null : ownerName(byId.get(task.ownerId), task.ownerId),
      queueId: task.queueIds[0] ?? null,
    }));

  const csm = account.onboardingCsmId;
  const data: CardData = {
    companyId,
    companyName: account.name,
    configVersion,
    computedAt: now.toISOString(),
    health: {
      score: ev.health.score,
      band: ev.health.band,
      coverage: ev.health.coverage,
      signals: ev.health.contributions.map((c) => ({
        id: c.id,
        label: c.label,
        weight: c.weight,
        normalized: c.normalized,
        contribution: c.contribution,
        raw: c.raw,
        status: c.status,
        note: c.note,
      })),
      summary: ev.health.summary,
      trend: trend.points.map((p) => ({ at: p.at, score: p.score })),
      change: trend.change,
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
      exitCriteria: lifecycle.exitCriteria.map((c) => ({ id: c.id, label: c.label, met: c.met })),
      overdueDays: lifecycle.overdueDays,
      reason: account.lifecycleReason,
    },
    playbooks: { openTasks, recentTriggers: recentTriggers(account, replanned, open), openTaskCap: config.playbooks.openTaskCap },
    assignableOwners: config.pool.members
      .filter((m) => isOwnerUsable(byId.get(m.ownerId)))
      .map((m) => ({ id: m.ownerId, name: ownerName(byId.get(m.ownerId), m.ownerId) })),
    dataIssues: read.issues.filter((i) => i.recordId === companyId).map((i) => ({ property: i.property, value: i.value, message: i.message })),
  };
  return { ok: true, data };
}
