import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configVersion, defaultConfig } from '../core';
import { CONFIG_MAX_CHARS, formatConfigErrors, loadConfig } from './config-source';

describe('loadConfig', () => {
  it('gives the defaults when nothing is set (blank counts as unset)', () => {
    for (const source of [{}, { json: null }, { json: '  ' }, { json: '', file: '' }]) {
      const r = loadConfig(source);
      expect(r).toEqual({ ok: true, config: defaultConfig(), configVersion: configVersion(defaultConfig()), source: 'defaults' });
    }
  });

  it('merges a partial JSON config over the defaults', () => {
    const r = loadConfig({ json: '{"segments":{"pooledBelow":30000}}' });
    expect(r.ok && r.config.segments.pooledBelow).toBe(30000);
    expect(r.ok && r.source).toBe('CS_CONFIG_JSON');
  });

  it('names the key path of a wrong type and of an unknown key (reliability 22)', () => {
    const r = loadConfig({ json: JSON.stringify({ health: { bands: { healthy: 'high' } }, extra: true }) });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path).sort()).toEqual(['extra', 'health.bands.healthy']);
    expect(formatConfigErrors(r.errors)).toMatch(/health\.bands\.healthy: .*\(in CS_CONFIG_JSON\)/);
  });

  it('refuses invalid JSON, a non-object and a huge input with a clear message', () => {
    const bad = loadConfig({ json: '{"segments":' });
    expect(!bad.ok && bad.errors[0]?.message).toMatch(/CS_CONFIG_JSON is not valid JSON/);
    const arr = loadConfig({ json: '[1,2]' });
    expect(!arr.ok && arr.errors[0]?.message).toMatch(/JSON object/);
    const huge = loadConfig({ json: `{"version":"${'x'.repeat(CONFIG_MAX_CHARS)}"}` });
    expect(!huge.ok && huge.errors[0]?.message).toMatch(/larger than/);
  });

  it('reads a file, and says when it cannot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-config-'));
    const file = join(dir, 'cs-config.json');
    writeFileSync(file, '{"lifecycle":{"onboardingDays":60}}');
    const r = loadConfig({ file });
    expect(r.ok && r.config.lifecycle.onboardingDays).toBe(60);
    expect(r.ok && r.source).toBe(`config file ${file}`);
    const missing = loadConfig({ file: join(dir, 'nope.json') });
    expect(!missing.ok && missing.errors[0]?.message).toMatch(/could not be read \(ENOENT\)/);
  });
});
