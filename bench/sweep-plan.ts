/**
 * The sweep benchmark's rows, without side effects (no process, no server): which rows a `--rows`
 * selection runs, the parameters one row's process accepts, its result, the JSON rows and the
 * targets. bench/sweep.ts runs the rows, bench/sweep-row.ts measures one; the tests import this.
 */
import { z } from 'zod';
import { dayWorkCalls, type SweepWork } from '../src/hubspot';

/**
 * The row names `--rows` accepts. `incremental` also runs `fullNextDay`: the full sweep a team
 * would run that day instead (same preparation, same starting state), the incremental's denominator.
 */
export const SWEEP_ROW_NAMES = ['full', 'shared', 'incremental', 'fullNextDay'] as const;
export type SweepRowName = (typeof SWEEP_ROW_NAMES)[number];

/** What one row's process measures (bench/sweep-row.ts). */
export const ROW_KINDS = ['full', 'shared', 'incremental', 'fullNextDay'] as const;

export const RowParamsSchema = z.object({
  kind: z.enum(ROW_KINDS),
  companies: z.number().int().min(0),
  start: z.number(),
  baseUrl: z.string(),
  token: z.string(),
  pool: z.unknown(),
  /** Next-day rows: days run with the daily incremental before the measured day (0 = the day after the first full sweep). */
  prepDays: z.number().int().min(0).default(0),
});
export type RowParams = z.infer<typeof RowParamsSchema>;

/** The state a next-day row starts from (after yesterday's full sweep and the 2% touched), to check that two rows started alike. */
export interface StartState {
  /** Simulated instant the measured run evaluates as of. */
  at: number;
  /** Companies per health band before the day's touch ('' = none). */
  bands: Record<string, number>;
  /** sha256 over every company as read (in id order of the listing) and the ids touched. */
  hash: string;
  touched: number;
}

export interface RowResult {
  calls: number;
  minimum: number;
  callsByKind: Record<string, number>;
  /** The work the honest minimum counts (SweepWork), to see which term a surplus belongs to. */
  work: SweepWork;
  /** Simulated ms from the measured sweep's start to its end (the benchmark's clock). */
  wallMs: number;
  floorMs: number;
  floorTenSecond: { calls: number; ms: number };
  floorSearch: { calls: number; ms: number };
  tooMany10s: number;
  /** Search's per-second 429s (absorbed); counted apart from the 10-second ones. */
  tooManySearchSecondly?: number;
  cpuMsPer1000: number;
  /** Incremental rows: whether the measured run read the rest of the backlog (the day had room below the cutoff), and on how many preparation days one did. */
  backlogRest?: { measured: boolean; prepDays: number };
  realMs: number;
  sweepHeapMb: number;
  sweepRssMb: number;
  tasksCreated: number;
  status: string;
  /** Next-day rows (incremental, fullNextDay): the state before the measured run. */
  startState?: StartState;
  /**
   * Incremental row: the full sweep that follows it the same day (after the incremental did the
   * day's work, so not the run it replaces), and whether it found anything left to do.
   */
  sameDayFullCalls?: number;
  sameDayChangedBandOrStage?: number;
  sameDayFullTasksCreated?: number;
  sameDayFullTouches?: number;
  sameDayFullWorkWrites?: number;
  sameBands?: boolean;
  /**
   * Next-day rows: what the measured run left (before anything else ran): each company's band and
   * stage, the task keys it created, the digital touches it wrote. The incremental row's is compared
   * with the full sweep's it replaces (the same starting state on its own server).
   */
  endState?: EndState;
}

export interface EndState {
  /** company id → `band|stage`. */
  bandStage: Record<string, string>;
  tasks: string[];
  touches: string[];
}

/** How two end states differ: companies whose band or stage differs, task keys and touches in one only. */
export interface EndStateDiff {
  bandStage: number;
  tasksOnlyIncremental: number;
  tasksOnlyFull: number;
  touchesOnlyIncremental: number;
  touchesOnlyFull: number;
}

