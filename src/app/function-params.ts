/**
 * Parameters of every app function the UI calls, as zod schemas. One source for both sides:
 * the cards validate with them before calling (a bad input is refused in the UI), the functions
 * parse `context.parameters` with them (a bad input becomes a clear `bad_parameters` error).
 *
 * Keys are the function uids (docs/CONVENTIONS.md). Rules that need the clock (an override's
 * expiry must be in the future) are checked by the function with its `now`: see
 * {@link isFutureIsoDate}.
 */
import { z } from 'zod';
import { SEGMENTS } from '../core/types';

export const REASON_MIN = 3;
export const REASON_MAX = 500;
export const EXTEND_DAYS_MIN = 1;
export const EXTEND_DAYS_MAX = 180;

const REASON_MESSAGE = `A reason is required (${REASON_MIN}–${REASON_MAX} characters)`;

/** A HubSpot record id: digits, sent as a string. */
const companyId = z
  .string({ error: 'companyId is required (the HubSpot company id)' })
  .trim()
  .regex(/^[0-9]{1,20}$/, 'companyId must be a HubSpot record id (digits only)');

/** A reason people will read later (task bodies, property history). Trimmed. */
const reason = z
  .string({ error: REASON_MESSAGE })
  .trim()
  .min(REASON_MIN, REASON_MESSAGE)
  .max(REASON_MAX, `The reason is too long (at most ${REASON_MAX} characters)`);

/** True when `value` is `YYYY-MM-DD` and a real calendar day (no 2026-02-30). */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * True when the calendar day `isoDate` (UTC) is after the UTC day of `now`. An override "ends at the
 * end of this day", so today is not in the future.
 *
 * @example isFutureIsoDate('2026-11-24', new Date('2026-11-23T23:59:00Z')) // true
 * @example isFutureIsoDate('2026-11-23', new Date('2026-11-23T00:00:00Z')) // false
 */
export function isFutureIsoDate(isoDate: string, now: Date): boolean {
  if (!isIsoDate(isoDate)) return false;
  const today = now.toISOString().slice(0, 10);
  return isoDate > today;
}

const isoDate = z
  .string()
  .trim()
  .refine(isIsoDate, 'The expiry must be a date written YYYY-MM-DD (for example 2026-12-31)');

export const cardDataParams = z.object({ companyId });
export const recomputeHealthParams = z.object({ companyId });
export const runPlaybooksParams = z.object({ companyId });

/** Absent `ownerId` = automatic choice (skills, coverage days, capacity, rotation). A manual choice needs a reason. */
export const assignOnboardingCsmParams = z
  .object({
    companyId,
    ownerId: z
      .string()
      .trim()
      .regex(/^[0-9]{1,20}$/, 'ownerId must be a HubSpot owner id (digits only)')
      .optional(),
    reason: reason.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.ownerId !== undefined && v.reason === undefined) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: `${REASON_MESSAGE} when choosing the CSM by hand` });
    }
  });

/** `segment: null` removes the override. A new override needs a reason; `expires` is optional. */
export const overrideSegmentParams = z
  .object({
    companyId,
    segment: z.enum(SEGMENTS, { error: `segment must be one of ${SEGMENTS.join(', ')}, or null to remove the override` }).nullable(),
    reason: reason.optional(),
    expires: isoDate.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.segment !== null && v.reason === undefined) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: `${REASON_MESSAGE} to override the segment` });
    }
    if (v.segment === null && v.expires !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['expires'], message: 'An expiry only applies to a new override, not to removing one' });
    }
  });

export const graduateNowParams = z.object({ companyId, reason });

export const extendOnboardingParams = z.object({
  companyId,
  days: z
    .number({ error: `days must be a whole number from ${EXTEND_DAYS_MIN} to ${EXTEND_DAYS_MAX}` })
    .int(`days must be a whole number from ${EXTEND_DAYS_MIN} to ${EXTEND_DAYS_MAX}`)
    .min(EXTEND_DAYS_MIN, `Extend by at least ${EXTEND_DAYS_MIN} day`)
    .max(EXTEND_DAYS_MAX, `Extend by at most ${EXTEND_DAYS_MAX} days`),
  reason,
});

/** A HubSpot task id: digits, sent as a string. */
const taskId = z
  .string({ error: 'taskId is required (the HubSpot task id)' })
  .trim()
  .regex(/^[0-9]{1,20}$/, 'taskId must be a HubSpot record id (digits only)');

