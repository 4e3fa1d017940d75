/**
 * The evidence read for a batch: ticket counts and value timestamps go out together (neither waits
 * for the other), and when one fails the call answers only once the other has settled.
 */
import { configVersion, defaultConfig } from '../core';
import { makeAccount } from '../core/test-support';
import { createMemoryLogger } from '../platform/logger';
import type { AppDeps } from './deps';
import { readEvidence } from './evidence';
import type { CrmPort, TicketCounts, ValueTimestamps } from './ports';

const NOW = new Date('2026-06-16T15:00:00Z');
const config = defaultConfig();

/** A later turn of the event loop (an answer that takes a moment). */
const later = () => new Promise<void>((resolve) => setImmediate(resolve));

function depsWith(crm: Partial<CrmPort>): AppDeps {
  return { crm: crm as CrmPort, config, configVersion: configVersion(config), now: () => NOW, log: createMemoryLogger() };
}

/** Usage without a sync date (needs its value timestamp), and tickets to count. */
const undated = (id: string) => makeAccount({ id, usageCurrentPeriod: 90, usagePreviousPeriod: 100, usageUpdatedAt: null });

describe('readEvidence', () => {
  it('asks for the value timestamps while the ticket counts are on their way, and uses both', async () => {
    const events: string[] = [];
    const crm: Partial<CrmPort> = {
      async ticketCounts(ids) {
        events.push('tickets asked');
        await later();
        events.push('tickets answered');
        return new Map<string, TicketCounts>(ids.map((id) => [id, { open: 2, highPriority: 1 }]));
      },
      async valueTimestamps(ids) {
        events.push('timestamps asked');
        await later();
        events.push('timestamps answered');
        return new Map<string, ValueTimestamps>(ids.map((id) => [id, { usageValueAt: '2026-06-10T03:00:00.000Z', npsValueAt: null }]));
      },
    };
    const r = await readEvidence([undated('1'), undated('2')], depsWith(crm), { tickets: true });
    // Both asked before either answered: one round trip, not two.
    expect(events.slice(0, 2).sort()).toEqual(['tickets asked', 'timestamps asked']);
    expect(r.accounts.map((a) => [a.openTickets, a.highPriorityTickets, a.usageValueAt])).toEqual([
      [2, 1, '2026-06-10T03:00:00.000Z'],
      [2, 1, '2026-06-10T03:00:00.000Z'],
    ]);
    expect(r).toMatchObject({ tickets: 4, historyRead: 2, ticketLinksReadFor: 2 });
  });

  it('asks for no timestamps when every value has its sync date', async () => {
    const asked: string[][] = [];
    const crm: Partial<CrmPort> = {
      ticketCounts: async (ids) => new Map(ids.map((id) => [id, { open: 0, highPriority: 0 }])),
      valueTimestamps: async (ids) => (asked.push(ids), new Map()),
    };
    const r = await readEvidence([makeAccount({ id: '1', usageUpdatedAt: '2026-06-15T03:00:00.000Z' })], depsWith(crm), { tickets: true });
    expect(asked).toEqual([]);
    expect(r.historyRead).toBe(0);
  });

  it('a ticket read that fails fails the call only once the timestamp read has settled (nothing left in flight)', async () => {
    let timestampsSettled = false;
    const crm: Partial<CrmPort> = {
      async ticketCounts() {
        throw new Error('tickets: 502 after retries');
      },
      async valueTimestamps() {
        await later();
        await later();
        timestampsSettled = true;
        return new Map();
      },
    };
    await expect(readEvidence([undated('1')], depsWith(crm), { tickets: true })).rejects.toThrow('tickets: 502 after retries');
    expect(timestampsSettled).toBe(true);
  });

  it('a timestamp read that fails fails the call (no value is guessed)', async () => {
    const crm: Partial<CrmPort> = {
      ticketCounts: async (ids) => new Map(ids.map((id) => [id, { open: 1, highPriority: 0 }])),
      valueTimestamps: async () => {
        throw new Error('history: 500');
      },
    };
    await expect(readEvidence([undated('1')], depsWith(crm), { tickets: true })).rejects.toThrow('history: 500');
  });
});
