import { RateLimiter } from './rate-limit';

describe('RateLimiter windows', () => {
  test('in-order requests: the limit per rolling window, then room again when the oldest leaves', () => {
    const rl = new RateLimiter({ max: 3, intervalMs: 10_000 });
    for (const t of [0, 1, 2]) expect(rl.take('t', t, false).ok).toBe(true);
    const refused = rl.take('t', 3, false);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.retryAfterMs).toBe(9_997);
    expect(rl.take('t', 10_000, false).ok).toBe(true);
  });

  test('a request that arrives after later ones is counted at its own instant', () => {
    const rl = new RateLimiter({ max: 3, intervalMs: 10_000 });
    // Sent at 0, 5,000 and 10,500 (a pacer's times), the first arriving last: no window holds 4.
    expect(rl.take('t', 5_000, false).ok).toBe(true);
    expect(rl.take('t', 10_500, false).ok).toBe(true);
    expect(rl.take('t', 0, false).ok).toBe(true);
    // 4,000 fits every window it falls in; 6,000 would make (−4,000, 6,000] hold four.
    expect(rl.take('t', 4_000, false).ok).toBe(true);
    expect(rl.take('t', 6_000, false).ok).toBe(false);
    expect(rl.take('t', 14_100, false).ok).toBe(true);
  });

  test('a late request is refused when a later window it falls in is full', () => {
    const rl = new RateLimiter({ max: 2, intervalMs: 10_000 });
    expect(rl.take('t', 8_000, false).ok).toBe(true);
    expect(rl.take('t', 9_000, false).ok).toBe(true);
    // (−1,000, 9,000] would hold three.
    expect(rl.take('t', 1_000, false).ok).toBe(false);
  });

  test('searches are exempt from the 10 s window and limited per second', () => {
    const rl = new RateLimiter({ max: 1, intervalMs: 10_000, searchPerSecond: 2 });
    expect(rl.take('t', 0, false).ok).toBe(true);
    expect(rl.take('t', 1, true).ok).toBe(true);
    expect(rl.take('t', 2, true).ok).toBe(true);
    const third = rl.take('t', 3, true);
    expect(third.ok).toBe(false);
    if (!third.ok) expect(third.policy).toBe('SECONDLY');
  });
});