/**
 * The incremental's end state against the replaced full sweep's.
 * @example
 * compareEndStates({ bandStage: { '1': 'watch|graduated' }, tasks: ['k'], touches: [] }, { bandStage: { '1': 'watch|graduated' }, tasks: ['k'], touches: [] }).bandStage // 0
 */
export function compareEndStates(incremental: EndState, full: EndState): EndStateDiff {
  const ids = new Set([...Object.keys(incremental.bandStage), ...Object.keys(full.bandStage)]);
  let bandStage = 0;
  for (const id of ids) if (incremental.bandStage[id] !== full.bandStage[id]) bandStage++;
  const only = (a: string[], b: string[]) => {
    const other = new Set(b);
    return new Set(a.filter((k) => !other.has(k))).size;
  };
  return {
    bandStage,
    tasksOnlyIncremental: only(incremental.tasks, full.tasks),
    tasksOnlyFull: only(full.tasks, incremental.tasks),
    touchesOnlyIncremental: only(incremental.touches, full.touches),
    touchesOnlyFull: only(full.touches, incremental.touches),
  };
}

/** Whether the incremental left the same bands, stages, tasks and touches as the full sweep it replaces (null: not both measured). */
export function sameAsReplacedFull(rows: SweepBenchRow[], incremental: SweepBenchRow): EndStateDiff | null {
  const full = replacedFull(rows, incremental);
  if (!full?.endState || !incremental.endState) return null;
  return compareEndStates(incremental.endState, full.endState);
}

function diffIsZero(d: EndStateDiff | null): boolean {
  return d !== null && d.bandStage === 0 && d.tasksOnlyIncremental === 0 && d.tasksOnlyFull === 0 && d.touchesOnlyIncremental === 0 && d.touchesOnlyFull === 0;
}

export interface SweepBenchRow extends RowResult {
  kind: 'sweep' | 'shared' | 'incremental' | 'fullNextDay';
  label: string;
  companies: number;
  csms: number;
  latencyMs: number;
  serverRssMb: number;
  /** Next-day rows: days of daily incrementals before the measured day (absent = 0). */
  prepDays?: number;
}

export type PlannedRow = Pick<SweepBenchRow, 'kind' | 'label' | 'companies' | 'csms' | 'latencyMs'> & { prepDays?: number };

export const INCREMENTAL_LABEL = 'incremental, next day (2% changed)';
export const FULL_NEXT_DAY_LABEL = 'full sweep, next day (2% changed)';

/**
 * The rows to run, in order: full sweeps per size and latency, then the shared-budget run, the
 * incremental and the full sweep it replaces (those at min(26,000, largest size) and the highest latency).
 *
 * @example
 * planSweepRows({ sizes: [26000], latencies: [150], rows: ['incremental'] }).map((r) => r.kind) // ['incremental', 'fullNextDay']
 */
export function planSweepRows(options: { sizes: number[]; latencies: number[]; rows?: SweepRowName[]; prepDays?: number }): PlannedRow[] {
  const want = new Set<SweepRowName>(options.rows ?? SWEEP_ROW_NAMES);
  if (want.has('incremental')) want.add('fullNextDay');
  const csmsFor = (size: number) => (size <= 2000 ? 12 : 60);
  const out: PlannedRow[] = [];
  if (want.has('full')) {
    for (const size of options.sizes) for (const latency of options.latencies) out.push({ kind: 'sweep', label: 'full sweep', companies: size, csms: csmsFor(size), latencyMs: latency });
  }
  const mid = Math.min(26_000, Math.max(...options.sizes));
  const lat = Math.max(...options.latencies);
  if (want.has('shared')) out.push({ kind: 'shared', label: 'second client sharing the budget', companies: mid, csms: 60, latencyMs: lat });
  // After a week of daily incremental runs, the label says so (the day's state is no longer the install's).
  const week = (label: string) => (options.prepDays ? label.replace('next day', `day ${options.prepDays + 1} (after ${options.prepDays} daily incrementals)`) : label);
  const prep = options.prepDays ? { prepDays: options.prepDays } : {};
  if (want.has('incremental')) out.push({ kind: 'incremental', label: week(INCREMENTAL_LABEL), companies: mid, csms: 60, latencyMs: lat, ...prep });
  if (want.has('fullNextDay')) out.push({ kind: 'fullNextDay', label: week(FULL_NEXT_DAY_LABEL), companies: mid, csms: 60, latencyMs: lat, ...prep });
  return out;
}

