/**
 * The pool at work between two runs on the local CRM. HubSpot's CSMs complete their tasks between
 * sweeps; a local CRM nobody works in piles them up (every CSM at `maxOpenTasks` by the third day,
 * so a month of daily runs shows a team that gets nothing). So, when the CLI runs the local CRM
 * later than it last did, the days in between are worked: on each of a member's working days (its
 * coverage days, none = every weekday; not out of office) it completes, oldest due first, each open
 * task due by the end of that day with the given share (drawn per task and day from the seed, so a
 * rerun from the same state does the same), at most `perDay` of them; completing a task logs the
 * contact on its companies (`notes_last_contacted`), as a CSM's logged call does in HubSpot. Tasks
 * of a queue (no owner) are worked on weekdays. The product sync runs too (`sync`): a company
 * whose usage was synced within 3 days of the last run (the 7% whose sync stopped stay stale) is
 * synced at 03:00 each day (`cs_usage_updated_at`), and a customer who logged in within the 7 days
 * before the last run logs in on each weekday with probability 0.6 (`cs_last_login_date`, the
 * latest such day before the last sync); the others keep ageing, as customers who stopped do.
 * Without it a month of daily runs read 1,906 of 2,000 companies as unknown health (every sync
 * date stale). Customers answer digital touches too: a company
 * touched (`cs_digital_touch_at`) engages with the given share, 1–4 days later (drawn per company
 * and touch), which HubSpot records as the company's last engagement
 * (`hs_last_sales_activity_timestamp`); without it every digital-then-task play became a call. Days
 * are UTC: from the day of the last run up to the day before this one (a run at 09:00 comes
 * before that day's work).
 */
import type { PoolMember, Weekday } from './seed';
import { isoOf, type CrmStore, type CrmObject } from './store';

const DAY = 86_400_000;
const WEEKDAY_NAMES: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WORKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
/** When the day's work is logged (UTC). */
const DONE_AT_HOUR = 16;

export interface TeamDaysOptions {
  /** The last run's instant (epoch ms). */
  fromMs: number;
  /** This run's instant (epoch ms). */
  toMs: number;
  /** Share of the open tasks due that a working member completes each day (0 = nobody works). */
  share: number;
  /** Most tasks a member completes in a day (default 10). */
  perDay?: number;
  /** Share of the digitally touched customers who engage 1–4 days after the touch (default 0). */
  answerShare?: number;
  /** Run the product sync on those days (default false). */
  sync?: boolean;
  /**
   * The instant the store records the writes at (their modified date and history), default the
   * simulated instant. The CLI passes the local CRM's own clock, which stamps every other write:
   * a run `--now` a month ahead must not leave companies modified after the real watermark the
   * next incremental run reads from.
   */
  writtenAt?: number;
  seed?: number;
}

export interface TeamDaysResult {
  /** Days worked (UTC days from the last run's to the day before this one). */
  days: number;
  completed: number;
  /** Companies whose last contact moved. */
  contacted: number;
  /** Companies that answered a digital touch. */
  answered: number;
  /** Companies the product sync refreshed. */
  synced: number;
}

