/**
 * Core A/B: is a change to the core faster or slower than a base revision, on a machine whose speed
 * drifts? Separate runs of `npm run bench -- --only core` on this 2-core VM spread by ±20% for the
 * same code within half an hour (5.6–7.9 s at 1,000,000 accounts), so a 5% change cannot be seen
 * that way. Here both cores run in **one process, chunk by chunk in turn** (A B, then B A), over the
 * same accounts: a slow minute slows both alike, and the ratio stays (base against itself:
 * 0.95–1.02 over 400,000 accounts; with fewer than 20 chunks the first, still warming up, weigh).
 *
 *   npx tsx bench/core-ab.ts <base-rev> [--chunks 40] [--chunk-size 10000]
 *
 * A is the core of `<base-rev>` (its `src/` and `bench/` from git), B the working tree's, both built
 * as the app functions ship (`FUNCTION_BUNDLE`, minified). Each side takes its own bench config; the accounts
 * are made by B's generator (bench/core.ts), the same objects for both. Prints B's time ÷ A's, the spread of the
 * per-chunk ratios, and each side's planned task count: when they differ the change altered what the
 * core decides, which a speed comparison does not excuse.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { FUNCTION_BUNDLE } from '../src/build/build';

export interface AbOptions {
  base: string;
  chunks: number;
  chunkSize: number;
  /** B's source root (its `src/` and `bench/`); default the working tree. */
  tree?: string;
}

export interface AbResult {
  baseCommit: string;
  accounts: number;
  /** Evaluation time of each side, summed over the chunks (ms). */
  aMs: number;
  bMs: number;
  /** bMs ÷ aMs. */
  ratio: number;
  /** Per-chunk B ÷ A: median and the middle half. */
  chunkMedian: number;
  chunkLow: number;
  chunkHigh: number;
  tasksA: number;
  tasksB: number;
}

/**
 * Parses `<base-rev> [--chunks N] [--chunk-size N]`; a bad argument is refused by name.
 * @example
 * parseAbArgs(['HEAD~1', '--chunks', '10']) // { base: 'HEAD~1', chunks: 10, chunkSize: 10000 }
 */
