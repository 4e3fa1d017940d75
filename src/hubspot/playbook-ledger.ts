/**
 * The playbook ledger's text in its textarea property (`cs_playbook_ledger`): entries one per line,
 * newest last, bounded in keys and characters. Only the text format: what an entry means (its key
 * and day) is the core's `parseLedger`.
 */

/** Ledger bounds: the newest keys kept, and the textarea limit. */
export const LEDGER_MAX_KEYS = 200;
export const LEDGER_MAX_CHARS = 65_536;

/**
 * Splits the ledger property's text into its entries (newline- or `;`-separated), keeping the newest
 * `LEDGER_MAX_KEYS` (the core's `parseLedger` then reads each entry's key and day).
 *
 * @example
 * splitLedgerText('a\nb;c') // ['a', 'b', 'c']
 */
export function splitLedgerText(raw: string | null | undefined): string[] {
  if (!raw) return [];
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const k of raw.split(/[\n;\r]+/).map((s) => s.trim())) {
    if (k.length === 0 || seen.has(k)) continue;
    seen.add(k);
    keys.push(k);
  }
  return keys.slice(-LEDGER_MAX_KEYS);
}

/**
 * Formats the ledger for the textarea: newest last, at most `LEDGER_MAX_KEYS` keys and
 * `LEDGER_MAX_CHARS` characters (the oldest keys are dropped first).
 *
 * @example
 * formatLedger(['a', 'b']) // 'a\nb'
 */
export function formatLedger(keys: readonly string[]): string {
  const distinct: string[] = [];
  const seen = new Set<string>();
  for (const k of keys) {
    const key = k.replace(/[\n\r;]/g, ' ').trim();
    if (key.length === 0 || seen.has(key)) continue;
    seen.add(key);
    distinct.push(key);
  }
  const kept = distinct.slice(-LEDGER_MAX_KEYS);
  let text = kept.join('\n');
  while (text.length > LEDGER_MAX_CHARS && kept.length > 0) {
    kept.shift();
    text = kept.join('\n');
  }
  return text;
}
