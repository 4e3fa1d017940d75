/**
 * The local CRM server in its own process (bench only), so the sweep's process and the server's
 * are measured apart (RSS per process). Simulated time: each request carries the client's
 * simulated send instant, and the server reports when its answer would arrive (latency + jitter).
 *
 * Started by bench/sweep.ts with `fork`; the parameters come as one JSON argument.
 */
import { z } from 'zod';
import { startLocalCrm, type LocalCrm } from '../src/emulator';
import { mulberry32 } from '../src/platform/random';

const StartSchema = z.object({
  companies: z.number().int().min(0),
  csms: z.number().int().min(1),
  seed: z.number().int(),
  now: z.number(),
  latencyMs: z.number().min(0),
  latencyJitter: z.number().min(0).max(1),
});

const data = StartSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
const rssMb = () => process.resourceUsage().maxRSS / 1024;
let local: LocalCrm | null = null;

process.on('message', (m: unknown) => {
  const type = z.object({ type: z.enum(['stop', 'rss']) }).safeParse(m);
  if (!type.success) return;
  if (type.data.type === 'rss') {
    process.send?.({ type: 'rss', rssMb: rssMb() });
    return;
  }
  void (local ? local.stop() : Promise.resolve()).then(() => {
    process.send?.({ type: 'stopped', rssMb: rssMb() }, () => process.exit(0));
  });
});

void startLocalCrm({
  dir: false,
  clock: { now: () => data.now },
  seed: { seed: data.seed, companies: data.companies, csms: data.csms, now: data.now },
  rateLimits: { max: 190, searchPerSecond: 5 },
  latencyMs: data.latencyMs,
  latencyJitter: data.latencyJitter,
  // The one seeded generator (mulberry32): the jitter is reproducible per row.
  random: mulberry32(data.seed),
  simulatedTime: true,
}).then((crm) => {
  local = crm;
  process.send?.({ type: 'ready', baseUrl: crm.baseUrl, token: crm.token, pool: crm.store.meta['poolConfig'], rssMb: rssMb() });
});
