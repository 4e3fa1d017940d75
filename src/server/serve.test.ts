import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { systemClock } from '../platform/clock';
import { openFileActionStore } from './file-action-store';
import { createMemoryLogger } from '../platform/logger';
import { createActionServer, loadServeSecrets, resolveSigningBase, type ActionServer } from './serve';
import { signRequestV2, signRequestV3 } from './signature';
import { OutputFieldsSchema, type OutputFields } from './workflow-action';
import { createFakeCompanyActions, deferred, deliveryBody } from './test-support';

const secret = 'serve-test-secret';

interface Reply {
  status: number;
  text: string;
  json: unknown;
}

/** One raw HTTP request with node:http (no retries, no body re-encoding). */
function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'POST', headers: init.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = null;
        try {
          json = JSON.parse(text);
        } catch {
          json = null;
        }
        resolve({ status: res.statusCode ?? 0, text, json });
      });
    });
    req.on('error', reject);
    if (init.body !== undefined) req.end(init.body);
    else req.end();
  });
}

function signed(url: string, body: string, now = Date.now()): { headers: Record<string, string>; body: string } {
  return { headers: { 'content-type': 'application/json', ...signRequestV3({ method: 'POST', uri: url, body, clientSecret: secret, timestamp: now }) }, body };
}

