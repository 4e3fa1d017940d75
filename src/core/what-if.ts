/**
 * What-if: the same accounts evaluated under two configs, with the differences counted and examples.
 */
import { createAssignmentState } from './assignment';
import { configVersion, type Config } from './config';
import { evaluateAccount } from './evaluate';
import type { Account, HealthBand, Owner, Segment } from './types';

export interface WhatIfExample {
  accountId: string;
  name: string | null;
  segment: [Segment, Segment];
  band: [HealthBand, HealthBand];
  score: [number | null, number | null];
  tasks: [number, number];
}

export interface WhatIfResult {
  accounts: number;
  segmentChanged: number;
  bandChanged: number;
  tasks: { a: number; b: number };
  /** Band transitions, e.g. { 'healthy→watch': 12 }. */
  bandMoves: Record<string, number>;
  examples: WhatIfExample[];
}

/**
 * Compares two configs over the same accounts: how many change segment or band, how many tasks would fire.
 * Assignment uses each config's pool with `owners` (all pool members active when not given).
 *
 * @example
 * whatIf(accounts, current, proposed, now, { examples: 5 })
 * // { accounts: 1200, segmentChanged: 14, bandChanged: 87, tasks: { a: 310, b: 342 }, bandMoves: { 'healthy→watch': 60, … }, examples: [...] }
 */
export function whatIf(accounts: readonly Account[], configA: Config, configB: Config, now: Date, options: { owners?: readonly Owner[]; examples?: number } = {}): WhatIfResult {
  const max = options.examples ?? 10;
  const ownersFor = (c: Config): readonly Owner[] =>
    options.owners ?? c.pool.members.map((m) => ({ id: m.ownerId, userId: null, email: null, firstName: null, lastName: null, active: true, archived: false, teams: [] }));
  let stateA = createAssignmentState({ members: configA.pool.members, owners: ownersFor(configA) });
  let stateB = createAssignmentState({ members: configB.pool.members, owners: ownersFor(configB) });
  const va = configVersion(configA);
  const vb = configVersion(configB);
  const out: WhatIfResult = { accounts: 0, segmentChanged: 0, bandChanged: 0, tasks: { a: 0, b: 0 }, bandMoves: {}, examples: [] };
  for (const account of accounts) {
    const a = evaluateAccount(account, { config: configA, configVersion: va, now, assignment: stateA });
    const b = evaluateAccount(account, { config: configB, configVersion: vb, now, assignment: stateB });
    stateA = a.state;
    stateB = b.state;
    out.accounts++;
    out.tasks.a += a.tasks.length;
    out.tasks.b += b.tasks.length;
    const segChanged = a.segment.segment !== b.segment.segment;
    const bandChanged = a.health.band !== b.health.band;
    if (segChanged) out.segmentChanged++;
    if (bandChanged) {
      out.bandChanged++;
      const move = `${a.health.band}→${b.health.band}`;
      out.bandMoves[move] = (out.bandMoves[move] ?? 0) + 1;
    }
    if ((segChanged || bandChanged || a.tasks.length !== b.tasks.length) && out.examples.length < max) {
      out.examples.push({
        accountId: account.id,
        name: account.name,
        segment: [a.segment.segment, b.segment.segment],
        band: [a.health.band, b.health.band],
        score: [a.health.score, b.health.score],
        tasks: [a.tasks.length, b.tasks.length],
      });
    }
  }
  return out;
}
