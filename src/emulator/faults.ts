/**
 * Programmable faults for tests: each rule matches requests by method and path and answers with a
 * fault instead of (or, with `afterApply`, after) the real handling.
 */
export type FaultResponse =
  | 429
  | 500
  | 502
  | 503
  | 504
  /** No answer: the connection is held, then closed without a response (the client times out / sees a hang-up). */
  | 'timeout'
  /** The connection is reset at once. */
  | 'reset'
  /** A batch answers 207 with these inputs failed (ids for read/update, input indexes for create). */
  | { partial: { failIds?: string[]; failIndexes?: number[]; failEvery?: number; category?: string; message?: string } }
  /** Any status and body. */
  | { status: number; body?: unknown; headers?: Record<string, string> };

export interface FaultRule {
  match?: { method?: string; pathPrefix?: string; path?: RegExp };
  /** How many matching requests get the fault (default 1; Infinity for all). */
  times?: number;
  /** Matching requests to let through before the fault applies (default 0). */
  skip?: number;
  respond: FaultResponse;
  /** Apply the write, then answer with the fault (the "create sent, answer lost" case). */
  afterApply?: boolean;
  /**
   * With `afterApply` and 'timeout' or 'reset': the write is not applied before the connection
   * closes but this many ms (server clock) after the request arrived: HubSpot still working on a
   * create its client gave up on. It lands before the first request the server handles at or after
   * that time.
   */
  applyAfterMs?: number;
  /** For 'timeout': real ms to hold the connection before closing it (default 1000). */
  holdMs?: number;
  /** For 429: the policy named in the body (default TEN_SECONDLY_ROLLING). */
  policyName?: 'TEN_SECONDLY_ROLLING' | 'SECONDLY' | 'DAILY';
  /** For 429: Retry-After in seconds (default 1). */
  retryAfterSeconds?: number;
}

interface LiveRule extends FaultRule {
  left: number;
  skipLeft: number;
}

export interface InjectedFault {
  method: string;
  path: string;
  respond: FaultResponse;
  afterApply: boolean;
}

export class FaultInjector {
  private rules: LiveRule[] = [];
  /** Every fault injected, in order. */
  readonly injected: InjectedFault[] = [];

  add(rule: FaultRule): this {
    this.rules.push({ ...rule, left: rule.times ?? 1, skipLeft: rule.skip ?? 0 });
    return this;
  }

  clear(): void {
    this.rules = [];
  }

  /** Rules that still have faults to give. */
  get pending(): number {
    return this.rules.filter((r) => r.left > 0).length;
  }

  /** The fault for this request, if any (consumes one use of the first matching rule). */
  take(method: string, path: string): FaultRule | undefined {
    for (const r of this.rules) {
      if (r.left <= 0) continue;
      const m = r.match ?? {};
      if (m.method && m.method.toUpperCase() !== method) continue;
      if (m.pathPrefix && !path.startsWith(m.pathPrefix)) continue;
      if (m.path && !m.path.test(path)) continue;
      if (r.skipLeft > 0) {
        r.skipLeft--;
        continue;
      }
      r.left--;
      this.injected.push({ method, path, respond: r.respond, afterApply: r.afterApply ?? false });
      return r;
    }
    return undefined;
  }
}

/** Whether input i (with id `id`, if any) fails under a partial-failure rule. */
export function failsPartially(p: { failIds?: string[]; failIndexes?: number[]; failEvery?: number }, index: number, id: string | undefined): boolean {
  if (id !== undefined && p.failIds?.includes(id)) return true;
  if (p.failIndexes?.includes(index)) return true;
  if (p.failEvery && p.failEvery > 0 && (index + 1) % p.failEvery === 0) return true;
  return false;
}
