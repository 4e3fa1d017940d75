/**
 * Sweep benchmark (issues 8, 17): the real adapter sweeping the local HubSpot-compatible CRM server
 * at 2,000 / 26,000 / 100,000 companies, at 0 ms and at 150 ms (± 30%) per answer, the server
 * enforcing HubSpot's limits (190 requests per rolling 10 s for all but search; search 5/s).
 *
 * Waiting for the rate limit would only measure sleep, so the client runs on a discrete-event
 * simulated clock (bench/sim-clock.ts): waits and answers are events in simulated time, and
 * several requests in flight overlap as they would against HubSpot. The figures per row:
 * - API calls vs. the honest minimum (every read the work needs; target ≤ 1.05);
 * - simulated wall time vs. the rate-limit floor by HubSpot's rule (target ≤ 1.2), with both budgets;
 * - 10-second 429s (target 0 in a clean run); a run with a second client sharing the budget absorbs them;
 * - peak RSS of the sweep's process and of the server's process, apart (each row runs both fresh).
 * - the incremental run the next day (2% changed) vs. the full sweep it replaces (fullNextDay: the
 *   same preparation on its own server, the same starting state, mode full; target ≤ 10% of its calls),
 *   and a full sweep the same day after it that must find nothing left to change (sameBands).
 *
 * Run: `npm run bench -- --only sweep` or `node --import tsx bench/sweep.ts [sizes…]`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { planSweepRows, replacedFull, sameAsReplacedFull, sameStart, sweepTargets, type PlannedRow, type RowParams, type RowResult, type SweepBenchRow, type SweepRowName } from './sweep-plan';
import { dayWorkCalls } from '../src/hubspot';

export { sweepJsonRows, type SweepBenchRow, type SweepJsonRow } from './sweep-plan';

const EXEC_ARGV = ['--expose-gc', '--import', 'tsx'];
const START = Date.UTC(2026, 10, 23, 9, 0, 0);

function waitFor<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown) => {
      if (typeof m === 'object' && m !== null && (m as { type?: unknown }).type === type) {
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m as T);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`bench child exited (${code ?? 'signal'}) before "${type}"`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function oneRow({ kind, label, companies, csms, latencyMs, prepDays = 0 }: PlannedRow): Promise<SweepBenchRow> {
  const server = fork(join(__dirname, 'crm-worker.ts'), [JSON.stringify({ companies, csms, seed: 26, now: START, latencyMs, latencyJitter: 0.3 })], { execArgv: EXEC_ARGV, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  try {
    const ready = await waitFor<{ baseUrl: string; token: string; pool: unknown }>(server, 'ready');
    const params: RowParams = { kind: kind === 'sweep' ? 'full' : kind, companies, start: START, baseUrl: ready.baseUrl, token: ready.token, pool: ready.pool, prepDays };
    const sweeper = fork(join(__dirname, 'sweep-row.ts'), [JSON.stringify(params)], { execArgv: EXEC_ARGV, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const { result } = await waitFor<{ result: RowResult }>(sweeper, 'result');
    server.send({ type: 'stop' });
    const stopped = await waitFor<{ rssMb: number }>(server, 'stopped');
    return { ...result, kind, label, companies, csms, latencyMs, serverRssMb: stopped.rssMb, ...(prepDays > 0 ? { prepDays } : {}) };
  } finally {
    if (server.exitCode === null) server.kill();
  }
}

const n = (x: number) => x.toLocaleString('en-US');

export function formatSweepTable(rows: SweepBenchRow[]): string {
  const head =
    '| run | companies / CSMs | latency | API calls | honest minimum | calls ÷ min | 10 s 429s | wall (simulated) | rate-limit floor (10 s budget · search budget) | wall ÷ floor | CPU ms / 1,000 accts | sweep process RSS | server process RSS | tasks | status |';
  const sep = '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|';
  const lines = rows.map(
    (r) =>
      `| ${r.label} | ${n(r.companies)} / ${r.csms} | ${r.latencyMs} ms | ${n(r.calls)} | ${n(r.minimum)} | ${(r.calls / Math.max(1, r.minimum)).toFixed(3)} | ${r.tooMany10s} | ${(r.wallMs / 1000).toFixed(1)} s | ${(r.floorMs / 1000).toFixed(1)} s (${n(r.floorTenSecond.calls)} calls → ${(r.floorTenSecond.ms / 1000).toFixed(0)} s · ${n(r.floorSearch.calls)} searches → ${(r.floorSearch.ms / 1000).toFixed(0)} s) | ${(r.wallMs / Math.max(1, r.floorMs)).toFixed(3)} | ${r.cpuMsPer1000.toFixed(0)} | ${r.sweepRssMb.toFixed(0)} MB | ${r.serverRssMb.toFixed(0)} MB | ${n(r.tasksCreated)} | ${r.status} |`,
  );
  return [head, sep, ...lines].join('\n');
}

export interface SweepBenchOptions {
  sizes?: number[];
  /**
   * Which rows to run (default all): full sweeps, the shared-budget run, the incremental run (which
   * brings the full sweep it replaces, fullNextDay, as its denominator).
   */
  rows?: SweepRowName[];
  latencies?: number[];
  /** Next-day rows: days run with the daily incremental (not measured) before the measured day. Default 0. */
  prepDays?: number;
  /** Progress lines (stdout, or stderr with --json). */
  log?: (line: string) => void;
}

