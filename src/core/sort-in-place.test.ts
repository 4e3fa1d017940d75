import fc from 'fast-check';
import { sortInPlace } from './sort-in-place';

describe('sortInPlace', () => {
  it('sorts in place, stably, as Array.prototype.sort does', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ k: fc.integer({ min: 0, max: 4 }), i: fc.nat() }), { maxLength: 12 }), (xs) => {
        const list = xs.map((x, i) => ({ k: x.k, i }));
        const expected = [...list].sort((a, b) => a.k - b.k);
        const same = sortInPlace(list, (a, b) => a.k - b.k);
        expect(same).toBe(list);
        expect(list).toEqual(expected);
      }),
    );
  });
});
