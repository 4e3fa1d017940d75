/**
 * The local CRM server in its own process (bench only), so the sweep's process and the server's
 * are measured apart (RSS per process). Simulated time: each request carries the client's
 * simulated send instant, and the server reports when its answer would arrive (latency + jitter).
 *
 * Started by bench/sweep.ts with `fork`; the parameters come as one JSON argument.
 */
import { z } from 'zod';
import { startLocalCrm, type LocalCrm } from '../src/emulator';

const StartSchema = z.object({
  companies: z.number().int().min(0),
  csms: z.number().int().min(1),
  seed: z.number().int(),
  now: z.number(),
  latencyMs: z.number().min(0),
  latencyJitter: z.number().min(0).max(1),
});

/** mulberry32: the jitter is seeded, so a row is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
  random: prng(data.seed),
  simulatedTime: true,
}).then((crm) => {
  local = crm;
  process.send?.({ type: 'ready', baseUrl: crm.baseUrl, token: crm.token, pool: crm.store.meta['poolConfig'], rssMb: rssMb() });
});
