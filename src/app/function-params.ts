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

export const portfolioReportParams = z.object({});

/** `configOverride`: a what-if config (partial or whole), validated by the function against the config schema. */
export const settingsDataParams = z.object({
  configOverride: z
    .record(z.string(), z.unknown(), { error: 'configOverride must be a JSON object (for example {"bands": {"healthyFrom": 75}})' })
    .optional(),
});

/** `cursor`: the opaque state a previous `portfolio-sweep` call returned (absent = start a run). */
export const portfolioSweepParams = z.object({
  cursor: z.string().max(5_000_000, 'cursor is too large').nullable().optional(),
  mode: z.enum(['full', 'incremental'], { error: 'mode must be "full" or "incremental"' }).default('full'),
});

export const FUNCTION_PARAMS = {
  'card-data': cardDataParams,
  'recompute-health': recomputeHealthParams,
  'assign-onboarding-csm': assignOnboardingCsmParams,
  'run-playbooks': runPlaybooksParams,
  'override-segment': overrideSegmentParams,
  'graduate-now': graduateNowParams,
  'extend-onboarding': extendOnboardingParams,
  'portfolio-report': portfolioReportParams,
  'settings-data': settingsDataParams,
  'portfolio-sweep': portfolioSweepParams,
} as const;

export type FunctionUid = keyof typeof FUNCTION_PARAMS;
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
