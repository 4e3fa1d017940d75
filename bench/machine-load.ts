/**
 * What else the machine was doing while a timed benchmark ran, and a steadier figure than one run:
 * on a shared machine one run of the core benchmark varies by up to ±10% for the same code
 * (6.45–7.73 s for 1,000,000 accounts, one after the other, the machine otherwise idle), and another process
 * busy on the second core slows it by a third. The core rows are therefore run several times and
 * judged on the median, and each row says how many cores other processes kept busy meanwhile
 * (Linux `/proc/stat`; elsewhere unknown), so a slow figure can be told from a busy machine.
 */
import { readFileSync } from 'node:fs';

/** Jiffies of all CPUs from the first line of `/proc/stat`, and how many CPUs it sums. */
export interface CpuTimes {
  busy: number;
  total: number;
  cpus: number;
}

/**
 * Parses `/proc/stat`: the aggregate `cpu` line (user nice system idle iowait irq softirq steal …)
 * and the count of `cpuN` lines. Idle and iowait are idle; steal is time the hypervisor gave to
 * others, so it counts as not ours and not idle (busy). Null when the text has no `cpu` line.
 * @example
 * parseProcStat('cpu  100 0 50 800 10 0 5 35 0 0\ncpu0 …\ncpu1 …') // { busy: 190, total: 1000, cpus: 2 }
 */
export function parseProcStat(text: string): CpuTimes | null {
  const lines = text.split('\n');
  const head = lines.find((l) => /^cpu\s/.test(l));
  if (head === undefined) return null;
  const f = head.trim().split(/\s+/).slice(1).map(Number);
  if (f.length < 4 || f.some((n) => !Number.isFinite(n) || n < 0)) return null;
  // Fields 8 and on (guest, guest_nice) are already inside user and nice.
  const used = f.slice(0, 8);
  const total = used.reduce((s, n) => s + n, 0);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  const cpus = lines.filter((l) => /^cpu\d+\s/.test(l)).length;
  return { busy: total - idle, total, cpus: Math.max(1, cpus) };
}

/** `/proc/stat` now, or null where there is none (not Linux). */
export function readCpuTimes(): CpuTimes | null {
  try {
    return parseProcStat(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Cores kept busy by everything but this process between two readings: the machine's busy share
 * times its CPUs, less this process's own CPU time over the wall time. Never below 0; null when a
 * reading is missing or no time passed.
 * @example
 * otherCores({ busy: 0, total: 0, cpus: 2 }, { busy: 1500, total: 2000, cpus: 2 }, 5000, 10_000) // 1.5 − 0.5 = 1
 */
export function otherCores(before: CpuTimes | null, after: CpuTimes | null, ownCpuMs: number, wallMs: number): number | null {
  if (before === null || after === null || wallMs <= 0) return null;
  const total = after.total - before.total;
  if (total <= 0) return null;
  const all = ((after.busy - before.busy) / total) * after.cpus;
  return Math.max(0, all - ownCpuMs / wallMs);
}

/**
 * The median of the figures (the mean of the middle two for an even count).
 * @example
 * median([5.4, 6.9, 5.1]) // 5.4
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
