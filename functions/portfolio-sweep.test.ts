/**
 * The chunked sweep through its exported `main(context)` against the local CRM: called until done,
 * it reaches the same result as the CLI's one-shot sweep, and bad cursors are refused.
 */
import { configVersion, defaultConfig } from '../src/core';
import { startLocalCrm } from '../src/emulator';
import { createHubSpotCrm } from '../src/hubspot';
import { silentLogger, runSweep, memorySweepStateStore } from '../src/app';
import { main, type PortfolioSweepResult } from './portfolio-sweep';
import { NOW, startFunctionsEnv, type FunctionsEnv } from './test/local-crm';

function written(props: Map<number, { props: Record<string, string> }>): Record<string, string>[] {
  return [...props.values()].map((c) => Object.fromEntries(Object.entries(c.props).filter(([k]) => k.startsWith('cs_') && k !== 'cs_health_computed_at')));
}

describe('portfolio-sweep function', () => {
  let env: FunctionsEnv;
  beforeAll(async () => {
    env = await startFunctionsEnv();
  });
  afterAll(async () => {
    await env.stop();
  });

  test('bad cursor and bad mode are clear envelopes', async () => {
    expect(await main({ parameters: { cursor: 'garbage' } })).toEqual({ ok: false, error: { code: 'bad_parameters', message: 'cursor is not one this function returned' } });
    const bad = await main({ parameters: { mode: 'sometimes' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/mode/);
  });

  test('calls with the returned cursor until done reach the same result as one CLI sweep', async () => {
    let cursor: string | null = null;
    let result: PortfolioSweepResult | null = null;
    for (let i = 0; i < 20; i++) {
      const r = await main({ parameters: { cursor } });
      if (!r.ok) throw new Error(r.error.message);
      result = r.data;
      cursor = r.data.cursor;
      if (r.data.done) break;
    }
    expect(result?.done).toBe(true);
    expect(result?.totals.accounts).toBe(200);

    // The same portfolio swept once by the CLI code path.
    const twin = await startLocalCrm({ dir: false, seed: { companies: 200, csms: 6, seed: 3, now: NOW }, rateLimits: false });
    try {
      const crm = createHubSpotCrm({ accessToken: twin.token, basePath: twin.baseUrl });
      await crm.installProperties();
      const config = defaultConfig();
      config.pool = env.pool as typeof config.pool;
      await runSweep({ crm, config, configVersion: configVersion(config), now: () => new Date(NOW), log: silentLogger }, { store: memorySweepStateStore() });
      expect(written(env.crm.store.objects.companies)).toEqual(written(twin.store.objects.companies));
      expect(env.crm.store.count('tasks')).toBe(twin.store.count('tasks'));
    } finally {
      await twin.stop();
    }

    // A further incremental call with the final cursor reads little and writes nothing.
    const inc = await main({ parameters: { cursor, mode: 'incremental' } });
    expect(inc.ok && inc.data.done).toBe(true);
    if (inc.ok) expect(inc.data.totals.tasksCreated).toBe(0);
  });
});
