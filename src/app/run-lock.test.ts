import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { acquireRunLock } from './run-lock';

describe('acquireRunLock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cs-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('one holder at a time; released on demand', async () => {
    const path = join(dir, 'state', 'sweep.json.lock');
    const first = await acquireRunLock(path);
    expect(first.ok).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    if (first.ok) await first.lock.release();
    expect(existsSync(path)).toBe(false);
  });

  test('a lock held by a live process is refused with its pid and the file to delete', async () => {
    const path = join(dir, 'sweep.json.lock');
    // The parent of this test process is alive for the whole test.
    writeFileSync(path, JSON.stringify({ pid: process.ppid, since: '2026-11-23T09:00:00.000Z' }));
    const r = await acquireRunLock(path);
    expect(r).toEqual({ ok: false, message: expect.stringContaining(`pid ${process.ppid}`) });
    if (!r.ok) expect(r.message).toContain(path);
  });

  test('a lock left by a killed process is taken over', async () => {
    const path = join(dir, 'sweep.json.lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(path, JSON.stringify({ pid: Number(dead.stdout), since: '2026-11-23T09:00:00.000Z' }));
    const r = await acquireRunLock(path);
    expect(r.ok).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
  });

  test('an unreadable lock file is treated as stale', async () => {
    const path = join(dir, 'sweep.json.lock');
    writeFileSync(path, 'garbage');
    expect((await acquireRunLock(path)).ok).toBe(true);
  });
});
