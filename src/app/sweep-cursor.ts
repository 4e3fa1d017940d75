/**
 * The chunked sweep's cursor: the whole sweep state (run in progress, last complete run) as
 * base64url JSON, handed back by the caller on the next call. Validated on the way in.
 */
import { SweepStateSchema, type SweepState } from './sweep-state';

/** @example encodeSweepCursor(state) // 'eyJ2ZXJzaW9uIjox…' */
export function encodeSweepCursor(state: SweepState): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

/**
 * @example
 * decodeSweepCursor('not-a-cursor') // { ok: false, message: 'cursor is not one this function returned' }
 */
export function decodeSweepCursor(cursor: string): { ok: true; state: SweepState } | { ok: false; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, message: 'cursor is not one this function returned' };
  }
  const parsed = SweepStateSchema.safeParse(json);
  return parsed.success ? { ok: true, state: parsed.data } : { ok: false, message: 'cursor is not one this function returned' };
}
