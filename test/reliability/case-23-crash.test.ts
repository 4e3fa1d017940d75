/**
 * Reliability case 23: a crash mid-sweep, then a rerun with the same state store — no duplicate
 * task, no lost update. The crash is a CrmPort wrapper that throws (like a killed process) at the
 * worst moments: after a unit's tasks were created but before its properties were written, and
 * before a unit's update was sent. The result is compared with a clean run on an identical portal.
 */
import { loadAssignmentState, runSweep, memorySweepStateStore } from '../../src/app';
import { loadOf } from '../../src/core';
import type { CrmPort } from '../../src/app';
import type { LocalCrm } from '../../src/emulator';
import { duplicates, startStack, taskKeyCounts, type Stack } from './stack';

class Crash extends Error {}

/** Throws on the k-th call of `method`, before (`when: 'before'`) or after delegating to the real port. */
function crashing(method: 'createTasks' | 'updateCompanies', k: number, when: 'before' | 'after') {
  let calls = 0;
  let armed = true;
  return {
    disarm: () => (armed = false),
    wrap: (crm: CrmPort): CrmPort => ({
      ...crm,
      [method]: async (input: never) => {
        calls++;
        const hit = armed && calls === k;
        if (hit && when === 'before') throw new Crash(`crash before ${method} #${k}`);
        const result = await (crm[method] as (x: never) => Promise<unknown>)(input);
        if (hit) throw new Crash(`crash after ${method} #${k}`);
        return result;
      },
    }),
  };
}

const WRITTEN = ['cs_segment', 'cs_health_score', 'cs_health_band', 'cs_health_coverage', 'cs_lifecycle_stage', 'cs_onboarding_csm', 'cs_graduation_date', 'cs_config_version'];

function snapshot(local: LocalCrm): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of local.store.objects.companies.values()) {
    const ledger = (c.props.cs_playbook_ledger ?? '').split('\n').map((e) => e.split('@')[0]).filter(Boolean).sort();
    out.set(String(c.id), JSON.stringify([...WRITTEN.map((p) => c.props[p] ?? ''), ledger]));
  }
  return out;
}

let stacks: Stack[] = [];
afterEach(async () => {
  await Promise.all(stacks.map((s) => s.stop()));
  stacks = [];
});

test('case 23: a crash mid-sweep, then a rerun — no duplicate task, no lost update: the sweep is idempotent and resumable', async () => {
  const reference = await startStack({ companies: 700 });
  stacks.push(reference);
  const clean = await runSweep(reference.deps, { store: memorySweepStateStore(), unitSize: 200 });
  expect(clean.status).toBe('complete');
  const expectedKeys = [...taskKeyCounts(reference.local).keys()].sort();
  const expectedProps = snapshot(reference.local);
  expect(expectedKeys.length).toBeGreaterThan(100);

  await expectSameAsClean(expectedKeys, expectedProps, [
    // The day's tasks are created once, after every unit (the dispatch): crash right after it.
    ['tasks created, their keys not yet moved from backlog to ledger', 'createTasks', 1, 'after'],
    // The ledger move goes out beside the creates: a crash before any task exists, the keys written.
    ['keys moved to the ledger, the tasks never created', 'createTasks', 1, 'before'],
    ['update of the second unit never sent', 'updateCompanies', 2, 'before'],
  ]);
}, 60_000);

/**
 * A crash after a unit's properties were written but before its checkpoint was saved. Re-reading
 * that unit shows its own CSM choices as "kept" (which count no load), so the sweep saves the
 * state the unit computed before it starts writing and continues from it after redoing the unit.
 */
test('case 23: a crash after a unit was written but before its checkpoint — the rerun never assigns past capacity and matches a clean run', async () => {
  const reference = await startStack({ companies: 700 });
  stacks.push(reference);
  await runSweep(reference.deps, { store: memorySweepStateStore(), unitSize: 200 });
  await expectSameAsClean([...taskKeyCounts(reference.local).keys()].sort(), snapshot(reference.local), [['third unit written, checkpoint not saved', 'updateCompanies', 3, 'after']]);
}, 60_000);

async function expectSameAsClean(expectedKeys: string[], expectedProps: Map<string, string>, scenarios: Array<[string, 'createTasks' | 'updateCompanies', number, 'before' | 'after']>): Promise<void> {
  for (const [what, method, k, when] of scenarios) {
    const crash = crashing(method, k, when);
    const s = await startStack({ companies: 700, wrap: crash.wrap });
    stacks.push(s);
    const store = memorySweepStateStore();
    await expect(runSweep(s.deps, { store, unitSize: 200 })).rejects.toBeInstanceOf(Crash);
    const saved = store.current().inProgress;
    expect({ what, inProgress: saved !== null }).toEqual({ what, inProgress: true });

    // The rerun (a new process would build the same deps) resumes from the saved cursor.
    crash.disarm();
    const rerun = await runSweep(s.deps, { store, unitSize: 200 });
    expect({ what, status: rerun.status, resumed: rerun.resumed }).toEqual({ what, status: 'complete', resumed: true });
    // No CSM holds more concurrent onboardings than min(capacity, cap), as HubSpot now records them.
    const { state } = await loadAssignmentState(s.deps, await s.crm.listOwners());
    const over = s.config.pool.members
      .map((m) => ({ owner: m.ownerId, load: loadOf(state, m.ownerId), limit: Math.min(m.capacity, s.config.assignment.concurrentOnboardingCap) }))
      .filter((x) => x.load > x.limit);
    expect({ what, over }).toEqual({ what, over: [] });
    const counts = taskKeyCounts(s.local);
    expect({ what, duplicates: duplicates(counts) }).toEqual({ what, duplicates: [] });
    expect({ what, keys: [...counts.keys()].sort() }).toEqual({ what, keys: expectedKeys });
    const props = snapshot(s.local);
    const differing = [...expectedProps].filter(([id, v]) => props.get(id) !== v).map(([id]) => ({ id, expected: expectedProps.get(id), got: props.get(id) }));
    expect({ what, differing: differing.slice(0, 3), count: differing.length }).toEqual({ what, differing: [], count: 0 });
  }
}
