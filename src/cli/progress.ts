/**
 * A small progress bar for long CLI work. Writes to a stream (stderr by default); on a TTY it
 * redraws one line, elsewhere (CI, pipes) it prints a line every `everyPercent` percent.
 */
export interface ProgressOptions {
  label: string;
  total: number | null;
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  everyPercent?: number;
  width?: number;
  now?: () => number;
}

export interface Progress {
  tick(done: number, extra?: string, total?: number | null): void;
  finish(extra?: string, done?: number): void;
}

/**
 * @example
 * const p = createProgress({ label: 'sweep', total: 2000 });
 * p.tick(200, '3 tasks'); p.finish();
 */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = Boolean(stream.isTTY);
  const width = options.width ?? 28;
  const every = options.everyPercent ?? 10;
  const now = options.now ?? Date.now;
  const started = now();
  let lastBucket = -1;
  let finished = false;

  let knownTotal = options.total;
  let lastDone = 0;
  const render = (done: number, extra?: string): string => {
    const total = knownTotal;
    const secs = ((now() - started) / 1000).toFixed(1);
    const tail = extra ? `  ${extra}` : '';
    if (!total || total <= 0) return `${options.label}: ${done.toLocaleString('en-US')} done  ${secs}s${tail}`;
    const ratio = Math.min(1, done / total);
    const filled = Math.round(ratio * width);
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    return `${options.label} [${bar}] ${(ratio * 100).toFixed(0).padStart(3)}%  ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}  ${secs}s${tail}`;
  };

  return {
    tick(done, extra, newTotal) {
      if (finished) return;
      if (newTotal != null) knownTotal = newTotal;
      lastDone = done;
      if (tty) {
        stream.write(`\r${render(done, extra)}\x1b[K`);
        return;
      }
      const total = knownTotal;
      const bucket = total && total > 0 ? Math.floor(((done / total) * 100) / every) : Math.floor(done / 1000);
      if (bucket !== lastBucket) {
        lastBucket = bucket;
        stream.write(`${render(done, extra)}\n`);
      }
    },
    finish(extra, done = lastDone) {
      if (finished) return;
      finished = true;
      stream.write(`${tty ? '\r' : ''}${render(done, extra)}${tty ? '\x1b[K' : ''}\n`);
    },
  };
}