describe('serve (HTTP end to end on 127.0.0.1)', () => {
  let server: ActionServer;
  let base: string;
  let fake: ReturnType<typeof createFakeCompanyActions>;
  let logger: ReturnType<typeof createMemoryLogger>;
  const replies: Reply[] = [];

  beforeEach(async () => {
    fake = createFakeCompanyActions();
    logger = createMemoryLogger();
    server = createActionServer({ actions: fake.actions, clientSecret: secret, completer: async () => {}, logger, limits: { requestTimeoutMs: 10_000 }, retry: { baseDelayMs: 1, maxAttempts: 2 } });
    base = (await server.listen(0, '127.0.0.1')).url;
  });

  afterEach(async () => {
    await server.close();
    for (const r of replies.splice(0)) {
      expect(r.text).not.toMatch(/\bat \S+ \(|Error:|node:internal|\.ts:\d+/);
    }
  });

  const track = async (p: Promise<Reply>): Promise<Reply> => {
    const r = await p;
    replies.push(r);
    return r;
  };

  it('GET /healthz → 200 { status: ok }', async () => {
    const r = await track(send(`${base}/healthz`, { method: 'GET' }));
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: 'ok' });
  });

  it('a signed delivery → 200 SUCCESS with output fields', async () => {
    const url = `${base}/actions/run-playbooks`;
    const r = await track(send(url, signed(url, deliveryBody({ callbackId: 'cb-1', companyId: 42 }))));
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ outputFields: { tasks_created: 1, hs_execution_state: 'SUCCESS' } });
  });

  it('case 17: unsigned, bad or stale signature → 401 JSON and nothing done', async () => {
    const url = `${base}/actions/run-playbooks`;
    const body = deliveryBody({ callbackId: 'cb-x', companyId: 42 });
    const attempts = [
      send(url, { headers: { 'content-type': 'application/json' }, body }),
      send(url, { ...signed(url, body), body: body.replace('42', '43') }),
      send(url, signed(`${base}/actions/recompute-health`, body)),
      send(url, signed(url, body, Date.now() - 6 * 60_000)),
    ];
    for (const r of await Promise.all(attempts.map(track))) {
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ error: 'invalid_signature' });
    }
    expect(fake.calls.runPlaybooks).toBe(0);
  });

  it('case 24: a 2 MB body → 413 without running anything', async () => {
    const url = `${base}/actions/run-playbooks`;
    const big = `{"callbackId":"cb-big","pad":"${'x'.repeat(2 * 1024 * 1024)}"}`;
    const r = await track(send(url, signed(url, big)).catch((err: NodeJS.ErrnoException) => ({ status: -1, text: String(err.code), json: null })));
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ error: 'payload_too_large' });
    expect(fake.calls.runPlaybooks).toBe(0);
  });

  it('a chunked body over the limit (no content-length) → 413', async () => {
    const url = `${base}/actions/run-playbooks`;
    const r = await track(
      new Promise<Reply>((resolve, reject) => {
        const headers = { 'transfer-encoding': 'chunked', ...signRequestV3({ method: 'POST', uri: url, body: 'x', clientSecret: secret, timestamp: Date.now() }) };
        const req = httpRequest(url, { method: 'POST', headers, agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString(), json: JSON.parse(Buffer.concat(chunks).toString()) }));
        });
        req.on('error', reject);
        const chunk = Buffer.alloc(256 * 1024, 'a');
        let sent = 0;
        const pump = (): void => {
          while (sent < 8 && req.write(chunk)) sent++;
          if (sent < 8) req.once('drain', () => { sent++; pump(); });
          else req.end();
        };
        pump();
      }).catch((err: NodeJS.ErrnoException) => ({ status: -1, text: String(err.code), json: null })),
    );
    expect(r.status).toBe(413);
    if (r.status === 413) expect(r.json).toMatchObject({ error: 'payload_too_large' });
    expect(fake.calls.runPlaybooks).toBe(0);
  });

  it('bad JSON or a bad payload (signed) → 400 JSON', async () => {
    const url = `${base}/actions/recompute-health`;
    const r1 = await track(send(url, signed(url, '{"callbackId": ')));
    expect(r1.status).toBe(400);
    expect(r1.json).toEqual({ error: 'invalid_json' });
    const r2 = await track(send(url, signed(url, JSON.stringify({ callbackId: 'x', object: { objectId: 'abc' } }))));
    expect(r2.status).toBe(400);
    expect(r2.json).toMatchObject({ error: 'invalid_payload' });
  });

  it('unknown routes and methods → 404 / 405 JSON', async () => {
    expect((await track(send(`${base}/nope`, { method: 'GET' }))).status).toBe(404);
    expect((await track(send(`${base}/actions/run-playbooks`, { method: 'GET' }))).status).toBe(405);
  });

  it('an exception inside the action never reaches the response', async () => {
    fake.script.push({ throws: true });
    const url = `${base}/actions/recompute-health`;
    const r = await track(send(url, signed(url, deliveryBody({ callbackId: 'cb-t', companyId: 7 }))));
    expect(r.status).toBe(200);
    expect(r.text).not.toMatch(/boom/);
  });

  it('logs are JSON-ready objects with ids only (no body, no secret)', async () => {
    const url = `${base}/actions/run-playbooks`;
    await track(send(url, signed(url, deliveryBody({ callbackId: 'cb-log', companyId: 42, inputFields: { note: 'Jane Doe jane@example.com' } }))));
    const text = JSON.stringify(logger.lines);
    expect(text).toContain('cb-log');
    expect(text).not.toMatch(/Jane|example\.com|serve-test-secret/);
  });

  it('close() stops accepting but finishes an in-flight request', async () => {
    const gate = deferred();
    fake.script.push({ wait: gate.promise });
    const url = `${base}/actions/run-playbooks`;
    const pending = track(send(url, signed(url, deliveryBody({ callbackId: 'cb-inflight', companyId: 42 }))));
    while (fake.calls.runPlaybooks === 0) await new Promise((r) => setImmediate(r));
    const closed = server.close();
    const refused = await send(`${base}/healthz`, { method: 'GET' }).then((r) => r.status, (err: NodeJS.ErrnoException) => err.code);
    expect([503, 'ECONNREFUSED', 'ECONNRESET']).toContain(refused);
    gate.resolve();
    const r = await pending;
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ outputFields: { tasks_created: 1, hs_execution_state: 'SUCCESS' } });
    await closed;
  });
});