/** The full sweep an incremental row replaces: the fullNextDay row of the same size and latency. */
export function replacedFull(rows: SweepBenchRow[], incremental: SweepBenchRow): SweepBenchRow | null {
  return rows.find((r) => r.kind === 'fullNextDay' && r.companies === incremental.companies && r.latencyMs === incremental.latencyMs) ?? null;
}

/** Whether two next-day rows started from the same state (same hash; else at least the same band counts). */
export function sameStart(a: SweepBenchRow, b: SweepBenchRow): { hash: boolean; bands: boolean } {
  if (!a.startState || !b.startState) return { hash: false, bands: false };
  const keys = new Set([...Object.keys(a.startState.bands), ...Object.keys(b.startState.bands)]);
  return { hash: a.startState.hash === b.startState.hash, bands: [...keys].every((k) => a.startState?.bands[k] === b.startState?.bands[k]) };
}

/** JSON rows of `npm run bench -- --json`. */
export type SweepJsonRow =
  | { kind: 'sweep'; label: string; companies: number; csms: number; latencyMs: number; calls: number; minimum: number; wallMs: number; floorMs: number; tooMany10s: number; tooManySearchSecondly: number; sweepRssMb: number; serverRssMb: number; floorTenSecond: RowResult['floorTenSecond']; floorSearch: RowResult['floorSearch']; tasksCreated: number; status: string; callsByKind: Record<string, number>; work: SweepWork; startState?: StartState }
  | {
      kind: 'incremental';
      companies: number;
      latencyMs: number;
      calls: number;
      /** The full sweep it replaces: same preparation and starting state, mode full (the fullNextDay row); null if that row did not run. */
      fullCalls: number | null;
      /** calls ÷ fullCalls (target ≤ 0.1). */
      share: number | null;
      /**
       * The incremental left the same bands, stages, tasks and digital touches as the full sweep it
       * replaces (from the same starting state, on its own server): `vsFull` all 0.
       */
      sameBands: boolean;
      vsFull: EndStateDiff | null;
      /** The stricter check: the same-day full sweep run after the incremental found nothing left (`sameDayFull*`). */
      sameDayNothingLeft: boolean;
      /** Days run with the daily incremental before the measured day (`--prep-days`; 0 = the day after the first full sweep). */
      prepDays: number;
      sameDayFullCalls: number;
      changedBandOrStage: number;
      sameDayFullTasksCreated: number;
      /** Digital touches the same-day full sweep still sent (0 when the incremental did the day's). */
      sameDayFullTouches: number;
      /** Companies the same-day full sweep wrote for more than the score's digits. */
      sameDayFullWorkWrites: number;
      fullTasksCreated: number | null;
      /**
       * The fewest calls the day's own work took in the full sweep it replaces (its writes other than
       * score-only ones, creates, dispatch rewrites, single calls: `dayWorkCalls`), and that as a share
       * of its calls: no sweep doing the same day's work can go below it.
       */
      dayWorkCalls: number | null;
      dayWorkShare: number | null;
      /** Both rows started from the same state: the same hash of every company read, and the same band counts. */
      sameStartHash: boolean;
      sameStartBands: boolean;
      /** The measured run read the rest of the backlog (the day had room below the cutoff); how many preparation days' runs did. */
      backlogRest: { measured: boolean; prepDays: number } | null;
    };