export async function runSweepBench(options: SweepBenchOptions = {}): Promise<{ rows: SweepBenchRow[]; pass: boolean }> {
  const sizes = options.sizes ?? [2000, 26_000, 100_000];
  const latencies = options.latencies ?? [0, 150];
  const log = options.log ?? ((l: string) => console.log(l));
  log('Sweep benchmark: the local CRM server (own process) enforces 190 requests / 10 s (search exempt) and 5 searches / s;');
  log('client on a simulated event clock: waits and answers (latency ± 30%) are events, requests in flight overlap.');
  const rows: SweepBenchRow[] = [];
  const report = (r: SweepBenchRow) =>
    log(
      `  ${r.label} ${n(r.companies)} @ ${r.latencyMs} ms: ${r.calls} calls (min ${r.minimum}, ×${(r.calls / Math.max(1, r.minimum)).toFixed(3)}), ${(r.wallMs / 1000).toFixed(1)} s vs floor ${(r.floorMs / 1000).toFixed(1)} s (×${(r.wallMs / Math.max(1, r.floorMs)).toFixed(3)}), ${r.tooMany10s} 429s${(r.tooManySearchSecondly ?? 0) > 0 ? ` (+ ${r.tooManySearchSecondly} search per-second, absorbed)` : ''}, RSS sweep ${r.sweepRssMb.toFixed(0)} MB / server ${r.serverRssMb.toFixed(0)} MB, real ${(r.realMs / 1000).toFixed(1)} s`,
    );
  for (const planned of planSweepRows({ sizes, latencies, ...(options.rows ? { rows: options.rows } : {}), prepDays: options.prepDays ?? 0 })) {
    const r = await oneRow(planned);
    rows.push(r);
    report(r);
  }
  const daily = rows.find((r) => r.kind === 'incremental') ?? null;
  const full = daily ? replacedFull(rows, daily) : null;
  if (daily) {
    const start = full ? sameStart(daily, full) : null;
    const bands = (r: SweepBenchRow) => Object.entries(r.startState?.bands ?? {}).sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => `${k || 'none'} ${n(v)}`).join(' / ');
    log(
      `  incremental next day: ${daily.calls} calls vs ${full ? full.calls : '?'} for the full sweep it replaces (same preparation, mode full) → ${full ? `${((100 * daily.calls) / Math.max(1, full.calls)).toFixed(1)}%` : '?'} (target ≤ 10%)`,
    );
    if (daily.backlogRest) log(`  the rest of the backlog (the day had room below the cutoff): read by the measured run: ${daily.backlogRest.measured ? 'yes' : 'no'}; by ${daily.backlogRest.prepDays} of the preparation days' runs`);
    log(
      `  same starting state: ${start ? (start.hash ? 'yes (same hash of every company, instants to the minute)' : start.bands ? 'same band counts, hash differs' : 'NO') : '?'}; bands before the day's touch: incremental ${bands(daily)}${full ? `; full ${bands(full)}` : ''}`,
    );
    log(
      `  the full sweep after the incremental, the same day (stricter: a second evaluation that day): ${daily.sameDayFullCalls ?? '?'} calls; it changed ${daily.sameDayChangedBandOrStage ?? '?'} bands/stages, created ${daily.sameDayFullTasksCreated ?? '?'} tasks, sent ${daily.sameDayFullTouches ?? '?'} digital touches and wrote ${daily.sameDayFullWorkWrites ?? '?'} companies for more than the score's digits → nothing left: ${daily.sameBands ? 'yes' : 'no'}`,
    );
    const vs = sameAsReplacedFull(rows, daily);
    log(
      vs === null
        ? '  against the full sweep it replaces: not compared (both rows are needed)'
        : `  against the full sweep it replaces (same start, its own server): bands/stages differ for ${vs.bandStage} companies; tasks only in the incremental ${vs.tasksOnlyIncremental}, only in the full ${vs.tasksOnlyFull}; touches only in the incremental ${vs.touchesOnlyIncremental}, only in the full ${vs.touchesOnlyFull} → same bands, stages, tasks and touches: ${vs.bandStage + vs.tasksOnlyIncremental + vs.tasksOnlyFull + vs.touchesOnlyIncremental + vs.touchesOnlyFull === 0 ? 'yes' : 'no'}`,
    );
    if (full) {
      const day = dayWorkCalls(full.work);
      log(
        `  the day's own work in the full sweep it replaces (writes other than score-only ones ${n(full.work.writes - (full.work.writesScoreOnly ?? 0))}, creates ${n(full.work.creates)}, dispatch rewrites ${n(full.work.writes2 ?? 0)}, single calls): ${day} calls = ${((100 * day) / Math.max(1, full.calls)).toFixed(1)}% of its ${full.calls}; no sweep doing that day's work spends less`,
      );
    }
  }
  log('');
  log(formatSweepTable(rows));
  const { pass, share } = sweepTargets(rows);
  log(
    `\nTargets: calls ≤ 1.05 × honest minimum, wall ≤ 1.2 × floor, zero 10 s 429s in clean runs, shared-budget run completes, incremental ≤ 10% of the calls of the full sweep it replaces (${share === null ? 'not run' : `${(100 * share).toFixed(1)}%`}) with the same bands, stages and tasks → ${pass ? 'PASS' : 'FAIL'}`,
  );
  return { rows, pass };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const sizes = process.argv.slice(2).map(Number).filter((x) => Number.isFinite(x) && x > 0);
  runSweepBench(sizes.length ? { sizes } : {}).then(
    (r) => process.exit(r.pass ? 0 : 1),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
