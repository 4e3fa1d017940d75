/**
 * Test support for the functions: a seeded local CRM server with our properties installed, the
 * environment the functions read pointed at it, and helpers to find seeded companies by kind.
 */
import { startLocalCrm, type LocalCrm } from '../../src/emulator';
import { createHubSpotCrm } from '../../src/hubspot';
import { memorySweepStateStore, runSweep, silentLogger } from '../../src/app';
import { configVersion, parseConfig } from '../../src/core';
import { setFunctionOverrides } from '../lib/handler';

export const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);
const DAY = 86_400_000;

export interface FunctionsEnv {
  crm: LocalCrm;
  /** Pool config from the seed (owner ids of the CSMs). */
  pool: { queueId: string | null; members: Array<{ ownerId: string; skills: string[]; coverageDays: string[]; outOfOffice: unknown[]; capacity: number }> };
  stop(): Promise<void>;
}

const ENV_KEYS = ['HUBSPOT_BASE_URL', 'PRIVATE_APP_ACCESS_TOKEN', 'HUBSPOT_ACCESS_TOKEN', 'CS_CONFIG_JSON', 'HUBSPOT_PORTAL_ID'] as const;

/** Starts the local CRM (200 companies, 6 CSMs), installs our properties and sets the env. */
export async function startFunctionsEnv(): Promise<FunctionsEnv> {
  const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  const crm = await startLocalCrm({ dir: false, seed: { companies: 200, csms: 6, seed: 3, now: NOW }, rateLimits: false });
  await createHubSpotCrm({ accessToken: crm.token, basePath: crm.baseUrl }).installProperties();
  const pool = crm.store.meta['poolConfig'] as FunctionsEnv['pool'];
  process.env['HUBSPOT_BASE_URL'] = crm.baseUrl;
  process.env['PRIVATE_APP_ACCESS_TOKEN'] = crm.token;
  delete process.env['HUBSPOT_ACCESS_TOKEN'];
  process.env['CS_CONFIG_JSON'] = JSON.stringify({ pool });
  process.env['HUBSPOT_PORTAL_ID'] = '123';
  setFunctionOverrides({ now: () => new Date(NOW), log: silentLogger });
  return {
    crm,
    pool,
    async stop() {
      setFunctionOverrides(null);
      for (const k of ENV_KEYS) {
        const v = saved[k];
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await crm.stop();
    },
  };
}

export interface SeededCompany {
  id: string;
  props: Record<string, string>;
}

/** Seeded companies matching `pick` (by their raw properties), in id order. */
export function companies(crm: LocalCrm, pick: (props: Record<string, string>) => boolean): SeededCompany[] {
  const out: SeededCompany[] = [];
  for (const obj of crm.store.objects.companies.values()) if (pick(obj.props)) out.push({ id: String(obj.id), props: obj.props });
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

const startAgo = (props: Record<string, string>): number | null => {
  const raw = props['cs_contract_start_date'];
  if (!raw || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) return null;
  const ms = Date.parse(`${raw}T00:00:00Z`);
  return Number.isFinite(ms) ? Math.floor((NOW - ms) / DAY) : null;
};

/** Started 5–60 days ago, full usage data. */
export const isOnboarding = (p: Record<string, string>): boolean => {
  const d = startAgo(p);
  return d !== null && d >= 5 && d <= 60 && !!p['cs_usage_current_period'] && !!p['cs_licensed_seats'];
};
/** Started more than 200 days ago. */
export const isLongStarted = (p: Record<string, string>): boolean => {
  const d = startAgo(p);
  return d !== null && d > 200;
};
/** Missing usage or NPS (some signals unknown). */
export const isPartial = (p: Record<string, string>): boolean => startAgo(p) !== null && (!p['cs_usage_current_period'] || !p['cs_nps_score']);

/** Day N (start = day 1) of an onboarding that started `props.cs_contract_start_date`. */
export function dayOf(props: Record<string, string>): number {
  return (startAgo(props) ?? 0) + 1;
}

/** Tasks associated to a company in the local CRM. */
export function tasksOf(crm: LocalCrm, companyId: string): Record<string, string>[] {
  return crm.store
    .associated('companies', Number(companyId), 'tasks')
    .map((id) => crm.store.get('tasks', id)?.props)
    .filter((p): p is Record<string, string> => p !== undefined);
}

/** Started 1–10 days ago: the kick-off and the first onboarding steps are due. */
export const isJustStarted = (p: Record<string, string>): boolean => {
  const d = startAgo(p);
  return d !== null && d >= 1 && d <= 10;
};

/** One full sweep of the env's CRM with the env's pool (a card test's "the nightly sweep ran"). */
export async function sweepFunctionsEnv(env: FunctionsEnv, options: { unitSize?: number } = {}): Promise<void> {
  const parsed = parseConfig({ pool: env.pool });
  if (!parsed.ok) throw new Error('bad config');
  const crm = createHubSpotCrm({ accessToken: env.crm.token, basePath: env.crm.baseUrl, timeoutMs: 0 });
  const deps = { crm, config: parsed.config, configVersion: configVersion(parsed.config), now: () => new Date(NOW), log: silentLogger };
  await runSweep(deps, { store: memorySweepStateStore(), unitSize: options.unitSize ?? 100 });
}
