/** Property value coercion and validation, HubSpot style (every value is a string). */
import type { PropertyDefinition } from './schemas';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch ms of a date/datetime value given as ms digits, `YYYY-MM-DD` or ISO; null when invalid. */
export function toEpochMs(raw: string): number | null {
  if (/^-?\d+$/.test(raw)) return Number(raw);
  const m = DATE_RE.exec(raw);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const ms = Date.UTC(y, mo - 1, d);
    const back = new Date(ms);
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
    return ms;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw)) return null;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? null : ms;
}

/** A comparable form of a value for filters and sorts: number for numeric/date types, else lower-case text. */
export function comparable(def: PropertyDefinition | undefined, raw: string | undefined): number | string | null {
  if (raw === undefined || raw === '') return null;
  const type = def?.type ?? 'string';
  if (type === 'number') {
    const n = Number(raw);
    return raw.trim() !== '' && Number.isFinite(n) ? n : null;
  }
  if (type === 'date' || type === 'datetime') return toEpochMs(raw);
  return raw.toLowerCase();
}

export interface InvalidValue {
  name: string;
  value: string;
  error: string;
  message: string;
}

/**
 * Validates and normalises one value written through the API. Returns the stored string or an
 * error in HubSpot's per-property shape (`INVALID_INTEGER`, `INVALID_OPTION`, `INVALID_DATE`, ...).
 */
export function normaliseValue(def: PropertyDefinition, input: unknown): { ok: true; value: string } | { ok: false; error: InvalidValue } {
  const value = input === null || input === undefined ? '' : String(input);
  const bad = (error: string, message: string) => ({ ok: false as const, error: { name: def.name, value, error, message } });
  if (value === '') return { ok: true, value: '' };
  switch (def.type) {
    case 'number': {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) return bad('INVALID_INTEGER', `${value} was not a valid number.`);
      return { ok: true, value };
    }
    case 'bool':
      if (value !== 'true' && value !== 'false') return bad('INVALID_BOOLEAN', `${value} was not a valid boolean.`);
      return { ok: true, value };
    case 'date': {
      const ms = toEpochMs(value);
      if (ms === null) return bad('INVALID_DATE', `${value} was not a valid date.`);
      if (ms % 86_400_000 !== 0) return bad('INVALID_DATE', `${value} is not midnight UTC.`);
      return { ok: true, value: new Date(ms).toISOString().slice(0, 10) };
    }
    case 'datetime': {
      const ms = toEpochMs(value);
      if (ms === null) return bad('INVALID_DATETIME', `${value} was not a valid datetime.`);
      return { ok: true, value: new Date(ms).toISOString() };
    }
    case 'enumeration': {
      if (def.externalOptions || def.options.length === 0) return { ok: true, value };
      const allowed = new Set(def.options.map((o) => o.value));
      const parts = def.fieldType === 'checkbox' ? value.split(';') : [value];
      const wrong = parts.find((p) => !allowed.has(p));
      if (wrong !== undefined) {
        return bad('INVALID_OPTION', `${wrong} was not one of the allowed options: ${def.options.map((o) => `<${o.value}>`).join(', ')}`);
      }
      return { ok: true, value };
    }
    default:
      return { ok: true, value };
  }
}
