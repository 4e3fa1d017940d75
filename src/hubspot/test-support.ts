/**
 * Test helpers for the adapter's msw tests: a fake clock, a seeded random, a recorder of the
 * requests sent, and HubSpot-shaped fixtures. Not used by production code.
 */
import type { SetupServer } from 'msw/node';
import type { SleepingClock } from '../platform/clock';
import { mulberry32 } from '../platform/random';

export const BASE = 'https://hubspot.test';
export const TOKEN = 'pat-na1-00000000-0000-0000-0000-00000000abcd';

/** A clock whose `sleep` advances `now` instantly and records the waits. */
export function fakeClock(start = Date.UTC(2026, 10, 23, 10, 0, 0)): SleepingClock & { sleeps: number[]; advance(ms: number): void } {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
    sleeps,
  };
}

/** A seeded random in [0, 1) (the one generator, `mulberry32`). */
export function seededRandom(seed = 42): () => number {
  return mulberry32(seed);
}

export interface Sent {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  auth: string | null;
}

/** Records every request the server sees (method, path, query, JSON body). */
export function recordRequests(server: SetupServer): { all(): Promise<Sent[]>; clear(): void } {
  let pending: Promise<Sent>[] = [];
  server.events.on('request:start', ({ request }) => {
    const url = new URL(request.url);
    const clone = request.clone();
    pending.push(
      clone.text().then((text: string) => ({
        method: request.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams.entries()),
        body: text ? (JSON.parse(text) as unknown) : undefined,
        auth: request.headers.get('authorization'),
      })),
    );
  });
  return { all: () => Promise.all(pending), clear: () => (pending = []) };
}

/** HubSpot's 429 body for the 10-second limit. */
export const tenSecondly429 = {
  status: 'error',
  message: 'You have reached your ten_secondly_rolling limit.',
  errorType: 'RATE_LIMIT',
  correlationId: 'c0ffee00-0000-4000-8000-000000000001',
  policyName: 'TEN_SECONDLY_ROLLING',
  groupName: 'publicapi:private-app:123:456',
};

/** HubSpot's 429 body for the daily limit. */
export const daily429 = {
  status: 'error',
  message: 'You have reached your daily limit.',
  errorType: 'RATE_LIMIT',
  correlationId: 'c0ffee00-0000-4000-8000-000000000002',
  policyName: 'DAILY',
  groupName: 'publicapi:private-app:123:456',
};

/** HubSpot's search secondly 429 (no policyName). */
export const secondly429 = {
  status: 'error',
  message: 'You have reached your secondly limit.',
  errorType: 'RATE_LIMIT',
  correlationId: 'c0ffee00-0000-4000-8000-000000000003',
};

export const unauthorized401 = {
  status: 'error',
  message: 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
  correlationId: 'c0ffee00-0000-4000-8000-000000000004',
  category: 'INVALID_AUTHENTICATION',
};

export const missingScopes403 = {
  status: 'error',
  message: "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
  correlationId: 'c0ffee00-0000-4000-8000-000000000005',
  errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['crm.objects.companies.read'] } }],
  links: { scopes: 'https://developers.hubspot.com/scopes' },
  category: 'MISSING_SCOPES',
};

export const serverError500 = {
  status: 'error',
  message: 'internal error',
  correlationId: 'c0ffee00-0000-4000-8000-000000000006',
  category: 'INTERNAL_ERROR',
};

/** A HubSpot object as search / batch answers carry it. */
export function hsObject(id: string, properties: Record<string, string | null>) {
  return {
    id,
    properties: { hs_object_id: id, ...properties },
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    archived: false,
  };
}

/** A batch answer (200/201 COMPLETE, or 207 with errors). */
export function batchAnswer(results: unknown[], errors: unknown[] = []) {
  const body: Record<string, unknown> = {
    status: 'COMPLETE',
    results,
    startedAt: '2026-11-23T10:00:00.000Z',
    completedAt: '2026-11-23T10:00:00.100Z',
  };
  if (errors.length > 0) {
    body.errors = errors;
    body.numErrors = errors.length;
  }
  return body;
}
