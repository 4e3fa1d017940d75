import { createRng, mulberry32 } from './random';

describe('mulberry32 / createRng', () => {
  it('gives the same sequence as before it became the one generator (local CRM seeds and test fixtures do not move)', () => {
    // Reference values of the generators this one replaced (emulator `createRng`, hubspot `seededRandom`).
    const rng = createRng(42);
    expect([rng.next(), rng.next(), rng.int(1, 6)]).toEqual([0.4813160905614495, 0.9852536325342953, 5]);
    const random = mulberry32(7);
    expect([random(), random()]).toEqual([0.011704753153026104, 0.06195825757458806]);
  });

  it('is deterministic per seed, uniform-ish in [0, 1), and its helpers stay in range', () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
    const rng = createRng(9);
    for (let i = 0; i < 1000; i++) {
      const n = rng.int(3, 5);
      expect(n >= 3 && n <= 5 && Number.isInteger(n)).toBe(true);
    }
    expect(rng.chance(0)).toBe(false);
    expect(rng.chance(1)).toBe(true);
    expect(['x']).toContain(rng.pick(['x']));
    expect(() => rng.pick([])).toThrow('pick from empty list');
  });
});
