import { createManualClock } from '../platform/clock';
import { createMemoryIdempotencyStore } from './idempotency-store';
import { createMemoryLogger } from '../platform/logger';
import { createFakeCompanyActions, deferred, deliveryBody, signedDelivery } from './test-support';
import { actionNameFromUrl, createWorkflowActionHandler, type OutputFields, type WorkflowActionOptions } from './workflow-action';

const secret = 'test-client-secret';
const base = 'https://cs.example.com';
const start = Date.UTC(2026, 10, 23, 10, 0, 0);

/** Lets pending promise callbacks run (no timers involved). */
async function flush(times = 10): Promise<void> {
  for (let i = 0; i < times; i++) await Promise.resolve();
}

function setup(overrides: Partial<WorkflowActionOptions> = {}) {
  const clock = createManualClock(start);
  const fake = createFakeCompanyActions();
  const completions: Array<{ callbackId: string; outputFields: Record<string, string | number> }> = [];
  const logger = createMemoryLogger();
  const handler = createWorkflowActionHandler({
    actions: fake.actions,
    clientSecret: secret,
    clock,
    logger,
    budgetMs: 5_000,
    retry: { maxAttempts: 3, baseDelayMs: 1_000 },
    completer: async (callbackId, outputFields) => {
      completions.push({ callbackId, outputFields });
    },
    ...overrides,
  });
  const deliver = (action: Parameters<typeof signedDelivery>[0]['action'], callbackId: string, companyId = '42', inputFields?: Record<string, unknown>) =>
    handler.handle(signedDelivery({ baseUrl: base, action, body: deliveryBody({ callbackId, companyId, inputFields }), clientSecret: secret, now: clock.now() }));
  return { clock, fake, completions, handler, deliver, logger };
}

