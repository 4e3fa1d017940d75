/** Saves and loads the local CRM state as one JSON file (`<dir>/state.json`), written atomically. */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CrmStore, type PersistedState } from './store';

export const STATE_FILE = 'state.json';

export function statePath(dir: string): string {
  return join(dir, STATE_FILE);
}

export async function saveStore(store: CrmStore, dir: string, now: number): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = statePath(dir);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(store.toJSON(now)));
  await rename(tmp, file);
  return file;
}

/** The saved store, or null when the directory has none. */
export async function loadStore(dir: string): Promise<CrmStore | null> {
  const file = statePath(dir);
  if (!existsSync(file)) return null;
  const state = JSON.parse(await readFile(file, 'utf8')) as PersistedState;
  return CrmStore.fromJSON(state);
}
