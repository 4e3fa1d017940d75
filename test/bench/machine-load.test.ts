/**
 * The core benchmark's steadier figure (median of runs) and its account of what else the machine
 * did meanwhile (bench/machine-load.ts), without running a benchmark.
 */
import { median, otherCores, parseProcStat } from '../../bench/machine-load';

const STAT = (user: number, system: number, idle: number, iowait: number, steal: number) =>
  [`cpu  ${user} 0 ${system} ${idle} ${iowait} 0 0 ${steal} 0 0`, 'cpu0 1 0 1 1 0 0 0 0 0 0', 'cpu1 1 0 1 1 0 0 0 0 0 0', 'intr 12345', 'ctxt 999'].join('\n');

describe('parseProcStat', () => {
  it('sums the aggregate line, counts idle and iowait as idle and steal as busy, and counts the CPUs', () => {
    expect(parseProcStat(STAT(100, 50, 800, 10, 40))).toEqual({ busy: 190, total: 1000, cpus: 2 });
  });

  it('leaves out guest time, which the kernel already counts inside user time', () => {
    const text = 'cpu  100 0 50 800 10 0 0 40 70 5\ncpu0 0 0 0 0 0 0 0 0 0 0';
    expect(parseProcStat(text)).toEqual({ busy: 190, total: 1000, cpus: 1 });
  });

  it('gives null for text without a cpu line or with a field that is not a count', () => {
    expect(parseProcStat('')).toBeNull();
    expect(parseProcStat('intr 1 2 3')).toBeNull();
    expect(parseProcStat('cpu  100 x 50 800')).toBeNull();
    expect(parseProcStat('cpu  100 -1 50 800')).toBeNull();
    expect(parseProcStat('cpu  1 2')).toBeNull();
  });
});

describe('otherCores', () => {
  const at = (busy: number, total: number) => ({ busy, total, cpus: 2 });

  it('is the machine busy share times its CPUs, less this process', () => {
    // 75% of 2 CPUs busy = 1.5 cores; this process used 5 s of CPU in 10 s = 0.5 cores.
    expect(otherCores(at(0, 0), at(1500, 2000), 5000, 10_000)).toBeCloseTo(1, 10);
  });

  it('is 0 when this process alone explains the busy time (never negative)', () => {
    expect(otherCores(at(0, 0), at(500, 2000), 5000, 10_000)).toBe(0);
    expect(otherCores(at(0, 0), at(400, 2000), 5000, 10_000)).toBe(0);
  });

  it('is unknown without both readings, without elapsed ticks or without wall time', () => {
    expect(otherCores(null, at(1, 2), 1, 1)).toBeNull();
    expect(otherCores(at(1, 2), null, 1, 1)).toBeNull();
    expect(otherCores(at(5, 10), at(5, 10), 1, 1)).toBeNull();
    expect(otherCores(at(0, 0), at(1, 2), 1, 0)).toBeNull();
  });
});

describe('median', () => {
  it('takes the middle figure of an odd count, whatever the order', () => {
    expect(median([6900, 5100, 5400])).toBe(5400);
    expect(median([1])).toBe(1);
  });

  it('takes the mean of the middle two of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('does not reorder the figures it is given', () => {
    const runs = [3, 1, 2];
    median(runs);
    expect(runs).toEqual([3, 1, 2]);
  });

  it('refuses an empty list', () => {
    expect(() => median([])).toThrow('median of no values');
  });
});
