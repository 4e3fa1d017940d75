/**
 * Reliability case 7: a 207 partial batch answer (97 ok, 3 failed) on the local CRM server.
 */
import { createAssignmentState, type PlannedTask } from '../../src/core';
import { processAccounts } from '../../src/app';
import { companyIds, duplicates, startStack, taskKeyCounts, type Stack } from './stack';

let s: Stack;
afterEach(() => s.stop());

const UPDATE = 'POST /crm/v3/objects/companies/batch/update';

test('case 7: 207 partial batch (e.g. 97 ok, 3 failed) — the 97 are counted done, the 3 reported per record, nothing lost', async () => {
  s = await startStack({ companies: 150 });
  const ids = companyIds(s.local).slice(0, 100);
  const bad = [ids[5], ids[50], ids[99]] as string[];
  s.local.faults.add({ match: { pathPrefix: '/crm/v3/objects/companies/batch/update' }, respond: { partial: { failIds: bad, category: 'VALIDATION_ERROR', message: 'Property values were not valid' } } });
  const res = await s.crm.updateCompanies(ids.map((id) => ({ id, properties: { cs_health_summary: `v2 ${id}` } })));
  expect(res.ok).toHaveLength(97);
  expect(new Set(res.ok)).toEqual(new Set(ids.filter((id) => !bad.includes(id))));
  expect(res.failed).toEqual(bad.map((id) => ({ id, status: 400, message: 'Property values were not valid' })));
  expect(s.local.counters.get(UPDATE)).toBe(1); // a 207 is an answer, not an error: no retry
  for (const id of ids) {
    const value = s.local.store.get('companies', Number(id))?.props.cs_health_summary;
    expect(value === `v2 ${id}`).toBe(!bad.includes(id));
  }
  // Nothing lost: sending only the reported records again completes them.
  const again = await s.crm.updateCompanies(res.failed.map((f) => ({ id: f.id, properties: { cs_health_summary: `v2 ${f.id}` } })));
  expect(again).toEqual({ ok: expect.arrayContaining(bad), failed: [] });
  for (const id of ids) expect(s.local.store.get('companies', Number(id))?.props.cs_health_summary).toBe(`v2 ${id}`);

  // The same for a task batch/create answered 207: 97 created and mapped to their keys, 3 reported by key.
  const tasks: PlannedTask[] = ids.map((id, i) => ({
    accountId: id,
    key: `cs:${id}:renewal:d90:2027-02-21`,
    playbook: 'renewal',
    step: 'd90',
    subject: `Renewal ${i}`,
    body: 'Renewal in 90 days.',
    dueAt: '2026-11-30T09:00:00.000Z',
    priority: 'MEDIUM',
    ownerId: null,
    queueId: null,
    trigger: { rule: 'renewal', values: {} },
  }));
  s.local.faults.add({ match: { pathPrefix: '/crm/v3/objects/tasks/batch/create' }, respond: { partial: { failIndexes: [0, 10, 20] } } });
  const created = await s.crm.createTasks(tasks);
  expect(created.ok).toHaveLength(97);
  expect(created.failed.map((f) => f.id).sort()).toEqual([tasks[0], tasks[10], tasks[20]].map((t) => (t as PlannedTask).key).sort());
  expect(s.local.store.count('tasks')).toBe(97);
  expect(duplicates(taskKeyCounts(s.local))).toEqual([]);

  // Through the pipeline: failures are reported per record with the operation, and the rest is counted.
  const accounts = (await s.crm.readCompanies(ids)).accounts;
  s.local.faults.add({ match: { pathPrefix: '/crm/v3/objects/companies/batch/update' }, respond: { partial: { failIds: bad } } });
  const owners = await s.crm.listOwners();
  const result = await processAccounts(accounts, s.deps, createAssignmentState({ members: s.config.pool.members, owners }), { ticketsKnown: true });
  const updateFailures = result.failures.filter((f) => f.op === 'update');
  expect(updateFailures.map((f) => f.id).sort()).toEqual([...bad].sort());
  expect(result.updated).toBe(100 - result.unchanged - 3);
});
