/**
 * The local HubSpot-compatible CRM server: a real HTTP server (node:http) on 127.0.0.1 that answers
 * the endpoints the adapter uses with HubSpot's shapes, limits, rate limits and errors, so
 * `new Client({ accessToken, basePath: baseUrl })` from `@hubspot/api-client` works unchanged.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { resolve } from 'node:path';
import { Api, type PartialSpec } from './api';
import { systemClock, type Clock } from '../platform/clock';
import { FaultInjector, type FaultRule } from './faults';
import { errorReply, missingScopes, rateLimited, serverError, unauthorized, validationError, type Reply } from './http-util';
import { loadStore, saveStore } from './persistence';
import { RateLimiter, type RateLimitConfig } from './rate-limit';
import { DEFAULT_SCOPES } from './schemas';
import { seedPortfolio, type SeedPortfolioOptions } from './seed';
import { CrmStore } from './store';

export const DEFAULT_TOKEN = 'local-crm-token';

/**
 * Simulated time over HTTP (benchmarks): the client sends the instant it sent a request in
 * `X-Simulated-Now`; the server takes that instant as the request's time (rate limits, timestamps)
 * and, instead of holding the answer for the latency, says when it would have arrived in
 * `X-Simulated-Done-At`. Only honoured when the server runs with `simulatedTime`.
 */
export const SIMULATED_NOW_HEADER = 'x-simulated-now';
export const SIMULATED_DONE_AT_HEADER = 'x-simulated-done-at';
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface RequestLogEntry {
  at: number;
  method: string;
  path: string;
  route: string;
  status: number | 'timeout' | 'reset';
  fault?: boolean;
}

/** Counts of every request, by `METHOD /route/template` and by status. */
export class RequestCounters {
  total = 0;
  readonly byRoute = new Map<string, number>();
  readonly byStatus = new Map<number, number>();
  readonly rateLimited = { TEN_SECONDLY_ROLLING: 0, SECONDLY: 0, DAILY: 0 };
  faults = 0;

  /** Requests for a route key (`POST /crm/v3/objects/companies/search`), or all routes starting with a prefix when `prefix` is true. */
  get(key: string, prefix = false): number {
    if (!prefix) return this.byRoute.get(key) ?? 0;
    let n = 0;
    for (const [k, v] of this.byRoute) if (k.startsWith(key)) n += v;
    return n;
  }

  status(code: number): number {
    return this.byStatus.get(code) ?? 0;
  }

  snapshot(): { total: number; byRoute: Record<string, number>; byStatus: Record<string, number>; rateLimited: RequestCounters['rateLimited']; faults: number } {
    return {
      total: this.total,
      byRoute: Object.fromEntries(this.byRoute),
      byStatus: Object.fromEntries(Array.from(this.byStatus, ([k, v]) => [String(k), v])),
      rateLimited: { ...this.rateLimited },
      faults: this.faults,
    };
  }

  reset(): void {
    this.total = 0;
    this.byRoute.clear();
    this.byStatus.clear();
    this.rateLimited.TEN_SECONDLY_ROLLING = 0;
    this.rateLimited.SECONDLY = 0;
    this.rateLimited.DAILY = 0;
    this.faults = 0;
  }
}

