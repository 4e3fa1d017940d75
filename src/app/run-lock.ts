/**
 * One sweep at a time per state file: two overlapping runs (a slow cron job and the next one)
 * would both plan the same tasks. The lock is a file holding the owner's pid; a lock whose
 * process is gone (killed, crashed) is taken over, so a kill never blocks the next run.
 */
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface RunLock {
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock or answers who holds it.
 *
 * @example
 * const lock = await acquireRunLock('.cs-state/sweep.json.lock');
 * if (!lock.ok) throw new Error(lock.message);
 * try { ... } finally { await lock.lock.release(); }
 */
export async function acquireRunLock(path: string, now: () => Date = () => new Date()): Promise<{ ok: true; lock: RunLock } | { ok: false; message: string }> {
  await mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, since: now().toISOString() }));
      await handle.close();
      return { ok: true, lock: { release: () => unlink(path).catch(() => undefined) } };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: { pid?: number; since?: string } = {};
      try {
        holder = JSON.parse(await readFile(path, 'utf8')) as typeof holder;
      } catch {
        // unreadable: treated as stale below
      }
      if (typeof holder.pid === 'number' && holder.pid !== process.pid && alive(holder.pid)) {
        return { ok: false, message: `Another sweep is running (pid ${holder.pid}, since ${holder.since ?? '?'}): wait for it to finish, or delete ${path} if that process is gone.` };
      }
      await unlink(path).catch(() => undefined); // stale: its process is gone
    }
  }
  return { ok: false, message: `Could not take the sweep lock ${path}` };
}
