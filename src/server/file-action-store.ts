/**
 * The default durable {@link ActionStore}: one append-only JSON-lines file in a directory of its own.
 *
 * - Every change (an answer, a pending completion added or removed) is one line; a call resolves
 *   only when its line is written (group commit: changes made while a write is under way go out
 *   together in the next one), so an answer is never sent before it is on disk.
 * - On open the file is read back: answers younger than `ttlMs` (at most `maxEntries`, newest kept)
 *   and pending completions survive a restart, including after SIGKILL (written lines are in the
 *   OS page cache). A torn or unreadable last line is skipped and counted.
 * - When the file holds more than `compactAfterLines` lines it is rewritten (a temp file renamed
 *   over it) with only what is live.
 *
 * One `serve` per directory. Several instances behind a load balancer need a shared store instead
 * (Redis, Postgres) implementing the same interface.
 */
import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

import { z } from 'zod';

import type { Clock } from '../platform/clock';
import type { ActionStore, PendingCompletion } from './idempotency-store';

export const ACTION_STORE_FILE = 'action-store.jsonl';

export interface FileActionStoreOptions<V> {
  dir: string;
  /** Validates stored answers when the file is read back. */
  valueSchema: z.ZodType<V>;
  clock: Pick<Clock, 'now'>;
  maxEntries: number;
  ttlMs: number;
  /** Rewrite the file when it has more lines than this. */
  compactAfterLines: number;
}

export interface FileActionStore<V> extends ActionStore<V> {
  readonly file: string;
  /** What was read back on open. */
  readonly loaded: { answers: number; pending: number; skippedLines: number };
  size(): number;
}

const PendingLine = z.object({
  callbackId: z.string().min(1),
  action: z.string().min(1),
  companyId: z.string().min(1),
  ownerId: z.string().optional(),
  since: z.number(),
  final: z.unknown().optional(),
});

const Line = z.discriminatedUnion('t', [
  z.object({ t: z.literal('answer'), key: z.string().min(1), value: z.unknown(), at: z.number() }),
  z.object({ t: z.literal('pending'), p: PendingLine }),
  z.object({ t: z.literal('done'), key: z.string().min(1) }),
]);
type Line = z.infer<typeof Line>;

/**
 * Opens (creating the directory if needed) and reads back the store.
 *
 * @example
 * const store = await openFileActionStore({ dir: '.cs-actions', valueSchema, clock: systemClock, maxEntries: 50_000, ttlMs: 7 * 86_400_000, compactAfterLines: 100_000 });
 */
export async function openFileActionStore<V>(options: FileActionStoreOptions<V>): Promise<FileActionStore<V>> {
  if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) throw new Error('maxEntries must be a positive integer');
  if (!(options.ttlMs > 0)) throw new Error('ttlMs must be positive');
  await mkdir(options.dir, { recursive: true });
  const file = join(options.dir, ACTION_STORE_FILE);
  const answers = new Map<string, { value: V; at: number }>();
  const pending = new Map<string, PendingCompletion<V>>();
  const loaded = { answers: 0, pending: 0, skippedLines: 0 };
  const now = options.clock.now();

  const putAnswer = (key: string, value: V, at: number): void => {
    answers.delete(key);
    answers.set(key, { value, at });
    while (answers.size > options.maxEntries) {
      const oldest = answers.keys().next();
      if (oldest.done) break;
      answers.delete(oldest.value);
    }
  };

  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  let lines = 0;
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    lines++;
    let parsed: Line;
    try {
      parsed = Line.parse(JSON.parse(raw));
    } catch {
      loaded.skippedLines++;
      continue;
    }
    if (parsed.t === 'answer') {
      const value = options.valueSchema.safeParse(parsed.value);
      if (!value.success) {
        loaded.skippedLines++;
        continue;
      }
      if (parsed.at + options.ttlMs > now) putAnswer(parsed.key, value.data, parsed.at);
    } else if (parsed.t === 'pending') {
      const final = parsed.p.final === undefined ? undefined : options.valueSchema.safeParse(parsed.p.final);
      if (final && !final.success) {
        loaded.skippedLines++;
        continue;
      }
      const { final: _ignored, ...rest } = parsed.p;
      pending.set(parsed.p.callbackId, { ...rest, ...(final?.success ? { final: final.data } : {}) });
    } else {
      pending.delete(parsed.key);
    }
  }
  loaded.answers = answers.size;
  loaded.pending = pending.size;

  let handle: FileHandle | null = await open(file, 'a');
  // A torn last line (a write cut by a crash) must not swallow the next one.
  if (text.length > 0 && !text.endsWith('\n')) await handle.write('\n', null, 'utf8');
  let linesInFile = lines;
  let queue: Array<{ line: string; done: () => void; fail: (e: unknown) => void }> = [];
  let writing: Promise<void> | null = null;
  let closed = false;

  const snapshot = (): string => {
    const out: string[] = [];
    for (const [key, a] of answers) out.push(JSON.stringify({ t: 'answer', key, value: a.value, at: a.at } satisfies Line));
    for (const p of pending.values()) out.push(JSON.stringify({ t: 'pending', p } satisfies Line));
    return out.length ? `${out.join('\n')}\n` : '';
  };

  async function compact(): Promise<void> {
    const tmp = `${file}.tmp`;
    const body = snapshot();
    const out = await open(tmp, 'w');
    try {
      await out.writeFile(body, 'utf8');
      await out.sync();
    } finally {
      await out.close();
    }
    await handle?.close();
    await rename(tmp, file);
    handle = await open(file, 'a');
    linesInFile = answers.size + pending.size;
  }

  async function drainQueue(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        if (!handle) throw new Error('action store is closed');
        await handle.write(batch.map((b) => b.line).join(''), null, 'utf8');
        linesInFile += batch.length;
        for (const b of batch) b.done();
      } catch (err) {
        for (const b of batch) b.fail(err);
      }
      if (linesInFile > options.compactAfterLines && handle) await compact();
    }
  }

  function append(entry: Line): Promise<void> {
    if (closed) return Promise.reject(new Error('action store is closed'));
    return new Promise<void>((done, fail) => {
      queue.push({ line: `${JSON.stringify(entry)}\n`, done, fail });
      if (!writing) {
        writing = drainQueue().finally(() => {
          writing = null;
        });
      }
    });
  }

  const store: FileActionStore<V> = {
    file,
    loaded,
    async get(key) {
      const a = answers.get(key);
      if (!a) return undefined;
      if (a.at + options.ttlMs <= options.clock.now()) {
        answers.delete(key);
        return undefined;
      }
      return a.value;
    },
    async set(key, value) {
      const at = options.clock.now();
      putAnswer(key, value, at);
      await append({ t: 'answer', key, value, at });
    },
    async addPending(p) {
      pending.set(p.callbackId, p);
      await append({ t: 'pending', p });
    },
    async removePending(callbackId) {
      if (!pending.delete(callbackId)) return;
      await append({ t: 'done', key: callbackId });
    },
    async listPending() {
      return [...pending.values()];
    },
    async flush() {
      while (writing) await writing;
      await handle?.sync();
    },
    async close() {
      if (closed) return;
      await store.flush();
      closed = true;
      await handle?.close();
      handle = null;
    },
    size: () => answers.size,
  };
  return store;
}
