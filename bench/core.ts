/**
 * Core benchmark: evaluates 100,000 synthetic accounts (segment + health + lifecycle + assignment +
 * playbooks) and checks the fairness of 10,000 assignments over 60 identical CSMs.
 * Run: `npx tsx bench/core.ts` (or via `npm run bench`). Prints PASS/FAIL against the targets.
 */
import { pathToFileURL } from 'node:url';
import {
  assignOnboardingCsm,
  configVersion,
  createAssignmentState,
  defaultConfig,
  evaluateAccount,
  fairness,
  loadOf,
  formatIsoDay,
  type Account,
  type Config,
  type Owner,
  type PoolMember,
} from '../src/core';
import { makeAccount } from '../src/core/test-support';
import { mulberry32 } from '../src/platform/random';

const ACCOUNTS = 100_000;
const TARGET_MS = 1000;
const FAIR_ACCOUNTS = 10_000;
const FAIR_CSMS = 60;
const TARGET_RATIO = 1.1;

/** The one seeded generator (mulberry32). */
const prng = mulberry32;

function owner(id: string): Owner {
  return { id, userId: null, email: null, firstName: null, lastName: null, active: true, archived: false, teams: [] };
}

function member(id: string, skills: string[], capacity: number): PoolMember {
  return { ownerId: id, skills, coverageDays: [], outOfOffice: [], capacity };
}

export function syntheticAccounts(n: number, now: Date, seed: number): Account[] {
  const rnd = prng(seed);
  const today = Math.floor(now.getTime() / 86_400_000);
  const maybe = <T>(p: number, v: () => T): T | null => (rnd() < p ? v() : null);
  const out: Account[] = [];
  for (let i = 0; i < n; i++) {
    const seats = Math.floor(5 + rnd() * 200);
    const prev = Math.floor(rnd() * 1000);
    const start = today - Math.floor(rnd() * 1100);
    const graduated = today - start > 95 && rnd() < 0.9;
    out.push(
      makeAccount({
        id: String(100_000 + i),
        name: `Company ${i}`,
        acv: maybe(0.95, () => Math.round(rnd() * rnd() * 200_000)),
        dedicatedCsmContract: rnd() < 0.02,
        contractStartDate: formatIsoDay(start),
        renewalDate: formatIsoDay(start + 365 * Math.ceil((today - start + 1) / 365)),
        licensedSeats: maybe(0.9, () => seats),
        activeUsers: maybe(0.9, () => Math.floor(rnd() * seats)),
        usageCurrentPeriod: maybe(0.85, () => Math.floor(prev * (0.4 + rnd() * 0.9))),
        usagePreviousPeriod: maybe(0.85, () => prev),
        lastLoginDate: maybe(0.9, () => formatIsoDay(today - Math.floor(rnd() * 60))),
        npsScore: maybe(0.5, () => Math.floor(rnd() * 11)),
        npsDate: maybe(0.5, () => formatIsoDay(today - Math.floor(rnd() * 300))),
        usageUpdatedAt: maybe(0.9, () => new Date((today - Math.floor(rnd() * 20)) * 86_400_000).toISOString()),
        lastContactedAt: maybe(0.8, () => new Date((today - Math.floor(rnd() * 90)) * 86_400_000).toISOString()),
        requiredSkills: rnd() < 0.1 ? ['de'] : [],
        openTickets: Math.floor(rnd() * 4),
        highPriorityTickets: rnd() < 0.1 ? 1 : 0,
        openCsTasks: Math.floor(rnd() * 3),
        healthScore: maybe(0.7, () => Math.floor(rnd() * 100)),
        onboardingStartDate: formatIsoDay(start),
        graduatedAt: graduated ? formatIsoDay(start + 90) : null,
        playbookLedger: rnd() < 0.3 ? [`cs:${100_000 + i}:usage_drop:alert:2026-W01@2026-01-02`] : [],
      }),
    );
  }
  return out;
}

export function benchConfig(): Config {
  const config = defaultConfig();
  config.pool.members = Array.from({ length: FAIR_CSMS }, (_, i) => member(`o${i}`, i % 5 === 0 ? ['de'] : [], 20));
  return config;
}

