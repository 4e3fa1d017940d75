/**
 * HubSpot workflow actions for companies: verify the signature (v3 when present, else v2) on the raw
 * body, parse the payload (zod), run the action once per `callbackId` and answer
 * `{ outputFields: { ..., hs_execution_state } }`.
 *
 * - Idempotent: a `callbackId` already answered gets the stored answer, nothing is done again (also
 *   after a restart, with a durable store); two deliveries of the same `callbackId` at once share one
 *   promise; deliveries for the same company and action at once share one action call.
 * - Work that outlasts `budgetMs`, or fails with a retryable error, answers BLOCK: the delivery is
 *   parked in the store as pending, the action is re-run under the app's one retry policy
 *   (`createActionRetry` in `src/app/failures.ts`), and the result is sent once through `completer`
 *   (POST /automation/v4/actions/callbacks/{callbackId}/complete, itself under that policy). A
 *   completion that cannot be sent stays pending and is re-sent by `resendPending()` (at start and
 *   periodically). A non-retryable failure answers FAIL_CONTINUE.
 * - `park()` (shutdown): running actions answer BLOCK now and back-off waits stop; what is
 *   unfinished stays pending in the store for the next start.
 */
import { z } from 'zod';

import type { TimerClock } from '../platform/clock';
import { createActionRetry, permanentCrmFailure, type ActionError, type CompanyActions } from '../app';
import { createMemoryIdempotencyStore, type ActionStore, type PendingCompletion } from './idempotency-store';
import { silentLogger, type Logger } from '../platform/logger';
import { verifyHubSpotSignature, type SignatureFailureReason } from './signature';

export const WORKFLOW_ACTION_NAMES = ['recompute-health', 'assign-onboarding-csm', 'run-playbooks'] as const;
export type WorkflowActionName = (typeof WORKFLOW_ACTION_NAMES)[number];

export type ExecutionState = 'SUCCESS' | 'FAIL_CONTINUE' | 'BLOCK';
export type OutputFields = Record<string, string | number> & { hs_execution_state: ExecutionState };

/** A stored answer, as read back from a durable store. */
export const OutputFieldsSchema: z.ZodType<OutputFields> = z
  .record(z.string(), z.union([z.string(), z.number()]))
  .refine((v) => ['SUCCESS', 'FAIL_CONTINUE', 'BLOCK'].includes(String(v['hs_execution_state'])), 'hs_execution_state')
  .transform((v) => v as OutputFields);

const Id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)]).transform(String);
const OptionalInput = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined || String(v).trim() === '' ? undefined : String(v).trim()));

/** The body HubSpot POSTs to an action's `actionUrl`. Unknown keys are ignored (HubSpot adds some). */
export const WorkflowActionPayload = z.object({
  callbackId: z.string().min(1).max(200),
  origin: z.object({
    portalId: Id,
    actionDefinitionId: Id,
    actionDefinitionVersion: z.union([z.number(), z.string()]).transform(String),
  }),
  context: z
    .object({
      source: z.string().optional(),
      workflowId: Id.optional(),
    })
    .optional(),
  object: z.object({
    objectId: Id,
    objectType: z.string().min(1),
  }),
  inputFields: z.record(z.string(), z.unknown()).default({}),
});
export type WorkflowActionPayload = z.infer<typeof WorkflowActionPayload>;

const AssignInputs = z.object({ owner_id: OptionalInput.pipe(z.string().regex(/^\d{1,20}$/).optional()) });

export interface WorkflowActionRequest {
  method: string;
  /** The full URL as HubSpot called it (scheme, host, path, query): it is part of the signature. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** Raw body bytes, unparsed. */
  body: Buffer | string;
}

export interface WorkflowActionResponse {
  status: number;
  body: { outputFields: OutputFields } | { error: string; reason?: string; issues?: Array<{ path: string; message: string }> };
}

/**
 * Completes a BLOCKed action (`crm.completeCallback`, which sends `outputFields` as strings and
 * `typedOutputs` with their types). It runs under the app's retry policy: a throw means "not sent".
 */
export type CallbackCompleter = (callbackId: string, outputFields: Record<string, string | number>) => Promise<void>;

export interface WorkflowActionOptions {
  actions: CompanyActions;
  clientSecret: string;
  completer: CallbackCompleter;
  clock: TimerClock;
  logger?: Logger;
  /** Answered deliveries and pending completions by callbackId; default: in memory (lost on restart). */
  store?: ActionStore<OutputFields>;
  /** Answer BLOCK when the action takes longer than this (ms). Default 10,000. */
  budgetMs?: number;
  /**
   * Re-runs of a BLOCKed action after a retryable failure, under the app's retry policy
   * (`createRetryPolicy`: jittered exponential back-off). Default 5 attempts in all, 2 s base, 60 s cap.
   */
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number; random?: () => number };
  maxSkewMs?: number;
}

