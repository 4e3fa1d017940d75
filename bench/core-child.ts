/**
 * One core benchmark row in a process of its own: `coreRow` over the given accounts, the result as
 * one JSON line on stdout. Started by bench/core.ts in two forms: an esbuild bundle of this file,
 * built as `npm run build` bundles the app functions (the code HubSpot runs, `portfolio-sweep`
 * among it), and the source under tsx (as `npm run cli` runs it).
 */
import { coreRow } from './core';

const params = JSON.parse(process.argv[2] ?? '{}') as { accounts?: unknown; targetMs?: unknown; runs?: unknown; now?: unknown };
const accounts = Number(params.accounts);
const targetMs = Number(params.targetMs);
const runs = Number(params.runs);
const now = new Date(typeof params.now === 'string' ? params.now : Number.NaN);
if (!(accounts > 0 && targetMs > 0 && runs > 0) || Number.isNaN(now.getTime())) {
  process.stderr.write(`core-child: expected {"accounts","targetMs","runs","now"} (positive numbers, an ISO instant), got ${process.argv[2] ?? 'nothing'}\n`);
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(coreRow(accounts, targetMs, now, runs))}\n`);
