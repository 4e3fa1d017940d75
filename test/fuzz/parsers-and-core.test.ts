/**
 * Property-based test: random and hostile HubSpot property values through `parseCompany` and the
 * core `evaluateAccount`, then `companyUpdateFor`. Never throws, never a NaN / Infinity in any
 * number of the result or in the formatted update, and every record is either scored (or
 * explicitly unknown) — with one issue per bad value reported.
 */
import fc from 'fast-check';
import { createAssignmentState, configVersion, defaultConfig, evaluateAccount, type Owner } from '../../src/core';
import { INPUT_PROPERTIES, WRITTEN_PROPERTIES } from '../../src/hubspot/company-properties';
import { parseCompany } from '../../src/hubspot/company-parser';
import { LEDGER_MAX_CHARS } from '../../src/hubspot/playbook-ledger';
import { companyUpdateFor, formatWrittenState } from '../../src/hubspot/written-state';

const config = defaultConfig();
config.pool.members = [
  { ownerId: '11', skills: ['api'], coverageDays: [], outOfOffice: [], capacity: 2 },
  { ownerId: '12', skills: [], coverageDays: ['mon', 'tue'], outOfOffice: [{ from: '2026-01-01', to: '2026-12-31' }], capacity: 20 },
];
const version = configVersion(config);
const owner = (id: string, active = true, archived = false): Owner => ({ id, userId: null, email: null, firstName: null, lastName: null, active, archived, teams: [] });
const owners = [owner('11'), owner('12', false), owner('13', false, true)];

const hostile = fc.constantFrom(
  'NaN', '-NaN', 'Infinity', '-Infinity', '1e309', '-1e309', '-0', '+0', '0x1F', '1_000', '12,5', '1.2.3', '١٢٣', '１２', ' 42 ', '42\n', '\u0000', '\uFEFF7',
  '', ' ', 'null', 'undefined', 'true', 'false', 'TRUE', '[]', '{}', '<script>', "'; DROP TABLE", '💥', 'e', '.', '-', '+', '5e-324', '1e-400', '9007199254740993',
  '2024-02-30', '2024-13-45', '0000-00-00', '2024-02-29', '2023-02-29', '2024-1-1', '2024-01-01T25:00:00Z', '1900-01-01', '2199-12-31',
  '2024-01-01T00:00:00+14:00', '2024-01-01T00:00:00-12:00', '1704067200000', '-1704067200000', '0', '999999999999999', '8640000000000001', '1e3',
  'pooled', 'named', 'mid_pooled', 'POOLED', 'healthy', 'unknown', 'onboarding', 'graduated', '11', '12', '13', '99', 'api;sso', ';;;', 'a'.repeat(5000),
);
const value = fc.oneof(
  { weight: 4, arbitrary: hostile },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.double().map(String) },
  { weight: 2, arbitrary: fc.integer({ min: -1e6, max: 1e7 }).map(String) },
  { weight: 2, arbitrary: fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => String(d.getTime())) },
);
const propertyNames = [...Object.values(INPUT_PROPERTIES), ...Object.values(WRITTEN_PROPERTIES), 'name', 'hs_lastmodifieddate'];
const properties = fc.dictionary(fc.constantFrom(...propertyNames), fc.option(value, { nil: null }), { maxKeys: propertyNames.length });
const nowArb = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T23:59:59Z'), noInvalidDate: true });

/** Every number reachable in a value, with its path. */
function numbers(x: unknown, path = '$', out: Array<[string, number]> = []): Array<[string, number]> {
  if (typeof x === 'number') out.push([path, x]);
  else if (Array.isArray(x)) x.forEach((v, i) => numbers(v, `${path}[${i}]`, out));
  else if (x instanceof Map) for (const [k, v] of x) numbers(v, `${path}.${String(k)}`, out);
  else if (ArrayBuffer.isView(x)) Array.from(x as unknown as ArrayLike<number>).forEach((v, i) => numbers(v, `${path}[${i}]`, out));
  else if (x !== null && typeof x === 'object') for (const [k, v] of Object.entries(x)) numbers(v, `${path}.${k}`, out);
  return out;
}