/** A uniform draw in [0, 1) from (seed, task id, day): the same state gives the same work. */
function draw(seed: number, id: number, day: number): number {
  let h = (seed * 0x9e3779b1) ^ (id * 0x85ebca6b) ^ (day * 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4_294_967_296;
}

function works(member: PoolMember | undefined, day: number): boolean {
  const weekday = WEEKDAY_NAMES[new Date(day * DAY).getUTCDay()] as Weekday;
  if (member === undefined) return WORKDAYS.includes(weekday);
  const covers = member.coverageDays.length === 0 ? WORKDAYS.includes(weekday) : member.coverageDays.includes(weekday);
  if (!covers) return false;
  const iso = isoOf(day * DAY).slice(0, 10);
  return !member.outOfOffice.some((o) => o.from <= iso && iso <= o.to);
}

/**
 * Works the days between two runs (see the module comment) and returns what was done.
 *
 * @example
 * workTheDays(store, { fromMs: Date.parse('2026-12-01T09:00:00Z'), toMs: Date.parse('2026-12-02T09:00:00Z'), share: 0.6 })
 * // { days: 1, completed: 58, contacted: 57 }
 */
export function workTheDays(store: CrmStore, options: TeamDaysOptions): TeamDaysResult {
  const fromDay = Math.floor(options.fromMs / DAY);
  const toDay = Math.floor(options.toMs / DAY);
  const result: TeamDaysResult = { days: Math.max(0, toDay - fromDay), completed: 0, contacted: 0, answered: 0, synced: 0 };
  if (result.days === 0) return result;
  if (options.sync === true) result.synced = productSync(store, options.fromMs, options.toMs, options.seed ?? 1, options.writtenAt);
  result.answered = answerTouches(store, fromDay, toDay, Math.min(1, Math.max(0, options.answerShare ?? 0)), options.seed ?? 1, options.writtenAt);
  if (!(options.share > 0)) return result;
  const share = Math.min(1, options.share);
  const perDay = options.perDay ?? 10;
  const seed = options.seed ?? 1;
  const pool = store.meta['poolConfig'] as { members?: PoolMember[] } | undefined;
  const members = new Map((pool?.members ?? []).map((m) => [m.ownerId, m]));
  const contacted = new Set<number>();

  // Open tasks by who works them, oldest due first.
  const open = new Map<string, CrmObject[]>();
  for (const task of store.objects.tasks.values()) {
    if (task.archived || task.props.hs_task_status === 'COMPLETED') continue;
    const due = Date.parse(task.props.hs_timestamp ?? '');
    if (!Number.isFinite(due)) continue;
    const who = task.props.hubspot_owner_id ?? '';
    let list = open.get(who);
    if (list === undefined) open.set(who, (list = []));
    list.push(task);
  }
  for (const list of open.values()) list.sort((a, b) => Date.parse(a.props.hs_timestamp as string) - Date.parse(b.props.hs_timestamp as string) || a.id - b.id);

  for (let day = fromDay; day < toDay; day++) {
    const endOfDay = (day + 1) * DAY;
    const at = day * DAY + DONE_AT_HOUR * 3_600_000;
    for (const [who, list] of open) {
      if (!works(who === '' ? undefined : members.get(who), day)) continue;
      let done = 0;
      for (let i = 0; i < list.length && done < perDay; ) {
        const task = list[i] as CrmObject;
        if (Date.parse(task.props.hs_timestamp as string) >= endOfDay) break;
        if (draw(seed, task.id, day) >= share) {
          i++;
          continue;
        }
        store.update('tasks', task, { hs_task_status: 'COMPLETED', hs_task_completion_date: isoOf(at) }, options.writtenAt ?? at, 'CRM_UI');
        for (const companyId of store.associated('tasks', task.id, 'companies')) {
          const company = store.get('companies', companyId);
          if (company === undefined) continue;
          const last = Date.parse(company.props.notes_last_contacted ?? '');
          if (Number.isFinite(last) && last >= at) continue;
          store.update('companies', company, { notes_last_contacted: isoOf(at) }, options.writtenAt ?? at, 'CRM_UI');
          contacted.add(companyId);
        }
        list.splice(i, 1);
        done++;
        result.completed++;
      }
    }
  }
  result.contacted = contacted.size;
  return result;
}

/** The product sync's runs after `fromMs` up to `toMs` (see the module comment). */
function productSync(store: CrmStore, fromMs: number, toMs: number, seed: number, writtenAt: number | undefined): number {
  const fromDay = Math.floor(fromMs / DAY);
  // The last sync run (03:00) at or before `toMs`, and the days whose logins it reports.
  const lastSyncDay = Math.floor((toMs - 3 * 3_600_000) / DAY);
  const syncAt = lastSyncDay * DAY + 3 * 3_600_000;
  if (syncAt <= fromMs) return 0;
  let synced = 0;
  for (const company of store.objects.companies.values()) {
    const p = company.props;
    const syncedMs = Date.parse(p.cs_usage_updated_at ?? '');
    if (company.archived || !Number.isFinite(syncedMs) || syncedMs < fromMs - 3 * DAY || syncedMs >= syncAt) continue;
    const next: Record<string, string> = { cs_usage_updated_at: isoOf(syncAt) };
    const loginMs = Date.parse(p.cs_last_login_date ?? '');
    if (Number.isFinite(loginMs) && loginMs >= (fromDay - 7) * DAY) {
      for (let day = lastSyncDay - 1; day >= fromDay && day * DAY > loginMs; day--) {
        const weekday = new Date(day * DAY).getUTCDay();
        if (weekday === 0 || weekday === 6 || draw(seed + 13, company.id, day) >= 0.6) continue;
        next.cs_last_login_date = isoOf(day * DAY).slice(0, 10);
        break;
      }
    }
    store.update('companies', company, next, writtenAt ?? syncAt, 'INTEGRATION');
    synced++;
  }
  return synced;
}

/** Customers who engage after a digital touch on one of the days `fromDay` … `toDay − 1`. */
function answerTouches(store: CrmStore, fromDay: number, toDay: number, share: number, seed: number, writtenAt: number | undefined): number {
  if (share <= 0) return 0;
  let answered = 0;
  for (const company of store.objects.companies.values()) {
    const touchMs = Date.parse(company.props.cs_digital_touch_at ?? '');
    if (company.archived || !Number.isFinite(touchMs)) continue;
    const touchDay = Math.floor(touchMs / DAY);
    // One draw per company and touch day: whether, and how many days later.
    const r = draw(seed + 7, company.id, touchDay);
    if (r >= share) continue;
    const day = touchDay + 1 + Math.floor((r / share) * 4);
    if (day < fromDay || day >= toDay) continue;
    const at = day * DAY + 11 * 3_600_000;
    const last = Date.parse(company.props.hs_last_sales_activity_timestamp ?? '');
    if (Number.isFinite(last) && last >= at) continue;
    store.update('companies', company, { hs_last_sales_activity_timestamp: isoOf(at) }, writtenAt ?? at, 'CRM_UI');
    answered++;
  }
  return answered;
}
