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
          for (const a of arrivals) {
            clock.advance(a.gap);
            await pacer.acquire(a.search ? 'search' : 'other');
            if (a.search) searches.push(clock.now());
          }
          expect(maxInWindow(pacer.sentAt(), 10_000)).toBeLessThanOrEqual(limit);
          expect(maxInWindow(searches, 1000)).toBeLessThanOrEqual(5);
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

  test('search is spaced at about 4.5/s (below HubSpot 5/s)', async () => {
    const clock = fakeClock(0);
    const pacer = createPacer({ clock });
    for (let i = 0; i < 10; i++) await pacer.acquire('search');
    expect(clock.now()).toBe(9 * 223);
    expect(maxInWindow(pacer.sentAt(), 1000)).toBeLessThanOrEqual(5);
  });

  test('concurrent callers share the budget', async () => {
    const clock = fakeClock(0);
    const pacer = createPacer({ perTenSeconds: 5, clock });
    await Promise.all(Array.from({ length: 12 }, () => pacer.acquire('other')));
    expect(maxInWindow(pacer.sentAt(), 10_000)).toBe(5);
  });
});
