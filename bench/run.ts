/**
 * `npm run bench`: every benchmark, each printing measured figures and ratios against its target.
 * Exit code 1 when a target is missed.
 *
 *   npm run bench                          all: core (1,000,000 accounts), sweep (2k / 26k / 100k at 0 and 150 ms), serve
 *   npm run bench -- --json                one JSON array of rows on stdout (progress on stderr)
 *   npm run bench -- --only core|sweep     one benchmark
 *   npm run bench -- --accounts 20000      a short run: core over 20,000 accounts, sweep at 20,000 companies
 *   npm run bench -- --latency 0,150       sweep latencies (ms per answer, ± 30%)
 *   npm run bench -- --rows incremental    sweep rows: full, shared, incremental
 *   npm run bench -- 2000 26000            sweep sizes
 */
import { z } from 'zod';
import { printCardLoad, runCardLoadBench, type CardLoadRow } from './card-load';
import { runCoreBench, type CoreJsonRow } from './core';
import { printServeLoad, runServeLoadBench } from './serve-load';
import { runSweepBench, sweepJsonRows, type SweepJsonRow } from './sweep';

const FlagsSchema = z.object({
  json: z.boolean(),
  only: z.enum(['core', 'sweep', 'serve', 'card']).nullable(),
  accounts: z.number().int().min(1).nullable(),
  latencies: z.array(z.number().int().min(0).max(60_000)).min(1).nullable(),
  sizes: z.array(z.number().int().min(1)),
  rows: z.array(z.enum(['full', 'shared', 'incremental'])).min(1).nullable(),
});
type Flags = z.infer<typeof FlagsSchema>;

/**
 * Parses the bench flags; a bad one is refused with its name.
 *
 * @example
 * parseBenchFlags(['--json', '--only', 'core', '--accounts', '5000']) // { json: true, only: 'core', accounts: 5000, ... }
 */
export function parseBenchFlags(argv: string[]): Flags {
  const raw: { json: boolean; only: string | null; accounts: number | null; latencies: number[] | null; sizes: number[]; rows: string[] | null } = { json: false, only: null, accounts: null, latencies: null, sizes: [], rows: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const [flag, inline] = a.split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i] ?? '';
    if (flag === '--json') raw.json = true;
    else if (flag === '--only') raw.only = value();
    else if (flag === '--accounts') raw.accounts = Number(value());
    else if (flag === '--latency') raw.latencies = value().split(',').map(Number);
    else if (flag === '--rows') raw.rows = value().split(',');
    else if (/^\d+$/.test(a)) raw.sizes.push(Number(a));
    else throw new Error(`Unknown bench flag: ${a}`);
  }
  const parsed = FlagsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Bad bench flag --${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

async function main(): Promise<void> {
  const flags = parseBenchFlags(process.argv.slice(2));
  // With --json, stdout carries only the JSON array; progress goes to stderr.
  const log = flags.json ? (l: string) => process.stderr.write(`${l}\n`) : (l: string) => console.log(l);
  const rows: Array<CoreJsonRow | SweepJsonRow | ({ kind: 'card' } & CardLoadRow)> = [];
  const results: Record<string, boolean> = {};
  if (flags.only === null || flags.only === 'core') {
    log('== Core: accounts through segment, health, lifecycle, assignment, playbooks ==');
    const core = await runCoreBench({ ...(flags.accounts ? { accounts: flags.accounts } : {}), log });
    rows.push(...core.rows);
    results.core = core.pass;
  }
  if (flags.only === null || flags.only === 'sweep') {
    log('\n== Sweep against the local CRM server ==');
    const sizes = flags.sizes.length > 0 ? flags.sizes : flags.accounts ? [flags.accounts] : undefined;
    const sweep = await runSweepBench({ ...(sizes ? { sizes } : {}), ...(flags.latencies ? { latencies: flags.latencies } : {}), ...(flags.rows ? { rows: flags.rows } : {}), log });
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
