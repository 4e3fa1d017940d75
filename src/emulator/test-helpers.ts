/** Helpers shared by the emulator tests (not part of the server). */
import { Client } from '@hubspot/api-client';
import type { LocalCrm } from './server';

export function clientFor(crm: LocalCrm, token = crm.token): Client {
  return new Client({ accessToken: token, basePath: crm.baseUrl });
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** A raw HTTP call (for exact status, headers and body). */
export async function call(crm: LocalCrm, method: string, path: string, body?: unknown, token: string | null = crm.token): Promise<RawResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${crm.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** Narrows an unknown JSON body to a record for assertions. */
export function rec(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`not an object: ${JSON.stringify(v)}`);
  return v as Record<string, unknown>;
}