export interface WorkflowActionHandler {
  handle(request: WorkflowActionRequest): Promise<WorkflowActionResponse>;
  /** Resolves when every background completion has finished (tests; shutdown uses `park`). */
  drain(): Promise<void>;
  /**
   * Sends the pending completions of the store that are not already being worked on: those whose
   * action finished are sent as they are, the others have their action run again (idempotent).
   * Resolves with how many it started.
   */
  resendPending(): Promise<number>;
  /** Shutdown: running actions answer BLOCK now (parked as pending), back-off waits stop. */
  park(): void;
  stats(): { actionCalls: number; replays: number; blocked: number; completed: number; completionFailures: number; inFlight: number; pending: number };
}

type Outcome = { ok: true; fields: Record<string, string | number> } | { ok: false; error: ActionError };

export function actionNameFromUrl(url: string): WorkflowActionName | null {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return null;
  }
  const match = /\/actions\/([a-z-]+)\/?$/.exec(pathname);
  const name = match?.[1];
  return (WORKFLOW_ACTION_NAMES as readonly string[]).includes(name ?? '') ? (name as WorkflowActionName) : null;
}

function failFields(error: ActionError): OutputFields {
  return { hs_execution_state: 'FAIL_CONTINUE', error_code: error.code };
}

/** Thrown into back-off waits when the server parks (shutdown). */
class ParkedError extends Error {
  constructor() {
    super('parked for shutdown');
  }
}

