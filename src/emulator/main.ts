/**
 * CLI: starts the local HubSpot-compatible CRM server.
 *
 *   npx tsx src/emulator/main.ts --companies 26000 --csms 60 --seed 7 --port 4010 --dir .local-crm
 *   npx tsx src/emulator/main.ts --latency 150 --latency-jitter 0.3   (answers take 150 ms ± 30%, like HubSpot's 100–300 ms)
 *
 * Prints the base URL and the token; state is saved to `<dir>/state.json` on Ctrl-C.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { startLocalCrm } from './server';

const FlagsSchema = z.object({
  companies: z.coerce.number().int().min(0).default(2000),
  csms: z.coerce.number().int().min(1).default(12),
  seed: z.coerce.number().int().default(1),
  port: z.coerce.number().int().min(0).max(65535).default(4010),
  dir: z.string().default('.local-crm'),
  token: z.string().min(1).optional(),
  'rate-limit': z.coerce.number().int().min(1).default(190),
  daily: z.coerce.number().int().min(1).default(1_000_000),
  'search-lag-ms': z.coerce.number().int().min(0).default(0),
  latency: z.coerce.number().int().min(0).max(60_000).default(0),
  'latency-jitter': z.coerce.number().min(0).max(1).default(0.3),
  'no-rate-limits': z.boolean().default(false),
  'no-persist': z.boolean().default(false),
  reset: z.boolean().default(false),
});

function parseArgs(argv: string[]): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (!a.startsWith('--')) throw new Error(`Unexpected argument: ${a}`);
    const [k, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
    const next = argv[i + 1];
    if (inline !== undefined) out[k] = inline;
    else if (next !== undefined && !next.startsWith('--')) {
      out[k] = next;
      i++;
    } else out[k] = true;
  }
  return out;
}

async function main(): Promise<void> {
  const parsed = FlagsSchema.strict().safeParse(parseArgs(process.argv.slice(2)));
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    console.error(`Bad flag ${i ? `--${i.path.join('.')}` : ''}: ${i?.message ?? 'invalid'}`);
    process.exit(2);
  }
  const f = parsed.data;
  const dir = f['no-persist'] ? false : f.dir;
  if (f.reset && dir) {
    const { rm } = await import('node:fs/promises');
    await rm(join(dir, 'state.json'), { force: true });
  }
  const t0 = Date.now();
  const crm = await startLocalCrm({
    port: f.port,
    dir,
    ...(f.token ? { token: f.token } : {}),
    seed: { seed: f.seed, companies: f.companies, csms: f.csms },
    rateLimits: f['no-rate-limits'] ? false : { max: f['rate-limit'], daily: f.daily },
    searchLagMs: f['search-lag-ms'],
    latencyMs: f.latency,
    latencyJitter: f['latency-jitter'],
  });
  const poolConfig = crm.store.meta.poolConfig;
  if (dir && poolConfig) {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'pool-config.json'), JSON.stringify(poolConfig, null, 2));
  }
  console.log(`Local HubSpot-compatible CRM ready in ${Date.now() - t0} ms`);
  console.log(`  companies: ${crm.store.count('companies')}, tickets: ${crm.store.count('tickets')}, tasks: ${crm.store.count('tasks')}, owners: ${crm.store.owners.length}`);
  if (f.latency > 0) console.log(`  latency: ${f.latency} ms ± ${Math.round(f['latency-jitter'] * 100)}% per answer`);
  console.log(`  HUBSPOT_BASE_URL=${crm.baseUrl}`);
  console.log(`  HUBSPOT_ACCESS_TOKEN=${crm.token}`);
  if (dir) console.log(`  state: ${join(crm.dir ?? dir, 'state.json')} (saved on exit)${poolConfig ? `, pool config: ${join(dir, 'pool-config.json')}` : ''}`);
  const shutdown = (): void => {
    crm
      .stop()
      .then(() => process.exit(0))
      .catch((e: unknown) => {
        console.error(e);
        process.exit(1);
      });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
