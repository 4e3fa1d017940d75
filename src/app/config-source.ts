/**
 * Where the effective config comes from at the edge: a JSON string (the `CS_CONFIG_JSON` secret of
 * the app functions, or an env var), a file (the CLI), or neither (the seeds' defaults). A bad
 * config is refused with the dotted path of each bad key, never silently defaulted.
 */
import { readFileSync } from 'node:fs';
import { configVersion, parseConfig, type Config, type ConfigError } from '../core';

export type LoadConfigResult =
  | { ok: true; config: Config; configVersion: string; source: string }
  | { ok: false; errors: ConfigError[] };

/** Largest config accepted (the JSON text), bytes. A config is a few KB; this bounds huge inputs. */
export const CONFIG_MAX_CHARS = 256_000;

function fromText(text: string, origin: string): LoadConfigResult {
  if (text.length > CONFIG_MAX_CHARS) return { ok: false, errors: [{ path: '', message: `${origin} is larger than ${CONFIG_MAX_CHARS} characters` }] };
  let input: unknown;
  try {
    input = JSON.parse(text) as unknown;
  } catch (err) {
    const why = err instanceof Error ? err.message : 'invalid JSON';
    return { ok: false, errors: [{ path: '', message: `${origin} is not valid JSON: ${why}` }] };
  }
  const parsed = parseConfig(input);
  if (!parsed.ok) return { ok: false, errors: parsed.errors.map((e) => ({ path: e.path, message: `${e.message} (in ${origin})` })) };
  return { ok: true, config: parsed.config, configVersion: configVersion(parsed.config), source: origin };
}

/**
 * Loads and validates the config. `json` wins over `file`; blank or absent both → defaults.
 *
 * @example
 * loadConfig({ json: process.env.CS_CONFIG_JSON }) // { ok: true, config, configVersion: 'c-…', source: 'CS_CONFIG_JSON' }
 * loadConfig({ json: '{"segments":{"pooledBelow":"x"}}' }) // { ok: false, errors: [{ path: 'segments.pooledBelow', … }] }
 */
export function loadConfig(source: { json?: string | null; file?: string | null; jsonName?: string }): LoadConfigResult {
  const json = source.json?.trim();
  if (json) return fromText(json, source.jsonName ?? 'CS_CONFIG_JSON');
  const file = source.file?.trim();
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      return { ok: false, errors: [{ path: '', message: `config file ${file} could not be read (${code})` }] };
    }
    return fromText(text, `config file ${file}`);
  }
  const parsed = parseConfig({});
  if (!parsed.ok) return parsed; // the defaults always validate; kept total for the type
  return { ok: true, config: parsed.config, configVersion: configVersion(parsed.config), source: 'defaults' };
}

/** One line naming every bad key, for error results and logs. */
export function formatConfigErrors(errors: readonly ConfigError[]): string {
  return errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ');
}