export interface CoreBenchResult {
  accounts: number;
  totalMs: number;
  accountsPerSecond: number;
  tasks: number;
  peakRssMb: number;
  fairnessRatio: number | null;
  gini: number;
  pass: boolean;
}

function fairnessRun(now: Date): ReturnType<typeof fairness> {
  const config = defaultConfig();
  config.assignment.concurrentOnboardingCap = FAIR_ACCOUNTS;
  const members = Array.from({ length: FAIR_CSMS }, (_, i) => member(`f${i}`, [], FAIR_ACCOUNTS));
  config.pool.members = members;
  let state = createAssignmentState({ members, owners: members.map((m) => owner(m.ownerId)) });
  const account = makeAccount();
  for (let i = 0; i < FAIR_ACCOUNTS; i++) {
    const r = assignOnboardingCsm(account, state, config, now);
    if (!r.ok) break;
    state = r.state;
  }
  return fairness(members.map((m) => loadOf(state, m.ownerId)));
}

/**
 * Runs the core benchmark and prints the figures.
 * @example
 * await runCoreBench(); // prints accounts/s, total ms, peak RSS, fairness, PASS/FAIL
 */
export async function runCoreBench(): Promise<CoreBenchResult> {
  const now = new Date('2026-06-16T15:00:00Z');
  const config = benchConfig();
  const version = configVersion(config);
  const accounts = syntheticAccounts(ACCOUNTS, now, 20260616);
  const owners = config.pool.members.map((m) => owner(m.ownerId));

  // Warm-up on a slice (JIT), then the measured run over all accounts.
  let warm = createAssignmentState({ members: config.pool.members, owners });
  for (const a of accounts.slice(0, 5_000)) warm = evaluateAccount(a, { config, configVersion: version, now, assignment: warm }).state;

  let state = createAssignmentState({ members: config.pool.members, owners });
  let tasks = 0;
  // Harness only: call through a local binding (under tsx each access to an `export *` re-export is
  // a getter chain), and start from a collected heap when gc is exposed (`npm run bench`).
  const evaluate = evaluateAccount;
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = performance.now();
  for (const a of accounts) {
    const ev = evaluate(a, { config, configVersion: version, now, assignment: state });
    state = ev.state;
    tasks += ev.tasks.length;
  }
  const totalMs = performance.now() - t0;
  const peakRssMb = Math.max(process.memoryUsage().rss / 1048576, process.resourceUsage().maxRSS / 1024);
  const f = fairnessRun(now);
  const timePass = totalMs < TARGET_MS;
  const fairPass = f.ratio !== null && f.ratio <= TARGET_RATIO;
  const result: CoreBenchResult = {
    accounts: ACCOUNTS,
    totalMs,
    accountsPerSecond: ACCOUNTS / (totalMs / 1000),
    tasks,
    peakRssMb,
    fairnessRatio: f.ratio,
    gini: f.gini,
    pass: timePass && fairPass,
  };
  console.log('core bench');
  console.log(`  ${ACCOUNTS.toLocaleString('en-US')} accounts evaluated (segment+health+lifecycle+assignment+playbooks) in ${totalMs.toFixed(0)} ms`);
  console.log(`  ${Math.round(result.accountsPerSecond).toLocaleString('en-US')} accounts/s, ${tasks.toLocaleString('en-US')} tasks planned, peak RSS ${peakRssMb.toFixed(0)} MB`);
  console.log(`  ${timePass ? 'PASS' : 'FAIL'}: 100k accounts < ${TARGET_MS} ms`);
  console.log(`  fairness ${FAIR_ACCOUNTS.toLocaleString('en-US')} over ${FAIR_CSMS} CSMs: max ${f.max}, min ${f.min}, ratio ${f.ratio?.toFixed(3) ?? 'n/a'}, gini ${f.gini.toFixed(4)}`);
  console.log(`  ${fairPass ? 'PASS' : 'FAIL'}: max/min load ≤ ${TARGET_RATIO}`);
  return result;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCoreBench().then(
    (r) => {
      process.exitCode = r.pass ? 0 : 1;
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
