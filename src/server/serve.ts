/**
 * The self-hosted `serve` server: the workflow-action endpoints on plain node:http, for portals
 * where HubSpot cannot host them.
 *
 *   POST /actions/<name>   signature (v3, else v2) on the raw body and the public URL → run once per callbackId
 *   GET  /healthz          200 { status: 'ok' } (never queued behind actions)
 *
 * Cheap rejection first: method, path, the signature headers and the v3 timestamp are checked
 * before a byte of the body is read (an unsigned upload costs its headers, then its socket is
 * destroyed); a declared or actual body over `maxBodyBytes` (64 KB) gets 413; more than
 * `maxInFlight` requests at once get 503 with Retry-After; header, request and idle timeouts and
 * `maxConnections` bound what a client can hold. Every error answer is a small JSON object, never
 * a stack trace; logs are JSON lines with ids only; a request the client aborts is one info line.
 *
 * `shutdown()` (SIGTERM): stops accepting, lets in-flight actions finish or park as BLOCK within
 * `shutdownDeadlineMs` (pending in the durable store, sent after the restart), destroys idle and
 * stalled sockets, flushes and closes the store.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { systemClock, type TimerClock } from '../platform/clock';
import type { CompanyActions } from '../app';
import type { ActionStore } from './idempotency-store';
import { createJsonLogger, type Logger } from '../platform/logger';
import { serveLimits, type ServeLimits, type ServeLimitsInput } from './serve-config';
import { precheckSignatureHeaders } from './signature';
import { createWorkflowActionHandler, type CallbackCompleter, type OutputFields, type WorkflowActionHandler, type WorkflowActionOptions } from './workflow-action';

export interface ActionServerOptions {
  actions: CompanyActions;
  clientSecret: string;
  completer: CallbackCompleter;
  clock?: TimerClock;
  logger?: Logger;
  /** Every number (body cap, timeouts, in-flight limit, shutdown deadline...): defaults in `serve-config.ts`. */
  limits?: ServeLimitsInput;
  /**
   * The public base URL HubSpot calls (the `{{ACTION_BASE_URL}}` of the action definitions), e.g.
   * `https://cs.example.com/hubspot`. The signed URL is this base + the request path. Without it the
   * URL is rebuilt from X-Forwarded-Proto/Host when `trustProxy`, else from the Host header as http
   * (local use only: the CLI refuses a portal without one of the two).
   */
  publicBaseUrl?: string;
  trustProxy?: boolean;
  /** Answers and pending completions; default in memory (the CLI passes the file-backed store). */
  store?: ActionStore<OutputFields>;
  retry?: WorkflowActionOptions['retry'];
}

export interface ShutdownReport {
  /** In-flight deliveries answered BLOCK because the deadline came (their completion is pending). */
  parked: number;
  /** Sockets still open at the deadline, destroyed. */
  destroyedSockets: number;
  ms: number;
}

export interface ActionServer {
  server: Server;
  handler: WorkflowActionHandler;
  limits: ServeLimits;
  /** What signatures are checked against, for the start-up line. */
  signingUrl: string;
  /** Starts listening, then sends the pending completions of the store; resolves with the bound address. */
  listen(port: number, host?: string): Promise<{ port: number; host: string; url: string }>;
  /** Stops accepting; in-flight actions finish or park as BLOCK by the deadline; sockets destroyed; store flushed and closed. */
  shutdown(deadlineMs?: number): Promise<ShutdownReport>;
  /** `shutdown()` with the configured deadline. */
  close(): Promise<void>;
}

export type ServeSecrets = { ok: true; clientSecret: string } | { ok: false; message: string };

/** Reads the server's secret from the environment; a missing one is a clear start-up error. */
export function loadServeSecrets(env: Record<string, string | undefined>): ServeSecrets {
  const clientSecret = env.HUBSPOT_CLIENT_SECRET?.trim();
  if (!clientSecret) {
    return {
      ok: false,
      message: 'HUBSPOT_CLIENT_SECRET is not set: serve needs the app client secret to verify X-HubSpot-Signature (v3 and v2) (set it in the environment).',
    };
  }
  return { ok: true, clientSecret };
}

/**
 * How `serve` knows the URL HubSpot signed. With a portal it must be explicit: `CS_ACTION_BASE_URL`
 * (the public URL of the action definitions) or `--trust-proxy` (honour X-Forwarded-Proto/Host from a
 * proxy in front). Rebuilding it from the Host header as `http://` fails every signature behind an
 * HTTPS proxy, so that is only allowed on the local CRM.
 */
