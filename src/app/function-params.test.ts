import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTION_PARAMS, checkCardRecord, functionScope, isFutureIsoDate, isIsoDate, issueFor, parseParams, type FunctionUid } from './function-params';

describe('FUNCTION_PARAMS', () => {
  it('has a schema for every app function in functions/, keyed by its uid', () => {
    const dir = join(__dirname, '..', '..', 'functions');
    const uids = readdirSync(dir)
      .filter((f) => f.endsWith('-hsmeta.json'))
      .map((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { uid: string }).uid);
    expect(uids).toEqual(expect.arrayContaining(['card-data', 'recompute-health', 'portfolio-sweep']));
    expect(Object.keys(FUNCTION_PARAMS).sort()).toEqual(uids.sort());
  });

  it('portfolio-sweep: cursor optional, mode full by default, other modes refused', () => {
    expect(parseParams('portfolio-sweep', {})).toEqual({ ok: true, data: { mode: 'full' } });
    const bad = parseParams('portfolio-sweep', { mode: 'weekly' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/mode/);
  });
});

describe('companyId', () => {
  it.each(['card-data', 'recompute-health', 'run-playbooks'] as const)('%s accepts a digit id and trims it', (uid) => {
    expect(parseParams(uid, { companyId: ' 1234 ' })).toEqual({ ok: true, data: { companyId: '1234' } });
  });

  it('names the missing company id', () => {
    const r = parseParams('card-data', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_parameters', message: 'companyId: companyId is required (the HubSpot company id)' } });
  });

  it('refuses a non-numeric id and a number', () => {
    expect(parseParams('card-data', { companyId: 'abc' })).toMatchObject({
      ok: false,
      error: { message: 'companyId: companyId must be a HubSpot record id (digits only)' },
    });
    expect(parseParams('card-data', { companyId: 123 }).ok).toBe(false);
  });

  it('treats undefined parameters as an empty object (clear error, no throw)', () => {
    expect(parseParams('recompute-health', undefined)).toMatchObject({ ok: false, error: { issues: [{ path: 'companyId' }] } });
  });
});

describe('assign-onboarding-csm', () => {
  it('absent ownerId means automatic and needs no reason', () => {
    expect(parseParams('assign-onboarding-csm', { companyId: '1' })).toEqual({ ok: true, data: { companyId: '1' } });
  });

  it('a manual choice needs a reason', () => {
    const r = parseParams('assign-onboarding-csm', { companyId: '1', ownerId: '77' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(issueFor(r.error.issues, 'reason')).toBe('A reason is required (3–500 characters) when choosing the CSM by hand');
    }
    expect(parseParams('assign-onboarding-csm', { companyId: '1', ownerId: '77', reason: 'Speaks German' })).toEqual({
      ok: true,
      data: { companyId: '1', ownerId: '77', reason: 'Speaks German' },
    });
  });
});

describe('override-segment', () => {
  it('accepts a segment with reason and expiry', () => {
    expect(
      parseParams('override-segment', { companyId: '9', segment: 'named', reason: '  Strategic logo ', expires: '2027-01-31' }),
    ).toEqual({ ok: true, data: { companyId: '9', segment: 'named', reason: 'Strategic logo', expires: '2027-01-31' } });
  });

  it('accepts null to remove the override without a reason', () => {
    expect(parseParams('override-segment', { companyId: '9', segment: null })).toEqual({
      ok: true,
      data: { companyId: '9', segment: null },
    });
  });

  it('refuses an override without a reason, or with a too-short or too-long one', () => {
    for (const bad of [undefined, '  ', 'ok', 'x'.repeat(501)]) {
      const r = parseParams('override-segment', { companyId: '9', segment: 'pooled', reason: bad });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.issues.map((i) => i.path)).toEqual(['reason']);
    }
    const long = parseParams('override-segment', { companyId: '9', segment: 'pooled', reason: 'x'.repeat(501) });
    expect(long).toMatchObject({ ok: false, error: { message: 'reason: The reason is too long (at most 500 characters)' } });
  });

  it('refuses an unknown segment and a missing segment with the list of choices', () => {
    const r = parseParams('override-segment', { companyId: '9', segment: 'enterprise', reason: 'Big one' });
    expect(r).toMatchObject({
      ok: false,
      error: { message: 'segment: segment must be one of pooled, mid_pooled, named, or null to remove the override' },
    });
    expect(parseParams('override-segment', { companyId: '9', reason: 'Big one' }).ok).toBe(false);
  });

  it('refuses a badly written or impossible expiry date', () => {
    for (const bad of ['31/12/2026', '2026-2-1', '2026-02-30', '2026-12-31T00:00:00Z']) {
      const r = parseParams('override-segment', { companyId: '9', segment: 'named', reason: 'Exec sponsor', expires: bad });
      expect(r).toMatchObject({
        ok: false,
        error: { message: 'expires: The expiry must be a date written YYYY-MM-DD (for example 2026-12-31)' },
      });
    }
  });

  it('refuses an expiry when removing the override', () => {
    const r = parseParams('override-segment', { companyId: '9', segment: null, expires: '2027-01-01' });
    expect(r).toMatchObject({ ok: false, error: { issues: [{ path: 'expires' }] } });
  });
});

describe('graduate-now and extend-onboarding', () => {
  it('graduate-now needs a reason', () => {
    expect(parseParams('graduate-now', { companyId: '5' })).toMatchObject({
      ok: false,
      error: { message: 'reason: A reason is required (3–500 characters)' },
    });
    expect(parseParams('graduate-now', { companyId: '5', reason: 'All milestones done' }).ok).toBe(true);
  });

  it('extend-onboarding needs whole days from 1 to 180 and a reason', () => {
    expect(parseParams('extend-onboarding', { companyId: '5', days: 14, reason: 'Integration delayed' })).toEqual({
      ok: true,
      data: { companyId: '5', days: 14, reason: 'Integration delayed' },
    });
    expect(parseParams('extend-onboarding', { companyId: '5', days: 0, reason: 'Integration delayed' })).toMatchObject({
      ok: false,
      error: { message: 'days: Extend by at least 1 day' },
    });
    expect(parseParams('extend-onboarding', { companyId: '5', days: 181, reason: 'Integration delayed' })).toMatchObject({
      ok: false,
      error: { message: 'days: Extend by at most 180 days' },
    });
    expect(parseParams('extend-onboarding', { companyId: '5', days: 2.5, reason: 'Integration delayed' }).ok).toBe(false);
    expect(parseParams('extend-onboarding', { companyId: '5', days: '14', reason: 'Integration delayed' }).ok).toBe(false);
    const noReason = parseParams('extend-onboarding', { companyId: '5', days: 14 });
    expect(noReason.ok).toBe(false);
    if (!noReason.ok) expect(issueFor(noReason.error.issues, 'reason')).toBe('A reason is required (3–500 characters)');
  });
});

describe('portfolio-report and settings-data', () => {
  it('portfolio-report takes no parameters', () => {
    expect(parseParams('portfolio-report', undefined)).toEqual({ ok: true, data: {} });
  });

  it('settings-data takes an optional JSON object as configOverride', () => {
    expect(parseParams('settings-data', {})).toEqual({ ok: true, data: {} });
    expect(parseParams('settings-data', { configOverride: { bands: { healthyFrom: 75 } } })).toEqual({
      ok: true,
      data: { configOverride: { bands: { healthyFrom: 75 } } },
    });
    for (const bad of [[1, 2], 'x', 42, null]) {
      expect(parseParams('settings-data', { configOverride: bad })).toMatchObject({
        ok: false,
        error: { issues: [{ path: 'configOverride' }] },
      });
    }
  });
});

describe('date helpers', () => {
  it('isIsoDate checks the form and the calendar', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2027-13-01')).toBe(false);
  });

  it('isFutureIsoDate compares UTC calendar days', () => {
    const now = new Date('2026-11-23T23:30:00Z');
    expect(isFutureIsoDate('2026-11-24', now)).toBe(true);
    expect(isFutureIsoDate('2026-11-23', now)).toBe(false);
    expect(isFutureIsoDate('2026-11-22', now)).toBe(false);
    expect(isFutureIsoDate('not a date', now)).toBe(false);
  });
});

describe('record scope (what a function may touch)', () => {
  it('every function states its scope on its schema; card functions act on the card record; writers to other records say which', () => {
    for (const uid of Object.keys(FUNCTION_PARAMS) as FunctionUid[]) {
      const scope = functionScope(uid);
      if (scope.writes === 'other-records') expect(scope.note).toBeTruthy();
      if (scope.record === 'card') expect(FUNCTION_PARAMS[uid].safeParse({}).success).toBe(false); // companyId is required
    }
    expect(functionScope('card-data')).toEqual({ record: 'card', writes: 'nothing' });
    expect(functionScope('assign-onboarding-csm')).toMatchObject({ record: 'card', writes: 'other-records' });
    expect(functionScope('portfolio-sweep')).toMatchObject({ record: 'none', writes: 'other-records' });
  });

  it('checkCardRecord: the same record passes, another is refused naming both, none is unverified', () => {
    expect(checkCardRecord('graduate-now', { companyId: '42' }, { hs_object_id: '42' })).toEqual({ ok: true, verified: true });
    expect(checkCardRecord('graduate-now', { companyId: '42' }, { hs_object_id: 42 })).toEqual({ ok: true, verified: true });
    const wrong = checkCardRecord('graduate-now', { companyId: '43' }, { hs_object_id: '42' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'wrong_record' } });
    if (!wrong.ok) expect(wrong.error.message).toMatch(/company 42.*company 43/);
    expect(checkCardRecord('graduate-now', { companyId: '42' }, {})).toEqual({ ok: true, verified: false });
    expect(checkCardRecord('graduate-now', { companyId: '42' }, undefined)).toEqual({ ok: true, verified: false });
    expect(checkCardRecord('portfolio-report', {}, { hs_object_id: '42' })).toEqual({ ok: true, verified: true });
  });
});
