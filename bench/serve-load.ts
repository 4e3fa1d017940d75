/**
 * Load test of the self-hosted action server on 127.0.0.1 (issue 9):
 * 2,000 signed workflow deliveries (half v2, half v3), 50 at a time, ~20% duplicates (some at the same moment as
 * their original, some later), against a fake `CompanyActions` whose run-playbooks keeps a ledger
 * of created task keys. Proves: every delivery answered 200 SUCCESS, exactly one task per key,
 * duplicates answered like their original. Prints throughput and p50/p99 latency.
 *
 *   npx tsx bench/serve-load.ts
 */
import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';

import type { CompanyActions } from '../src/app';
import { silentLogger } from '../src/platform/logger';
import { createActionServer } from '../src/server/serve';
import { signRequestV2, signRequestV3 } from '../src/server/signature';

export interface ServeLoadOptions {
  deliveries?: number;
  concurrency?: number;
  duplicateRatio?: number;
  /** Distinct companies; fewer than unique callbacks, so some companies get two callbacks. */
  companies?: number;
  /** Simulated work per action call, ms. */
  workMs?: number;
  /** Hard stop for the whole run, ms. */
  deadlineMs?: number;
}

export interface ServeLoadResult {
  deliveries: number;
  answered: number;
  success: number;
  nonSuccess: number;
  uniqueCallbacks: number;
  duplicates: number;
  concurrentDuplicates: number;
  actionCalls: number;
  tasksCreated: number;
  distinctTaskKeys: number;
  expectedTaskKeys: number;
  duplicateAnswersMismatched: number;
  elapsedMs: number;
  throughputRps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  ok: boolean;
  failures: string[];
}

interface Delivery {
  callbackId: string;
  companyId: number;
  duplicateOf: number | null;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? 0;
}