export function resolveSigningBase(input: { portal: boolean; baseUrl: string | undefined; trustProxy: boolean }):
  | { ok: true; publicBaseUrl?: string; trustProxy: boolean }
  | { ok: false; message: string } {
  const baseUrl = input.baseUrl?.trim();
  if (baseUrl) {
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      return { ok: false, message: `CS_ACTION_BASE_URL is not a URL: ${baseUrl}` };
    }
    if (input.portal && url.protocol !== 'https:') return { ok: false, message: `CS_ACTION_BASE_URL must be https for a portal (HubSpot calls and signs an https URL), got ${url.protocol}` };
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, message: `CS_ACTION_BASE_URL must be an http(s) URL, got ${url.protocol}` };
    return { ok: true, publicBaseUrl: baseUrl, trustProxy: false };
  }
  if (input.trustProxy) return { ok: true, trustProxy: true };
  if (input.portal) {
    return {
      ok: false,
      message:
        'serve on a portal needs the public URL HubSpot calls, to check signatures against it: set CS_ACTION_BASE_URL ' +
        '(e.g. https://cs.example.com, the base of the actions\' actionUrl), or pass --trust-proxy if a proxy in front sets X-Forwarded-Proto and X-Forwarded-Host.',
    };
  }
  return { ok: true, trustProxy: false };
}

type Json = Record<string, unknown>;

function send(res: ServerResponse, status: number, body: Json, extraHeaders: Record<string, string> = {}): void {
  if (res.headersSent || res.writableEnded) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
    ...extraHeaders,
  });
  res.end(payload);
}