export const SNOOZE_DAYS_MAX = 365;

/** Complete a CS task of this company, or snooze it by `days` (1–365). */
export const updateTaskParams = z
  .object({
    companyId,
    taskId,
    action: z.enum(['complete', 'snooze'], { error: 'action must be "complete" or "snooze"' }),
    days: z
      .number({ error: `days must be a whole number from 1 to ${SNOOZE_DAYS_MAX}` })
      .int(`days must be a whole number from 1 to ${SNOOZE_DAYS_MAX}`)
      .min(1, 'Snooze by at least 1 day')
      .max(SNOOZE_DAYS_MAX, `Snooze by at most ${SNOOZE_DAYS_MAX} days`)
      .optional(),
  })
  .superRefine((v, ctx) => {
    if (v.action === 'snooze' && v.days === undefined) ctx.addIssue({ code: 'custom', path: ['days'], message: 'Choose how many days to snooze the task' });
    if (v.action === 'complete' && v.days !== undefined) ctx.addIssue({ code: 'custom', path: ['days'], message: 'days only applies to snooze' });
  });

/** `userId`: the signed-in HubSpot user, for their "My day" (absent = the manager's view only). */
export const portfolioReportParams = z.object({
  userId: z.number({ error: 'userId must be a HubSpot user id (a whole number)' }).int('userId must be a whole number').positive('userId must be positive').optional(),
});

/** `configOverride`: a what-if config (partial or whole), validated by the function against the config schema. */
export const settingsDataParams = z.object({
  configOverride: z
    .record(z.string(), z.unknown(), { error: 'configOverride must be a JSON object (for example {"health": {"bands": {"healthy": 75}}})' })
    .optional(),
});

/** `cursor`: the opaque state a previous `portfolio-sweep` call returned (absent = start a run). */
export const portfolioSweepParams = z.object({
  cursor: z.string().max(5_000_000, 'cursor is too large').nullable().optional(),
  mode: z.enum(['full', 'incremental'], { error: 'mode must be "full" or "incremental"' }).default('full'),
});

/**
 * What a function may touch, stated on its parameters schema (zod `.meta`, read with
 * {@link functionScope}). `record: 'card'` = it acts on the company of the card that calls it, and
 * refuses any other `companyId` (the card's record comes from `context.propertiesToSend.hs_object_id`,
 * which HubSpot fills from the record the card is on, unlike `parameters`, which the caller writes).
 */
export interface FunctionScope {
  record: 'card' | 'none';
  writes: 'nothing' | 'this-company' | 'this-company-and-its-tasks' | 'other-records';
  /** For `other-records`: which. */
  note?: string;
}

function scoped<S extends z.ZodType>(schema: S, scope: FunctionScope): S {
  return schema.meta({ ...scope }) as S;
}

export const FUNCTION_PARAMS = {
  'card-data': scoped(cardDataParams, { record: 'card', writes: 'nothing' }),
  'recompute-health': scoped(recomputeHealthParams, { record: 'card', writes: 'this-company' }),
  'assign-onboarding-csm': scoped(assignOnboardingCsmParams, {
    record: 'card',
    writes: 'other-records',
    note: "sets this company's onboarding CSM and owner, and so changes the chosen CSM's load in the pool",
  }),
  'run-playbooks': scoped(runPlaybooksParams, { record: 'card', writes: 'this-company-and-its-tasks' }),
  'override-segment': scoped(overrideSegmentParams, { record: 'card', writes: 'this-company' }),
  'graduate-now': scoped(graduateNowParams, { record: 'card', writes: 'this-company-and-its-tasks' }),
  'extend-onboarding': scoped(extendOnboardingParams, { record: 'card', writes: 'this-company-and-its-tasks' }),
  'update-task': scoped(updateTaskParams, { record: 'card', writes: 'this-company-and-its-tasks', note: 'completes or snoozes one of this company\'s CS tasks' }),
  'portfolio-report': scoped(portfolioReportParams, { record: 'none', writes: 'nothing' }),
  'settings-data': scoped(settingsDataParams, { record: 'none', writes: 'nothing' }),
  'portfolio-sweep': scoped(portfolioSweepParams, { record: 'none', writes: 'other-records', note: 'every company of the portfolio and their CS tasks' }),
} as const;

