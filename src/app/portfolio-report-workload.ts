/**
 * The workload parts of the manager's report, from what HubSpot holds on the companies and the open
 * tasks (no store of ours): the backlog of human work waiting for capacity (`cs_playbook_backlog`),
 * the digital touches of the period (the ledger's `-digital` keys) and the escalations. Pure: the
 * accounts, open tasks, config and `today` are arguments; `docs/cockpit.md` says what counts.
 */
import {
  PLAYBOOK_TITLES,
  HEALTH_BANDS,
  isDigitalTouchKey,
  isUrgent,
  parseBacklog,
  parseInstantMs,
  parseIsoDay,
  parseLedger,
  formatIsoDay,
  type Account,
  type Config,
  type HealthBand,
  type OpenTask,
  type PlaybookId,
  type Segment,
  digitalTouchLabel,
  capReasonOf,
  engagedAfterTouch,
} from '../core';
import { parseTaskKey } from './card-data-builder';
import type { BacklogItem, BacklogSummary, DigitalTouchSummary, EscalationItem, Escalations } from './page-data';

/** What the workload parts need to know about the portfolio. */
export interface WorkloadContext {
  config: Config;
  /** Today, in UTC epoch days. */
  today: number;
  /** First day of the report period (epoch days, inclusive). */
  from: number;
  nameOf: (companyId: string) => string;
  recordUrl: (companyId: string) => string | null;
  ownerNameOf: (ownerId: string) => string;
}

/** Bands in the order the priority ranks them (most severe first). */
const HEALTH_BANDS_BY_SEVERITY: readonly HealthBand[] = ['at_risk', 'watch', 'unknown', 'healthy'];

const OLDEST_SHOWN = 10;
const ITEMS_SHOWN = 25;
const NAMED_SHOWN = 50;

/** A playbook id in words (an unknown id as is). */
export function playbookLabel(playbook: string): string {
  return Object.prototype.hasOwnProperty.call(PLAYBOOK_TITLES, playbook) ? PLAYBOOK_TITLES[playbook as PlaybookId] : playbook;
}

const segmentOf = (a: Account, config: Config): Segment => a.segment ?? config.segments.unknownAcvSegment;
const bandOf = (a: Account): HealthBand => a.healthBand ?? 'unknown';

function countBy<T extends string>(values: Iterable<T>): Map<T, number> {
  const m = new Map<T, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

const largestFirst = <K extends string>(m: Map<K, number>): [K, number][] => [...m.entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));

/**
 * The backlog: every waiting entry of every company, its oldest item, and how it splits.
 *
 * @example
 * backlogSummary([makeAccount({ id: '1', playbookBacklog: ['cs:1:renewal:d60:2027-01-31@2026-11-20'] })], ctx).oldest?.daysWaiting // 3 on 23 Nov
 */
export function backlogSummary(accounts: readonly Account[], ctx: WorkloadContext): BacklogSummary {
  const todayIso = formatIsoDay(ctx.today);
  const items: BacklogItem[] = [];
  let companies = 0;
  for (const a of accounts) {
    const entries = parseBacklog(a.playbookBacklog, todayIso);
    if (entries.length === 0) continue;
    companies++;
    for (const e of entries) {
      const playbook = parseTaskKey(e.key)?.playbook ?? 'unknown';
      const since = parseIsoDay(e.since) ?? ctx.today;
      items.push({
        companyId: a.id,
        companyName: ctx.nameOf(a.id),
        playbook,
        label: playbookLabel(playbook),
        since: e.since,
        daysWaiting: Math.max(0, ctx.today - since),
        band: bandOf(a),
        segment: segmentOf(a, ctx.config),
        ownerId: playbook === 'onboarding' ? a.onboardingCsmId : null,
        url: ctx.recordUrl(a.id),
      });
    }
  }
  items.sort((x, y) => y.daysWaiting - x.daysWaiting || HEALTH_BANDS_BY_SEVERITY.indexOf(x.band) - HEALTH_BANDS_BY_SEVERITY.indexOf(y.band) || x.companyName.localeCompare(y.companyName));
  const byBand = countBy(items.map((i) => i.band));
  const byOwner = countBy(items.map((i) => i.ownerId ?? ''));
  return {
    count: items.length,
    companies,
    oldest: items[0] ?? null,
    oldestItems: items.slice(0, OLDEST_SHOWN),
    byPlaybook: largestFirst(countBy(items.map((i) => i.playbook))).map(([playbook, count]) => ({ playbook, label: playbookLabel(playbook), count })),
    byBand: HEALTH_BANDS.map((band) => ({ band, count: byBand.get(band) ?? 0 })),
    byOwner: largestFirst(byOwner).map(([id, count]) => ({ ownerId: id === '' ? null : id, ownerName: id === '' ? 'The pool (any CSM working that day)' : ctx.ownerNameOf(id), count })),
  };
}

/** The `cs_digital_touch` value a ledger key stood for (as the core chose it: the play's, else the playbook's touch type). */
function touchTypeOfKey(playbook: string, step: string, config: Config): string {
  const t = config.channels.touchTypes;
  const base = step.replace(/-digital$/, '');
  const play = playbook === 'renewal' ? `renewal_${base}` : playbook;
  return t[play] ?? t[playbook] ?? 'check_in';
}

