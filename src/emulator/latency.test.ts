/**
 * Latency in the local CRM server: held answers over real HTTP, reported answers in simulated time.
 */
import { SimClock } from '../platform/clock';
import { SIMULATED_DONE_AT_HEADER, SIMULATED_NOW_HEADER, startLocalCrm, type LocalCrm } from './server';

const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);

async function get(crm: LocalCrm, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(`${crm.baseUrl}/crm/v3/owners?limit=1`, { headers: { authorization: `Bearer ${crm.token}`, ...headers } });
  await res.arrayBuffer();
  return res;
}

describe('latency', () => {
  let crm: LocalCrm | null = null;
  afterEach(async () => {
    await crm?.stop();
    crm = null;
  });

  test('real HTTP: an answer is held for the latency (never earlier)', async () => {
    crm = await startLocalCrm({ dir: false, rateLimits: false, latencyMs: 120, latencyJitter: 0 });
    const t0 = performance.now();
    const res = await get(crm);
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
    expect(res.headers.get(SIMULATED_DONE_AT_HEADER)).toBeNull();
  });

  test('simulated time: the request time comes from the client, the answer time is reported, with jitter inside its bounds', async () => {
    const clock = new SimClock(NOW);
    crm = await startLocalCrm({ dir: false, clock, rateLimits: false, latencyMs: 150, latencyJitter: 0.3, simulatedTime: true });
    const sentAt = NOW + 5_000;
    const seen: number[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await get(crm, { [SIMULATED_NOW_HEADER]: String(sentAt) });
      const done = Number(res.headers.get(SIMULATED_DONE_AT_HEADER));
      expect(done - sentAt).toBeGreaterThanOrEqual(105);
      expect(done - sentAt).toBeLessThanOrEqual(195);
      seen.push(done - sentAt);
    }
    expect(new Set(seen).size).toBeGreaterThan(1);
    // The server's own clock did not move: simulated time belongs to the client.
    expect(clock.now()).toBe(NOW);
  });

  test('simulated time: rate limits count each request at the instant it was sent', async () => {
    const clock = new SimClock(NOW);
    crm = await startLocalCrm({ dir: false, clock, rateLimits: { max: 2 }, simulatedTime: true });
    const at = (ms: number) => ({ [SIMULATED_NOW_HEADER]: String(NOW + ms) });
    expect((await get(crm, at(0))).status).toBe(200);
    expect((await get(crm, at(100))).status).toBe(200);
    expect((await get(crm, at(200))).status).toBe(429);
    // 10 s later in the client's time the window has room again, though the server clock stood still.
    expect((await get(crm, at(10_050))).status).toBe(200);
  });

  test('no latency, no header: answers as before', async () => {
    crm = await startLocalCrm({ dir: false, rateLimits: false });
    const res = await get(crm);
    expect(res.status).toBe(200);
    expect(res.headers.get(SIMULATED_DONE_AT_HEADER)).toBeNull();
  });
});