export type FunctionUid = keyof typeof FUNCTION_PARAMS;

/** The scope stated on function `uid`'s parameters schema. */
export function functionScope(uid: FunctionUid): FunctionScope {
  const meta = z.globalRegistry.get(FUNCTION_PARAMS[uid]) as Partial<FunctionScope> | undefined;
  return { record: meta?.record ?? 'none', writes: meta?.writes ?? 'other-records', ...(meta?.note ? { note: meta.note } : {}) };
}

const RecordContext = z.object({ hs_object_id: z.union([z.string(), z.number()]).transform((v) => String(v).trim()) }).loose();

/**
 * Compares the `companyId` a card function was asked to act on with the card's own record
 * (`context.propertiesToSend.hs_object_id`).
 * - `ok` with `verified: true`: they match.
 * - `ok` with `verified: false`: the caller sent no record (a card that does not pass
 *   `propertiesToSend: ['hs_object_id']`); the function proceeds, and the caller should log it.
 * - not ok: another record: refused with `wrong_record`.
 *
 * @example checkCardRecord('card-data', { companyId: '42' }, { hs_object_id: '42' }) // { ok: true, verified: true }
 */
export function checkCardRecord(
  uid: FunctionUid,
  params: unknown,
  propertiesToSend: unknown,
): { ok: true; verified: boolean } | { ok: false; error: { code: 'wrong_record'; message: string } } {
  if (functionScope(uid).record !== 'card') return { ok: true, verified: true };
  const requested = typeof params === 'object' && params !== null ? (params as { companyId?: unknown }).companyId : undefined;
  const record = RecordContext.safeParse(propertiesToSend ?? {});
  if (!record.success || record.data.hs_object_id === '') return { ok: true, verified: false };
  if (String(requested) === record.data.hs_object_id) return { ok: true, verified: true };
  return {
    ok: false,
    error: {
      code: 'wrong_record',
      message: `This card is on company ${record.data.hs_object_id} but the request was for company ${String(requested)}: nothing was changed. Reload the record page and try again.`,
    },
  };
}
/** What a caller sends to function `U`. */
export type FunctionParamsInput<U extends FunctionUid> = z.input<(typeof FUNCTION_PARAMS)[U]>;
/** What function `U` works with after parsing (trimmed strings). */
export type FunctionParams<U extends FunctionUid> = z.output<(typeof FUNCTION_PARAMS)[U]>;

export type CardDataParams = FunctionParams<'card-data'>;
export type RecomputeHealthParams = FunctionParams<'recompute-health'>;
export type AssignOnboardingCsmParams = FunctionParams<'assign-onboarding-csm'>;
export type RunPlaybooksParams = FunctionParams<'run-playbooks'>;
export type OverrideSegmentParams = FunctionParams<'override-segment'>;
export type GraduateNowParams = FunctionParams<'graduate-now'>;
export type ExtendOnboardingParams = FunctionParams<'extend-onboarding'>;
export type UpdateTaskParams = FunctionParams<'update-task'>;
export type PortfolioReportParams = FunctionParams<'portfolio-report'>;
export type SettingsDataParams = FunctionParams<'settings-data'>;

export interface ParamIssue {
  /** Dotted path of the bad field, '' for the whole object. */
  path: string;
  message: string;
}

export type ParseParamsResult<U extends FunctionUid> =
  | { ok: true; data: FunctionParams<U> }
  | { ok: false; error: { code: 'bad_parameters'; message: string; issues: ParamIssue[] } };

/**
 * Parses the parameters of function `uid`. Never throws: a bad input is an error value whose
 * message names each bad field, e.g. `reason: A reason is required (3–500 characters)`.
 */
export function parseParams<U extends FunctionUid>(uid: U, input: unknown): ParseParamsResult<U> {
  const schema: z.ZodType = FUNCTION_PARAMS[uid];
  const result = schema.safeParse(input ?? {});
  // The schema is FUNCTION_PARAMS[uid], so its output is FunctionParams<U>.
  if (result.success) return { ok: true, data: result.data as FunctionParams<U> };
  const issues = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const message = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  return { ok: false, error: { code: 'bad_parameters', message, issues } };
}

/** The first message for `field`, for showing next to a form input; null when the field is fine. */
export function issueFor(issues: readonly ParamIssue[], field: string): string | null {
  return issues.find((i) => i.path === field)?.message ?? null;
}
