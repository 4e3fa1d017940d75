import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createManualClock } from '../platform/clock';
import { ACTION_STORE_FILE, openFileActionStore } from './file-action-store';
import { OutputFieldsSchema, type OutputFields } from './workflow-action';

const start = Date.UTC(2026, 10, 23, 10, 0, 0);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'action-store-'));
  dirs.push(d);
  return d;
}

const open = (dir: string, clock = createManualClock(start), overrides: { maxEntries?: number; ttlMs?: number; compactAfterLines?: number } = {}) =>
  openFileActionStore<OutputFields>({ dir, valueSchema: OutputFieldsSchema, clock, maxEntries: 100, ttlMs: 3_600_000, compactAfterLines: 1_000, ...overrides });

describe('file action store', () => {
  it('answers and pending completions survive a reopen (a restart)', async () => {
    const dir = tempDir();
    const a = await open(dir);
    await a.set('cb-1', { hs_execution_state: 'SUCCESS', tasks_created: 1 });
    await a.addPending({ callbackId: 'cb-2', action: 'run-playbooks', companyId: '42', since: start });
    await a.addPending({ callbackId: 'cb-3', action: 'recompute-health', companyId: '7', since: start, final: { hs_execution_state: 'SUCCESS', score: 70 } });
    await a.addPending({ callbackId: 'cb-4', action: 'run-playbooks', companyId: '8', since: start });
    await a.removePending('cb-4');
    // no close(): as after a SIGKILL, only what each call already wrote counts
    const b = await open(dir);
    await expect(b.get('cb-1')).resolves.toEqual({ hs_execution_state: 'SUCCESS', tasks_created: 1 });
    expect((await b.listPending()).map((p) => [p.callbackId, p.final?.hs_execution_state ?? null])).toEqual([
      ['cb-2', null],
      ['cb-3', 'SUCCESS'],
    ]);
    expect(b.loaded).toEqual({ answers: 1, pending: 2, skippedLines: 0 });
    await a.close();
    await b.close();
  });

  it('skips a torn last line and a line with a bad value, keeping the rest', async () => {
    const dir = tempDir();
    const a = await open(dir);
    await a.set('cb-ok', { hs_execution_state: 'BLOCK' });
    await a.close();
    appendFileSync(join(dir, ACTION_STORE_FILE), '{"t":"answer","key":"cb-bad","value":{"hs_execution_state":"MAYBE"},"at":1}\n{"t":"ans');
    const b = await open(dir);
    await expect(b.get('cb-ok')).resolves.toEqual({ hs_execution_state: 'BLOCK' });
    await expect(b.get('cb-bad')).resolves.toBeUndefined();
    expect(b.loaded.skippedLines).toBe(2);
    await b.set('cb-after', { hs_execution_state: 'SUCCESS' });
    await b.close();
    const c = await open(dir);
    await expect(c.get('cb-after')).resolves.toEqual({ hs_execution_state: 'SUCCESS' });
    await c.close();
  });

  it('forgets answers after the TTL and keeps at most maxEntries (newest)', async () => {
    const dir = tempDir();
    const clock = createManualClock(start);
    const a = await open(dir, clock, { maxEntries: 2, ttlMs: 1_000 });
    for (const k of ['a', 'b', 'c']) await a.set(k, { hs_execution_state: 'SUCCESS' });
    expect(a.size()).toBe(2);
    await expect(a.get('a')).resolves.toBeUndefined();
    clock.advance(1_000);
    await expect(a.get('c')).resolves.toBeUndefined();
    await a.close();
    const b = await open(dir, clock, { maxEntries: 2, ttlMs: 1_000 });
    expect(b.size()).toBe(0);
    await b.close();
  });

  it('compacts the file to what is live once it grows past the threshold', async () => {
    const dir = tempDir();
    const a = await open(dir, createManualClock(start), { compactAfterLines: 100 });
    for (let i = 0; i < 150; i++) {
      await a.addPending({ callbackId: `p-${i}`, action: 'run-playbooks', companyId: String(i), since: start });
      await a.removePending(`p-${i}`);
    }
    await a.set('kept', { hs_execution_state: 'SUCCESS' });
    await a.close();
    const lines = readFileSync(join(dir, ACTION_STORE_FILE), 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThan(120);
    const b = await open(dir);
    await expect(b.get('kept')).resolves.toEqual({ hs_execution_state: 'SUCCESS' });
    await expect(b.listPending()).resolves.toEqual([]);
    await b.close();
  });

  it('concurrent writes are all on disk when their promises resolve (group commit)', async () => {
    const dir = tempDir();
    const a = await open(dir);
    await Promise.all(Array.from({ length: 200 }, (_, i) => a.set(`cb-${i}`, { hs_execution_state: 'SUCCESS' })));
    const lines = readFileSync(join(dir, ACTION_STORE_FILE), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(200);
    await a.close();
    await expect(a.set('late', { hs_execution_state: 'SUCCESS' })).rejects.toThrow(/closed/);
  });
});
