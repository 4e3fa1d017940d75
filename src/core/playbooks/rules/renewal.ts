/**
 * Renewal 90/60/30 (period: the renewal date; only the tightest window that applies). Settings:
 * `playbooks.rules.renewal` (windows, qualifiedWindows, lowUtilisationBelow) and the expansion rule's
 * `utilisationFrom` (expansion potential). A qualified window (60 days out) needs a person only when
 * usage is low or expansion potential is high, or the account is named (001 §5–6). Windows of 30 days
 * or less are HIGH. Channel play: `renewal_d<window>` (e.g. digital usage summary at 90, a person at 30).
 */
import type { Config } from '../../config';
import * as dates from '../../dates';
import { pctText, type PlaybookRule } from '../rule';

const { formatIsoDay, parseIsoDay } = dates;

interface Settings {
  rule: Config['playbooks']['rules']['renewal'];
  /** Per window (same index): whether it is qualified, its step (`d60`) and its channel play (`renewal_d60`). */
  qualified: boolean[];
  steps: string[];
  plays: string[];
  expansionFrom: number;
}

export const renewalRule: PlaybookRule<Settings> = {
  id: 'renewal',
  title: 'Renewal',
  resolve(config) {
    const rule = config.playbooks.rules.renewal;
    if (!rule.enabled) return null;
    return {
      rule,
      qualified: rule.windows.map((w) => rule.qualifiedWindows.includes(w)),
      steps: rule.windows.map((w) => `d${w}`),
      plays: rule.windows.map((w) => `renewal_d${w}`),
      expansionFrom: config.playbooks.rules.expansion.utilisationFrom,
    };
  },
  trigger(ctx, s) {
    const renewal = parseIsoDay(ctx.account.renewalDate);
    const today = ctx.today;
    if (renewal === null || renewal < today) return;
    const daysOut = renewal - today;
    // The tightest window that applies: the smallest one at or beyond daysOut.
    const windows = s.rule.windows;
    let i = -1;
    for (let k = 0; k < windows.length; k++) if (daysOut <= (windows[k] as number) && (i < 0 || (windows[k] as number) < (windows[i] as number))) i = k;
    if (i < 0) return;
    const w = windows[i] as number;
    if (s.qualified[i] === true && ctx.segment.segment !== 'named') {
      const util = ctx.utilisation;
      if (util === null || (util >= s.rule.lowUtilisationBelow && util < s.expansionFrom)) return;
    }
    ctx.add(s.steps[i] as string, formatIsoDay(renewal), w <= 30 ? 'HIGH' : s.rule.priority, Math.min(today + s.rule.dueInDays, Math.max(today, renewal - 1)), s.rule.cooldownDays, w, s.plays[i] as string);
  },
  describe(c, ctx, s) {
    const w = c.arg;
    const daysOut = (parseIsoDay(ctx.account.renewalDate) as number) - ctx.today;
    const util = ctx.utilisation;
    const low = util !== null && util < s.rule.lowUtilisationBelow;
    const because =
      s.rule.qualifiedWindows.includes(w) && ctx.segment.segment !== 'named'
        ? low
          ? `; usage is low (${pctText(util ?? 0)} of seats, below ${pctText(s.rule.lowUtilisationBelow)})`
          : `; expansion potential (${pctText(util ?? 0)} of seats used)`
        : '';
    return {
      subject: `renewal in ${daysOut} days (${c.period})`,
      why: `Renewal on ${c.period} is ${daysOut} days out (the ${w}-day window)${because}.`,
      values: { renewalDate: c.period, daysOut, window: w, score: ctx.health.score, band: ctx.health.band },
    };
  },
};
