/**
 * Read-ahead over an async iterable: keeps up to `size` items requested ahead of the consumer, so
 * the next search pages are on their way while the current unit is evaluated and written (the
 * search chain then runs alongside the batch calls instead of between them). Memory stays bounded
 * by `size` items.
 */

/**
 * Yields the items of `source` in order, with up to `size` of them requested ahead.
 *
 * @example
 * for await (const page of readAhead(crm.iterateCompanies({}), 6)) await handle(page);
 */
export async function* readAhead<T>(source: AsyncIterable<T>, size: number): AsyncGenerator<T> {
  const ahead = Math.max(1, Math.floor(size));
  const it = source[Symbol.asyncIterator]();
  const pending: Array<Promise<IteratorResult<T>>> = [];
  let finished = false;
  try {
    for (;;) {
      while (!finished && pending.length < ahead) {
        const next = it.next();
        // Awaited in order below; never an unhandled rejection while it waits its turn.
        next.catch(() => undefined);
        pending.push(next);
      }
      const head = pending.shift();
      if (head === undefined) return;
      const r = await head;
      if (r.done) {
        finished = true;
        return;
      }
      yield r.value;
    }
  } finally {
    if (!finished) {
      // Let the requests already on their way settle, then close the source.
      await Promise.allSettled(pending);
      await it.return?.();
    }
  }
}

/**
 * Like `readAhead`, but starts reading at once (not at the first `for await`), so the first pages
 * are on their way while the caller prepares (owners, loads). Iterable once.
 *
 * @example
 * const pages = readAheadNow(crm.iterateCompanies({}), 6); await prepare(); for await (const p of pages) ...
 */
export function readAheadNow<T>(source: AsyncIterable<T>, size: number): AsyncIterable<T> {
  const gen = readAhead(source, size);
  let primed: Promise<IteratorResult<T>> | null = gen.next();
  primed.catch(() => undefined); // delivered to the consumer by its first next()
  let taken = false;
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      if (taken) throw new Error('readAheadNow: iterable once');
      taken = true;
      return {
        next: () => {
          const p = primed;
          primed = null;
          return p ?? gen.next();
        },
        return: async (value?: unknown) => {
          await gen.return(undefined);
          return { done: true, value: value as T };
        },
      };
    },
  };
}

/**
 * `first`, then what `rest` yields: a page read before deciding how to go on, put back in front of
 * the pages that follow it.
 *
 * @example
 * const it = crm.iterateCompanies(q)[Symbol.asyncIterator](); const r = await it.next(); if (!r.done) for await (const p of prepend(r.value, it)) ...
 */
export async function* prepend<T>(first: T, rest: AsyncIterator<T>): AsyncGenerator<T> {
  let done = false;
  try {
    yield first;
    for (;;) {
      const r = await rest.next();
      if (r.done) {
        done = true;
        return;
      }
      yield r.value;
    }
  } finally {
    if (!done) await rest.return?.();
  }
}
