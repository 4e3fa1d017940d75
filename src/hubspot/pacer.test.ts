import fc from 'fast-check';
import { createPacer, maxInWindow } from './pacer';
import { fakeClock } from './test-support';

describe('pacer', () => {
  test('never more than perTenSeconds in any rolling 10 s window, for any arrival pattern', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 3000 }), search: fc.boolean() }), { minLength: 1, maxLength: 120 }),
        async (limit, arrivals) => {
          const clock = fakeClock(0);
          const pacer = createPacer({ perTenSeconds: limit, clock });
          const searches: number[] = [];
          const others: number[] = [];
          for (const a of arrivals) {
            clock.advance(a.gap);
            await pacer.acquire(a.search ? 'search' : 'other');
            (a.search ? searches : others).push(clock.now());
          }
          expect(maxInWindow(others, 10_000)).toBeLessThanOrEqual(limit);
          expect(maxInWindow(searches, 1000)).toBeLessThanOrEqual(5);
          expect(pacer.sentAt()).toEqual(others);
          expect(pacer.searchSentAt()).toEqual(searches);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('190 / 10 s: 1,000 back-to-back requests take the rate-limit floor, no more', async () => {
    const clock = fakeClock(0);
    const pacer = createPacer({ perTenSeconds: 190, clock });
    for (let i = 0; i < 1000; i++) await pacer.acquire('other');
    expect(maxInWindow(pacer.sentAt(), 10_000)).toBe(190);
    // 1000 requests = 5 full windows + 50: the last one goes out at 50 s.
    expect(clock.now()).toBe(50_000);
  });

  test('search: 5 in any rolling 1.05 s (HubSpot allows 5 per second), 100 ms apart', async () => {
    const clock = fakeClock(0);
    const pacer = createPacer({ clock });
    for (let i = 0; i < 10; i++) await pacer.acquire('search');
    expect(pacer.searchSentAt()).toEqual([0, 100, 200, 300, 400, 1050, 1150, 1250, 1350, 1450]);
    expect(maxInWindow(pacer.searchSentAt(), 1050)).toBe(5);
    expect(maxInWindow(pacer.searchSentAt(), 1000)).toBeLessThanOrEqual(5);
  });

  test('searches do not take places in the 10 s window (HubSpot exempts them)', async () => {
    const clock = fakeClock(0);
    const pacer = createPacer({ perTenSeconds: 5, clock });
    for (let i = 0; i < 5; i++) await pacer.acquire('other');
    const t = clock.now();
    // The window is full for other calls, yet a search goes out at once...
    expect(await pacer.acquire('search')).toBe(0);
    expect(clock.now()).toBe(t);
    // ...and the next other call waits for the window, not for the search.
    await pacer.acquire('other');
    expect(clock.now()).toBe(10_000);
  });

  test('concurrent callers share the budget', async () => {
    const clock = fakeClock(0);
    const pacer = createPacer({ perTenSeconds: 5, clock });
    await Promise.all(Array.from({ length: 12 }, () => pacer.acquire('other')));
    expect(maxInWindow(pacer.sentAt(), 10_000)).toBe(5);
  });
});
