/**
 * `npm run bench`: every benchmark, each printing measured figures and ratios against its target.
 * Exit code 1 when a target is missed. Sizes of the sweep benchmark can be passed:
 * `npm run bench -- 2000 26000`.
 */
import { printCardLoad, runCardLoadBench } from './card-load';
import { runCoreBench } from './core';
import { printServeLoad, runServeLoadBench } from './serve-load';
import { runSweepBench } from './sweep';

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isFinite(n) && n > 0);
  console.log('== Core: 100,000 accounts through segment, health, lifecycle, assignment, playbooks ==');
  const core = await runCoreBench();
  console.log('\n== Sweep against the local CRM server ==');
  const sweep = await runSweepBench(sizes.length ? sizes : undefined);
  console.log('\n== serve: signed workflow-action deliveries on localhost ==');
  const serve = await runServeLoadBench();
  printServeLoad(serve);
  console.log('\n== Company card: HubSpot calls per card load ==');
  const card = await runCardLoadBench();
  printCardLoad(card);
  const results = { core: core.pass, sweep: sweep.pass, serve: serve.ok, card: card.pass };
  console.log(`\nSummary: ${Object.entries(results).map(([k, v]) => `${k} ${v ? 'PASS' : 'FAIL'}`).join(', ')}`);
  process.exit(Object.values(results).every(Boolean) ? 0 : 1);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