export interface LocalCrmOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  host?: string;
  /** The bearer token the server accepts (default `local-crm-token`). Other tokens get 401. */
  token?: string;
  /** Extra tokens accepted (e.g. a second app); each token has its own rate-limit windows. Two clients sharing one token share its budget. */
  extraTokens?: string[];
  /** Scopes granted to the token(s); a route needing another answers 403 MISSING_SCOPES. */
  scopes?: string[];
  clock?: Clock;
  /** Start from this store (else load from `dir`, else empty). */
  store?: CrmStore;
  /** Persistence directory (default `.local-crm` under the cwd); false = in memory only. */
  dir?: string | false;
  /** Seed a portfolio when the store starts empty (no companies). */
  seed?: SeedPortfolioOptions | false;
  /** HubSpot-like rate limits; false turns them off. */
  rateLimits?: Partial<RateLimitConfig> | false;
  /** Eventual consistency: writes become searchable this many ms (server clock) later. */
  searchLagMs?: number;
  /** Keep a log of every request in `log`. */
  logRequests?: boolean;
  /** Called for every request after it is answered. */
  onRequest?: (entry: RequestLogEntry) => void;
  /** Faults to start with. */
  faults?: FaultRule[];
  /**
   * Time HubSpot takes to answer, ms (default 0). Real HTTP mode holds every answer this long;
   * simulated mode reports it in `X-Simulated-Done-At`. Real HubSpot calls take 100–300 ms.
   */
  latencyMs?: number;
  /** Jitter around the latency as a fraction: each answer takes latency × (1 ± jitter), uniform (default 0.3). */
  latencyJitter?: number;
  /** Returns [0, 1) for the jitter (seeded in benchmarks). Default Math.random. */
  random?: () => number;
  /** Take each request's time from `X-Simulated-Now` and report latency instead of waiting (see SIMULATED_NOW_HEADER). */
  simulatedTime?: boolean;
}

export interface LocalCrm {
  baseUrl: string;
  port: number;
  token: string;
  clock: Clock;
  faults: FaultInjector;
  counters: RequestCounters;
  store: CrmStore;
  rateLimiter: RateLimiter | null;
  log: RequestLogEntry[];
  /** Where state is saved, or null when in memory. */
  dir: string | null;
  /** Saves the state now (no-op without a dir); returns the file written. */
  save(): Promise<string | null>;
  /** Stops the server (held connections are closed) and saves the state. */
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<{ ok: true; text: string } | { ok: false; reply: Reply }> {
  return new Promise((resolvePromise) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooBig = true;
      else chunks.push(c);
    });
    req.on('end', () => {
      if (tooBig) resolvePromise({ ok: false, reply: errorReply(413, `Request body larger than ${MAX_BODY_BYTES} bytes.`, 'VALIDATION_ERROR') });
      else resolvePromise({ ok: true, text: Buffer.concat(chunks).toString('utf8') });
    });
    req.on('error', () => resolvePromise({ ok: false, reply: errorReply(400, 'Could not read the request body.', 'VALIDATION_ERROR') }));
  });
}