describe('resolveSigningBase (the URL signatures are checked against)', () => {
  it('a portal needs CS_ACTION_BASE_URL (https) or --trust-proxy; the local CRM may use the Host header', () => {
    expect(resolveSigningBase({ portal: true, baseUrl: undefined, trustProxy: false })).toMatchObject({ ok: false, message: expect.stringMatching(/CS_ACTION_BASE_URL.*--trust-proxy/s) });
    expect(resolveSigningBase({ portal: true, baseUrl: 'http://cs.example.com', trustProxy: false })).toMatchObject({ ok: false, message: expect.stringMatching(/https/) });
    expect(resolveSigningBase({ portal: true, baseUrl: 'not a url', trustProxy: false })).toMatchObject({ ok: false });
    expect(resolveSigningBase({ portal: true, baseUrl: 'https://cs.example.com/hub', trustProxy: true })).toEqual({ ok: true, publicBaseUrl: 'https://cs.example.com/hub', trustProxy: false });
    expect(resolveSigningBase({ portal: true, baseUrl: ' ', trustProxy: true })).toEqual({ ok: true, trustProxy: true });
    expect(resolveSigningBase({ portal: false, baseUrl: undefined, trustProxy: false })).toEqual({ ok: true, trustProxy: false });
  });

  it('behind a trusted HTTPS proxy the signed URL is https://<forwarded host>', async () => {
    const fake = createFakeCompanyActions();
    const server = createActionServer({ actions: fake.actions, clientSecret: secret, completer: async () => {}, logger: createMemoryLogger(), trustProxy: true });
    const base = (await server.listen(0, '127.0.0.1')).url;
    const publicUrl = 'https://cs.example.com/actions/run-playbooks';
    const body = deliveryBody({ callbackId: 'cb-proxy', companyId: 3 });
    const headers = { ...signRequestV3({ method: 'POST', uri: publicUrl, body, clientSecret: secret, timestamp: Date.now() }), 'x-forwarded-proto': 'https', 'x-forwarded-host': 'cs.example.com' };
    const r = await send(`${base}/actions/run-playbooks`, { headers, body });
    expect(r.status).toBe(200);
    expect(server.signingUrl).toMatch(/X-Forwarded/);
    await server.close();
  });
});

describe('loadServeSecrets', () => {
  it('names the missing variable', () => {
    const r = loadServeSecrets({});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('HUBSPOT_CLIENT_SECRET');
    expect(loadServeSecrets({ HUBSPOT_CLIENT_SECRET: '  ' }).ok).toBe(false);
    expect(loadServeSecrets({ HUBSPOT_CLIENT_SECRET: 's3cret' })).toEqual({ ok: true, clientSecret: 's3cret' });
  });
});