test('fuzz: hostile property values through parseCompany → evaluateAccount → companyUpdateFor never throw, never NaN, every record scored or reported', () => {
  fc.assert(
    fc.property(properties, nowArb, (props, now) => {
      const parsed = parseCompany({ id: '4242', properties: props });
      // Every issue names a property that was sent with a non-blank value, once per property.
      const issueProps = parsed.issues.map((i) => i.property);
      expect(new Set(issueProps).size).toBe(issueProps.length);
      for (const i of parsed.issues) {
        expect(i.recordId).toBe('4242');
        const raw = props[i.property];
        expect(typeof raw === 'string' && raw.trim() !== '').toBe(true);
        expect(i.value.length).toBeLessThanOrEqual(60);
      }
      // A property that parsed to null without an issue was missing or blank (unknown) — or is a text/multi field.
      for (const [path, n] of numbers(parsed.account)) expect({ path, finite: Number.isFinite(n) }).toEqual({ path, finite: true });

      const state = createAssignmentState({ members: config.pool.members, owners });
      const ev = evaluateAccount(parsed.account, { config, configVersion: version, now, assignment: state });
      const bad = numbers({ segment: ev.segment, health: ev.health, lifecycle: ev.lifecycle, next: ev.next, tasks: ev.tasks, trend: ev.trend }).filter(([, n]) => !Number.isFinite(n));
      expect(bad).toEqual([]);
      // Scored or explicitly unknown.
      expect(ev.health.score === null || (ev.health.score >= 0 && ev.health.score <= 100)).toBe(true);
      expect(['healthy', 'watch', 'at_risk', 'unknown']).toContain(ev.health.band);
      if (ev.health.score === null) expect(ev.health.band).toBe('unknown');
      expect(ev.next.segment).not.toBeNull();
      for (const t of ev.tasks) {
        expect(Number.isFinite(Date.parse(t.dueAt))).toBe(true);
        expect(t.key).toMatch(/^cs:4242:/);
        expect(['11', '12', '13'].includes(t.ownerId ?? '') ? t.ownerId : '11').toBe('11'); // only usable owners
      }

      const formatted = formatWrittenState(ev.next);
      const update = companyUpdateFor(parsed.account, ev.next);
      const freeText = new Set<string>([WRITTEN_PROPERTIES.playbookLedger, WRITTEN_PROPERTIES.healthSummary, WRITTEN_PROPERTIES.segmentReason, WRITTEN_PROPERTIES.segmentOverrideReason, WRITTEN_PROPERTIES.lifecycleReason, WRITTEN_PROPERTIES.configVersion]);
      for (const [k, v] of Object.entries({ ...formatted, ...(update ?? {}) })) {
        expect(typeof v).toBe('string');
        if (freeText.has(k)) continue; // text copied from the record (a ledger key may be the word "NaN")
        expect(`${k}=${v}`).not.toMatch(/=(NaN|-?Infinity|undefined|null)$/);
      }
      expect(formatted[WRITTEN_PROPERTIES.healthSummary] ?? '').not.toMatch(/\bNaN\b|Infinity|undefined/);
      expect(formatted[WRITTEN_PROPERTIES.playbookLedger]?.length ?? 0).toBeLessThanOrEqual(LEDGER_MAX_CHARS);
      const score = formatted[WRITTEN_PROPERTIES.healthScore] ?? '';
      expect(score === '' || Number.isFinite(Number(score))).toBe(true);

      // Round trip: what we write parses back without issues and means the same.
      const reread = parseCompany({ id: '4242', properties: { ...props, ...formatted } });
      const writtenIssues = reread.issues.filter((i) => (Object.values(WRITTEN_PROPERTIES) as string[]).includes(i.property));
      expect(writtenIssues).toEqual([]);
      expect(reread.account.healthScore).toBe(ev.next.healthScore === null ? null : Number(score));
    }),
    { numRuns: 800, seed: 20261123 },
  );
});

test('fuzz: any string in any single property is either parsed, unknown, or one issue for that property', () => {
  fc.assert(
    fc.property(fc.constantFrom(...propertyNames), fc.oneof(hostile, fc.string({ maxLength: 64 }), fc.string({ unit: 'binary', maxLength: 16 })), (name, raw) => {
      const { account, issues } = parseCompany({ id: '1', properties: { [name]: raw } });
      expect(issues.length).toBeLessThanOrEqual(1);
      if (raw.trim() === '') expect(issues).toEqual([]);
      if (issues[0]) expect(issues[0]).toMatchObject({ recordId: '1', property: name });
      for (const [path, n] of numbers(account)) expect({ path, finite: Number.isFinite(n) }).toEqual({ path, finite: true });
    }),
    { numRuns: 2000, seed: 7 },
  );
});

/**
 * A date near the end of year 9999 (or before year 1) must not reach the core: adding onboarding
 * days to it would format as "+010000-03", a malformed date the app would write back. The adapter
 * reports years outside 1900–2199 as bad values; every date the app writes must parse back.
 */
test('fuzz: extreme but parseable dates never produce a malformed written date', () => {
  fc.assert(
    fc.property(
      fc.constantFrom('cs_contract_start_date', 'cs_onboarding_start_date', 'cs_renewal_date', 'cs_graduated_at'),
      fc.constantFrom('9999-12-31', '9999-11-01', '0001-01-01', '253402214400000', '-62135596800000'),
      nowArb,
      (name, raw, now) => {
        const parsed = parseCompany({ id: '7', properties: { [name]: raw } });
        const ev = evaluateAccount(parsed.account, { config, configVersion: version, now, assignment: createAssignmentState({ members: config.pool.members, owners }) });
        const reread = parseCompany({ id: '7', properties: formatWrittenState(ev.next) });
        expect(reread.issues).toEqual([]);
      },
    ),
    { numRuns: 200, seed: 3 },
  );
});
