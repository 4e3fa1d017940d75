/**
 * The one pipeline every use case runs for a batch of companies (the sweep per unit, the
 * functions and workflow actions for one company):
 *
 *   ticket counts → evaluate once → read the open CS tasks of companies with planned tasks
 *   (reconcile keys that exist in HubSpot but not in the ledger, and apply the open-task cap:
 *   only the companies whose read changed their inputs are evaluated again) → create tasks →
 *   write only the properties that changed (ledger included).
 *
 * Order matters for crash safety: tasks are created before the ledger is written, and a rerun
 * reads the company's tasks (by association, not search, so no search lag) before creating, so a
 * crash between the two steps never duplicates a task and never loses the ledger entry.
 */
import { evaluateAccount, appendLedger, formatIsoDay, nextBacklog, cooldownEndsOf, nextFollowUpDay, riskCapEndsOf, seriesOwnerOf, utcDay, type AssignmentState, type AccountEvaluation, type SkipReason, type Account, type HistoryPoint, type IsoDate, type OpenTask, type PlannedTouch, type WaitingTask } from '../core';
import type { BatchFailure, CreatedTask, TicketCounts, WorkloadChange } from './ports';
import type { AppDeps } from './deps';
import { readEvidence } from './evidence';

export interface ProcessOptions {
  /** Plan and report, write nothing. */
  dryRun?: boolean;
  /** Score history per company (enables the trend-based health drop); optional. */
  history?: ReadonlyMap<string, HistoryPoint[]>;
  /** Skip the ticket read (counts already on the accounts). */
  ticketsKnown?: boolean;
  /**
   * Open-ticket counts of the whole portfolio (read once by the sweep: open tickets by search,
   * then their company links). A company absent has no open ticket. Replaces the per-batch read.
   */
  ticketCounts?: ReadonlyMap<string, TicketCounts>;
  /**
   * The companies whose tickets changed since the last complete run (an incremental sweep): the
   * others with recorded counts (cs_open_tickets…) take them instead of reading their tickets.
   */
  ticketsChanged?: ReadonlySet<string>;
  /**
   * Called with the assignment state after this batch, before anything is written (the sweep saves
   * it, so a rerun after a crash mid-write continues exactly as the uninterrupted run would).
   */
  beforeWrite?: (state: AssignmentState, planned: ReadonlyMap<string, string>) => Promise<void>;
  /**
   * Onboarding CSMs chosen for these accounts by an earlier attempt that crashed before writing
   * them: taken as already assigned (and still written, since they differ from HubSpot's values).
   */
  presetCsm?: ReadonlyMap<string, string>;
  /**
   * The sweep's mode: human tasks are not created here but returned as `waiting` (and kept in the
   * company's backlog) for the day's dispatch by capacity and priority.
   */
  deferHumanTasks?: boolean;
  /**
   * deferHumanTasks: called with this batch's waiting tasks and what its companies' ledger and
   * backlog will be, once they are known and before anything of the batch is written (the sweep
   * hands its last unit's work to the day's dispatch, which creates while the batch writes).
   */
  handOver?: (waiting: WaitingTask[], written: Map<string, WrittenWorkload>) => void;
  /**
   * This batch is the whole run and hands its work over: the day's creates will be for its
   * companies only, so their primary contacts are read with the task links (`prefetchTaskContacts`).
   */
  contactsAhead?: boolean;
}

/** What a company's record holds after this batch (the sweep's dispatch writes on top of it). */
export interface WrittenWorkload {
  ledger: string[];
  backlog: string[];
  /** cs_risk_cap_ends as the unit left it (from its ledger). */
  riskCapEnds: IsoDate | null;
  /** cs_cooldown_ends as the unit left it. */
  cooldownEnds: IsoDate | null;
}

export interface ProcessedAccount {
  account: Account;
  evaluation: AccountEvaluation;
  /** Properties written (or that would be written in a dry run); null = unchanged. */
  update: Record<string, string> | null;
  /** Keys of tasks created for this company in this run. */
  created: string[];
  /** Open CS tasks read for this company (only read when tasks were planned). */
  openTasks: OpenTask[] | null;
}

