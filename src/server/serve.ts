/**
 * The self-hosted `serve` server: the workflow-action endpoints on plain node:http, for portals
 * where HubSpot cannot host them.
 *
 *   POST /actions/<name>   signature v3 on the raw body and the full URL → run once per callbackId
 *   GET  /healthz          200 { status: 'ok' }
 *
 * Bodies over `maxBodyBytes` get 413 without being buffered; every error answer is a small JSON
 * object, never a stack trace; logs are JSON lines with ids only; `close()` stops accepting, lets
 * in-flight requests and BLOCKed completions finish, then resolves.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { systemClock, type TimerClock } from '../platform/clock';
import type { CompanyActions } from '../app';
import type { IdempotencyStore } from './idempotency-store';
import { createJsonLogger, type Logger } from '../platform/logger';
import { createWorkflowActionHandler, type CallbackCompleter, type OutputFields, type WorkflowActionHandler } from './workflow-action';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface ActionServerOptions {
  actions: CompanyActions;
  clientSecret: string;
  completer: CallbackCompleter;
  clock?: TimerClock;
  logger?: Logger;
  maxBodyBytes?: number;
  /** Whole-request limit (headers + body), ms. Default 30,000. */
  requestTimeoutMs?: number;
  /** Answer BLOCK when an action takes longer than this, ms. Default 10,000. */
  budgetMs?: number;
  /**
   * The public base URL HubSpot calls (the `{{ACTION_BASE_URL}}` of the action definitions), e.g.
   * `https://cs.example.com/hubspot`. The signed URL is this base + the request path. Without it the
   * URL is rebuilt from the Host header (and X-Forwarded-Proto/Host when `trustProxy`).
   */
  publicBaseUrl?: string;
  trustProxy?: boolean;
  store?: IdempotencyStore<OutputFields>;
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
}

export interface ActionServer {
  server: Server;
  handler: WorkflowActionHandler;
  /** Starts listening; resolves with the bound address. */
  listen(port: number, host?: string): Promise<{ port: number; host: string; url: string }>;
  /** Stops accepting, finishes in-flight requests and background completions. */
  close(): Promise<void>;
}

export type ServeSecrets = { ok: true; clientSecret: string } | { ok: false; message: string };

/** Reads the server's secret from the environment; a missing one is a clear start-up error. */
export function loadServeSecrets(env: Record<string, string | undefined>): ServeSecrets {
  const clientSecret = env.HUBSPOT_CLIENT_SECRET?.trim();
  if (!clientSecret) {
    return {
      ok: false,
      message: 'HUBSPOT_CLIENT_SECRET is not set: serve needs the app client secret to verify X-HubSpot-Signature-v3 (set it in the environment).',
    };
  }
  return { ok: true, clientSecret };
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

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function createActionServer(options: ActionServerOptions): ActionServer {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createJsonLogger();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const handler = createWorkflowActionHandler({
    actions: options.actions,
    clientSecret: options.clientSecret,
    completer: options.completer,
    clock,
    logger,
    budgetMs: options.budgetMs,
    store: options.store,
    retry: options.retry,
  });

  let base: URL | null = null;
  if (options.publicBaseUrl) {
    base = new URL(options.publicBaseUrl);
    if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new Error('publicBaseUrl must be an http(s) URL');
  }

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
  const settled = (): void => {
    inFlight--;
    if (inFlight === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  };

  /** Reads the body up to the limit; null when over it (413 already sent, rest discarded). */
  function readBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer | null> {
    return new Promise((resolve, reject) => {
      const declared = Number(req.headers['content-length']);
      const tooLarge = (): void => {
        send(res, 413, { error: 'payload_too_large', maxBytes: maxBodyBytes }, { connection: 'close' });
        // Stop reading: no more bytes are buffered; the socket closes after the answer is out.
        req.removeAllListeners('data');
        req.pause();
        res.once('finish', () => req.socket.destroySoon?.());
        resolve(null);
      };
      if (Number.isFinite(declared) && declared > maxBodyBytes) {
        tooLarge();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBodyBytes) {
          tooLarge();
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks, size)));
      req.on('error', reject);
    });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = clock.now();
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (closing) {
      send(res, 503, { error: 'shutting_down' }, { connection: 'close' });
      return;
    }
    if (path === '/healthz') {
      if (method !== 'GET' && method !== 'HEAD') return send(res, 405, { error: 'method_not_allowed' }, { allow: 'GET' });
      return send(res, 200, { status: 'ok' });
    }
    if (!/\/actions\/[^/]+\/?$/.test(path)) return send(res, 404, { error: 'not_found' });
    if (method !== 'POST') return send(res, 405, { error: 'method_not_allowed' }, { allow: 'POST' });

    const body = await readBody(req, res);
    if (body === null) {
      logger.warn('http.payload_too_large', { path, ms: clock.now() - started });
      return;
    }
    const result = await handler.handle({ method, url: signedUrl(req), headers: req.headers, body });
    send(res, result.status, result.body as Json);
    logger.info('http.request', { method, path, status: result.status, ms: clock.now() - started });
  }

  const server = createServer((req, res) => {
    inFlight++;
    res.once('close', settled);
    route(req, res).catch((err: unknown) => {
      logger.error('http.unhandled', { path: (req.url ?? '').split('?')[0], errorName: err instanceof Error ? err.name : typeof err });
      send(res, 500, { error: 'internal_error' });
    });
  });
  server.requestTimeout = requestTimeoutMs;
  server.headersTimeout = Math.min(requestTimeoutMs, 60_000);
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"error":"bad_request"}');
    else socket.destroy();
  });

  return {
    server,
    handler,
    listen(port, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          logger.info('serve.listening', { host: address.address, port: address.port });
          resolve({ port: address.port, host: address.address, url: `http://${address.address}:${address.port}` });
        });
      });
    },
    async close() {
      if (!closing) logger.info('serve.closing', { inFlight });
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
      server.closeIdleConnections();
      await handler.drain();
      await stopped;
      logger.info('serve.closed', {});
    },
  };
}
