/**
 * `npm run bench`: every benchmark, each printing measured figures and ratios against its target.
 * Exit code 1 when a target is missed.
 *
 *   npm run bench                          all: core (1,000,000 accounts), sweep (2k / 26k / 100k at 0 and 150 ms), serve
 *   npm run bench -- --json                one JSON array of rows on stdout (progress on stderr)
 *   npm run bench -- --only core|sweep     one benchmark
 *   npm run bench -- --accounts 20000      a short run: core over 20,000 accounts, sweep at 20,000 companies
 *   npm run bench -- --latency 0,150       sweep latencies (ms per answer, ± 30%)
 *   npm run bench -- --rows incremental    sweep rows: full, shared, incremental (with fullNextDay, the full sweep it replaces), fullNextDay
 *   npm run bench -- --prep-days 7         next-day rows measured after a week of daily incremental runs (default 0: the day after the first full sweep)
 *   npm run bench -- 2000 26000            sweep sizes
 *   npm run bench -- --node /path/to/node  the core rows under another Node binary (say a Node 22, as HubSpot's runtime)
 *
 * BENCH_VERBOSE=1: the next-day rows also print each preparation day's incremental, what the
 * measured and the same-day full sweep wanted and created, and the first tasks the full one still
 * created (with their companies as they stood before it): to see what an incremental left behind.
 * BENCH_DUMP_START=<prefix>: the next-day rows write each company of their starting state, as
 * hashed, to <prefix>-<row kind>.jsonl: to see where two starts that should be alike differ.
 */
import { printCardLoad, runCardLoadBench, type CardLoadRow } from './card-load';
import { runCoreBench, type CoreJsonRow } from './core';
import { parseBenchFlags } from './flags';
import { printServeLoad, runServeLoadBench } from './serve-load';
import { runSweepBench, sweepJsonRows, type SweepJsonRow } from './sweep';

async function main(): Promise<void> {
  const flags = parseBenchFlags(process.argv.slice(2));
  // With --json, stdout carries only the JSON array; progress goes to stderr.
  const log = flags.json ? (l: string) => process.stderr.write(`${l}\n`) : (l: string) => console.log(l);
  const rows: Array<CoreJsonRow | SweepJsonRow | ({ kind: 'card' } & CardLoadRow)> = [];
  const results: Record<string, boolean> = {};
  if (flags.only === null || flags.only === 'core') {
    log('== Core: accounts through segment, health, lifecycle, assignment, playbooks ==');
    const core = await runCoreBench({ ...(flags.accounts ? { accounts: flags.accounts } : {}), ...(flags.node !== null ? { node: flags.node } : {}), log });
    rows.push(...core.rows);
    results.core = core.pass;
  }
  if (flags.only === null || flags.only === 'sweep') {
    log('\n== Sweep against the local CRM server ==');
    const sizes = flags.sizes.length > 0 ? flags.sizes : flags.accounts ? [flags.accounts] : undefined;
    const sweep = await runSweepBench({ ...(sizes ? { sizes } : {}), ...(flags.latencies ? { latencies: flags.latencies } : {}), ...(flags.rows ? { rows: flags.rows } : {}), prepDays: flags.prepDays, log });
    rows.push(...sweepJsonRows(sweep.rows));
    results.sweep = sweep.pass;
  }
  if (flags.only === null || flags.only === 'serve') {
    log('\n== serve: signed workflow-action deliveries on localhost ==');
    const serve = await runServeLoadBench();
    if (!flags.json) printServeLoad(serve);
    results.serve = serve.ok;
  }
  if (flags.only === null || flags.only === 'card') {
    log('\n== Company card: HubSpot calls per card load ==');
    const card = await runCardLoadBench();
    if (!flags.json) printCardLoad(card);
    rows.push(...card.rows.map((r) => ({ kind: 'card' as const, ...r })));
    results.card = card.pass;
  }
  if (flags.json) process.stdout.write(`${JSON.stringify(rows, null, 1)}\n`);
  log(`\nSummary: ${Object.entries(results).map(([k, v]) => `${k} ${v ? 'PASS' : 'FAIL'}`).join(', ')}`);
  process.exit(Object.values(results).every(Boolean) ? 0 : 1);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