describe('serve under abuse, and its shutdown', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  function rawSend(url: string, init: { headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: Record<string, unknown>; json: unknown }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(url, { method: 'POST', headers: init.headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') }));
      });
      req.on('error', reject);
      req.end(init.body);
    });
  }

  it('200 unsigned 1 MB uploads are refused before their body is read; /healthz answers meanwhile; nothing runs', async () => {
    const fake = createFakeCompanyActions();
    const server = createActionServer({ actions: fake.actions, clientSecret: secret, completer: async () => {}, logger: createMemoryLogger() });
    const base = (await server.listen(0, '127.0.0.1')).url;
    let bytesRead = 0;
    server.server.on('connection', (s: Socket) => s.once('close', () => (bytesRead += s.bytesRead)));
    const mb = Buffer.alloc(1024 * 1024, 'a');
    const outcomes = await Promise.all(
      Array.from(
        { length: 200 },
        () =>
          new Promise<number | string>((resolve) => {
            const req = httpRequest(`${base}/actions/run-playbooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, agent: false }, (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            });
            req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
            req.write(mb);
          }),
      ).concat([send(`${base}/healthz`, { method: 'GET' }).then((r) => (r.status === 200 ? 'healthz ok' : r.status))]),
    );
    expect(outcomes).toContain('healthz ok');
    for (const o of outcomes.filter((x) => x !== 'healthz ok')) expect([401, 'ECONNRESET', 'EPIPE']).toContain(o);
    expect(outcomes.filter((o) => o === 401).length).toBeGreaterThan(0);
    await server.close();
    expect(fake.calls.runPlaybooks).toBe(0);
    // 200 MB were offered; what the server read is bounded by socket buffers, not by the uploads.
    expect(bytesRead).toBeLessThan(200 * 256 * 1024);
  });

  it('a signed delivery past maxInFlight → 503 with Retry-After; a v2-signed one against the public URL succeeds', async () => {
    const fake = createFakeCompanyActions();
    const server = createActionServer({
      actions: fake.actions,
      clientSecret: secret,
      completer: async () => {},
      logger: createMemoryLogger(),
      limits: { maxInFlight: 1, retryAfterSeconds: 7 },
      publicBaseUrl: 'https://cs.example.com/hub',
    });
    const base = (await server.listen(0, '127.0.0.1')).url;
    const publicUrl = 'https://cs.example.com/hub/actions/run-playbooks';
    const gate = deferred();
    fake.script.push({ wait: gate.promise });
    const body1 = deliveryBody({ callbackId: 'cb-a', companyId: 1 });
    const first = rawSend(`${base}/actions/run-playbooks`, { headers: signRequestV2({ method: 'POST', uri: publicUrl, body: body1, clientSecret: secret }), body: body1 });
    while (fake.calls.runPlaybooks === 0) await new Promise((r) => setImmediate(r));
    const body2 = deliveryBody({ callbackId: 'cb-b', companyId: 2 });
    const busy = await rawSend(`${base}/actions/run-playbooks`, { headers: signRequestV2({ method: 'POST', uri: publicUrl, body: body2, clientSecret: secret }), body: body2 });
    expect(busy.status).toBe(503);
    expect(busy.headers['retry-after']).toBe('7');
    gate.resolve();
    await expect(first).resolves.toMatchObject({ status: 200, json: { outputFields: { hs_execution_state: 'SUCCESS' } } });
    await server.close();
  });

  it('SIGTERM-style shutdown with 30 stalled sockets and a running action: done by the deadline, the action parked, sent after a restart on the same store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'serve-store-'));
    dirs.push(dir);
    const openStore = () =>
      openFileActionStore<OutputFields>({ dir, valueSchema: OutputFieldsSchema, clock: systemClock, maxEntries: 1000, ttlMs: 3_600_000, compactAfterLines: 10_000 });
    const fake = createFakeCompanyActions();
    const logger = createMemoryLogger();
    const server = createActionServer({ actions: fake.actions, clientSecret: secret, completer: async () => {}, logger, store: await openStore(), limits: { shutdownDeadlineMs: 1_500 } });
    const { port, url: base } = await server.listen(0, '127.0.0.1');
    const stalled = Array.from({ length: 30 }, (_, i) => {
      const s = connect(port, '127.0.0.1');
      s.on('error', () => {});
      if (i % 2 === 0) s.write('POST /actions/run-playbooks HTTP/1.1\r\nhost: x\r\n'); // headers never finished
      return s;
    });
    const gate = deferred();
    fake.script.push({ wait: gate.promise });
    const url = `${base}/actions/run-playbooks`;
    const running = send(url, signed(url, deliveryBody({ callbackId: 'cb-running', companyId: 42 })));
    while (fake.calls.runPlaybooks === 0) await new Promise((r) => setImmediate(r));
    const t0 = Date.now();
    const report = await server.shutdown();
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(report.parked).toBe(1);
    expect(report.destroyedSockets).toBeGreaterThanOrEqual(30);
    await expect(running).resolves.toMatchObject({ status: 200, json: { outputFields: { hs_execution_state: 'BLOCK' } } });
    expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
    for (const s of stalled) s.destroy();
    gate.resolve();

    // Restart on the same directory: the pending completion is sent; a replay does nothing.
    const completions: string[] = [];
    const fake2 = createFakeCompanyActions();
    const again = createActionServer({ actions: fake2.actions, clientSecret: secret, completer: async (cb) => void completions.push(cb), logger: createMemoryLogger(), store: await openStore() });
    const base2 = (await again.listen(0, '127.0.0.1')).url;
    await again.handler.drain();
    expect(completions).toEqual(['cb-running']);
    const url2 = `${base2}/actions/run-playbooks`;
    const replay = await send(url2, signed(url2, deliveryBody({ callbackId: 'cb-running', companyId: 42 })));
    expect(replay.json).toEqual({ outputFields: { tasks_created: 1, hs_execution_state: 'SUCCESS' } });
    expect(fake2.calls.runPlaybooks).toBe(1);
    await again.close();
  });
});
