/**
 * `serve` as a child process on 127.0.0.1, under the two abuse checks of issue 16, with measured
 * figures (bounded in count and time):
 *
 *  A. 4,000 unsigned uploads announcing 1 MB each, held open (the client never finishes the body),
 *     then 4,000 uploads with a forged v3 signature and a fresh timestamp (chunked, 1 MB each):
 *     peak RSS of the server (target < 300 MB), RSS after, and /healthz answering throughout.
 *  B. SIGTERM with 50 stalled connections while deliveries are being worked on: time to exit
 *     (target < 15 s) and exit code; then a restart on the same action store sends every pending
 *     completion, and replays (v2 and v3) do nothing.
 *
 * The child runs in portal mode against a local CRM started here (HUBSPOT_BASE_URL), with
 * CS_ACTION_BASE_URL set, like a real deployment behind a proxy.
 *
 *   npx tsx bench/serve-abuse.ts [--uploads 4000] [--stalled 50] [--deliveries 200]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { startLocalCrm, type LocalCrm } from '../src/emulator';
import { createHubSpotCrm } from '../src/hubspot';
import { signRequestV2, signRequestV3 } from '../src/server/signature';
import { deliveryBody } from '../src/server/test-support';

const ROOT = resolve(__dirname, '..');
const SECRET = 'bench-client-secret';
const PUBLIC_BASE = 'https://cs.bench.invalid/hub';
const RSS_TARGET_MB = 300;
const EXIT_TARGET_MS = 15_000;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Child {
  proc: ChildProcess;
  port: number;
  base: string;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

async function startServe(crm: LocalCrm, storeDir: string, extra: string[] = []): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'serve', '--portal', '--port', '0', '--store-dir', storeDir, ...extra], {
    cwd: ROOT,
    env: {
      ...process.env,
      HUBSPOT_ACCESS_TOKEN: crm.token,
      HUBSPOT_BASE_URL: crm.baseUrl,
      HUBSPOT_CLIENT_SECRET: SECRET,
      CS_ACTION_BASE_URL: PUBLIC_BASE,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buffer = '';
  const onData = (chunk: Buffer): void => {
    buffer += chunk.toString('utf8');
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts);
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((r) => proc.once('exit', (code, signal) => r({ code, signal, at: Date.now() })));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const line = lines.find((l) => /Workflow-action server on http:\/\/127\.0\.0\.1:(\d+)/.test(l));
    if (line) {
      const port = Number(/127\.0\.0\.1:(\d+)/.exec(line)?.[1]);
      return { proc, port, base: `http://127.0.0.1:${port}`, lines, exited };
    }
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`serve did not start:\n${lines.join('\n')}`);
    await sleep(50);
  }
}

function get(url: string, timeoutMs = 5_000): Promise<{ status: number; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolveGet) => {
    const req = httpRequest(url, { method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolveGet({ status: res.statusCode ?? 0, ms: Date.now() - t0 }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolveGet({ status: 0, ms: Date.now() - t0 }));
    req.end();
  });
}

/** One upload that announces (or streams) 1 MB and never finishes it. */
function upload(base: string, headers: Record<string, string>, holdMs: number): Promise<string> {
  return new Promise((resolveUpload) => {
    const req = httpRequest(`${base}/actions/run-playbooks`, { method: 'POST', headers, agent: false }, (res) => {
      res.resume();
      resolveUpload(String(res.statusCode ?? 0));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolveUpload(err.code ?? 'error'));
    req.write(Buffer.alloc(64 * 1024, 'a'));
    // Held open: the rest of the megabyte never comes; the client gives up after holdMs.
    setTimeout(() => {
      req.destroy();
      resolveUpload('held');
    }, holdMs).unref();
  });
}

async function flood(child: Child, count: number, headers: () => Record<string, string>): Promise<{ statuses: Record<string, number>; peakRssMb: number; healthz: { ok: number; failed: number; maxMs: number } }> {
  let peak = rssMb(child.proc.pid ?? 0);
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(child.proc.pid ?? 0));
  }, 50);
  // /healthz is probed from a process of its own, so the flood's client work does not delay the probe.
  const healthz = { ok: 0, failed: 0, maxMs: 0 };
  const probeCode = `
    const http = require('node:http');
    const tick = () => { const t0 = Date.now();
      const req = http.get(process.argv[1], { agent: false, timeout: 10000 }, (res) => { res.resume(); res.on('end', () => { console.log(JSON.stringify({ status: res.statusCode, ms: Date.now() - t0 })); setTimeout(tick, 100); }); });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => { console.log(JSON.stringify({ status: 0, ms: Date.now() - t0 })); setTimeout(tick, 100); }); };
    tick();`;
  const probe = spawn(process.execPath, ['-e', probeCode, `${child.base}/healthz`], { stdio: ['ignore', 'pipe', 'ignore'] });
  let probeBuffer = '';
  probe.stdout?.on('data', (c: Buffer) => {
    probeBuffer += c.toString('utf8');
    const parts = probeBuffer.split('\n');
    probeBuffer = parts.pop() ?? '';
    for (const line of parts) {
      const r = JSON.parse(line) as { status: number; ms: number };
      if (r.status === 200) healthz.ok++;
      else healthz.failed++;
      healthz.maxMs = Math.max(healthz.maxMs, r.ms);
    }
  });
  const statuses: Record<string, number> = {};
  const all: Array<Promise<string>> = [];
  for (let i = 0; i < count; i++) {
    all.push(upload(child.base, headers(), 20_000).then((s) => ((statuses[s] = (statuses[s] ?? 0) + 1), s)));
    if (i % 200 === 199) await sleep(20); // opened in waves, as a botnet would, not in one syscall burst
  }
  await Promise.all(all);
  probe.kill();
  clearInterval(sampler);
  return { statuses, peakRssMb: peak, healthz };
}

