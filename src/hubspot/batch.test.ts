import { inParallel } from './batch';

describe('inParallel', () => {
  test('results in the order of the parts, whatever order they finish in', async () => {
    const out = await inParallel([30, 10, 20], (ms, i) => new Promise<string>((r) => setTimeout(() => r(`${i}:${ms}`), ms)));
    expect(out).toEqual(['0:30', '1:10', '2:20']);
  });

  test('an error is thrown only after every part has finished (no request left running)', async () => {
    const finished: number[] = [];
    const run = inParallel([0, 1, 2], async (p) => {
      await new Promise((r) => setTimeout(r, p === 0 ? 1 : 20));
      finished.push(p);
      if (p === 0) throw new Error('part 0 failed');
      return p;
    });
    await expect(run).rejects.toThrow('part 0 failed');
    expect(finished.sort()).toEqual([0, 1, 2]);
  });

  test('no parts, no calls', async () => {
    const fn = jest.fn();
    expect(await inParallel([], fn)).toEqual([]);
    expect(fn).not.toHaveBeenCalled();
  });
});
