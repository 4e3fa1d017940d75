/**
 * The local CRM server in a worker thread (bench only), so the sweep's heap in the main thread is
 * measured without the server's data. Time is shared through a SharedArrayBuffer: the client's
 * waits advance it, the server's rate limiter reads it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startLocalCrm, type LocalCrm } from '../src/emulator';

interface Start {
  clock: SharedArrayBuffer;
  companies: number;
  csms: number;
  seed: number;
  now: number;
}

const data = workerData as Start;
const cell = new Float64Array(data.clock);
const clock = { now: () => cell[0] ?? 0 };
let local: LocalCrm | null = null;

parentPort?.on('message', (m: { type: 'stop' }) => {
  if (m.type === 'stop')
    void (local ? local.stop() : Promise.resolve()).then(() => parentPort?.postMessage({ type: 'stopped', tasks: local?.store.count('tasks') ?? 0 }));
});

void startLocalCrm({ dir: false, clock, seed: { seed: data.seed, companies: data.companies, csms: data.csms, now: data.now }, rateLimits: { max: 190, searchPerSecond: 5 } }).then((crm) => {
  local = crm;
  parentPort?.postMessage({ type: 'ready', baseUrl: crm.baseUrl, token: crm.token, pool: crm.store.meta['poolConfig'] });
});
