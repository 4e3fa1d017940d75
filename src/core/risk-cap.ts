/**
 * "An account with an open risk task is never shown healthy": the risk-task cap. A risk task
 * planned in this evaluation, or recorded in the ledger within `health.caps.risk_task.withinDays`
 * (a task the CSM is most likely still working on), caps the band like a critical signal.
 */
import type { Config } from './config';
import * as dates from './dates';
import type { HealthCap } from './health';
import type { IsoDate } from './types';
import { PLAYBOOK_TITLES, isDigitalTouchKey, ledgerKeyEnd, type PlaybookId } from './playbooks';

const { formatIsoDay, parseIsoDayIn, utcDay } = dates;

/** Plays that mean the account is at risk (their tasks are the "red tasks" of a card). */
export const RISK_PLAYBOOKS: readonly string[] = ['usage_drop', 'no_login', 'nps_detractor', 'risk_escalation', 'health_drop'];

const NONE: HealthCap[] = [];

function title(playbook: string): string {
  return Object.prototype.hasOwnProperty.call(PLAYBOOK_TITLES, playbook) ? PLAYBOOK_TITLES[playbook as PlaybookId] : playbook;
}

/** The playbook of a key `cs:<id>:<playbook>:…` (both non-empty), or null. */
function playbookOfKey(key: string): string | null {
  if (!key.startsWith('cs:')) return null;
  const b = key.indexOf(':', 3);
  if (b <= 3) return null;
  const c = key.indexOf(':', b + 1);
  return c > b + 1 ? key.slice(b + 1, c) : null;
}

/**
 * Whether a (trimmed) ledger entry names a risk play as its key's play, `cs:<id>:<play>:…` (read in
 * place: this runs for every entry of every account).
 */
function namesRiskPlay(entry: string): boolean {
  if (!entry.startsWith('cs:')) return false;
  const b = entry.indexOf(':', 3);
  if (b <= 3) return false;
  for (let i = 0; i < RISK_PLAYBOOKS.length; i++) {
    const p = RISK_PLAYBOOKS[i] as string;
    if (entry.startsWith(p, b + 1) && entry.charCodeAt(b + 1 + p.length) === 58 /* : */) return true;
  }
  return false;
}

/** The newest risk task whose cap holds today: its day (epoch day) and play. */
export interface RiskTaskDay {
  day: number;
  playbook: string;
}

/**
 * The newest risk task in the ledger whose cap holds today (recorded within
 * `health.caps.risk_task.withinDays`, not a digital touch), or null (also when the cap is off).
 * @example
 * newestRiskTask(['cs:1:no_login:risk:2026-11@2026-11-01'], defaultConfig(), new Date('2026-11-28'))
 * // { day: <2026-11-01>, playbook: 'no_login' }
 */
export function newestRiskTask(ledger: readonly string[], config: Config, now: Date): RiskTaskDay | null {
  const cap = config.health.caps.risk_task;
  if (!cap.enabled || ledger.length === 0) return null;
  const today = utcDay(now);
  let newest: RiskTaskDay | null = null;
  // Hot path (every account, every run): look closer only at entries that name a risk play, and
  // read them in place (as parseLedger would: `key@YYYY-MM-DD`, trimmed; undated entries never count).
  for (const raw of ledger) {
    const entry = raw.trim();
    if (!namesRiskPlay(entry)) continue;
    const at = ledgerKeyEnd(entry);
    if (at <= 0) continue;
    const day = parseIsoDayIn(entry, at + 1);
    if (day === null || today - day > cap.withinDays || day > today) continue;
    const key = entry.slice(0, at);
    const playbook = playbookOfKey(key);
    if (playbook === null || !RISK_PLAYBOOKS.includes(playbook)) continue;
    // A "we noticed…" email is no task a CSM works on: it does not cap the band.
    if (isDigitalTouchKey(key)) continue;
    if (newest === null || day > newest.day) newest = { day, playbook };
  }
  return newest;
}

/**
 * The first day the risk-task cap of `newest` no longer holds (its day + `withinDays` + 1), or
 * null without one: the clock alone ends it, so the company records it (cs_risk_cap_ends) and an
 * incremental run reads the companies whose day has come.
 * @example
 * riskCapEndsDay({ day: 20_000, playbook: 'no_login' }, defaultConfig()) // 20_031
 */
export function riskCapEndsDay(newest: RiskTaskDay | null, config: Config): number | null {
  return newest === null ? null : newest.day + config.health.caps.risk_task.withinDays + 1;
}

/**
 * The day to record as cs_risk_cap_ends for a ledger as written now: the first day the cap of its
 * newest risk task no longer holds, or null.
 * @example
 * riskCapEndsOf(['cs:1:no_login:alert:2026-11@2026-11-01'], defaultConfig(), new Date('2026-11-28')) // '2026-12-02'
 */
export function riskCapEndsOf(ledger: readonly string[], config: Config, now: Date): IsoDate | null {
  const day = riskCapEndsDay(newestRiskTask(ledger, config, now), config);
  return day === null ? null : formatIsoDay(day);
}

/**
 * The risk-task cap, if any: the newest risk task planned now or in the ledger within the window
 * (`newest`, when the caller has it already: `newestRiskTask` of the same ledger).
 * @example
 * riskTaskCaps(['cs:1:nps_detractor:risk:2026-11@2026-11-20'], [], defaultConfig(), new Date('2026-11-28'))
 * // [{ id: 'risk_task', band: 'watch', reason: 'risk task from 2026-11-20: NPS detractor' }]
 */
export function riskTaskCaps(ledger: readonly string[], planned: ReadonlyArray<{ playbook: string }>, config: Config, now: Date, newest?: RiskTaskDay | null): HealthCap[] {
  const cap = config.health.caps.risk_task;
  if (!cap.enabled || (ledger.length === 0 && planned.length === 0)) return NONE;
  let fresh: { playbook: string } | undefined;
  for (const t of planned) {
    if (RISK_PLAYBOOKS.includes(t.playbook)) {
      fresh = t;
      break;
    }
  }
  // Worded as the ledger will word it tomorrow, so a rerun writes the same summary.
  if (fresh !== undefined) return [{ id: 'risk_task', band: cap.band, reason: `risk task from ${formatIsoDay(utcDay(now))}: ${title(fresh.playbook)}` }];
  const found = newest === undefined ? newestRiskTask(ledger, config, now) : newest;
  return found === null ? NONE : [{ id: 'risk_task', band: cap.band, reason: `risk task from ${formatIsoDay(found.day)}: ${title(found.playbook)}` }];
}
