/**
 * The flags of `npm run bench` (bench/run.ts), parsed apart so the tests can check them without
 * running a benchmark.
 */
import { z } from 'zod';
import { SWEEP_ROW_NAMES } from './sweep-plan';

const FlagsSchema = z.object({
  json: z.boolean(),
  only: z.enum(['core', 'sweep', 'serve', 'card']).nullable(),
  accounts: z.number().int().min(1).nullable(),
  latencies: z.array(z.number().int().min(0).max(60_000)).min(1).nullable(),
  sizes: z.array(z.number().int().min(1)),
  rows: z.array(z.enum(SWEEP_ROW_NAMES)).min(1).nullable(),
  /** Next-day rows: days run with the daily incremental before the measured day (0 = the day after the first full sweep). */
  prepDays: z.number().int().min(0).max(30),
  /** The Node binary the core rows run under (default: the one running the bench), e.g. a Node 22 to measure on the runtime HubSpot assumes. */
  node: z.string().min(1, 'needs the path of a Node binary').nullable(),
});
export type BenchFlags = z.infer<typeof FlagsSchema>;

/**
 * Parses the bench flags; a bad one is refused with its name.
 *
 * @example
 * parseBenchFlags(['--json', '--only', 'core', '--accounts', '5000']) // { json: true, only: 'core', accounts: 5000, ... }
 */
export function parseBenchFlags(argv: string[]): BenchFlags {
  const raw: { json: boolean; only: string | null; accounts: number | null; latencies: number[] | null; sizes: number[]; rows: string[] | null; prepDays: number; node: string | null } = { json: false, only: null, accounts: null, latencies: null, sizes: [], rows: null, prepDays: 0, node: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const [flag, inline] = a.split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i] ?? '';
    if (flag === '--json') raw.json = true;
    else if (flag === '--only') raw.only = value();
    else if (flag === '--accounts') raw.accounts = Number(value());
    else if (flag === '--latency') raw.latencies = value().split(',').map(Number);
    else if (flag === '--rows') raw.rows = value().split(',');
    else if (flag === '--prep-days') raw.prepDays = Number(value());
    else if (flag === '--node') raw.node = value();
    else if (/^\d+$/.test(a)) raw.sizes.push(Number(a));
    else throw new Error(`Unknown bench flag: ${a}`);
  }
  const parsed = FlagsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path[0] === 'prepDays' ? 'prep-days' : (issue?.path.join('.') ?? '?');
    throw new Error(`Bad bench flag --${name}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