/** Deterministic pseudo-random numbers (the same plan every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function plan(total: number, duplicateRatio: number, companies: number, concurrency: number): { list: Delivery[]; concurrentDuplicates: number } {
  const random = rng(42);
  const duplicates = Math.round(total * duplicateRatio);
  const uniques = total - duplicates;
  const list: Delivery[] = [];
  for (let i = 0; i < uniques; i++) list.push({ callbackId: `ap-102670506-${1_000_000 + i}-1-0`, companyId: 5000 + (i % companies), duplicateOf: null });
  let concurrentDuplicates = 0;
  for (let d = 0; d < duplicates; d++) {
    const original = Math.floor(random() * uniques);
    const source = list.find((x, idx) => idx === original && x.duplicateOf === null) ?? list[original];
    if (!source) continue;
    const copy: Delivery = { callbackId: source.callbackId, companyId: source.companyId, duplicateOf: original };
    if (d % 2 === 0) {
      // right after its original: same window of 50 → concurrent
      const at = list.indexOf(source) + 1;
      list.splice(at, 0, copy);
      concurrentDuplicates++;
    } else {
      // later, after the original was answered
      const at = Math.min(list.length, list.indexOf(source) + concurrency * 2 + Math.floor(random() * 200));
      list.splice(at, 0, copy);
    }
  }
  return { list, concurrentDuplicates };
}

export async function runServeLoadBench(options: ServeLoadOptions = {}): Promise<ServeLoadResult> {
  const total = options.deliveries ?? 2000;
  const concurrency = options.concurrency ?? 50;
  const duplicateRatio = options.duplicateRatio ?? 0.2;
  const companies = options.companies ?? 1200;
  const workMs = options.workMs ?? 2;
  const deadlineMs = options.deadlineMs ?? 120_000;
  const secret = 'bench-client-secret';

  // Fake app: a ledger of task keys, like cs_playbook_ledger; a key is never created twice.
  const ledger = new Set<string>();
  const created: string[] = [];
  let actionCalls = 0;
  const pause = (): Promise<void> => new Promise((r) => setTimeout(r, workMs));
  const actions: CompanyActions = {
    async recomputeHealth() {
      actionCalls++;
      await pause();
      return { ok: true, score: 70, band: 'watch', segment: 'pooled' };
    },
    async assignOnboardingCsm() {
      actionCalls++;
      await pause();
      return { ok: true, ownerId: '1', reason: 'least_loaded' };
    },
    async runPlaybooks(companyId) {
      actionCalls++;
      await pause();
      const key = `${companyId}:onboarding_kickoff:2026-11`;
      if (ledger.has(key)) return { ok: true, tasksCreated: 0, keys: [] };
      ledger.add(key);
      created.push(key);
      return { ok: true, tasksCreated: 1, keys: [key] };
    },
  };

  const server = createActionServer({ actions, clientSecret: secret, completer: async () => {}, logger: silentLogger, limits: { budgetMs: 10_000 } });
  const { url: base } = await server.listen(0, '127.0.0.1');
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const { list, concurrentDuplicates } = plan(total, duplicateRatio, companies, concurrency);
  const url = `${base}/actions/run-playbooks`;
  const answers: Array<{ status: number; body: string } | null> = new Array<{ status: number; body: string } | null>(list.length).fill(null);
  const latencies: number[] = [];
  const failures: string[] = [];
  const deadline = Date.now() + deadlineMs;

  let signedCount = 0;
  const post = (d: Delivery): Promise<{ status: number; body: string }> => {
    const body = JSON.stringify({
      callbackId: d.callbackId,
      origin: { portalId: 102670506, actionDefinitionId: 10860211, actionDefinitionVersion: 1 },
      context: { source: 'WORKFLOWS', workflowId: 192814114 },
      object: { objectId: d.companyId, objectType: 'COMPANY' },
      inputFields: {},
    });
    // Half the deliveries are signed v2 (what HubSpot sends custom actions), half v3, so a duplicate
    // often arrives with the other version than its original.
    const v2 = (signedCount++ & 1) === 1;
    const headers = {
      'content-type': 'application/json',
      ...(v2 ? signRequestV2({ method: 'POST', uri: url, body, clientSecret: secret }) : signRequestV3({ method: 'POST', uri: url, body, clientSecret: secret, timestamp: Date.now() })),
    };
    return new Promise((resolve, reject) => {
      const req = httpRequest(url, { method: 'POST', headers, agent, timeout: 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(body);
    });
  };

  const started = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      const d = list[i];
      if (!d) return;
      if (Date.now() > deadline) {
        failures.push('deadline reached');
        return;
      }
      const t0 = performance.now();
      try {
        answers[i] = await post(d);
      } catch (err) {
        failures.push(`delivery ${i}: ${err instanceof Error ? err.message : String(err)}`);
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - started;
  await server.close();
  agent.destroy();

  // Checks.
  let success = 0;
  let answered = 0;
  const firstAnswer = new Map<string, string>();
  let duplicateAnswersMismatched = 0;
  list.forEach((d, i) => {
    const a = answers[i];
    if (!a) return;
    answered++;
    let state: unknown;
    try {
      state = (JSON.parse(a.body) as { outputFields?: { hs_execution_state?: unknown } }).outputFields?.hs_execution_state;
    } catch {
      state = undefined;
    }
    if (a.status === 200 && state === 'SUCCESS') success++;
    const seen = firstAnswer.get(d.callbackId);
    if (seen === undefined) firstAnswer.set(d.callbackId, a.body);
    else if (seen !== a.body) duplicateAnswersMismatched++;
  });
  const expectedKeys = new Set(list.map((d) => `${d.companyId}:onboarding_kickoff:2026-11`));
  const sorted = [...latencies].sort((a, b) => a - b);
  const uniqueCallbacks = new Set(list.map((d) => d.callbackId)).size;
  const result: ServeLoadResult = {
    deliveries: list.length,
    answered,
    success,
    nonSuccess: answered - success,
    uniqueCallbacks,
    duplicates: list.length - uniqueCallbacks,
    concurrentDuplicates,
    actionCalls,
    tasksCreated: created.length,
    distinctTaskKeys: new Set(created).size,
    expectedTaskKeys: expectedKeys.size,
    duplicateAnswersMismatched,
    elapsedMs: Math.round(elapsedMs),
    throughputRps: Math.round((answered / elapsedMs) * 1000),
    p50Ms: Number(percentile(sorted, 50).toFixed(2)),
    p99Ms: Number(percentile(sorted, 99).toFixed(2)),
    maxMs: Number((sorted[sorted.length - 1] ?? 0).toFixed(2)),
    ok: false,
    failures,
  };
  if (result.answered !== result.deliveries) failures.push(`lost deliveries: ${result.deliveries - result.answered}`);
  if (result.success !== result.deliveries) failures.push(`non-SUCCESS answers: ${result.deliveries - result.success}`);
  if (result.tasksCreated !== result.distinctTaskKeys) failures.push('a task key was created twice');
  if (result.distinctTaskKeys !== result.expectedTaskKeys) failures.push(`task keys ${result.distinctTaskKeys} ≠ expected ${result.expectedTaskKeys}`);
  if (result.actionCalls > result.uniqueCallbacks) failures.push(`action ran ${result.actionCalls}× for ${result.uniqueCallbacks} callbacks`);
  if (duplicateAnswersMismatched > 0) failures.push(`${duplicateAnswersMismatched} duplicates answered differently`);
  result.ok = failures.length === 0;
  return result;
}

/** Prints the load test's figures. */
export function printServeLoad(r: ServeLoadResult): void {
  console.log('serve load test (127.0.0.1, fake actions with a task ledger, half v2- half v3-signed)');
  console.log(`  deliveries        ${r.deliveries} (${r.uniqueCallbacks} callbacks, ${r.duplicates} duplicates, ${r.concurrentDuplicates} of them concurrent)`);
  console.log(`  answered          ${r.answered}, 200 SUCCESS ${r.success}`);
  console.log(`  action calls      ${r.actionCalls} (≤ ${r.uniqueCallbacks} callbacks)`);
  console.log(`  tasks             ${r.tasksCreated} created, ${r.distinctTaskKeys} distinct keys, ${r.expectedTaskKeys} expected`);
  console.log(`  elapsed           ${r.elapsedMs} ms → ${r.throughputRps} req/s`);
  console.log(`  latency           p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms`);
  console.log(r.ok ? '  OK: exactly one task per key, no lost delivery' : `  FAILED: ${r.failures.join('; ')}`);
}

if (process.argv[1]?.replace(/\\/g, '/').endsWith('bench/serve-load.ts')) {
  runServeLoadBench().then(
    (r) => {
      printServeLoad(r);
      process.exitCode = r.ok ? 0 : 1;
    },
    (err: unknown) => {
      console.error('serve load test crashed:', err instanceof Error ? err.message : String(err));
      process.exitCode = 1;
    },
  );
}
