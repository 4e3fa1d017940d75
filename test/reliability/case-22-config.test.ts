/**
 * Reliability case 22: a config with a wrong type or an unknown key is rejected at start with the
 * path of the bad key — from the JSON secret, from a file, and through the function runtime.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatConfigErrors, loadConfig, depsFromEnv } from '../../src/app';
import { deepMerge, defaultConfig, parseConfig } from '../../src/core';

test('case 22: a config file with a wrong type or unknown key — rejected at start with the path of the bad key', () => {
  const cases: Array<[string, unknown, string]> = [
    ['wrong type', { segments: { pooledBelow: 'x' } }, 'segments.pooledBelow'],
    ['unknown top-level key', { segmentz: {} }, 'segmentz'],
    ['unknown nested key', { health: { weights: { pooled: { usage_trend: 1, vibes: 3 } } } }, 'health.weights.pooled.vibes'],
    ['wrong type in an array item', { pool: { members: [{ ownerId: '1', skills: [], coverageDays: ['monday'], outOfOffice: [], capacity: 3 }] } }, 'pool.members.0.coverageDays.0'],
    ['bad date', { pool: { members: [{ ownerId: '1', skills: [], coverageDays: [], outOfOffice: [{ from: '2026-02-30', to: '2026-03-01' }], capacity: 3 }] } }, 'pool.members.0.outOfOffice.0.from'],
    ['negative number', { playbooks: { openTaskCap: -1 } }, 'playbooks.openTaskCap'],
  ];
  for (const [what, patch, path] of cases) {
    const input = deepMerge(defaultConfig(), patch);
    const parsed = parseConfig(input);
    expect({ what, ok: parsed.ok }).toEqual({ what, ok: false });
    if (parsed.ok) continue;
    const paths = parsed.errors.map((e) => e.path);
    if (path === '') expect(parsed.errors.map((e) => `${e.path} ${e.message}`).join('; ')).toMatch(/segmentz/);
    else expect({ what, paths }).toEqual({ what, paths: expect.arrayContaining([path]) });

    // The same through the JSON secret and a config file: errors name the key and the source.
    const fromJson = loadConfig({ json: JSON.stringify(input) });
    expect(fromJson.ok).toBe(false);
    if (!fromJson.ok) expect(formatConfigErrors(fromJson.errors)).toContain('CS_CONFIG_JSON');
    const dir = mkdtempSync(join(tmpdir(), 'cs-config-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify(input));
    const fromFile = loadConfig({ file });
    expect(fromFile.ok).toBe(false);
    if (!fromFile.ok) {
      const text = formatConfigErrors(fromFile.errors);
      expect(text).toContain(file);
      if (path !== '') expect(text).toContain(`${path}:`);
    }
  }

  // Not JSON at all, and too large: clear errors, no crash.
  const notJson = loadConfig({ json: '{ segments: ' });
  expect(notJson).toMatchObject({ ok: false, errors: [{ path: '', message: expect.stringMatching(/CS_CONFIG_JSON is not valid JSON/) }] });
  const huge = loadConfig({ json: `{"version":"${'x'.repeat(300_000)}"}` });
  expect(huge).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/larger than/) }] });

  // At start of a function call: refused before any HubSpot client exists, with the key path.
  const r = depsFromEnv({ PRIVATE_APP_ACCESS_TOKEN: 'pat-na1-x', CS_CONFIG_JSON: JSON.stringify({ segments: { pooledBelow: 'x' } }) });
  expect(r.ok).toBe(false);
  if (!r.ok) {
    expect(r.error.code).toBe('bad_config');
    expect(r.error.message).toMatch(/segments\.pooledBelow/);
  }
  // And a valid partial config is accepted (defaults fill the rest).
  expect(loadConfig({ json: JSON.stringify({ playbooks: { openTaskCap: 5 } }) }).ok).toBe(parseConfig({ playbooks: { openTaskCap: 5 } }).ok);
});

