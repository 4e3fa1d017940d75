/**
 * Issue 8: a sweep process killed (SIGKILL) mid-run and started again finishes with no duplicate
 * task and no lost update — the CLI against a local CRM server that outlives it, like HubSpot.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLocalCrm, type LocalCrm } from '../../src/emulator';
import { createHubSpotCrm } from '../../src/hubspot';

const ROOT = resolve(__dirname, '..', '..');
// One process (node with tsx's loader), so SIGKILL kills the sweep itself: the `tsx` command would
// run it in a child process that outlives the kill.
const NODE_ARGS = ['--import', 'tsx'];
const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);

async function seeded(): Promise<LocalCrm> {
  const clock = { now: () => NOW };
  const crm = await startLocalCrm({ dir: false, clock, rateLimits: false, seed: { seed: 42, companies: 3000, csms: 10, now: NOW } });
  await createHubSpotCrm({ accessToken: crm.token, basePath: crm.baseUrl }).installProperties();
  return crm;
}

/** Runs `sweep` against the server; with `killAt`, SIGKILLs it once progress reaches that share. */
function sweep(crm: LocalCrm, stateFile: string, config: string, killAt?: number): Promise<{ code: number | null; signal: string | null; out: string }> {
  return new Promise((done) => {
    // --now pins the evaluation time: health uses ages in days, which tick over at any second.
    const child = spawn(process.execPath, [...NODE_ARGS, join(ROOT, 'src/cli/main.ts'), 'sweep', '--state', stateFile, '--config', config, '--unit-size', '200', '--now', new Date(NOW).toISOString()], {
      cwd: ROOT,
      env: { ...process.env, HUBSPOT_ACCESS_TOKEN: crm.token, HUBSPOT_BASE_URL: crm.baseUrl },
    });
    let out = '';
    const watch = (chunk: Buffer) => {
      out += chunk.toString();
      const pct = [...out.matchAll(/\]\s+(\d+)%/g)].map((m) => Number(m[1]));
      if (killAt !== undefined && pct.some((p) => p >= killAt && p < 100)) child.kill('SIGKILL');
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    child.on('exit', (code, signal) => done({ code, signal, out }));
  });
}

function taskKeys(crm: LocalCrm): string[] {
  return [...crm.store.objects.tasks.values()].map((t) => /Idempotency key:\s*(\S+)/.exec(t.props.hs_task_body ?? '')?.[1] ?? '').sort();
}

function written(crm: LocalCrm): Record<string, string>[] {
  return [...crm.store.objects.companies.values()].map((c) => Object.fromEntries(Object.entries(c.props).filter(([k]) => k.startsWith('cs_') && k !== 'cs_health_computed_at' && k !== 'cs_playbook_ledger')));
}

describe('sweep killed mid-run, then started again', () => {
  let dir: string;
  const servers: LocalCrm[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cs-kill-'));
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('no duplicate task, no lost update, same result as an uninterrupted run', async () => {
    const crm = await seeded();
    servers.push(crm);
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ pool: crm.store.meta['poolConfig'] }));

    const killed = await sweep(crm, join(dir, 'state.json'), config, 30);
    expect(killed.signal).toBe('SIGKILL');
    // Killed mid-run: some units were written; the day's tasks come once every company was read (the dispatch).
    const partial = [...crm.store.objects.companies.values()].filter((c) => (c.props.cs_segment ?? '') !== '').length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(crm.store.objects.companies.size);
    expect(crm.store.objects.tasks.size).toBe(0);

    const resumed = await sweep(crm, join(dir, 'state.json'), config);
    expect(resumed.code).toBe(0);
    expect(resumed.out).toMatch(/resumed from a saved cursor/);
    expect(resumed.out).toMatch(/Sweep complete/);

    const keys = taskKeys(crm);
    expect(new Set(keys).size).toBe(keys.length);

    const clean = await seeded();
    servers.push(clean);
    const once = await sweep(clean, join(dir, 'clean-state.json'), config);
    expect(once.code).toBe(0);
    expect(keys).toEqual(taskKeys(clean));
    expect(written(crm)).toEqual(written(clean));
  });
});
