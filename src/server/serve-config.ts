/**
 * Every number `serve` works with, as defaults in one validated config (zod). The CLI flags and
 * tests override them; nothing else in `src/server` carries a literal limit.
 */
import { z } from 'zod';

const ms = (max: number) => z.number().int().min(0).max(max);

export const ServeLimitsSchema = z
  .object({
    /** Largest request body read, bytes. HubSpot's action payloads are a few KB. */
    maxBodyBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(64 * 1024),
    /**
     * Open sockets at once; past it node drops new connections (`server.maxConnections`), /healthz
     * included, so keep it above a burst of unsigned connections (each lives only until its 401) and
     * below the process's file-descriptor limit (`ulimit -n`).
     */
    maxConnections: z.number().int().min(1).max(100_000).default(10_000),
    /** Connections the OS queues before `accept` (capped by net.core.somaxconn). */
    listenBacklog: z.number().int().min(1).max(65_535).default(4_096),
    /** Requests being handled at once; more get 503 with Retry-After. */
    maxInFlight: z.number().int().min(1).max(100_000).default(128),
    /** The Retry-After of a 503, seconds. */
    retryAfterSeconds: z.number().int().min(1).max(3600).default(5),
    /** Time to receive the request headers, ms (a slow-headers client is cut off). */
    headersTimeoutMs: ms(600_000).default(10_000),
    /** Time to receive the whole request (headers + body), ms. */
    requestTimeoutMs: ms(600_000).default(15_000),
    /** An idle socket without a request is closed after this, ms. */
    idleSocketTimeoutMs: ms(600_000).default(15_000),
    /** Keep-alive between requests, ms. */
    keepAliveTimeoutMs: ms(600_000).default(5_000),
    /** Answer BLOCK when an action takes longer than this, ms. */
    budgetMs: ms(600_000).default(10_000),
    /** SIGTERM: in-flight actions finish or park as BLOCK within this, then sockets are destroyed, ms. */
    shutdownDeadlineMs: ms(600_000).default(10_000),
    /** Pending completions whose sending failed are tried again this often, ms (0 = only at start). */
    resendPendingEveryMs: ms(24 * 3_600_000).default(60_000),
    /** Answered callbackIds remembered (durable store), and for how long, ms. */
    storeMaxEntries: z.number().int().min(1).max(10_000_000).default(200_000),
    storeTtlMs: ms(90 * 86_400_000).default(7 * 86_400_000),
    /** The store file is rewritten with only live entries past this many lines. */
    storeCompactAfterLines: z.number().int().min(100).max(100_000_000).default(500_000),
  })
  .strict();

export type ServeLimits = z.infer<typeof ServeLimitsSchema>;
export type ServeLimitsInput = z.input<typeof ServeLimitsSchema>;

/**
 * The limits with defaults filled in; a wrong value throws naming the key (a start-up error).
 *
 * @example serveLimits({ maxBodyBytes: 128 * 1024 }).maxInFlight // 128
 */
export function serveLimits(input: ServeLimitsInput = {}): ServeLimits {
  const parsed = ServeLimitsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`serve limits: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
}
