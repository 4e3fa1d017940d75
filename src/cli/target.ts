/**
 * Where the CLI works: the local HubSpot-compatible CRM server (the embedded default, started
 * in-process and seeded), or a real portal when `HUBSPOT_ACCESS_TOKEN` is set (or `--portal`).
 */
import { join } from 'node:path';
import { configVersion, parseConfig, type Config } from '../core';
import { startLocalCrm, workTheDays, type LocalCrm } from '../emulator';
import { createHubSpotCrm, propertyMapFromConfig } from '../hubspot';
import type { SleepingClock } from '../platform/clock';
import { silentLogger } from '../platform/logger';
import { formatConfigErrors, loadConfig, DEFAULT_HUBSPOT_BASE_URL, fileSweepStateStore, type AppDeps, type Logger, type SweepStateStore } from '../app';

export interface TargetFlags {
  portal: boolean;
  config?: string;
  companies: number;
  csms: number;
  seed: number;
  dir: string;
  reset: boolean;
  'rate-limit': number;
  state?: string;
  /** Evaluate as of this instant (ISO) instead of the clock: reproducible runs and backfills. */
  now?: string;
  /** Local CRM: share of the open tasks due that the pool completes each working day between runs (0 = nobody works). */
  'team-completes'?: number;
  /** Local CRM: share of the digitally touched customers who engage 1–4 days later. */
  'customers-answer'?: number;
  /** Local CRM: nothing happens between runs (no product sync, no work, no answers). */
  frozen?: boolean;
}

export interface Target {
  kind: 'local' | 'portal';
  deps: AppDeps;
  store: SweepStateStore;
  /** One sweep at a time per state file. */
  lockPath: string;
  describe: string;
  /** What happened to the target on opening, for people (the local pool's work since the last run); null when nothing. */
  note: string | null;
  local: LocalCrm | null;
  close(): Promise<void>;
}

/**
 * Opens the target. Errors are values naming the variable, flag or config key to fix.
 *
 * @example
 * const t = await openTarget(flags, process.env);
 * if (!t.ok) { console.error(t.message); process.exit(2); }
 */
