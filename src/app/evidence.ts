/**
 * The evidence the company search does not carry, read in bulk for a batch of companies: ticket
 * counts (open, high priority, urgent), and, where no sync date is known, the timestamps HubSpot
 * keeps for the usage and NPS values (property history).
 *
 * Tickets are evidence only when the portal links its tickets to companies at all: the adapter
 * learns that once (one call: is any of the portal's first 100 tickets associated with a company?).
 * When it does not, a company with no associated ticket has an *unknown* ticket signal, not
 * "0 open tickets" (which would score 100 on no evidence). A company with tickets is evidence
 * either way.
 */
import type { Account } from '../core';
import type { TicketCounts } from './ports';
import type { AppDeps } from './deps';

export interface EvidenceResult {
  accounts: Account[];
  /** Open tickets counted (for the "minimum calls" work figures). */
  tickets: number;
  /** Companies whose value timestamps were asked from property history (50 per call). */
  historyRead: number;
  /** Companies whose ticket links were read per company (not from the portfolio's open tickets). */
  ticketLinksReadFor: number;
}

/** True when the account has usage-side data but no sync date, or an NPS answer without a date. */
export function needsValueHistory(a: Account): boolean {
  const usage = a.usageCurrentPeriod !== null || a.activeUsers !== null || a.lastLoginDate !== null;
  return (a.usageUpdatedAt === null && usage) || (a.npsDate === null && a.npsScore !== null);
}

/**
 * Adds ticket counts and value timestamps to the accounts (new objects; the input is not changed).
 *
 * @example
 * const { accounts } = await readEvidence(page.accounts, deps, { tickets: true });
 */
export async function readEvidence(
  accounts: Account[],
  deps: Pick<AppDeps, 'crm' | 'config'>,
  options: { tickets: boolean; portfolioTickets?: ReadonlyMap<string, TicketCounts> | undefined },
): Promise<EvidenceResult> {
  const { crm, config } = deps;
  let out = accounts;
  let tickets = 0;
  let ticketLinksReadFor = 0;
  const portfolio = options.portfolioTickets;
  if (options.tickets && accounts.length > 0 && portfolio) {
    // A full sweep read every open ticket once (by search) with its companies: a company absent
    // has no open ticket, which is evidence only when the portal links tickets at all.
    const none = accounts.some((a) => !portfolio.has(a.id));
    const linked = !none || portfolio.size > 0 ? true : crm.ticketsLinked ? await crm.ticketsLinked() : true;
    out = out.map((a) => {
      const c = portfolio.get(a.id);
      if (c === undefined && !linked) return { ...a, openTickets: null, highPriorityTickets: null, urgentTickets: null };
      tickets += c?.open ?? 0;
      return { ...a, openTickets: c?.open ?? 0, highPriorityTickets: c?.highPriority ?? 0, urgentTickets: c?.urgent ?? 0 };
    });
  } else if (options.tickets && accounts.length > 0) {
    const counts = await crm.ticketCounts(accounts.map((a) => a.id));
    ticketLinksReadFor = accounts.length;
    // Asked only when it matters (a company without any ticket); the adapter learns it once.
    let none = false;
    for (const c of counts.values()) if ((c.total ?? c.open) === 0) none = true;
    const linked = none && crm.ticketsLinked ? await crm.ticketsLinked() : true;
    out = out.map((a) => {
      const c = counts.get(a.id);
      if (c === undefined) return a; // unknown stays unknown (null), never 0
      if (!linked && (c.total ?? c.open) === 0) return { ...a, openTickets: null, highPriorityTickets: null, urgentTickets: null };
      tickets += c.open;
      return { ...a, openTickets: c.open, highPriorityTickets: c.highPriority, urgentTickets: c.urgent ?? null };
    });
  }
  let historyRead = 0;
  if (config.health.staleness.valueHistory && crm.valueTimestamps) {
    const ids = out.filter(needsValueHistory).map((a) => a.id);
    if (ids.length > 0) {
      const stamps = await crm.valueTimestamps(ids);
      historyRead = ids.length;
      out = out.map((a) => {
        const s = stamps.get(a.id);
        return s === undefined ? a : { ...a, usageValueAt: s.usageValueAt, npsValueAt: s.npsValueAt };
      });
    }
  }
  return { accounts: out, tickets, historyRead, ticketLinksReadFor };
}