export async function startLocalCrm(options: LocalCrmOptions = {}): Promise<LocalCrm> {
  const clock = options.clock ?? systemClock;
  const token = options.token ?? DEFAULT_TOKEN;
  const tokens = new Set([token, ...(options.extraTokens ?? [])]);
  const scopes = new Set(options.scopes ?? DEFAULT_SCOPES);
  const dir = options.dir === false ? null : resolve(options.dir ?? '.local-crm');
  let store = options.store ?? (dir ? await loadStore(dir) : null) ?? new CrmStore();
  if (options.seed && store.count('companies') === 0) {
    store = seedPortfolio({ now: clock.now(), ...options.seed, into: store }).store;
  }
  store.searchLagMs = options.searchLagMs ?? 0;
  const api = new Api(store);
  const faults = new FaultInjector();
  for (const f of options.faults ?? []) faults.add(f);
  const counters = new RequestCounters();
  const limiter = options.rateLimits === false ? null : new RateLimiter(options.rateLimits ?? {});
  const log: RequestLogEntry[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let baseUrl = '';
  /** Writes a fault holds back (`applyAfterMs`), applied in arrival order once due. */
  const lateWrites: Array<{ at: number; apply: (at: number) => void }> = [];
  const applyDue = (now: number): void => {
    for (let i = 0; i < lateWrites.length; ) {
      const w = lateWrites[i] as { at: number; apply: (at: number) => void };
      if (w.at > now) {
        i++;
        continue;
      }
      lateWrites.splice(i, 1);
      w.apply(w.at);
    }
  };

  const finish = (entry: RequestLogEntry): void => {
    if (options.logRequests) log.push(entry);
    options.onRequest?.(entry);
  };

  const latency = Math.max(0, options.latencyMs ?? 0);
  const jitter = Math.min(1, Math.max(0, options.latencyJitter ?? 0.3));
  const random = options.random ?? Math.random;
  /** One answer's latency, ms (integer). */
  const answerDelay = (): number => (latency > 0 ? Math.max(0, Math.round(latency * (1 + jitter * (2 * random() - 1)))) : 0);
  /** The time of each request being answered (its simulated send instant in simulated mode). */
  const requestTime = new WeakMap<ServerResponse, number>();

  const send = (res: ServerResponse, reply: Reply, extraHeaders: Record<string, string>): void => {
    const delay = answerDelay();
    if (options.simulatedTime) {
      const at = requestTime.get(res) ?? clock.now();
      extraHeaders = { ...extraHeaders, [SIMULATED_DONE_AT_HEADER]: String(at + delay) };
    } else if (delay > 0) {
      const t = setTimeout(() => {
        timers.delete(t);
        if (!res.destroyed) sendNow(res, reply, extraHeaders);
      }, delay);
      timers.add(t);
      return;
    }
    sendNow(res, reply, extraHeaders);
  };

  const sendNow = (res: ServerResponse, reply: Reply, extraHeaders: Record<string, string>): void => {
    counters.byStatus.set(reply.status, (counters.byStatus.get(reply.status) ?? 0) + 1);
    const headers: Record<string, string> = { ...extraHeaders, ...(reply.headers ?? {}) };
    if (reply.status === 204 || reply.body === undefined) {
      res.writeHead(reply.status, headers);
      res.end();
      return;
    }
    const text = JSON.stringify(reply.body);
    headers['Content-Type'] = 'application/json;charset=utf-8';
    headers['Content-Length'] = String(Buffer.byteLength(text));
    res.writeHead(reply.status, headers);
    res.end(text);
  };

  const drop = (req: IncomingMessage, kind: 'timeout' | 'reset', holdMs: number): void => {
    if (kind === 'reset') {
      req.socket.destroy();
      return;
    }
    const t = setTimeout(() => {
      timers.delete(t);
      req.socket.destroy();
    }, holdMs);
    timers.add(t);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const route = api.route(method, path);
    const routeKey = route?.key ?? `${method} ${path}`;
    counters.total++;
    counters.byRoute.set(routeKey, (counters.byRoute.get(routeKey) ?? 0) + 1);
    const body = await readBody(req);
    let now = clock.now();
    if (options.simulatedTime) {
      const sent = Number(req.headers[SIMULATED_NOW_HEADER]);
      if (Number.isFinite(sent) && sent > 0) now = sent;
      requestTime.set(res, now);
    }
    const entry = (status: RequestLogEntry['status'], fault = false): RequestLogEntry => ({ at: now, method, path, route: routeKey, status, ...(fault ? { fault } : {}) });

    // 1. auth
    const auth = req.headers.authorization;
    const bearer = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : undefined;
    if (!bearer || !tokens.has(bearer)) {
      const reply = unauthorized(!bearer);
      send(res, reply, {});
      finish(entry(reply.status));
      return;
    }
    if (!body.ok) {
      send(res, body.reply, {});
      finish(entry(body.reply.status));
      return;
    }

    // Writes held back by an `applyAfterMs` fault that are due by now land before this request.
    applyDue(now);

    // 2. injected faults
    const fault = faults.take(method, path);
    const faultReply = (f: FaultRule): Reply | 'timeout' | 'reset' | null => {
      const r = f.respond;
      if (r === 'timeout' || r === 'reset') return r;
      if (r === 429) return rateLimited(f.policyName ?? 'TEN_SECONDLY_ROLLING', (f.retryAfterSeconds ?? 1) * 1000);
      if (typeof r === 'number') return serverError(r);
      if ('status' in r) return { status: r.status, body: r.body, ...(r.headers ? { headers: r.headers } : {}) };
      return null; // partial: handled by the route
    };
    let partial: PartialSpec | undefined;
    if (fault) {
      counters.faults++;
      const fr = faultReply(fault);
      if (fr === null && typeof fault.respond === 'object' && 'partial' in fault.respond) partial = fault.respond.partial;
      else if (!fault.afterApply && fr !== null) {
        if (fr === 'timeout' || fr === 'reset') {
          drop(req, fr, fault.holdMs ?? 1000);
          finish(entry(fr, true));
        } else {
          if (fr.status === 429) counters.rateLimited[(fault.policyName ?? 'TEN_SECONDLY_ROLLING') as keyof RequestCounters['rateLimited']]++;
          send(res, fr, {});
          finish(entry(fr.status, true));
        }
        return;
      }
    }

    // 3. rate limits
    let rateHeaders: Record<string, string> = {};
    if (limiter) {
      const d = limiter.take(bearer, now, route?.isSearch ?? false);
      rateHeaders = d.headers;
      if (!d.ok) {
        counters.rateLimited[d.policy]++;
        const reply = rateLimited(d.policy, d.retryAfterMs, d.headers);
        send(res, reply, {});
        finish(entry(reply.status));
        return;
      }
    }

    // 4. route and scopes
    if (!route) {
      const reply = errorReply(404, `No route for ${method} ${path}`, 'OBJECT_NOT_FOUND');
      send(res, reply, rateHeaders);
      finish(entry(reply.status));
      return;
    }
    const missing = route.scopes.filter((s) => !scopes.has(s));
    if (missing.length > 0) {
      const reply = missingScopes(missing);
      send(res, reply, rateHeaders);
      finish(entry(reply.status));
      return;
    }
    let parsed: unknown = undefined;
    if (body.text.length > 0) {
      try {
        parsed = JSON.parse(body.text);
      } catch (e) {
        const reply = validationError(`Invalid input JSON: ${(e as Error).message}`);
        send(res, reply, rateHeaders);
        finish(entry(reply.status));
        return;
      }
    }
    const late = fault?.afterApply && fault.applyAfterMs !== undefined && (fault.respond === 'timeout' || fault.respond === 'reset') ? fault : null;
    if (late) {
      lateWrites.push({ at: now + Math.max(0, late.applyAfterMs ?? 0), apply: (at) => route.handle({ method, path, query: url.searchParams, body: parsed, now: at, baseUrl }) });
      drop(req, late.respond as 'timeout' | 'reset', late.holdMs ?? 1000);
      finish(entry(late.respond as 'timeout' | 'reset', true));
      return;
    }
    let reply: Reply;
    try {
      reply = route.handle({ method, path, query: url.searchParams, body: parsed, now, baseUrl, ...(partial ? { partial } : {}) });
    } catch (e) {
      reply = errorReply(500, `internal error: ${(e as Error).message}`, 'INTERNAL_ERROR');
    }

    // 5. afterApply faults: the write happened, the answer is lost or an error
    if (fault?.afterApply) {
      const fr = faultReply(fault);
      if (fr === 'timeout' || fr === 'reset') {
        drop(req, fr, fault.holdMs ?? 1000);
        finish(entry(fr, true));
        return;
      }
      if (fr) {
        send(res, fr, rateHeaders);
        finish(entry(fr.status, true));
        return;
      }
    }
    send(res, reply, rateHeaders);
    finish(entry(reply.status));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, errorReply(500, `internal error: ${String(e)}`, 'INTERNAL_ERROR'), {});
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => ok());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  baseUrl = `http://${host}:${port}`;

  const save = async (): Promise<string | null> => (dir ? saveStore(store, dir, clock.now()) : null);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    for (const t of timers) clearTimeout(t);
    timers.clear();
    await new Promise<void>((ok) => {
      server.close(() => ok());
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
    });
    await save();
  };

  return { baseUrl, port, token, clock, faults, counters, store, rateLimiter: limiter, log, dir, save, stop };
}
