/**
 * Helpers shared by the server tests and the load bench: a fake `CompanyActions` with a task
 * ledger, and a signed-delivery builder. Not used by production code.
 */
import type { ActionError, CompanyActions } from '../app';
import { signRequestV3 } from './signature';
import type { WorkflowActionName, WorkflowActionRequest } from './workflow-action';

export interface FakeActionsControl {
  actions: CompanyActions;
  calls: Record<'recomputeHealth' | 'assignOnboardingCsm' | 'runPlaybooks', number>;
  /** Task keys created, in order; a key appears at most once if the fake is correct. */
  created: string[];
  /** Queue of results to return instead of the default for the next calls (errors or delays). */
  script: Array<{ error?: ActionError; wait?: Promise<void>; throws?: boolean }>;
}

/**
 * A fake that behaves like the app: run-playbooks creates one task per (company, period) key and
 * never twice (a ledger); the counters show how often each use case ran.
 */
export function createFakeCompanyActions(options: { period?: string } = {}): FakeActionsControl {
  const period = options.period ?? '2026-11';
  const ledger = new Set<string>();
  const control: FakeActionsControl = {
    calls: { recomputeHealth: 0, assignOnboardingCsm: 0, runPlaybooks: 0 },
    created: [],
    script: [],
    actions: {
      async recomputeHealth(companyId) {
        control.calls.recomputeHealth++;
        const step = control.script.shift();
        if (step?.wait) await step.wait;
        if (step?.throws) throw new Error(`boom for ${companyId}`);
        if (step?.error) return { ok: false, error: step.error };
        return { ok: true, score: 72, band: 'watch', segment: 'pooled' };
      },
      async assignOnboardingCsm(_companyId, ownerId) {
        control.calls.assignOnboardingCsm++;
        const step = control.script.shift();
        if (step?.wait) await step.wait;
        if (step?.error) return { ok: false, error: step.error };
        return ownerId ? { ok: true, ownerId, reason: 'manual' } : { ok: true, ownerId: '9001', reason: 'least_loaded' };
      },
      async runPlaybooks(companyId) {
        control.calls.runPlaybooks++;
        const step = control.script.shift();
        if (step?.wait) await step.wait;
        if (step?.throws) throw new Error('boom');
        if (step?.error) return { ok: false, error: step.error };
        const key = `${companyId}:onboarding_kickoff:${period}`;
        if (ledger.has(key)) return { ok: true, tasksCreated: 0, keys: [] };
        ledger.add(key);
        control.created.push(key);
        return { ok: true, tasksCreated: 1, keys: [key] };
      },
    },
  };
  return control;
}

export function deliveryBody(input: { callbackId: string; companyId: string | number; inputFields?: Record<string, unknown>; objectType?: string }): string {
  return JSON.stringify({
    callbackId: input.callbackId,
    origin: { portalId: 102670506, actionDefinitionId: 10860211, actionDefinitionVersion: 1, extensionDefinitionId: 10860211 },
    context: { source: 'WORKFLOWS', workflowId: 192814114 },
    object: { objectId: typeof input.companyId === 'string' ? Number(input.companyId) : input.companyId, objectType: input.objectType ?? 'COMPANY' },
    inputFields: input.inputFields ?? {},
  });
}

export function signedDelivery(input: {
  baseUrl: string;
  action: WorkflowActionName;
  body: string;
  clientSecret: string;
  now: number;
}): WorkflowActionRequest {
  const url = `${input.baseUrl.replace(/\/$/, '')}/actions/${input.action}`;
  const headers = signRequestV3({ method: 'POST', uri: url, body: input.body, clientSecret: input.clientSecret, timestamp: input.now });
  return { method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, body: input.body };
}

export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
