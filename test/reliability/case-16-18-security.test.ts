/**
 * Reliability cases 16–18: the v3 signature window, tampered / unsigned deliveries, and 401 / 403
 * from HubSpot. Deliveries go to the real workflow-action handler over the real company service
 * over the local CRM, so "nothing done" is proven by the CRM's request counter.
 */
import { createCompanyService, hubspotFailure, runSweep, memorySweepStateStore } from '../../src/app';
import { AuthError, createHubSpotCrm } from '../../src/hubspot';
import { createManualClock } from '../../src/platform/clock';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../src/server/signature';
import { deliveryBody, signedDelivery } from '../../src/server/test-support';
import { createWorkflowActionHandler, type WorkflowActionRequest } from '../../src/server/workflow-action';
import { startStack, type Stack } from './stack';

const SECRET = 'the-app-client-secret';
const MIN = 60_000;

let s: Stack;
afterEach(() => s.stop());

async function setup() {
  s = await startStack({ companies: 20 });
  const companyId = [...s.local.store.objects.companies.keys()].map(String)[0] as string;
  const clock = createManualClock(s.clock.now());
  const handler = createWorkflowActionHandler({ actions: createCompanyService(s.deps), clientSecret: SECRET, clock, completer: (id, f) => s.crm.completeCallback(id, f) });
  const body = (callbackId: string) => deliveryBody({ callbackId, companyId });
  return { handler, clock, companyId, body };
}

test('case 16: signature timestamp 4:59 old / 5:01 old / 5:01 in the future — accept / reject / reject', async () => {
  const { handler, clock, body } = await setup();
  const at = (offsetMs: number, callbackId: string) =>
    handler.handle(signedDelivery({ baseUrl: 'https://cs.example.com', action: 'recompute-health', body: body(callbackId), clientSecret: SECRET, now: clock.now() + offsetMs }));

  const stale = await at(-(5 * MIN + 1_000), 'cb-stale');
  expect(stale).toEqual({ status: 401, body: { error: 'invalid_signature', reason: 'stale_timestamp' } });
  const future = await at(5 * MIN + 1_000, 'cb-future');
  expect(future).toEqual({ status: 401, body: { error: 'invalid_signature', reason: 'future_timestamp' } });
  expect(s.local.counters.total).toBe(0); // rejected deliveries reach nothing
  expect(handler.stats().actionCalls).toBe(0);

  const fresh = await at(-(4 * MIN + 59_000), 'cb-ok');
  expect(fresh).toMatchObject({ status: 200, body: { outputFields: { hs_execution_state: 'SUCCESS' } } });
  expect(handler.stats().actionCalls).toBe(1);
  expect(s.local.counters.total).toBeGreaterThan(0);
  // 4:59 in the future is inside the window too.
  const early = await at(4 * MIN + 59_000, 'cb-early');
  expect(early.status).toBe(200);
});

