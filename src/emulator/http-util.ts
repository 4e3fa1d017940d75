/** Small helpers for HubSpot-shaped replies. */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** HubSpot's error body: `{ status: 'error', message, correlationId, category, ... }`. */
export function errorBody(message: string, category: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

export function errorReply(status: number, message: string, category: string, extra: Record<string, unknown> = {}): Reply {
  return { status, body: errorBody(message, category, extra) };
}

export const validationError = (message: string, extra: Record<string, unknown> = {}): Reply => errorReply(400, message, 'VALIDATION_ERROR', extra);

export const notFound = (message = 'resource not found'): Reply => errorReply(404, message, 'OBJECT_NOT_FOUND');

export function missingScopes(scopes: string[]): Reply {
  return errorReply(
    403,
    "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    'MISSING_SCOPES',
    {
      errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: scopes } }],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
    },
  );
}

export function unauthorized(missing: boolean): Reply {
  return errorReply(
    401,
    missing
      ? 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview'
      : 'The OAuth token used to make this call is invalid or expired.',
    'INVALID_AUTHENTICATION',
  );
}

const RATE_MESSAGES: Record<string, string> = {
  TEN_SECONDLY_ROLLING: 'You have reached your ten_secondly_rolling limit.',
  SECONDLY: 'You have reached your secondly limit.',
  DAILY: 'You have reached your daily limit.',
};

/** 429 with HubSpot's body (`errorType: RATE_LIMIT`, `policyName`) and a Retry-After in seconds. */
export function rateLimited(policyName: string, retryAfterMs: number, headers: Record<string, string> = {}): Reply {
  return {
    status: 429,
    body: {
      status: 'error',
      message: RATE_MESSAGES[policyName] ?? `You have reached your ${policyName.toLowerCase()} limit.`,
      errorType: 'RATE_LIMIT',
      correlationId: randomUUID(),
      policyName,
      requestId: randomUUID(),
    },
    headers: { ...headers, 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
  };
}

export function serverError(status: number): Reply {
  const messages: Record<number, string> = {
    500: 'internal error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  return errorReply(status, messages[status] ?? 'error', status === 500 ? 'INTERNAL_ERROR' : 'SERVICE_UNAVAILABLE');
}

/** The body parsed by `schema`, or HubSpot's 400 VALIDATION_ERROR naming the first bad field. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): { ok: true; value: T } | { ok: false; reply: Reply } {
  const r = schema.safeParse(body);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  const where = issue ? issue.path.join('.') : '';
  return { ok: false, reply: validationError(`Invalid input JSON: ${where ? `${where}: ` : ''}${issue?.message ?? 'invalid body'}`) };
}