export function parseAbArgs(argv: readonly string[]): AbOptions {
  let base: string | null = null;
  let chunks = 40;
  let chunkSize = 10_000;
  const count = (flag: string, v: string | undefined, max: number): number => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < 1 || n > max) throw new Error(`${flag} needs a whole number from 1 to ${max.toLocaleString('en-US')}, got ${v ?? 'nothing'}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--chunks') chunks = count(a, argv[++i], 1000);
    else if (a === '--chunk-size') chunkSize = count(a, argv[++i], 100_000);
    else if (a.startsWith('-')) throw new Error(`unknown flag ${a} (flags: --chunks N, --chunk-size N)`);
    else if (base === null) base = a;
    else throw new Error(`one base revision only, got ${base} and ${a}`);
  }
  if (base === null) throw new Error('usage: npx tsx bench/core-ab.ts <base-rev> [--chunks 40] [--chunk-size 10000]');
  return { base, chunks, chunkSize };
}

const REPO = resolve(__dirname, '..');

/** The entry a side is built from: its core's evaluate over the bench's accounts, one chunk per call. */
function entrySource(root: string): string {
  const core = JSON.stringify(join(root, 'src', 'core'));
  const bench = JSON.stringify(join(root, 'bench', 'core'));
  return `import { configVersion, createAssignmentState, evaluateAccount } from ${core};
import { benchConfig, syntheticAccounts } from ${bench};
const config = benchConfig();
const version = configVersion(config);
const owners = config.pool.members.map((m) => ({ id: m.ownerId, userId: null, email: null, firstName: null, lastName: null, active: true, archived: false, teams: [] }));
let state = createAssignmentState({ members: config.pool.members, owners } as never);
export function gen(n: number, now: Date, seed: number) { return syntheticAccounts(n, now, seed); }
export function reset(): void { state = createAssignmentState({ members: config.pool.members, owners } as never); }
export function run(chunk: unknown[], now: Date): number {
  // As the sweep evaluates (a core before deferred words ignores the field).
  const ctx = { config, configVersion: version, now, assignment: state, texts: 'deferred' as const };
  let tasks = 0;
  for (let i = 0; i < chunk.length; i++) { ctx.assignment = state; const ev = evaluateAccount(chunk[i] as never, ctx); state = ev.state; tasks += ev.tasks.length; }
  return tasks;
}
`;
}

/** The driver (plain CommonJS, run with --expose-gc): warm both, then chunks in turn, order alternating. */
const DRIVER = `const [a, b, chunks, size] = process.argv.slice(2);
const A = require(a), B = require(b);
const now = new Date('2026-12-03T12:00:00Z');
for (let w = 0; w < 3; w++) { const c = B.gen(5000, now, 99 + w); A.run(c, now); B.run(c, now); }
A.reset(); B.reset();
let aMs = 0, bMs = 0, tasksA = 0, tasksB = 0; const ratios = [];
for (let i = 0; i < Number(chunks); i++) {
  const c = B.gen(Number(size), now, 1000 + i);
  global.gc({ type: 'minor' }); global.gc({ type: 'minor' });
  let ta = 0, tb = 0;
  for (const side of i % 2 === 0 ? ['A', 'B'] : ['B', 'A']) {
    global.gc({ type: 'minor' });
    const t0 = performance.now();
    const k = (side === 'A' ? A : B).run(c, now);
    const dt = performance.now() - t0;
    if (side === 'A') { ta = dt; tasksA += k; } else { tb = dt; tasksB += k; }
  }
  aMs += ta; bMs += tb; ratios.push(tb / ta);
}
process.stdout.write(JSON.stringify({ aMs, bMs, ratios, tasksA, tasksB }) + '\\n');
`;

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (at - lo);
}

async function bundle(entry: string, outfile: string): Promise<void> {
  await esbuild.build({ ...FUNCTION_BUNDLE, entryPoints: [entry], outfile, bundle: true, minify: true, write: true, logLevel: 'silent', legalComments: 'none', nodePaths: [join(REPO, 'node_modules')] });
}

/** Builds both sides and runs them in turn; throws with a clear message when the base cannot be had. */
export async function runCoreAb(options: AbOptions): Promise<AbResult> {
  let baseCommit: string;
  try {
    baseCommit = execFileSync('git', ['rev-parse', '--verify', '--quiet', `${options.base}^{commit}`], { cwd: REPO, encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`base revision ${options.base} is not a commit of this repository`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'core-ab-'));
  try {
    const baseRoot = join(dir, 'base');
    mkdirSync(baseRoot);
    const tar = spawnSync('git', ['archive', '--format=tar', baseCommit, 'src', 'bench'], { cwd: REPO, maxBuffer: 512 * 1024 * 1024 });
    if (tar.status !== 0) throw new Error(`git archive ${options.base} failed: ${tar.stderr.toString().trim()}`);
    const x = spawnSync('tar', ['-x', '-C', baseRoot], { input: tar.stdout });
    if (x.status !== 0) throw new Error(`unpacking ${options.base} failed: ${x.stderr.toString().trim()}`);
    symlinkSync(join(REPO, 'node_modules'), join(baseRoot, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'entry-a.ts'), entrySource(baseRoot));
    writeFileSync(join(dir, 'entry-b.ts'), entrySource(options.tree ?? REPO));
    try {
      await bundle(join(dir, 'entry-a.ts'), join(dir, 'a.cjs'));
    } catch (e) {
      throw new Error(`the core of ${options.base} does not build for the comparison (it needs bench/core.ts's benchConfig and syntheticAccounts): ${String(e).split('\n')[0]}`);
    }
    await bundle(join(dir, 'entry-b.ts'), join(dir, 'b.cjs'));
    writeFileSync(join(dir, 'driver.cjs'), DRIVER);
    const run = spawnSync(process.execPath, ['--expose-gc', join(dir, 'driver.cjs'), join(dir, 'a.cjs'), join(dir, 'b.cjs'), String(options.chunks), String(options.chunkSize)], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    if (run.status !== 0) throw new Error(`the comparison run failed: ${run.stderr.trim().split('\n').slice(-3).join(' ')}`);
    const out = JSON.parse(run.stdout.trim()) as { aMs: number; bMs: number; ratios: number[]; tasksA: number; tasksB: number };
    const sorted = [...out.ratios].sort((p, q) => p - q);
    return {
      baseCommit,
      accounts: options.chunks * options.chunkSize,
      aMs: out.aMs,
      bMs: out.bMs,
      ratio: out.bMs / out.aMs,
      chunkMedian: quantile(sorted, 0.5),
      chunkLow: quantile(sorted, 0.25),
      chunkHigh: quantile(sorted, 0.75),
      tasksA: out.tasksA,
      tasksB: out.tasksB,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The printed lines of a comparison. */
export function describeAb(r: AbResult, base: string): string[] {
  const n = r.accounts.toLocaleString('en-US');
  const lines = [
    `A = ${base} (${r.baseCommit.slice(0, 7)}), B = the working tree; ${n} accounts each, chunk by chunk in turn`,
    `A ${r.aMs.toFixed(0)} ms, B ${r.bMs.toFixed(0)} ms: B ÷ A = ${r.ratio.toFixed(3)} (per chunk: median ${r.chunkMedian.toFixed(3)}, middle half ${r.chunkLow.toFixed(3)}–${r.chunkHigh.toFixed(3)})`,
  ];
  lines.push(r.tasksA === r.tasksB ? `tasks planned: ${r.tasksA.toLocaleString('en-US')} on both sides` : `tasks planned differ: A ${r.tasksA.toLocaleString('en-US')}, B ${r.tasksB.toLocaleString('en-US')} — the change altered what the core decides`);
  return lines;
}

async function main(): Promise<void> {
  let options: AbOptions;
  try {
    options = parseAbArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  const r = await runCoreAb(options);
  for (const l of describeAb(r, options.base)) console.log(l);
  process.exit(r.tasksA === r.tasksB ? 0 : 1);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error((e as Error).message);
    process.exit(2);
  });
}