export function sweepJsonRows(rows: SweepBenchRow[]): SweepJsonRow[] {
  const out: SweepJsonRow[] = [];
  for (const r of rows) {
    out.push({
      kind: 'sweep',
      label: r.label,
      companies: r.companies,
      csms: r.csms,
      latencyMs: r.latencyMs,
      calls: r.calls,
      minimum: r.minimum,
      wallMs: Math.round(r.wallMs),
      floorMs: r.floorMs,
      tooMany10s: r.tooMany10s,
      tooManySearchSecondly: r.tooManySearchSecondly ?? 0,
      sweepRssMb: Math.round(r.sweepRssMb),
      serverRssMb: Math.round(r.serverRssMb),
      floorTenSecond: r.floorTenSecond,
      floorSearch: r.floorSearch,
      tasksCreated: r.tasksCreated,
      status: r.status,
      callsByKind: r.callsByKind,
      work: r.work,
      ...(r.startState ? { startState: r.startState } : {}),
    });
  }
  for (const r of rows) {
    if (r.kind !== 'incremental' || r.sameDayFullCalls === undefined) continue;
    const full = replacedFull(rows, r);
    const start = full ? sameStart(r, full) : { hash: false, bands: false };
    out.push({
      kind: 'incremental',
      companies: r.companies,
      latencyMs: r.latencyMs,
      calls: r.calls,
      fullCalls: full?.calls ?? null,
      share: full ? r.calls / Math.max(1, full.calls) : null,
      sameBands: diffIsZero(sameAsReplacedFull(rows, r)),
      vsFull: sameAsReplacedFull(rows, r),
      sameDayNothingLeft: r.sameBands ?? false,
      prepDays: r.prepDays ?? 0,
      sameDayFullCalls: r.sameDayFullCalls,
      changedBandOrStage: r.sameDayChangedBandOrStage ?? -1,
      sameDayFullTasksCreated: r.sameDayFullTasksCreated ?? -1,
      sameDayFullTouches: r.sameDayFullTouches ?? -1,
      sameDayFullWorkWrites: r.sameDayFullWorkWrites ?? -1,
      fullTasksCreated: full?.tasksCreated ?? null,
      dayWorkCalls: full ? dayWorkCalls(full.work) : null,
      dayWorkShare: full ? dayWorkCalls(full.work) / Math.max(1, full.calls) : null,
      sameStartHash: start.hash,
      sameStartBands: start.bands,
      backlogRest: r.backlogRest ?? null,
    });
  }
  return out;
}

/**
 * The benchmark's targets: clean full sweeps within 1.05 × the honest minimum and 1.2 × the floor
 * with no 10 s 429; the shared-budget run and the replaced full sweep complete; the incremental
 * complete, leaving the same bands, stages, tasks and touches as the full sweep it replaces (the
 * fullNextDay row, from the same start; without it the incremental fails its target), with ≤ 10% of
 * its calls.
 */
export function sweepTargets(rows: SweepBenchRow[]): { pass: boolean; share: number | null } {
  const clean = rows.filter((r) => r.kind === 'sweep');
  const cleanOk = clean.every((r) => r.calls / Math.max(1, r.minimum) <= 1.05 && r.wallMs / Math.max(1, r.floorMs) <= 1.2 && r.tooMany10s === 0 && r.status === 'complete');
  const othersComplete = rows.filter((r) => r.kind === 'shared' || r.kind === 'fullNextDay').every((r) => r.status === 'complete');
  let share: number | null = null;
  let dailyOk = true;
  for (const daily of rows.filter((r) => r.kind === 'incremental')) {
    const full = replacedFull(rows, daily);
    share = full ? daily.calls / Math.max(1, full.calls) : null;
    dailyOk &&= daily.status === 'complete' && diffIsZero(sameAsReplacedFull(rows, daily)) && share !== null && share <= 0.1;
  }
  return { pass: cleanOk && othersComplete && dailyOk, share };
}