/** Answers without reading the body, then drops the connection: nothing more of the upload is read. */
function reject(req: IncomingMessage, res: ServerResponse, status: number, body: Json, extraHeaders: Record<string, string> = {}): void {
  req.pause();
  res.once('finish', () => setImmediate(() => req.socket.destroy()));
  send(res, status, body, { connection: 'close', ...extraHeaders });
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function createActionServer(options: ActionServerOptions): ActionServer {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createJsonLogger();
  const limits = serveLimits(options.limits);
  const handler = createWorkflowActionHandler({
    actions: options.actions,
    clientSecret: options.clientSecret,
    completer: options.completer,
    clock,
    logger,
    budgetMs: limits.budgetMs,
    store: options.store,
    retry: options.retry,
  });

  let base: URL | null = null;
  if (options.publicBaseUrl) {
    base = new URL(options.publicBaseUrl);
    if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new Error('publicBaseUrl must be an http(s) URL');
  }
  const signingUrl = base
    ? `${base.origin}${base.pathname.replace(/\/$/, '')}/actions/<name>`
    : options.trustProxy
      ? '<X-Forwarded-Proto>://<X-Forwarded-Host>/actions/<name> (trusted proxy)'
      : 'http://<Host header>/actions/<name> (local only)';

  function signedUrl(req: IncomingMessage): string {
    const path = req.url ?? '/';
    if (base) {
      const prefix = base.pathname.replace(/\/$/, '');
      const full = prefix && !path.startsWith(`${prefix}/`) ? `${prefix}${path}` : path;
      return `${base.origin}${full}`;
    }
    const proto = options.trustProxy ? first(req.headers['x-forwarded-proto'])?.split(',')[0]?.trim() : undefined;
    const host = (options.trustProxy ? first(req.headers['x-forwarded-host'])?.split(',')[0]?.trim() : undefined) ?? req.headers.host ?? 'localhost';
    return `${proto === 'https' ? 'https' : 'http'}://${host}${path}`;
  }

  let closing = false;
  let inFlight = 0;
  let idleWaiters: Array<() => void> = [];
  const sockets = new Set<Socket>();
  let stopResend: () => void = () => {};

  const settled = (): void => {
    inFlight--;
    if (inFlight === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  };

  /** Reads the body up to the limit: null when over it (413 sent) or when the client went away. */
  function readBody(req: IncomingMessage, res: ServerResponse, path: string): Promise<Buffer | null> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      const finish = (value: Buffer | null): void => {
        if (done) return;
        done = true;
        resolve(value);
      };
      req.on('data', (chunk: Buffer) => {
        if (done) return;
        size += chunk.length;
        if (size > limits.maxBodyBytes) {
          chunks.length = 0;
          reject(req, res, 413, { error: 'payload_too_large', maxBytes: limits.maxBodyBytes });
          logger.info('http.payload_too_large', { path, bytes: size });
          finish(null);
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => finish(Buffer.concat(chunks, size)));
      const gone = (): void => {
        if (done) return;
        logger.info('http.aborted', { path, bytes: size });
        finish(null);
      };
      req.on('aborted', gone);
      req.on('error', gone);
      req.on('close', () => {
        if (!req.complete) gone();
      });
    });
  }

  let actionsInFlight = 0;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = clock.now();
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (closing) return reject(req, res, 503, { error: 'shutting_down' }, { 'retry-after': String(limits.retryAfterSeconds) });
    if (path === '/healthz') {
      if (method !== 'GET' && method !== 'HEAD') return reject(req, res, 405, { error: 'method_not_allowed' }, { allow: 'GET' });
      return send(res, 200, { status: 'ok' });
    }
    if (!/\/actions\/[^/]+\/?$/.test(path)) return reject(req, res, 404, { error: 'not_found' });
    if (method !== 'POST') return reject(req, res, 405, { error: 'method_not_allowed' }, { allow: 'POST' });

    // Before the body: the signature headers (and the v3 timestamp) must be there and plausible.
    const pre = precheckSignatureHeaders(req.headers, clock.now());
    if (!pre.ok) {
      logger.warn('workflow_action.unauthorized', { path, reason: pre.reason, signature: pre.version, early: true });
      return reject(req, res, 401, { error: 'invalid_signature', reason: pre.reason });
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxBodyBytes) {
      logger.info('http.payload_too_large', { path, bytes: declared });
      return reject(req, res, 413, { error: 'payload_too_large', maxBytes: limits.maxBodyBytes });
    }
    if (actionsInFlight >= limits.maxInFlight) {
      logger.warn('http.busy', { path, inFlight: actionsInFlight });
      return reject(req, res, 503, { error: 'busy' }, { 'retry-after': String(limits.retryAfterSeconds) });
    }

    actionsInFlight++;
    try {
      const body = await readBody(req, res, path);
      if (body === null) return;
      const result = await handler.handle({ method, url: signedUrl(req), headers: req.headers, body });
      send(res, result.status, result.body as Json);
      logger.info('http.request', { method, path, status: result.status, ms: clock.now() - started });
    } finally {
      actionsInFlight--;
    }
  }

  const server = createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs || limits.headersTimeoutMs),
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // How often node checks the header / request timeouts of open connections.
      connectionsCheckingInterval: Math.max(250, Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs || limits.headersTimeoutMs) / 4),
    },
    (req, res) => {
      inFlight++;
      res.once('close', settled);
      route(req, res).catch((err: unknown) => {
        logger.error('http.unhandled', { path: (req.url ?? '').split('?')[0], errorName: err instanceof Error ? err.name : typeof err });
        send(res, 500, { error: 'internal_error' });
      });
    },
  );
  server.maxConnections = limits.maxConnections;
  server.setTimeout(limits.idleSocketTimeoutMs, (socket) => socket.destroy());
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // A client that resets or times out is not an error of ours: one info line, no stack.
    if (err.code === 'ECONNRESET' || err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || !socket.writable) {
      logger.info('http.client_gone', { code: err.code ?? 'unknown' });
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"error":"bad_request"}`);
  });

  function wait(ms: number): { promise: Promise<void>; cancel: () => void } {
    let cancel: () => void = () => {};
    const promise = new Promise<void>((resolve) => {
      cancel = clock.setTimer(Math.max(0, ms), resolve);
    });
    return { promise, cancel };
  }

  function idle(): Promise<void> {
    return inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));
  }

  let shutdownPromise: Promise<ShutdownReport> | null = null;

  async function shutdown(deadlineMs = limits.shutdownDeadlineMs): Promise<ShutdownReport> {
    const t0 = clock.now();
    closing = true;
    stopResend();
    logger.info('serve.closing', { inFlight, deadlineMs });
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // In-flight requests and BLOCKed work in the background may finish until shortly before the
    // deadline; then running actions answer BLOCK and what is unfinished stays pending in the store.
    const grace = Math.min(1_000, Math.floor(deadlineMs / 4));
    const untilPark = wait(deadlineMs - grace);
    await Promise.race([Promise.all([idle(), handler.drain()]), untilPark.promise]);
    untilPark.cancel();
    const blockedBefore = handler.stats().blocked;
    handler.park();
    const untilKill = wait(grace);
    await Promise.race([idle(), untilKill.promise]);
    untilKill.cancel();
    const destroyedSockets = sockets.size;
    for (const socket of sockets) socket.destroy();
    server.closeAllConnections();
    await stopped;
    if (options.store) await options.store.close();
    const report = { parked: handler.stats().blocked - blockedBefore, destroyedSockets, ms: clock.now() - t0 };
    logger.info('serve.closed', report);
    return report;
  }

  return {
    server,
    handler,
    limits,
    signingUrl,
    listen(port, host = '127.0.0.1') {
      return new Promise((resolve, rejectListen) => {
        server.once('error', rejectListen);
        server.listen({ port, host, backlog: limits.listenBacklog }, () => {
          server.off('error', rejectListen);
          const address = server.address() as AddressInfo;
          logger.info('serve.listening', { host: address.address, port: address.port });
          void handler.resendPending();
          if (limits.resendPendingEveryMs > 0) {
            const schedule = (): void => {
              stopResend = clock.setTimer(limits.resendPendingEveryMs, () => {
                void handler.resendPending().finally(() => {
                  if (!closing) schedule();
                });
              });
            };
            schedule();
          }
          resolve({ port: address.port, host: address.address, url: `http://${address.address}:${address.port}` });
        });
      });
    },
    shutdown(deadlineMs) {
      shutdownPromise ??= shutdown(deadlineMs);
      return shutdownPromise;
    },
    async close() {
      shutdownPromise ??= shutdown();
      await shutdownPromise;
    },
  };
}
