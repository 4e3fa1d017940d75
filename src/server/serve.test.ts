import { request as httpRequest } from 'node:http';

import { createMemoryLogger } from '../platform/logger';
import { createActionServer, loadServeSecrets, type ActionServer } from './serve';
import { signRequestV3 } from './signature';
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
    server = createActionServer({ actions: fake.actions, clientSecret: secret, completer: async () => {}, logger, requestTimeoutMs: 10_000, retry: { baseDelayMs: 1, maxAttempts: 2 } });
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
        const req = httpRequest(url, { method: 'POST', headers: { 'transfer-encoding': 'chunked' }, agent: false }, (res) => {
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

describe('loadServeSecrets', () => {
  it('names the missing variable', () => {
    const r = loadServeSecrets({});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('HUBSPOT_CLIENT_SECRET');
    expect(loadServeSecrets({ HUBSPOT_CLIENT_SECRET: '  ' }).ok).toBe(false);
    expect(loadServeSecrets({ HUBSPOT_CLIENT_SECRET: 's3cret' })).toEqual({ ok: true, clientSecret: 's3cret' });
  });
});