describe('workflow action handler', () => {
  it('valid signature → SUCCESS with output fields, per action', async () => {
    const { deliver, fake } = setup();
    await expect(deliver('recompute-health', 'cb-1')).resolves.toEqual({
      status: 200,
      body: { outputFields: { score: 72, band: 'watch', segment: 'pooled', hs_execution_state: 'SUCCESS' } },
    });
    await expect(deliver('assign-onboarding-csm', 'cb-2')).resolves.toEqual({
      status: 200,
      body: { outputFields: { assigned_owner_id: '9001', assignment_reason: 'least_loaded', hs_execution_state: 'SUCCESS' } },
    });
    await expect(deliver('assign-onboarding-csm', 'cb-3', '42', { owner_id: '777' })).resolves.toMatchObject({
      body: { outputFields: { assigned_owner_id: '777', assignment_reason: 'manual' } },
    });
    await expect(deliver('run-playbooks', 'cb-4')).resolves.toEqual({
      status: 200,
      body: { outputFields: { tasks_created: 1, hs_execution_state: 'SUCCESS' } },
    });
    expect(fake.calls).toEqual({ recomputeHealth: 1, assignOnboardingCsm: 2, runPlaybooks: 1 });
  });

  it('case 17: tampered body, wrong secret, stale or future timestamp, missing header → 401 and nothing done', async () => {
    const { handler, fake, clock } = setup();
    const good = signedDelivery({ baseUrl: base, action: 'run-playbooks', body: deliveryBody({ callbackId: 'cb', companyId: 42 }), clientSecret: secret, now: clock.now() });
    const cases = [
      { ...good, body: deliveryBody({ callbackId: 'cb', companyId: 43 }) },
      { ...good, url: `${base}/actions/recompute-health` },
      signedDelivery({ baseUrl: base, action: 'run-playbooks', body: String(good.body), clientSecret: 'wrong', now: clock.now() }),
      signedDelivery({ baseUrl: base, action: 'run-playbooks', body: String(good.body), clientSecret: secret, now: clock.now() - 301_000 }),
      signedDelivery({ baseUrl: base, action: 'run-playbooks', body: String(good.body), clientSecret: secret, now: clock.now() + 301_000 }),
      { ...good, headers: { 'content-type': 'application/json' } },
    ];
    for (const request of cases) {
      const response = await handler.handle(request);
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ error: 'invalid_signature' });
    }
    expect(fake.calls).toEqual({ recomputeHealth: 0, assignOnboardingCsm: 0, runPlaybooks: 0 });
  });

  it('the signature is checked before the JSON: an unsigned invalid body is 401, a signed one 400', async () => {
    const { handler, clock } = setup();
    const bad = signedDelivery({ baseUrl: base, action: 'run-playbooks', body: '{not json', clientSecret: secret, now: clock.now() });
    await expect(handler.handle({ ...bad, headers: {} })).resolves.toMatchObject({ status: 401 });
    await expect(handler.handle(bad)).resolves.toEqual({ status: 400, body: { error: 'invalid_json' } });
    const wrongShape = signedDelivery({ baseUrl: base, action: 'run-playbooks', body: '{"callbackId":5}', clientSecret: secret, now: clock.now() });
    const response = await handler.handle(wrongShape);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'invalid_payload' });
  });

  it('unknown action path → 404 (after the signature); non-COMPANY object → FAIL_CONTINUE', async () => {
    const { handler, clock, fake } = setup();
    const body = deliveryBody({ callbackId: 'x', companyId: 1 });
    const url = `${base}/actions/delete-everything`;
    const { signRequestV3 } = await import('./signature');
    const headers = signRequestV3({ method: 'POST', uri: url, body, clientSecret: secret, timestamp: clock.now() });
    await expect(handler.handle({ method: 'POST', url, headers, body })).resolves.toMatchObject({ status: 404 });
    const contact = signedDelivery({ baseUrl: base, action: 'run-playbooks', body: deliveryBody({ callbackId: 'c', companyId: 1, objectType: 'CONTACT' }), clientSecret: secret, now: clock.now() });
    await expect(handler.handle(contact)).resolves.toMatchObject({ body: { outputFields: { hs_execution_state: 'FAIL_CONTINUE', error_code: 'unsupported_object_type' } } });
    expect(fake.calls.runPlaybooks).toBe(0);
  });

  it('case 12: the same callbackId delivered twice → one call, the same answer', async () => {
    const { deliver, fake } = setup();
    const first = await deliver('run-playbooks', 'cb-dup');
    const second = await deliver('run-playbooks', 'cb-dup');
    expect(second).toEqual(first);
    expect(fake.calls.runPlaybooks).toBe(1);
    expect(fake.created).toHaveLength(1);
  });

  it('case 12: 20 concurrent deliveries of the same callbackId → one call, one task, 20 equal answers', async () => {
    const { deliver, fake } = setup();
    const gate = deferred();
    fake.script.push({ wait: gate.promise });
    const answers = Array.from({ length: 20 }, () => deliver('run-playbooks', 'cb-conc'));
    await flush();
    gate.resolve();
    const results = await Promise.all(answers);
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(results[0]).toEqual({ status: 200, body: { outputFields: { tasks_created: 1, hs_execution_state: 'SUCCESS' } } });
    expect(fake.calls.runPlaybooks).toBe(1);
    expect(fake.created).toEqual(['42:onboarding_kickoff:2026-11']);
  });

  it('concurrent deliveries for the same company and action with different callbackIds share one call', async () => {
    const { deliver, fake } = setup();
    const gate = deferred();
    fake.script.push({ wait: gate.promise });
    const a = deliver('run-playbooks', 'cb-a');
    const b = deliver('run-playbooks', 'cb-b');
    await flush();
    gate.resolve();
    await Promise.all([a, b]);
    expect(fake.calls.runPlaybooks).toBe(1);
    expect(fake.created).toHaveLength(1);
  });

  it('a retryable failure answers BLOCK, retries with back-off, then completes the callback with the final output', async () => {
    const { deliver, fake, completions, clock, handler } = setup();
    fake.script.push({ error: { code: 'rate_limited', message: '429', retryable: true } });
    await expect(deliver('recompute-health', 'cb-429')).resolves.toEqual({ status: 200, body: { outputFields: { hs_execution_state: 'BLOCK' } } });
    expect(completions).toEqual([]);
    // a duplicate while blocked gets BLOCK again and does no work
    await expect(deliver('recompute-health', 'cb-429')).resolves.toMatchObject({ body: { outputFields: { hs_execution_state: 'BLOCK' } } });
    expect(fake.calls.recomputeHealth).toBe(1);
    clock.advance(1_000);
    await handler.drain();
    expect(fake.calls.recomputeHealth).toBe(2);
    expect(completions).toEqual([{ callbackId: 'cb-429', outputFields: { score: 72, band: 'watch', segment: 'pooled', hs_execution_state: 'SUCCESS' } }]);
    // after completion, a late redelivery gets the final answer, still without new work
    await expect(deliver('recompute-health', 'cb-429')).resolves.toMatchObject({ body: { outputFields: { hs_execution_state: 'SUCCESS', score: 72 } } });
    expect(fake.calls.recomputeHealth).toBe(2);
  });

  it('retries are bounded: a failure that stays retryable completes with FAIL_CONTINUE after maxAttempts', async () => {
    const { deliver, fake, completions, clock, handler } = setup();
    for (let i = 0; i < 5; i++) fake.script.push({ error: { code: 'server_error', message: '503', retryable: true } });
    await expect(deliver('run-playbooks', 'cb-503')).resolves.toMatchObject({ body: { outputFields: { hs_execution_state: 'BLOCK' } } });
    clock.advance(1_000);
    await flush(50);
    clock.advance(2_000);
    await handler.drain();
    expect(fake.calls.runPlaybooks).toBe(3);
    expect(completions).toEqual([{ callbackId: 'cb-503', outputFields: { hs_execution_state: 'FAIL_CONTINUE', error_code: 'server_error' } }]);
  });

  it('work longer than the budget answers BLOCK and completes when the work finishes', async () => {
    const { deliver, fake, completions, clock, handler } = setup();
    const gate = deferred();
    fake.script.push({ wait: gate.promise });
    const answer = deliver('run-playbooks', 'cb-slow');
    await flush();
    clock.advance(5_000);
    await expect(answer).resolves.toMatchObject({ body: { outputFields: { hs_execution_state: 'BLOCK' } } });
    gate.resolve();
    await handler.drain();
    expect(completions).toEqual([{ callbackId: 'cb-slow', outputFields: { tasks_created: 1, hs_execution_state: 'SUCCESS' } }]);
    expect(fake.calls.runPlaybooks).toBe(1);
  });

  it('a non-retryable failure answers FAIL_CONTINUE with the error code, no callback', async () => {
    const { deliver, fake, completions } = setup();
    fake.script.push({ error: { code: 'company_not_found', message: 'no such company', retryable: false } });
    await expect(deliver('recompute-health', 'cb-404')).resolves.toEqual({
      status: 200,
      body: { outputFields: { hs_execution_state: 'FAIL_CONTINUE', error_code: 'company_not_found' } },
    });
    expect(completions).toEqual([]);
  });

  it('a thrown error never leaks: BLOCK, retried, and the log carries only ids and the error name', async () => {
    const { deliver, fake, completions, clock, handler, logger } = setup();
    fake.script.push({ throws: true });
    const response = await deliver('recompute-health', 'cb-throw');
    expect(JSON.stringify(response)).not.toMatch(/boom|at |Error/);
    expect(response.body).toEqual({ outputFields: { hs_execution_state: 'BLOCK' } });
    clock.advance(1_000);
    await handler.drain();
    expect(completions[0]?.outputFields.hs_execution_state).toBe('SUCCESS');
    expect(JSON.stringify(logger.lines)).not.toMatch(/boom/);
  });

  it('a failing completer is tried once (its retries are the client policy\'s), stays pending, and resendPending sends it', async () => {
    let calls = 0;
    let failing = true;
    const sent: string[] = [];
    const { deliver, fake, clock, handler } = setup({
      completer: async (callbackId) => {
        calls++;
        if (failing) throw new Error('network');
        sent.push(callbackId);
      },
    });
    fake.script.push({ error: { code: 'rate_limited', message: '429', retryable: true } });
    await deliver('recompute-health', 'cb-c');
    clock.advance(1_000);
    await handler.drain();
    expect(calls).toBe(1);
    expect(handler.stats().completionFailures).toBe(1);
    failing = false;
    await expect(handler.resendPending()).resolves.toBe(1);
    await handler.drain();
    expect(sent).toEqual(['cb-c']);
    expect(fake.calls.recomputeHealth).toBe(2); // the action is not run again to resend
    await expect(handler.resendPending()).resolves.toBe(0);
  });

  it('a completion HubSpot refuses for good (4xx) is not resent', async () => {
    const { HubSpotApiError } = await import('../hubspot/errors');
    let calls = 0;
    const { deliver, fake, clock, handler } = setup({
      completer: async () => {
        calls++;
        throw new HubSpotApiError({ kind: 'client', status: 400, retryable: false, message: 'callback already completed' });
      },
    });
    fake.script.push({ error: { code: 'rate_limited', message: '429', retryable: true } });
    await deliver('recompute-health', 'cb-gone');
    clock.advance(1_000);
    await handler.drain();
    await expect(handler.resendPending()).resolves.toBe(0);
    expect(calls).toBe(1);
  });

  it('park(): a running action answers BLOCK at once and stays pending; a new handler on the same store finishes it', async () => {
    const store = createMemoryIdempotencyStore<OutputFields>({ maxEntries: 10, ttlMs: 3_600_000, clock: createManualClock(start) });
    const { deliver, fake, handler, completions } = setup({ store });
    const gate = deferred();
    fake.script.push({ wait: gate.promise });
    const answer = deliver('run-playbooks', 'cb-park');
    await flush();
    handler.park();
    await expect(answer).resolves.toMatchObject({ body: { outputFields: { hs_execution_state: 'BLOCK' } } });
    expect(await store.listPending()).toEqual([expect.objectContaining({ callbackId: 'cb-park', action: 'run-playbooks', companyId: '42' })]);
    expect(completions).toEqual([]);
    // "restart": the old process is gone; a new handler with the same store sends the pending completion
    const next = setup({ store });
    await expect(next.handler.resendPending()).resolves.toBe(1);
    await next.handler.drain();
    expect(next.completions).toEqual([{ callbackId: 'cb-park', outputFields: { tasks_created: 1, hs_execution_state: 'SUCCESS' } }]);
    expect(await store.listPending()).toEqual([]);
    // a replay of the delivery gets the final answer and does nothing
    await expect(next.deliver('run-playbooks', 'cb-park')).resolves.toMatchObject({ body: { outputFields: { hs_execution_state: 'SUCCESS' } } });
    expect(next.fake.calls.runPlaybooks).toBe(1);
    gate.resolve();
  });

  it('a v2-signed delivery (what HubSpot sends custom actions) and a v3 one both run once; the log says which passed', async () => {
    const { handler, fake, logger, clock } = setup();
    const { signRequestV2 } = await import('./signature');
    const url = `${base}/actions/run-playbooks`;
    const body = deliveryBody({ callbackId: 'cb-v2', companyId: 42 });
    const v2 = { method: 'POST', url, headers: { 'content-type': 'application/json', ...signRequestV2({ method: 'POST', uri: url, body, clientSecret: secret }) }, body };
    await expect(handler.handle(v2)).resolves.toMatchObject({ status: 200, body: { outputFields: { hs_execution_state: 'SUCCESS', tasks_created: 1 } } });
    await expect(handler.handle(v2)).resolves.toMatchObject({ status: 200, body: { outputFields: { tasks_created: 1 } } });
    await expect(handler.handle(signedDelivery({ baseUrl: base, action: 'run-playbooks', body, clientSecret: secret, now: clock.now() }))).resolves.toMatchObject({ status: 200 });
    expect(fake.calls.runPlaybooks).toBe(1);
    expect(logger.lines.filter((l) => l.event === 'workflow_action.answered').map((l) => [l.signature, l.replay])).toEqual([
      ['v2', false],
      ['v2', true],
      ['v3', true],
    ]);
    await expect(handler.handle({ ...v2, body: body.replace('42', '43') })).resolves.toMatchObject({ status: 401, body: { reason: 'signature_mismatch' } });
  });

  it('the idempotency store is bounded and forgets after its TTL', async () => {
    const clock = createManualClock(start);
    const store = createMemoryIdempotencyStore<OutputFields>({ maxEntries: 3, ttlMs: 1_000, clock });
    for (const k of ['a', 'b', 'c', 'd']) await store.set(k, { hs_execution_state: 'SUCCESS' });
    expect(store.size()).toBe(3);
    await expect(store.get('a')).resolves.toBeUndefined();
    await expect(store.get('b')).resolves.toEqual({ hs_execution_state: 'SUCCESS' });
    await store.set('e', { hs_execution_state: 'SUCCESS' }); // evicts c (b was just read)
    await expect(store.get('c')).resolves.toBeUndefined();
    clock.advance(1_000);
    await expect(store.get('b')).resolves.toBeUndefined();
  });

  it('actionNameFromUrl takes the last /actions/<name> segment, allowing a path prefix', () => {
    expect(actionNameFromUrl('https://x.io/cs/actions/run-playbooks?x=1')).toBe('run-playbooks');
    expect(actionNameFromUrl('https://x.io/actions/nope')).toBeNull();
    expect(actionNameFromUrl('not a url')).toBeNull();
  });
});
