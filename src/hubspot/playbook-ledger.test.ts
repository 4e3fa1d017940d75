import { formatLedger, splitLedgerText, LEDGER_MAX_KEYS } from './playbook-ledger';

describe('ledger', () => {
  test('bounded to the newest keys and the textarea size', () => {
    const keys = Array.from({ length: 500 }, (_, i) => `key-${i}`);
    const text = formatLedger(keys);
    const parsed = splitLedgerText(text);
    expect(parsed).toHaveLength(LEDGER_MAX_KEYS);
    expect(parsed[parsed.length - 1]).toBe('key-499');
    const huge = formatLedger(Array.from({ length: 200 }, (_, i) => `${i}-${'x'.repeat(1000)}`));
    expect(huge.length).toBeLessThanOrEqual(65_536);
  });
});

describe('ledger text', () => {
  test('split on newlines or semicolons, trimmed, blanks and repeats dropped; written one per line', () => {
    expect(splitLedgerText('a\nb;c\r\n a ;;')).toEqual(['a', 'b', 'c']);
    expect(splitLedgerText(null)).toEqual([]);
    expect(formatLedger(['a', 'b;c', 'a', ' '])).toBe('a\nb c');
  });
});
