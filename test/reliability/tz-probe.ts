/**
 * Reliability case 19 helper: evaluates a fixed portfolio at instants around DST changes and prints
 * the task keys and due dates as JSON. Run in child processes under different `TZ` values; the
 * output must be byte-identical.
 */
import { createAssignmentState, configVersion, defaultConfig, evaluateAccount, type Account, type Owner } from '../../src/core';
import { makeAccount } from '../../src/core/test-support';

/** Pairs of instants on the same UTC day, one before and one after a DST switch somewhere. */
export const INSTANTS: Array<[string, string]> = [
  ['2026-03-08T06:30:00Z', '2026-03-08T07:30:00Z'], // US spring forward (07:00 UTC)
  ['2026-03-29T00:30:00Z', '2026-03-29T01:30:00Z'], // EU spring forward (01:00 UTC)
  ['2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z'], // EU fall back
  ['2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z'], // US fall back (06:00 UTC)
  ['2026-11-23T00:00:00Z', '2026-11-23T23:59:59Z'], // either end of one UTC day
];

export function probe(): Record<string, Array<{ key: string; dueAt: string }>> {
  const config = defaultConfig();
  config.pool.members = [
    { ownerId: '1', skills: [], coverageDays: [], outOfOffice: [], capacity: 20 },
    { ownerId: '2', skills: [], coverageDays: [], outOfOffice: [], capacity: 20 },
  ];
  const owner = (id: string): Owner => ({ id, userId: null, email: null, firstName: null, lastName: null, active: true, archived: false, teams: [] });
  const version = configVersion(config);
  const out: Record<string, Array<{ key: string; dueAt: string }>> = {};
  for (const pair of INSTANTS) {
    for (const iso of pair) {
      const now = new Date(iso);
      const day = iso.slice(0, 10);
      const plus = (d: number) => new Date(Date.parse(`${day}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);
      const accounts: Account[] = [
        makeAccount({ id: '101', acv: 30_000, contractStartDate: day }),
        makeAccount({ id: '102', acv: 12_000, contractStartDate: plus(-3) }),
        makeAccount({ id: '103', acv: 8_000, contractStartDate: '2024-01-01', graduatedAt: '2024-04-01', renewalDate: plus(90) }),
        makeAccount({ id: '104', acv: 60_000, contractStartDate: '2024-01-01', graduatedAt: '2024-04-01', renewalDate: plus(30), lastLoginDate: plus(-31), npsScore: 3, npsDate: plus(-2) }),
        makeAccount({ id: '105', acv: 9_000, contractStartDate: '2024-01-01', graduatedAt: '2024-04-01', lastContactedAt: `${plus(-46)}T23:30:00.000Z`, usageCurrentPeriod: 40, usagePreviousPeriod: 100 }),
      ];
      let state = createAssignmentState({ members: config.pool.members, owners: [owner('1'), owner('2')] });
      const tasks: Array<{ key: string; dueAt: string }> = [];
      for (const a of accounts) {
        const ev = evaluateAccount(a, { config, configVersion: version, now, assignment: state });
        state = ev.state;
        for (const t of ev.tasks) tasks.push({ key: t.key, dueAt: t.dueAt });
      }
      out[iso] = tasks;
    }
  }
  return out;
}

if (require.main === module) process.stdout.write(JSON.stringify(probe()));