export function createWorkflowActionHandler(options: WorkflowActionOptions): WorkflowActionHandler {
  const { actions, clock, completer } = options;
  const logger = options.logger ?? silentLogger;
  const budgetMs = options.budgetMs ?? 10_000;
  const maxAttempts = Math.max(1, options.retry?.maxAttempts ?? 5);
  const store = options.store ?? createMemoryIdempotencyStore<OutputFields>({ maxEntries: 50_000, ttlMs: 24 * 3600_000, clock });

  const byCallback = new Map<string, Promise<{ fields: OutputFields; replay: boolean }>>();
  const byCompanyAction = new Map<string, Promise<Outcome>>();
  const background = new Set<Promise<void>>();
  /** callbackIds being finished in the background (not to be resent twice). */
  const active = new Set<string>();
  /** Budget races of running deliveries: calling one answers BLOCK now. */
  const parkers = new Set<() => void>();
  /** Back-off waits: calling one ends the wait with ParkedError. */
  const sleepers = new Set<() => void>();
  let parked = false;
  const counters = { actionCalls: 0, replays: 0, blocked: 0, completed: 0, completionFailures: 0 };

  function sleep(ms: number): Promise<void> {
    if (parked) return Promise.reject(new ParkedError());
    return new Promise<void>((resolve, reject) => {
      const wake = (): void => {
        cancel();
        sleepers.delete(wake);
        reject(new ParkedError());
      };
      const cancel = clock.setTimer(ms, () => {
        sleepers.delete(wake);
        resolve();
      });
      sleepers.add(wake);
    });
  }

  // The app's one retry policy: here it paces re-runs of a BLOCKed action after a retryable failure.
  const retry = createActionRetry({
    clock: { now: () => clock.now(), sleep },
    random: options.retry?.random,
    maxAttempts,
    baseDelayMs: options.retry?.baseDelayMs ?? 2_000,
    maxDelayMs: options.retry?.maxDelayMs ?? 60_000,
  });

  async function callAction(action: WorkflowActionName, companyId: string, ownerId: string | undefined): Promise<Outcome> {
    counters.actionCalls++;
    try {
      switch (action) {
        case 'recompute-health': {
          const r = await actions.recomputeHealth(companyId);
          if (!r.ok) return r;
          const fields: Record<string, string | number> = { band: r.band, segment: r.segment };
          if (r.score !== null && Number.isFinite(r.score)) fields.score = r.score;
          return { ok: true, fields };
        }
        case 'assign-onboarding-csm': {
          const r = await actions.assignOnboardingCsm(companyId, ownerId);
          if (!r.ok) return r;
          return { ok: true, fields: { assigned_owner_id: r.ownerId ?? '', assignment_reason: r.reason } };
        }
        case 'run-playbooks': {
          const r = await actions.runPlaybooks(companyId, {});
          if (!r.ok) return r;
          return { ok: true, fields: { tasks_created: r.tasksCreated } };
        }
      }
    } catch (err) {
      // A thrown error is a bug or an unexpected fault: never leak it, answer as a retryable failure.
      logger.error('workflow_action.exception', { action, companyId, errorName: err instanceof Error ? err.name : typeof err });
      return { ok: false, error: { code: 'internal_error', message: 'unexpected error', retryable: true } };
    }
  }

  /** One action call per company+action+input at a time. */
  function sharedCall(action: WorkflowActionName, companyId: string, ownerId: string | undefined): Promise<Outcome> {
    const key = `${action}:${companyId}:${ownerId ?? ''}`;
    const existing = byCompanyAction.get(key);
    if (existing) return existing;
    const p = callAction(action, companyId, ownerId).finally(() => byCompanyAction.delete(key));
    byCompanyAction.set(key, p);
    return p;
  }

  /** Re-runs after a retryable failure under the retry policy; the first outcome counts as attempt 1. */
  function withRetries(first: Outcome, action: WorkflowActionName, companyId: string, ownerId: string | undefined): Promise<{ outcome: Outcome; attempts: number }> {
    return retry.run((n) => (n === 0 ? Promise.resolve(first) : sharedCall(action, companyId, ownerId)));
  }

  /** Sends a final answer once; on success it becomes the stored answer and the pending entry goes. */
  async function sendCompletion(callbackId: string, action: string, final: OutputFields): Promise<void> {
    try {
      await completer(callbackId, final);
    } catch (err) {
      counters.completionFailures++;
      const refused = permanentCrmFailure(err);
      if (refused !== null) {
        // HubSpot refused it for good (e.g. the callback expired or was already completed): resending cannot help.
        logger.warn('workflow_action.complete_refused', { callbackId, action, status: refused.status });
        await store.set(callbackId, final);
        await store.removePending(callbackId);
        return;
      }
      logger.warn('workflow_action.complete_failed', { callbackId, action, errorName: err instanceof Error ? err.name : typeof err, pending: true });
      return;
    }
    counters.completed++;
    await store.set(callbackId, final);
    await store.removePending(callbackId);
    logger.info('workflow_action.completed', { callbackId, action, state: final.hs_execution_state });
  }

  /** Finishes a parked delivery in the background: the action (re-run if it failed retryably), then its completion. */
  function finishLater(pending: PendingCompletion<OutputFields>, first: Promise<Outcome> | null): void {
    const { callbackId } = pending;
    const action = pending.action as WorkflowActionName;
    active.add(callbackId);
    const task = (async () => {
      let final = pending.final;
      if (!final) {
        const firstOutcome = await (first ?? sharedCall(action, pending.companyId, pending.ownerId));
        const { outcome, attempts } = await withRetries(firstOutcome, action, pending.companyId, pending.ownerId);
        final = outcome.ok ? { ...outcome.fields, hs_execution_state: 'SUCCESS' } : failFields(outcome.error);
        // Durable before it is sent: after a crash the completion is re-sent without re-running the action.
        await store.addPending({ ...pending, final });
        logger.info('workflow_action.finished', { callbackId, action, companyId: pending.companyId, state: final.hs_execution_state, attempts });
      }
      await sendCompletion(callbackId, action, final);
    })().catch((err: unknown) => {
      // Parked for shutdown (or the store closed under it): the delivery stays pending for the next start.
      if (err instanceof ParkedError || parked) logger.info('workflow_action.parked', { callbackId, action });
      else logger.error('workflow_action.background_failed', { callbackId, action, errorName: err instanceof Error ? err.name : typeof err });
    });
    const tracked = task.finally(() => {
      active.delete(callbackId);
      background.delete(tracked);
    });
    background.add(tracked);
  }

  async function run(payload: WorkflowActionPayload, action: WorkflowActionName): Promise<OutputFields> {
    const companyId = payload.object.objectId;
    const callbackId = payload.callbackId;
    if (payload.object.objectType.toUpperCase() !== 'COMPANY') {
      return failFields({ code: 'unsupported_object_type', message: 'only COMPANY', retryable: false });
    }
    let ownerId: string | undefined;
    if (action === 'assign-onboarding-csm') {
      const inputs = AssignInputs.safeParse(payload.inputFields);
      if (!inputs.success) return failFields({ code: 'invalid_owner_id', message: 'owner_id must be an owner id', retryable: false });
      ownerId = inputs.data.owner_id;
    }

    const work = sharedCall(action, companyId, ownerId);
    let cancelTimer: () => void = () => {};
    let park: () => void = () => {};
    const timedOut = new Promise<'budget' | 'parked'>((resolve) => {
      cancelTimer = clock.setTimer(parked ? 0 : budgetMs, () => resolve('budget'));
      park = () => resolve('parked');
    });
    parkers.add(park);
    const first = await Promise.race([work, timedOut]);
    parkers.delete(park);
    cancelTimer();

    if (typeof first !== 'string' && first.ok) return { ...first.fields, hs_execution_state: 'SUCCESS' };
    if (typeof first !== 'string' && !first.error.retryable) return failFields(first.error);

    counters.blocked++;
    logger.info('workflow_action.blocked', { callbackId, action, companyId, cause: typeof first === 'string' ? first : first.error.code });
    // Parked durably before BLOCK is answered: a restart finishes it. BLOCK is remembered so a
    // redelivery meanwhile gets BLOCK again and does no work.
    const pending: PendingCompletion<OutputFields> = { callbackId, action, companyId, ...(ownerId ? { ownerId } : {}), since: clock.now() };
    await store.addPending(pending);
    const blocked: OutputFields = { hs_execution_state: 'BLOCK' };
    await store.set(callbackId, blocked);
    finishLater(pending, work);
    return blocked;
  }

  function deliver(payload: WorkflowActionPayload, action: WorkflowActionName): Promise<{ fields: OutputFields; replay: boolean }> {
    const key = payload.callbackId;
    const existing = byCallback.get(key);
    if (existing) return existing.then((r) => ({ ...r, replay: true }));
    const p = (async () => {
      const stored = await store.get(key);
      if (stored) return { fields: stored, replay: true };
      const fields = await run(payload, action);
      if (fields.hs_execution_state !== 'BLOCK') await store.set(key, fields);
      return { fields, replay: false };
    })().finally(() => byCallback.delete(key));
    byCallback.set(key, p);
    return p;
  }

  return {
    async handle(request) {
      const started = clock.now();
      const action = actionNameFromUrl(request.url);
      if (request.method.toUpperCase() !== 'POST') return { status: 405, body: { error: 'method_not_allowed' } };

      // 1. Signature on the raw bytes, before anything else is read: v3 when present, else v2.
      const check = verifyHubSpotSignature({
        method: request.method,
        uri: request.url,
        body: request.body,
        headers: request.headers,
        clientSecret: options.clientSecret,
        now: clock.now(),
        maxSkewMs: options.maxSkewMs,
      });
      if (!check.ok) {
        logger.warn('workflow_action.unauthorized', { action, reason: check.reason, signature: check.version });
        return { status: 401, body: { error: 'invalid_signature', reason: check.reason satisfies SignatureFailureReason } };
      }
      if (!action) return { status: 404, body: { error: 'unknown_action' } };

      // 2. Parse.
      let json: unknown;
      try {
        json = JSON.parse(typeof request.body === 'string' ? request.body : request.body.toString('utf8'));
      } catch {
        return { status: 400, body: { error: 'invalid_json' } };
      }
      const parsed = WorkflowActionPayload.safeParse(json);
      if (!parsed.success) {
        return {
          status: 400,
          body: {
            error: 'invalid_payload',
            issues: parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), message: i.message })),
          },
        };
      }

      // 3. Run once per callbackId.
      const { fields, replay } = await deliver(parsed.data, action);
      if (replay) counters.replays++;
      logger.info('workflow_action.answered', {
        callbackId: parsed.data.callbackId,
        action,
        companyId: parsed.data.object.objectId,
        portalId: parsed.data.origin.portalId,
        state: fields.hs_execution_state,
        replay,
        signature: check.version,
        ms: clock.now() - started,
      });
      return { status: 200, body: { outputFields: fields } };
    },
    async drain() {
      while (background.size > 0) await Promise.allSettled([...background]);
    },
    async resendPending() {
      if (parked) return 0;
      let started = 0;
      for (const p of await store.listPending()) {
        if (active.has(p.callbackId) || byCallback.has(p.callbackId)) continue;
        if (!(WORKFLOW_ACTION_NAMES as readonly string[]).includes(p.action)) {
          logger.warn('workflow_action.pending_unknown_action', { callbackId: p.callbackId, action: p.action });
          continue;
        }
        started++;
        finishLater(p, null);
      }
      if (started > 0) logger.info('workflow_action.resending', { count: started });
      return started;
    },
    park() {
      parked = true;
      for (const p of [...parkers]) p();
      for (const s of [...sleepers]) s();
    },
    stats: () => ({ ...counters, inFlight: byCallback.size, pending: active.size }),
  };
}
