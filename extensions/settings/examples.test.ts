import { parseConfig } from '../../src/core';
import { parseParams } from '../../src/app/view-models';
import { FIRST_EXAMPLE, SETTINGS_EXAMPLES } from './examples';
import { parseOverride } from './SettingsPage';

describe('settings examples', () => {
  it.each(SETTINGS_EXAMPLES.map((e) => [e.label, e.json]))('%s is a valid config change', (_label, json) => {
    const value: unknown = JSON.parse(json);
    const parsed = parseConfig(value);
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
    expect(parseOverride(json)).toEqual({ ok: true, value });
  });

  it('every example shown in messages is valid too, and the old one is refused with its path', () => {
    const empty = parseOverride('');
    expect(empty.ok ? null : empty.message).toContain(FIRST_EXAMPLE);
    const bad = parseParams('settings-data', { configOverride: 'x' });
    const quoted = /for example (\{.*\})\)/.exec(bad.ok ? '' : bad.error.message)?.[1];
    expect(quoted).toBeDefined();
    expect(parseConfig(JSON.parse(quoted as string)).ok).toBe(true);
    expect(parseConfig({ bands: { healthyFrom: 75 } })).toEqual({ ok: false, errors: [{ path: 'bands', message: 'unknown key "bands"' }] });
  });
});