export interface ProcessResult {
  processed: ProcessedAccount[];
  state: AssignmentState;
  updated: number;
  /**
   * Of the companies written, those whose only change is the score's digits (score, summary,
   * coverage): what time alone moves every day. Every other write carries the day's work (a band,
   * stage, task, touch, backlog or ticket count).
   */
  scoreOnly: number;
  unchanged: number;
  tasksPlanned: number;
  tasksCreated: CreatedTask[];
  /** Keys found in HubSpot that the ledger lacked (a crashed earlier run): not created again. */
  reconciled: number;
  skipped: Partial<Record<SkipReason, number>>;
  failures: Array<BatchFailure & { op: 'update' | 'create' }>;
  /** Counts that make the "minimum possible calls" figure for this batch. */
  work: { accounts: number; tasksReadFor: number; tickets: number; openTasksRead: number; ticketLinksReadFor: number; historyReadFor: number };
  /** Accounts evaluated a second time (their task read changed their inputs). */
  reevaluated: number;
  /** deferHumanTasks: the human tasks waiting for the day's dispatch (also in the companies' backlog). */
  waiting: WaitingTask[];
  /** deferHumanTasks: ledger and backlog as written, per company with waiting work. */
  written: Map<string, WrittenWorkload>;
  /** Digital touches written, by touch type. */
  digitalByType: Record<string, number>;
  /** Backlog entries that left because the rule no longer wants them. */
  noLongerNeeded: number;
  /** Backlog after this batch: entries, and how many wait since each day. */
  backlog: { count: number; bySince: Record<string, number> };
}

/**
 * Runs the pipeline for a batch of accounts (any size; the adapter batches its calls).
 *
 * @example
 * const r = await processAccounts(page.accounts, deps, state, { dryRun: false });
 * state = r.state;
 */