/**
 * The digital touches written in the period (from the ledgers), by type and playbook, and whether
 * the customer answered (HubSpot's engagement dates moved after the touch).
 */
export function digitalTouchSummary(accounts: readonly Account[], ctx: WorkloadContext): DigitalTouchSummary {
  const types: string[] = [];
  const playbooks: string[] = [];
  let engaged = 0;
  let awaitingAnswer = 0;
  let unanswered = 0;
  const wait = ctx.config.channels.followUpDays;
  for (const a of accounts) {
    const engagedMs = parseInstantMs(a.lastEngagedAt ?? null);
    for (const e of parseLedger(a.playbookLedger)) {
      if (!isDigitalTouchKey(e.key)) continue;
      const day = parseIsoDay(e.createdOn);
      if (day === null || day < ctx.from || day > ctx.today) continue;
      const k = parseTaskKey(e.key);
      if (k === null) continue;
      types.push(touchTypeOfKey(k.playbook, k.step, ctx.config));
      playbooks.push(k.playbook);
      if (engagedMs !== null && engagedAfterTouch(engagedMs, day, a.digitalTouchAt)) engaged++;
      else if (ctx.today - day < wait) awaitingAnswer++;
      else unanswered++;
    }
  }
  return {
    count: types.length,
    byType: largestFirst(countBy(types)).map(([type, count]) => ({ type, label: digitalTouchLabel(type), count })),
    byPlaybook: largestFirst(countBy(playbooks)).map(([playbook, count]) => ({ playbook, label: playbookLabel(playbook), count })),
    engaged,
    awaitingAnswer,
    unanswered,
  };
}

/** Whether an open task of ours is urgent work (may exceed capacity), judged on its company as stored now. */
export function isUrgentTask(task: Pick<OpenTask, 'key'>, a: Account, ctx: Pick<WorkloadContext, 'config' | 'today'>): boolean {
  const k = task.key === null ? null : parseTaskKey(task.key);
  if (k === null) return false;
  const renewal = parseIsoDay(a.renewalDate);
  return isUrgent({ playbook: k.playbook, daysToRenewal: renewal === null ? null : renewal - ctx.today, segment: segmentOf(a, ctx.config), band: bandOf(a) }, ctx.config);
}

/**
 * The escalations: named accounts at risk, calls after an unanswered digital touch, urgent open work
 * and what went over capacity today (`createdToday − capacityToday` per CSM, from the workload rows).
 */
export function escalationsOf(
  accounts: readonly Account[],
  openByCompany: ReadonlyMap<string, readonly OpenTask[]>,
  perCsm: readonly { urgent?: number; createdToday?: number; capacityToday?: number }[],
  ctx: WorkloadContext,
): Escalations {
  const item = (a: Account, reason: string): EscalationItem => ({
    companyId: a.id,
    companyName: ctx.nameOf(a.id),
    reason,
    arr: a.acv,
    band: bandOf(a),
    segment: segmentOf(a, ctx.config),
    openTasks: openByCompany.get(a.id)?.length ?? 0,
    url: ctx.recordUrl(a.id),
  });
  const namedAtRisk = accounts
    .filter((a) => segmentOf(a, ctx.config) === 'named' && a.healthBand === 'at_risk')
    .map((a) => {
      // A band held down by a critical signal says which: "at risk (health 96)" alone reads as a contradiction.
      const cap = capReasonOf(a.healthSummary);
      const score = a.healthScore === null ? null : `health ${Math.round(a.healthScore)}`;
      const why = cap === null ? score : `${score === null ? '' : `${score}, `}held at risk by ${cap}`;
      return item(a, why === null ? 'Named account at risk' : `Named account at risk (${why})`);
    })
    .sort((x, y) => (y.arr ?? 0) - (x.arr ?? 0) || x.companyName.localeCompare(y.companyName));
  let created = 0;
  const openCalls: EscalationItem[] = [];
  for (const a of accounts) {
    const open = new Set((openByCompany.get(a.id) ?? []).map((t) => t.key));
    for (const e of parseLedger(a.playbookLedger)) {
      const k = parseTaskKey(e.key);
      if (k === null || !k.step.endsWith('-call')) continue;
      const day = parseIsoDay(e.createdOn);
      if (day === null || day < ctx.from || day > ctx.today) continue;
      created++;
      if (open.has(e.key)) openCalls.push(item(a, `${playbookLabel(k.playbook)}: no answer to the digital touch, call task open`));
    }
  }
  openCalls.sort((x, y) => (y.arr ?? 0) - (x.arr ?? 0) || x.companyName.localeCompare(y.companyName));
  return {
    namedAtRisk: namedAtRisk.slice(0, NAMED_SHOWN),
    namedAtRiskCount: namedAtRisk.length,
    namedAtRiskArr: namedAtRisk.reduce((n, x) => n + (x.arr ?? 0), 0),
    noAnswerCalls: { created, open: openCalls.length, items: openCalls.slice(0, ITEMS_SHOWN) },
    urgentOpen: perCsm.reduce((n, w) => n + (w.urgent ?? 0), 0),
    overCapacityToday: perCsm.reduce((n, w) => n + Math.max(0, (w.createdToday ?? 0) - (w.capacityToday ?? 0)), 0),
    renewalWithinDays: ctx.config.workload.urgent.renewalWithinDays,
  };
}