test('case 17: body or URI tampered, wrong secret, missing header — 401, and nothing done', async () => {
  const { handler, clock, body, companyId } = await setup();
  const good = (): WorkflowActionRequest => signedDelivery({ baseUrl: 'https://cs.example.com', action: 'run-playbooks', body: body('cb-1'), clientSecret: SECRET, now: clock.now() });
  const headersWithout = (name: string) => Object.fromEntries(Object.entries(good().headers).filter(([k]) => k !== name));
  const attempts: Array<[string, WorkflowActionRequest, string]> = [
    ['body tampered', { ...good(), body: deliveryBody({ callbackId: 'cb-1', companyId: String(Number(companyId) + 1) }) }, 'signature_mismatch'],
    ['one byte added', { ...good(), body: `${body('cb-1')} ` }, 'signature_mismatch'],
    ['URI tampered', { ...good(), url: 'https://cs.example.com/actions/run-playbooks?force=1' }, 'signature_mismatch'],
    ['other action', { ...good(), url: 'https://cs.example.com/actions/recompute-health' }, 'signature_mismatch'],
    ['wrong secret', signedDelivery({ baseUrl: 'https://cs.example.com', action: 'run-playbooks', body: body('cb-1'), clientSecret: 'not-the-secret', now: clock.now() }), 'signature_mismatch'],
    ['timestamp swapped', { ...good(), headers: { ...good().headers, [TIMESTAMP_HEADER]: String(clock.now() - 1000) } }, 'signature_mismatch'],
    ['missing signature', { ...good(), headers: headersWithout(SIGNATURE_HEADER) }, 'missing_signature'],
    ['missing timestamp', { ...good(), headers: headersWithout(TIMESTAMP_HEADER) }, 'missing_timestamp'],
    ['no headers', { ...good(), headers: {} }, 'missing_signature'],
    ['v1-style garbage', { ...good(), headers: { ...good().headers, [SIGNATURE_HEADER]: 'sha256=deadbeef' } }, 'signature_mismatch'],
  ];
  for (const [what, request, reason] of attempts) {
    const r = await handler.handle(request);
    expect({ what, ...r }).toEqual({ what, status: 401, body: { error: 'invalid_signature', reason } });
  }
  expect(handler.stats().actionCalls).toBe(0);
  expect(s.local.counters.total).toBe(0);
  expect(s.local.store.count('tasks')).toBe(0);
  // The untouched request is accepted (the rejects above were not an artefact of the setup).
  const ok = await handler.handle(good());
  expect(ok.status).toBe(200);
});

test('case 18: 401 / 403 from HubSpot — no retry; a message that names the missing scope or bad token', async () => {
  s = await startStack({ companies: 10, server: { scopes: ['crm.objects.owners.read', 'crm.schemas.companies.read', 'crm.schemas.companies.write'] }, install: false });
  // 401: a token the portal does not know.
  const badToken = 'pat-na1-11111111-2222-3333-4444-55555555dead';
  const wrong = createHubSpotCrm({ accessToken: badToken, basePath: s.local.baseUrl, clock: s.clock, timeoutMs: 0 });
  const e401 = await wrong.listOwners().then(
    () => null,
    (e: unknown) => e,
  );
  expect(e401).toBeInstanceOf(AuthError);
  expect(e401).toMatchObject({ status: 401, retryable: false });
  expect((e401 as Error).message).toMatch(/token pat-na1-…dead/);
  expect((e401 as Error).message).not.toContain(badToken);
  expect(s.local.counters.get('GET /crm/v3/owners')).toBe(1);
  expect(hubspotFailure(e401)?.message).toMatch(/PRIVATE_APP_ACCESS_TOKEN/);

  // 403: the token lacks crm.objects.companies.read.
  s.local.counters.reset();
  const e403 = await s.crm.readCompanies(['1']).then(
    () => null,
    (e: unknown) => e,
  );
  expect(e403).toBeInstanceOf(AuthError);
  expect(e403).toMatchObject({ status: 403, missingScopes: ['crm.objects.companies.read'] });
  expect((e403 as Error).message).toMatch(/crm\.objects\.companies\.read/);
  expect(s.local.counters.total).toBe(1);
  expect(hubspotFailure(e403)?.message).toMatch(/the scope\(s\) crm\.objects\.companies\.read/);

  // The sweep does not swallow it and does not retry: each company search it started (the first
  // pages read ahead, the onboarding-load pre-pass, the pages after them) is answered 403 once,
  // with no wait, then the error names the scope.
  s.local.counters.reset();
  await expect(runSweep(s.deps, { store: memorySweepStateStore() })).rejects.toThrow(/crm\.objects\.companies\.read/);
  const searches = s.local.counters.get('POST /crm/v3/objects/companies/search');
  expect(searches).toBeGreaterThanOrEqual(1);
  expect(searches).toBeLessThanOrEqual(3);
  // Every request it sent was refused once (company searches, and the open-ticket search started alongside).
  expect(s.local.counters.status(403)).toBeGreaterThanOrEqual(searches);
  expect(s.local.counters.status(403)).toBeLessThanOrEqual(searches + 1);
  expect(s.clock.sleptMs).toBeLessThan(1000); // only the pacer's search spacing: no Retry-After or back-off wait
});
