/**
 * What a workflow action may ask of the app for one company, and the app's result and error types.
 * `company-service.ts` implements it (recompute health, assign the onboarding CSM, run playbooks);
 * the server depends only on this interface (through `src/app/index.ts`) so it can be tested with a
 * fake and hosted anywhere.
 *
 * Expected failures are values. `retryable: true` means "try again later" (rate limit, 5xx, timeout):
 * the workflow action answers BLOCK and completes through the callbacks API once it succeeds.
 */

export interface ActionError {
  code: string;
  message: string;
  retryable: boolean;
}

export type ActionFailure = { ok: false; error: ActionError };

export type RecomputeHealthResult =
  | { ok: true; score: number | null; band: string; segment: string }
  | ActionFailure;

export type AssignOnboardingCsmResult = { ok: true; ownerId: string | null; reason: string } | ActionFailure;

export type RunPlaybooksResult = { ok: true; tasksCreated: number; keys: string[] } | ActionFailure;

export interface CompanyActions {
  recomputeHealth(companyId: string): Promise<RecomputeHealthResult>;
  /** `ownerId` given = a manual choice, kept as is; absent = automatic assignment. */
  assignOnboardingCsm(companyId: string, ownerId?: string): Promise<AssignOnboardingCsmResult>;
  /** Creates the due tasks for one company; idempotent by the tasks' own keys (company, playbook, step, period). */
  runPlaybooks(companyId: string, opts: { idempotencyScope?: string }): Promise<RunPlaybooksResult>;
}
