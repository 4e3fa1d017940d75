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
  /** Open tickets counted from what was read (for the "minimum calls" work figures; recorded counts are not). */
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
  options: {
    tickets: boolean;
    portfolioTickets?: ReadonlyMap<string, TicketCounts> | undefined;
    /**
     * The companies whose tickets changed since the last complete run (an incremental sweep): every
     * other company with recorded counts takes them instead of a read; absent = read them all.
     */
    ticketsChanged?: ReadonlySet<string> | undefined;
  },
): Promise<EvidenceResult> {
  const { crm, config } = deps;
  // The value timestamps do not depend on the tickets: both reads go out together (one round trip
  // fewer for each batch that needs both), and both have settled before this call answers or fails.
  const historyIds = config.health.staleness.valueHistory && crm.valueTimestamps ? accounts.filter(needsValueHistory).map((a) => a.id) : [];
  const readTickets = async (): Promise<{ out: Account[]; tickets: number; ticketLinksReadFor: number }> => {
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
      // Recorded counts stand for a company none of whose tickets changed since they were counted;
      // the others (changed, or never recorded) are read.
      const changed = options.ticketsChanged;
      const recorded = new Set<string>();
      if (changed) for (const a of accounts) if ((a.ticketCounts ?? null) !== null && !changed.has(a.id)) recorded.add(a.id);
      const toRead = recorded.size === 0 ? accounts : accounts.filter((a) => !recorded.has(a.id));
      const counts = toRead.length > 0 ? await crm.ticketCounts(toRead.map((a) => a.id)) : new Map<string, TicketCounts>();
      ticketLinksReadFor = toRead.length;
      // Asked only when it matters (a company without any ticket); the adapter learns it once.
      let none = false;
      for (const c of counts.values()) if ((c.total ?? c.open) === 0) none = true;
      const linked = none && crm.ticketsLinked ? await crm.ticketsLinked() : true;
      out = out.map((a) => {
        const r = recorded.has(a.id) ? (a.ticketCounts ?? null) : null;
        if (r !== null) {
          // Not read: no call carried them (the work figures count read tickets only).
          return { ...a, openTickets: r.open, highPriorityTickets: r.highPriority, urgentTickets: r.urgent };
        }
        const c = counts.get(a.id);
        if (c === undefined) return a; // unknown stays unknown (null), never 0
        if (!linked && (c.total ?? c.open) === 0) return { ...a, openTickets: null, highPriorityTickets: null, urgentTickets: null };
        tickets += c.open;
        return { ...a, openTickets: c.open, highPriorityTickets: c.highPriority, urgentTickets: c.urgent ?? null };
      });
    }
    return { out, tickets, ticketLinksReadFor };
  };
  const [ticketRead, stampRead] = await Promise.allSettled([readTickets(), historyIds.length > 0 && crm.valueTimestamps ? crm.valueTimestamps(historyIds) : Promise.resolve(null)]);
  if (ticketRead.status === 'rejected') throw ticketRead.reason;
  if (stampRead.status === 'rejected') throw stampRead.reason;
  let { out } = ticketRead.value;
  const { tickets, ticketLinksReadFor } = ticketRead.value;
  const stamps = stampRead.value;
  const historyRead = stamps === null ? 0 : historyIds.length;
  if (stamps !== null) {
    out = out.map((a) => {
      const s = stamps.get(a.id);
      return s === undefined ? a : { ...a, usageValueAt: s.usageValueAt, npsValueAt: s.npsValueAt };
    });
  }
  return { accounts: out, tickets, historyRead, ticketLinksReadFor };
}
