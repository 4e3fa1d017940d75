/**
 * The real stack for the reliability suite: the local HubSpot-compatible CRM server (seeded, with
 * faults and rate limits) and the HubSpot adapter, sharing one simulated clock, plus AppDeps for
 * the sweep and the company service. No real sleeps: `SimClock.sleep` advances time at once.
 */
import { configVersion, defaultConfig, parseConfig, type Config } from '../../src/core';
import { SimClock, startLocalCrm, type LocalCrm, type LocalCrmOptions } from '../../src/emulator';
import { createHubSpotCrm, type HubSpotCrmOptions } from '../../src/hubspot';
import type { AppDeps, CrmPort, Logger } from '../../src/app';

export const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);

export const quiet: Logger = { info() {}, warn() {}, error() {} };

export interface Stack {
  clock: SimClock;
  local: LocalCrm;
  crm: CrmPort;
  config: Config;
  deps: AppDeps;
  stop(): Promise<void>;
}

export interface StackOptions {
  companies?: number;
  seed?: number;
  csms?: number;
  clock?: SimClock;
  server?: Partial<LocalCrmOptions>;
  client?: Partial<HubSpotCrmOptions>;
  /** Wrap the adapter (e.g. crash after N calls). */
  wrap?: (crm: CrmPort) => CrmPort;
  /** Install the app's properties first (default true); the server's counters are reset after. */
  install?: boolean;
}

/**
 * The config the CLI would use against the seeded portal: defaults + the seeded pool, with every play
 * a human task and a daily capacity that does not bind: these cases exercise the task mechanics
 * (keys, reconciliation, retries, crashes) at volume. Channels, capacity and the backlog have their
 * own tests (src/core/workload.test.ts, src/app/sweep-workload.test.ts).
 */
export function configFor(local: LocalCrm): Config {
  const pool = local.store.meta['poolConfig'] as { members?: unknown[] } | undefined;
  const base = defaultConfig();
  const human = { pooled: 'task', mid_pooled: 'task', named: 'task' } as const;
  const plays = Object.fromEntries(Object.keys(base.channels.plays).map((k) => [k, human]));
  const parsed = parseConfig({
    ...base,
    pool: { queueId: null, members: pool?.members ?? [] },
    channels: { ...base.channels, plays },
    workload: { ...base.workload, tasksPerDay: 100_000, maxOpenTasks: 100_000 },
    playbooks: { ...base.playbooks, rules: { ...base.playbooks.rules, renewal: { ...base.playbooks.rules.renewal, qualifiedWindows: [] } } },
  });
  if (!parsed.ok) throw new Error(`seeded pool does not fit the config: ${JSON.stringify(parsed.errors)}`);
  return parsed.config;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const clock = options.clock ?? new SimClock(NOW);
  const local = await startLocalCrm({
    dir: false,
    clock,
    seed: options.companies === 0 ? false : { seed: options.seed ?? 7, companies: options.companies ?? 120, csms: options.csms ?? 6 },
    ...options.server,
  });
  const adapter = createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock, random: () => 0.5, timeoutMs: 0, ...options.client });
  if (options.install !== false) {
    const admin = createHubSpotCrm({ accessToken: local.token, basePath: local.baseUrl, clock, timeoutMs: 0 });
    await admin.installProperties();
    local.counters.reset();
    local.log.length = 0;
    // Let the installer's requests leave the 10 s window before the test starts.
    clock.advance(10_000);
  }
  const crm = options.wrap ? options.wrap(adapter) : adapter;
  const config = configFor(local);
  const deps: AppDeps = { crm, config, configVersion: configVersion(config), now: () => new Date(clock.now()), log: quiet };
  return { clock, local, crm, config, deps, stop: () => local.stop() };
}

/** Task keys in the CRM store → how many tasks carry each. */
export function taskKeyCounts(local: LocalCrm): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of local.store.objects.tasks.values()) {
    const key = /Idempotency key:\s*([^\s<]+)/.exec(t.props.hs_task_body ?? '')?.[1];
    if (!key) continue;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export function duplicates(counts: Map<string, number>): string[] {
  return [...counts].filter(([, n]) => n > 1).map(([k]) => k);
}

/** A SimClock that also records every wait (the client's pacer and retry policy sleep on it). */
export class RecordingClock extends SimClock {
  readonly waits: number[] = [];
  override sleep(ms: number): Promise<void> {
    this.waits.push(ms);
    return super.sleep(ms);
  }
}

/** Most entries in any window of `windowMs` (times in ms). */
export function maxPerWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** Every company id in the server's store. */
export function companyIds(local: LocalCrm): string[] {
  return [...local.store.objects.companies.keys()].map(String);
}