export async function runServeAbuseBench(): Promise<boolean> {
  const uploads = arg('uploads', 4000);
  const stalledCount = arg('stalled', 50);
  const deliveries = arg('deliveries', 200);
  const work = mkdtempSync(join(tmpdir(), 'serve-abuse-'));
  const storeDir = join(work, 'actions');
  const crm = await startLocalCrm({ dir: false, seed: { seed: 3, companies: Math.max(deliveries, 50), csms: 8 } });
  const failures: string[] = [];
  try {
    await createHubSpotCrm({ accessToken: crm.token, basePath: crm.baseUrl }).installProperties();

    // ---- A. unsigned and forged uploads ----
    const a = await startServe(crm, storeDir);
    const rssStart = rssMb(a.proc.pid ?? 0);
    const unsigned = await flood(a, uploads, () => ({ 'content-type': 'application/json', 'content-length': String(1024 * 1024) }));
    const forged = await flood(a, uploads, () => ({
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
      'x-hubspot-signature-v3': 'Zm9yZ2VkIHNpZ25hdHVyZQ==',
      'x-hubspot-request-timestamp': String(Date.now()),
    }));
    await sleep(1_000);
    const rssAfter = rssMb(a.proc.pid ?? 0);
    const healthAfter = await get(`${a.base}/healthz`);
    const errorsLogged = a.lines.filter((l) => l.includes('"level":"error"')).length;
    const abortedLogged = a.lines.filter((l) => l.includes('"event":"http.aborted"')).length;
    a.proc.kill('SIGTERM');
    await a.exited;
    console.log(`serve abuse (child process on 127.0.0.1, portal mode against a local CRM, CS_ACTION_BASE_URL set)`);
    console.log(`  A1 ${uploads} unsigned uploads announcing 1 MB, held open: ${JSON.stringify(unsigned.statuses)}`);
    console.log(`     RSS start ${rssStart} MB, peak ${unsigned.peakRssMb} MB (target < ${RSS_TARGET_MB}); /healthz ${unsigned.healthz.ok} ok, ${unsigned.healthz.failed} failed, slowest ${unsigned.healthz.maxMs} ms`);
    console.log(`  A2 ${uploads} chunked 1 MB uploads with a forged v3 signature and a fresh timestamp: ${JSON.stringify(forged.statuses)}`);
    console.log(`     RSS peak ${forged.peakRssMb} MB; /healthz ${forged.healthz.ok} ok, ${forged.healthz.failed} failed, slowest ${forged.healthz.maxMs} ms`);
    console.log(`     RSS 1 s after both floods ${rssAfter} MB; /healthz ${healthAfter.status}; error log lines ${errorsLogged}; aborted-request info lines ${abortedLogged}`);
    if (!(unsigned.peakRssMb < RSS_TARGET_MB && forged.peakRssMb < RSS_TARGET_MB)) failures.push(`RSS peak over ${RSS_TARGET_MB} MB`);
    if (unsigned.healthz.failed + forged.healthz.failed > 0 || healthAfter.status !== 200) failures.push('/healthz failed during the flood');
    if ((unsigned.statuses['200'] ?? 0) + (forged.statuses['200'] ?? 0) > 0) failures.push('an unsigned or forged upload got 200');

    // ---- B. SIGTERM with stalled connections and work in progress, then restart ----
    const b = await startServe(crm, storeDir, ['--budget-ms', '1']);
    const stalled: Socket[] = Array.from({ length: stalledCount }, (_, i) => {
      const s = connect(b.port, '127.0.0.1');
      s.on('error', () => {});
      if (i % 2 === 0) s.write('POST /actions/run-playbooks HTTP/1.1\r\nhost: 127.0.0.1\r\n'); // headers never finished
      return s;
    });
    const ids = [...crm.store.objects.companies.keys()].slice(0, deliveries).map(String);
    const sign = (callbackId: string, companyId: string, v: 2 | 3) => {
      const body = deliveryBody({ callbackId, companyId });
      const uri = `${PUBLIC_BASE}/actions/recompute-health`;
      const headers = v === 2 ? signRequestV2({ method: 'POST', uri, body, clientSecret: SECRET }) : signRequestV3({ method: 'POST', uri, body, clientSecret: SECRET, timestamp: Date.now() });
      return { body, headers: { 'content-type': 'application/json', ...headers } };
    };
    const post = (base: string, d: { body: string; headers: Record<string, string> }): Promise<{ status: number; state: string }> =>
      new Promise((resolvePost) => {
        const req = httpRequest(`${base}/actions/recompute-health`, { method: 'POST', headers: d.headers, agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            let state = '';
            try {
              state = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { outputFields?: { hs_execution_state?: string } }).outputFields?.hs_execution_state ?? '');
            } catch {
              state = '';
            }
            resolvePost({ status: res.statusCode ?? 0, state });
          });
        });
        req.on('error', () => resolvePost({ status: 0, state: '' }));
        req.end(d.body);
      });
    // HubSpot's own concurrency per action is modest: 64 at a time, under serve's in-flight limit.
    const answers: Array<{ status: number; state: string }> = [];
    let nextId = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        for (let i = nextId++; i < ids.length; i = nextId++) answers[i] = await post(b.base, sign(`cb-bench-${i}`, ids[i] ?? '', i % 2 === 0 ? 2 : 3));
      }),
    );
    const blocked = answers.filter((x) => x.state === 'BLOCK').length;
    const completedBefore = crm.store.callbacks.length;
    const t0 = Date.now();
    b.proc.kill('SIGTERM');
    const exit = await Promise.race([b.exited, sleep(60_000).then(() => null)]);
    const exitMs = Date.now() - t0;
    if (!exit) b.proc.kill('SIGKILL');
    for (const s of stalled) s.destroy();
    const completedAtExit = crm.store.callbacks.length;
    console.log(`  B  SIGTERM with ${stalledCount} stalled connections and ${blocked} of ${deliveries} deliveries BLOCKed (${completedBefore} completed before the signal)`);
    const closedLine = b.lines.find((l) => l.includes('"event":"serve.closed"')) ?? '';
    console.log(`     exited in ${exitMs} ms (target < ${EXIT_TARGET_MS}) with code ${exit?.code ?? 'none (killed)'}; ${completedAtExit} completions sent before exit; ${closedLine}`);
    if (!exit || exit.code !== 0 || exitMs >= EXIT_TARGET_MS) failures.push('SIGTERM did not exit 0 within 15 s');

    const c = await startServe(crm, storeDir);
    const pendingLine = c.lines.find((l) => l.startsWith('Action store:')) ?? '';
    // The CRM allows 190 calls / 10 s: the resent work takes about a minute per 300 deliveries.
    const resendStarted = Date.now();
    const waitUntil = Date.now() + 300_000;
    while (new Set(crm.store.callbacks.map((x) => x.callbackId)).size < blocked && Date.now() < waitUntil) await sleep(200);
    const resendMs = Date.now() - resendStarted;
    const distinct = new Set(crm.store.callbacks.map((x) => x.callbackId)).size;
    await sleep(1_000);
    const beforeReplay = crm.store.callbacks.length;
    const callsBeforeReplay = crm.counters.total;
    const replays = await Promise.all(ids.slice(0, 40).map((id, i) => post(c.base, sign(`cb-bench-${i}`, id, i % 2 === 0 ? 3 : 2))));
    const replayStates = replays.reduce<Record<string, number>>((acc, r) => ((acc[r.state || String(r.status)] = (acc[r.state || String(r.status)] ?? 0) + 1), acc), {});
    const callsAfterReplay = crm.counters.total;
    c.proc.kill('SIGTERM');
    await c.exited;
    console.log(`     restart: "${pendingLine.slice(0, 140)}"`);
    console.log(`     completions: ${distinct} distinct callbacks completed for ${blocked} BLOCKed, in ${resendMs} ms after the restart (${beforeReplay} completion calls recorded by the CRM)`);
    console.log(`     40 replays after the restart (v2/v3 swapped): ${JSON.stringify(replayStates)}; CRM calls during replays ${callsAfterReplay - callsBeforeReplay}; new completions ${crm.store.callbacks.length - beforeReplay}`);
    if (distinct < blocked) failures.push(`${blocked - distinct} pending completions lost`);
    if (replays.some((r) => r.state === 'BLOCK' || r.status !== 200)) failures.push('a replay was not answered with its final state');
    if (callsAfterReplay !== callsBeforeReplay) failures.push('a replay did work');
  } finally {
    await crm.stop();
    rmSync(work, { recursive: true, force: true });
  }
  console.log(failures.length === 0 ? '  OK' : `  FAILED: ${failures.join('; ')}`);
  return failures.length === 0;
}

if (process.argv[1]?.replace(/\\/g, '/').endsWith('bench/serve-abuse.ts')) {
  runServeAbuseBench().then(
    (ok) => process.exit(ok ? 0 : 1),
    (err: unknown) => {
      console.error('serve abuse bench crashed:', err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