export async function openTarget(
  flags: TargetFlags,
  env: Readonly<Record<string, string | undefined>>,
  options: { clock?: SleepingClock; log?: Logger } = {},
): Promise<{ ok: true; target: Target } | { ok: false; message: string }> {
  const loaded = loadConfig({ file: flags.config ?? null, json: null });
  if (!loaded.ok) return { ok: false, message: `Config rejected: ${formatConfigErrors(loaded.errors)}` };
  let config: Config = loaded.config;
  const log = options.log ?? silentLogger;
  const token = (env['HUBSPOT_ACCESS_TOKEN'] ?? '').trim();

  if (flags.portal || token) {
    if (!token) return { ok: false, message: '--portal needs HUBSPOT_ACCESS_TOKEN (a private app access token) in the environment' };
    const baseUrl = ((env['HUBSPOT_BASE_URL'] ?? '').trim() || DEFAULT_HUBSPOT_BASE_URL).replace(/\/+$/, '');
    if (config.pool.members.length === 0) log.warn('pool_empty', { message: 'config has no pool members: onboarding CSMs cannot be assigned' });
    const crm = createHubSpotCrm({ accessToken: token, basePath: baseUrl, propertyMap: propertyMapFromConfig(config.propertyMapping), valueBounds: { acvBelow: config.segments.acvBelow }, limits: { perTenSeconds: flags['rate-limit'] }, logger: log, ...(options.clock ? { clock: options.clock } : {}) });
    const fixed = flags.now ? new Date(flags.now) : null;
    const deps: AppDeps = { crm, config, configVersion: loaded.configVersion, now: () => fixed ?? new Date(), log };
    const stateFile = flags.state ?? join('.cs-state', 'sweep.json');
    return {
      ok: true,
      target: { kind: 'portal', deps, store: fileSweepStateStore(stateFile), lockPath: `${stateFile}.lock`, describe: `HubSpot portal at ${baseUrl}`, note: null, local: null, close: async () => {} },
    };
  }

  if (flags.reset) {
    const { rm } = await import('node:fs/promises');
    await rm(join(flags.dir, 'state.json'), { force: true });
    await rm(join(flags.dir, 'sweep.json'), { force: true });
  }
  const local = await startLocalCrm({
    dir: flags.dir,
    // An empty local CRM is seeded as of --now, so a run "as of" a day sees the book as it was that day.
    seed: { seed: flags.seed, companies: flags.companies, csms: flags.csms, ...(flags.now ? { now: Date.parse(flags.now) } : {}) },
    rateLimits: { max: flags['rate-limit'] },
    ...(options.clock ? { clock: options.clock } : {}),
  });
  // The days since the last run passed (none on the first): the product sync ran, the pool worked
  // its tasks and customers answered digital touches, unless --frozen.
  const runAt = flags.now ? Date.parse(flags.now) : local.clock.now();
  const lastRun = local.store.meta['teamAsOf'];
  let note: string | null = null;
  if (typeof lastRun === 'number' && runAt > lastRun) {
    const frozen = flags.frozen === true;
    const share = frozen ? 0 : (flags['team-completes'] ?? 0.6);
    const answerShare = frozen ? 0 : (flags['customers-answer'] ?? 0.3);
    const worked = workTheDays(local.store, { fromMs: lastRun, toMs: runAt, share, answerShare, sync: !frozen, seed: flags.seed, writtenAt: local.clock.now() });
    if (worked.days > 0) {
      const n = (v: number) => v.toLocaleString('en-US');
      const days = `Local CRM: ${worked.days} day${worked.days === 1 ? '' : 's'} since the last run`;
      const team = share > 0 ? `the pool completed ${n(worked.completed)} due tasks (contact logged on ${n(worked.contacted)} companies; --team-completes ${share} a working day)` : 'nobody worked (--team-completes 0)';
      note = frozen
        ? `${days}; frozen: no product sync, nobody worked, no customer answered`
        : `${days}; the product sync refreshed ${n(worked.synced)} companies; ${team}; ${n(worked.answered)} customers answered a digital touch (--customers-answer ${answerShare})`;
    }
  }
  if (typeof lastRun !== 'number' || runAt > lastRun) local.store.meta['teamAsOf'] = runAt;
  // The seeded pool (skills, coverage days, out of office) unless the config names its own members.
  const pool = local.store.meta['poolConfig'] as { members?: unknown[] } | undefined;
  let version = loaded.configVersion;
  if (config.pool.members.length === 0 && pool?.members) {
    const merged = parseConfig({ ...config, pool: { queueId: config.pool.queueId, members: pool.members } });
    if (!merged.ok) {
      await local.stop();
      return { ok: false, message: `The local CRM's pool does not fit the config: ${formatConfigErrors(merged.errors)}` };
    }
    config = merged.config;
    version = configVersion(config);
  }
  const crm = createHubSpotCrm({
    accessToken: local.token,
    basePath: local.baseUrl,
    propertyMap: propertyMapFromConfig(config.propertyMapping),
    valueBounds: { acvBelow: config.segments.acvBelow },
    limits: { perTenSeconds: flags['rate-limit'] },
    logger: log,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const fixed = flags.now ? new Date(flags.now) : null;
  const deps: AppDeps = { crm, config, configVersion: version, now: () => fixed ?? new Date(local.clock.now()), log };
  // The sweep's checkpoint is written only after the local CRM's own state is saved, so a kill
  // never leaves a checkpoint ahead of the data it describes.
  const file = fileSweepStateStore(join(flags.dir, 'sweep.json'));
  const store: SweepStateStore = {
    load: () => file.load(),
    async save(state) {
      await local.save();
      await file.save(state);
    },
  };
  return {
    ok: true,
    target: {
      kind: 'local',
      deps,
      store,
      lockPath: join(flags.dir, 'sweep.json.lock'),
      describe: `local HubSpot-compatible CRM at ${local.baseUrl} (${local.store.count('companies').toLocaleString('en-US')} companies, state in ${flags.dir}/)`,
      note,
      local,
      close: () => local.stop(),
    },
  };
}
