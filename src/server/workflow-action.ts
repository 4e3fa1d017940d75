/**
 * HubSpot workflow actions for companies: verify the v3 signature on the raw body, parse the
 * payload (zod), run the action once per `callbackId` and answer
 * `{ outputFields: { ..., hs_execution_state } }`.
 *
 * - Idempotent: a `callbackId` already answered gets the stored answer, nothing is done again; two
 *   deliveries of the same `callbackId` at once share one promise; deliveries for the same company
 *   and action at once share one action call.
 * - Work that outlasts `budgetMs`, or fails with a retryable error, answers BLOCK and is completed
 *   later through `completer` (POST /automation/v4/actions/callbacks/{callbackId}/complete), with
 *   bounded retries. A non-retryable failure answers FAIL_CONTINUE.
 */
import { z } from 'zod';

import type { TimerClock } from '../platform/clock';
import type { ActionError, CompanyActions } from '../app';
import { createMemoryIdempotencyStore, type IdempotencyStore } from './idempotency-store';
import { silentLogger, type Logger } from '../platform/logger';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignatureV3, type SignatureFailureReason } from './signature';

export const WORKFLOW_ACTION_NAMES = ['recompute-health', 'assign-onboarding-csm', 'run-playbooks'] as const;
export type WorkflowActionName = (typeof WORKFLOW_ACTION_NAMES)[number];

export type ExecutionState = 'SUCCESS' | 'FAIL_CONTINUE' | 'BLOCK';
export type OutputFields = Record<string, string | number> & { hs_execution_state: ExecutionState };

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

/** Completes a BLOCKed action (`crm.completeCallback`). HubSpot's callback body takes string values. */
export type CallbackCompleter = (callbackId: string, outputFields: Record<string, string>) => Promise<void>;

export interface WorkflowActionOptions {
  actions: CompanyActions;
  clientSecret: string;
  completer: CallbackCompleter;
  clock: TimerClock;
  logger?: Logger;
  /** Answered deliveries by callbackId; default: in-memory LRU, 50,000 entries, 24 h. */
  store?: IdempotencyStore<OutputFields>;
  /** Answer BLOCK when the action takes longer than this (ms). Default 10,000. */
  budgetMs?: number;
  /** Background attempts after a retryable failure or a failed completion. Default 5 attempts, 2 s base, doubling. */
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  maxSkewMs?: number;
}

export interface WorkflowActionHandler {
  handle(request: WorkflowActionRequest): Promise<WorkflowActionResponse>;
  /** Resolves when every background completion has finished (graceful shutdown, tests). */
  drain(): Promise<void>;
  stats(): { actionCalls: number; replays: number; blocked: number; completed: number; completionFailures: number; inFlight: number };
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

function header(headers: WorkflowActionRequest['headers'], name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function toStrings(fields: Record<string, string | number>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)]));
}

function failFields(error: ActionError): OutputFields {
  return { hs_execution_state: 'FAIL_CONTINUE', error_code: error.code };
}

export function createWorkflowActionHandler(options: WorkflowActionOptions): WorkflowActionHandler {
  const { actions, clock, completer } = options;
  const logger = options.logger ?? silentLogger;
  const budgetMs = options.budgetMs ?? 10_000;
  const maxAttempts = Math.max(1, options.retry?.maxAttempts ?? 5);
  const baseDelayMs = options.retry?.baseDelayMs ?? 2_000;
  const maxDelayMs = options.retry?.maxDelayMs ?? 60_000;
  const store = options.store ?? createMemoryIdempotencyStore<OutputFields>({ maxEntries: 50_000, ttlMs: 24 * 3600_000, clock });

  const byCallback = new Map<string, Promise<{ fields: OutputFields; replay: boolean }>>();
  const byCompanyAction = new Map<string, Promise<Outcome>>();
  const background = new Set<Promise<void>>();
  const counters = { actionCalls: 0, replays: 0, blocked: 0, completed: 0, completionFailures: 0 };

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

  function delay(ms: number): Promise<void> {
    return new Promise((resolve) => clock.setTimer(ms, resolve));
  }

  function backoff(attempt: number): number {
    return Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
  }

  /** Finishes a BLOCKed delivery in the background: retries the action, then completes the callback. */
  function finishLater(
    callbackId: string,
    first: Promise<Outcome>,
    action: WorkflowActionName,
    companyId: string,
    ownerId: string | undefined,
  ): void {
    const task = (async () => {
      let outcome = await first;
      let attempt = 1;
      while (!outcome.ok && outcome.error.retryable && attempt < maxAttempts) {
        await delay(backoff(attempt));
        attempt++;
        outcome = await sharedCall(action, companyId, ownerId);
      }
      const final: OutputFields = outcome.ok
        ? { ...outcome.fields, hs_execution_state: 'SUCCESS' }
        : failFields(outcome.error);
      for (let tries = 1; ; tries++) {
        try {
          await completer(callbackId, toStrings(final));
          counters.completed++;
          await store.set(callbackId, final);
          logger.info('workflow_action.completed', { callbackId, action, companyId, state: final.hs_execution_state, attempts: attempt });
          return;
        } catch (err) {
          counters.completionFailures++;
          logger.warn('workflow_action.complete_failed', { callbackId, action, tries, errorName: err instanceof Error ? err.name : typeof err });
          if (tries >= maxAttempts) {
            logger.error('workflow_action.complete_gave_up', { callbackId, action, companyId });
            return;
          }
          await delay(backoff(tries));
        }
      }
    })();
    background.add(task);
    void task.finally(() => background.delete(task));
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
    const timedOut = new Promise<'budget'>((resolve) => {
      cancelTimer = clock.setTimer(budgetMs, () => resolve('budget'));
    });
    const first = await Promise.race([work, timedOut]);
    cancelTimer();

    if (first !== 'budget' && first.ok) return { ...first.fields, hs_execution_state: 'SUCCESS' };
    if (first !== 'budget' && !first.error.retryable) return failFields(first.error);

    counters.blocked++;
    logger.info('workflow_action.blocked', {
      callbackId,
      action,
      companyId,
      cause: first === 'budget' ? 'budget' : first.error.code,
    });
    // Remember BLOCK before the background may store the final answer, so it is never overwritten.
    const blocked: OutputFields = { hs_execution_state: 'BLOCK' };
    await store.set(callbackId, blocked);
    finishLater(callbackId, work, action, companyId, ownerId);
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

      // 1. Signature on the raw bytes, before anything else is read.
      const check = verifySignatureV3({
        method: request.method,
        uri: request.url,
        body: request.body,
        timestamp: header(request.headers, TIMESTAMP_HEADER),
        signature: header(request.headers, SIGNATURE_HEADER),
        clientSecret: options.clientSecret,
        now: clock.now(),
        maxSkewMs: options.maxSkewMs,
      });
      if (!check.ok) {
        logger.warn('workflow_action.unauthorized', { action, reason: check.reason });
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
        ms: clock.now() - started,
      });
      return { status: 200, body: { outputFields: fields } };
    },
    async drain() {
      while (background.size > 0) await Promise.allSettled([...background]);
    },
    stats: () => ({ ...counters, inFlight: byCallback.size }),
  };
}