export async function processAccounts(accounts: Account[], deps: AppDeps, initialState: AssignmentState, options: ProcessOptions = {}): Promise<ProcessResult> {
  const { crm, config, configVersion, log } = deps;
  const now = deps.now();
  const ledgerMax = config.playbooks.ledgerMaxEntries;
  let tickets = 0;

  // 1. Ticket counts: from the sweep's portfolio read of open tickets, else one association read
  //    per 1,000 companies then the tickets by batch read; and value timestamps from property
  //    history where no sync date is known (50 per call).
  const evidence = await readEvidence(accounts, deps, { tickets: !options.ticketsKnown, portfolioTickets: options.ticketCounts, ticketsChanged: options.ticketsChanged });
  let input = evidence.accounts;
  tickets = evidence.tickets;
  const ticketLinksReadFor = evidence.ticketLinksReadFor;

  const preset = options.presetCsm;
  if (preset && preset.size > 0) {
    input = input.map((a) => {
      const csm = a.onboardingCsmId === null ? preset.get(a.id) : undefined;
      return csm === undefined ? a : { ...a, onboardingCsmId: csm };
    });
  }

  // 2. Evaluate once, threading the assignment state. Companies that plan tasks need their tasks
  //    read; the state before each of them is kept in case the read changes its plan.
  // Human work waiting for the day's dispatch: most of it stays in the backlog, its words are built
  // only for the tasks the sweep keeps for the dispatch (withTaskTexts in sweep.ts).
  const defer = options.deferHumanTasks === true;
  const ctx = { config, configVersion, now, texts: defer ? ('deferred' as const) : ('now' as const) };
  const evaluate = deps.evaluate ?? evaluateAccount;
  const needTasks: string[] = [];
  const evaluations: AccountEvaluation[] = new Array<AccountEvaluation>(input.length);
  const stateBefore = new Map<number, AssignmentState>();
  let state = initialState;
  for (let i = 0; i < input.length; i++) {
    const a = input[i] as Account;
    const ev = evaluate(a, { ...ctx, assignment: state, history: options.history?.get(a.id) ?? null });
    if (ev.tasks.length > 0) {
      needTasks.push(a.id);
      stateBefore.set(i, state);
    }
    evaluations[i] = ev;
    state = ev.state;
  }

  // 3. Read their open CS tasks: apply the cap, and reconcile keys HubSpot has but the ledger lacks.
  // A unit that is the whole run hands its tasks to the day's dispatch, whose creates need these
  // companies' primary contacts: read alongside the task links (one round trip, not one more).
  if (options.contactsAhead && !options.dryRun && needTasks.length > 0) crm.prefetchTaskContacts?.(needTasks);
  const openByCompany = needTasks.length > 0 ? await crm.openCsTasks(needTasks) : new Map<string, OpenTask[]>();
  let reconciled = 0;
  let openTasksRead = 0;
  const changed: number[] = [];
  const prepared = input.map((a, i) => {
    const open = openByCompany.get(a.id);
    if (open === undefined) return a;
    openTasksRead += open.length;
    const known = new Set(a.playbookLedger.map((e) => e.split('@')[0]));
    const found = open.map((t) => t.key).filter((k): k is string => k !== null && !known.has(k));
    reconciled += found.length;
    const owners = new Map(open.filter((t) => t.key !== null).map((t) => [t.key as string, t.ownerId]));
    if (found.length > 0 || open.length !== (a.openCsTasks ?? 0)) changed.push(i);
    return {
      ...a,
      openCsTasks: open.length,
      playbookLedger: found.length > 0 ? appendLedger(a.playbookLedger, found, now, ledgerMax, owners) : a.playbookLedger,
    };
  });

  // 4. Evaluate again only the companies whose read changed their inputs (open tasks against the
  //    cap, reconciled keys): the cap and the ledger only take tasks away, so the assignment state
  //    is the same unless a company goes from some tasks to none. Then (rare) every company from
  //    there on is evaluated again with the state threaded, exactly as a second full pass would.
  let reevaluated = 0;
  let rethreadFrom = -1;
  for (const i of changed) {
    const before = stateBefore.get(i);
    if (before === undefined) continue;
    const a = prepared[i] as Account;
    const ev = evaluate(a, { ...ctx, assignment: before, history: options.history?.get(a.id) ?? null });
    reevaluated++;
    if (ev.tasks.length === 0) {
      rethreadFrom = i;
      break;
    }
    evaluations[i] = { ...ev, state: (evaluations[i] as AccountEvaluation).state };
  }
  if (rethreadFrom >= 0) {
    state = stateBefore.get(rethreadFrom) ?? initialState;
    for (let i = rethreadFrom; i < prepared.length; i++) {
      const a = prepared[i] as Account;
      const ev = evaluate(a, { ...ctx, assignment: state, history: options.history?.get(a.id) ?? null });
      if (i > rethreadFrom) reevaluated++;
      state = ev.state;
      evaluations[i] = ev;
    }
  }
  const skipped: Partial<Record<SkipReason, number>> = {};
  for (const ev of evaluations) for (const s of ev.skipped) skipped[s.reason] = (skipped[s.reason] ?? 0) + 1;
  const planned = defer ? [] : evaluations.flatMap((e) => e.tasks);
  if (!options.dryRun && options.beforeWrite) {
    const chosen = new Map<string, string>();
    evaluations.forEach((e, i) => {
      if (e.assignment?.ok && !e.assignment.kept) chosen.set((prepared[i] as Account).id, e.assignment.ownerId);
    });
    await options.beforeWrite(state, chosen);
  }

  // 5. Create tasks (never re-sent blindly: the adapter reconciles uncertain creates itself).
  const failures: ProcessResult['failures'] = [];
  let created: CreatedTask[] = [];
  if (planned.length > 0 && !options.dryRun) {
    const res = await crm.createTasks(planned);
    created = res.ok;
    for (const f of res.failed) failures.push({ ...f, op: 'create' });
  }
  const createdByAccount = new Map<string, string[]>();
  for (const c of created) {
    const list = createdByAccount.get(c.accountId);
    if (list) list.push(c.key);
    else createdByAccount.set(c.accountId, [c.key]);
  }

  // 6. Write only what changed; the ledger records only tasks that exist (and digital touches written).
  const processed: ProcessedAccount[] = [];
  const updates: { id: string; properties: Record<string, string> }[] = [];
  const waiting: WaitingTask[] = [];
  const written = new Map<string, WrittenWorkload>();
  const digitalByType: Record<string, number> = {};
  const todayNum = utcDay(now);
  const today = formatIsoDay(todayNum);
  let noLongerNeeded = 0;
  let scoreOnly = 0;
  let backlogCount = 0;
  const bySince: Record<string, number> = {};
  for (let i = 0; i < prepared.length; i++) {
    const original = accounts[i] as Account;
    const a = prepared[i] as Account;
    const ev = evaluations[i] as AccountEvaluation;
    const createdKeys = defer ? [] : options.dryRun ? ev.tasks.map((t) => t.key) : (createdByAccount.get(a.id) ?? []);
    const touch: PlannedTouch | null = ev.touches[0] ?? null;
    // The ledger names the CSM of each task created (the company's series stays with them).
    const allCreated = createdKeys.length === ev.tasks.length && !ev.tasks.some((t) => t.ownerId !== null);
    const owners = createdKeys.length > 0 ? new Map(ev.tasks.map((t) => [t.key, t.ownerId])) : undefined;
    const next = allCreated ? ev.next : { ...ev.next, playbookLedger: appendLedger(a.playbookLedger, [...createdKeys, ...ev.touches.map((t) => t.key)], now, ledgerMax, owners) };
    // The day the clock lifts the risk-task cap of the ledger written now (a view and a trigger).
    const capEnds = riskCapEndsOf(next.playbookLedger, config, now);
    // The day a play held by its cooldown may fire again (the clock alone ends a cooldown).
    const cooldownDay = cooldownEndsOf(next.playbookLedger, ev.firing, todayNum);
    const cooldownEnds = cooldownDay === null ? null : formatIsoDay(cooldownDay);
    // The backlog: wanted but not created (and work the company's cap holds back) waits; done work leaves.
    const wanted: { key: string; waitingSince?: string }[] = ev.tasks.filter((t) => !createdKeys.includes(t.key));
    const done = [...createdKeys];
    for (const sk of ev.skipped) {
      if (sk.reason === 'cap') wanted.push({ key: sk.key });
      else if (sk.reason === 'ledger') done.push(sk.key);
    }
    const nb = nextBacklog(a.playbookBacklog, wanted, done, today, config.workload.backlogMaxEntries);
    noLongerNeeded += nb.noLongerNeeded.length;
    backlogCount += nb.entries.length;
    for (const e of nb.entries) {
      const since = e.slice(e.lastIndexOf('@') + 1);
      bySince[since] = (bySince[since] ?? 0) + 1;
    }
    if (touch !== null) digitalByType[touch.touchType] = (digitalByType[touch.touchType] ?? 0) + 1;
    if (defer && ev.tasks.length > 0) {
      // The owner of its latest open task of ours, else the CSM who took its latest task (completed since).
      const pref = preferredOwner(openByCompany.get(a.id)) ?? seriesOwnerOf(a.playbookLedger);
      const firing = ev.firing.length > 0 ? { firing: [...ev.firing] } : {};
      // Every task of the company with its rank, on each: only the best ranked tasks are kept for the
      // dispatch, and what it leaves of the company's backlog is ranked from these.
      const siblings = ev.tasks.length > 1 ? { companyRanks: Object.fromEntries(ev.tasks.filter((t) => t.rank !== undefined).map((t) => [t.key, t.rank as number])) } : {};
      for (const t of ev.tasks) waiting.push(pref !== null ? { ...t, preferredOwnerId: pref, ...firing, ...siblings } : { ...t, ...firing, ...siblings });
      written.set(a.id, { ledger: next.playbookLedger, backlog: nb.entries, riskCapEnds: capEnds, cooldownEnds });
    }
    const base = crm.companyChanges(original, next);
    const topRank = ev.tasks.reduce<number | null>((m, t) => (t.rank !== undefined && (m === null || t.rank > m) ? t.rank : m), null);
    // Digital touches held for a later day (one per company per `channels.minDaysBetweenTouches`
    // days): recorded so the incremental run comes back for them when their turn comes.
    let held = 0;
    for (const sk of ev.skipped) if (sk.reason === 'digital_busy') held++;
    const extra = crm.workloadChanges({
      backlog: { current: a.playbookBacklog ?? [], next: nb.entries, oldestSince: nb.oldest, topPriority: topRank },
      ...(touch !== null ? { touch: { touchType: touch.touchType, at: now.toISOString() } } : {}),
      ...(held > 0 || (a.digitalWaiting ?? 0) > 0 ? { waiting: { current: a.digitalWaiting ?? 0, next: held } } : {}),
      ...followUpDueChange(a.digitalFollowUpDue ?? null, next.playbookLedger, config.channels.followUpDays, todayNum),
      ...(capEnds !== null || a.riskCapEnds !== undefined ? { riskCapEnds: { current: a.riskCapEnds ?? null, next: capEnds } } : {}),
      ...(cooldownEnds !== null || a.cooldownEnds !== undefined ? { cooldownEnds: { current: a.cooldownEnds ?? null, next: cooldownEnds } } : {}),
    });
    const update = base === null && Object.keys(extra).length === 0 ? null : { ...(base ?? {}), ...extra };
    if (update !== null) updates.push({ id: a.id, properties: update });
    if (base !== null && Object.keys(extra).length === 0 && crm.companyChanges(original, { ...next, healthScore: original.healthScore, healthSummary: original.healthSummary, healthCoverage: original.healthCoverage, healthComputedAt: original.healthComputedAt, healthPeak: original.healthPeak, healthDropHeadroom: original.healthDropHeadroom, healthDropDue: original.healthDropDue, healthStaleDue: original.healthStaleDue }) === null) scoreOnly++;
    processed.push({ account: a, evaluation: { ...ev, next }, update, created: createdKeys, openTasks: openByCompany.get(a.id) ?? null });
  }
  if (defer) options.handOver?.(waiting, written);
  let updated = 0;
  if (updates.length > 0) {
    if (options.dryRun) updated = updates.length;
    else {
      const res = await crm.updateCompanies(updates);
      updated = res.ok.length;
      for (const f of res.failed) failures.push({ ...f, op: 'update' });
    }
  }
  if (failures.length > 0) log.warn('batch_failures', { count: failures.length, ids: failures.slice(0, 20).map((f) => f.id) });

  return {
    processed,
    state,
    updated,
    scoreOnly,
    unchanged: accounts.length - updates.length,
    tasksPlanned: defer ? evaluations.reduce((n, e) => n + e.tasks.length, 0) : planned.length,
    tasksCreated: created,
    reconciled,
    skipped,
    failures,
    work: { accounts: accounts.length, tasksReadFor: needTasks.length, tickets, openTasksRead, ticketLinksReadFor, historyReadFor: evidence.historyRead },
    reevaluated,
    waiting,
    written,
    digitalByType,
    noLongerNeeded,
    backlog: { count: backlogCount, bySince },
  };
}

/** The owner of the company's most recent open task of ours (its series stays with them). */
function preferredOwner(open: OpenTask[] | undefined): string | null {
  let best: OpenTask | null = null;
  for (const t of open ?? []) if (t.key !== null && t.ownerId !== null && (best === null || (t.dueAt ?? '') > (best.dueAt ?? ''))) best = t;
  return best?.ownerId ?? null;
}

/**
 * The company's next digital follow-up day to record (see `nextFollowUpDay`), from its ledger as
 * now written: nothing when neither the stored nor the new one is set.
 */
function followUpDueChange(current: IsoDate | null, ledger: readonly string[], followUpDays: number, today: number): Pick<WorkloadChange, 'followUpDue'> {
  const day = nextFollowUpDay(ledger, followUpDays, today);
  const next = day === null ? null : formatIsoDay(day);
  return current === null && next === null ? {} : { followUpDue: { current, next } };
}
