import { readAhead, readAheadNow } from './read-ahead';

async function* numbers(n: number, log: string[], failAt: number | null = null): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) {
    log.push(`read ${i}`);
    await Promise.resolve();
    if (i === failAt) throw new Error(`page ${i} failed`);
    yield i;
  }
}

describe('readAhead', () => {
  test('yields every item in order', async () => {
    const out: number[] = [];
    for await (const x of readAhead(numbers(7, []), 3)) out.push(x);
    expect(out).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  test('requests the next items before the consumer is done with the current one', async () => {
    const log: string[] = [];
    for await (const x of readAhead(numbers(5, log), 3)) {
      log.push(`use ${x}`);
      await new Promise((r) => setTimeout(r, 1));
    }
    // Reading 1 and 2 happened before item 0 was used.
    expect(log.indexOf('read 2')).toBeLessThan(log.indexOf('use 0'));
    expect(log.filter((l) => l.startsWith('use'))).toHaveLength(5);
  });

  test('an error of the source reaches the consumer at its place, after the items before it', async () => {
    const out: number[] = [];
    await expect(
      (async () => {
        for await (const x of readAhead(numbers(5, [], 3), 4)) out.push(x);
      })(),
    ).rejects.toThrow('page 3 failed');
    expect(out).toEqual([0, 1, 2]);
  });

  test('a consumer that stops early closes the source', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<number> {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    }
    for await (const x of readAhead(source(), 2)) if (x === 3) break;
    expect(closed).toBe(true);
  });

  test('an empty source yields nothing', async () => {
    const out: number[] = [];
    for await (const x of readAhead(numbers(0, []), 2)) out.push(x);
    expect(out).toEqual([]);
  });
});

describe('readAheadNow', () => {
  test('starts reading before the first for-await, then yields everything in order', async () => {
    const log: string[] = [];
    const pages = readAheadNow(numbers(4, log), 2);
    await new Promise((r) => setTimeout(r, 1));
    expect(log).toContain('read 0');
    const out: number[] = [];
    for await (const x of pages) out.push(x);
    expect(out).toEqual([0, 1, 2, 3]);
  });
});
