import fc from 'fast-check';
import { createPacer, maxInWindow } from './pacer';
import { fakeClock } from './test-support';

/** A clock whose sleeps are events: time moves to the next one only when nothing else can run. */
function eventClock() {
  let now = 0;
  const timers: Array<{ at: number; resolve: () => void }> = [];
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((resolve) => timers.push({ at: now + Math.max(0, ms), resolve })),
    async run<T>(work: Promise<T>): Promise<T> {
      let done = false;
      void work.finally(() => (done = true));
      while (!done) {
        await new Promise((r) => setImmediate(r));
        if (done || timers.length === 0) continue;
        timers.sort((a, b) => a.at - b.at);
        const t = timers.shift() as { at: number; resolve: () => void };
        now = Math.max(now, t.at);
        t.resolve();
      }
      return work;
    },
  };
}

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
  const arrivalsOf = async (reqs: Array<{ startAfter: number; arriveAfter: number; answerAfter: number }>, refusedFirst: boolean) => {
    const clock = eventClock();
    const pacer = createPacer({ clock });
    if (refusedFirst) pacer.searchRefused();
    const arrivals: number[] = [];
    // Many in flight at once; each arrives some time after its send and is answered later still
    // (answers out of order).
    const all = Promise.all(
      reqs.map(async (r) => {
        await clock.sleep(r.startAfter);
        const { answered } = await pacer.send('search');
        await clock.sleep(r.arriveAfter);
        arrivals.push(clock.now());
        await clock.sleep(r.answerAfter);
        answered();
      }),
    );
    await clock.run(all);
    expect(arrivals).toHaveLength(reqs.length);
    return arrivals;
  };
  test('a search counts in its second from its send plus the margin: when each arrives within the margin, no second at HubSpot holds a 6th, whenever the answers come', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ startAfter: fc.integer({ min: 0, max: 1500 }), arriveAfter: fc.integer({ min: 0, max: 50 }), answerAfter: fc.integer({ min: 0, max: 2000 }) }), { minLength: 6, maxLength: 25 }), async (reqs) => {
        expect(maxInWindow(await arrivalsOf(reqs, false), 1000)).toBeLessThanOrEqual(5);
      }),
      { numRuns: 200 },
    );
  });
  test('after a refused search, a search counts until its answer: however late searches arrive, no second at HubSpot holds a 6th', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ startAfter: fc.integer({ min: 0, max: 1500 }), arriveAfter: fc.integer({ min: 0, max: 2000 }), answerAfter: fc.integer({ min: 0, max: 2000 }) }), { minLength: 6, maxLength: 25 }), async (reqs) => {
        expect(maxInWindow(await arrivalsOf(reqs, true), 1000)).toBeLessThanOrEqual(5);
      }),
      { numRuns: 200 },
    );
  });
  test('the margin is what the first property rests on: searches arriving later than it can land six in a second until one is refused', async () => {
    // Five sent at 0–400 ms arrive 300 ms late; the sixth goes at 1,050 ms and arrives at once.
    const late = [0, 100, 200, 300, 400].map((startAfter) => ({ startAfter, arriveAfter: 300, answerAfter: 100 }));
    const reqs = [...late, { startAfter: 1000, arriveAfter: 0, answerAfter: 100 }];
    expect(maxInWindow(await arrivalsOf(reqs, false), 1000)).toBe(6);
    expect(maxInWindow(await arrivalsOf(reqs, true), 1000)).toBeLessThanOrEqual(5);
  });

  test('a search waiting for its second does not hold up the other calls (after a refusal: until the answers come)', async () => {
    const clock = fakeClock(0);
    const pacer = createPacer({ perTenSeconds: 190, clock });
    pacer.searchRefused();
    expect(pacer.searchCautious()).toBe(true);
    const inFlight = await Promise.all(Array.from({ length: 5 }, () => pacer.send('search')));
    // The 6th search waits for an answer (none comes yet); other calls go out meanwhile.
    let sixthSent = false;
    const sixth = pacer.send('search').then((s) => {
      sixthSent = true;
      return s;
    });
    expect(await pacer.acquire('other')).toBe(0);
    expect(sixthSent).toBe(false);
    const answeredAt = clock.now();
    for (const s of inFlight) s.answered();
    await sixth;
    expect(sixthSent).toBe(true);
    expect(clock.now()).toBeGreaterThanOrEqual(answeredAt + 1000);
  });
  test('unrefused, the 6th search goes 1 s + the margin after the first, answered or not', async () => {
    const clock = fakeClock(0);
    const pacer = createPacer({ perTenSeconds: 190, clock });
    expect(pacer.searchCautious()).toBe(false);
    await Promise.all(Array.from({ length: 5 }, () => pacer.send('search')));
    await pacer.send('search');
    expect(pacer.searchSentAt()).toEqual([0, 100, 200, 300, 400, 1050]);
  });
  test('a search answered within the margin frees its place at its answer', async () => {
    const clock = fakeClock(0);
    const pacer = createPacer({ perTenSeconds: 190, clock });
    const first = await pacer.send('search');
    clock.advance(20);
    first.answered();
    await Promise.all(Array.from({ length: 4 }, () => pacer.send('search')));
    await pacer.send('search');
    expect(pacer.searchSentAt()[5]).toBe(1020);
  });
});
